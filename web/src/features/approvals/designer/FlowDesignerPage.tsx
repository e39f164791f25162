/** placeholder until the page lands */
export function FlowDesignerPage() {
  return null;
}
