import { Button, Dropdown } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { LOCALES } from '@common/messages/index';
import { isLocale, useLocale, useT } from './i18n';

/** Language menu (top bar, login page): zh-CN / en-US, each named in its own language. */
export function LanguageSwitch({ compact = false }: { compact?: boolean }) {
  const t = useT();
  const { locale, setLocale } = useLocale();
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: [locale],
        items: LOCALES.map((l) => ({ key: l, label: t(`shell.language.${l}`) })),
        onClick: ({ key }) => {
          if (isLocale(key)) setLocale(key);
        },
      }}
    >
      <Button type="text" icon={<GlobalOutlined />} title={t('shell.language')} aria-label={compact ? t('shell.language') : undefined}>
        {compact ? null : t(`shell.language.${locale}`)}
      </Button>
    </Dropdown>
  );
}
