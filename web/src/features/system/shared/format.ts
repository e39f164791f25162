import dayjs from 'dayjs';

/** A server timestamp (ISO-8601 UTC) in the browser's local time; '—' when absent. */
export function formatTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD HH:mm:ss') : '—';
}

/** A catalog label when the key exists, else the raw value (entities and fields registered later). */
export function labelOr(t: (key: string) => string, key: string, raw: string): string {
  const label = t(key);
  return label === key ? raw : label;
}
