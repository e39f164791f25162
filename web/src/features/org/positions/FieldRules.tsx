import { Radio, Table, Typography } from 'antd';
import { FIELD_RULES, MODULES, type FieldRule, type PositionPermissions } from '@common/permissions';
import { useT } from '@web/app/i18n';
import { setFieldRule } from './permissionDraft';

type Props = { value: PositionPermissions; onChange: (next: PositionPermissions) => void; readOnly: boolean };
type Row = { key: string; module: string; field: string };

const ROWS: Row[] = MODULES.flatMap((m) => m.sensitiveFields.map((field) => ({ key: `${m.key}.${field}`, module: m.key, field })));

/** Per sensitive field: visible and editable (none), hidden, or read-only for this position. */
export function FieldRules({ value, onChange, readOnly }: Props) {
  const t = useT();
  if (!ROWS.length) return <Typography.Text type="secondary">{t('perm.no_sensitive_fields')}</Typography.Text>;
  return (
    <Table<Row>
      rowKey="key"
      size="small"
      bordered
      pagination={false}
      dataSource={ROWS}
      columns={[
        { title: t('perm.module'), dataIndex: 'module', width: 140, render: (m: string) => t(`module.${m}`) },
        { title: t('perm.field'), dataIndex: 'field', width: 160, render: (f: string, r) => t(`field.${r.module}.${f}`) },
        {
          title: t('perm.field_rule'),
          key: 'rule',
          render: (_, r) => (
            <Radio.Group
              disabled={readOnly}
              value={value.fields[r.key] ?? 'none'}
              onChange={(e) =>
                onChange(setFieldRule(value, r.module, r.field, e.target.value === 'none' ? null : (e.target.value as FieldRule)))
              }
              options={[
                { value: 'none', label: t('perm.rule.none') },
                ...FIELD_RULES.map((rule) => ({ value: rule, label: t(`perm.rule.${rule}`) })),
              ]}
            />
          ),
        },
      ]}
    />
  );
}
