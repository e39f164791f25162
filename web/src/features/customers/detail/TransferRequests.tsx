import { Card, Collapse, Flex, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { CustomerTransferRequest } from '@common/schemas/pool';
import { get } from '@web/app/api';
import { useT } from '@web/app/i18n';
import { formatDateTime } from '@web/app/format';
import { useRealtime } from '@web/app/realtime';
import { ApprovalHistory } from '@web/features/approvals/shared/ApprovalHistory';
import { customerKeys } from '../api';

/**
 * 移交申请 of a customer: transfers that went to approval (GET /customers/:id/transfer-requests).
 * A pending or returned one holds the customer (no transfer, release or delete until it ends).
 */

const STATUS_COLOR: Record<CustomerTransferRequest['status'], string> = {
  pending: 'processing',
  returned: 'warning',
  approved: 'success',
  rejected: 'error',
  withdrawn: 'default',
};

/** The customer's transfer requests, newest first; refreshed when one of them changes status. */
export function useTransferRequests(customerId: string, enabled = true) {
  const qc = useQueryClient();
  useRealtime('approval', (data) => {
    // an approval of a transfer ended or came back: the owner may have changed too
    if ((data as { type?: string } | undefined)?.type === 'customer_transfer')
      void qc.invalidateQueries({ queryKey: customerKeys.one(customerId) });
  });
  return useQuery({
    queryKey: customerKeys.sub(customerId, 'transferRequests'),
    queryFn: () => get<{ items: CustomerTransferRequest[] }>(`/customers/${customerId}/transfer-requests`).then((r) => r.items),
    enabled,
  });
}

const holds = (r: CustomerTransferRequest) => r.status === 'pending' || r.status === 'returned';

/**
 * Whether a pending or returned transfer request holds the customer: its 放入公海, 移交 and 删除
 * wait for the approval (the server refuses them with approval_document_locked).
 */
export function useTransferHeld(customerId: string, enabled = true): boolean {
  return !!useTransferRequests(customerId, enabled).data?.some(holds);
}

/** 移交审批中: shown in the page header while a request holds the customer. */
export function TransferHeldTag({ customerId }: { customerId: string }) {
  const t = useT();
  const requests = useTransferRequests(customerId);
  const held = requests.data?.find(holds);
  if (!held) return null;
  const tag = (
    <Tag color="processing" data-testid="transfer-held">
      {t('transferrequests.held')}
    </Tag>
  );
  return held.approvalId ? <Link to={`/approvals/${held.approvalId}`}>{tag}</Link> : tag;
}

/**
 * The 移交申请 list of the owner-history tab: one panel per request (the newest open), each with
 * its approval history; a panel's history loads when it is opened.
 */
export function TransferRequestsSection({ customerId }: { customerId: string }) {
  const t = useT();
  const requests = useTransferRequests(customerId);
  const items = requests.data ?? [];
  if (!items.length) return null;
  return (
    <Card size="small" title={t('transferrequests.section')} style={{ marginBottom: 16 }} data-testid="transfer-requests">
      <Collapse
        size="small"
        ghost
        defaultActiveKey={[items[0].id]}
        items={items.map((r) => ({
          key: r.id,
          label: (
            <Space wrap>
              <Tag color={STATUS_COLOR[r.status]}>{t(`transferrequests.status.${r.status}`)}</Tag>
              <Typography.Text>
                {t('transferrequests.summary', { submitter: r.submitterName ?? '—', count: r.customerCount, to: r.toName ?? '—' })}
              </Typography.Text>
              <Typography.Text type="secondary">{formatDateTime(r.createdAt)}</Typography.Text>
            </Space>
          ),
          children: (
            <Flex vertical gap={8}>
              {r.fromName ? <Typography.Text type="secondary">{t('transferrequests.from', { name: r.fromName })}</Typography.Text> : null}
              {r.note ? <Typography.Text type="secondary">{r.note}</Typography.Text> : null}
              {r.result ? <ResultLine result={r.result} /> : null}
              {r.approvalId ? <ApprovalHistory documentType="customer_transfer" documentId={r.id} /> : null}
            </Flex>
          ),
        }))}
      />
    </Card>
  );
}

function ResultLine({ result }: { result: NonNullable<CustomerTransferRequest['result']> }) {
  const t = useT();
  return (
    <Typography.Text>
      {t('transferrequests.moved', { count: result.transferred })}
      {result.skipped.length ? (
        <Typography.Text type="warning">
          {' '}
          {t('transferrequests.skipped', { count: result.skipped.length })}
          {result.skipped
            .map((s) => t('transferrequests.skip.item', { name: s.name, reason: t(`transferrequests.skip.${s.reason}`) }))
            .join(' ')}
        </Typography.Text>
      ) : null}
    </Typography.Text>
  );
}
