/** placeholder until the page lands */
export function SystemMailPage() {
  return null;
}
