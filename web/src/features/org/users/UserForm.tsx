import { useMemo } from 'react';
import { Col, Form, Input, Row, Select, Switch, TreeSelect } from 'antd';
import type { FormInstance } from 'antd';
import { useT } from '@web/app/i18n';
import { useMe } from '@web/app/auth';
import { isStrongPassword } from '@web/app/forms';
import { useDepartments, usePositions } from '../shared/hooks';
import { treeSelectData } from '../shared/tree';
import { UserPicker } from '../shared/UserPicker';
import { useFieldVisibility, type SensitiveUserField } from '../shared/useFieldVisibility';
import type { User } from '../shared/types';

export type UserFormValues = {
  username: string;
  name: string;
  email?: string;
  mobile?: string;
  departmentId: string;
  positionId?: string | null;
  supervisorId?: string | null;
  isAdmin?: boolean;
  password?: string;
};

type Props = { form: FormInstance<UserFormValues>; user: User | null; onFinish: (values: UserFormValues) => void; readOnly: boolean };

/** The fields of a user. Sensitive fields the server omitted are not shown; read-only ones are disabled. */
export function UserForm({ form, user, onFinish, readOnly }: Props) {
  const t = useT();
  const me = useMe();
  const { data: departments } = useDepartments();
  const { data: positions } = usePositions();
  const deptOptions = useMemo(() => treeSelectData(departments ?? [], new Set(), t('orgui.dept.disabled')), [departments, t]);
  const isNew = user === null;

  // Hidden fields are left out of the form (and so out of the PATCH); read-only ones are disabled.
  const visibility = useFieldVisibility();
  const shown = (field: SensitiveUserField) => visibility.shown(field) && (!user || field in user);
  const locked = (field: SensitiveUserField) => readOnly || visibility.readOnly(field);

  const initialValues: Partial<UserFormValues> = user
    ? {
        username: user.username,
        name: user.name,
        email: user.email ?? '',
        mobile: user.mobile ?? '',
        departmentId: user.departmentId ?? undefined,
        positionId: user.positionId,
        supervisorId: user.supervisorId,
        isAdmin: user.isAdmin,
      }
    : { isAdmin: false, departmentId: departments?.find((d) => !d.parentId)?.id };

  const required = { required: true, message: t('admin.required') };
  // the server decides; this only spares a round trip
  const strongPassword = {
    validator: (_: unknown, v?: string) =>
      !v || isStrongPassword(v) ? Promise.resolve() : Promise.reject(new Error(t('orgui.user.password_rule'))),
  };
  return (
    <Form form={form} layout="vertical" onFinish={onFinish} initialValues={initialValues} disabled={readOnly}>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item
            name="username"
            label={t('orgui.user.username')}
            rules={[required, { min: 2, max: 64 }, { pattern: /^[A-Za-z0-9._@-]+$/, message: t('orgui.user.username_rule') }]}
          >
            <Input disabled={!isNew} autoComplete="off" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="name" label={t('orgui.user.name')} rules={[required, { max: 50 }]}>
            <Input />
          </Form.Item>
        </Col>
        {shown('mobile') && (
          <Col span={12}>
            <Form.Item
              name="mobile"
              label={t('orgui.user.mobile')}
              rules={[{ pattern: /^\+?[0-9 -]{5,20}$/, message: t('orgui.user.mobile_rule') }]}
            >
              <Input disabled={locked('mobile')} />
            </Form.Item>
          </Col>
        )}
        {shown('email') && (
          <Col span={12}>
            <Form.Item name="email" label={t('orgui.user.email')} rules={[{ type: 'email', message: t('orgui.user.email_rule') }]}>
              <Input disabled={locked('email')} />
            </Form.Item>
          </Col>
        )}
        <Col span={12}>
          <Form.Item name="departmentId" label={t('orgui.user.department')} rules={[required]}>
            <TreeSelect treeData={deptOptions} treeDefaultExpandAll showSearch treeNodeFilterProp="title" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="positionId" label={t('orgui.user.position')}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              options={(positions ?? []).map((p) => ({ value: p.id, label: p.name }))}
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="supervisorId" label={t('orgui.user.supervisor')} tooltip={t('orgui.user.supervisor_hint')}>
            <UserPicker currentName={user?.supervisorName} excludeIds={user ? [user.id] : []} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        {me.capabilities.isAdmin && (
          <Col span={12}>
            <Form.Item name="isAdmin" label={t('orgui.user.is_admin')} valuePropName="checked" tooltip={t('orgui.user.is_admin_hint')}>
              <Switch disabled={user?.id === me.user.id} />
            </Form.Item>
          </Col>
        )}
        {isNew && (
          <Col span={12}>
            <Form.Item
              name="password"
              label={t('orgui.user.initial_password')}
              rules={[required, strongPassword]}
              extra={t('orgui.user.initial_password_hint')}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
          </Col>
        )}
      </Row>
    </Form>
  );
}
