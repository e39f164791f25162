import { useState } from 'react';
import { App, Button, Col, DatePicker, Form, Input, Row, Segmented, Select, Space, Upload } from 'antd';
import type { UploadFile } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useT } from '@web/app/i18n';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { FOLLOW_UP_TYPES, uploadFile, type FollowUpType } from '../api';
import { useContacts } from '../hooks';
import { useCustomerMutations } from '../useCustomerMutations';
import { useLeadMutations } from '@web/features/leads/api';
import { FOLLOW_UP_ICONS } from './followUpTypes';

type Values = { type: FollowUpType; contactId?: string; content: string; at?: Dayjs; nextStep?: string; nextAt?: Dayjs | null };

type Target = { customerId: string; leadId?: never } | { leadId: string; customerId?: never };

/**
 * 写跟单 on a customer or a lead: type, contact (customers), what happened and when, the next step
 * and its date, attachments (uploaded first, then linked).
 */
export function FollowUpForm({ onDone, ...target }: Target & { onDone: () => void }) {
  const { customerId, leadId } = target;
  const t = useT();
  const { message } = App.useApp();
  const feedback = useFeedback();
  const [form] = Form.useForm<Values>();
  const contacts = useContacts(customerId ?? '', Boolean(customerId));
  const { createFollowUp } = useCustomerMutations();
  const { followUp } = useLeadMutations();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const uploading = files.some((f) => f.status === 'uploading');

  async function submit(v: Values) {
    try {
      const body = {
        type: v.type,
        content: v.content.trim(),
        ...(v.contactId ? { contactId: v.contactId } : {}),
        ...(v.at ? { at: v.at.toISOString() } : {}),
        ...(v.nextStep?.trim() ? { nextStep: v.nextStep.trim() } : {}),
        ...(v.nextAt ? { nextAt: v.nextAt.toISOString() } : {}),
        attachmentIds: files.filter((f) => f.status === 'done' && f.response).map((f) => (f.response as { id: string }).id),
      };
      if (customerId) await createFollowUp.mutateAsync({ ...body, customerId });
      else await followUp.mutateAsync({ ...body, leadId: leadId! });
      void message.success(t('customersui.followup.saved'));
      form.resetFields();
      setFiles([]);
      onDone();
    } catch (e) {
      feedback.failure(e, form);
    }
  }

  return (
    <Form
      form={form}
      name="followUp"
      layout="vertical"
      onFinish={(v) => void submit(v)}
      initialValues={{ type: 'phone', at: dayjs() }}
      style={{ marginBottom: 24 }}
      data-testid="follow-up-form"
    >
      <Row gutter={16}>
        <Col span={24}>
          <Form.Item name="type" label={t('customersui.followup.type')}>
            <Segmented
              options={FOLLOW_UP_TYPES.map((k) => ({ value: k, icon: FOLLOW_UP_ICONS[k].icon, label: t(`followups.type.${k}`) }))}
            />
          </Form.Item>
        </Col>
        {customerId ? (
          <Col span={12}>
            <Form.Item name="contactId" label={t('customersui.followup.contact')}>
              <Select
                allowClear
                loading={contacts.isLoading}
                options={(contacts.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
              />
            </Form.Item>
          </Col>
        ) : null}
        <Col span={customerId ? 12 : 24}>
          <Form.Item name="at" label={t('customersui.followup.at')}>
            <DatePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              style={{ width: '100%' }}
              disabledDate={(d) => d.isAfter(dayjs(), 'day')}
            />
          </Form.Item>
        </Col>
        <Col span={24}>
          <Form.Item
            name="content"
            label={t('customersui.followup.content')}
            rules={[{ required: true, whitespace: true, message: t('customersui.form.required') }, { max: 5000 }]}
          >
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} autoFocus />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="nextStep" label={t('customersui.followup.next_step')} rules={[{ max: 500 }]}>
            <Input />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="nextAt" label={t('customersui.followup.next_at')}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={24}>
          <Form.Item label={t('customersui.followup.attachments')}>
            <Upload
              multiple
              fileList={files}
              onChange={({ fileList }) => setFiles(fileList)}
              customRequest={({ file, onSuccess, onError }) => {
                uploadFile(file as File).then(
                  (info) => onSuccess?.(info),
                  (e: unknown) => {
                    feedback.failure(e);
                    onError?.(e instanceof Error ? e : new Error(String(e)));
                  },
                );
              }}
            >
              <Button icon={<UploadOutlined />}>{t('customersui.followup.upload')}</Button>
            </Upload>
          </Form.Item>
        </Col>
      </Row>
      <Space>
        <Button type="primary" htmlType="submit" loading={createFollowUp.isPending || followUp.isPending} disabled={uploading}>
          {t('customersui.followup.submit')}
        </Button>
        <Button onClick={onDone}>{t('common.cancel')}</Button>
      </Space>
    </Form>
  );
}
