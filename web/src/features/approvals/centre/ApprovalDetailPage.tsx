/** placeholder until the page lands */
export function ApprovalDetailPage() {
  return null;
}
