import { sql, type Kysely } from 'kysely';

/**
 * 流程管理: approval flows (versioned definitions chosen by entry conditions), approval positions
 * (审批职位, named groups of approvers), custom forms (请假, 报销 …) and their entries, running
 * instances with their tasks, action history and copy-to recipients.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const record = (name: string) =>
    db.schema
      .createTable(name)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('deleted_at', 'text');

  // a flow of one document type; the chain itself lives in approval_flow_versions
  await record('approval_flows')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    // JSON ConditionGroup | null: 入口条件 on the document's fields
    .addColumn('entry', 'text')
    .addColumn('current_version_id', 'text')
    .execute();
  await db.schema.createIndex('approval_flows_type').on('approval_flows').columns(['type', 'priority']).execute();

  // every saved definition; an instance keeps the one it started with
  await db.schema
    .createTable('approval_flow_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('flow_id', 'text', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    // JSON FlowDefinition
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('approval_flow_versions_flow').on('approval_flow_versions').columns(['flow_id', 'number']).unique().execute();

  // 审批职位: a named group of approvers, a member optionally only for submitters of some departments
  await record('approval_positions')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .execute();
  await db.schema
    .createTable('approval_position_members')
    .addColumn('position_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    // JSON string[]: departments (with their sub-departments) this member approves for; [] = all
    .addColumn('department_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addPrimaryKeyConstraint('approval_position_members_pk', ['position_id', 'user_id'])
    .execute();

  // custom forms (自定义审批单): fields reuse the custom-field types; type of their flows = 'form.<id>'
  await record('approval_forms')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('icon', 'text')
    // JSON FormField[]
    .addColumn('fields', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await record('approval_form_entries')
    .addColumn('form_id', 'text', (c) => c.notNull())
    .addColumn('submitter_id', 'text', (c) => c.notNull())
    // JSON: values by field key, money in fen
    .addColumn('field_values', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('approval_form_entries_submitter').on('approval_form_entries').columns(['submitter_id', 'id']).execute();

  // one run of a flow over one document
  await db.schema
    .createTable('approval_instances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('document_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('flow_id', 'text', (c) => c.notNull())
    .addColumn('flow_version_id', 'text', (c) => c.notNull())
    .addColumn('submitter_id', 'text', (c) => c.notNull())
    .addColumn('submitter_department_id', 'text')
    // pending | returned | approved | rejected | withdrawn
    .addColumn('status', 'text', (c) => c.notNull())
    // the point being decided (pending) or last decided
    .addColumn('current_node_id', 'text')
    // JSON: the document's flow fields as submitted (conditions are evaluated on these)
    .addColumn('fields', 'text', (c) => c.notNull().defaultTo('{}'))
    // JSON: engine state (visited path, rounds); see server/modules/approvals
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('approval_instances_document').on('approval_instances').columns(['type', 'document_id', 'id']).execute();
  // one running instance per document: of two simultaneous submits the second fails here
  await db.schema
    .createIndex('approval_instances_running')
    .on('approval_instances')
    .columns(['type', 'document_id'])
    .unique()
    .where(sql<boolean>`status in ('pending', 'returned')`)
    .execute();
  await db.schema.createIndex('approval_instances_submitter').on('approval_instances').columns(['submitter_id', 'id']).execute();
  await db.schema.createIndex('approval_instances_status').on('approval_instances').columns(['status', 'id']).execute();

  // one approver's share of a point
  await db.schema
    .createTable('approval_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('instance_id', 'text', (c) => c.notNull())
    .addColumn('node_id', 'text', (c) => c.notNull())
    // how often the instance has entered this point (a reject-to-point re-enters it)
    .addColumn('round', 'integer', (c) => c.notNull().defaultTo(1))
    // order inside the point: lowest unfinished seq is pending (sequential mode, 加签 before/after)
    .addColumn('seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('approver_id', 'text', (c) => c.notNull())
    // waiting | pending | approved | rejected | transferred | cancelled
    .addColumn('status', 'text', (c) => c.notNull())
    // user who added this task by 加签 or hand-over; null when the flow put it here
    .addColumn('added_by', 'text')
    // tasks sharing a group are alternatives: the first approval settles them all (或签, escalation to the admins)
    .addColumn('group_id', 'text')
    .addColumn('due_at', 'text')
    // when the reminder before the time limit is due (due_at − remindBeforeHours)
    .addColumn('remind_at', 'text')
    .addColumn('reminded_at', 'text')
    .addColumn('escalated_at', 'text')
    .addColumn('acted_at', 'text')
    .addColumn('comment', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('approval_tasks_instance').on('approval_tasks').columns(['instance_id', 'node_id', 'round', 'seq']).execute();
  await db.schema.createIndex('approval_tasks_approver').on('approval_tasks').columns(['approver_id', 'status', 'instance_id']).execute();
  await db.schema.createIndex('approval_tasks_due').on('approval_tasks').columns(['status', 'due_at']).execute();
  await db.schema.createIndex('approval_tasks_remind').on('approval_tasks').columns(['status', 'remind_at']).execute();

  // the history shown on the document's page (also written to the audit log)
  await db.schema
    .createTable('approval_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('instance_id', 'text', (c) => c.notNull())
    .addColumn('task_id', 'text')
    .addColumn('node_id', 'text')
    // null for the engine's own steps (skip, escalate, auto-approve)
    .addColumn('actor_id', 'text')
    // submit | resubmit | approve | reject | return | withdraw | transfer | add_approver | skip | escalate | remind | auto_approve | cc
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    // JSON string[] file ids
    .addColumn('attachments', 'text', (c) => c.notNull().defaultTo('[]'))
    // JSON: to user ids, target point, reason code …
    .addColumn('detail', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('approval_actions_instance').on('approval_actions').columns(['instance_id', 'id']).execute();
  await db.schema.createIndex('approval_actions_actor').on('approval_actions').columns(['actor_id', 'instance_id']).execute();

  // 抄送: copied users, with whether they have opened it
  await db.schema
    .createTable('approval_cc')
    .addColumn('instance_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('approval_cc_pk', ['instance_id', 'user_id'])
    .execute();
  await db.schema.createIndex('approval_cc_user').on('approval_cc').columns(['user_id', 'instance_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'approval_cc',
    'approval_actions',
    'approval_tasks',
    'approval_instances',
    'approval_form_entries',
    'approval_forms',
    'approval_position_members',
    'approval_positions',
    'approval_flow_versions',
    'approval_flows',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
