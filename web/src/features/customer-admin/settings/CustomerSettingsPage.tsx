import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Form, Skeleton, Space, Tabs, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, put } from '@web/app/api';
import { useT } from '@web/app/i18n';
import { PageHeader } from '@web/app/PageHeader';
import { LoadError } from '@web/app/StatusPages';
import { useCustomerSettings } from '@web/features/customers/hooks';
import type { CustomerSettings } from '@common/schemas/customer-settings';
import { OptionListEditor } from './OptionListEditor';
import { CategoryExtra, NumberingSection, PoolAndCapsSection } from './RulesSections';

type ListName = 'categories' | 'stages' | 'importances' | 'sources' | 'industries';
const LIST_MAX: Record<ListName, number> = { categories: 50, stages: 20, importances: 10, sources: 50, industries: 100 };

/** The form's values → the PUT body: an empty visit cycle is "none", region names de-duplicated. */
function bodyOf(v: CustomerSettings): CustomerSettings {
  return {
    ...v,
    categories: v.categories.map((c) => ({ ...c, requiredFields: c.requiredFields ?? [], visitCycleDays: c.visitCycleDays ?? null })),
    regionPrefixes: [...new Set((v.regionPrefixes ?? []).map((p) => p.trim()).filter(Boolean))],
  };
}

/** `categories.0.key` → ['categories', 0, 'key'] (Form.List rows are numbered). */
const namePath = (field: string) => field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));

/** /settings/customers (admin): the customer standards — categories with required fields and visit cycles, lists, numbering, pool rules, caps. */
export function CustomerSettingsPage() {
  const t = useT();
  const settings = useCustomerSettings();
  if (settings.isLoading) return <Skeleton active />;
  if (settings.isError || !settings.data) return <LoadError onRetry={() => void settings.refetch()} />;
  return <SettingsForm key={JSON.stringify(settings.data)} initial={settings.data} title={t('salesui.settings.title')} />;
}

function SettingsForm({ initial, title }: { initial: CustomerSettings; title: string }) {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<CustomerSettings>();
  const [problem, setProblem] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);
  const saved = useMemo(() => {
    const keys = (list: ListName) => new Set(initial[list].map((o) => o.key));
    return {
      categories: keys('categories'),
      stages: keys('stages'),
      importances: keys('importances'),
      sources: keys('sources'),
      industries: keys('industries'),
    };
  }, [initial]);
  const save = useMutation({
    mutationFn: (body: CustomerSettings) => put<CustomerSettings>('/customer-settings', body),
    onSuccess: (data) => qc.setQueryData(['customers', 'settings'], data),
  });

  async function submit(v: CustomerSettings) {
    setProblem(null);
    try {
      await save.mutateAsync(bodyOf(v));
      setDirty(false);
      void message.success(t('common.saved'));
    } catch (err) {
      if (!(err instanceof ApiError)) return setProblem(t('admin.network_error'));
      const errors = err.problem.errors ?? [];
      // the server names nested fields (categories.0.key); the typed name paths cannot express them
      const fields = errors.map((e) => ({ name: namePath(e.field), errors: [e.message.replace(/^[^：:]*[：:]\s*/, '')] }));
      form.setFields(fields as Parameters<typeof form.setFields>[0]);
      setProblem(errors.length ? errors.map((e) => e.message).join('；') : err.message);
    }
  }

  const list = (name: ListName, min: number, hint?: string) => (
    <>
      {hint && <Typography.Paragraph type="secondary">{hint}</Typography.Paragraph>}
      <OptionListEditor
        name={name}
        savedKeys={saved[name]}
        min={min}
        max={LIST_MAX[name]}
        extra={name === 'categories' ? (i) => <CategoryExtra index={i} /> : undefined}
        blank={name === 'categories' ? { requiredFields: [], visitCycleDays: null } : undefined}
      />
    </>
  );

  return (
    <>
      <PageHeader
        title={title}
        extra={
          <Space>
            <Button
              disabled={!dirty}
              onClick={() => {
                form.resetFields();
                setDirty(false);
                setProblem(null);
              }}
            >
              {t('admin.reset')}
            </Button>
            <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="settings-save">
              {t('common.save')}
            </Button>
          </Space>
        }
      />
      {problem && (
        <Alert type="error" showIcon title={problem} closable={{ onClose: () => setProblem(null) }} style={{ marginBottom: 16 }} />
      )}
      <Card>
        <Form
          form={form}
          layout="vertical"
          initialValues={initial}
          onFinish={(v) => void submit(v)}
          onValuesChange={() => setDirty(true)}
          onFinishFailed={() => setProblem(t('salesui.settings.fix_errors'))}
        >
          <Tabs
            // every tab stays mounted so the whole object is saved and validated together
            destroyOnHidden={false}
            items={[
              {
                key: 'categories',
                label: t('salesui.settings.tab.categories'),
                forceRender: true,
                children: list('categories', 1, t('salesui.settings.categories_hint')),
              },
              {
                key: 'stages',
                label: t('salesui.settings.tab.stages'),
                forceRender: true,
                children: list('stages', 1, t('salesui.settings.stages_hint')),
              },
              { key: 'importances', label: t('salesui.settings.tab.importances'), forceRender: true, children: list('importances', 1) },
              { key: 'sources', label: t('salesui.settings.tab.sources'), forceRender: true, children: list('sources', 0) },
              { key: 'industries', label: t('salesui.settings.tab.industries'), forceRender: true, children: list('industries', 0) },
              { key: 'numbering', label: t('salesui.settings.tab.numbering'), forceRender: true, children: <NumberingSection /> },
              { key: 'pool', label: t('salesui.settings.tab.pool'), forceRender: true, children: <PoolAndCapsSection /> },
            ]}
          />
        </Form>
      </Card>
    </>
  );
}
