import { App, Form, Input, Modal, Radio } from 'antd';
import { useT } from '@web/app/i18n';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { REPORT_KINDS, type Customer, type ReportKind } from '../api';
import { CustomerPicker } from '../shared/CustomerPicker';
import { useCustomerMutations } from '../useCustomerMutations';

type Values = { kind: ReportKind; targetCustomerId?: string | null; note: string };

/** 举报: flag this customer as a duplicate (of which), wrongly categorised, wrongly owned or other; admins work the queue. */
export function ReportModal({ customer, open, onClose }: { customer: Customer; open: boolean; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const feedback = useFeedback();
  const { report } = useCustomerMutations();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);

  async function submit(v: Values) {
    try {
      await report.mutateAsync({
        customerId: customer.id,
        kind: v.kind,
        note: v.note.trim(),
        ...(v.kind === 'duplicate' && v.targetCustomerId ? { targetCustomerId: v.targetCustomerId } : {}),
      });
      void message.success(t('customersui.report.done'));
      onClose();
    } catch (e) {
      feedback.failure(e, form);
    }
  }

  return (
    <Modal
      open={open}
      title={t('customersui.report.title', { name: customer.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={report.isPending}
      okText={t('customersui.report.submit')}
      cancelText={t('common.cancel')}
      destroyOnHidden
    >
      <Form form={form} name="report" layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ kind: 'duplicate' }}>
        <Form.Item name="kind" label={t('reports.kind')}>
          <Radio.Group options={REPORT_KINDS.map((k) => ({ value: k, label: t(`reports.kind.${k}`) }))} />
        </Form.Item>
        {kind === 'duplicate' && (
          <Form.Item
            name="targetCustomerId"
            label={t('customersui.report.target')}
            rules={[{ required: true, message: t('customersui.form.required') }]}
          >
            <CustomerPicker excludeId={customer.id} />
          </Form.Item>
        )}
        <Form.Item
          name="note"
          label={t('customersui.report.note')}
          rules={[{ required: true, whitespace: true, message: t('customersui.form.required') }, { max: 500 }]}
        >
          <Input.TextArea autoSize={{ minRows: 3 }} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
