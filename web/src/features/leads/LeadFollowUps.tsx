import { useState } from 'react';
import { App, Button, Col, DatePicker, Empty, Flex, Form, Input, Row, Segmented, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useT } from '@web/app/i18n';
import { formatDateTime } from '@web/app/format';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { FOLLOW_UP_ICONS } from '@web/features/customers/detail/followUpTypes';
import { FOLLOW_UP_TYPES, type FollowUp, type FollowUpType } from '@common/schemas/followups';
import { useLeadFollowUps, useLeadMutations } from './api';

/** 跟单 of a lead: the timeline (newest first) and, for whoever may write, the form on top. */
export function LeadFollowUps({ leadId, mayWrite }: { leadId: string; mayWrite: boolean }) {
  const t = useT();
  const list = useLeadFollowUps(leadId);
  const [writing, setWriting] = useState(false);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      {writing ? (
        <LeadFollowUpForm leadId={leadId} onDone={() => setWriting(false)} />
      ) : (
        mayWrite && (
          <Button icon={<PlusOutlined />} onClick={() => setWriting(true)} style={{ marginBottom: 16 }}>
            {t('salesui.leads.follow_up')}
          </Button>
        )
      )}
      {list.isLoading ? (
        <Skeleton active />
      ) : !items.length ? (
        <Empty description={t('salesui.leads.no_follow_ups')} />
      ) : (
        <Timeline
          data-testid="lead-follow-ups"
          items={items.map((f) => {
            const look = FOLLOW_UP_ICONS[f.type] ?? FOLLOW_UP_ICONS.other;
            return { key: f.id, icon: look.icon, color: look.color, content: <Entry f={f} /> };
          })}
        />
      )}
      {list.hasNextPage && (
        <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}
    </>
  );
}

function Entry({ f }: { f: FollowUp }) {
  const t = useT();
  return (
    <Flex vertical gap={4}>
      <Space size={8} wrap>
        <Typography.Text type="secondary">{formatDateTime(f.at)}</Typography.Text>
        <Typography.Text strong>{f.ownerName ?? '—'}</Typography.Text>
        <Tag>{t(`followups.type.${f.type}`)}</Tag>
      </Space>
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{f.content}</Typography.Paragraph>
      {f.nextStep || f.nextAt ? (
        <Typography.Text type="secondary">
          {t('salesui.leads.next', { step: f.nextStep ?? '', at: f.nextAt ? formatDateTime(f.nextAt) : '' })}
        </Typography.Text>
      ) : null}
    </Flex>
  );
}

type Values = { type: FollowUpType; content: string; at?: Dayjs; nextStep?: string; nextAt?: Dayjs | null };

function LeadFollowUpForm({ leadId, onDone }: { leadId: string; onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const feedback = useFeedback();
  const [form] = Form.useForm<Values>();
  const { followUp } = useLeadMutations();

  async function submit(v: Values) {
    try {
      await followUp.mutateAsync({
        leadId,
        type: v.type,
        content: v.content.trim(),
        ...(v.at ? { at: v.at.toISOString() } : {}),
        ...(v.nextStep?.trim() ? { nextStep: v.nextStep.trim() } : {}),
        ...(v.nextAt ? { nextAt: v.nextAt.toISOString() } : {}),
      });
      void message.success(t('salesui.leads.follow_up_saved'));
      onDone();
    } catch (e) {
      feedback.failure(e, form);
    }
  }

  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ type: 'phone', at: dayjs() }}
      onFinish={(v) => void submit(v)}
      style={{ marginBottom: 24 }}
      data-testid="lead-follow-up-form"
    >
      <Form.Item name="type" label={t('salesui.leads.follow_up_type')}>
        <Segmented options={FOLLOW_UP_TYPES.map((k) => ({ value: k, icon: FOLLOW_UP_ICONS[k].icon, label: t(`followups.type.${k}`) }))} />
      </Form.Item>
      <Form.Item
        name="content"
        label={t('salesui.leads.follow_up_content')}
        rules={[{ required: true, whitespace: true, message: t('admin.required') }, { max: 5000 }]}
      >
        <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} autoFocus />
      </Form.Item>
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="at" label={t('salesui.leads.follow_up_at')}>
            <DatePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              style={{ width: '100%' }}
              disabledDate={(d) => d.isAfter(dayjs(), 'day')}
            />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="nextStep" label={t('salesui.leads.next_step')} rules={[{ max: 500 }]}>
            <Input />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="nextAt" label={t('salesui.leads.next_at')}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Space>
        <Button type="primary" htmlType="submit" loading={followUp.isPending}>
          {t('common.save')}
        </Button>
        <Button onClick={onDone}>{t('common.cancel')}</Button>
      </Space>
    </Form>
  );
}
