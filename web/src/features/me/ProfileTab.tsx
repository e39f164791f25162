import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Descriptions, Form, Input, Select } from 'antd';
import { LOCALES, translate } from '@common/messages/index';
import { useMe } from '@web/app/auth';
import { showServerErrors } from '@web/app/forms';
import { isLocale, useLocale, useT } from '@web/app/i18n';
import { useUpdateProfile } from './api';

type Values = { name: string; locale: string };

/** Name and interface language; username and email are managed by an administrator. */
export function ProfileTab() {
  const t = useT();
  const me = useMe();
  const { locale, adoptLocale } = useLocale();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const update = useUpdateProfile();

  const submit = (v: Values) => {
    setError(null);
    update.mutate(
      { name: v.name.trim(), locale: v.locale },
      {
        onSuccess: () => {
          if (isLocale(v.locale)) adoptLocale(v.locale);
          // the language may just have changed: say it in the new one
          void message.success(translate(isLocale(v.locale) ? v.locale : locale, 'common.saved'));
        },
        onError: (e) => setError(showServerErrors(form, e, ['name', 'locale'])),
      },
    );
  };
  // the top-bar switch changes the profile too: keep the select in step
  useEffect(() => {
    if (isLocale(me.user.locale)) form.setFieldValue('locale', me.user.locale);
  }, [form, me.user.locale]);

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      style={{ maxWidth: 440 }}
      initialValues={{ name: me.user.name, locale: isLocale(me.user.locale) ? me.user.locale : locale }}
      onFinish={submit}
      requiredMark={false}
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
      <Descriptions
        column={1}
        size="small"
        style={{ marginBottom: 16 }}
        items={[
          { key: 'username', label: t('me.profile.username'), children: me.user.username },
          { key: 'email', label: t('me.profile.email'), children: me.user.email ?? '-' },
          { key: 'role', label: t('me.profile.role'), children: me.user.isAdmin ? t('shell.user.admin') : t('me.profile.roleUser') },
        ]}
      />
      <Form.Item
        name="name"
        label={t('me.profile.name')}
        rules={[{ required: true, whitespace: true, message: t('auth.required', { field: t('me.profile.name') }) }, { max: 50 }]}
      >
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item name="locale" label={t('me.profile.locale')}>
        <Select options={LOCALES.map((l) => ({ value: l, label: t(`shell.language.${l}`) }))} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={update.isPending}>
        {t('common.save')}
      </Button>
    </Form>
  );
}
