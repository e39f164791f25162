import { useEffect } from 'react';
import { App, Form, Input, Modal, Radio } from 'antd';
import type { ApprovalDetail } from '@common/schemas/approvals';
import { ApiError } from '@web/app/api';
import { showServerErrors } from '@web/app/forms';
import { useT } from '@web/app/i18n';
import { useMe } from '@web/app/auth';
import { UserPicker } from '@web/features/org/shared/UserPicker';
import { AttachmentsInput, type Attached } from '../shared/AttachmentsInput';
import { UsersPicker } from '../shared/UsersPicker';
import { useApprovalAction, type ApprovalAction } from '../shared/api';

export type ActionKind = 'approve' | 'reject' | 'transfer' | 'add-approver' | 'withdraw';

type Values = {
  comment?: string;
  attachments?: Attached[];
  to?: string;
  toUserId?: string | null;
  userIds?: string[];
  where?: 'before' | 'after';
};

/** codes after which what the page shows is out of date: the page refetches and the dialog closes */
const STALE = new Set(['approval_already_decided', 'approval_not_pending', 'approval_not_allowed', 'stale_version', 'not_found']);

/** The dialog of one action (同意, 驳回, 转交, 加签, 撤回): comment, attachments and what the action needs. */
export function ActionModal({
  detail: d,
  kind,
  open,
  onClose,
}: {
  detail: ApprovalDetail;
  kind: ActionKind;
  open: boolean;
  onClose: () => void;
}) {
  const t = useT();
  const me = useMe();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const action = useApprovalAction(d.id);

  useEffect(() => {
    if (open) form.resetFields();
  }, [open, kind, form]);

  const toAction = (v: Values): ApprovalAction => {
    const comment = v.comment?.trim() || null;
    const attachments = (v.attachments ?? []).map((a) => a.id);
    switch (kind) {
      case 'approve':
        return { kind, body: { comment, attachments } };
      case 'reject':
        return { kind, body: { comment, attachments, to: v.to ?? 'end' } };
      case 'transfer':
        return { kind, body: { toUserId: v.toUserId!, comment, attachments } };
      case 'add-approver':
        return { kind, body: { userIds: v.userIds ?? [], where: v.where ?? 'after', comment, attachments } };
      case 'withdraw':
        return { kind, body: { comment } };
    }
  };

  const onOk = async () => {
    const v = await form.validateFields();
    action.mutate(toAction(v), {
      onSuccess: () => {
        void message.success(t(`approvalscentre.done.${kind}`));
        onClose();
      },
      onError: (e) => {
        if (e instanceof ApiError && STALE.has(e.problem.code)) {
          void message.warning(e.message);
          onClose();
          return;
        }
        const rest = showServerErrors(form, e, ['comment', 'attachments', 'to', 'toUserId', 'userIds', 'where']);
        if (rest) void message.error(rest);
      },
    });
  };

  const rejectTargets = [
    { value: 'end', label: t('approvalscentre.reject.end') },
    { value: 'submitter', label: t('approvalscentre.reject.submitter') },
    ...d.rejectTargets.map((p) => ({ value: p.id, label: t('approvalscentre.reject.point', { name: p.name }) })),
  ];

  return (
    <Modal
      open={open}
      title={t(`approvalscentre.act.${kind}`)}
      okText={t(`approvalscentre.act.${kind}`)}
      okButtonProps={{ danger: kind === 'reject' || kind === 'withdraw', loading: action.isPending }}
      cancelText={t('common.cancel')}
      onOk={() => void onOk()}
      onCancel={onClose}
      destroyOnHidden
      forceRender
    >
      <Form<Values>
        form={form}
        name="approval-action"
        layout="vertical"
        initialValues={{ to: 'end', where: 'after' }}
        data-testid="action-form"
      >
        {kind === 'reject' ? (
          <Form.Item name="to" label={t('approvalscentre.reject.to')}>
            <Radio.Group options={rejectTargets} style={{ display: 'flex', flexDirection: 'column', gap: 6 }} />
          </Form.Item>
        ) : null}
        {kind === 'transfer' ? (
          <Form.Item
            name="toUserId"
            label={t('approvalscentre.transfer.to')}
            rules={[{ required: true, message: t('approvalscentre.transfer.required') }]}
          >
            <UserPicker style={{ width: '100%' }} excludeIds={[me.user.id]} />
          </Form.Item>
        ) : null}
        {kind === 'add-approver' ? (
          <>
            <Form.Item
              name="userIds"
              label={t('approvalscentre.add.users')}
              rules={[{ required: true, message: t('approvalscentre.add.required') }]}
            >
              <UsersPicker excludeIds={[me.user.id]} maxCount={10} />
            </Form.Item>
            <Form.Item name="where" label={t('approvalscentre.add.where')}>
              <Radio.Group
                options={[
                  { value: 'before', label: t('approvalscentre.add.before') },
                  { value: 'after', label: t('approvalscentre.add.after') },
                ]}
              />
            </Form.Item>
          </>
        ) : null}
        <Form.Item name="comment" label={t('approvalscentre.comment')}>
          <Input.TextArea
            autoSize={{ minRows: 3, maxRows: 8 }}
            maxLength={1000}
            showCount
            placeholder={t('approvalscentre.commentPlaceholder')}
          />
        </Form.Item>
        {kind !== 'withdraw' ? (
          <Form.Item name="attachments" label={t('approvalscentre.attachments')}>
            <AttachmentsInput />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}
