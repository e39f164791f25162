import { useState } from 'react';
import { App, Form, Modal, Typography } from 'antd';
import { useT } from '@web/app/i18n';
import { UserPicker } from '@web/features/org/shared/UserPicker';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { useCustomerMutations } from '../useCustomerMutations';

type Props = { ids: string[]; open: boolean; onClose: () => void; onDone?: () => void; excludeUserId?: string | null };

/** 移交: moves customers (with their contacts and open follow-ups) to another user. */
export function TransferModal({ ids, open, onClose, onDone, excludeUserId }: Props) {
  const t = useT();
  const { message } = App.useApp();
  const feedback = useFeedback();
  const { transfer } = useCustomerMutations();
  const [toUserId, setToUserId] = useState<string | null>(null);

  async function ok() {
    if (!toUserId) return;
    try {
      const result = await transfer.mutateAsync({ ids, toUserId });
      void message.success(t('customersui.transfer.done', { count: result.done }));
      onDone?.();
      onClose();
    } catch (e) {
      feedback.failure(e);
    }
  }

  return (
    <Modal
      open={open}
      title={t('customersui.action.transfer')}
      onCancel={onClose}
      onOk={() => void ok()}
      okButtonProps={{ disabled: !toUserId }}
      confirmLoading={transfer.isPending}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      afterOpenChange={(o) => !o && setToUserId(null)}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('customersui.transfer.hint', { count: ids.length })}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={t('customersui.transfer.to')} required>
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
