import { Flex, Timeline, Typography } from 'antd';
import { PaperClipOutlined } from '@ant-design/icons';
import type { ActionKind, ApprovalActionView, ApprovalDetail, FlowNode } from '@common/schemas/approvals';
import { formatDateTime } from '@web/app/format';
import { useT, type TFunction } from '@web/app/i18n';

const COLORS: Partial<Record<ActionKind, string>> = {
  submit: 'blue',
  resubmit: 'blue',
  approve: 'green',
  auto_approve: 'green',
  reject: 'red',
  return: 'orange',
  withdraw: 'gray',
  escalate: 'orange',
  remind: 'gray',
  skip: 'gray',
  cc: 'gray',
};

/** The download URL of a stored file (GET /files/:id streams it to whoever may see the instance). */
export const fileUrl = (id: string) => `/api/v1/files/${encodeURIComponent(id)}`;

/** Names of users and points an action's detail refers to by id, from the instance itself. */
type Names = { user: (id: string) => string; node: (id: string) => string };

function namesOf(d: ApprovalDetail): Names {
  const users = new Map<string, string>();
  for (const t of d.tasks) users.set(t.approverId, t.approverName);
  for (const c of d.cc) users.set(c.userId, c.userName);
  for (const a of d.actions) if (a.actorId && a.actorName) users.set(a.actorId, a.actorName);
  const nodes = new Map<string, string>();
  const walk = (list: FlowNode[]) =>
    list.forEach((n) => (n.kind === 'point' ? nodes.set(n.id, n.name) : n.branches.forEach((b) => walk(b.nodes))));
  walk(d.definition.nodes);
  return { user: (id) => users.get(id) ?? id, node: (id) => nodes.get(id) ?? id };
}

/** 离职交接: the admin handed a leaver's task over (a transfer by someone else than the approver) */
const isHandover = (a: ApprovalActionView) => a.action === 'transfer' && a.detail?.reason === 'handover';

/** What an action's detail adds: the hand-over target, the added approvers, the point sent back to, the cc users, why it was skipped. */
function detailText(a: ApprovalActionView, t: TFunction, names: Names): string | null {
  const d = a.detail ?? {};
  const str = (k: string) => (typeof d[k] === 'string' && d[k] ? (d[k] as string) : null);
  const ids = (k: string) => (Array.isArray(d[k]) ? (d[k] as unknown[]).filter((x): x is string => typeof x === 'string') : []);
  const users = (k: string) => ids(k).map(names.user).join('、');
  if (str('reason') === 'no_approver')
    return t(`approvalscentre.history.noApprover.${a.action === 'escalate' ? 'escalate' : a.action === 'skip' ? 'skip' : 'reject'}`);
  if (isHandover(a)) {
    const [from, to] = [str('from'), str('to')];
    return from && to ? t('approvalscentre.history.handover', { from: names.user(from), to: names.user(to) }) : null;
  }
  switch (a.action) {
    case 'transfer': {
      const to = str('to');
      return to ? t('approvalscentre.history.transferTo', { name: names.user(to) }) : null;
    }
    case 'add_approver':
      return ids('userIds').length
        ? t(str('where') === 'before' ? 'approvalscentre.history.addBefore' : 'approvalscentre.history.addAfter', {
            names: users('userIds'),
          })
        : null;
    case 'reject': {
      const to = str('to');
      return to && to !== 'end' && to !== 'submitter' ? t('approvalscentre.history.rejectTo', { name: names.node(to) }) : null;
    }
    case 'cc':
      return ids('userIds').length ? t('approvalscentre.history.ccTo', { names: users('userIds') }) : null;
    case 'escalate':
      return ids('to').length ? t('approvalscentre.history.escalateTo', { name: users('to') }) : null;
    default:
      return null;
  }
}

/** 审批记录: every action on the instance in order — who, what, at which point, comment, attachments, when. */
export function ActionHistory({ detail, compact = false }: { detail: ApprovalDetail; compact?: boolean }) {
  const t = useT();
  const { actions } = detail;
  const names = namesOf(detail);
  if (!actions.length) return <Typography.Text type="secondary">{t('approvalscentre.history.empty')}</Typography.Text>;
  return (
    <div data-testid="approval-history">
      <Timeline
        items={actions.map((a) => {
          const extra = detailText(a, t, names);
          return {
            key: a.id,
            color: COLORS[a.action] ?? 'blue',
            content: (
              <Flex vertical gap={2}>
                <Flex gap={8} wrap align="baseline">
                  <Typography.Text strong>{a.actorName ?? t('approvalscentre.history.system')}</Typography.Text>
                  <Typography.Text>{t(`approvalscentre.action.${isHandover(a) ? 'handover' : a.action}`)}</Typography.Text>
                  {a.nodeName ? <Typography.Text type="secondary">{a.nodeName}</Typography.Text> : null}
                  <Typography.Text type="secondary" style={{ marginInlineStart: 'auto' }}>
                    {formatDateTime(a.at)}
                  </Typography.Text>
                </Flex>
                {extra ? <Typography.Text type="secondary">{extra}</Typography.Text> : null}
                {a.comment ? <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{a.comment}</Typography.Paragraph> : null}
                {!compact && a.attachments.length ? (
                  <Flex gap={12} wrap>
                    {a.attachments.map((f) => (
                      <a key={f.id} href={fileUrl(f.id)} target="_blank" rel="noreferrer">
                        <PaperClipOutlined /> {f.name}
                      </a>
                    ))}
                  </Flex>
                ) : null}
              </Flex>
            ),
          };
        })}
      />
    </div>
  );
}
