import { useMemo } from 'react';
import { DatePicker, Input, InputNumber, Select, TreeSelect } from 'antd';
import dayjs from 'dayjs';
import type { Condition, ConditionOp, FlowFieldDef } from '@common/schemas/approvals';
import { useT } from '@web/app/i18n';
import { useDepartments, usePositions } from '@web/features/org/shared/hooks';
import { treeSelectData } from '@web/features/org/shared/tree';
import { UserPicker } from '@web/features/org/shared/UserPicker';
import { MultiUserPicker } from '../MultiUserPicker';
import { isListOp, valueKind } from './conditions';
import { useNames } from './names';
import { PositionLimitsInput, type PositionLimits } from './PositionLimitsInput';

type Scalar = string | number | boolean;
type Props = { field: FlowFieldDef; op: ConditionOp; value: Condition['value']; onChange: (v: Condition['value']) => void };

const K = 'approvalsdesigner.cond';
const asList = (v: Condition['value']): Scalar[] => (Array.isArray(v) ? v : []);
const asScalar = (v: Condition['value']): Scalar | undefined => (Array.isArray(v) || typeof v === 'object' ? undefined : v);
const asNumber = (v: Condition['value']) => (typeof v === 'number' ? v : null);

/** The value input of a condition row; the field's kind and the operator decide which one. */
export function ConditionValueInput({ field, op, value, onChange }: Props) {
  const t = useT();
  const label = t(`${K}.value`);
  const width = { width: '100%' };
  if (op === 'exceeds_position_limit') {
    const v = typeof value === 'object' && !Array.isArray(value) ? (value as PositionLimits) : { limits: {}, default: 0 };
    return <PositionLimitsInput kind={field.kind} value={v} onChange={onChange} />;
  }
  const list = isListOp(op);
  switch (valueKind(field)) {
    case 'money': {
      const fen = asNumber(value);
      return (
        <InputNumber
          aria-label={label}
          style={width}
          min={0}
          precision={2}
          value={fen === null ? null : fen / 100}
          onChange={(yuan) => onChange(Math.round((yuan ?? 0) * 100))}
          suffix={t(`${K}.yuan_unit`)}
        />
      );
    }
    case 'number':
      return <InputNumber aria-label={label} style={width} value={asNumber(value)} onChange={(n) => onChange(n ?? 0)} />;
    case 'percent':
      return (
        <InputNumber
          aria-label={label}
          style={width}
          min={0}
          max={100}
          value={asNumber(value)}
          onChange={(n) => onChange(n ?? 0)}
          suffix="%"
        />
      );
    case 'date': {
      const s = asScalar(value);
      return (
        <DatePicker
          aria-label={label}
          style={width}
          value={typeof s === 'string' && s ? dayjs(s) : null}
          onChange={(d) => onChange(d ? d.format('YYYY-MM-DD') : '')}
        />
      );
    }
    case 'boolean':
      return (
        <Select
          aria-label={label}
          style={width}
          value={asScalar(value) === false ? 'false' : 'true'}
          onChange={(v) => onChange(v === 'true')}
          options={[
            { value: 'true', label: t('common.yes') },
            { value: 'false', label: t('common.no') },
          ]}
        />
      );
    case 'select': {
      const options = (field.options ?? []).map((o) => ({ value: o, label: o }));
      return list ? (
        <Select aria-label={label} style={width} mode="multiple" options={options} value={asList(value)} onChange={onChange} />
      ) : (
        <Select aria-label={label} style={width} options={options} value={asScalar(value) || undefined} onChange={onChange} />
      );
    }
    case 'department':
      return <DepartmentValue multiple={list} value={value} onChange={onChange} />;
    case 'position':
      return <PositionValue multiple={list} value={value} onChange={onChange} />;
    case 'user':
      return list ? (
        <MultiUserPicker aria-label={label} style={width} value={asList(value).map(String)} onChange={onChange} />
      ) : (
        <UserValue value={value} onChange={onChange} />
      );
    case 'text':
      return list ? (
        <Select
          aria-label={label}
          style={width}
          mode="tags"
          open={false}
          value={asList(value).map(String)}
          onChange={onChange}
          placeholder={t(`${K}.tags_hint`)}
        />
      ) : (
        <Input aria-label={label} value={String(asScalar(value) ?? '')} onChange={(e) => onChange(e.target.value)} maxLength={200} />
      );
  }
}

function UserValue({ value, onChange }: { value: Condition['value']; onChange: (v: string) => void }) {
  const names = useNames();
  const id = asScalar(value);
  return (
    <UserPicker
      value={typeof id === 'string' && id ? id : null}
      currentName={typeof id === 'string' ? names.users.get(id) : undefined}
      onChange={(v) => onChange(v ?? '')}
      style={{ width: '100%' }}
    />
  );
}

function DepartmentValue({
  multiple,
  value,
  onChange,
}: {
  multiple: boolean;
  value: Condition['value'];
  onChange: (v: Condition['value']) => void;
}) {
  const t = useT();
  const { data } = useDepartments();
  const tree = useMemo(() => treeSelectData(data ?? []), [data]);
  return (
    <TreeSelect
      aria-label={t(`${K}.value`)}
      style={{ width: '100%' }}
      treeData={tree}
      treeDefaultExpandAll
      multiple={multiple}
      showSearch
      treeNodeFilterProp="title"
      value={multiple ? asList(value).map(String) : (asScalar(value) as string) || undefined}
      onChange={(v: string | string[]) => onChange(v ?? (multiple ? [] : ''))}
    />
  );
}

function PositionValue({
  multiple,
  value,
  onChange,
}: {
  multiple: boolean;
  value: Condition['value'];
  onChange: (v: Condition['value']) => void;
}) {
  const t = useT();
  const { data } = usePositions();
  const options = (data ?? []).map((p) => ({ value: p.id, label: p.name }));
  return (
    <Select
      aria-label={t(`${K}.value`)}
      style={{ width: '100%' }}
      mode={multiple ? 'multiple' : undefined}
      options={options}
      showSearch={{ optionFilterProp: 'label' }}
      value={multiple ? asList(value).map(String) : (asScalar(value) as string) || undefined}
      onChange={(v: string | string[]) => onChange(v)}
    />
  );
}
