import { App, Alert, Form, Input, Modal, Radio, Select, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { post } from '@web/app/api';
import { useT } from '@web/app/i18n';
import { UserPicker } from '@web/features/org/shared/UserPicker';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { useCustomerSettings } from '@web/features/customers/hooks';
import { RESOLVE_ACTIONS, type CustomerReport, type ResolveAction, type ResolveReportBody } from '@common/schemas/reports';

type Values = { action: ResolveAction; category?: string; userId?: string; note?: string };

/** The action a report's kind suggests first. */
function suggested(r: CustomerReport): ResolveAction {
  if (r.kind === 'duplicate' && r.targetCustomerId) return 'merge';
  if (r.kind === 'wrong_category') return 'recategorise';
  if (r.kind === 'wrong_owner') return 'reassign';
  return 'dismiss';
}

/** 处理举报: merge the duplicate into the customer it duplicates, re-categorise, reassign, or dismiss. */
export function ResolveModal({ report, onClose }: { report: CustomerReport | null; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const feedback = useFeedback();
  const qc = useQueryClient();
  const settings = useCustomerSettings();
  const [form] = Form.useForm<Values>();
  const action = Form.useWatch('action', form);
  const resolve = useMutation({
    mutationFn: ({ id, ...body }: ResolveReportBody & { id: string }) => post<unknown>(`/customer-reports/${id}/resolve`, body),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['customerReports'] });
      void qc.invalidateQueries({ queryKey: ['customers'] });
    },
  });
  const canMerge = Boolean(report?.kind === 'duplicate' && report.targetCustomerId && !report.customerDeleted);

  async function submit(v: Values) {
    if (!report) return;
    try {
      await resolve.mutateAsync({
        id: report.id,
        action: v.action,
        ...(v.action === 'recategorise' ? { category: v.category } : {}),
        ...(v.action === 'reassign' ? { userId: v.userId } : {}),
        ...(v.note?.trim() ? { note: v.note.trim() } : {}),
      });
      void message.success(t(v.action === 'merge' ? 'reports.merge.done' : 'salesui.reports.resolved'));
      onClose();
    } catch (e) {
      feedback.failure(e, form);
    }
  }

  return (
    <Modal
      open={report !== null}
      title={t('salesui.reports.resolve_title', { name: report?.customerName ?? '' })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      confirmLoading={resolve.isPending}
      destroyOnHidden
    >
      {report && (
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{ action: suggested(report), category: report.customerCategory ?? undefined }}
          onFinish={(v) => void submit(v)}
        >
          <Typography.Paragraph type="secondary">
            {t(`reports.kind.${report.kind}`)}
            {report.note ? `：${report.note}` : ''}
          </Typography.Paragraph>
          <Form.Item name="action" label={t('salesui.reports.action')}>
            <Radio.Group
              options={RESOLVE_ACTIONS.map((a) => ({ value: a, label: t(`reports.action.${a}`), disabled: a === 'merge' && !canMerge }))}
            />
          </Form.Item>
          {action === 'merge' && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              title={t('salesui.reports.merge_hint', { source: report.customerName ?? '', target: report.targetCustomerName ?? '' })}
            />
          )}
          {action === 'recategorise' && (
            <Form.Item name="category" label={t('customer.field.category')} rules={[{ required: true, message: t('admin.required') }]}>
              <Select options={(settings.data?.categories ?? []).map((c) => ({ value: c.key, label: c.label }))} />
            </Form.Item>
          )}
          {action === 'reassign' && (
            <Form.Item name="userId" label={t('customer.field.ownerId')} rules={[{ required: true, message: t('admin.required') }]}>
              <UserPicker style={{ width: '100%' }} excludeIds={report.customerOwnerId ? [report.customerOwnerId] : undefined} />
            </Form.Item>
          )}
          <Form.Item name="note" label={t('reports.resolutionNote')} rules={[{ max: 500 }]}>
            <Input.TextArea autoSize={{ minRows: 2 }} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
