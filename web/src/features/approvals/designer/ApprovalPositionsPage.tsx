/** placeholder until the page lands */
export function ApprovalPositionsPage() {
  return null;
}
