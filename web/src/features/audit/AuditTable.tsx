import { Space, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useT } from '@web/app/i18n';
import { formatTime } from '@web/features/system/shared/format';
import type { AuditEntry } from './api';
import { ChangesTable } from './ChangesTable';
import { actionLabel, entityLabel } from './labels';
import { formatDetail } from './useValueFormatter';

/** Pages where a record of an entity opens, so an entry links to the record it is about. */
const RECORD_LINKS: Record<string, (id: string) => string> = {
  user: (id) => `/org/users?edit=${id}`,
  department: (id) => `/org/departments?id=${id}`,
  position: (id) => `/org/positions/${id}/permissions`,
};

const DANGER = new Set(['delete', 'purge', 'login_failed', 'lock']);

/** Audit entries; an entry with field changes expands to show them (before → after). */
export function AuditTable({ entries, loading }: { entries: AuditEntry[]; loading: boolean }) {
  const t = useT();
  return (
    <Table<AuditEntry>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={entries}
      pagination={false}
      scroll={{ x: 'max-content' }}
      expandable={{
        rowExpandable: (e) => Boolean(e.changes && Object.keys(e.changes).length),
        expandedRowRender: (e) => (e.changes ? <ChangesTable changes={e.changes} entity={e.entity} /> : null),
      }}
      columns={[
        { title: t('audit.at'), dataIndex: 'at', width: 170, render: (at: string) => formatTime(at) },
        { title: t('audit.actor'), dataIndex: 'actorName', width: 120, render: (n: string | null) => n ?? t('audit.system_actor') },
        {
          title: t('audit.action'),
          dataIndex: 'action',
          width: 110,
          render: (a: string) => <Tag color={DANGER.has(a) ? 'red' : undefined}>{actionLabel(t, a)}</Tag>,
        },
        { title: t('audit.entity'), dataIndex: 'entity', width: 100, render: (e: string) => entityLabel(t, e) },
        {
          title: t('audit.entity_id'),
          dataIndex: 'entityId',
          width: 300,
          render: (id: string | null, e) => {
            if (!id) return '—';
            const link = RECORD_LINKS[e.entity];
            return (
              <Space size={4}>
                <Typography.Text code copyable={{ text: id }}>
                  {id}
                </Typography.Text>
                {link && e.action !== 'delete' && <Link to={link(id)}>{t('audit.open')}</Link>}
              </Space>
            );
          },
        },
        { title: t('audit.ip'), dataIndex: 'ip', width: 120, render: (ip: string | null) => ip ?? '—' },
        { title: t('audit.detail'), dataIndex: 'detail', ellipsis: true, render: (d: string | null) => formatDetail(t, d) },
      ]}
    />
  );
}
