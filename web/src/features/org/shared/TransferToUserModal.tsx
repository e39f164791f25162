import { useState } from 'react';
import { App, Form, Modal, Typography } from 'antd';
import { useT } from '@web/app/i18n';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { UserPicker } from './UserPicker';

type Props = {
  open: boolean;
  onClose: () => void;
  onDone?: () => void;
  title: string;
  /** label of the user field */
  toLabel: string;
  hint?: string;
  excludeUserId?: string | null;
  pending: boolean;
  /** runs the transfer and returns the success message */
  transfer: (toUserId: string) => Promise<string>;
};

/** 移交: picks the user who takes over the chosen records (customers, leads …) and runs the transfer. */
export function TransferToUserModal({ open, onClose, onDone, title, toLabel, hint, excludeUserId, pending, transfer }: Props) {
  const t = useT();
  const { message } = App.useApp();
  const feedback = useFeedback();
  const [toUserId, setToUserId] = useState<string | null>(null);

  async function ok() {
    if (!toUserId) return;
    try {
      void message.success(await transfer(toUserId));
      onDone?.();
      onClose();
    } catch (e) {
      feedback.failure(e);
    }
  }

  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      onOk={() => void ok()}
      okButtonProps={{ disabled: !toUserId }}
      confirmLoading={pending}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      afterOpenChange={(o) => !o && setToUserId(null)}
      destroyOnHidden
    >
      {hint ? <Typography.Paragraph type="secondary">{hint}</Typography.Paragraph> : null}
      <Form layout="vertical">
        <Form.Item label={toLabel} required>
          <UserPicker
            value={toUserId}
            onChange={setToUserId}
            excludeIds={excludeUserId ? [excludeUserId] : undefined}
            style={{ width: '100%' }}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
