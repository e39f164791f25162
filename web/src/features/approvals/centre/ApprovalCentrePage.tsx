import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Badge, Button, Card, Flex, Input, Select, Tabs } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { BOXES, INSTANCE_STATUSES, type Box, type InstanceStatus } from '@common/schemas/approvals';
import { useT } from '@web/app/i18n';
import { PageHeader } from '@web/app/PageHeader';
import { useApprovalCounts, useApprovalTypes, type ListFilters } from '../shared/api';
import { ApprovalList } from './ApprovalList';
import { FormPickerModal } from './FormPickerModal';

const isBox = (v: string | null): v is Box => (BOXES as readonly string[]).includes(v ?? '');

/** /approvals — 审批中心: 待办, 已办, 我发起的, 抄送我的 (deep link ?box=), filters, and 发起审批. */
export function ApprovalCentrePage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const box: Box = isBox(params.get('box')) ? (params.get('box') as Box) : 'todo';
  const [filters, setFilters] = useState<ListFilters>({});
  const [picking, setPicking] = useState(false);
  const counts = useApprovalCounts();
  const types = useApprovalTypes();

  const setBox = (next: string) =>
    setParams(
      (prev) => {
        const p = new URLSearchParams(prev);
        p.set('box', next);
        return p;
      },
      { replace: true },
    );

  const badge = (b: Box) => {
    const n = b === 'todo' ? counts.data?.todo : b === 'cc' ? counts.data?.ccUnread : undefined;
    return n ? <Badge count={n} size="small" overflowCount={99} style={{ marginInlineStart: 6 }} /> : null;
  };

  const filterBar = (
    <Flex gap={8} wrap>
      <Select<string>
        allowClear
        placeholder={t('approvalscentre.filter.type')}
        style={{ width: 180 }}
        value={filters.type}
        onChange={(type) => setFilters((f) => ({ ...f, type }))}
        options={(types.data ?? []).map((ty) => ({ value: ty.type, label: ty.label }))}
        aria-label={t('approvalscentre.filter.type')}
      />
      <Select<InstanceStatus>
        allowClear
        placeholder={t('approvalscentre.filter.status')}
        style={{ width: 140 }}
        value={filters.status}
        onChange={(status) => setFilters((f) => ({ ...f, status }))}
        options={INSTANCE_STATUSES.map((s) => ({ value: s, label: t(`approvalscentre.status.${s}`) }))}
        aria-label={t('approvalscentre.filter.status')}
      />
      <Input.Search
        allowClear
        placeholder={t('approvalscentre.filter.keyword')}
        style={{ width: 220 }}
        onSearch={(q) => setFilters((f) => ({ ...f, q: q.trim() || undefined }))}
      />
    </Flex>
  );

  return (
    <>
      <PageHeader
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setPicking(true)}>
            {t('approvalscentre.new')}
          </Button>
        }
      />
      <Card>
        <Tabs
          activeKey={box}
          onChange={setBox}
          tabBarExtraContent={filterBar}
          destroyOnHidden
          items={BOXES.map((b) => ({
            key: b,
            label: (
              <span data-testid={`box-${b}`}>
                {t(`approvalscentre.box.${b}`)}
                {badge(b)}
              </span>
            ),
            children: <ApprovalList box={b} filters={filters} />,
          }))}
        />
      </Card>
      <FormPickerModal open={picking} onClose={() => setPicking(false)} />
    </>
  );
}
