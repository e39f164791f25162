import { Form, Input } from 'antd';
import type { FormField } from '@common/schemas/approvals';
import { ApiError } from '@web/app/api';
import { useT } from '@web/app/i18n';
import { CustomValueItem } from '@web/features/customers/shared/CustomValueItem';
import { AttachmentsInput } from '../shared/AttachmentsInput';

/**
 * One field of a custom form (name `['values', key]`), the input chosen by its type: the custom-field
 * types as on records (money typed in 元 and kept in 分, never negative), plus a long text and
 * attachments (uploaded files, sent as their ids).
 */
export function FormFieldItem({ field }: { field: FormField }) {
  const t = useT();
  const name = ['values', field.key];
  const rules = field.required
    ? [
        {
          required: true,
          message: t('approvalscentre.form.required', { field: field.label }),
          ...(field.type === 'text' || field.type === 'textarea' ? { whitespace: true } : {}),
        },
      ]
    : [];
  const common = { name, label: field.label, rules };
  switch (field.type) {
    case 'textarea':
      return (
        <Form.Item {...common}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={5000} />
        </Form.Item>
      );
    case 'attachments':
      return (
        <Form.Item {...common}>
          <AttachmentsInput />
        </Form.Item>
      );
    default:
      return (
        <CustomValueItem {...common} type={field.type} options={(field.options ?? []).map((o) => ({ value: o, label: o }))} nonNegative />
      );
  }
}

/**
 * Values as the form holds them → as the server takes them (attachments: file ids). Empty values are
 * left out of a new entry; for a change (`clear`) they are sent as null, which clears them.
 */
export function formValuesOut(fields: FormField[], values: Record<string, unknown> | undefined, clear = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = values?.[f.key];
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) {
      if (clear) out[f.key] = null;
      continue;
    }
    out[f.key] = f.type === 'attachments' && Array.isArray(v) ? (v as { id: string }[]).map((a) => a.id) : v;
  }
  return out;
}

/** Values as the server keeps them → as the form holds them (attachments from ids, named from the entry's files). */
export function formValuesIn(
  fields: FormField[],
  values: Record<string, unknown>,
  files: { id: string; name: string }[] = [],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = values[f.key];
    if (f.type === 'attachments')
      out[f.key] = Array.isArray(v)
        ? v.map((a: unknown) => {
            const id = typeof a === 'string' ? a : (a as { id: string }).id;
            return { id, name: files.find((x) => x.id === id)?.name ?? '' };
          })
        : [];
    else out[f.key] = v;
  }
  return out;
}

/**
 * The server names a form value's problems `values.<key>` or deeper (`values.files.0`: one of its
 * files); the form has one input per key, so deeper names are folded onto it.
 */
export function foldValueErrors(err: unknown): unknown {
  if (!(err instanceof ApiError) || !err.problem.errors?.length) return err;
  const errors = err.problem.errors.map((e) => {
    const m = /^values\.([^.]+)\..+$/.exec(e.field);
    if (!m) return e;
    const message = e.message.startsWith(e.field) ? e.message.slice(e.field.length).replace(/^\s*[:：]\s*/, '') : e.message;
    return { ...e, field: `values.${m[1]}`, message };
  });
  return new ApiError({ ...err.problem, errors });
}
