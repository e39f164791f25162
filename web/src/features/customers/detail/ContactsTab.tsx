import { useState } from 'react';
import { App, Button, Flex, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useT } from '@web/app/i18n';
import { useCan } from '@web/app/auth';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import type { Contact, Customer } from '../api';
import { useContacts } from '../hooks';
import { useCustomerMutations } from '../useCustomerMutations';
import { ContactDrawer } from './ContactDrawer';

/** 联系人: the customer's contacts, primary first; add / edit in a drawer, delete with confirmation. */
export function ContactsTab({ customer }: { customer: Customer }) {
  const t = useT();
  const can = useCan();
  const { modal, message } = App.useApp();
  const feedback = useFeedback();
  const contacts = useContacts(customer.id);
  const { removeContact } = useCustomerMutations();
  const [editing, setEditing] = useState<Contact | 'new' | null>(null);
  const f = (k: string) => t(`contacts.field.${k}`);
  const items = [...(contacts.data ?? [])].sort((a, b) => Number(b.isPrimary) - Number(a.isPrimary));
  const byId = new Map(items.map((c) => [c.id, c]));
  const guarded = (c: Contact, field: keyof Contact) =>
    c.hiddenFields?.includes(field) ? (
      <Typography.Text type="secondary">{t('customer.hidden')}</Typography.Text>
    ) : (
      (c[field] as string) || '—'
    );

  const confirmDelete = (c: Contact) =>
    void modal.confirm({
      title: t('customersui.contact.delete_confirm', { name: c.name }),
      okText: t('common.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        removeContact.mutateAsync({ id: c.id, version: c.version }).then(
          () => void message.success(t('customersui.contact.deleted')),
          (e: unknown) => feedback.failure(e),
        ),
    });

  const columns: TableColumnsType<Contact> = [
    {
      title: f('name'),
      key: 'name',
      fixed: 'left',
      render: (_, c) => (
        <Space size={4}>
          <Typography.Link onClick={() => setEditing(c)}>{c.name}</Typography.Link>
          {c.isPrimary && <Tag color="blue">{f('isPrimary')}</Tag>}
          {c.decisionMaker && <Tag color="gold">{f('decisionMaker')}</Tag>}
        </Space>
      ),
    },
    { title: f('title'), dataIndex: 'title', render: (v: string | null) => v || '—' },
    { title: f('department'), dataIndex: 'department', render: (v: string | null) => v || '—' },
    { title: f('mobile'), key: 'mobile', render: (_, c) => guarded(c, 'mobile') },
    { title: f('phone'), key: 'phone', render: (_, c) => guarded(c, 'phone') },
    { title: f('email'), key: 'email', render: (_, c) => guarded(c, 'email') },
    { title: f('wechat'), key: 'wechat', render: (_, c) => guarded(c, 'wechat') },
    { title: f('reportsTo'), key: 'reportsTo', render: (_, c) => (c.reportsToId ? (byId.get(c.reportsToId)?.name ?? '—') : '—') },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_, c) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setEditing(c)}>
            {can('contacts', 'edit') && customer.canEdit ? t('common.edit') : t('customersui.view_action')}
          </Button>
          {can('contacts', 'delete') && customer.canEdit && (
            <Button type="link" size="small" danger onClick={() => confirmDelete(c)}>
              {t('common.delete')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      <Flex justify="end" style={{ marginBottom: 12 }}>
        {can('contacts', 'create') && customer.canEdit && (
          <Button icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('customersui.contact.create')}
          </Button>
        )}
      </Flex>
      <Table<Contact>
        rowKey="id"
        size="middle"
        loading={contacts.isLoading}
        dataSource={items}
        columns={columns}
        pagination={false}
        scroll={{ x: 'max-content' }}
      />
      <ContactDrawer
        customer={customer}
        contact={editing === 'new' ? null : editing}
        open={editing !== null}
        contacts={items}
        readOnly={editing !== 'new' && !(can('contacts', 'edit') && customer.canEdit)}
        onClose={() => setEditing(null)}
      />
    </>
  );
}
