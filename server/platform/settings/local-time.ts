/**
 * An instant as the company's people read it: 'YYYY-MM-DD HH:mm' (or the date alone) in `timeZone`
 * (the company's, from settings), for texts such as reminders and notices.
 */
export function localTime(iso: string, timeZone: string, dateOnly = false): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  return dateOnly ? date : `${date} ${parts.hour}:${parts.minute}`;
}
