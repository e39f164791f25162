import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, App, Checkbox, Form, Input, Modal, Select, Typography } from 'antd';
import { useT } from '@web/app/i18n';
import { ApiError } from '@web/app/api';
import { useCustomerSettings } from '@web/features/customers/hooks';
import { useLeadMutations, type Lead } from './api';

type Values = {
  name: string;
  category?: string;
  stage?: string;
  importance?: string;
  createContact: boolean;
  /** asked only when the lead lacks them (the required-fields rule may want them) */
  phone?: string;
  mobile?: string;
  email?: string;
};
type Problem = { title: string; detail?: string; duplicate: boolean };

/** Field errors the server may name (on the customer or its first contact) → this form's field. */
const FIELD_OF: Record<string, keyof Values> = {
  name: 'name',
  'customer.name': 'name',
  category: 'category',
  stage: 'stage',
  importance: 'importance',
  phones: 'phone',
  'customer.phones': 'phone',
  'contacts.0.email': 'email',
  'contact.email': 'email',
  'contacts.0.mobile': 'mobile',
  'contact.mobile': 'mobile',
};

/**
 * 转为客户: the customer's name, category, stage and importance (what the required-fields rule usually
 * asks for) and whether the person becomes its contact. A duplicate (409 customer_duplicate) is shown
 * with the existing owner's name; on success the new customer's page opens.
 */
export function ConvertLeadModal({ lead, open, onClose }: { lead: Lead; open: boolean; onClose: () => void }) {
  const t = useT();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const settings = useCustomerSettings();
  const { convert } = useLeadMutations();
  const [form] = Form.useForm<Values>();
  const [problem, setProblem] = useState<Problem | null>(null);
  const createContact = Form.useWatch('createContact', form) ?? true;
  const s = settings.data;

  async function submit(v: Values) {
    setProblem(null);
    try {
      const result = await convert.mutateAsync({
        id: lead.id,
        customer: {
          name: v.name.trim(),
          ...(v.category ? { category: v.category } : {}),
          ...(v.stage ? { stage: v.stage } : {}),
          ...(v.importance ? { importance: v.importance } : {}),
          ...(v.phone?.trim() ? { phones: [v.phone.trim()] } : {}),
        },
        createContact: v.createContact,
        ...(v.createContact && (v.email?.trim() || v.mobile?.trim())
          ? {
              contact: {
                ...(v.email?.trim() ? { email: v.email.trim() } : {}),
                ...(v.mobile?.trim() ? { mobile: v.mobile.trim() } : {}),
              },
            }
          : {}),
      });
      void message.success(t('leads.convert.done', { customer: v.name.trim() }));
      onClose();
      void navigate(`/customers/${result.customerId}`);
    } catch (err) {
      if (!(err instanceof ApiError)) {
        setProblem({ title: t('admin.network_error'), duplicate: false });
        return;
      }
      const fields = (err.problem.errors ?? []).filter((e) => FIELD_OF[e.field]);
      form.setFields(fields.map((e) => ({ name: FIELD_OF[e.field], errors: [e.message.replace(/^[^：:]*[：:]\s*/, '')] })));
      const duplicate = err.problem.code === 'customer_duplicate';
      const rest = (err.problem.errors ?? []).filter((e) => !FIELD_OF[e.field]).map((e) => e.message);
      setProblem({
        title: duplicate ? t('customersui.form.duplicate_title') : err.message,
        // customer_incomplete already lists what is missing in its message
        detail: duplicate ? err.message : err.problem.code === 'customer_incomplete' ? undefined : rest.join('；') || undefined,
        duplicate,
      });
    }
  }

  const options = (list: 'categories' | 'stages' | 'importances') => (s?.[list] ?? []).map((o) => ({ value: o.key, label: o.label }));
  return (
    <Modal
      open={open}
      title={t('leads.convert.title', { name: lead.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('leads.convert')}
      cancelText={t('common.cancel')}
      confirmLoading={convert.isPending}
      afterOpenChange={(o) => !o && setProblem(null)}
      destroyOnHidden
      width={560}
    >
      <Typography.Paragraph type="secondary">{t('leads.convert.hint')}</Typography.Paragraph>
      {problem && (
        <Alert
          type={problem.duplicate ? 'warning' : 'error'}
          showIcon
          title={problem.title}
          description={problem.detail}
          style={{ marginBottom: 16 }}
          data-testid="convert-problem"
        />
      )}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{
          name: lead.company || lead.name,
          category: s?.categories[0]?.key,
          stage: s?.stages[0]?.key,
          importance: s?.importances.find((o) => o.key === 'normal')?.key ?? s?.importances[0]?.key,
          createContact: true,
        }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item
          name="name"
          label={t('customer.field.name')}
          rules={[{ required: true, whitespace: true, message: t('admin.required') }, { max: 200 }]}
        >
          <Input />
        </Form.Item>
        <Form.Item name="category" label={t('customer.field.category')}>
          <Select options={options('categories')} />
        </Form.Item>
        <Form.Item name="stage" label={t('customer.field.stage')}>
          <Select options={options('stages')} />
        </Form.Item>
        <Form.Item name="importance" label={t('customer.field.importance')}>
          <Select allowClear options={options('importances')} />
        </Form.Item>
        <Form.Item name="createContact" valuePropName="checked">
          <Checkbox>{t('leads.convert.createContact')}</Checkbox>
        </Form.Item>
        {!lead.phone && !lead.mobile && !lead.hiddenFields.includes('mobile') && (
          <Form.Item name="phone" label={t('customer.field.phones')} rules={[{ max: 40 }]}>
            <Input />
          </Form.Item>
        )}
        {createContact && !lead.mobile && !lead.hiddenFields.includes('mobile') && (
          <Form.Item name="mobile" label={t('customer.field.contact.mobile')} rules={[{ max: 40 }]}>
            <Input />
          </Form.Item>
        )}
        {createContact && !lead.email && !lead.hiddenFields.includes('email') && (
          <Form.Item name="email" label={t('customer.field.contact.email')} rules={[{ type: 'email' }, { max: 200 }]}>
            <Input />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
