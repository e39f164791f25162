import { Button, Checkbox, Flex, Popover, Typography } from 'antd';
import { SettingOutlined } from '@ant-design/icons';
import { useT } from '@web/app/i18n';
import { DEFAULT_COLUMNS, type ColumnDef } from './columns';

type Props = { defs: ColumnDef[]; value: string[]; onChange: (columns: string[]) => void };

/** Which columns the table shows (the name always); the choice is kept per user. */
export function ColumnChooser({ defs, value, onChange }: Props) {
  const t = useT();
  const content = (
    <Flex vertical gap={8} style={{ width: 300 }}>
      <Checkbox.Group
        value={value}
        onChange={(v) => onChange(defs.map((d) => d.key).filter((k) => v.includes(k)))}
        style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 6, maxHeight: 360, overflow: 'auto' }}
        options={defs.map((d) => ({ value: d.key, label: d.title, disabled: d.key === 'name' }))}
      />
      <Flex justify="space-between" align="center">
        <Typography.Text type="secondary">{t('customersui.columns.hint')}</Typography.Text>
        <Button size="small" type="link" onClick={() => onChange(DEFAULT_COLUMNS)}>
          {t('customersui.columns.reset')}
        </Button>
      </Flex>
    </Flex>
  );
  return (
    <Popover trigger="click" placement="bottomRight" title={t('customersui.columns.title')} content={content}>
      <Button icon={<SettingOutlined />}>{t('customersui.columns.title')}</Button>
    </Popover>
  );
}
