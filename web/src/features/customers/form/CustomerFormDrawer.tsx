import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, App, Button, Drawer, Form, Skeleton, Space } from 'antd';
import { useT } from '@web/app/i18n';
import { ApiError } from '@web/app/api';
import type { Customer, CustomerKind } from '../api';
import { useCustomer, useCustomerSettings, useCustomFields } from '../hooks';
import { useCustomerMutations } from '../useCustomerMutations';
import { CustomerForm, type CustomerFormValues } from './CustomerForm';
import { createBody, formValuesOf, showCustomerErrors, updateBody } from './customerBody';

type Props = {
  /** 'new' to create, a customer id to edit, null when closed */
  target: string | null;
  kind: CustomerKind;
  onClose: () => void;
};

/** Create or edit a customer in a drawer; a new customer opens on its 360° page once saved. */
export function CustomerFormDrawer({ target, kind, onClose }: Props) {
  const t = useT();
  const isNew = target === 'new';
  const customer = useCustomer(target && !isNew ? target : undefined);
  const settings = useCustomerSettings();
  const title = isNew
    ? t(kind === 'partner' ? 'customersui.partner.create' : 'customersui.customer.create')
    : t('customersui.customer.edit_title', { name: customer.data?.name ?? '' });
  const ready = settings.data && (isNew || customer.data);
  return (
    <Drawer open={target !== null} onClose={onClose} title={title} size={760} destroyOnHidden>
      {ready ? (
        <CustomerEditor
          key={customer.data?.version ?? 'new'}
          customer={isNew ? null : (customer.data ?? null)}
          kind={kind}
          onDone={onClose}
        />
      ) : (
        <Skeleton active />
      )}
    </Drawer>
  );
}

function CustomerEditor({ customer, kind, onDone }: { customer: Customer | null; kind: CustomerKind; onDone: () => void }) {
  const t = useT();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<CustomerFormValues>();
  const { data: customFields } = useCustomFields('customer');
  const { data: settings } = useCustomerSettings();
  const { create, update } = useCustomerMutations();
  const [problem, setProblem] = useState<{ text: string; duplicate: boolean } | null>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problem) alertRef.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [problem]);
  const defaults = { category: settings?.categories[0]?.key, stage: settings?.stages[0]?.key };

  async function submit(v: CustomerFormValues) {
    setProblem(null);
    try {
      if (!customer) {
        const created = await create.mutateAsync(createBody(v, kind));
        void message.success(t('customersui.customer.created', { name: created.name }));
        onDone();
        void navigate(`/customers/${created.id}`);
      } else {
        const body = updateBody(v, customer);
        if (body) await update.mutateAsync({ id: customer.id, ...body });
        void message.success(t('common.saved'));
        onDone();
      }
    } catch (err) {
      const rest = showCustomerErrors(
        form,
        err,
        (customFields ?? []).map((f) => f.key),
        !customer,
      );
      // a duplicate: the server's message names the owner, which the field error alone does not
      if (err instanceof ApiError && err.problem.code === 'customer_duplicate') setProblem({ text: err.problem.detail, duplicate: true });
      else if (rest) setProblem({ text: rest, duplicate: false });
    }
  }

  return (
    <>
      <div ref={alertRef} />
      {problem && (
        <Alert
          type={problem.duplicate ? 'warning' : 'error'}
          showIcon
          title={problem.duplicate ? t('customersui.form.duplicate_title') : problem.text}
          description={problem.duplicate ? problem.text : undefined}
          closable={{ onClose: () => setProblem(null) }}
          style={{ marginBottom: 16 }}
          data-testid="customer-form-problem"
        />
      )}
      <CustomerForm form={form} customer={customer} initialValues={formValuesOf(customer, defaults)} onFinish={(v) => void submit(v)} />
      <Space style={{ marginTop: 8 }}>
        <Button type="primary" loading={create.isPending || update.isPending} onClick={() => form.submit()}>
          {t('common.save')}
        </Button>
        <Button onClick={onDone}>{t('common.cancel')}</Button>
      </Space>
    </>
  );
}
