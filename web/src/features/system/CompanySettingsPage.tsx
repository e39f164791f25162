import { useMemo } from 'react';
import { Button, Card, Form, Input, InputNumber, Select, Skeleton } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { patch } from '@web/app/api';
import { ME_QUERY_KEY } from '@web/app/auth';
import { useT } from '@web/app/i18n';
import { PageHeader } from '@web/app/PageHeader';
import { useFeedback } from './shared/useFeedback';
import { systemKeys, useCompanySettings, type CompanySettings } from './api';

/** Every IANA zone the browser knows, the company's current one first if it is missing. */
function timeZones(current: string | undefined): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['Asia/Shanghai', 'UTC'];
  return current && !zones.includes(current) ? [current, ...zones] : zones;
}

/** /system/settings: company name, time zone (day boundaries, schedules) and recycle-bin retention. */
export function CompanySettingsPage() {
  const t = useT();
  const [form] = Form.useForm<CompanySettings>();
  const feedback = useFeedback();
  const qc = useQueryClient();
  const { data, isLoading } = useCompanySettings();
  const zones = useMemo(() => timeZones(data?.timezone).map((z) => ({ value: z, label: z })), [data?.timezone]);
  const save = useMutation({
    mutationFn: (body: Partial<CompanySettings>) => patch<CompanySettings>('/settings/company', body),
    onSuccess: (fresh) => {
      qc.setQueryData(systemKeys.company, fresh);
      // the top bar shows the company name from /me
      return qc.invalidateQueries({ queryKey: ME_QUERY_KEY });
    },
  });

  function submit(values: CompanySettings) {
    const changed = Object.fromEntries(Object.entries(values).filter(([k, v]) => data?.[k as keyof CompanySettings] !== v));
    if (!Object.keys(changed).length) return feedback.success('common.saved');
    save.mutate(changed, { onSuccess: () => feedback.success('common.saved'), onError: (e) => feedback.failure(e, form) });
  }

  return (
    <>
      <PageHeader />
      <Card style={{ maxWidth: 640 }}>
        {isLoading || !data ? (
          <Skeleton active />
        ) : (
          <Form form={form} layout="vertical" initialValues={data} onFinish={submit}>
            <Form.Item
              name="name"
              label={t('system.settings.company_name')}
              rules={[{ required: true, whitespace: true, message: t('admin.required') }, { max: 100 }]}
            >
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item
              name="timezone"
              label={t('system.settings.timezone')}
              extra={t('system.settings.timezone_hint')}
              rules={[{ required: true, message: t('admin.required') }]}
            >
              <Select options={zones} showSearch={{ optionFilterProp: 'label' }} />
            </Form.Item>
            <Form.Item
              name="recycleRetentionDays"
              label={t('system.settings.retention')}
              extra={t('system.settings.retention_hint')}
              rules={[{ required: true, message: t('admin.required') }]}
            >
              <InputNumber min={1} max={3650} precision={0} suffix={t('system.settings.days')} style={{ width: 200 }} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Form>
        )}
      </Card>
    </>
  );
}
