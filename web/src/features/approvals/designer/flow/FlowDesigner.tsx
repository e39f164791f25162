import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Tag, Tooltip, Typography } from 'antd';
import { ArrowLeftOutlined, SaveOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router';
import type { ApprovableType, ApprovalFlow, CreateFlowBody, UpdateFlowBody } from '@common/schemas/approvals';
import { ApiError } from '@web/app/api';
import { useCan } from '@web/app/auth';
import { useT } from '@web/app/i18n';
import { IssueList } from './IssueList';
import { PageHeader } from '@web/app/PageHeader';
import { useFlowMutations } from '../api';
import { ApproverListEditor } from './ApproverListEditor';
import { BranchDrawer } from './BranchDrawer';
import { ChainContext, type ChainActions } from './chainContext';
import * as chain from './definition';
import { FlowChain } from './FlowChain';
import { FlowSettingsCard, type FlowDraft } from './FlowSettingsCard';
import { PointDrawer } from './PointDrawer';
import { collectIssues } from './validate';

const K = 'approvalsdesigner';

function initialDraft(flow: ApprovalFlow | undefined, pointName: string): FlowDraft {
  if (flow) {
    return {
      name: flow.name,
      description: flow.description ?? '',
      priority: flow.priority,
      isDefault: flow.isDefault,
      enabled: flow.enabled,
      entry: flow.entry,
      definition: { nodes: flow.definition.nodes, cc: flow.definition.cc ?? [] },
    };
  }
  return {
    name: '',
    description: '',
    priority: 0,
    isDefault: false,
    enabled: true,
    entry: null,
    definition: { nodes: [chain.newPoint(pointName)], cc: [] },
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The designer of one flow (new when `flow` is absent): settings, the chain, cc, live validation, save. */
export function FlowDesigner({ flow, type }: { flow: ApprovalFlow | undefined; type: ApprovableType }) {
  const t = useT();
  const { modal, message } = App.useApp();
  const navigate = useNavigate();
  const { create, update } = useFlowMutations();
  const can = useCan();
  const mayWrite = flow ? can('workflow', 'edit') : can('workflow', 'create');
  const [baseline] = useState(() => initialDraft(flow, t(`${K}.point.default_name`)));
  const [draft, setDraft] = useState(baseline);
  const [serverErrors, setServerErrors] = useState<{ field: string; message: string }[]>([]);
  const [openPoint, setOpenPoint] = useState<string | null>(null);
  const [openBranch, setOpenBranch] = useState<string | null>(null);
  const def = draft.definition;
  const dirty = !same(draft, baseline);

  const issues = useMemo(() => {
    const found = collectIssues(t, { definition: draft.definition, entry: draft.entry, fields: type.fields }, serverErrors);
    if (!draft.name.trim()) {
      found.form.set('name', [t('admin.required'), ...(found.form.get('name') ?? [])]);
      found.count++;
    }
    return found;
  }, [t, draft, type.fields, serverErrors]);

  // leaving the page (reload, close, typed address) with unsaved changes asks first
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  function change(patch: Partial<FlowDraft>) {
    setDraft((d) => ({ ...d, ...patch }));
    // the server's paths point into the chain as it was saved: once it changes they may point elsewhere
    setServerErrors([]);
  }
  const edit = (fn: (d: FlowDraft['definition']) => FlowDraft['definition']) => {
    setDraft((d) => ({ ...d, definition: fn(d.definition) }));
    setServerErrors([]);
  };

  const actions: ChainActions = {
    fields: type.fields,
    issues,
    insert: (at, index, kind) =>
      edit((d) => {
        const node =
          kind === 'point'
            ? chain.newPoint(chain.freshName(t(`${K}.point.default_name`), chain.pointNames(d.nodes)))
            : chain.newBranchNode(t(`${K}.branch.default_name`, { n: 1 }), t(`${K}.branch.otherwise_name`));
        return chain.insertNode(d, at, index, node);
      }),
    openPoint: setOpenPoint,
    removePoint: (id) => edit((d) => chain.removeNode(d, id)),
    openBranch: setOpenBranch,
    addBranch: (nodeId) =>
      edit((d) => {
        const found = chain.findBranchNode(d.nodes, nodeId);
        const n = (found?.branches.filter((b) => b.condition !== null).length ?? 0) + 1;
        return chain.addBranch(d, nodeId, t(`${K}.branch.default_name`, { n }));
      }),
    moveBranch: (nodeId, branchId, delta) => edit((d) => chain.moveBranch(d, nodeId, branchId, delta)),
    removeBranch: (nodeId, branchId) => {
      const node = chain.findBranchNode(def.nodes, nodeId);
      const branch = node?.branches.find((b) => b.id === branchId);
      if (!node || !branch) return;
      void modal.confirm({
        title: t(`${K}.branch.remove_confirm`, { name: branch.name }),
        content: node.branches.length <= 2 ? t(`${K}.branch.remove_block_hint`) : undefined,
        okText: t('common.delete'),
        okButtonProps: { danger: true },
        cancelText: t('common.cancel'),
        onOk: () => edit((d) => chain.removeBranch(d, nodeId, branchId)),
      });
    },
  };

  async function save() {
    if (issues.count > 0) return;
    const body = {
      name: draft.name.trim(),
      description: draft.description.trim() || null,
      priority: draft.priority,
      isDefault: draft.isDefault,
      enabled: draft.enabled,
      entry: draft.entry,
      definition: draft.definition,
    };
    try {
      if (!flow) {
        const created = await create.mutateAsync({ type: type.type, ...body } satisfies CreateFlowBody);
        void message.success(t(`${K}.saved_new`));
        void navigate(`/settings/approval-flows/${created.id}`, { replace: true });
        return;
      }
      const patch: UpdateFlowBody & { id: string } = { id: flow.id, version: flow.version };
      if (body.name !== flow.name) patch.name = body.name;
      if (body.description !== flow.description) patch.description = body.description;
      if (body.priority !== flow.priority) patch.priority = body.priority;
      if (body.isDefault !== flow.isDefault) patch.isDefault = body.isDefault;
      if (body.enabled !== flow.enabled) patch.enabled = body.enabled;
      if (!same(body.entry, flow.entry)) patch.entry = body.entry;
      const newVersion = !same(body.definition, baseline.definition);
      if (newVersion) patch.definition = body.definition;
      const saved = await update.mutateAsync(patch);
      const versioned = newVersion && saved.definitionVersion !== flow.definitionVersion;
      void message.success(
        versioned ? t(`${K}.saved_version`, { version: saved.definitionVersion, old: flow.definitionVersion }) : t('common.saved'),
      );
    } catch (err) {
      if (err instanceof ApiError && err.problem.errors?.length) setServerErrors(err.problem.errors);
      void message.error(err instanceof ApiError ? err.message : t('admin.network_error'));
    }
  }

  function confirmSave() {
    if (flow && !same(draft.definition, baseline.definition)) {
      void modal.confirm({
        title: t(`${K}.new_version.title`),
        content: t(`${K}.new_version.body`, { version: flow.definitionVersion }),
        okText: t('common.save'),
        cancelText: t('common.cancel'),
        onOk: save,
      });
      return;
    }
    void save();
  }

  const point = openPoint ? chain.findPoint(def.nodes, openPoint) : undefined;
  const branch = openBranch ? chain.findBranch(def.nodes, openBranch)?.branch : undefined;
  const saving = create.isPending || update.isPending;

  return (
    <>
      <PageHeader
        title={flow ? flow.name : t(`${K}.designer.new_title`)}
        subTitle={
          <>
            <Tag>{type.label}</Tag>
            {flow && t(`${K}.designer.version`, { version: flow.definitionVersion })}
            {dirty && (
              <Typography.Text type="warning" style={{ marginLeft: 8 }}>
                {t(`${K}.designer.unsaved`)}
              </Typography.Text>
            )}
          </>
        }
        extra={
          <>
            <Link to={`/settings/approval-flows?type=${encodeURIComponent(type.type)}`}>
              <Button icon={<ArrowLeftOutlined />}>{t(`${K}.designer.back`)}</Button>
            </Link>
            {mayWrite && (
              <Tooltip title={issues.count ? t(`${K}.designer.fix_first`, { n: issues.count }) : undefined}>
                <Button
                  type="primary"
                  icon={<SaveOutlined />}
                  disabled={issues.count > 0 || (!dirty && !!flow)}
                  loading={saving}
                  onClick={confirmSave}
                >
                  {t('common.save')}
                </Button>
              </Tooltip>
            )}
          </>
        }
      />
      <FlowSettingsCard draft={draft} fields={type.fields} issues={issues} onChange={change} />
      <Card title={t(`${K}.designer.chain`)} size="small" style={{ marginBottom: 16 }}>
        {issues.general.length > 0 && (
          <Alert type="error" showIcon style={{ marginBottom: 12 }} title={<IssueList messages={issues.general} />} />
        )}
        <ChainContext.Provider value={actions}>
          <FlowChain nodes={def.nodes} />
        </ChainContext.Provider>
      </Card>
      <Card title={t(`${K}.cc.title`)} size="small" extra={<Typography.Text type="secondary">{t(`${K}.cc.hint`)}</Typography.Text>}>
        {issues.cc.length > 0 && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={<IssueList messages={issues.cc} />} />}
        <ApproverListEditor
          value={def.cc}
          onChange={(cc) => edit((d) => ({ ...d, cc }))}
          max={10}
          addLabel={t(`${K}.cc.add`)}
          emptyText={t(`${K}.cc.empty`)}
        />
      </Card>
      <PointDrawer
        point={point}
        issues={point ? (issues.byTarget.get(point.id) ?? []) : []}
        onChange={(p) => point && edit((d) => chain.updatePoint(d, point.id, p))}
        onClose={() => setOpenPoint(null)}
      />
      <BranchDrawer
        branch={branch}
        fields={type.fields}
        issues={branch ? (issues.byTarget.get(branch.id) ?? []) : []}
        onChange={(p) => branch && edit((d) => chain.updateBranch(d, branch.id, p))}
        onClose={() => setOpenBranch(null)}
      />
    </>
  );
}
