import { App } from 'antd';
import type { FormInstance } from 'antd';
import { ApiError } from '@web/app/api';
import { showServerErrors } from '@web/app/forms';
import { useT } from '@web/app/i18n';

/**
 * Success and failure messages for admin pages. A failed request's field errors go onto the
 * form's fields when the form has them; anything left over is shown as a message.
 */
export function useFeedback() {
  const { message } = App.useApp();
  const t = useT();
  return {
    success(key: string, params?: Record<string, string | number>) {
      void message.success(t(key, params));
    },
    failure(err: unknown, form?: FormInstance) {
      if (!(err instanceof ApiError)) {
        void message.error(t('admin.network_error'));
        return;
      }
      const rest = form ? showServerErrors(form, err, Object.keys(form.getFieldsValue())) : err.message;
      if (rest) void message.error(rest);
    },
  };
}
