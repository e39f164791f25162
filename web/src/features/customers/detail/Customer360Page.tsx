import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { Button, Card, Descriptions, Flex, Result, Skeleton, Space, Tabs, Tag, Typography } from 'antd';
import { LockOutlined } from '@ant-design/icons';
import { useT } from '@web/app/i18n';
import { ApiError } from '@web/app/api';
import { formatDateTime } from '@web/app/format';
import { RecordHistory } from '@web/features/audit/RecordHistory';
import { LoadError } from '@web/app/StatusPages';
import type { CustomerDetail } from '../api';
import { useCustomer, useCustomer360 } from '../hooks';
import { CustomerFormDrawer } from '../form/CustomerFormDrawer';
import { StageTag } from '../shared/StageTag';
import { CustomerActions } from './CustomerActions';
import { ContactsTab } from './ContactsTab';
import { DetailsTab } from './DetailsTab';
import { FilesTab } from './FilesTab';
import { FollowUpsTab } from './FollowUpsTab';
import { OwnerHistoryTab } from './OwnerHistoryTab';
import { SchedulesTab } from './SchedulesTab';
import { ImportantDatesTab } from './ImportantDatesTab';
import { useCustomerLive } from './useCustomerLive';
import { TransferHeldTag } from './TransferRequests';

const TABS = ['details', 'contacts', 'followups', 'schedules', 'dates', 'owners', 'history', 'files'] as const;

/** /customers/:id — the customer 360° page: header with actions, then details, contacts, follow-ups and the rest in tabs. */
export function Customer360Page() {
  const t = useT();
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  // one request for the page; the record and each tab then start from its answer
  const overview = useCustomer360(id);
  const customer = useCustomer(overview.data ? id : undefined);
  const [editing, setEditing] = useState(false);
  const [writing, setWriting] = useState(false);
  useCustomerLive(id);
  const tabParam = params.get('tab');
  const tab = (TABS as readonly string[]).includes(tabParam ?? '') ? tabParam! : 'details';
  const setTab = (next: string) =>
    setParams(
      (prev) => {
        const p = new URLSearchParams(prev);
        if (next === 'details') p.delete('tab');
        else p.set('tab', next);
        return p;
      },
      { replace: true },
    );

  const failed = overview.error ?? customer.error;
  if (failed) {
    if (failed instanceof ApiError && failed.status === 404) {
      return (
        <Result
          status="404"
          title={t('customersui.detail.not_found')}
          extra={
            <Link to="/customers">
              <Button>{t('customersui.detail.back')}</Button>
            </Link>
          }
        />
      );
    }
    return <LoadError onRetry={() => void overview.refetch()} />;
  }
  if (!customer.data) return <Skeleton active />;
  const c = customer.data;

  const items = [
    { key: 'details', label: t('customersui.tab.details'), children: <DetailsTab customer={c} /> },
    { key: 'contacts', label: t('customersui.tab.contacts'), children: <ContactsTab customer={c} /> },
    {
      key: 'followups',
      label: t('customersui.tab.followups'),
      children: <FollowUpsTab customer={c} writing={writing} onWriting={setWriting} />,
    },
    { key: 'schedules', label: t('customersui.tab.schedules'), children: <SchedulesTab customer={c} /> },
    { key: 'dates', label: t('customersui.tab.dates'), children: <ImportantDatesTab customerId={c.id} canEdit={c.canEdit && !c.inPool} /> },
    { key: 'owners', label: t('customersui.tab.owners'), children: <OwnerHistoryTab customerId={c.id} /> },
    { key: 'history', label: t('customersui.tab.history'), children: <RecordHistory entity="customer" id={c.id} /> },
    { key: 'files', label: t('customersui.tab.files'), children: <FilesTab customerId={c.id} canEdit={c.canEdit && !c.inPool} /> },
  ];

  return (
    <>
      <Header
        customer={c}
        actions={
          <CustomerActions
            customer={c}
            onEdit={() => setEditing(true)}
            onFollowUp={() => {
              setTab('followups');
              setWriting(true);
            }}
          />
        }
      />
      <Card style={{ marginTop: 16 }}>
        <Tabs activeKey={tab} onChange={setTab} items={items} destroyOnHidden />
      </Card>
      <CustomerFormDrawer target={editing ? c.id : null} kind={c.kind} onClose={() => setEditing(false)} />
    </>
  );
}

function Header({ customer: c, actions }: { customer: CustomerDetail; actions: React.ReactNode }) {
  const t = useT();
  const f = (k: string) => t(`customer.field.${k}`);
  return (
    <Card>
      <Flex justify="space-between" align="start" gap={16} wrap>
        <Flex vertical gap={4}>
          <Space size={8} wrap>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="customer-name">
              {c.name}
            </Typography.Title>
            {c.code ? <Typography.Text type="secondary">{c.code}</Typography.Text> : null}
            <StageTag stage={c.stage} />
            {c.kind === 'partner' ? <Tag color="purple">{t('customer.kind.partner')}</Tag> : null}
            {c.inPool ? <Tag color="orange">{t('customer.owner.pool')}</Tag> : null}
            {c.inPool ? null : <TransferHeldTag customerId={c.id} />}
            {c.locked ? <LockOutlined title={f('locked')} /> : null}
          </Space>
        </Flex>
        <Flex gap={8} wrap>
          {actions}
        </Flex>
      </Flex>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, lg: 4 }}
        style={{ marginTop: 12 }}
        items={[
          { key: 'owner', label: f('ownerName'), children: c.inPool ? t('customer.owner.pool') : (c.ownerName ?? '—') },
          { key: 'dept', label: f('ownerDepartmentName'), children: c.ownerDepartmentName ?? '—' },
          { key: 'last', label: f('lastContactAt'), children: formatDateTime(c.lastContactAt) },
          { key: 'next', label: f('nextFollowUpAt'), children: formatDateTime(c.nextFollowUpAt) },
        ]}
      />
    </Card>
  );
}
