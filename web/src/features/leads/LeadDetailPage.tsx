import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert, App, Button, Card, Descriptions, Result, Skeleton, Space, Tabs, Tag, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, UserAddOutlined } from '@ant-design/icons';
import { useT } from '@web/app/i18n';
import { useCan } from '@web/app/auth';
import { ApiError } from '@web/app/api';
import { formatDateTime } from '@web/app/format';
import { PageHeader } from '@web/app/PageHeader';
import { LoadError } from '@web/app/StatusPages';
import { RecordHistory } from '@web/features/audit/RecordHistory';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { useSettingLabel } from '@web/features/customers/hooks';
import { formatCustomValue } from '@web/features/customers/shared/customValue';
import { STATUS_COLORS, useLead, useLeadCustomFields, useLeadMutations, type Lead } from './api';
import { ConvertLeadModal } from './ConvertLeadModal';
import { LeadFollowUps } from './LeadFollowUps';
import { LeadFormDrawer } from './LeadFormDrawer';
import { useLeadValue } from './LeadsTable';

/** /leads/:id — a lead: its details, follow-ups and history; edit, convert to a customer, delete. */
export function LeadDetailPage() {
  const t = useT();
  const can = useCan();
  const navigate = useNavigate();
  const { modal } = App.useApp();
  const feedback = useFeedback();
  const { id = '' } = useParams();
  const lead = useLead(id);
  const { remove } = useLeadMutations();
  const [editing, setEditing] = useState(false);
  const [converting, setConverting] = useState(false);

  if (lead.isLoading) return <Skeleton active />;
  if (lead.isError) {
    if (lead.error instanceof ApiError && lead.error.status === 404)
      return (
        <Result
          status="404"
          title={t('salesui.leads.not_found')}
          extra={
            <Link to="/leads">
              <Button>{t('salesui.leads.back')}</Button>
            </Link>
          }
        />
      );
    return <LoadError onRetry={() => void lead.refetch()} />;
  }
  const l = lead.data!;
  const converted = l.status === 'converted';

  const confirmDelete = () =>
    modal.confirm({
      title: t('salesui.leads.delete_confirm', { name: l.name }),
      okText: t('common.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        remove.mutateAsync(l.id).then(
          () => {
            feedback.success('salesui.leads.deleted', { name: l.name });
            void navigate('/leads');
          },
          (e: unknown) => feedback.failure(e),
        ),
    });

  return (
    <>
      <PageHeader
        title={
          <Space>
            {l.name}
            <Tag color={STATUS_COLORS[l.status]}>{t(`leads.status.${l.status}`)}</Tag>
          </Space>
        }
        subTitle={l.company ?? undefined}
        extra={
          <>
            {l.canEdit && (
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
                {t('common.edit')}
              </Button>
            )}
            {l.canEdit && can('customers', 'create') && (
              <Button type="primary" icon={<UserAddOutlined />} onClick={() => setConverting(true)}>
                {t('leads.convert')}
              </Button>
            )}
            {can('leads', 'delete') && !converted && (
              <Button danger icon={<DeleteOutlined />} onClick={confirmDelete}>
                {t('common.delete')}
              </Button>
            )}
          </>
        }
      />
      {converted && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('leads.readonly')}
          description={
            l.convertedCustomerId ? (
              <Link to={`/customers/${l.convertedCustomerId}`}>
                {t('salesui.leads.open_customer', { name: l.convertedCustomerName ?? '' })}
              </Link>
            ) : null
          }
        />
      )}
      <Card>
        <Tabs
          items={[
            { key: 'details', label: t('salesui.leads.tab.details'), children: <LeadDetails lead={l} /> },
            {
              key: 'followups',
              label: t('salesui.leads.tab.follow_ups'),
              children: <LeadFollowUps leadId={l.id} mayWrite={!converted && can('followups', 'create')} />,
            },
            { key: 'history', label: t('salesui.leads.tab.history'), children: <RecordHistory entity="lead" id={l.id} /> },
          ]}
        />
      </Card>
      <LeadFormDrawer target={editing ? l.id : null} onClose={() => setEditing(false)} />
      <ConvertLeadModal lead={l} open={converting} onClose={() => setConverting(false)} />
    </>
  );
}

function LeadDetails({ lead: l }: { lead: Lead }) {
  const t = useT();
  const label = useSettingLabel();
  const value = useLeadValue();
  const custom = useLeadCustomFields();
  const plain = (v: string | null) => v || '—';
  return (
    <Descriptions column={{ xs: 1, md: 2, xl: 3 }} size="small" data-testid="lead-details">
      <Descriptions.Item label={t('leads.field.name')}>{l.name}</Descriptions.Item>
      <Descriptions.Item label={t('leads.field.company')}>{plain(l.company)}</Descriptions.Item>
      <Descriptions.Item label={t('leads.field.title')}>{plain(l.title)}</Descriptions.Item>
      <Descriptions.Item label={t('leads.field.mobile')}>{value(l, 'mobile')}</Descriptions.Item>
      <Descriptions.Item label={t('leads.field.phone')}>{value(l, 'phone')}</Descriptions.Item>
      <Descriptions.Item label={t('leads.field.email')}>{value(l, 'email')}</Descriptions.Item>
      <Descriptions.Item label={t('leads.field.wechat')}>{plain(l.wechat)}</Descriptions.Item>
      <Descriptions.Item label={t('leads.field.source')}>{label('sources', l.source) || '—'}</Descriptions.Item>
      <Descriptions.Item label={t('leads.field.industry')}>{label('industries', l.industry) || '—'}</Descriptions.Item>
      <Descriptions.Item label={t('leads.field.regionCode')}>{plain(l.regionName)}</Descriptions.Item>
      <Descriptions.Item label={t('leads.field.address')}>{plain(l.address)}</Descriptions.Item>
      <Descriptions.Item label={t('leads.field.owner')}>
        {l.ownerName ? `${l.ownerName}${l.ownerDepartmentName ? `（${l.ownerDepartmentName}）` : ''}` : '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('leads.field.lastContactAt')}>{formatDateTime(l.lastContactAt)}</Descriptions.Item>
      <Descriptions.Item label={t('leads.field.nextFollowUpAt')}>{formatDateTime(l.nextFollowUpAt)}</Descriptions.Item>
      <Descriptions.Item label={t('leads.field.createdAt')}>
        {formatDateTime(l.createdAt)} {l.createdByName ?? ''}
      </Descriptions.Item>
      {l.convertedAt && <Descriptions.Item label={t('leads.field.convertedAt')}>{formatDateTime(l.convertedAt)}</Descriptions.Item>}
      {(custom.data ?? []).map((f) => (
        <Descriptions.Item key={f.key} label={f.label}>
          {formatCustomValue(t, f, l.custom?.[f.key]) || '—'}
        </Descriptions.Item>
      ))}
      <Descriptions.Item label={t('leads.field.notes')} span="filled">
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{plain(l.notes)}</Typography.Paragraph>
      </Descriptions.Item>
    </Descriptions>
  );
}
