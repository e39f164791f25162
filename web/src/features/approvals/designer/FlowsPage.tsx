import { useMemo } from 'react';
import { Button, Card, Col, Empty, Menu, Row, Spin } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link, useSearchParams } from 'react-router';
import { useCan } from '@web/app/auth';
import { useT } from '@web/app/i18n';
import { PageHeader } from '@web/app/PageHeader';
import { useApprovalTypes } from './api';
import { FlowTable } from './FlowTable';
import { NamesContext, useLoadNames } from './flow/names';

/** /settings/approval-flows (审批流程): document types on the left, the flows of the chosen type on the right. */
export function FlowsPage() {
  const t = useT();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const types = useApprovalTypes();
  const names = useLoadNames();
  const list = useMemo(() => types.data ?? [], [types.data]);
  const wanted = params.get('type');
  const selected = list.find((x) => x.type === wanted) ?? list[0];

  const menuItems = useMemo(() => {
    const fixed = list.filter((x) => !x.type.startsWith('form.'));
    const forms = list.filter((x) => x.type.startsWith('form.'));
    const item = (x: (typeof list)[number]) => ({ key: x.type, label: x.label });
    return [
      ...(fixed.length
        ? [{ type: 'group' as const, key: 'fixed', label: t('approvalsdesigner.flows.group_documents'), children: fixed.map(item) }]
        : []),
      ...(forms.length
        ? [{ type: 'group' as const, key: 'forms', label: t('approvalsdesigner.flows.group_forms'), children: forms.map(item) }]
        : []),
    ];
  }, [list, t]);

  return (
    <NamesContext.Provider value={names}>
      <PageHeader
        extra={
          selected &&
          can('workflow', 'create') && (
            <Link to={`/settings/approval-flows/new?type=${encodeURIComponent(selected.type)}`}>
              <Button type="primary" icon={<PlusOutlined />}>
                {t('approvalsdesigner.flows.create')}
              </Button>
            </Link>
          )
        }
      />
      {types.isLoading ? (
        <Spin style={{ display: 'block', margin: '64px auto' }} />
      ) : !selected ? (
        <Card>
          <Empty description={t('approvalsdesigner.flows.no_types')} />
        </Card>
      ) : (
        <Row gutter={16}>
          <Col xs={24} md={6}>
            <Card size="small" title={t('approvalsdesigner.flows.types')} styles={{ body: { padding: 4 } }}>
              <Menu
                mode="inline"
                style={{ borderInlineEnd: 'none' }}
                selectedKeys={[selected.type]}
                items={menuItems}
                onClick={({ key }) => setParams({ type: key }, { replace: true })}
              />
            </Card>
          </Col>
          <Col xs={24} md={18}>
            <Card size="small" title={t('approvalsdesigner.flows.of_type', { type: selected.label })}>
              <FlowTable type={selected} />
            </Card>
          </Col>
        </Row>
      )}
    </NamesContext.Provider>
  );
}
