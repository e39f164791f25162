import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { Button, Card, Col, Descriptions, Flex, Result, Row, Skeleton, Space, Tag, Typography } from 'antd';
import { LinkOutlined } from '@ant-design/icons';
import type { ApprovalDetail } from '@common/schemas/approvals';
import { ApiError } from '@web/app/api';
import { formatDateTime } from '@web/app/format';
import { useT } from '@web/app/i18n';
import { LoadError } from '@web/app/StatusPages';
import { ActionHistory } from '../shared/ActionHistory';
import { ApprovalChain } from '../shared/ApprovalChain';
import { StatusTag } from '../shared/StatusTag';
import { approvalKeys, useApproval } from '../shared/api';
import { useMe } from '@web/app/auth';
import { ActionModal, type ActionKind } from './ActionModal';
import { DocumentFields } from './DocumentFields';
import { ResubmitModal } from './ResubmitModal';

/** /approvals/:id — one approval: header, the document's values, the chain, the history, cc, and the actions the caller may take. */
export function ApprovalDetailPage() {
  const t = useT();
  const { id = '' } = useParams();
  const q = useApproval(id);
  const qc = useQueryClient();
  const me = useMe();
  const copiedToMe = !!q.data?.cc.some((c) => c.userId === me.user.id);
  // opening a copy marks it read on the server: the unread count and the cc box follow
  useEffect(() => {
    if (!copiedToMe) return;
    void qc.invalidateQueries({ queryKey: approvalKeys.counts });
    void qc.invalidateQueries({ queryKey: approvalKeys.lists });
  }, [copiedToMe, id, qc]);

  if (q.error) {
    if (q.error instanceof ApiError && q.error.status === 404)
      return (
        <Result
          status="404"
          title={t('approvalscentre.detail.notFound')}
          extra={
            <Link to="/approvals">
              <Button>{t('approvalscentre.backToCentre')}</Button>
            </Link>
          }
        />
      );
    return <LoadError onRetry={() => void q.refetch()} />;
  }
  if (!q.data) return <Skeleton active />;
  const d = q.data;

  return (
    <Flex vertical gap={16}>
      <Header detail={d} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Flex vertical gap={16}>
            <Card title={t('approvalscentre.detail.fields')} size="small">
              <DocumentFields detail={d} />
            </Card>
            <Card title={t('approvalscentre.detail.history', { count: d.actions.length })} size="small">
              <ActionHistory detail={d} />
            </Card>
          </Flex>
        </Col>
        <Col xs={24} lg={10}>
          <Flex vertical gap={16}>
            <Card
              title={t('approvalscentre.detail.chain')}
              size="small"
              extra={
                <Typography.Text type="secondary">
                  {t('approvalscentre.detail.flow', { name: d.flowName, version: d.definitionVersion })}
                </Typography.Text>
              }
            >
              <ApprovalChain detail={d} />
            </Card>
            {d.cc.length ? (
              <Card title={t('approvalscentre.detail.cc')} size="small">
                <Flex gap={8} wrap data-testid="approval-cc">
                  {d.cc.map((c) => (
                    <Tag key={c.userId} color={c.readAt ? 'default' : 'blue'} variant="filled">
                      {c.userName} · {t(c.readAt ? 'approvalscentre.cc.read' : 'approvalscentre.cc.unread')}
                    </Tag>
                  ))}
                </Flex>
              </Card>
            ) : null}
          </Flex>
        </Col>
      </Row>
    </Flex>
  );
}

function Header({ detail: d }: { detail: ApprovalDetail }) {
  const t = useT();
  // the kind stays while the dialog closes, so its title does not change during the motion
  const [acting, setActing] = useState<{ kind: ActionKind; open: boolean }>({ kind: 'approve', open: false });
  const [resubmitting, setResubmitting] = useState(false);
  const buttons: { kind: ActionKind; allowed: boolean; primary?: boolean; danger?: boolean }[] = [
    { kind: 'approve', allowed: d.can.approve, primary: true },
    { kind: 'reject', allowed: d.can.reject, danger: true },
    { kind: 'transfer', allowed: d.can.transfer },
    { kind: 'add-approver', allowed: d.can.addApprover },
    { kind: 'withdraw', allowed: d.can.withdraw, danger: true },
  ];
  return (
    <Card>
      <Flex justify="space-between" align="start" gap={16} wrap>
        <Flex vertical gap={8} style={{ minWidth: 0 }}>
          <Space size={8} wrap>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="approval-title">
              {d.title}
            </Typography.Title>
            <StatusTag status={d.status} />
          </Space>
          <Descriptions
            size="small"
            column={{ xs: 1, sm: 2, md: 4 }}
            items={[
              { key: 'type', label: t('approvalscentre.col.type'), children: d.typeLabel },
              { key: 'submitter', label: t('approvalscentre.col.submitter'), children: d.submitterName },
              { key: 'created', label: t('approvalscentre.col.createdAt'), children: formatDateTime(d.createdAt) },
              ...(d.status === 'pending' && d.currentNodeName
                ? [
                    {
                      key: 'current',
                      label: t('approvalscentre.col.current'),
                      children: `${d.currentNodeName}（${d.currentApprovers.join('、')}）`,
                    },
                  ]
                : d.finishedAt
                  ? [{ key: 'finished', label: t('approvalscentre.col.finishedAt'), children: formatDateTime(d.finishedAt) }]
                  : []),
            ]}
          />
          {d.documentLink ? (
            <Link to={d.documentLink}>
              <LinkOutlined /> {t('approvalscentre.detail.document')}
            </Link>
          ) : null}
        </Flex>
        <Flex gap={8} wrap data-testid="approval-actions">
          {buttons
            .filter((b) => b.allowed)
            .map((b) => (
              <Button
                key={b.kind}
                type={b.primary ? 'primary' : 'default'}
                danger={b.danger}
                onClick={() => setActing({ kind: b.kind, open: true })}
              >
                {t(`approvalscentre.act.${b.kind}`)}
              </Button>
            ))}
          {d.can.resubmit ? (
            <Button type="primary" onClick={() => setResubmitting(true)}>
              {t('approvalscentre.act.resubmit')}
            </Button>
          ) : null}
        </Flex>
      </Flex>
      <ActionModal detail={d} kind={acting.kind} open={acting.open} onClose={() => setActing((a) => ({ ...a, open: false }))} />
      <ResubmitModal detail={d} open={resubmitting} onClose={() => setResubmitting(false)} />
    </Card>
  );
}
