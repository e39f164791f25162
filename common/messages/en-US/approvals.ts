/** Approval engine: errors, notifications, history words. */
export default {} as Record<string, string>;
