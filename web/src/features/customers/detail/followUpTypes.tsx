import type { ReactNode } from 'react';
import { EnvironmentOutlined, MailOutlined, MessageOutlined, PhoneOutlined, WechatOutlined } from '@ant-design/icons';
import type { FollowUpType } from '../api';

/** The icon and colour of each follow-up type on the timeline. */
export const FOLLOW_UP_ICONS: Record<FollowUpType, { icon: ReactNode; color: string }> = {
  phone: { icon: <PhoneOutlined />, color: 'blue' },
  visit: { icon: <EnvironmentOutlined />, color: 'green' },
  wechat: { icon: <WechatOutlined />, color: '#07c160' },
  mail: { icon: <MailOutlined />, color: 'purple' },
  other: { icon: <MessageOutlined />, color: 'gray' },
};
