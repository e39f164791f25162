import type { App } from 'antd';
import type { TFunction } from '@web/app/i18n';
import type { BulkResult } from '../api';

type MessageInstance = ReturnType<typeof App.useApp>['message'];

/** Tells how a bulk action went: how many were done and, when some failed, why the first did. */
export function reportBulk(t: TFunction, message: MessageInstance, result: BulkResult | undefined, asked: number) {
  const failed = result?.failed ?? [];
  const done = typeof result?.done === 'number' ? result.done : asked - failed.length;
  if (failed.length) {
    void message.warning(t('customersui.bulk.partial', { done, failed: failed.length, reason: failed[0]?.message ?? '' }));
  } else {
    void message.success(t('customersui.bulk.done', { done }));
  }
}
