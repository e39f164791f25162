import { useState, type ReactNode } from 'react';
import { App, Button, Form, Modal, Typography } from 'antd';
import { useT } from '@web/app/i18n';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { UserPicker } from './UserPicker';

/** What a transfer answers: a success message, or a result the modal shows in place of the form (e.g. 已提交审批). */
export type TransferOutcome = string | { result: (close: () => void) => ReactNode };

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
  /** runs the transfer and returns the success message, or a result to show in the modal */
  transfer: (toUserId: string) => Promise<TransferOutcome>;
};

/** 移交: picks the user who takes over the chosen records (customers, leads …) and runs the transfer. */
export function TransferToUserModal({ open, onClose, onDone, title, toLabel, hint, excludeUserId, pending, transfer }: Props) {
  const t = useT();
  const { message } = App.useApp();
  const feedback = useFeedback();
  const [toUserId, setToUserId] = useState<string | null>(null);
  // a result shown in place of the form until the modal closes
  const [shown, setShown] = useState<Exclude<TransferOutcome, string> | null>(null);

  async function ok() {
    if (!toUserId) return;
    try {
      const outcome = await transfer(toUserId);
      if (typeof outcome === 'string') {
        void message.success(outcome);
        onDone?.();
        onClose();
      } else {
        // onDone waits for the close: it may unmount the modal (a list clearing its selection)
        setShown(outcome);
      }
    } catch (e) {
      feedback.failure(e);
    }
  }

  const close = () => {
    if (shown) onDone?.();
    onClose();
  };

  return (
    <Modal
      open={open}
      title={title}
      onCancel={close}
      onOk={() => void ok()}
      okButtonProps={{ disabled: !toUserId }}
      footer={shown ? <Button onClick={close}>{t('common.close')}</Button> : undefined}
      confirmLoading={pending}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      afterOpenChange={(o) => {
        if (!o) {
          setToUserId(null);
          setShown(null);
        }
      }}
      destroyOnHidden
    >
      {shown ? (
        shown.result(close)
      ) : (
        <>
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
        </>
      )}
    </Modal>
  );
}
