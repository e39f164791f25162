import { useMemo } from 'react';
import { Flex, Input, Select, TreeSelect } from 'antd';
import { useT } from '@web/app/i18n';
import { useDepartments, usePositions, type UserFilters as Filters } from '../shared/hooks';
import { treeSelectData } from '../shared/tree';
import { USER_STATUSES } from '../shared/types';

type Props = { value: Filters; onChange: (next: Filters) => void };

/** Search box and department / position / status filters of the user list. */
export function UserFilters({ value, onChange }: Props) {
  const t = useT();
  const { data: departments } = useDepartments();
  const { data: positions } = usePositions();
  const deptOptions = useMemo(() => treeSelectData(departments ?? [], new Set(), t('orgui.dept.disabled')), [departments, t]);
  const set = (patch: Partial<Filters>) => onChange({ ...value, ...patch });

  return (
    <Flex gap={8} wrap style={{ marginBottom: 16 }}>
      <Input.Search
        allowClear
        defaultValue={value.q}
        placeholder={t('orgui.user.search')}
        onSearch={(q) => set({ q: q.trim() || undefined })}
        style={{ width: 300 }}
      />
      <TreeSelect
        allowClear
        value={value.departmentId}
        onChange={(departmentId?: string) => set({ departmentId })}
        treeData={deptOptions}
        treeDefaultExpandAll
        showSearch
        treeNodeFilterProp="title"
        placeholder={t('orgui.user.department')}
        style={{ width: 200 }}
      />
      <Select
        allowClear
        value={value.positionId}
        onChange={(positionId?: string) => set({ positionId })}
        options={(positions ?? []).map((p) => ({ value: p.id, label: p.name }))}
        showSearch={{ optionFilterProp: 'label' }}
        placeholder={t('orgui.user.position')}
        style={{ width: 160 }}
      />
      <Select
        allowClear
        value={value.status}
        onChange={(status?: string) => set({ status })}
        options={USER_STATUSES.map((s) => ({ value: s, label: t(`orgui.user.status.${s}`) }))}
        placeholder={t('orgui.user.status')}
        style={{ width: 120 }}
      />
    </Flex>
  );
}
