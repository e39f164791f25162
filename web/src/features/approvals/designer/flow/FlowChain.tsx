import { useState, type CSSProperties, type ReactNode } from 'react';
import { Button, Flex, Popover, theme, Typography } from 'antd';
import { AuditOutlined, BranchesOutlined, CloseOutlined, PlusOutlined } from '@ant-design/icons';
import type { FlowNode, PointNode } from '@common/schemas/approvals';
import { useT } from '@web/app/i18n';
import { BranchBlock } from './BranchBlock';
import { useChain } from './chainContext';
import type { ChainId } from './definition';
import { useNames } from './names';
import { approversSummary } from './summary';

/** Card and line sizes of the chain (DingTalk / WeChat Work style: a vertical column of cards). */
export const CARD_WIDTH = 240;
export const LINE = 2;

/** The whole chain: 发起人 → points / branches → 流程结束. */
export function FlowChain({ nodes }: { nodes: FlowNode[] }) {
  const t = useT();
  const { token } = theme.useToken();
  return (
    <div style={{ background: token.colorBgLayout, borderRadius: token.borderRadiusLG, padding: '32px 24px', overflow: 'auto' }}>
      <Flex vertical align="center" style={{ minWidth: 'fit-content', margin: '0 auto' }} data-testid="flow-chain">
        <ChainCard
          title={t('approvalsdesigner.start.title')}
          color="#576a95"
          ariaLabel={t('approvalsdesigner.start.title')}
          body={<Typography.Text type="secondary">{t('approvalsdesigner.start.body')}</Typography.Text>}
        />
        <NodeList nodes={nodes} chain={null} after={t('approvalsdesigner.start.title')} />
        <div
          style={{
            padding: '6px 20px',
            borderRadius: 16,
            background: token.colorBgContainer,
            color: token.colorTextSecondary,
            boxShadow: token.boxShadowTertiary,
          }}
        >
          {t('approvalsdesigner.end')}
        </div>
      </Flex>
    </div>
  );
}

/** A node list (the main chain or a branch's), with a "+" connector before each node and after the last. */
export function NodeList({ nodes, chain, after }: { nodes: FlowNode[]; chain: ChainId; after: string }) {
  return (
    <>
      <Connector chain={chain} index={0} after={after} />
      {nodes.map((n, i) => (
        <Flex vertical align="center" key={n.id}>
          {n.kind === 'point' ? <PointCard point={n} /> : <BranchBlock node={n} />}
          <Connector chain={chain} index={i + 1} after={n.kind === 'point' ? n.name : null} />
        </Flex>
      ))}
    </>
  );
}

/** A line with a round "+" that inserts a point or a branch node at `index` of `chain`. */
function Connector({ chain, index, after }: { chain: ChainId; index: number; after: string | null }) {
  const t = useT();
  const { token } = theme.useToken();
  const { insert } = useChain();
  const [open, setOpen] = useState(false);
  const add = (kind: FlowNode['kind']) => {
    setOpen(false);
    insert(chain, index, kind);
  };
  return (
    <div style={{ position: 'relative', height: 72, width: CARD_WIDTH, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
      <div
        style={{ position: 'absolute', top: 0, bottom: 0, left: '50%', width: LINE, marginLeft: -LINE / 2, background: token.colorBorder }}
      />
      <Popover
        open={open}
        onOpenChange={setOpen}
        trigger="click"
        placement="right"
        content={
          <Flex gap={8}>
            <Button icon={<AuditOutlined style={{ color: '#ff943e' }} />} onClick={() => add('point')}>
              {t('approvalsdesigner.add.point')}
            </Button>
            <Button icon={<BranchesOutlined style={{ color: '#15bc83' }} />} onClick={() => add('branch')}>
              {t('approvalsdesigner.add.branch')}
            </Button>
          </Flex>
        }
      >
        <Button
          type="primary"
          shape="circle"
          size="small"
          icon={<PlusOutlined />}
          aria-label={after === null ? t('approvalsdesigner.add.here') : t('approvalsdesigner.add.after', { name: after })}
          style={{ position: 'relative', boxShadow: token.boxShadowTertiary }}
        />
      </Popover>
    </div>
  );
}

type CardProps = {
  title: ReactNode;
  color: string;
  ariaLabel: string;
  body: ReactNode;
  errors?: string[];
  onOpen?: () => void;
  onRemove?: { label: string; run: () => void };
  style?: CSSProperties;
};

/** A card on the chain: coloured header, body text, red border and messages when it has problems. */
export function ChainCard({ title, color, ariaLabel, body, errors = [], onOpen, onRemove, style }: CardProps) {
  const { token } = theme.useToken();
  const bad = errors.length > 0;
  return (
    <div
      role={onOpen ? 'button' : 'group'}
      tabIndex={onOpen ? 0 : undefined}
      aria-label={ariaLabel}
      aria-invalid={bad || undefined}
      onClick={onOpen}
      onKeyDown={(e) => {
        if (onOpen && (e.key === 'Enter' || e.key === ' ') && e.target === e.currentTarget) {
          e.preventDefault();
          onOpen();
        }
      }}
      style={{
        position: 'relative',
        zIndex: 1,
        width: CARD_WIDTH,
        background: token.colorBgContainer,
        borderRadius: token.borderRadiusLG,
        boxShadow: token.boxShadowTertiary,
        outline: bad ? `2px solid ${token.colorError}` : undefined,
        cursor: onOpen ? 'pointer' : 'default',
        overflow: 'hidden',
        ...style,
      }}
    >
      <Flex
        align="center"
        justify="space-between"
        gap={4}
        style={{ background: color, color: '#fff', padding: '4px 8px 4px 12px', minHeight: 30, fontSize: 13 }}
      >
        <span style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{title}</span>
        {onRemove && (
          <Button
            type="text"
            size="small"
            icon={<CloseOutlined style={{ color: '#fff' }} />}
            aria-label={onRemove.label}
            onClick={(e) => {
              e.stopPropagation();
              onRemove.run();
            }}
          />
        )}
      </Flex>
      <div style={{ padding: '10px 12px', fontSize: 13, wordBreak: 'break-word' }}>
        {body}
        {errors.map((m, i) => (
          <div key={i} style={{ color: token.colorError, marginTop: 4, fontSize: 12 }}>
            {m}
          </div>
        ))}
      </div>
    </div>
  );
}

/** An approval point: name, approvers in words, mode. Click to edit. */
function PointCard({ point }: { point: PointNode }) {
  const t = useT();
  const names = useNames();
  const { issues, openPoint, removePoint } = useChain();
  const summary = approversSummary(t, names, point.approvers);
  return (
    <ChainCard
      title={point.name || t('approvalsdesigner.point.unnamed')}
      color="#ff943e"
      ariaLabel={t('approvalsdesigner.point.aria', { name: point.name })}
      errors={issues.byTarget.get(point.id)}
      onOpen={() => openPoint(point.id)}
      onRemove={{ label: t('approvalsdesigner.point.remove', { name: point.name }), run: () => removePoint(point.id) }}
      body={
        <Flex vertical gap={4}>
          {summary ? (
            <Typography.Text>{summary}</Typography.Text>
          ) : (
            <Typography.Text type="secondary">{t('approvalsdesigner.point.no_approvers_short')}</Typography.Text>
          )}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(`approvalsdesigner.mode.${point.mode}`)}
            {point.timeLimit ? ` · ${t('approvalsdesigner.point.limit_short', { hours: point.timeLimit.hours })}` : ''}
          </Typography.Text>
        </Flex>
      }
    />
  );
}
