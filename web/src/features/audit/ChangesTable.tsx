import { Table, Typography } from 'antd';
import { ArrowRightOutlined } from '@ant-design/icons';
import { useT } from '@web/app/i18n';
import { fieldLabel } from './labels';
import { useUserNames, useValueFormatter } from './useValueFormatter';

type Row = { field: string; before: unknown; after: unknown };

/** Field-level changes of one audit entry: field, before → after. */
export function ChangesTable({ changes, entity }: { changes: Record<string, [unknown, unknown]>; entity?: string }) {
  const t = useT();
  const format = useValueFormatter();
  const users = useUserNames(changes);
  const rows: Row[] = Object.entries(changes).map(([field, [before, after]]) => ({ field, before, after }));
  return (
    <Table<Row>
      size="small"
      rowKey="field"
      pagination={false}
      dataSource={rows}
      columns={[
        {
          title: t('audit.field'),
          dataIndex: 'field',
          width: 180,
          render: (f: string) => <Typography.Text strong>{fieldLabel(t, f)}</Typography.Text>,
        },
        {
          title: t('audit.before'),
          dataIndex: 'before',
          render: (v: unknown, r) => <Value text={format(r.field, v, entity, users)} deleted />,
        },
        { title: '', key: 'arrow', width: 32, render: () => <ArrowRightOutlined style={{ color: '#999' }} /> },
        { title: t('audit.after'), dataIndex: 'after', render: (v: unknown, r) => <Value text={format(r.field, v, entity, users)} /> },
      ]}
    />
  );
}

function Value({ text, deleted }: { text: string; deleted?: boolean }) {
  return (
    <Typography.Text type={deleted ? 'secondary' : undefined} style={{ wordBreak: 'break-word', whiteSpace: 'pre-wrap' }}>
      {text}
    </Typography.Text>
  );
}
