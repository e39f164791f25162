import { Button, Result } from 'antd';
import { Link } from 'react-router';
import type { TransferSubmitted } from '@common/schemas/pool';
import { useT } from '@web/app/i18n';
import { TransferToUserModal } from '@web/features/org/shared/TransferToUserModal';
import { useCustomerMutations } from '../useCustomerMutations';

type Props = { ids: string[]; open: boolean; onClose: () => void; onDone?: () => void; excludeUserId?: string | null };

/**
 * 移交: moves customers (with their contacts and open follow-ups) to another user. When an
 * approval flow applies, the server answers 202 and the modal says 已提交审批 with a link to it.
 */
export function TransferModal({ ids, ...rest }: Props) {
  const t = useT();
  const { transfer } = useCustomerMutations();
  return (
    <TransferToUserModal
      {...rest}
      title={t('customersui.action.transfer')}
      toLabel={t('customersui.transfer.to')}
      hint={t('customersui.transfer.hint', { count: ids.length })}
      pending={transfer.isPending}
      transfer={async (toUserId) => {
        const r = await transfer.mutateAsync({ ids, toUserId });
        if (!('requestId' in r)) return t('customersui.transfer.done', { count: r.done });
        // every point skipped: it has moved already
        if (r.status === 'approved') return t('customersui.transfer.done', { count: r.result?.done ?? 0 });
        return { result: (close: () => void) => <Submitted submitted={r} count={ids.length} onClose={close} /> };
      }}
    />
  );
}

function Submitted({ submitted, count, onClose }: { submitted: TransferSubmitted; count: number; onClose: () => void }) {
  const t = useT();
  const rejected = submitted.status === 'rejected';
  return (
    <Result
      status={rejected ? 'warning' : 'success'}
      title={rejected ? t('transferrequests.submitted.rejected') : t('transferrequests.submitted.title')}
      subTitle={rejected ? undefined : t('transferrequests.submitted.body', { count })}
      extra={
        <Link to={`/approvals/${submitted.approvalId}`} onClick={onClose} data-testid="transfer-approval-link">
          <Button type="primary">{t('transferrequests.view')}</Button>
        </Link>
      }
    />
  );
}
