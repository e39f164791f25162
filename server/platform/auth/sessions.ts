/** A remembered session lasts 30 days; otherwise it ends after 12 hours without use. */
export const REMEMBER_MS = 30 * 24 * 3600_000;
export const IDLE_MS = 12 * 3600_000;

export function sessionExpiry(now: Date, remember: boolean): string {
  return new Date(now.getTime() + (remember ? REMEMBER_MS : IDLE_MS)).toISOString();
}
