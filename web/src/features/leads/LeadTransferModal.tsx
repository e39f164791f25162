import { useState } from 'react';
import { App, Form, Modal } from 'antd';
import { useT } from '@web/app/i18n';
import { UserPicker } from '@web/features/org/shared/UserPicker';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { useLeadMutations } from './api';

type Props = { ids: string[]; open: boolean; onClose: () => void; onDone?: () => void };

/** 移交: gives the chosen leads (with their open schedules) to another user. */
export function LeadTransferModal({ ids, open, onClose, onDone }: Props) {
  const t = useT();
  const { message } = App.useApp();
  const feedback = useFeedback();
  const { transfer } = useLeadMutations();
  const [toUserId, setToUserId] = useState<string | null>(null);

  async function ok() {
    if (!toUserId) return;
    try {
      const r = await transfer.mutateAsync({ ids, toUserId });
      void message.success(t('leads.transfer.done', { count: r.moved }));
      onDone?.();
      onClose();
    } catch (e) {
      feedback.failure(e);
    }
  }

  return (
    <Modal
      open={open}
      title={t('leads.transfer')}
      onCancel={onClose}
      onOk={() => void ok()}
      okButtonProps={{ disabled: !toUserId }}
      confirmLoading={transfer.isPending}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      afterOpenChange={(o) => !o && setToUserId(null)}
      destroyOnHidden
    >
      <Form layout="vertical">
        <Form.Item label={t('leads.transfer.to')} required>
          <UserPicker value={toUserId} onChange={setToUserId} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
