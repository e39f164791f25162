import { createContext, useContext, type ReactNode } from 'react';
import { Flex, Typography } from 'antd';
import type { FeatureRoute } from './features';
import { useT } from './i18n';

/** The FeatureRoute the shell is showing (set by the Layout). */
export const CurrentRouteContext = createContext<FeatureRoute | undefined>(undefined);

export function useCurrentRoute(): FeatureRoute | undefined {
  return useContext(CurrentRouteContext);
}

/**
 * A page's heading: the route's title (or `title`), an optional sub-title and actions on the right,
 * e.g. `<PageHeader extra={<Allowed access={…}><Button>…</Button></Allowed>} />`.
 */
export function PageHeader({ title, subTitle, extra }: { title?: ReactNode; subTitle?: ReactNode; extra?: ReactNode }) {
  const t = useT();
  const route = useCurrentRoute();
  return (
    <Flex align="center" justify="space-between" gap={16} wrap style={{ marginBottom: 16 }}>
      <Flex vertical gap={2}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {title ?? (route ? t(route.titleKey) : null)}
        </Typography.Title>
        {subTitle ? <Typography.Text type="secondary">{subTitle}</Typography.Text> : null}
      </Flex>
      {extra ? <Flex gap={8}>{extra}</Flex> : null}
    </Flex>
  );
}
