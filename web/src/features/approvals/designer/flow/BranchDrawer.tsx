import { Alert, Button, Drawer, Form, Input, Typography } from 'antd';
import type { Branch, FlowFieldDef } from '@common/schemas/approvals';
import { useT } from '@web/app/i18n';
import { IssueList } from './IssueList';
import { ConditionEditor } from './ConditionEditor';

type Props = {
  branch: Branch | undefined;
  fields: FlowFieldDef[];
  issues: string[];
  onChange: (patch: Partial<Pick<Branch, 'name' | 'condition'>>) => void;
  onClose: () => void;
};

const K = 'approvalsdesigner.branch';

/** Edits a branch's name and condition; the otherwise branch (其他情况) has no condition of its own. */
export function BranchDrawer({ branch, fields, issues, onChange, onClose }: Props) {
  const t = useT();
  return (
    <Drawer
      open={branch !== undefined}
      onClose={onClose}
      size={720}
      title={branch ? t(`${K}.drawer_title`, { name: branch.name }) : ''}
      extra={
        <Button type="primary" onClick={onClose}>
          {t('approvalsdesigner.done')}
        </Button>
      }
    >
      {branch && (
        <Form layout="vertical" component="div">
          {issues.length > 0 && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={<IssueList messages={issues} />} />}
          <Form.Item label={t(`${K}.name`)} htmlFor="branch-name" required>
            <Input
              id="branch-name"
              value={branch.name}
              maxLength={50}
              status={branch.name.trim() ? undefined : 'error'}
              onChange={(e) => onChange({ name: e.target.value })}
            />
          </Form.Item>
          <Form.Item label={t(`${K}.condition`)}>
            {branch.condition === null ? (
              <Typography.Text type="secondary">{t(`${K}.otherwise_hint`)}</Typography.Text>
            ) : (
              <ConditionEditor
                fields={fields}
                value={branch.condition}
                onChange={(condition) => onChange({ condition })}
                emptyText={t(`${K}.condition_empty`)}
              />
            )}
          </Form.Item>
        </Form>
      )}
    </Drawer>
  );
}
