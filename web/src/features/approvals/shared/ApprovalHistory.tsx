import { Link } from 'react-router';
import { Alert, Card, Collapse, Empty, Flex, Skeleton, Typography } from 'antd';
import { formatDateTime } from '@web/app/format';
import { useT } from '@web/app/i18n';
import { ActionHistory } from './ActionHistory';
import { ApprovalChain } from './ApprovalChain';
import { useApproval, useDocumentApprovals } from './api';
import { StatusTag } from './StatusTag';

/**
 * A document's approvals on its own page (e.g. a customer transfer on the customer page): the
 * newest instance's status, chain and history, compactly, with a link to its detail page; earlier
 * instances listed below it. Kept current by the shell's live updates (useApprovalLive).
 */
export function ApprovalHistory({
  documentType,
  documentId,
  title,
}: {
  documentType: string;
  documentId: string;
  title?: React.ReactNode;
}) {
  const t = useT();
  const list = useDocumentApprovals(documentType, documentId);
  const newest = list.data?.[0];
  const detail = useApproval(newest?.id);

  let body: React.ReactNode;
  if (list.isPending || (newest && detail.isPending)) body = <Skeleton active />;
  else if (list.isError || detail.isError) body = <Alert type="error" showIcon title={(list.error ?? detail.error)?.message} />;
  else if (!newest || !detail.data) body = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('approvalscentre.history.none')} />;
  else {
    const d = detail.data;
    const older = list.data.slice(1);
    body = (
      <Flex vertical gap={12}>
        <Flex gap={8} align="center" wrap>
          <StatusTag status={d.status} />
          <Link to={`/approvals/${d.id}`}>{d.title}</Link>
          <Typography.Text type="secondary">
            {d.submitterName} · {formatDateTime(d.createdAt)}
          </Typography.Text>
        </Flex>
        <ApprovalChain detail={d} compact />
        <Collapse
          size="small"
          items={[
            {
              key: 'history',
              label: t('approvalscentre.detail.history', { count: d.actions.length }),
              children: <ActionHistory detail={d} compact />,
            },
            ...(older.length
              ? [
                  {
                    key: 'older',
                    label: t('approvalscentre.history.older', { count: older.length }),
                    children: (
                      <Flex vertical gap={6}>
                        {older.map((o) => (
                          <Flex key={o.id} gap={8} align="center" wrap>
                            <StatusTag status={o.status} />
                            <Link to={`/approvals/${o.id}`}>{o.title}</Link>
                            <Typography.Text type="secondary">{formatDateTime(o.createdAt)}</Typography.Text>
                          </Flex>
                        ))}
                      </Flex>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Flex>
    );
  }
  return (
    <Card size="small" title={title ?? t('approvalscentre.history.title')} data-testid="document-approvals">
      {body}
    </Card>
  );
}
