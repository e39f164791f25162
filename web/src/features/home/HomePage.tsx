import { Link } from 'react-router';
import { Avatar, Button, Card, Col, Flex, Row, Typography } from 'antd';
import { BellOutlined, SettingOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useMe } from '@web/app/auth';
import { useLocale, useT } from '@web/app/i18n';
import { useNotificationSummary } from '@web/features/notifications/api';

function greetingKey(hour: number): string {
  if (hour < 11) return 'home.greeting.morning';
  if (hour < 13) return 'home.greeting.noon';
  if (hour < 18) return 'home.greeting.afternoon';
  return 'home.greeting.evening';
}

/** "/": a welcome card for now; business dashboards arrive with their modules. */
export function HomePage() {
  const t = useT();
  const { locale } = useLocale();
  const me = useMe();
  const summary = useNotificationSummary();
  const unread = summary.data?.unread ?? 0;
  const name = me.user.name || me.user.username;
  const now = dayjs();
  const date = now.format(locale === 'zh-CN' ? 'YYYY年M月D日 dddd' : 'dddd, MMMM D, YYYY');

  return (
    <Row gutter={[16, 16]}>
      <Col span={24}>
        <Card>
          <Flex align="center" gap={20}>
            <Avatar size={64} style={{ backgroundColor: '#1668dc', fontSize: 28, flex: 'none' }}>
              {name.slice(0, 1).toUpperCase()}
            </Avatar>
            <Flex vertical gap={4}>
              <Typography.Title level={3} style={{ margin: 0 }} data-testid="welcome">
                {t('home.welcome', { name, greeting: t(greetingKey(now.hour())) })}
              </Typography.Title>
              <Typography.Text type="secondary">{t('home.company', { company: me.company.name })}</Typography.Text>
              <Typography.Text type="secondary">{t('home.today', { date })}</Typography.Text>
            </Flex>
          </Flex>
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card title={t('home.shortcuts')} style={{ height: '100%' }}>
          <Flex gap={12} wrap>
            <Link to="/notifications">
              <Button icon={<BellOutlined />}>{t('home.shortcut.notifications')}</Button>
            </Link>
            <Link to="/me/settings/profile">
              <Button icon={<SettingOutlined />}>{t('home.shortcut.settings')}</Button>
            </Link>
          </Flex>
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card
          title={t('notifications.title')}
          style={{ height: '100%' }}
          extra={<Link to="/notifications">{t('notifications.viewAll')}</Link>}
        >
          <Typography.Text type={unread ? undefined : 'secondary'}>
            {unread ? t('home.unread', { count: unread }) : t('home.noUnread')}
          </Typography.Text>
        </Card>
      </Col>
    </Row>
  );
}
