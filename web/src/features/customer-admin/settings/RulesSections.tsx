import { Col, Form, Input, InputNumber, Row, Select, Switch, Typography } from 'antd';
import { useT } from '@web/app/i18n';
import { REQUIRABLE_FIELDS } from '@common/schemas/customer-settings';

/** A category's required fields and visit cycle, beside its key and label. */
export function CategoryExtra({ index }: { index: number }) {
  const t = useT();
  return (
    <>
      <Form.Item name={[index, 'requiredFields']} style={{ marginBottom: 0, minWidth: 280, flex: 1 }}>
        <Select
          mode="multiple"
          allowClear
          placeholder={t('salesui.settings.required_fields')}
          aria-label={t('salesui.settings.required_fields')}
          options={REQUIRABLE_FIELDS.map((f) => ({ value: f, label: t(`customer.field.${f}`) }))}
        />
      </Form.Item>
      <Form.Item name={[index, 'visitCycleDays']} style={{ marginBottom: 0, width: 150 }}>
        <InputNumber
          min={1}
          max={365}
          precision={0}
          placeholder={t('salesui.settings.no_cycle')}
          suffix={t('salesui.settings.days')}
          aria-label={t('salesui.settings.visit_cycle')}
          style={{ width: '100%' }}
        />
      </Form.Item>
    </>
  );
}

/** 编号规则 and the region names the duplicate check ignores. */
export function NumberingSection() {
  const t = useT();
  const code = Form.useWatch('code');
  const sample = code
    ? `${code.prefix ?? ''}${code.date === 'yyyymm' ? '202611' : code.date === 'yyyymmdd' ? '20261127' : ''}${'1'.padStart(code.digits ?? 4, '0')}`
    : '';
  return (
    <>
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item name={['code', 'prefix']} label={t('salesui.settings.code_prefix')} rules={[{ max: 10 }]}>
            <Input />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name={['code', 'date']} label={t('salesui.settings.code_date')}>
            <Select
              options={(['none', 'yyyymm', 'yyyymmdd'] as const).map((d) => ({ value: d, label: t(`salesui.settings.code_date.${d}`) }))}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name={['code', 'digits']} label={t('salesui.settings.code_digits')}>
            <InputNumber min={3} max={10} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Typography.Paragraph type="secondary">{t('salesui.settings.code_sample', { sample })}</Typography.Paragraph>
      <Form.Item name="regionPrefixes" label={t('salesui.settings.region_prefixes')} extra={t('salesui.settings.region_prefixes_help')}>
        <Select mode="tags" tokenSeparators={[',', '，', ' ', '、']} open={false} suffixIcon={null} />
      </Form.Item>
    </>
  );
}

/** 公海回收规则 and 客户数上限. */
export function PoolAndCapsSection() {
  const t = useT();
  const days = (name: string, max: number) => (
    <Col xs={24} md={8}>
      <Form.Item name={['pool', name]} label={t(`salesui.settings.pool.${name}`)} extra={t(`salesui.settings.pool.${name}_help`)}>
        <InputNumber min={0} max={max} precision={0} suffix={t('salesui.settings.days')} style={{ width: '100%' }} />
      </Form.Item>
    </Col>
  );
  const flag = (group: 'pool' | 'caps', name: string) => (
    <Col xs={24} md={8}>
      <Form.Item name={[group, name]} label={t(`salesui.settings.${group}.${name}`)} valuePropName="checked">
        <Switch />
      </Form.Item>
    </Col>
  );
  return (
    <>
      <Typography.Title level={5}>{t('salesui.settings.pool')}</Typography.Title>
      <Row gutter={16}>
        {flag('pool', 'enabled')}
        {flag('pool', 'exemptLocked')}
        {flag('pool', 'exemptDeals')}
        {days('noContactDays', 3650)}
        {days('noDealDays', 3650)}
        {days('warnDays', 365)}
      </Row>
      <Typography.Title level={5}>{t('salesui.settings.caps')}</Typography.Title>
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item name={['caps', 'perUser']} label={t('salesui.settings.caps.perUser')} extra={t('salesui.settings.caps.zero')}>
            <InputNumber min={0} max={1_000_000} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item
            name={['caps', 'perDepartment']}
            label={t('salesui.settings.caps.perDepartment')}
            extra={t('salesui.settings.caps.zero')}
          >
            <InputNumber min={0} max={10_000_000} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        {flag('caps', 'countDeals')}
      </Row>
    </>
  );
}
