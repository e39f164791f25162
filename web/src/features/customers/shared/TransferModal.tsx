import { useT } from '@web/app/i18n';
import { TransferToUserModal } from '@web/features/org/shared/TransferToUserModal';
import { useCustomerMutations } from '../useCustomerMutations';

type Props = { ids: string[]; open: boolean; onClose: () => void; onDone?: () => void; excludeUserId?: string | null };

/** 移交: moves customers (with their contacts and open follow-ups) to another user. */
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
      transfer={async (toUserId) => t('customersui.transfer.done', { count: (await transfer.mutateAsync({ ids, toUserId })).done })}
    />
  );
}
