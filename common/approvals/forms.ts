import { z } from 'zod';
import type { FileInfo } from '../schemas/files';
import type { FormField, InstanceStatus } from '../schemas/approvals';

/**
 * Custom form entries (自定义审批单): what a submitter filled in. The form's flow runs over it as
 * document type 'form.<formId>' (the approval detail page is its page).
 */

/** longest textarea value (text fields keep the custom-field limit of 500) */
export const FORM_TEXTAREA_MAX = 5000;
/** most files on one attachments field */
export const FORM_ATTACHMENTS_MAX = 20;

/** PATCH /approval-form-entries/:id — only while its approval was returned to the submitter; given keys replace, null clears */
export const updateFormEntryBody = z.strictObject({
  values: z.record(z.string(), z.unknown()),
  version: z.number().int().min(1),
});

/** GET /approval-form-entries/:id */
export type ApprovalFormEntry = {
  id: string;
  formId: string;
  formName: string;
  /** the form's fields as they are now */
  fields: FormField[];
  /** values by field key (money in fen, attachments as file ids) */
  values: Record<string, unknown>;
  /** the files of its attachments fields */
  files: FileInfo[];
  /** names of the users its user fields name, by id (a viewer may not be allowed to look users up) */
  userNames: Record<string, string>;
  submitterId: string;
  submitterName: string;
  /** its newest approval */
  instanceId: string | null;
  status: InstanceStatus | null;
  /** the submitter may change the values now (the approval was returned) */
  editable: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
};

/** POST /approval-forms/:id/submit answers the stored entry and its approval */
export type FormSubmitResult = { entryId: string; instanceId: string; status: InstanceStatus };
