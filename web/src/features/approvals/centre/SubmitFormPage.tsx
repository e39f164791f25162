import { Link, useNavigate, useParams } from 'react-router';
import { Alert, App, Button, Card, Flex, Form, Result, Skeleton, Typography } from 'antd';
import { useT } from '@web/app/i18n';
import { PageHeader } from '@web/app/PageHeader';
import { showServerErrors } from '@web/app/forms';
import { FormIcon } from '../shared/FormIcon';
import { UsersPicker } from '../shared/UsersPicker';
import { ApiError } from '@web/app/api';
import { useApprovalForm, useSubmitForm } from '../shared/api';
import { FormFieldItem, foldValueErrors, formValuesOut } from './FormFieldItem';

type Values = { values?: Record<string, unknown>; cc?: string[] };

/** /approvals/forms/:formId — fills in a custom form (请假, 报销 …) and submits it for approval. */
export function SubmitFormPage() {
  const t = useT();
  const { formId = '' } = useParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const q = useApprovalForm(formId);
  const submit = useSubmitForm(formId);
  const def = q.data;

  if (q.isPending) return <Skeleton active />;
  if (q.isError && !(q.error instanceof ApiError && q.error.status === 404)) return <Alert type="error" showIcon title={q.error.message} />;
  if (!def || !def.enabled)
    return (
      <Result
        status="404"
        title={t('approvalscentre.submit.notFound')}
        extra={
          <Link to="/approvals">
            <Button>{t('approvalscentre.backToCentre')}</Button>
          </Link>
        }
      />
    );

  const onFinish = (v: Values) => {
    submit.mutate(
      { values: formValuesOut(def.fields, v.values), cc: v.cc ?? [] },
      {
        onSuccess: (r) => {
          void message.success(t('approvalscentre.submit.done'));
          void navigate(`/approvals/${encodeURIComponent(r.instanceId)}`, { replace: true });
        },
        onError: (e) => {
          const rest = showServerErrors(form, foldValueErrors(e), [...def.fields.map((f) => `values.${f.key}`), 'cc']);
          if (rest) void message.error(rest);
        },
      },
    );
  };

  return (
    <>
      <PageHeader
        title={
          <Flex gap={8} align="center">
            <FormIcon icon={def.icon} />
            {def.name}
          </Flex>
        }
        subTitle={def.description ?? undefined}
      />
      <Card style={{ maxWidth: 760 }}>
        <Form<Values>
          form={form}
          name="approval-submit"
          layout="vertical"
          onFinish={onFinish}
          scrollToFirstError
          data-testid="approval-form"
        >
          {def.fields.map((f) => (
            <FormFieldItem key={f.key} field={f} />
          ))}
          <Form.Item name="cc" label={t('approvalscentre.submit.cc')} extra={t('approvalscentre.submit.ccHint')}>
            <UsersPicker maxCount={50} />
          </Form.Item>
          <Flex gap={8}>
            <Button type="primary" htmlType="submit" loading={submit.isPending}>
              {t('approvalscentre.submit.button')}
            </Button>
            <Button onClick={() => void navigate(-1)}>{t('common.cancel')}</Button>
          </Flex>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
            {t('approvalscentre.submit.hint')}
          </Typography.Paragraph>
        </Form>
      </Card>
    </>
  );
}
