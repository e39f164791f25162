import { useState } from 'react';
import { useNavigate } from 'react-router';
import { App, Button, Dropdown, Input, Tooltip } from 'antd';
import type { MenuProps } from 'antd';
import { EditOutlined, MessageOutlined, MoreOutlined } from '@ant-design/icons';
import { useT } from '@web/app/i18n';
import { useCan } from '@web/app/auth';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { WriteMailButton } from '@web/features/mail/customer/WriteMailButton';
import type { Customer } from '../api';
import { TransferModal } from '../shared/TransferModal';
import { useCustomerMutations } from '../useCustomerMutations';
import { ReportModal } from './ReportModal';
import { useTransferHeld } from './TransferRequests';

type Props = { customer: Customer; onEdit: () => void; onFollowUp: () => void };

/** The 360° page's actions: 编辑, 写跟单, 写邮件, 放入公海 / 领取, 移交, 举报, 删除 — each only when the user may. */
export function CustomerActions({ customer: c, onEdit, onFollowUp }: Props) {
  const t = useT();
  const can = useCan();
  const navigate = useNavigate();
  const { modal, message } = App.useApp();
  const feedback = useFeedback();
  const { release, claim, remove } = useCustomerMutations();
  const [transferring, setTransferring] = useState(false);
  const [reporting, setReporting] = useState(false);
  // a transfer in approval holds the customer: release, transfer and delete wait for it
  const held = useTransferHeld(c.id, !c.inPool);
  const heldHint = held ? t('transferrequests.heldHint') : undefined;
  const heldLabel = (label: string) => (held ? <Tooltip title={heldHint}>{label}</Tooltip> : label);

  function confirmRelease() {
    let note = '';
    void modal.confirm({
      title: t('customersui.release.confirm', { name: c.name }),
      content: (
        <Input.TextArea
          placeholder={t('customersui.release.note')}
          maxLength={500}
          autoSize={{ minRows: 2 }}
          onChange={(e) => (note = e.target.value)}
        />
      ),
      okText: t('common.confirm'),
      cancelText: t('common.cancel'),
      onOk: () =>
        release.mutateAsync({ id: c.id, note: note.trim() || undefined }).then(
          () => void message.success(t('customersui.release.done')),
          (e: unknown) => feedback.failure(e),
        ),
    });
  }
  function confirmClaim() {
    void modal.confirm({
      title: t('customersui.claim.confirm', { name: c.name }),
      okText: t('common.confirm'),
      cancelText: t('common.cancel'),
      onOk: () =>
        claim.mutateAsync(c.id).then(
          () => void message.success(t('customersui.claim.done')),
          (e: unknown) => feedback.failure(e),
        ),
    });
  }
  function confirmDelete() {
    void modal.confirm({
      title: t('customersui.delete.confirm', { name: c.name }),
      content: t('customersui.delete.hint'),
      okText: t('common.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        remove.mutateAsync({ id: c.id, version: c.version }).then(
          () => {
            void message.success(t('customersui.delete.done'));
            void navigate(c.kind === 'partner' ? '/partners' : '/customers', { replace: true });
          },
          (e: unknown) => feedback.failure(e),
        ),
    });
  }

  const more: NonNullable<MenuProps['items']> = [
    ...(can('customers', 'transfer') && !c.inPool
      ? [{ key: 'transfer', label: heldLabel(t('customersui.action.transfer')), disabled: held }]
      : []),
    { key: 'report', label: t('customersui.action.report') },
    ...(can('customers', 'delete') && c.canEdit
      ? [{ type: 'divider' as const }, { key: 'delete', label: heldLabel(t('common.delete')), danger: true, disabled: held }]
      : []),
  ];
  const onMore = (key: string) => {
    if (key === 'transfer') setTransferring(true);
    else if (key === 'report') setReporting(true);
    else if (key === 'delete') confirmDelete();
  };

  return (
    <>
      {c.canEdit && (
        <Button icon={<EditOutlined />} onClick={onEdit}>
          {t('common.edit')}
        </Button>
      )}
      {can('followups', 'create') && !c.inPool && (
        <Button type="primary" icon={<MessageOutlined />} onClick={onFollowUp}>
          {t('customersui.action.follow_up')}
        </Button>
      )}
      {!c.inPool && <WriteMailButton customerId={c.id} />}
      {c.inPool
        ? // whoever may enter customers may claim one (the server checks the same right and the caps)
          can('customers', 'create') && (
            <Button type="primary" onClick={confirmClaim} loading={claim.isPending}>
              {t('customersui.action.claim')}
            </Button>
          )
        : c.canEdit && (
            <Tooltip title={heldHint}>
              <Button onClick={confirmRelease} disabled={held}>
                {t('customersui.action.release')}
              </Button>
            </Tooltip>
          )}
      <Dropdown trigger={['click']} menu={{ items: more, onClick: ({ key }) => onMore(key) }}>
        <Button icon={<MoreOutlined />} aria-label={t('customersui.action.more')} />
      </Dropdown>
      <TransferModal ids={[c.id]} open={transferring} onClose={() => setTransferring(false)} excludeUserId={c.ownerId} />
      <ReportModal customer={c} open={reporting} onClose={() => setReporting(false)} />
    </>
  );
}
