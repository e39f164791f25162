import type { FormField } from '@common/schemas/approvals';
import type { DbOrTx } from '@server/db/types';
import type { Actor } from '@server/platform/audit/audit.service';
import { createFlow } from './flows.service';
import { createForm, formType } from './forms.service';

/**
 * The two forms every Chinese company expects on day one (请假, 报销), each with a default flow to
 * the submitter's supervisor (admins when there is none). Used by `seed --demo`.
 */

const FORMS: { name: string; icon: string; description: string; fields: FormField[] }[] = [
  {
    name: '请假',
    icon: 'leave',
    description: '年假、事假、病假、调休',
    fields: [
      { key: 'leave_type', label: '类型', type: 'select', options: ['年假', '事假', '病假', '调休'], required: true },
      { key: 'start_date', label: '开始日期', type: 'date', required: true },
      { key: 'end_date', label: '结束日期', type: 'date', required: true },
      { key: 'days', label: '天数', type: 'number', required: true },
      { key: 'reason', label: '事由', type: 'textarea', required: true },
    ],
  },
  {
    name: '报销',
    icon: 'expense',
    description: '差旅、交通、招待等费用报销',
    fields: [
      { key: 'amount', label: '金额', type: 'money', required: true },
      { key: 'category', label: '类别', type: 'select', options: ['差旅费', '交通费', '业务招待费', '办公用品', '其他'], required: true },
      { key: 'note', label: '说明', type: 'textarea', required: true },
      { key: 'files', label: '附件', type: 'attachments', required: false },
    ],
  },
];

/** Creates the 请假 and 报销 forms and their default flows (through the services: validated and audited). */
export async function seedApprovalForms(db: DbOrTx, actor: Actor): Promise<{ forms: number }> {
  for (const [i, f] of FORMS.entries()) {
    const form = await createForm(db, { ...f, enabled: true, sortOrder: i + 1 }, actor);
    await createFlow(
      db,
      {
        type: formType(form.id),
        name: `${f.name}审批`,
        description: null,
        priority: 0,
        isDefault: true,
        enabled: true,
        entry: null,
        definition: {
          nodes: [
            { kind: 'point', id: 'supervisor', name: '直属上级', approvers: [{ kind: 'supervisor' }], mode: 'any', whenEmpty: 'admin' },
          ],
          cc: [],
        },
      },
      actor,
    );
  }
  return { forms: FORMS.length };
}
