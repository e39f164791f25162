import { CronExpressionParser } from 'cron-parser';

/**
 * The first instant strictly after `after` that matches `cron` read as wall-clock time in
 * `timezone` (e.g. '0 2 * * *' in Asia/Shanghai is 18:00 UTC of the previous day).
 */
export function nextCronRun(cron: string, timezone: string, after: Date): Date {
  return CronExpressionParser.parse(cron, { currentDate: after, tz: timezone }).next().toDate();
}

/** True when cron-parser accepts the expression (5 fields, or 6 with seconds). */
export function isValidCron(cron: string): boolean {
  try {
    CronExpressionParser.parse(cron, { strict: false });
    return true;
  } catch {
    return false;
  }
}
