import { Card, Col, Form, Input, InputNumber, Row, Switch } from 'antd';
import type { ConditionGroup, FlowDefinition, FlowFieldDef } from '@common/schemas/approvals';
import { useT } from '@web/app/i18n';
import { ConditionEditor } from './ConditionEditor';
import type { FlowIssues } from './issues';

/** What the designer edits: the flow's settings and its chain. */
export type FlowDraft = {
  name: string;
  description: string;
  priority: number;
  isDefault: boolean;
  enabled: boolean;
  entry: ConditionGroup | null;
  definition: FlowDefinition;
};

type Props = {
  draft: FlowDraft;
  fields: FlowFieldDef[];
  issues: FlowIssues;
  onChange: (patch: Partial<FlowDraft>) => void;
};

const K = 'approvalsdesigner.flow';

/** The top form: name, description, priority, default, enabled and the entry condition (入口条件). */
export function FlowSettingsCard({ draft, fields, issues, onChange }: Props) {
  const t = useT();
  const help = (field: string) => {
    const list = issues.form.get(field);
    return list?.length ? { validateStatus: 'error' as const, help: list.join(' ') } : {};
  };
  const nameMissing = !draft.name.trim();
  return (
    <Card title={t(`${K}.settings`)} size="small" style={{ marginBottom: 16 }}>
      <Form layout="vertical" component="div">
        <Row gutter={16}>
          <Col xs={24} md={10}>
            <Form.Item label={t(`${K}.name`)} htmlFor="flow-name" required {...help('name')}>
              <Input
                id="flow-name"
                value={draft.name}
                maxLength={50}
                status={nameMissing ? 'error' : undefined}
                onChange={(e) => onChange({ name: e.target.value })}
              />
            </Form.Item>
          </Col>
          <Col xs={8} md={4}>
            <Form.Item label={t(`${K}.priority`)} htmlFor="flow-priority" tooltip={t(`${K}.priority_hint`)} {...help('priority')}>
              <InputNumber
                id="flow-priority"
                min={0}
                max={10000}
                precision={0}
                value={draft.priority}
                onChange={(n) => onChange({ priority: n ?? 0 })}
                style={{ width: '100%' }}
              />
            </Form.Item>
          </Col>
          <Col xs={8} md={5}>
            <Form.Item label={t(`${K}.is_default`)} tooltip={t(`${K}.is_default_hint`)} {...help('isDefault')}>
              <Switch aria-label={t(`${K}.is_default`)} checked={draft.isDefault} onChange={(isDefault) => onChange({ isDefault })} />
            </Form.Item>
          </Col>
          <Col xs={8} md={5}>
            <Form.Item label={t(`${K}.enabled`)} {...help('enabled')}>
              <Switch aria-label={t(`${K}.enabled`)} checked={draft.enabled} onChange={(enabled) => onChange({ enabled })} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item label={t(`${K}.description`)} htmlFor="flow-description" {...help('description')}>
              <Input.TextArea
                id="flow-description"
                value={draft.description}
                maxLength={500}
                autoSize={{ minRows: 1, maxRows: 4 }}
                onChange={(e) => onChange({ description: e.target.value })}
              />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item label={t(`${K}.entry`)} tooltip={t(`${K}.entry_hint`)} {...help('entry')}>
              <ConditionEditor
                fields={fields}
                value={draft.entry}
                onChange={(g) => onChange({ entry: g.any.length ? g : null })}
                emptyText={t(`${K}.entry_all`)}
              />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Card>
  );
}
