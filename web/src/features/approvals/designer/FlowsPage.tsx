/** placeholder until the page lands */
export function FlowsPage() {
  return null;
}
