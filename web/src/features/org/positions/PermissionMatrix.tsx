import { Checkbox, Select, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ACTIONS, MODULES, SCOPES, type ModuleDef, type PositionPermissions } from '@common/permissions';
import { useT } from '@web/app/i18n';
import { setAction, setAllActions, setScope } from './permissionDraft';

type Props = { value: PositionPermissions; onChange: (next: PositionPermissions) => void; readOnly: boolean };

/** Module × action checkboxes with a data-scope select per scoped module. */
export function PermissionMatrix({ value, onChange, readOnly }: Props) {
  const t = useT();
  const granted = (m: ModuleDef) => value.modules[m.key]?.actions ?? [];

  const columns: TableColumnsType<ModuleDef> = [
    {
      title: t('perm.module'),
      key: 'module',
      fixed: 'left',
      width: 140,
      render: (_, m) => <Typography.Text strong>{t(`module.${m.key}`)}</Typography.Text>,
    },
    {
      title: t('perm.all'),
      key: 'all',
      width: 64,
      align: 'center',
      render: (_, m) => {
        const n = granted(m).length;
        return (
          <Checkbox
            aria-label={t('perm.all_of', { module: t(`module.${m.key}`) })}
            checked={n === m.actions.length}
            indeterminate={n > 0 && n < m.actions.length}
            disabled={readOnly}
            onChange={(e) => onChange(setAllActions(value, m, e.target.checked))}
          />
        );
      },
    },
    ...ACTIONS.map((action) => ({
      title: t(`action.${action}`),
      key: action,
      width: 64,
      align: 'center' as const,
      render: (_: unknown, m: ModuleDef) =>
        m.actions.includes(action) ? (
          <Checkbox
            aria-label={`${t(`module.${m.key}`)} ${t(`action.${action}`)}`}
            checked={granted(m).includes(action)}
            disabled={readOnly}
            onChange={(e) => onChange(setAction(value, m, action, e.target.checked))}
          />
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    })),
    {
      title: t('perm.scope'),
      key: 'scope',
      width: 170,
      render: (_, m) =>
        m.scoped ? (
          <Select
            size="small"
            style={{ width: 150 }}
            aria-label={t('perm.scope_of', { module: t(`module.${m.key}`) })}
            value={value.modules[m.key]?.scope}
            placeholder={t('perm.scope_none')}
            disabled={readOnly || !value.modules[m.key]}
            options={SCOPES.map((s) => ({ value: s, label: t(`scope.${s}`) }))}
            onChange={(s) => onChange(setScope(value, m, s))}
          />
        ) : (
          <Typography.Text type="secondary">{t('perm.not_scoped')}</Typography.Text>
        ),
    },
  ];

  return (
    <Table<ModuleDef>
      rowKey="key"
      size="small"
      bordered
      pagination={false}
      columns={columns}
      dataSource={[...MODULES]}
      scroll={{ x: 'max-content' }}
    />
  );
}
