import { Flex, InputNumber, Table, Typography } from 'antd';
import type { FlowFieldKind } from '@common/schemas/approvals';
import { useT } from '@web/app/i18n';
import { usePositions } from '@web/features/org/shared/hooks';

export type PositionLimits = { limits: Record<string, number>; default: number };

type Props = { kind: FlowFieldKind; value: PositionLimits; onChange: (v: PositionLimits) => void };

const K = 'approvalsdesigner.cond.limits';

/**
 * 折扣超出职位权限: the limit of every org position (empty = the default below); the condition holds when
 * the document's value exceeds the limit of the submitter's position. Money limits are typed in 元.
 */
export function PositionLimitsInput({ kind, value, onChange }: Props) {
  const t = useT();
  const { data: positions, isLoading } = usePositions();
  const money = kind === 'money';
  const show = (n: number | undefined) => (n === undefined ? null : money ? n / 100 : n);
  const store = (n: number | null) => (n === null ? undefined : money ? Math.round(n * 100) : n);
  const suffix = money ? t('approvalsdesigner.cond.yuan_unit') : kind === 'percent' ? '%' : undefined;

  function setLimit(positionId: string, n: number | null) {
    const limits = { ...value.limits };
    const v = store(n);
    if (v === undefined) delete limits[positionId];
    else limits[positionId] = v;
    onChange({ ...value, limits });
  }

  return (
    <Flex vertical gap={8} style={{ width: '100%' }}>
      <Table
        size="small"
        rowKey="id"
        loading={isLoading}
        pagination={false}
        dataSource={positions ?? []}
        scroll={{ y: 240 }}
        columns={[
          { title: t(`${K}.position`), dataIndex: 'name' },
          {
            title: t(`${K}.limit`),
            key: 'limit',
            width: 180,
            render: (_, p) => (
              <InputNumber
                size="small"
                aria-label={t(`${K}.limit_of`, { name: p.name })}
                style={{ width: '100%' }}
                min={0}
                precision={money ? 2 : undefined}
                value={show(value.limits[p.id])}
                placeholder={t(`${K}.use_default`)}
                onChange={(n) => setLimit(p.id, n)}
                suffix={suffix}
              />
            ),
          },
        ]}
      />
      <Flex align="center" gap={8}>
        <Typography.Text>{t(`${K}.default`)}</Typography.Text>
        <InputNumber
          size="small"
          aria-label={t(`${K}.default`)}
          min={0}
          precision={money ? 2 : undefined}
          value={show(value.default)}
          onChange={(n) => onChange({ ...value, default: store(n) ?? 0 })}
          suffix={suffix}
        />
      </Flex>
    </Flex>
  );
}
