/** Shapes of the organisation API, shared with the server (common/schemas/org.ts). */
export type { Department, Position, User, UserOption, UserStatus, HandoverItem as HandoverCount } from '@common/schemas/org';
export { USER_STATUSES } from '@common/schemas/org';

export type Page<T> = { items: T[]; nextCursor: string | null; total?: number };
