import { useState } from 'react';
import { Button, DatePicker, Flex, Form, Input, InputNumber, Modal, Popconfirm, Select, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { del, get, post, qs } from '@web/app/api';
import { useT } from '@web/app/i18n';
import { formatDate } from '@web/app/format';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import {
  IMPORTANT_DATE_REPEATS,
  type CreateImportantDateBody,
  type ImportantDate,
  type ImportantDateRepeat,
} from '@common/schemas/important-dates';
import { customerKeys, itemsOf } from '../api';
import { useContacts } from '../hooks';

type Values = { title: string; date: Dayjs; repeat: ImportantDateRepeat; remindDays: number; contactId?: string | null };

/** 重要日期: the customer's (and its contacts') important dates, yearly or once, with a reminder N days ahead. */
export function ImportantDatesTab({ customerId, canEdit }: { customerId: string; canEdit: boolean }) {
  const t = useT();
  const qc = useQueryClient();
  const feedback = useFeedback();
  const [adding, setAdding] = useState(false);
  const key = customerKeys.sub(customerId, 'important-dates');
  const dates = useQuery({
    queryKey: key,
    queryFn: async () => itemsOf<ImportantDate>(await get(`/important-dates${qs({ customerId })}`)),
  });
  const remove = useMutation({
    mutationFn: (id: string) => del(`/important-dates/${id}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: key }),
  });
  const columns: TableColumnsType<ImportantDate> = [
    { title: t('customersui.dates.title'), dataIndex: 'title', ellipsis: true },
    { title: t('customersui.dates.date'), dataIndex: 'date', width: 120, render: (v: string) => formatDate(v) },
    {
      title: t('customersui.dates.repeat'),
      dataIndex: 'repeat',
      width: 100,
      render: (v: ImportantDateRepeat) => <Tag>{t(`customersui.dates.repeat.${v}`)}</Tag>,
    },
    {
      title: t('customersui.dates.next'),
      dataIndex: 'nextOccurrence',
      width: 120,
      render: (v: string | null) => (v ? formatDate(v) : '—'),
    },
    {
      title: t('customersui.dates.remind'),
      dataIndex: 'remindDays',
      width: 110,
      render: (v: number) => t('customersui.dates.remind_days', { days: v }),
    },
    { title: t('customersui.schedule.contact'), dataIndex: 'contactName', width: 110, render: (v: string | null) => v || '—' },
  ];
  if (canEdit) {
    columns.push({
      key: 'actions',
      width: 80,
      render: (_, d) => (
        <Popconfirm
          title={t('customersui.dates.delete_confirm')}
          onConfirm={() => remove.mutateAsync(d.id).catch((e: unknown) => feedback.failure(e))}
        >
          <Button type="link" danger size="small">
            {t('common.delete')}
          </Button>
        </Popconfirm>
      ),
    });
  }
  return (
    <Flex vertical gap={12}>
      {canEdit ? (
        <Flex justify="end">
          <Button icon={<PlusOutlined />} onClick={() => setAdding(true)}>
            {t('customersui.dates.add')}
          </Button>
        </Flex>
      ) : null}
      <Table<ImportantDate>
        rowKey="id"
        size="middle"
        loading={dates.isLoading}
        dataSource={dates.data ?? []}
        columns={columns}
        pagination={false}
      />
      {adding ? <AddDateModal customerId={customerId} onClose={() => setAdding(false)} /> : null}
    </Flex>
  );
}

function AddDateModal({ customerId, onClose }: { customerId: string; onClose: () => void }) {
  const t = useT();
  const qc = useQueryClient();
  const feedback = useFeedback();
  const [form] = Form.useForm<Values>();
  const contacts = useContacts(customerId);
  const create = useMutation({
    mutationFn: (body: CreateImportantDateBody) => post('/important-dates', body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: customerKeys.sub(customerId, 'important-dates') }),
  });
  async function submit(v: Values) {
    try {
      await create.mutateAsync({
        customerId,
        title: v.title.trim(),
        date: v.date.format('YYYY-MM-DD'),
        repeat: v.repeat,
        remindDays: v.remindDays,
        contactId: v.contactId ?? null,
      });
      feedback.success('common.saved');
      onClose();
    } catch (e) {
      feedback.failure(e, form);
    }
  }
  return (
    <Modal
      open
      title={t('customersui.dates.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" initialValues={{ repeat: 'yearly', remindDays: 3 }} onFinish={(v) => void submit(v)}>
        <Form.Item
          name="title"
          label={t('customersui.dates.title')}
          rules={[{ required: true, whitespace: true, message: t('customersui.form.required') }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="date" label={t('customersui.dates.date')} rules={[{ required: true, message: t('customersui.form.required') }]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="repeat" label={t('customersui.dates.repeat')}>
          <Select options={IMPORTANT_DATE_REPEATS.map((r) => ({ value: r, label: t(`customersui.dates.repeat.${r}`) }))} />
        </Form.Item>
        <Form.Item name="remindDays" label={t('customersui.dates.remind')}>
          <InputNumber min={0} max={365} addonAfter={t('customersui.dates.days')} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="contactId" label={t('customersui.schedule.contact')}>
          <Select allowClear options={(contacts.data ?? []).map((c) => ({ value: c.id, label: c.name }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
