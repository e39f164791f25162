import { useState } from 'react';
import { Alert, Button, Drawer, Form, Space } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import type { MailTestResult } from '@common/schemas/mail';
import { patch, post } from '@web/app/api';
import { useT } from '@web/app/i18n';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { mailKeys, type MailAccount } from '../api';
import { createBody, defaultValues, updateBody, type AccountFormValues } from './accountForm';
import { AccountFormFields } from './AccountFormFields';
import { TestResultView } from './TestResultView';

type Props = {
  /** 'new', an account to edit, or null when closed */
  target: MailAccount | 'new' | null;
  onClose: () => void;
};

/** Add or edit a mail account: the settings, 测试连接 (both sides, the server's answer) and 保存. */
export function AccountDrawer({ target, onClose }: Props) {
  const t = useT();
  const account = target === 'new' ? null : target;
  return (
    <Drawer
      open={target !== null}
      onClose={onClose}
      title={account ? t('mailui.accounts.edit_title', { name: account.name }) : t('mailui.accounts.add_title')}
      size={640}
      destroyOnHidden
    >
      {target !== null ? <AccountEditor account={account} onDone={onClose} /> : null}
    </Drawer>
  );
}

function AccountEditor({ account, onDone }: { account: MailAccount | null; onDone: () => void }) {
  const t = useT();
  const qc = useQueryClient();
  const feedback = useFeedback();
  const [form] = Form.useForm<AccountFormValues>();
  const [saving, setSaving] = useState(false);
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<{ value: MailTestResult; stored: boolean } | null>(null);

  async function save(v: AccountFormValues) {
    setSaving(true);
    try {
      if (account) await patch(`/mail/accounts/${encodeURIComponent(account.id)}`, updateBody(v, account.version));
      else await post('/mail/accounts', createBody(v));
      void qc.invalidateQueries({ queryKey: mailKeys.accounts });
      feedback.success('common.saved');
      onDone();
    } catch (e) {
      feedback.failure(e, form);
    } finally {
      setSaving(false);
    }
  }

  async function test() {
    // what is typed is tested; editing without a new password tests the saved account
    const useStored = !!account && !form.getFieldValue('password');
    let values: AccountFormValues;
    try {
      values = useStored ? form.getFieldsValue(true) : await form.validateFields();
    } catch {
      return;
    }
    setTesting(true);
    setResult(null);
    try {
      const value =
        account && useStored
          ? await post<MailTestResult>(`/mail/accounts/${encodeURIComponent(account.id)}/test`)
          : await post<MailTestResult>('/mail/accounts/test', createBody(values));
      setResult({ value, stored: useStored && form.isFieldsTouched() });
    } catch (e) {
      feedback.failure(e, form);
    } finally {
      setTesting(false);
    }
  }

  return (
    <>
      <Form<AccountFormValues>
        form={form}
        layout="vertical"
        initialValues={defaultValues(account)}
        onFinish={(v) => void save(v)}
        requiredMark={false}
        onValuesChange={() => setResult(null)}
      >
        <AccountFormFields form={form} editing={!!account} />
      </Form>
      {result ? (
        <Alert
          style={{ marginBottom: 16 }}
          type={result.value.incoming.ok && result.value.smtp.ok ? 'success' : 'error'}
          title={result.stored ? t('mailui.accounts.tested_stored') : t('mailui.accounts.test_title')}
          description={<TestResultView result={result.value} />}
        />
      ) : null}
      <Space>
        <Button type="primary" loading={saving} onClick={() => form.submit()}>
          {t('common.save')}
        </Button>
        <Button loading={testing} onClick={() => void test()}>
          {t('mailui.accounts.test')}
        </Button>
        <Button onClick={onDone}>{t('common.cancel')}</Button>
      </Space>
    </>
  );
}
