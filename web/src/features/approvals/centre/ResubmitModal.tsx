import { useEffect } from 'react';
import { Alert, App, Form, Input, Modal, Skeleton } from 'antd';
import type { ApprovalDetail, FormField } from '@common/schemas/approvals';
import { ApiError } from '@web/app/api';
import { showServerErrors } from '@web/app/forms';
import { useT } from '@web/app/i18n';
import { FORM_TYPE_PREFIX, useApprovalAction, useFormEntry } from '../shared/api';
import { FormFieldItem, foldValueErrors, formValuesIn, formValuesOut } from './FormFieldItem';

type Values = { values?: Record<string, unknown>; comment?: string };

/**
 * 重新提交 a returned instance. A custom form's values can be changed first (saved with PATCH
 * /approval-form-entries/:id, then resubmitted); other documents are changed on their own page.
 */
export function ResubmitModal({ detail: d, open, onClose }: { detail: ApprovalDetail; open: boolean; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const isForm = d.type.startsWith(FORM_TYPE_PREFIX);
  const entry = useFormEntry(open && isForm ? d.documentId : undefined);
  // the submitter changes the values only while the entry says so (its approval was returned)
  const fields: FormField[] = entry.data?.editable ? entry.data.fields : [];
  const action = useApprovalAction(d.id);
  const loading = isForm && entry.isPending;

  useEffect(() => {
    if (!open || loading) return;
    form.setFieldsValue({ values: entry.data ? formValuesIn(fields, entry.data.values, entry.data.files) : undefined, comment: undefined });
    // fields come with the same answers as entry.data: filling again on every render would undo the user's edits
  }, [open, loading, entry.data, form]);

  const onOk = async () => {
    const v = await form.validateFields();
    const values =
      isForm && entry.data && fields.length
        ? { entryId: entry.data.id, values: formValuesOut(fields, v.values), version: entry.data.version }
        : undefined;
    action.mutate(
      { kind: 'resubmit', body: { comment: v.comment?.trim() || null }, values },
      {
        onSuccess: () => {
          void message.success(t('approvalscentre.done.resubmit'));
          onClose();
        },
        onError: (e) => {
          const rest = showServerErrors(form, foldValueErrors(e), [...fields.map((f) => `values.${f.key}`), 'comment']);
          if (rest) void message.error(rest);
          if (e instanceof ApiError && e.problem.code === 'stale_version') onClose();
        },
      },
    );
  };

  return (
    <Modal
      open={open}
      title={t('approvalscentre.act.resubmit')}
      okText={t('approvalscentre.act.resubmit')}
      okButtonProps={{ loading: action.isPending, disabled: loading }}
      cancelText={t('common.cancel')}
      onOk={() => void onOk()}
      onCancel={onClose}
      width={isForm ? 640 : 520}
      destroyOnHidden
      forceRender
    >
      {loading ? (
        <Skeleton active />
      ) : (
        <Form<Values> form={form} name="approval-resubmit" layout="vertical" data-testid="resubmit-form">
          {isForm && (entry.isError || !fields.length) ? (
            <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('approvalscentre.resubmit.valuesUnavailable')} />
          ) : null}
          {!isForm ? <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('approvalscentre.resubmit.documentHint')} /> : null}
          {fields.map((f) => (
            <FormFieldItem key={f.key} field={f} />
          ))}
          <Form.Item name="comment" label={t('approvalscentre.comment')}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={1000} showCount />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
