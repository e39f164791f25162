import { useT } from '@web/app/i18n';
import { TransferToUserModal } from '@web/features/org/shared/TransferToUserModal';
import { useLeadMutations } from './api';

type Props = { ids: string[]; open: boolean; onClose: () => void; onDone?: () => void };

/** 移交: gives the chosen leads (with their open schedules) to another user. */
export function LeadTransferModal({ ids, ...rest }: Props) {
  const t = useT();
  const { transfer } = useLeadMutations();
  return (
    <TransferToUserModal
      {...rest}
      title={t('leads.transfer')}
      toLabel={t('leads.transfer.to')}
      pending={transfer.isPending}
      transfer={async (toUserId) => t('leads.transfer.done', { count: (await transfer.mutateAsync({ ids, toUserId })).moved })}
    />
  );
}
