import { Tag } from 'antd';
import { useT } from '@web/app/i18n';
import type { UserStatus } from './types';

const COLORS: Record<UserStatus, string> = { active: 'green', disabled: 'orange', left: 'default' };

/** A user's status (在职 / 停用 / 离职) as a coloured tag. */
export function StatusTag({ status }: { status: UserStatus }) {
  const t = useT();
  return <Tag color={COLORS[status]}>{t(`orgui.user.status.${status}`)}</Tag>;
}
