import { Link, useNavigate } from 'react-router';
import { Alert, Badge, Button, Flex, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { formatDateTime } from '@web/app/format';
import { useT } from '@web/app/i18n';
import { StatusTag } from '../shared/StatusTag';
import { useApprovalList, type ApprovalListItem, type Box, type ListFilters } from '../shared/api';

/** One box of the approval centre: a table of instances with "load more" (keyset cursor). */
export function ApprovalList({ box, filters }: { box: Box; filters: ListFilters }) {
  const t = useT();
  const navigate = useNavigate();
  const list = useApprovalList(box, filters);
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  const columns: TableColumnsType<ApprovalListItem> = [
    {
      title: t('approvalscentre.col.title'),
      key: 'title',
      render: (_, r) => (
        <Flex gap={6} align="center">
          {box === 'cc' && r.read === false ? <Badge status="processing" title={t('approvalscentre.cc.unread')} /> : null}
          <Link to={`/approvals/${r.id}`} style={{ fontWeight: box === 'cc' && r.read === false ? 600 : undefined }}>
            {r.title}
          </Link>
        </Flex>
      ),
    },
    { title: t('approvalscentre.col.type'), dataIndex: 'typeLabel', width: 130 },
    { title: t('approvalscentre.col.submitter'), dataIndex: 'submitterName', width: 110 },
    {
      title: t('approvalscentre.col.current'),
      key: 'current',
      width: 220,
      render: (_, r) =>
        r.status === 'pending' && r.currentNodeName ? (
          <Flex vertical>
            <Typography.Text>{r.currentNodeName}</Typography.Text>
            {r.currentApprovers.length ? (
              <Typography.Text type="secondary" ellipsis style={{ maxWidth: 210 }}>
                {r.currentApprovers.join('、')}
              </Typography.Text>
            ) : null}
          </Flex>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    { title: t('approvalscentre.col.status'), dataIndex: 'status', width: 100, render: (_, r) => <StatusTag status={r.status} /> },
    {
      title: t(box === 'done' ? 'approvalscentre.col.updatedAt' : 'approvalscentre.col.createdAt'),
      key: 'time',
      width: 150,
      render: (_, r) => formatDateTime(box === 'done' ? r.updatedAt : r.createdAt),
    },
  ];

  return (
    <Flex vertical gap={12}>
      {list.isError ? <Alert type="error" showIcon title={list.error.message} /> : null}
      <Table<ApprovalListItem>
        rowKey="id"
        size="middle"
        loading={list.isPending}
        dataSource={rows}
        columns={columns}
        pagination={false}
        scroll={{ x: 900 }}
        onRow={(r) => ({ onClick: () => void navigate(`/approvals/${r.id}`), style: { cursor: 'pointer' } })}
        locale={{ emptyText: t(`approvalscentre.empty.${box}`) }}
      />
      {list.hasNextPage ? (
        <Flex justify="center">
          <Button loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {t('common.loadMore')}
          </Button>
        </Flex>
      ) : null}
    </Flex>
  );
}
