/** placeholder until the page lands */
export function MailBatchesPage() {
  return null;
}
