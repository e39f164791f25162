import { Alert, Button, Drawer, Flex, Form, Input, InputNumber, Radio, Select, Switch, Typography } from 'antd';
import { APPROVAL_MODES, ESCALATIONS, WHEN_EMPTY, type PointNode } from '@common/schemas/approvals';
import { useT } from '@web/app/i18n';
import { IssueList } from './IssueList';
import { ApproverListEditor } from './ApproverListEditor';

type Props = {
  point: PointNode | undefined;
  issues: string[];
  onChange: (patch: Partial<Omit<PointNode, 'kind' | 'id'>>) => void;
  onClose: () => void;
};

const K = 'approvalsdesigner.point';

/** Edits one 审批点: name, approvers, mode, what happens without approvers, time limit. Changes apply at once. */
export function PointDrawer({ point, issues, onChange, onClose }: Props) {
  const t = useT();
  return (
    <Drawer
      open={point !== undefined}
      onClose={onClose}
      size={560}
      title={point ? t(`${K}.drawer_title`, { name: point.name }) : ''}
      extra={
        <Button type="primary" onClick={onClose}>
          {t('approvalsdesigner.done')}
        </Button>
      }
    >
      {point && (
        <Form layout="vertical" component="div">
          {issues.length > 0 && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={<IssueList messages={issues} />} />}
          <Form.Item label={t(`${K}.name`)} htmlFor="point-name" required>
            <Input
              id="point-name"
              value={point.name}
              maxLength={50}
              status={point.name.trim() ? undefined : 'error'}
              onChange={(e) => onChange({ name: e.target.value })}
            />
          </Form.Item>
          <Form.Item label={t(`${K}.approvers`)} required>
            <ApproverListEditor
              value={point.approvers}
              onChange={(approvers) => onChange({ approvers })}
              max={20}
              addLabel={t(`${K}.add_approver`)}
              emptyText={t(`${K}.no_approvers`)}
            />
          </Form.Item>
          <Form.Item label={t(`${K}.mode`)}>
            <Radio.Group
              value={point.mode}
              onChange={(e) => onChange({ mode: e.target.value as PointNode['mode'] })}
              style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
            >
              {APPROVAL_MODES.map((m) => (
                <Radio key={m} value={m}>
                  {t(`approvalsdesigner.mode.${m}`)}
                  <Typography.Text type="secondary" style={{ marginLeft: 8, fontSize: 12 }}>
                    {t(`approvalsdesigner.mode_hint.${m}`)}
                  </Typography.Text>
                </Radio>
              ))}
            </Radio.Group>
          </Form.Item>
          <Form.Item label={t(`${K}.when_empty`)}>
            <Radio.Group
              value={point.whenEmpty}
              onChange={(e) => onChange({ whenEmpty: e.target.value as PointNode['whenEmpty'] })}
              options={WHEN_EMPTY.map((w) => ({ value: w, label: t(`approvalsdesigner.when_empty.${w}`) }))}
            />
          </Form.Item>
          <TimeLimitEditor point={point} onChange={onChange} />
        </Form>
      )}
    </Drawer>
  );
}

function TimeLimitEditor({ point, onChange }: { point: PointNode; onChange: Props['onChange'] }) {
  const t = useT();
  const limit = point.timeLimit ?? null;
  return (
    <>
      <Form.Item label={t(`${K}.time_limit`)}>
        <Flex align="center" gap={8}>
          <Switch
            aria-label={t(`${K}.time_limit`)}
            checked={limit !== null}
            onChange={(on) => onChange({ timeLimit: on ? { hours: 24, remindBeforeHours: 2, escalate: 'remind' } : null })}
          />
          <Typography.Text type="secondary">{t(`${K}.time_limit_hint`)}</Typography.Text>
        </Flex>
      </Form.Item>
      {limit && (
        <Flex gap={16} wrap>
          <Form.Item label={t(`${K}.hours`)} htmlFor="point-hours">
            <InputNumber
              id="point-hours"
              min={0.25}
              max={24 * 90}
              step={1}
              value={limit.hours}
              onChange={(hours) => onChange({ timeLimit: { ...limit, hours: hours ?? 24 } })}
              suffix={t(`${K}.hours_unit`)}
            />
          </Form.Item>
          <Form.Item label={t(`${K}.remind_before`)} htmlFor="point-remind">
            <InputNumber
              id="point-remind"
              min={0}
              max={24 * 30}
              value={limit.remindBeforeHours}
              onChange={(h) => onChange({ timeLimit: { ...limit, remindBeforeHours: h ?? 0 } })}
              suffix={t(`${K}.hours_unit`)}
            />
          </Form.Item>
          <Form.Item label={t(`${K}.escalate`)} htmlFor="point-escalate">
            <Select
              id="point-escalate"
              style={{ width: 200 }}
              value={limit.escalate}
              onChange={(escalate) => onChange({ timeLimit: { ...limit, escalate } })}
              options={ESCALATIONS.map((e) => ({ value: e, label: t(`approvalsdesigner.escalate.${e}`) }))}
            />
          </Form.Item>
        </Flex>
      )}
    </>
  );
}
