import { Button, Result, Spin } from 'antd';
import { Link, useParams, useSearchParams } from 'react-router';
import { useT } from '@web/app/i18n';
import { useApprovalTypes, useFlow } from './api';
import { FlowDesigner } from './flow/FlowDesigner';
import { NamesContext, useLoadNames } from './flow/names';

/** /settings/approval-flows/:id (流程设计): a flow's settings and chain; id 'new' with ?type= creates one. */
export function FlowDesignerPage() {
  const t = useT();
  const { id } = useParams();
  const [params] = useSearchParams();
  const isNew = id === 'new';
  const flow = useFlow(isNew ? undefined : id);
  const types = useApprovalTypes();
  const names = useLoadNames();

  if ((!isNew && flow.isLoading) || types.isLoading) return <Spin style={{ display: 'block', margin: '64px auto' }} />;
  const typeKey = isNew ? (params.get('type') ?? '') : flow.data?.type;
  const type = types.data?.find((x) => x.type === typeKey);
  if ((!isNew && !flow.data) || !type) {
    return (
      <Result
        status="404"
        title={t(!isNew && !flow.data ? 'approvalsdesigner.designer.not_found' : 'approvalsdesigner.designer.unknown_type')}
        extra={
          <Link to="/settings/approval-flows">
            <Button>{t('approvalsdesigner.designer.back')}</Button>
          </Link>
        }
      />
    );
  }
  return (
    <NamesContext.Provider value={names}>
      {/* a saved flow comes back with a new version: start again from what the server holds */}
      <FlowDesigner key={flow.data ? `${flow.data.id}:${flow.data.version}` : 'new'} flow={flow.data} type={type} />
    </NamesContext.Provider>
  );
}
