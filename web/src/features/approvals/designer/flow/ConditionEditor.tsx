import { Button, Card, Divider, Flex, Select, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { Condition, ConditionGroup, ConditionOp, FlowFieldDef } from '@common/schemas/approvals';
import { useT } from '@web/app/i18n';
import { defaultValue, isListOp, newCondition, opsFor } from './conditions';
import { ConditionValueInput } from './ConditionValueInput';

type Props = {
  fields: FlowFieldDef[];
  value: ConditionGroup | null;
  onChange: (v: ConditionGroup) => void;
  /** what an empty editor means here (every document / condition not set yet) */
  emptyText: string;
};

const K = 'approvalsdesigner.cond';

/** whether a value typed for one operator still fits the other (a number for > and ≥, a list for in and not in) */
const sameShape = (a: ConditionOp, b: ConditionOp) =>
  a !== 'exceeds_position_limit' && b !== 'exceeds_position_limit' && isListOp(a) === isListOp(b);

/** OR-groups of AND rows "field / operator / value" over the type's fields. */
export function ConditionEditor({ fields, value, onChange, emptyText }: Props) {
  const t = useT();
  const groups = value?.any ?? [];
  const set = (next: Condition[][]) => onChange({ any: next.filter((g) => g.length > 0) });
  const first = fields[0];

  if (!first) return <Typography.Text type="secondary">{t(`${K}.no_fields`)}</Typography.Text>;

  return (
    <Flex vertical gap={8}>
      {groups.length === 0 && <Typography.Text type="secondary">{emptyText}</Typography.Text>}
      {groups.map((group, gi) => (
        <div key={gi}>
          {gi > 0 && (
            <Divider plain style={{ margin: '4px 0 12px' }}>
              {t(`${K}.or_divider`)}
            </Divider>
          )}
          <Card size="small" title={t(`${K}.group`, { n: gi + 1 })} aria-label={t(`${K}.group`, { n: gi + 1 })}>
            <Flex vertical gap={8}>
              {group.map((c, ri) => (
                <ConditionRow
                  key={ri}
                  fields={fields}
                  value={c}
                  first={ri === 0}
                  onChange={(row) => set(groups.map((g, i) => (i === gi ? g.map((r, j) => (j === ri ? row : r)) : g)))}
                  onRemove={() => set(groups.map((g, i) => (i === gi ? g.filter((_, j) => j !== ri) : g)))}
                />
              ))}
              <div>
                <Button
                  size="small"
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => set(groups.map((g, i) => (i === gi ? [...g, newCondition(first)] : g)))}
                  disabled={group.length >= 20}
                >
                  {t(`${K}.add_and`)}
                </Button>
              </div>
            </Flex>
          </Card>
        </div>
      ))}
      <div>
        <Button icon={<PlusOutlined />} onClick={() => set([...groups, [newCondition(first)]])} disabled={groups.length >= 10}>
          {groups.length === 0 ? t(`${K}.add_first`) : t(`${K}.add_or`)}
        </Button>
      </div>
    </Flex>
  );
}

function ConditionRow({
  fields,
  value,
  first,
  onChange,
  onRemove,
}: {
  fields: FlowFieldDef[];
  value: Condition;
  first: boolean;
  onChange: (c: Condition) => void;
  onRemove: () => void;
}) {
  const t = useT();
  const field = fields.find((f) => f.key === value.field);
  const ops = field ? opsFor(field) : [value.op];
  return (
    <Flex gap={8} wrap align="flex-start">
      <Typography.Text type="secondary" style={{ width: 24, lineHeight: '32px' }}>
        {first ? '' : t(`${K}.and_word`)}
      </Typography.Text>
      <Select
        aria-label={t(`${K}.field`)}
        style={{ width: 160 }}
        value={value.field}
        status={field ? undefined : 'error'}
        options={fields.map((f) => ({ value: f.key, label: f.label }))}
        onChange={(key: string) => {
          const f = fields.find((x) => x.key === key);
          if (f) onChange(newCondition(f));
        }}
      />
      <Select
        aria-label={t(`${K}.operator`)}
        style={{ width: 180 }}
        value={value.op}
        options={ops.map((op) => ({ value: op, label: t(`approvalsdesigner.op.${op}`) }))}
        onChange={(op: ConditionOp) =>
          field && onChange({ ...value, op, value: sameShape(value.op, op) ? value.value : defaultValue(field, op) })
        }
      />
      {field && (
        <div style={{ flex: 1, minWidth: value.op === 'exceeds_position_limit' ? '100%' : 180 }}>
          <ConditionValueInput field={field} op={value.op} value={value.value} onChange={(v) => onChange({ ...value, value: v })} />
        </div>
      )}
      <Button type="text" danger icon={<DeleteOutlined />} aria-label={t(`${K}.remove_row`)} onClick={onRemove} />
    </Flex>
  );
}
