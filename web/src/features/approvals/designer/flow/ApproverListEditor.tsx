import { Button, Card, Flex, InputNumber, Radio, Select, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { ApproverKind, ApproverSpec } from '@common/schemas/approvals';
import { useT } from '@web/app/i18n';
import { usePositions } from '@web/features/org/shared/hooks';
import { useApprovalPositions } from '../api';
import { MultiUserPicker } from '../MultiUserPicker';

export const APPROVER_KINDS: ApproverKind[] = ['approval_position', 'users', 'supervisor', 'supervisor_chain', 'department_head', 'role'];

const K = 'approvalsdesigner.approver';

/** A spec of `kind` with nothing chosen yet (ids empty: the validator flags them until picked). */
function freshSpec(kind: ApproverKind): ApproverSpec {
  switch (kind) {
    case 'approval_position':
      return { kind, positionId: '' };
    case 'users':
      return { kind, userIds: [] };
    case 'supervisor':
    case 'department_head':
      return { kind };
    case 'supervisor_chain':
      return { kind, levels: 2 };
    case 'role':
      return { kind, positionId: '' };
  }
}

type Props = {
  value: ApproverSpec[];
  onChange: (v: ApproverSpec[]) => void;
  max: number;
  addLabel: string;
  emptyText: string;
};

/** Any number of approver specs (审批职位, 指定成员, 直属上级, 多级上级, 部门负责人, 角色), each with its own input. */
export function ApproverListEditor({ value, onChange, max, addLabel, emptyText }: Props) {
  const t = useT();
  return (
    <Flex vertical gap={8}>
      {value.length === 0 && <Typography.Text type="secondary">{emptyText}</Typography.Text>}
      {value.map((spec, i) => (
        <Card key={i} size="small" aria-label={t(`${K}.row`, { n: i + 1 })}>
          <Flex gap={8} align="flex-start">
            <Flex vertical gap={8} style={{ flex: 1 }}>
              <Select
                aria-label={t(`${K}.kind`)}
                value={spec.kind}
                options={APPROVER_KINDS.map((k) => ({ value: k, label: t(`${K}.kind.${k}`) }))}
                onChange={(k: ApproverKind) => onChange(value.map((s, j) => (j === i ? freshSpec(k) : s)))}
              />
              <SpecInput spec={spec} onChange={(s) => onChange(value.map((x, j) => (j === i ? s : x)))} />
            </Flex>
            <Button
              type="text"
              danger
              icon={<DeleteOutlined />}
              aria-label={t(`${K}.remove`, { n: i + 1 })}
              onClick={() => onChange(value.filter((_, j) => j !== i))}
            />
          </Flex>
        </Card>
      ))}
      <div>
        <Button
          type="dashed"
          icon={<PlusOutlined />}
          disabled={value.length >= max}
          onClick={() => onChange([...value, freshSpec('approval_position')])}
        >
          {addLabel}
        </Button>
      </div>
    </Flex>
  );
}

function SpecInput({ spec, onChange }: { spec: ApproverSpec; onChange: (s: ApproverSpec) => void }) {
  const t = useT();
  const approvalPositions = useApprovalPositions();
  const positions = usePositions();
  const positionOptions = (positions.data ?? []).map((p) => ({ value: p.id, label: p.name }));
  switch (spec.kind) {
    case 'approval_position':
      return (
        <Select
          aria-label={t(`${K}.kind.approval_position`)}
          placeholder={t(`${K}.pick_approval_position`)}
          value={spec.positionId || undefined}
          status={spec.positionId ? undefined : 'error'}
          loading={approvalPositions.isLoading}
          showSearch={{ optionFilterProp: 'label' }}
          options={(approvalPositions.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
          onChange={(positionId: string) => onChange({ ...spec, positionId })}
          notFoundContent={t(`${K}.no_approval_positions`)}
        />
      );
    case 'users':
      return (
        <MultiUserPicker
          aria-label={t(`${K}.kind.users`)}
          value={spec.userIds}
          status={spec.userIds.length ? undefined : 'error'}
          onChange={(userIds) => onChange({ ...spec, userIds })}
        />
      );
    case 'role':
      return (
        <Select
          aria-label={t(`${K}.kind.role`)}
          placeholder={t(`${K}.pick_position`)}
          value={spec.positionId || undefined}
          status={spec.positionId ? undefined : 'error'}
          loading={positions.isLoading}
          showSearch={{ optionFilterProp: 'label' }}
          options={positionOptions}
          onChange={(positionId: string) => onChange({ ...spec, positionId })}
        />
      );
    case 'supervisor_chain': {
      const byPosition = spec.untilPositionId !== undefined;
      return (
        <Flex vertical gap={8}>
          <Radio.Group
            value={byPosition ? 'position' : 'levels'}
            onChange={(e) =>
              onChange(e.target.value === 'position' ? { kind: spec.kind, untilPositionId: '' } : { kind: spec.kind, levels: 2 })
            }
            options={[
              { value: 'levels', label: t(`${K}.chain.by_levels`) },
              { value: 'position', label: t(`${K}.chain.by_position`) },
            ]}
          />
          {byPosition ? (
            <Select
              aria-label={t(`${K}.chain.by_position`)}
              placeholder={t(`${K}.pick_position`)}
              value={spec.untilPositionId || undefined}
              status={spec.untilPositionId ? undefined : 'error'}
              showSearch={{ optionFilterProp: 'label' }}
              options={positionOptions}
              onChange={(untilPositionId: string) => onChange({ kind: spec.kind, untilPositionId })}
            />
          ) : (
            <InputNumber
              aria-label={t(`${K}.chain.by_levels`)}
              min={1}
              max={10}
              precision={0}
              value={spec.levels ?? 1}
              onChange={(n) => onChange({ kind: spec.kind, levels: n ?? 1 })}
              prefix={t(`${K}.chain.levels_prefix`)}
              suffix={t(`${K}.chain.levels_suffix`)}
              style={{ width: 200 }}
            />
          )}
        </Flex>
      );
    }
    case 'supervisor':
    case 'department_head':
      return <Typography.Text type="secondary">{t(`${K}.hint.${spec.kind}`)}</Typography.Text>;
  }
}
