import { Tag } from 'antd';
import { useCustomerSettings } from '../hooks';

const COLORS = ['default', 'blue', 'green', 'gold', 'purple', 'cyan', 'magenta', 'orange'];

/** A lifecycle stage (目标 / 意向 / 成交 / VIP…) as a tag, coloured by its place in the settings. */
export function StageTag({ stage }: { stage: string | null | undefined }) {
  const { data } = useCustomerSettings();
  if (!stage) return null;
  const index = data?.stages.findIndex((s) => s.key === stage) ?? -1;
  const label = index >= 0 ? data!.stages[index].label : stage;
  return <Tag color={COLORS[Math.max(0, index) % COLORS.length]}>{label}</Tag>;
}
