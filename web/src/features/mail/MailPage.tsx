/** placeholder until the page lands */
export function MailPage() {
  return null;
}
