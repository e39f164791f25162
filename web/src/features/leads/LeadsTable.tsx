import { Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { Link } from 'react-router';
import { useT } from '@web/app/i18n';
import { formatDateTime } from '@web/app/format';
import { useSettingLabel } from '@web/features/customers/hooks';
import { STATUS_COLORS, type Lead } from './api';

type Props = {
  leads: Lead[];
  loading: boolean;
  selected: string[];
  onSelect?: (ids: string[]) => void;
};

/** A lead's field as shown in a list: 无权查看 when a field rule hides it. */
export function useLeadValue() {
  const t = useT();
  return (lead: Lead, field: keyof Lead) => {
    if (lead.hiddenFields.includes(field)) return <Typography.Text type="secondary">{t('customer.hidden')}</Typography.Text>;
    const v = lead[field];
    return v === null || v === undefined || v === '' ? '—' : String(v);
  };
}

/** The leads list: name opens the lead; status, owner, contact times. */
export function LeadsTable({ leads, loading, selected, onSelect }: Props) {
  const t = useT();
  const label = useSettingLabel();
  const value = useLeadValue();
  const columns: TableColumnsType<Lead> = [
    {
      title: t('leads.field.name'),
      dataIndex: 'name',
      fixed: 'left',
      width: 140,
      render: (name: string, l) => <Link to={`/leads/${l.id}`}>{name}</Link>,
    },
    { title: t('leads.field.company'), dataIndex: 'company', ellipsis: true, render: (v: string | null) => v || '—' },
    { title: t('leads.field.mobile'), key: 'mobile', width: 140, render: (_, l) => value(l, 'mobile') },
    {
      title: t('leads.field.status'),
      dataIndex: 'status',
      width: 100,
      render: (s: Lead['status']) => <Tag color={STATUS_COLORS[s]}>{t(`leads.status.${s}`)}</Tag>,
    },
    { title: t('leads.field.source'), dataIndex: 'source', width: 110, render: (v: string | null) => label('sources', v) || '—' },
    { title: t('leads.field.owner'), dataIndex: 'ownerName', width: 110, render: (v: string | null) => v || '—' },
    { title: t('leads.field.lastContactAt'), dataIndex: 'lastContactAt', width: 150, render: formatDateTime },
    { title: t('leads.field.nextFollowUpAt'), dataIndex: 'nextFollowUpAt', width: 150, render: formatDateTime },
    { title: t('leads.field.createdAt'), dataIndex: 'createdAt', width: 150, render: formatDateTime },
  ];
  return (
    <Table<Lead>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={leads}
      columns={columns}
      pagination={false}
      scroll={{ x: 1100 }}
      locale={{ emptyText: t('leads.empty') }}
      rowSelection={
        onSelect ? { selectedRowKeys: selected, onChange: (keys) => onSelect(keys.map(String)), preserveSelectedRowKeys: false } : undefined
      }
      data-testid="leads-table"
    />
  );
}
