import { Flex, Steps, Tag, Typography } from 'antd';
import type { StepsProps } from 'antd';
import {
  BranchesOutlined,
  CheckCircleFilled,
  ClockCircleOutlined,
  CloseCircleFilled,
  FlagOutlined,
  MinusCircleOutlined,
  RollbackOutlined,
  SendOutlined,
  StopOutlined,
} from '@ant-design/icons';
import type { ApprovalDetail, ApproverSpec } from '@common/schemas/approvals';
import { formatDateTime } from '@web/app/format';
import { useT } from '@web/app/i18n';
import { buildChain, type ChainStep, type PointState } from './chain';
import { TaskTag } from './StatusTag';

type StepItem = NonNullable<StepsProps['items']>[number];

const STEP_STATUS: Record<PointState, StepItem['status']> = {
  done: 'finish',
  current: 'process',
  rejected: 'error',
  skipped: 'finish',
  waiting: 'wait',
};

/**
 * The approval chain as a vertical list of steps: 发起 → each point on the path taken (with its
 * approvers and their task status) → the outcome. `compact` leaves out comments and times (for a
 * document's own page).
 */
export function ApprovalChain({ detail: d, compact = false }: { detail: ApprovalDetail; compact?: boolean }) {
  const t = useT();
  const steps = buildChain(d);

  const approverText = (a: ApproverSpec) => t(`approvalscentre.approver.${a.kind}`, a.kind === 'users' ? { count: a.userIds.length } : {});

  const pointItem = (s: Extract<ChainStep, { kind: 'point' }>): StepItem => {
    const { node, tasks, state } = s;
    const content = (
      <Flex vertical gap={4} style={{ paddingBottom: 8 }}>
        {tasks.length === 0 ? (
          <Typography.Text type="secondary">
            {state === 'skipped'
              ? t('approvalscentre.chain.skipped')
              : node.approvers.map(approverText).join('、') || t('approvalscentre.chain.noApprover')}
          </Typography.Text>
        ) : (
          tasks.map((task) => (
            <Flex key={task.id} gap={8} align="baseline" wrap data-testid="chain-task">
              <Typography.Text>{task.approverName}</Typography.Text>
              <TaskTag status={task.status} />
              {!compact && task.actedAt ? <Typography.Text type="secondary">{formatDateTime(task.actedAt)}</Typography.Text> : null}
              {!compact && task.comment ? (
                <Typography.Text type="secondary" style={{ flexBasis: '100%' }}>
                  “{task.comment}”
                </Typography.Text>
              ) : null}
            </Flex>
          ))
        )}
      </Flex>
    );
    return {
      key: node.id,
      status: STEP_STATUS[state],
      icon: state === 'skipped' ? <MinusCircleOutlined /> : state === 'current' ? <ClockCircleOutlined /> : undefined,
      title: (
        <Flex gap={6} align="center" wrap>
          <span>{node.name}</span>
          {s.branchName ? (
            <Tag icon={<BranchesOutlined />} variant="filled" style={{ marginInlineEnd: 0 }}>
              {s.branchName}
            </Tag>
          ) : null}
        </Flex>
      ),
      // the mode matters only where several decide
      subTitle: tasks.length > 1 ? t(`approvalscentre.mode.${node.mode}`) : undefined,
      content,
    };
  };

  const items: StepItem[] = [
    {
      key: '$submit',
      status: 'finish',
      icon: <SendOutlined />,
      title: t('approvalscentre.chain.submitted'),
      content: (
        <Typography.Text type="secondary">
          {d.submitterName}
          {compact ? '' : ` · ${formatDateTime(d.createdAt)}`}
        </Typography.Text>
      ),
    },
    ...steps.map((s, i): StepItem =>
      s.kind === 'point'
        ? pointItem(s)
        : {
            key: `$branch${i}`,
            status: 'wait',
            icon: <BranchesOutlined />,
            title: t('approvalscentre.chain.branch'),
            content: <Typography.Text type="secondary">{s.names.join(' / ')}</Typography.Text>,
          },
    ),
    endItem(d, t),
  ];

  return (
    <div data-testid="approval-chain">
      <Steps orientation="vertical" size="small" items={items} />
    </div>
  );
}

const END_ICONS: Record<ApprovalDetail['status'], React.ReactNode> = {
  pending: <FlagOutlined />,
  approved: <CheckCircleFilled />,
  rejected: <CloseCircleFilled />,
  returned: <RollbackOutlined />,
  withdrawn: <StopOutlined />,
};

function endItem(d: ApprovalDetail, t: (k: string) => string): StepItem {
  const done = d.status !== 'pending';
  return {
    key: '$end',
    status: d.status === 'approved' ? 'finish' : d.status === 'rejected' ? 'error' : 'wait',
    icon: END_ICONS[d.status],
    title: t(`approvalscentre.chain.end.${d.status}`),
    content: done && d.finishedAt ? <Typography.Text type="secondary">{formatDateTime(d.finishedAt)}</Typography.Text> : undefined,
  };
}
