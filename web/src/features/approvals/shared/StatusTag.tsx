import { Tag } from 'antd';
import type { InstanceStatus, TaskStatus } from '@common/schemas/approvals';
import { useT } from '@web/app/i18n';

const STATUS_COLORS: Record<InstanceStatus, string> = {
  pending: 'processing',
  returned: 'warning',
  approved: 'success',
  rejected: 'error',
  withdrawn: 'default',
};

/** 审批中 / 已退回 / 已通过 / 已驳回 / 已撤回 */
export function StatusTag({ status }: { status: InstanceStatus }) {
  const t = useT();
  return (
    <Tag color={STATUS_COLORS[status] ?? 'default'} data-testid="approval-status">
      {t(`approvalscentre.status.${status}`)}
    </Tag>
  );
}

const TASK_COLORS: Record<TaskStatus, string> = {
  waiting: 'default',
  pending: 'processing',
  approved: 'success',
  rejected: 'error',
  transferred: 'purple',
  cancelled: 'default',
};

/** an approver's task: 待审批 / 等待中 / 已同意 / 已驳回 / 已转交 / 无需审批 */
export function TaskTag({ status }: { status: TaskStatus }) {
  const t = useT();
  return (
    <Tag color={TASK_COLORS[status] ?? 'default'} variant="filled" style={{ marginInlineEnd: 0 }}>
      {t(`approvalscentre.task.${status}`)}
    </Tag>
  );
}
