/** Approval flows, positions and forms API: validation errors. */
export default {} as Record<string, string>;
