/** placeholder until the page lands */
export function ApprovalCentrePage() {
  return null;
}
