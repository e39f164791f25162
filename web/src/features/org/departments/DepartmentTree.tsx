import { useMemo, useState } from 'react';
import { Button, Dropdown, Flex, Tag, Tooltip, Tree, Typography } from 'antd';
import type { MenuProps, TreeDataNode, TreeProps } from 'antd';
import { MoreOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { useT } from '@web/app/i18n';
import { useCan } from '@web/app/auth';
import { buildTree, type DeptNode } from '../shared/tree';
import type { Department } from '../shared/types';

export type DepartmentAction = 'add_child' | 'edit' | 'toggle' | 'delete';

type Props = {
  departments: Department[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  onAction: (action: DepartmentAction, department: Department) => void;
  /** dragging a department onto another asks to move it there */
  onMove: (department: Department, newParent: Department) => void;
};

type Node = TreeDataNode & { dept: Department; children: Node[] };

/** The department tree: name, head and user count per node, with a menu of actions and drag-to-move. */
export function DepartmentTree({ departments, selectedId, onSelect, onAction, onMove }: Props) {
  const t = useT();
  const can = useCan();
  const mayEdit = can('org', 'edit');

  const treeData = useMemo(() => {
    const menuFor = (d: Department): MenuProps['items'] => [
      ...(can('org', 'create') ? [{ key: 'add_child', label: t('orgui.dept.add_child') }] : []),
      ...(mayEdit
        ? [
            { key: 'edit', label: t('orgui.dept.edit') },
            ...(d.parentId ? [{ key: 'toggle', label: t(d.disabled ? 'orgui.dept.enable' : 'orgui.dept.disable') }] : []),
          ]
        : []),
      ...(can('org', 'delete') && d.parentId
        ? [{ type: 'divider' as const }, { key: 'delete', danger: true, label: t('common.delete') }]
        : []),
    ];

    const toNode = (d: DeptNode): Node => ({
      key: d.id,
      dept: d,
      title: (
        <Flex justify="space-between" align="center" gap={8}>
          <Typography.Text ellipsis type={d.disabled ? 'secondary' : undefined}>
            {d.name}
            {d.disabled && <Tag style={{ marginInlineStart: 6 }}>{t('orgui.dept.disabled')}</Tag>}
          </Typography.Text>
          <Flex align="center" gap={10} style={{ flexShrink: 0 }}>
            {d.headName && (
              <Tooltip title={t('orgui.dept.head')}>
                <Typography.Text type="secondary">
                  <UserOutlined /> {d.headName}
                </Typography.Text>
              </Tooltip>
            )}
            <Tooltip title={t('orgui.dept.user_count')}>
              <Typography.Text type="secondary">
                <TeamOutlined /> {d.userCount}
              </Typography.Text>
            </Tooltip>
            <DeptMenu items={menuFor(d)} onClick={(key) => onAction(key as DepartmentAction, d)} />
          </Flex>
        </Flex>
      ),
      children: d.children.map(toNode),
    });
    return buildTree(departments).map(toNode);
  }, [departments, t, can, mayEdit, onAction]);

  const byId = useMemo(() => new Map(departments.map((d) => [d.id, d])), [departments]);
  // everything is open except what the user folded, so a department created under a leaf shows at once
  const [folded, setFolded] = useState<ReadonlySet<string>>(new Set());
  const expandedKeys = useMemo(() => departments.filter((d) => !folded.has(d.id)).map((d) => d.id), [departments, folded]);

  const onDrop: TreeProps<Node>['onDrop'] = (info) => {
    const dragged = byId.get(String(info.dragNode.key));
    const target = byId.get(String(info.node.key));
    if (!dragged || !target) return;
    // Dropped between nodes: the new parent is the target's parent; dropped onto a node: that node.
    const parent = info.dropToGap ? (target.parentId ? byId.get(target.parentId) : undefined) : target;
    if (!parent || parent.id === dragged.parentId) return;
    onMove(dragged, parent);
  };

  return (
    <Tree<Node>
      blockNode
      showLine
      expandedKeys={expandedKeys}
      onExpand={(keys) => setFolded(new Set(departments.map((d) => d.id).filter((id) => !keys.includes(id))))}
      treeData={treeData}
      selectedKeys={selectedId ? [selectedId] : []}
      onSelect={(keys) => keys[0] && onSelect(String(keys[0]))}
      draggable={mayEdit ? { icon: false, nodeDraggable: (n) => Boolean((n as Node).dept.parentId) } : false}
      onDrop={onDrop}
    />
  );
}

function DeptMenu({ items, onClick }: { items: MenuProps['items']; onClick: (key: string) => void }) {
  if (!items?.length) return null;
  return (
    <Dropdown trigger={['click']} menu={{ items, onClick: ({ key, domEvent }) => (domEvent.stopPropagation(), onClick(key)) }}>
      <Button size="small" type="text" icon={<MoreOutlined />} onClick={(e) => e.stopPropagation()} />
    </Dropdown>
  );
}
