import { Checkbox, Col, DatePicker, Divider, Form, Input, InputNumber, Radio, Row, Select, Switch, type FormInstance } from 'antd';
import { MAIL_PRESETS, type IncomingProtocol, type MailSecurity } from '@common/schemas/mail';
import { useT } from '@web/app/i18n';
import { AUTH_CODE_PRESETS, CUSTOM_PRESET, isStandardPort, presetOfAddress, standardPort, type AccountFormValues } from './accountForm';

type Props = { form: FormInstance<AccountFormValues>; editing: boolean };

/** The fields of a mail account; picking a preset (or typing an address at a known domain) fills the servers. */
export function AccountFormFields({ form, editing }: Props) {
  const t = useT();
  const protocol = Form.useWatch('protocol', form) ?? 'imap';
  const preset = Form.useWatch('preset', form) ?? CUSTOM_PRESET;
  const required = (label: string) => [{ required: true, whitespace: true, message: t('mailui.required', { field: label }) }];
  const securityOptions = (['tls', 'starttls', 'none'] as const).map((s) => ({ value: s, label: t(`mailui.security.${s}`) }));

  function applyPreset(key: string, proto: IncomingProtocol = form.getFieldValue('protocol') as IncomingProtocol) {
    const p = MAIL_PRESETS.find((x) => x.key === key);
    if (!p) return;
    form.setFieldsValue({ incoming: { ...p[proto] }, smtp: { ...p.smtp } });
  }

  function onAddress(address: string) {
    const p = presetOfAddress(address);
    if (p && p.key !== form.getFieldValue('preset')) {
      form.setFieldsValue({ preset: p.key });
      applyPreset(p.key);
    }
    if (!form.isFieldTouched('username')) form.setFieldsValue({ username: address.trim() });
    if (!form.getFieldValue('name')) form.setFieldsValue({ name: address.trim() });
  }

  // a new security mode moves a standard port along (993 ↔ 143 …); a custom port stays
  function onSecurity(kind: 'incoming' | 'smtp', security: MailSecurity) {
    const port = form.getFieldValue([kind, 'port']) as number | undefined;
    if (!isStandardPort(port)) return;
    form.setFieldValue(
      [kind, 'port'],
      standardPort(kind === 'smtp' ? 'smtp' : (form.getFieldValue('protocol') as IncomingProtocol), security),
    );
  }

  function onProtocol(proto: IncomingProtocol) {
    if (preset !== CUSTOM_PRESET) return applyPreset(preset, proto);
    const security = form.getFieldValue(['incoming', 'security']) as MailSecurity;
    if (isStandardPort(form.getFieldValue(['incoming', 'port']) as number))
      form.setFieldValue(['incoming', 'port'], standardPort(proto, security));
  }

  const endpoint = (kind: 'incoming' | 'smtp', label: string) => (
    <Row gutter={12}>
      <Col span={12}>
        <Form.Item
          name={[kind, 'host']}
          label={t('mailui.accounts.host', { side: label })}
          rules={required(t('mailui.accounts.host', { side: label }))}
        >
          <Input placeholder={kind === 'smtp' ? 'smtp.example.com' : 'imap.example.com'} />
        </Form.Item>
      </Col>
      <Col span={5}>
        <Form.Item
          name={[kind, 'port']}
          label={t('mailui.accounts.port')}
          rules={[{ required: true, message: t('mailui.required', { field: t('mailui.accounts.port') }) }]}
        >
          <InputNumber min={1} max={65535} style={{ width: '100%' }} />
        </Form.Item>
      </Col>
      <Col span={7}>
        <Form.Item name={[kind, 'security']} label={t('mailui.accounts.security')}>
          <Select options={securityOptions} onChange={(v: MailSecurity) => onSecurity(kind, v)} />
        </Form.Item>
      </Col>
    </Row>
  );

  return (
    <>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item
            name="address"
            label={t('mailui.accounts.address')}
            rules={[...required(t('mailui.accounts.address')), { type: 'email', message: t('mailui.accounts.bad_address') }]}
          >
            <Input placeholder="name@example.com" autoComplete="off" onBlur={(e) => onAddress(e.target.value)} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="name" label={t('mailui.accounts.name')} rules={required(t('mailui.accounts.name'))}>
            <Input maxLength={50} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="preset" label={t('mailui.accounts.preset')}>
            <Select
              onChange={(key: string) => applyPreset(key)}
              options={[
                ...MAIL_PRESETS.map((p) => ({ value: p.key, label: t(`mailui.preset.${p.key}`) })),
                { value: CUSTOM_PRESET, label: t('mailui.preset.custom') },
              ]}
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="displayName" label={t('mailui.accounts.display_name')} tooltip={t('mailui.accounts.display_name_hint')}>
            <Input maxLength={100} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="protocol" label={t('mailui.accounts.protocol')}>
        <Radio.Group
          optionType="button"
          options={[
            { value: 'imap', label: 'IMAP' },
            { value: 'pop3', label: 'POP3' },
          ]}
          onChange={(e) => onProtocol(e.target.value as IncomingProtocol)}
        />
      </Form.Item>
      {endpoint('incoming', protocol.toUpperCase())}
      {endpoint('smtp', 'SMTP')}
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="username" label={t('mailui.accounts.username')} rules={required(t('mailui.accounts.username'))}>
            <Input autoComplete="off" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="password"
            label={t('mailui.accounts.password')}
            extra={AUTH_CODE_PRESETS.includes(preset) ? t('mailui.accounts.auth_code_hint') : undefined}
            rules={editing ? [] : [{ required: true, message: t('mailui.required', { field: t('mailui.accounts.password') }) }]}
          >
            <Input.Password autoComplete="new-password" placeholder={editing ? t('mailui.accounts.password_unchanged') : undefined} />
          </Form.Item>
        </Col>
      </Row>
      <Divider style={{ margin: '4px 0 16px' }} />
      {protocol === 'pop3' ? (
        <Form.Item name="deleteAfterFetch" valuePropName="checked" extra={t('mailui.accounts.delete_after_hint')}>
          <Checkbox>{t('mailui.accounts.delete_after')}</Checkbox>
        </Form.Item>
      ) : (
        <Form.Item name="markAsRead" valuePropName="checked">
          <Checkbox>{t('mailui.accounts.mark_read')}</Checkbox>
        </Form.Item>
      )}
      <Form.Item name="allowSelfSignedCertificate" valuePropName="checked" extra={t('mailui.accounts.self_signed_hint')}>
        <Checkbox>{t('mailui.accounts.self_signed')}</Checkbox>
      </Form.Item>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item
            name="fetchSince"
            label={t('mailui.accounts.fetch_since')}
            extra={editing ? t('mailui.accounts.fetch_since_fixed') : t('mailui.accounts.fetch_since_hint')}
          >
            <DatePicker disabled={editing} style={{ width: '100%' }} allowClear={false} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="fetchIntervalMinutes" label={t('mailui.accounts.interval')}>
            <InputNumber min={1} max={1440} style={{ width: '100%' }} suffix={t('mailui.accounts.minutes')} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="signature" label={t('mailui.accounts.signature')}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={20000} />
      </Form.Item>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="isDefault" valuePropName="checked" label={t('mailui.accounts.default')}>
            <Switch />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="enabled"
            valuePropName="checked"
            label={t('mailui.accounts.enabled')}
            tooltip={t('mailui.accounts.enabled_hint')}
          >
            <Switch />
          </Form.Item>
        </Col>
      </Row>
    </>
  );
}
