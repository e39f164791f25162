/** placeholder until the page lands */
export function SubmitFormPage() {
  return null;
}
