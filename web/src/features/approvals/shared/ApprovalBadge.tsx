import { useNavigate } from 'react-router';
import { Badge, Button, Tooltip } from 'antd';
import { AuditOutlined } from '@ant-design/icons';
import { useT } from '@web/app/i18n';
import { useApprovalCounts } from './api';
import { useApprovalLive } from './useApprovalLive';

/**
 * Top-bar 待办审批 icon with the count of my pending approvals, linking to the centre's 待办 box.
 * It also keeps every approvals query of the tab live (one subscription for the whole shell).
 */
export function ApprovalBadge() {
  const t = useT();
  const navigate = useNavigate();
  const counts = useApprovalCounts();
  useApprovalLive();
  const todo = counts.data?.todo ?? 0;
  return (
    <Tooltip title={t('approvalscentre.badge.tooltip', { count: todo })}>
      <Button
        type="text"
        aria-label={t('approvalscentre.badge.label')}
        data-testid="approval-badge"
        onClick={() => void navigate('/approvals?box=todo')}
      >
        <Badge count={todo} size="small" overflowCount={99}>
          <AuditOutlined style={{ fontSize: 17 }} />
        </Badge>
      </Button>
    </Tooltip>
  );
}
