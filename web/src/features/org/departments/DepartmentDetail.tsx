import { Card, Descriptions, Empty, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useT } from '@web/app/i18n';
import { LoadMore } from '@web/features/system/shared/LoadMore';
import { useUserList } from '../shared/hooks';
import { StatusTag } from '../shared/StatusTag';
import type { Department, User } from '../shared/types';

type Props = { department: Department | undefined; parentName: string | null };

/** The selected department: its details and the users who belong to it directly. */
export function DepartmentDetail({ department, parentName }: Props) {
  const t = useT();
  if (!department) {
    return (
      <Card>
        <Empty description={t('orgui.dept.select_hint')} />
      </Card>
    );
  }
  return (
    <Card title={department.name} extra={department.disabled && <Tag>{t('orgui.dept.disabled')}</Tag>}>
      <Descriptions
        size="small"
        column={3}
        items={[
          { key: 'parent', label: t('orgui.dept.parent'), children: parentName ?? '—' },
          { key: 'head', label: t('orgui.dept.head'), children: department.headName ?? '—' },
          { key: 'count', label: t('orgui.dept.user_count'), children: department.userCount },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('orgui.dept.members')}
      </Typography.Title>
      <DepartmentUsers departmentId={department.id} />
    </Card>
  );
}

function DepartmentUsers({ departmentId }: { departmentId: string }) {
  const t = useT();
  const list = useUserList({ departmentId }, 20);
  const users = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <Table<User>
        size="small"
        rowKey="id"
        loading={list.isLoading}
        dataSource={users}
        pagination={false}
        columns={[
          {
            title: t('orgui.user.name'),
            dataIndex: 'name',
            render: (name: string, u) => <Link to={`/org/users?edit=${u.id}`}>{name}</Link>,
          },
          { title: t('orgui.user.username'), dataIndex: 'username' },
          { title: t('orgui.user.position'), dataIndex: 'positionName', render: (v: string | null) => v ?? '—' },
          { title: t('orgui.user.status'), dataIndex: 'status', render: (s: User['status']) => <StatusTag status={s} /> },
        ]}
      />
      <LoadMore
        hasMore={Boolean(list.hasNextPage)}
        loading={list.isFetchingNextPage}
        onMore={() => void list.fetchNextPage()}
        shown={users.length}
        total={list.data?.pages[0]?.total}
      />
    </>
  );
}
