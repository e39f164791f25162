import { useMemo } from 'react';
import { Button, Drawer, Flex, Form, Input, Space, TreeSelect, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { ApprovalPosition } from '@common/schemas/approvals';
import { useT } from '@web/app/i18n';
import { useDepartments } from '@web/features/org/shared/hooks';
import { treeSelectData } from '@web/features/org/shared/tree';
import { UserPicker } from '@web/features/org/shared/UserPicker';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { useApprovalPositionMutations } from './api';

type Member = { userId: string | null; departmentIds: string[] };
type Values = { name: string; description: string; members: Member[] };

const K = 'approvalsdesigner.positions';

/** Create or edit an approval position: name, description and its members (user + departments they approve for). */
export function ApprovalPositionDrawer({ target, onClose }: { target: ApprovalPosition | 'new' | null; onClose: () => void }) {
  const t = useT();
  const editing = target && target !== 'new' ? target : null;
  return (
    <Drawer
      open={target !== null}
      onClose={onClose}
      size={640}
      title={t(editing ? `${K}.edit_title` : `${K}.create_title`)}
      destroyOnHidden
    >
      {target && <PositionForm key={editing ? `${editing.id}:${editing.version}` : 'new'} editing={editing} onDone={onClose} />}
    </Drawer>
  );
}

function PositionForm({ editing, onDone }: { editing: ApprovalPosition | null; onDone: () => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const feedback = useFeedback();
  const { create, update } = useApprovalPositionMutations();
  const { data: departments } = useDepartments();
  const tree = useMemo(() => treeSelectData(departments ?? []), [departments]);
  const userNames = useMemo(() => new Map((editing?.members ?? []).map((m) => [m.userId, m.userName])), [editing]);

  async function submit(v: Values) {
    const body = {
      name: v.name.trim(),
      description: v.description?.trim() || null,
      members: (v.members ?? []).filter((m) => m.userId).map((m) => ({ userId: m.userId!, departmentIds: m.departmentIds ?? [] })),
    };
    try {
      if (editing) await update.mutateAsync({ id: editing.id, version: editing.version, ...body });
      else await create.mutateAsync(body);
      feedback.success('common.saved');
      onDone();
    } catch (e) {
      feedback.failure(e, form);
    }
  }

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      onFinish={(v) => void submit(v)}
      initialValues={{
        name: editing?.name ?? '',
        description: editing?.description ?? '',
        members: editing?.members.map((m) => ({ userId: m.userId, departmentIds: m.departmentIds })) ?? [],
      }}
    >
      <Form.Item
        name="name"
        label={t(`${K}.name`)}
        rules={[{ required: true, whitespace: true, message: t('admin.required') }, { max: 50 }]}
      >
        <Input maxLength={50} autoFocus />
      </Form.Item>
      <Form.Item name="description" label={t(`${K}.description`)} rules={[{ max: 500 }]}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
      <Typography.Title level={5}>{t(`${K}.members`)}</Typography.Title>
      <Typography.Paragraph type="secondary">{t(`${K}.members_hint`)}</Typography.Paragraph>
      <Form.List name="members">
        {(items, { add, remove }) => (
          <Flex vertical gap={8} style={{ marginBottom: 24 }}>
            {items.map((item, i) => (
              <Flex key={item.key} gap={8} align="flex-start">
                <Form.Item
                  name={[item.name, 'userId']}
                  style={{ marginBottom: 0, width: 200 }}
                  rules={[
                    { required: true, message: t('admin.required') },
                    {
                      validator: (_, id: string | null) => {
                        const all = (form.getFieldValue('members') as Member[]).map((m) => m?.userId);
                        return id && all.indexOf(id) !== i ? Promise.reject(new Error(t(`${K}.duplicate_member`))) : Promise.resolve();
                      },
                    },
                  ]}
                >
                  <MemberPicker names={userNames} />
                </Form.Item>
                <Form.Item name={[item.name, 'departmentIds']} style={{ marginBottom: 0, flex: 1 }}>
                  <TreeSelect
                    aria-label={t(`${K}.member_departments`, { n: i + 1 })}
                    treeData={tree}
                    multiple
                    treeDefaultExpandAll
                    showSearch
                    treeNodeFilterProp="title"
                    placeholder={t(`${K}.all_departments`)}
                  />
                </Form.Item>
                <Button
                  type="text"
                  danger
                  icon={<DeleteOutlined />}
                  aria-label={t(`${K}.remove_member`, { n: i + 1 })}
                  onClick={() => remove(item.name)}
                />
              </Flex>
            ))}
            <div>
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add({ userId: null, departmentIds: [] })}
                disabled={items.length >= 200}
              >
                {t(`${K}.add_member`)}
              </Button>
            </div>
          </Flex>
        )}
      </Form.List>
      <Space>
        <Button type="primary" htmlType="submit" loading={create.isPending || update.isPending}>
          {t('common.save')}
        </Button>
        <Button onClick={onDone}>{t('common.cancel')}</Button>
      </Space>
    </Form>
  );
}

/** UserPicker inside Form.Item: the member's saved name shows until a search runs. */
function MemberPicker(props: { value?: string | null; onChange?: (v: string | null) => void; names: Map<string, string>; id?: string }) {
  const { value, onChange, names, id } = props;
  return <UserPicker id={id} value={value} onChange={onChange} currentName={value ? names.get(value) : undefined} style={{ width: 200 }} />;
}
