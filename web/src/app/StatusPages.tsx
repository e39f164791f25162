import { Button, Flex, Result, Spin } from 'antd';
import { Link } from 'react-router';
import { useT } from './i18n';

/** A centred spinner for the first load and lazy chunks. */
export function FullPageSpin() {
  return (
    <Flex align="center" justify="center" style={{ minHeight: '100vh' }}>
      <Spin size="large" />
    </Flex>
  );
}

/** A spinner inside the content area while a page chunk loads. */
export function PageSpin() {
  return (
    <Flex align="center" justify="center" style={{ minHeight: 240 }}>
      <Spin />
    </Flex>
  );
}

/** Something failed to load: offer a retry (default: reload the page). */
export function LoadError({ onRetry = () => location.reload() }: { onRetry?: () => void }) {
  const t = useT();
  return (
    <Result
      status="error"
      title={t('shell.error.title')}
      subTitle={t('shell.error.text')}
      extra={<Button onClick={onRetry}>{t('common.retry')}</Button>}
    />
  );
}

/** 403: the route exists but the user's position does not allow it. */
export function ForbiddenPage() {
  const t = useT();
  return (
    <Result
      status="403"
      title={t('shell.forbidden.title')}
      subTitle={t('shell.forbidden.text')}
      extra={
        <Link to="/">
          <Button type="primary">{t('shell.backHome')}</Button>
        </Link>
      }
    />
  );
}

/** 404 inside the shell. */
export function NotFoundPage() {
  const t = useT();
  return (
    <Result
      status="404"
      title={t('shell.notFound.title')}
      subTitle={t('shell.notFound.text')}
      extra={
        <Link to="/">
          <Button type="primary">{t('shell.backHome')}</Button>
        </Link>
      }
    />
  );
}
