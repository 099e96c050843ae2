/**
 * The file and the API: reading the chosen CSV (UTF-8, or GBK as a Chinese
 * Excel saves it), the template to download, and the rows sent to
 * POST /api/contract-imports in batches the server takes.
 */
import type { ImportAnswerView } from '../../../../api/routes/contract-imports.types';
import { importCsvTemplate, type ContractImportRow } from '../../../../domain/contract-import-csv';
import { apiPost, newIdempotencyKey } from '../../api';
import { saveFile } from '../../download';

export const TEMPLATE_FILE_NAME = '合同导入模板.csv';

/** The server takes at most 1000 rows a request, under a body limit of its own (16 MB): larger files go in batches under both. */
const MAX_ROWS_PER_REQUEST = 1000;
const MAX_BYTES_PER_REQUEST = 8_000_000;

function batchesOf(rows: ContractImportRow[]): ContractImportRow[][] {
  const encoder = new TextEncoder();
  const batches: ContractImportRow[][] = [];
  let current: ContractImportRow[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = encoder.encode(JSON.stringify(row)).length + 1;
    if (current.length > 0 && (current.length >= MAX_ROWS_PER_REQUEST || bytes + size > MAX_BYTES_PER_REQUEST)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Every batch in turn; the answers as one (results in the rows' order). */
export async function postImport(rows: ContractImportRow[], dryRun: boolean, file: string): Promise<ImportAnswerView> {
  const merged: ImportAnswerView = { dryRun, summary: { total: 0, ok: 0, failed: 0, existing: 0, imported: 0 }, results: [] };
  for (const batch of batchesOf(rows)) {
    const answer = await apiPost<ImportAnswerView>('/api/contract-imports', { dryRun, file: file.slice(0, 200), contracts: batch }, dryRun ? {} : { idempotencyKey: newIdempotencyKey() });
    for (const key of ['total', 'ok', 'failed', 'existing', 'imported'] as const) merged.summary[key] += answer.summary[key] ?? 0;
    merged.results.push(...answer.results);
  }
  return merged;
}

/** A file saved by Excel as "CSV UTF-8" or, on a Chinese Windows, as plain "CSV" (GBK). */
export async function readFileText(file: File): Promise<{ text: string; gbk: boolean }> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), gbk: false };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), gbk: true };
  }
}

export function downloadTemplate(): void {
  saveFile(importCsvTemplate(), 'text/csv;charset=utf-8', TEMPLATE_FILE_NAME);
}
