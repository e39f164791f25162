/** placeholder until the page lands */
export function FormsPage() {
  return null;
}
