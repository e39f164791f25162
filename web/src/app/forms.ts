import type { FormInstance } from 'antd';
import { ApiError } from './api';

/**
 * Shows a failed request on the form: each server field error under its field (`admin.username` →
 * name path ['admin','username']); returns the message to show elsewhere (alert/toast) for what
 * no field of this form can display, or null when the fields show it all.
 */
export function showServerErrors(form: FormInstance, err: unknown, fields: string[]): string | null {
  if (!(err instanceof ApiError)) return err instanceof Error ? err.message : String(err);
  const byField = err.fieldErrors();
  const shown = Object.entries(byField).filter(([field]) => fields.includes(field));
  if (shown.length) {
    form.setFields(
      shown.map(([field, message]) => ({
        name: field.split('.'),
        // the label already names the field: drop the "field：" prefix the server puts first
        errors: [message.replace(new RegExp(`^${escapeRegExp(field)}\\s*[:：]\\s*`), '')],
      })),
    );
  }
  return shown.length === Object.keys(byField).length && shown.length > 0 ? null : err.message;
}

function escapeRegExp(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The client-side twin of the server's password rule, for instant feedback (the server decides). */
export function isStrongPassword(p: string): boolean {
  return p.length >= 8 && p.length <= 128 && /[A-Za-z]/.test(p) && /\d/.test(p);
}
