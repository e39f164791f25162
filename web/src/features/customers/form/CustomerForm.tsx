import { Col, DatePicker, Divider, Form, Input, Row, Select, Switch } from 'antd';
import type { FormInstance } from 'antd';
import type { Dayjs } from 'dayjs';
import { fieldRule } from '@common/permissions';
import type { RequirableField } from '@common/schemas/customer-settings';
import { useT } from '@web/app/i18n';
import { useMe } from '@web/app/auth';
import type { Customer } from '../api';
import { useCustomerSettings, useCustomFields } from '../hooks';
import { CustomFieldItem } from './CustomFieldItem';
import { RegionCascader } from './RegionCascader';

export type CustomerFormValues = {
  name: string;
  shortName?: string;
  code?: string;
  category?: string | null;
  stage?: string | null;
  importance?: string | null;
  source?: string | null;
  industry?: string | null;
  regionCode?: string | null;
  address?: string;
  phones?: string[];
  website?: string;
  tags?: string[];
  notes?: string;
  nextFollowUpAt?: Dayjs | null;
  locked?: boolean;
  custom?: Record<string, unknown>;
  /** create only: the first contact, sent as `contacts: [contact]` */
  contact?: { name?: string; mobile?: string; email?: string; title?: string };
};

/** Fields a position may hide or make read-only on customers. */
export type SensitiveField = 'phones' | 'address' | 'website';

type Props = {
  form: FormInstance<CustomerFormValues>;
  customer: Customer | null;
  initialValues: Partial<CustomerFormValues>;
  onFinish: (v: CustomerFormValues) => void;
};

/** Every standard field with settings-driven lists, custom fields by type, and on create the first contact. */
export function CustomerForm({ form, customer, initialValues, onFinish }: Props) {
  const t = useT();
  const me = useMe();
  const { data: settings } = useCustomerSettings();
  const { data: customFields } = useCustomFields('customer');
  const category = Form.useWatch('category', form);
  // an empty category is saved as the first one (the server's default): its required fields apply
  const effective = category || settings?.categories[0]?.key;
  const required = new Set<RequirableField>(settings?.categories.find((c) => c.key === effective)?.requiredFields ?? []);
  const isNew = !customer;
  const f = (field: string) => t(`customer.field.${field}`);
  const need = (field: RequirableField) => (required.has(field) ? [{ required: true, message: t('customersui.form.required') }] : []);
  const rule = (field: SensitiveField) => fieldRule(me.capabilities, 'customers', field);
  const shown = (field: SensitiveField) => rule(field) !== 'hidden' && !customer?.hiddenFields?.includes(field);
  const readOnly = (field: SensitiveField) => rule(field) === 'readonly';
  const options = (list: 'categories' | 'stages' | 'importances' | 'sources' | 'industries') =>
    (settings?.[list] ?? []).map((o) => ({ value: o.key, label: o.label }));
  const listItem = (field: 'category' | 'stage' | 'importance' | 'source' | 'industry', list: Parameters<typeof options>[0]) => (
    <Col span={12}>
      <Form.Item name={field} label={f(field)} rules={field === 'category' ? [] : need(field as RequirableField)}>
        <Select allowClear options={options(list)} />
      </Form.Item>
    </Col>
  );
  const contactNeeded = isNew && (required.has('contact') || required.has('contact.mobile') || required.has('contact.email'));

  return (
    <Form form={form} name="customer" layout="vertical" onFinish={onFinish} initialValues={initialValues} scrollToFirstError>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item
            name="name"
            label={f('name')}
            rules={[{ required: true, whitespace: true, message: t('customersui.form.required') }, { max: 200 }]}
          >
            <Input autoFocus={isNew} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="shortName" label={f('shortName')} rules={[...need('shortName'), { max: 100 }]}>
            <Input />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="code" label={f('code')} rules={[{ max: 50 }]}>
            <Input placeholder={t('customersui.form.code_auto')} />
          </Form.Item>
        </Col>
        {listItem('category', 'categories')}
        {listItem('stage', 'stages')}
        {listItem('importance', 'importances')}
        {listItem('source', 'sources')}
        {listItem('industry', 'industries')}
        {shown('phones') && (
          <Col span={12}>
            <Form.Item name="phones" label={f('phones')} rules={need('phones')} extra={t('customersui.form.phones_hint')}>
              <Select
                mode="tags"
                open={false}
                suffixIcon={null}
                disabled={readOnly('phones')}
                tokenSeparators={[',', '，', ';', '；', ' ']}
              />
            </Form.Item>
          </Col>
        )}
        {shown('website') && (
          <Col span={12}>
            <Form.Item name="website" label={f('website')} rules={[...need('website'), { max: 300 }]}>
              <Input disabled={readOnly('website')} />
            </Form.Item>
          </Col>
        )}
        <Col span={12}>
          <Form.Item name="regionCode" label={f('regionCode')} rules={need('regionCode')}>
            <RegionCascader />
          </Form.Item>
        </Col>
        {shown('address') && (
          <Col span={12}>
            <Form.Item name="address" label={f('address')} rules={[...need('address'), { max: 300 }]}>
              <Input disabled={readOnly('address')} />
            </Form.Item>
          </Col>
        )}
        <Col span={12}>
          <Form.Item name="tags" label={f('tags')}>
            <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，', ' ']} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="nextFollowUpAt" label={f('nextFollowUpAt')}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={4}>
          <Form.Item name="locked" label={f('locked')} valuePropName="checked" tooltip={t('customersui.form.locked_hint')}>
            <Switch />
          </Form.Item>
        </Col>
        <Col span={24}>
          <Form.Item name="notes" label={f('notes')} rules={[{ max: 5000 }]}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
          </Form.Item>
        </Col>
      </Row>
      {customFields?.length ? (
        <>
          <Divider titlePlacement="start">{t('customersui.form.custom_fields')}</Divider>
          <Row gutter={16}>
            {customFields.map((cf) => (
              <Col span={12} key={cf.key}>
                <CustomFieldItem field={cf} />
              </Col>
            ))}
          </Row>
        </>
      ) : null}
      {isNew && (
        <>
          <Divider titlePlacement="start">{t('customersui.form.first_contact')}</Divider>
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item
                name={['contact', 'name']}
                label={t('contacts.field.name')}
                rules={contactNeeded ? [{ required: true, message: t('customersui.form.required') }] : []}
              >
                <Input maxLength={50} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name={['contact', 'title']} label={t('contacts.field.title')}>
                <Input maxLength={50} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name={['contact', 'mobile']} label={t('contacts.field.mobile')} rules={need('contact.mobile')}>
                <Input maxLength={40} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                name={['contact', 'email']}
                label={t('contacts.field.email')}
                rules={[...need('contact.email'), { type: 'email' }]}
              >
                <Input maxLength={200} />
              </Form.Item>
            </Col>
          </Row>
        </>
      )}
    </Form>
  );
}
