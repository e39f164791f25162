import type { ReactNode } from 'react';
import {
  AccountBookOutlined,
  CalendarOutlined,
  CarOutlined,
  FileTextOutlined,
  FormOutlined,
  GiftOutlined,
  PayCircleOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  ShoppingCartOutlined,
  ToolOutlined,
} from '@ant-design/icons';

/** icon names a form may carry (ApprovalForm.icon); anything else short (an emoji) is shown as it is */
export const FORM_ICONS: Record<string, ReactNode> = {
  form: <FormOutlined />,
  leave: <CalendarOutlined />,
  calendar: <CalendarOutlined />,
  expense: <PayCircleOutlined />,
  money: <PayCircleOutlined />,
  payment: <AccountBookOutlined />,
  seal: <SafetyCertificateOutlined />,
  stamp: <SafetyCertificateOutlined />,
  trip: <CarOutlined />,
  car: <CarOutlined />,
  purchase: <ShoppingCartOutlined />,
  overtime: <ScheduleOutlined />,
  gift: <GiftOutlined />,
  repair: <ToolOutlined />,
  file: <FileTextOutlined />,
};

/** A custom form's icon: a known name, an emoji, or the generic form icon. */
export function FormIcon({ icon }: { icon: string | null | undefined }) {
  const known = icon ? FORM_ICONS[icon] : undefined;
  if (known) return <>{known}</>;
  if (icon && [...icon].length <= 2) return <span>{icon}</span>;
  return <FormOutlined />;
}
