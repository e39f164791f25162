import dayjs from 'dayjs';

/** `2026-11-26 14:05` in the browser's time zone; '-' for empty values. */
export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '-';
}

/** `2026-11-26`; '-' for empty values. */
export function formatDate(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD') : '-';
}
