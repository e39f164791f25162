import { Descriptions, Empty, Skeleton, Typography } from 'antd';
import { PaperClipOutlined } from '@ant-design/icons';
import type { ApprovalDetail, FlowFieldKind, FormField } from '@common/schemas/approvals';
import { useT, type TFunction } from '@web/app/i18n';
import { fileUrl } from '../shared/ActionHistory';
import { FORM_TYPE_PREFIX, useFormEntry } from '../shared/api';

/** `display`: the server's words for an id value (user and department names) */
type Row = { key: string; label: string; kind: FlowFieldKind | FormField['type']; value: unknown; display?: string | null };

const named = (v: unknown): string =>
  typeof v === 'object' && v !== null && 'name' in v ? String((v as { name: unknown }).name) : String(v as string | number);

function show(r: Row, t: TFunction, files: { id: string; name: string }[], people: Map<string, string>): React.ReactNode {
  const v = r.value;
  if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0))
    return <Typography.Text type="secondary">—</Typography.Text>;
  if (r.display) return r.display;
  switch (r.kind) {
    case 'attachments':
      return (Array.isArray(v) ? v : [v]).map((a: unknown) => {
        const id = typeof a === 'string' ? a : (a as { id: string }).id;
        return (
          <a key={id} href={fileUrl(id)} target="_blank" rel="noreferrer" style={{ marginInlineEnd: 12, whiteSpace: 'nowrap' }}>
            <PaperClipOutlined /> {files.find((f) => f.id === id)?.name ?? named(a)}
          </a>
        );
      });
    case 'money':
      return typeof v === 'number'
        ? `¥${(v / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`
        : named(v);
    case 'percent':
      return `${named(v)}%`;
    case 'boolean':
      return t(v ? 'common.yes' : 'common.no');
    case 'user':
      // a user id the server did not name: named when the instance knows the person (submitter, approvers, cc)
      return (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'string' ? (people.get(x) ?? x) : named(x))).join('、');
    default:
      if (Array.isArray(v)) return v.map(named).join('、');
      return <span style={{ whiteSpace: 'pre-wrap' }}>{named(v)}</span>;
  }
}

function Values({ rows, people, files = [] }: { rows: Row[]; people: Map<string, string>; files?: { id: string; name: string }[] }) {
  const t = useT();
  if (!rows.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('approvalscentre.detail.noFields')} />;
  return (
    <div data-testid="document-fields">
      <Descriptions
        column={1}
        size="small"
        bordered
        styles={{ label: { width: 140 } }}
        items={rows.map((r) => ({ key: r.key, label: r.label, children: show(r, t, files, people) }))}
      />
    </div>
  );
}

/**
 * The document's values (money in 元, options, files). A custom form shows its entry — every field
 * of the form, files included; other documents the fields their type lets flows test.
 */
export function DocumentFields({ detail: d }: { detail: ApprovalDetail }) {
  const isForm = d.type.startsWith(FORM_TYPE_PREFIX);
  const entry = useFormEntry(isForm ? d.documentId : undefined);
  const people = new Map<string, string>([[d.submitterId, d.submitterName]]);
  for (const task of d.tasks) people.set(task.approverId, task.approverName);
  for (const c of d.cc) people.set(c.userId, c.userName);
  for (const a of d.actions) if (a.actorId && a.actorName) people.set(a.actorId, a.actorName);
  if (!isForm || entry.isError) return <Values rows={d.fields} people={people} />;
  if (entry.isPending) return <Skeleton active />;
  const e = entry.data;
  for (const [id, name] of Object.entries(e.userNames)) people.set(id, name);
  const rows: Row[] = e.fields.map((f) => ({ key: f.key, label: f.label, kind: f.type, value: e.values[f.key] }));
  return <Values rows={rows} people={people} files={e.files} />;
}
