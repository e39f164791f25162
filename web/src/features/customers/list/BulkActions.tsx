import { useState } from 'react';
import { App, Button, Flex, Form, Modal, Radio, Select, Typography } from 'antd';
import { useT } from '@web/app/i18n';
import { useCan } from '@web/app/auth';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import type { BulkAction } from '../api';
import { reportBulk } from '../shared/bulkResult';
import { TransferModal } from '../shared/TransferModal';
import { useCustomerMutations } from '../useCustomerMutations';

type Props = { ids: string[]; onDone: () => void };

/** Actions on the selected rows (移交 / 放入公海 / 打标签 / 删除), each offered only with the permission. */
export function BulkActions({ ids, onDone }: Props) {
  const t = useT();
  const can = useCan();
  const { modal, message } = App.useApp();
  const feedback = useFeedback();
  const { bulk } = useCustomerMutations();
  const [transferring, setTransferring] = useState(false);
  const [tagging, setTagging] = useState(false);
  const [tagForm] = Form.useForm<{ mode: 'tag' | 'untag'; tags: string[] }>();

  const run = async (action: BulkAction, extra: { tags?: string[] } = {}) => {
    try {
      const result = await bulk.mutateAsync({ action, ids, ...extra });
      reportBulk(t, message, result, ids.length);
      onDone();
    } catch (e) {
      feedback.failure(e);
    }
  };

  const confirm = (action: 'release' | 'delete') =>
    void modal.confirm({
      title: t(`customersui.bulk.${action}_confirm`, { count: ids.length }),
      content: t(`customersui.bulk.${action}_hint`),
      okText: t('common.confirm'),
      okButtonProps: { danger: action === 'delete' },
      cancelText: t('common.cancel'),
      onOk: () => run(action),
    });

  if (!ids.length) return null;
  const mayEdit = can('customers', 'edit');
  return (
    <Flex gap={8} align="center" wrap style={{ marginBottom: 12 }}>
      <Typography.Text>{t('customersui.bulk.selected', { count: ids.length })}</Typography.Text>
      {can('customers', 'transfer') && <Button onClick={() => setTransferring(true)}>{t('customersui.action.transfer')}</Button>}
      {mayEdit && <Button onClick={() => confirm('release')}>{t('customersui.action.release')}</Button>}
      {mayEdit && (
        <Button
          onClick={() => {
            tagForm.setFieldsValue({ mode: 'tag', tags: [] });
            setTagging(true);
          }}
        >
          {t('customersui.action.tag')}
        </Button>
      )}
      {can('customers', 'delete') && (
        <Button danger onClick={() => confirm('delete')}>
          {t('common.delete')}
        </Button>
      )}
      <Button type="link" onClick={onDone}>
        {t('customersui.bulk.clear')}
      </Button>
      <TransferModal ids={ids} open={transferring} onClose={() => setTransferring(false)} onDone={onDone} />
      <Modal
        open={tagging}
        title={t('customersui.action.tag')}
        onCancel={() => setTagging(false)}
        onOk={() => tagForm.submit()}
        confirmLoading={bulk.isPending}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
      >
        <Form
          form={tagForm}
          name="bulkTags"
          layout="vertical"
          onFinish={(v) => void run(v.mode, { tags: v.tags }).then(() => setTagging(false))}
        >
          <Form.Item name="mode">
            <Radio.Group
              options={[
                { value: 'tag', label: t('customersui.bulk.add_tags') },
                { value: 'untag', label: t('customersui.bulk.remove_tags') },
              ]}
            />
          </Form.Item>
          <Form.Item name="tags" label={t('customer.field.tags')} rules={[{ required: true, type: 'array', min: 1 }]}>
            <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，', ' ']} />
          </Form.Item>
        </Form>
      </Modal>
    </Flex>
  );
}
