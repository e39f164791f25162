import type { ReactNode } from 'react';
import { Card, Flex, Typography } from 'antd';
import { LanguageSwitch } from '@web/app/LanguageSwitch';
import { useT } from '@web/app/i18n';

/** The frame of the pages shown before the shell: brand, a centred card, language switch. */
export function AuthFrame({
  title,
  subTitle,
  width = 400,
  children,
}: {
  title: string;
  subTitle?: string;
  width?: number;
  children: ReactNode;
}) {
  const t = useT();
  return (
    <Flex vertical style={{ minHeight: '100vh', background: 'linear-gradient(135deg, #e8f0fe 0%, #f5f7fa 55%, #eef3f9 100%)' }}>
      <Flex align="center" justify="space-between" style={{ padding: '16px 32px' }}>
        <Flex align="center" gap={10}>
          <span
            style={{
              display: 'inline-flex',
              alignItems: 'center',
              justifyContent: 'center',
              width: 30,
              height: 30,
              borderRadius: 7,
              background: '#1668dc',
              color: '#fff',
              fontWeight: 700,
              fontSize: 17,
            }}
          >
            {t('shell.brand').slice(0, 1)}
          </span>
          <Typography.Text strong style={{ fontSize: 18 }}>
            {t('shell.brand')}
          </Typography.Text>
        </Flex>
        <LanguageSwitch />
      </Flex>
      <Flex flex={1} align="center" justify="center" style={{ padding: '16px 16px 64px' }}>
        <Card
          style={{ width, maxWidth: '100%', boxShadow: '0 8px 24px rgba(22, 104, 220, 0.08)' }}
          styles={{ body: { padding: '32px 36px' } }}
        >
          <Typography.Title level={3} style={{ marginTop: 0, marginBottom: subTitle ? 4 : 24 }}>
            {title}
          </Typography.Title>
          {subTitle ? (
            <Typography.Paragraph type="secondary" style={{ marginBottom: 24 }}>
              {subTitle}
            </Typography.Paragraph>
          ) : null}
          {children}
        </Card>
      </Flex>
    </Flex>
  );
}
