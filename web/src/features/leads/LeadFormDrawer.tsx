import { App, Button, Col, DatePicker, Drawer, Form, Input, Row, Select, Skeleton, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useT } from '@web/app/i18n';
import { useMe } from '@web/app/auth';
import { fieldRule } from '@common/permissions';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { useCustomerSettings } from '@web/features/customers/hooks';
import { RegionCascader } from '@web/features/customers/form/RegionCascader';
import { CustomFieldItem } from '@web/features/customers/form/CustomFieldItem';
import type { CreateLeadBody } from '@common/schemas/leads';
import { EDITABLE_LEAD_STATUSES, useLead, useLeadCustomFields, useLeadMutations, type Lead } from './api';

type Values = Omit<CreateLeadBody, 'nextFollowUpAt'> & { nextFollowUpAt?: Dayjs | null };

const TEXT_FIELDS = ['name', 'company', 'title', 'mobile', 'phone', 'email', 'wechat', 'address', 'notes'] as const;

/** Create (`target='new'`) or edit a lead in a drawer. */
export function LeadFormDrawer({ target, onClose }: { target: string | null; onClose: () => void }) {
  const t = useT();
  const isNew = target === 'new';
  const lead = useLead(target && !isNew ? target : undefined);
  const fields = useLeadCustomFields();
  const ready = fields.data && (isNew || lead.data);
  return (
    <Drawer open={target !== null} onClose={onClose} title={isNew ? t('leads.new') : t('leads.edit')} size={720} destroyOnHidden>
      {ready ? (
        <LeadEditor key={lead.data?.version ?? 'new'} lead={isNew ? null : (lead.data ?? null)} onDone={onClose} />
      ) : (
        <Skeleton active />
      )}
    </Drawer>
  );
}

function LeadEditor({ lead, onDone }: { lead: Lead | null; onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const feedback = useFeedback();
  const [form] = Form.useForm<Values>();
  const settings = useCustomerSettings();
  const custom = useLeadCustomFields();
  const { create, update } = useLeadMutations();
  const { capabilities } = useMe();
  // hidden or read-only for this position: shown, not editable (the server refuses a write)
  const readonly = (f: string) => Boolean(fieldRule(capabilities, 'leads', f));

  async function submit(v: Values) {
    const body: CreateLeadBody = {
      ...Object.fromEntries(TEXT_FIELDS.map((k) => [k, typeof v[k] === 'string' ? v[k].trim() || null : (v[k] ?? null)])),
      name: v.name.trim(),
      source: v.source ?? null,
      industry: v.industry ?? null,
      regionCode: v.regionCode ?? null,
      status: v.status,
      nextFollowUpAt: v.nextFollowUpAt ? v.nextFollowUpAt.toISOString() : null,
      custom: v.custom ?? {},
    };
    // a field the viewer cannot see is not sent back (the server refuses writing it)
    for (const f of lead?.hiddenFields ?? []) delete (body as Record<string, unknown>)[f];
    try {
      if (lead) {
        await update.mutateAsync({ id: lead.id, version: lead.version, ...body });
        void message.success(t('common.saved'));
      } else {
        const created = await create.mutateAsync(body);
        void message.success(t('salesui.leads.created', { name: created.name }));
      }
      onDone();
    } catch (e) {
      feedback.failure(e, form);
    }
  }

  const options = (list: 'sources' | 'industries') => (settings.data?.[list] ?? []).map((o) => ({ value: o.key, label: o.label }));
  const initial: Partial<Values> = lead
    ? {
        ...Object.fromEntries(TEXT_FIELDS.map((k) => [k, lead[k] ?? undefined])),
        name: lead.name,
        source: lead.source,
        industry: lead.industry,
        regionCode: lead.regionCode,
        status: lead.status === 'converted' ? undefined : lead.status,
        nextFollowUpAt: lead.nextFollowUpAt ? dayjs(lead.nextFollowUpAt) : null,
        custom: lead.custom,
      }
    : { status: 'new' };
  const text = (name: (typeof TEXT_FIELDS)[number], max: number, span = 12) => (
    <Col span={span}>
      <Form.Item name={name} label={t(`leads.field.${name}`)} rules={[{ max }]}>
        {name === 'notes' ? <Input.TextArea autoSize={{ minRows: 3 }} /> : <Input disabled={readonly(name)} />}
      </Form.Item>
    </Col>
  );

  return (
    <Form form={form} layout="vertical" initialValues={initial} onFinish={(v) => void submit(v)} data-testid="lead-form">
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item
            name="name"
            label={t('leads.field.name')}
            rules={[{ required: true, whitespace: true, message: t('admin.required') }, { max: 50 }]}
          >
            <Input autoFocus />
          </Form.Item>
        </Col>
        {text('company', 200)}
        {text('title', 50)}
        {text('mobile', 40)}
        {text('phone', 40)}
        {text('email', 200)}
        {text('wechat', 50)}
        <Col span={12}>
          <Form.Item name="status" label={t('leads.field.status')}>
            <Select options={EDITABLE_LEAD_STATUSES.map((s) => ({ value: s, label: t(`leads.status.${s}`) }))} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="source" label={t('leads.field.source')}>
            <Select allowClear options={options('sources')} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="industry" label={t('leads.field.industry')}>
            <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={options('industries')} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="regionCode" label={t('leads.field.regionCode')}>
            <RegionCascader />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="nextFollowUpAt" label={t('leads.field.nextFollowUpAt')}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        {text('address', 300, 24)}
        {text('notes', 5000, 24)}
        {(custom.data ?? []).map((f) => (
          <Col span={12} key={f.key}>
            <CustomFieldItem field={f} />
          </Col>
        ))}
      </Row>
      <Space>
        <Button type="primary" htmlType="submit" loading={create.isPending || update.isPending}>
          {t('common.save')}
        </Button>
        <Button onClick={onDone}>{t('common.cancel')}</Button>
      </Space>
    </Form>
  );
}
