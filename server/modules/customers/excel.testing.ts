import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import ExcelJS from 'exceljs';
import type { DataTransfer, ImportStart } from '@common/schemas/excel';
import type { FileInfo } from '@common/schemas/files';
import type { Client } from '@server/test/app';

/** Test helpers of the Excel import / export tests: upload, workbooks in and out, a full import. */

export type Cells = (string | number | boolean | Date | null)[];

/** An .xlsx of one sheet: the header row then the rows. */
export async function workbook(headers: string[], rows: Cells[], sheetName = 'Sheet1'): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheetName);
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Every sheet of a workbook as rows of plain values (row 1 first). */
export async function readBack(data: Buffer): Promise<{ name: string; state: string; rows: unknown[][] }[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  return wb.worksheets.map((ws) => {
    const rows: unknown[][] = [];
    ws.eachRow({ includeEmpty: false }, (row) => rows.push((row.values as unknown[]).slice(1)));
    return { name: ws.name, state: ws.state, rows };
  });
}

/** POST /files (multipart) as the client; the file's info. */
export async function upload(
  client: Client,
  name: string,
  data: Buffer,
  mime = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
) {
  const boundary = `----xt${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${mime}\r\n\r\n`,
  );
  const payload = Buffer.concat([head, data, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  const res = await client.app.inject({
    method: 'POST',
    url: '/api/v1/files',
    payload,
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'x-requested-with': 'XMLHttpRequest',
      cookie: client.cookie ?? '',
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as FileInfo;
}

/** GET /files/:id as the client: the bytes. */
export async function download(client: Client, id: string): Promise<Buffer> {
  const res = await client.app.inject({ method: 'GET', url: `/api/v1/files/${id}`, headers: { cookie: client.cookie ?? '' } });
  expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
  return res.rawPayload;
}

/** Upload → POST /imports; the start (headers, samples, suggested mapping). */
export async function startImport(client: Client, entity: string, data: Buffer, name = 'import.xlsx'): Promise<ImportStart> {
  const file = await upload(client, name, data);
  const res = await client.post('/api/v1/imports', { entity, fileId: file.id });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as ImportStart;
}

/** Preview then run, both waited for; the finished run. */
export async function importAll(
  client: Client,
  start: ImportStart,
  mapping = start.suggestedMapping,
): Promise<{ preview: DataTransfer; done: DataTransfer; previewMs: number }> {
  const began = Date.now();
  const p = await client.post(`/api/v1/imports/${start.id}/preview`, { mapping, wait: true });
  expect(p.statusCode, p.body).toBe(200);
  const preview = p.json() as DataTransfer;
  expect(preview.status, JSON.stringify(preview)).toBe('ready');
  const previewMs = Date.now() - began;
  const r = await client.post(`/api/v1/imports/${start.id}/run`, { wait: true });
  expect(r.statusCode, r.body).toBe(200);
  const done = r.json() as DataTransfer;
  expect(done.status, JSON.stringify(done)).toBe('done');
  return { preview, done, previewMs };
}
