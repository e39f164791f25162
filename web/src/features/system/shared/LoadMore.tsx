import { Button, Flex, Typography } from 'antd';
import { useT } from '@web/app/i18n';

type Props = { hasMore: boolean; loading: boolean; onMore: () => void; shown: number; total?: number };

/** Footer of a keyset-paged table: how many rows are shown and a "load more" button. */
export function LoadMore({ hasMore, loading, onMore, shown, total }: Props) {
  const t = useT();
  return (
    <Flex justify="space-between" align="center" style={{ marginTop: 12 }}>
      <Typography.Text type="secondary">
        {total !== undefined ? t('admin.shown_of_total', { shown, total }) : t('admin.shown', { shown })}
      </Typography.Text>
      {hasMore && (
        <Button onClick={onMore} loading={loading}>
          {t('common.loadMore')}
        </Button>
      )}
    </Flex>
  );
}
