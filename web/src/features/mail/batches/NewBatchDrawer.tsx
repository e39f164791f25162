import { lazy, Suspense, useRef, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Col,
  Drawer,
  Flex,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Skeleton,
  Space,
  Typography,
  type InputRef,
} from 'antd';
import { MERGE_FIELDS, type CreateBatchBody, type MailBatch } from '@common/schemas/mail';
import { post } from '@web/app/api';
import { useT } from '@web/app/i18n';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { useMailAccounts } from '../api';
import { AttachmentsField } from '../compose/AttachmentsField';
import { pickAccount, signatureHtml, type ComposeFile } from '../compose/quote';
import type { RichEditorApi } from '../compose/RichEditor';
import { ContactsField, CustomersField, type Picked } from './RecipientPickers';

const RichEditor = lazy(() => import('../compose/RichEditor').then((m) => ({ default: m.RichEditor })));

type Values = {
  accountId: string;
  customers: Picked[];
  contacts: Picked[];
  subject: string;
  batchSize: number;
  pauseSeconds: number;
};

type Props = { open: boolean; onClose: () => void; onCreated: (b: MailBatch) => void };

/** 新建群发: account, recipients (customers and/or contacts), subject, rich body with merge fields, batch size and pause. */
export function NewBatchDrawer({ open, onClose, onCreated }: Props) {
  const t = useT();
  return (
    <Drawer open={open} onClose={onClose} title={t('mailui.batches.new')} size={820} destroyOnHidden maskClosable={false}>
      {open ? <BatchForm onClose={onClose} onCreated={onCreated} /> : null}
    </Drawer>
  );
}

function BatchForm({ onClose, onCreated }: Omit<Props, 'open'>) {
  const t = useT();
  const { message } = App.useApp();
  const feedback = useFeedback();
  const accounts = useMailAccounts();
  const [form] = Form.useForm<Values>();
  const [html, setHtml] = useState<string | null>(null);
  const [files, setFiles] = useState<ComposeFile[]>([]);
  const [sending, setSending] = useState(false);
  const editor = useRef<RichEditorApi | null>(null);
  // merge fields go where the cursor was last: the subject or the body
  const [target, setTarget] = useState<'subject' | 'body'>('body');
  const subjectRef = useRef<InputRef>(null);

  if (accounts.isLoading) return <Skeleton active />;
  const list = accounts.data ?? [];
  if (!list.length) return <Alert type="warning" showIcon title={t('mailui.compose.no_account')} />;
  const first = pickAccount(list);
  const startHtml = html ?? `<p>{{salutation}}：</p><p></p>${signatureHtml(first?.signature)}`;

  function insert(field: string) {
    const token = `{{${field}}}`;
    if (target === 'body') return editor.current?.insertText(token);
    const input = subjectRef.current?.input;
    const current = (form.getFieldValue('subject') as string | undefined) ?? '';
    const at = input?.selectionStart ?? current.length;
    form.setFieldValue('subject', current.slice(0, at) + token + current.slice(input?.selectionEnd ?? at));
  }

  async function submit(v: Values) {
    const body: CreateBatchBody = {
      accountId: v.accountId,
      customerIds: v.customers.map((c) => c.id),
      contactIds: v.contacts.map((c) => c.id),
      subject: v.subject.trim(),
      html: html ?? startHtml,
      attachments: files.map((f) => f.fileId),
      batchSize: v.batchSize,
      pauseSeconds: v.pauseSeconds,
    };
    if (!body.customerIds.length && !body.contactIds.length) {
      void message.warning(t('mailui.compose.need_recipient'));
      return;
    }
    setSending(true);
    try {
      const created = await post<MailBatch>('/mail/batches', body);
      void message.success(t('mailui.batches.created', { total: created.total }));
      onCreated(created);
    } catch (e) {
      feedback.failure(e, form);
    } finally {
      setSending(false);
    }
  }

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      requiredMark={false}
      initialValues={{ accountId: first?.id, customers: [], contacts: [], subject: '', batchSize: 10, pauseSeconds: 30 }}
      onFinish={(v) => void submit(v)}
    >
      <Form.Item name="accountId" label={t('mailui.compose.from')}>
        <Select options={list.map((a) => ({ value: a.id, label: `${a.name} <${a.address}>`, disabled: !a.enabled }))} />
      </Form.Item>
      <Form.Item name="customers" label={t('mailui.batches.customers')} extra={t('mailui.batches.customers_hint')}>
        <CustomersField />
      </Form.Item>
      <Form.Item name="contacts" label={t('mailui.batches.contacts')}>
        <ContactsField />
      </Form.Item>
      <Form.Item
        name="subject"
        label={t('mailui.compose.subject')}
        rules={[{ required: true, whitespace: true, message: t('mailui.required', { field: t('mailui.compose.subject') }) }]}
      >
        <Input maxLength={500} ref={subjectRef} onFocus={() => setTarget('subject')} />
      </Form.Item>
      <Flex gap={6} wrap align="center" style={{ marginBottom: 8 }}>
        <Typography.Text type="secondary">{t('mailui.batches.merge_fields')}</Typography.Text>
        {MERGE_FIELDS.map((f) => (
          <Button key={f} size="small" onMouseDown={(e) => e.preventDefault()} onClick={() => insert(f)}>
            {t(`mailui.merge.${f}`)}
          </Button>
        ))}
      </Flex>
      <div onFocus={() => setTarget('body')} style={{ marginBottom: 12 }}>
        <Suspense fallback={<Skeleton active />}>
          <RichEditor
            initialHtml={startHtml}
            onChange={setHtml}
            onReady={(api) => (editor.current = api)}
            ariaLabel={t('mailui.compose.body')}
          />
        </Suspense>
      </div>
      <div style={{ marginBottom: 16 }}>
        <AttachmentsField value={files} onChange={setFiles} />
      </div>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="batchSize" label={t('mailui.batches.batch_size')} extra={t('mailui.batches.batch_size_hint')}>
            <InputNumber min={1} max={10} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="pauseSeconds" label={t('mailui.batches.pause')}>
            <InputNumber min={0} max={3600} style={{ width: '100%' }} suffix={t('mailui.batches.seconds')} />
          </Form.Item>
        </Col>
      </Row>
      <Space>
        <Button type="primary" htmlType="submit" loading={sending}>
          {t('mailui.batches.send')}
        </Button>
        <Button onClick={onClose}>{t('common.cancel')}</Button>
      </Space>
    </Form>
  );
}
