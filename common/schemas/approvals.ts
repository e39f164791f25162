import { z } from 'zod';
import { idSchema } from './fields';
import { CUSTOM_FIELD_TYPES, customFieldKey } from './custom-fields';

/**
 * 流程管理: approval flow definitions (designer ⇄ server), runtime bodies and the shapes the
 * approval centre shows. The engine lives in server/modules/approvals; documents register their
 * type there (server/modules/approvals/registry.ts).
 */

// ---------------------------------------------------------------- document types

/** kinds of a document field a flow may test (money in fen, percent as 0–100 with decimals) */
export const FLOW_FIELD_KINDS = ['number', 'money', 'percent', 'text', 'select', 'department', 'user', 'date', 'boolean'] as const;
export type FlowFieldKind = (typeof FLOW_FIELD_KINDS)[number];

/** A field of a document type a flow may test, as listed by GET /approval-types. */
export type FlowFieldDef = { key: string; label: string; kind: FlowFieldKind; options?: string[] };
/** An approvable document type: fixed ones registered by modules, and one per custom form ('form.<id>'). */
export type ApprovableType = { type: string; label: string; module: string | null; fields: FlowFieldDef[] };

// ---------------------------------------------------------------- conditions

/**
 * Operators. `in`/`not_in` take a list; `dept_in` takes department ids and matches the field's
 * department (or, for field '$submitter.department', the submitter's) or any sub-department;
 * `exceeds_position_limit` (折扣超出职位权限) compares a number field with the limit of the
 * submitter's position: value `{ limits: { [positionId]: number }, default: number }`.
 */
export const CONDITION_OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', 'contains', 'dept_in', 'exceeds_position_limit'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

/** pseudo-fields every type has */
export const SUBMITTER_FIELDS = ['$submitter.department', '$submitter.position', '$submitter.id'] as const;

const scalar = z.union([z.string().max(200), z.number(), z.boolean()]);
export const conditionSchema = z.strictObject({
  field: z.string().min(1).max(60),
  op: z.enum(CONDITION_OPS),
  value: z.union([
    scalar,
    z.array(scalar).max(200),
    z.strictObject({ limits: z.record(z.string(), z.number()), default: z.number() }),
  ]),
});
export type Condition = z.infer<typeof conditionSchema>;

/** OR of AND groups: `any: [[a, b], [c]]` = (a and b) or c. An empty `any` matches everything. */
export const conditionGroupSchema = z.strictObject({ any: z.array(z.array(conditionSchema).min(1).max(20)).max(10) });
export type ConditionGroup = z.infer<typeof conditionGroupSchema>;

// ---------------------------------------------------------------- approvers

/**
 * Who decides a point:
 * - approval_position: members of a 审批职位 (those whose departments cover the submitter's first; else all members)
 * - users: named users
 * - supervisor: the submitter's 上级
 * - supervisor_chain: 上级, 上级的上级 … up to `levels`, or up to and including the first holding `untilPositionId`
 * - department_head: head of the submitter's department (walking up to the nearest department with a head)
 * - role: every active user holding the org position (职位) `positionId`
 */
export const approverSpecSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('approval_position'), positionId: idSchema }),
  z.strictObject({ kind: z.literal('users'), userIds: z.array(idSchema).min(1).max(50) }),
  z.strictObject({ kind: z.literal('supervisor') }),
  z.strictObject({
    kind: z.literal('supervisor_chain'),
    levels: z.number().int().min(1).max(10).optional(),
    untilPositionId: idSchema.optional(),
  }),
  z.strictObject({ kind: z.literal('department_head') }),
  z.strictObject({ kind: z.literal('role'), positionId: idSchema }),
]);
export type ApproverSpec = z.infer<typeof approverSpecSchema>;
export type ApproverKind = ApproverSpec['kind'];

/** 或签 any one decides; 会签 all must approve; 依次 one after another in the listed order */
export const APPROVAL_MODES = ['any', 'all', 'sequential'] as const;
export type ApprovalMode = (typeof APPROVAL_MODES)[number];

/** a point whose approvers resolve to nobody: pass it, give it to the admins, or reject the document */
export const WHEN_EMPTY = ['skip', 'admin', 'reject'] as const;
export type WhenEmpty = (typeof WHEN_EMPTY)[number];

/** after the time limit: only remind again, hand to the approver's supervisor, to the admins, or approve automatically */
export const ESCALATIONS = ['remind', 'supervisor', 'admin', 'approve'] as const;
export type Escalation = (typeof ESCALATIONS)[number];

export const timeLimitSchema = z.strictObject({
  hours: z.number().min(0.25).max(24 * 90),
  /** reminder this many hours before the limit (0 = none before it) */
  remindBeforeHours: z.number().min(0).max(24 * 30).default(0),
  escalate: z.enum(ESCALATIONS).default('remind'),
});
export type TimeLimit = z.infer<typeof timeLimitSchema>;

// ---------------------------------------------------------------- the chain

const nodeId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'validation.invalid_format');

export type PointNode = {
  kind: 'point';
  id: string;
  name: string;
  approvers: ApproverSpec[];
  mode: ApprovalMode;
  whenEmpty: WhenEmpty;
  timeLimit?: TimeLimit | null;
};
export type Branch = { id: string; name: string; /** null = otherwise (default branch) */ condition: ConditionGroup | null; nodes: FlowNode[] };
export type BranchNode = { kind: 'branch'; id: string; branches: Branch[] };
export type FlowNode = PointNode | BranchNode;

export const pointNodeSchema = z.strictObject({
  kind: z.literal('point'),
  id: nodeId,
  name: z.string().trim().min(1).max(50),
  approvers: z.array(approverSpecSchema).max(20),
  mode: z.enum(APPROVAL_MODES),
  whenEmpty: z.enum(WHEN_EMPTY),
  timeLimit: timeLimitSchema.nullable().optional(),
});

export const flowNodeSchema: z.ZodType<FlowNode> = z.lazy(() =>
  z.union([
    pointNodeSchema,
    z.strictObject({
      kind: z.literal('branch'),
      id: nodeId,
      branches: z
        .array(
          z.strictObject({
            id: nodeId,
            name: z.string().trim().min(1).max(50),
            condition: conditionGroupSchema.nullable(),
            nodes: z.array(flowNodeSchema).max(50),
          }),
        )
        .min(2)
        .max(10),
    }),
  ]),
) as z.ZodType<FlowNode>;

/**
 * A flow's chain: points and branches in order, evaluated top-down; the first branch whose
 * condition matches is taken (a branch with `condition: null` is the otherwise branch).
 * `cc`: copied when the document is submitted and when it is decided.
 */
export const flowDefinitionSchema = z.strictObject({
  nodes: z.array(flowNodeSchema).min(1).max(50),
  cc: z.array(approverSpecSchema).max(10).default([]),
});
export type FlowDefinition = z.infer<typeof flowDefinitionSchema>;

// ---------------------------------------------------------------- flows API

export const flowListQuery = z.object({ type: z.string().max(80).optional() });

export const createFlowBody = z.strictObject({
  type: z.string().min(1).max(80),
  name: z.string().trim().min(1).max(50),
  description: z.string().trim().max(500).nullable().optional(),
  priority: z.number().int().min(0).max(10000).default(0),
  isDefault: z.boolean().default(false),
  enabled: z.boolean().default(true),
  entry: conditionGroupSchema.nullable().default(null),
  definition: flowDefinitionSchema,
});
export type CreateFlowBody = z.infer<typeof createFlowBody>;

/**
 * A changed definition is saved as a new version; running instances keep theirs. Absent keys stay
 * as they are (no defaults here: `.partial()` would keep createFlowBody's and reset them).
 */
export const updateFlowBody = z.strictObject({
  name: createFlowBody.shape.name.optional(),
  description: createFlowBody.shape.description,
  priority: z.number().int().min(0).max(10000).optional(),
  isDefault: z.boolean().optional(),
  enabled: z.boolean().optional(),
  entry: conditionGroupSchema.nullable().optional(),
  definition: flowDefinitionSchema.optional(),
  version: z.number().int().min(1),
});
export type UpdateFlowBody = z.infer<typeof updateFlowBody>;

export type ApprovalFlow = {
  id: string;
  type: string;
  name: string;
  description: string | null;
  priority: number;
  isDefault: boolean;
  enabled: boolean;
  entry: ConditionGroup | null;
  definition: FlowDefinition;
  /** number of the current definition version (1, 2, …) */
  definitionVersion: number;
  version: number;
  createdAt: string;
  updatedAt: string;
};

// ---------------------------------------------------------------- approval positions (审批职位)

export const approvalPositionBody = z.strictObject({
  name: z.string().trim().min(1).max(50),
  description: z.string().trim().max(500).nullable().optional(),
  members: z
    .array(z.strictObject({ userId: idSchema, departmentIds: z.array(idSchema).max(100).default([]) }))
    .max(200)
    .default([]),
});
// absent keys stay as they are (`.partial()` would keep the defaults and empty the members)
export const updateApprovalPositionBody = z.strictObject({
  name: approvalPositionBody.shape.name.optional(),
  description: approvalPositionBody.shape.description,
  members: approvalPositionBody.shape.members.unwrap().optional(),
  version: z.number().int().min(1),
});
export type ApprovalPosition = {
  id: string;
  name: string;
  description: string | null;
  members: { userId: string; userName: string; departmentIds: string[] }[];
  version: number;
};

// ---------------------------------------------------------------- custom forms

export const formFieldSchema = z.strictObject({
  key: customFieldKey,
  label: z.string().trim().min(1).max(50),
  type: z.enum([...CUSTOM_FIELD_TYPES, 'textarea', 'attachments']),
  options: z.array(z.string().trim().min(1).max(50)).max(200).optional(),
  required: z.boolean().default(false),
});
export type FormField = z.infer<typeof formFieldSchema>;

export const formBody = z.strictObject({
  name: z.string().trim().min(1).max(50),
  description: z.string().trim().max(500).nullable().optional(),
  icon: z.string().max(40).nullable().optional(),
  fields: z.array(formFieldSchema).min(1).max(50),
  enabled: z.boolean().default(true),
  sortOrder: z.number().int().min(0).max(100000).default(0),
});
// absent keys stay as they are (`.partial()` would keep the defaults)
export const updateFormBody = z.strictObject({
  name: formBody.shape.name.optional(),
  description: formBody.shape.description,
  icon: formBody.shape.icon,
  fields: formBody.shape.fields.optional(),
  enabled: z.boolean().optional(),
  sortOrder: z.number().int().min(0).max(100000).optional(),
  version: z.number().int().min(1),
});
export type ApprovalForm = {
  id: string;
  name: string;
  description: string | null;
  icon: string | null;
  fields: FormField[];
  enabled: boolean;
  sortOrder: number;
  version: number;
};

/** POST /approval-forms/:id/submit — values by field key (money in fen, attachments as file ids) */
export const submitFormBody = z.strictObject({
  values: z.record(z.string(), z.unknown()),
  cc: z.array(idSchema).max(50).default([]),
});

// ---------------------------------------------------------------- runtime

export const INSTANCE_STATUSES = ['pending', 'returned', 'approved', 'rejected', 'withdrawn'] as const;
export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];
export const TASK_STATUSES = ['waiting', 'pending', 'approved', 'rejected', 'transferred', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const ACTION_KINDS = [
  'submit',
  'resubmit',
  'approve',
  'reject',
  'return',
  'withdraw',
  'transfer',
  'add_approver',
  'skip',
  'escalate',
  'remind',
  'auto_approve',
  'cc',
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export const BOXES = ['todo', 'done', 'mine', 'cc'] as const;
export type Box = (typeof BOXES)[number];

export const instanceListQuery = z.object({
  box: z.enum(BOXES).default('todo'),
  type: z.string().max(80).optional(),
  status: z.enum(INSTANCE_STATUSES).optional(),
  q: z.string().trim().max(50).optional(),
  /** the instances of one document (its page's history); needs the right to see that document */
  documentType: z.string().max(80).optional(),
  documentId: idSchema.optional(),
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type InstanceListQuery = z.infer<typeof instanceListQuery>;

const comment = z.string().trim().max(1000).nullable().optional();
const attachments = z.array(idSchema).max(20).default([]);

export const approveBody = z.strictObject({ comment, attachments });
/** to: 'end' rejects the document; 'submitter' returns it for changes; a point id re-opens that earlier point */
export const rejectBody = z.strictObject({ comment, attachments, to: z.string().min(1).max(40).default('end') });
export const withdrawBody = z.strictObject({ comment });
export const transferTaskBody = z.strictObject({ toUserId: idSchema, comment, attachments });
/** 加签: 'before' — they decide first, then it comes back to me; 'after' — they decide after I approve */
export const addApproverBody = z.strictObject({
  userIds: z.array(idSchema).min(1).max(10),
  where: z.enum(['before', 'after']).default('after'),
  comment,
  attachments,
});
export const resubmitBody = z.strictObject({ comment });
export type ApproveBody = z.infer<typeof approveBody>;
export type RejectBody = z.infer<typeof rejectBody>;
export type TransferTaskBody = z.infer<typeof transferTaskBody>;
export type AddApproverBody = z.infer<typeof addApproverBody>;

export type ApprovalTaskView = {
  id: string;
  nodeId: string;
  round: number;
  seq: number;
  approverId: string;
  approverName: string;
  status: TaskStatus;
  dueAt: string | null;
  actedAt: string | null;
  comment: string | null;
};

export type ApprovalActionView = {
  id: string;
  action: ActionKind;
  nodeId: string | null;
  nodeName: string | null;
  actorId: string | null;
  actorName: string | null;
  comment: string | null;
  attachments: { id: string; name: string; size: number }[];
  detail: Record<string, unknown> | null;
  at: string;
};

/** A list row of the approval centre. */
export type ApprovalListItem = {
  id: string;
  type: string;
  typeLabel: string;
  documentId: string;
  title: string;
  status: InstanceStatus;
  submitterId: string;
  submitterName: string;
  currentNodeName: string | null;
  /** current approvers' names (pending only) */
  currentApprovers: string[];
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  /** cc box: whether I have opened it */
  read?: boolean;
};

/** GET /approvals/:id — the instance with its chain (as pinned), tasks, history and what the caller may do now. */
export type ApprovalDetail = ApprovalListItem & {
  flowId: string;
  flowName: string;
  definitionVersion: number;
  definition: FlowDefinition;
  /**
   * the document's flow fields as submitted, with labels, for display. `display`: the value in words
   * where it is an id the viewer cannot look up — user and department names (several joined with
   * '、'); null for the other kinds (the page formats numbers, money, dates, options and yes/no).
   */
  fields: { key: string; label: string; kind: FlowFieldKind; value: unknown; display: string | null }[];
  /** the point ids on the path taken so far, in order */
  path: string[];
  /**
   * the point ids this submission is planned to pass, in order (branches decided on the submitted
   * values at (re)submission): the points of `path` and those still to come. A planned point not on
   * `path` before the current one was passed by (no approver, skipped).
   */
  plannedPath: string[];
  tasks: ApprovalTaskView[];
  actions: ApprovalActionView[];
  cc: { userId: string; userName: string; readAt: string | null }[];
  /** in-app link to the document's own page, when it has one */
  documentLink: string | null;
  can: { approve: boolean; reject: boolean; transfer: boolean; addApprover: boolean; withdraw: boolean; resubmit: boolean };
  /** earlier points on the path a reject may send it back to */
  rejectTargets: { id: string; name: string }[];
};

/** GET /approvals/counts — for the top bar */
export type ApprovalCounts = { todo: number; ccUnread: number };
