/** Mail sending, group sending, system mail, invitations and password resets. */
export default {} as Record<string, string>;
