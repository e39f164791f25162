/** placeholder until the page lands */
export function MailAccountsPage() {
  return null;
}
