import { App, Button, Col, DatePicker, Drawer, Form, Input, Row, Select, Space, Switch } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { fieldRule } from '@common/permissions';
import type { ContactInput } from '@common/schemas/contacts';
import { useT } from '@web/app/i18n';
import { useMe } from '@web/app/auth';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import type { Contact, Customer } from '../api';
import { useCustomerMutations } from '../useCustomerMutations';

type Values = Omit<ContactInput, 'birthday' | 'custom'> & { birthday?: Dayjs | null };
const TEXTS = ['name', 'title', 'department', 'mobile', 'phone', 'email', 'wechat', 'hobbies', 'idNumber', 'notes'] as const;
const SENSITIVE = ['mobile', 'phone', 'email', 'wechat', 'idNumber'] as const;

type Props = { customer: Customer; contact: Contact | null; contacts: Contact[]; open: boolean; readOnly: boolean; onClose: () => void };

/** Add or edit a contact: every field, sensitive ones hidden or read-only by the position's field rules. */
export function ContactDrawer({ customer, contact, contacts, open, readOnly, onClose }: Props) {
  const t = useT();
  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={640}
      destroyOnHidden
      title={contact ? contact.name : t('customersui.contact.create_title', { name: customer.name })}
    >
      <ContactEditor
        key={contact?.version ?? 'new'}
        customer={customer}
        contact={contact}
        contacts={contacts}
        readOnly={readOnly}
        onDone={onClose}
      />
    </Drawer>
  );
}

function ContactEditor({ customer, contact, contacts, readOnly, onDone }: Omit<Props, 'open' | 'onClose'> & { onDone: () => void }) {
  const t = useT();
  const me = useMe();
  const { message } = App.useApp();
  const feedback = useFeedback();
  const [form] = Form.useForm<Values>();
  const { createContact, updateContact } = useCustomerMutations();
  const f = (k: string) => t(`contacts.field.${k}`);
  const rule = (field: string) => fieldRule(me.capabilities, 'contacts', field);
  const shown = (field: string) => rule(field) !== 'hidden' && !contact?.hiddenFields?.includes(field);
  const locked = (field: string) => readOnly || rule(field) === 'readonly';

  const initial: Partial<Values> = contact
    ? {
        ...Object.fromEntries(TEXTS.map((k) => [k, contact[k] ?? ''])),
        birthday: contact.birthday ? dayjs(contact.birthday) : null,
        isPrimary: contact.isPrimary,
        decisionMaker: contact.decisionMaker,
        reportsToId: contact.reportsToId,
      }
    : { isPrimary: contacts.length === 0, decisionMaker: false };

  async function submit(v: Values) {
    const body: Record<string, unknown> = {};
    for (const k of TEXTS) {
      if (!(k in v)) continue; // hidden from this position: left out
      if ((SENSITIVE as readonly string[]).includes(k) && locked(k)) continue; // read-only: never written
      body[k] = v[k]?.trim() || null;
    }
    body.name = v.name.trim();
    body.birthday = v.birthday ? v.birthday.format('YYYY-MM-DD') : null;
    body.isPrimary = Boolean(v.isPrimary);
    body.decisionMaker = Boolean(v.decisionMaker);
    body.reportsToId = v.reportsToId ?? null;
    try {
      if (!contact) {
        await createContact.mutateAsync({ customerId: customer.id, ...(body as ContactInput) });
      } else {
        const changed = Object.fromEntries(
          Object.entries(body).filter(([k, x]) => JSON.stringify(x) !== JSON.stringify((contact as Record<string, unknown>)[k] ?? null)),
        );
        if (Object.keys(changed).length) await updateContact.mutateAsync({ id: contact.id, version: contact.version, ...changed });
      }
      void message.success(t('common.saved'));
      onDone();
    } catch (e) {
      feedback.failure(e, form);
    }
  }

  const text = (field: (typeof TEXTS)[number], max: number, span = 12) =>
    shown(field) ? (
      <Col span={span}>
        <Form.Item name={field} label={f(field)} rules={[{ max }, ...(field === 'email' ? [{ type: 'email' as const }] : [])]}>
          <Input disabled={locked(field)} />
        </Form.Item>
      </Col>
    ) : null;

  return (
    <Form form={form} name="contact" layout="vertical" initialValues={initial} onFinish={(v) => void submit(v)} disabled={readOnly}>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item
            name="name"
            label={f('name')}
            rules={[{ required: true, whitespace: true, message: t('customersui.form.required') }, { max: 50 }]}
          >
            <Input autoFocus={!contact} />
          </Form.Item>
        </Col>
        {text('title', 50)}
        {text('department', 50)}
        {text('mobile', 40)}
        {text('phone', 40)}
        {text('email', 200)}
        {text('wechat', 50)}
        <Col span={12}>
          <Form.Item name="birthday" label={f('birthday')}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        {text('hobbies', 200)}
        {text('idNumber', 30)}
        <Col span={12}>
          <Form.Item name="reportsToId" label={f('reportsTo')}>
            <Select
              allowClear
              options={contacts
                .filter((c) => c.id !== contact?.id)
                .map((c) => ({ value: c.id, label: c.title ? `${c.name}（${c.title}）` : c.name }))}
            />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="isPrimary" label={f('isPrimary')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="decisionMaker" label={f('decisionMaker')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
        {text('notes', 2000, 24)}
      </Row>
      {!readOnly && (
        <Space>
          <Button type="primary" htmlType="submit" loading={createContact.isPending || updateContact.isPending}>
            {t('common.save')}
          </Button>
          <Button onClick={onDone}>{t('common.cancel')}</Button>
        </Space>
      )}
    </Form>
  );
}
