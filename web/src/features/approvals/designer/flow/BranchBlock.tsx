import { Button, Flex, Tag, theme, Typography } from 'antd';
import { CloseOutlined, LeftOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import type { Branch, BranchNode } from '@common/schemas/approvals';
import { useT } from '@web/app/i18n';
import { useChain } from './chainContext';
import { CARD_WIDTH, LINE, NodeList } from './FlowChain';
import { useNames } from './names';
import { conditionSummary } from './summary';

/**
 * A 条件分支 node: its branches side by side (priority left to right, the otherwise branch last), each
 * headed by its condition card and followed by its own chain; joined above and below by lines.
 */
export function BranchBlock({ node }: { node: BranchNode }) {
  const t = useT();
  const { token } = theme.useToken();
  const { addBranch, issues } = useChain();
  const errors = issues.byTarget.get(node.id) ?? [];
  const line = errors.length ? token.colorError : token.colorBorder;
  return (
    <div
      style={{ position: 'relative', display: 'flex', flexDirection: 'column', alignItems: 'center' }}
      role="group"
      aria-label={t('approvalsdesigner.branch.block')}
    >
      <Button
        size="small"
        shape="round"
        icon={<PlusOutlined />}
        onClick={() => addBranch(node.id)}
        disabled={node.branches.length >= 10}
        style={{ position: 'absolute', top: -12, zIndex: 2, color: '#15bc83', borderColor: '#15bc83' }}
      >
        {t('approvalsdesigner.branch.add')}
      </Button>
      <div style={{ display: 'flex' }}>
        {node.branches.map((b, i) => (
          <div
            key={b.id}
            style={{ position: 'relative', display: 'flex', flexDirection: 'column', alignItems: 'center', padding: '0 24px' }}
          >
            <div
              style={{
                position: 'absolute',
                top: 0,
                left: i === 0 ? '50%' : 0,
                right: i === node.branches.length - 1 ? '50%' : 0,
                height: LINE,
                background: line,
              }}
            />
            <div
              style={{
                position: 'absolute',
                bottom: 0,
                left: i === 0 ? '50%' : 0,
                right: i === node.branches.length - 1 ? '50%' : 0,
                height: LINE,
                background: line,
              }}
            />
            <div
              style={{
                position: 'absolute',
                top: 0,
                bottom: 0,
                left: '50%',
                width: LINE,
                marginLeft: -LINE / 2,
                background: token.colorBorder,
              }}
            />
            <div style={{ height: 40 }} />
            <ConditionCard node={node} branch={b} index={i} />
            <NodeList nodes={b.nodes} chain={b.id} after={b.name} />
            <div style={{ flex: 1 }} />
          </div>
        ))}
      </div>
      {errors.map((m, i) => (
        <Typography.Text
          key={i}
          type="danger"
          style={{ position: 'relative', zIndex: 1, background: token.colorBgLayout, padding: '0 8px' }}
        >
          {m}
        </Typography.Text>
      ))}
    </div>
  );
}

/** The head of a branch: name, priority, condition in words; click to edit the condition. */
function ConditionCard({ node, branch, index }: { node: BranchNode; branch: Branch; index: number }) {
  const t = useT();
  const { token } = theme.useToken();
  const names = useNames();
  const { fields, issues, openBranch, moveBranch, removeBranch } = useChain();
  const errors = issues.byTarget.get(branch.id) ?? [];
  const otherwise = branch.condition === null;
  const last = node.branches.length - 1;
  // the otherwise branch stays last: a conditional branch moves right only while the next one is conditional too
  const canLeft = !otherwise && index > 0;
  const canRight = !otherwise && index < last && node.branches[index + 1].condition !== null;
  const stop = (fn: () => void) => (e: React.MouseEvent) => {
    e.stopPropagation();
    fn();
  };
  return (
    <div
      role="button"
      tabIndex={0}
      aria-label={t('approvalsdesigner.branch.aria', { name: branch.name })}
      aria-invalid={errors.length > 0 || undefined}
      onClick={() => openBranch(branch.id)}
      onKeyDown={(e) => {
        if ((e.key === 'Enter' || e.key === ' ') && e.target === e.currentTarget) {
          e.preventDefault();
          openBranch(branch.id);
        }
      }}
      style={{
        position: 'relative',
        zIndex: 1,
        width: CARD_WIDTH,
        background: token.colorBgContainer,
        borderRadius: token.borderRadiusLG,
        boxShadow: token.boxShadowTertiary,
        outline: errors.length ? `2px solid ${token.colorError}` : undefined,
        padding: '8px 8px 10px 12px',
        cursor: 'pointer',
        fontSize: 13,
      }}
    >
      <Flex align="center" justify="space-between" gap={4}>
        <Typography.Text strong style={{ color: '#15bc83' }} ellipsis>
          {branch.name}
        </Typography.Text>
        <Flex align="center" gap={0}>
          {otherwise ? (
            <Tag style={{ marginInlineEnd: 0 }}>{t('approvalsdesigner.branch.otherwise_tag')}</Tag>
          ) : (
            <Typography.Text type="secondary" style={{ fontSize: 12, marginRight: 4 }}>
              {t('approvalsdesigner.branch.priority', { n: index + 1 })}
            </Typography.Text>
          )}
          {canLeft && (
            <Button
              type="text"
              size="small"
              icon={<LeftOutlined />}
              aria-label={t('approvalsdesigner.branch.move_left', { name: branch.name })}
              onClick={stop(() => moveBranch(node.id, branch.id, -1))}
            />
          )}
          {canRight && (
            <Button
              type="text"
              size="small"
              icon={<RightOutlined />}
              aria-label={t('approvalsdesigner.branch.move_right', { name: branch.name })}
              onClick={stop(() => moveBranch(node.id, branch.id, 1))}
            />
          )}
          <Button
            type="text"
            size="small"
            icon={<CloseOutlined />}
            aria-label={t('approvalsdesigner.branch.remove', { name: branch.name })}
            onClick={stop(() => removeBranch(node.id, branch.id))}
          />
        </Flex>
      </Flex>
      <div style={{ marginTop: 4, color: otherwise ? token.colorTextSecondary : token.colorText }}>
        {otherwise
          ? t('approvalsdesigner.branch.otherwise_summary')
          : conditionSummary(t, names, fields, branch.condition, 'approvalsdesigner.branch.condition_unset')}
      </div>
      {errors.map((m, i) => (
        <div key={i} style={{ color: token.colorError, marginTop: 4, fontSize: 12 }}>
          {m}
        </div>
      ))}
    </div>
  );
}
