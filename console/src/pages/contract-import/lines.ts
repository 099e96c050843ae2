/** The import's table, one line per CSV row: the server's answer for it, or the file's own problems when the row was not sent. */
import type { ImportAnswerView, ImportResultView } from '../../../../api/routes/contract-imports.types';
import type { ContractImportRow, ImportCsvError } from '../../../../domain/contract-import-csv';

export type State = 'ok' | 'imported' | 'existing' | 'failed' | 'notSent';
export type Line = { key: string; line: number | null; externalRef: string | null; state: State; result?: ImportResultView; fileErrors?: ImportCsvError[] };

/** A dry run happens only when the header was read: every file error then belongs to a data row. */
export function linesOf(answer: ImportAnswerView, sent: ContractImportRow[], fileErrors: ImportCsvError[]): Line[] {
  const lineOfRef = new Map(sent.map((row) => [row.externalRef, row.line ?? null]));
  const lines: Line[] = answer.results.map((result, i) => ({
    key: `r:${i}:${result.externalRef}`,
    line: result.line ?? (result.externalRef === null ? undefined : lineOfRef.get(result.externalRef)) ?? null,
    externalRef: result.externalRef,
    state: !result.ok ? 'failed' : result.existing ? 'existing' : answer.dryRun ? 'ok' : 'imported',
    result,
  }));
  const byLine = new Map<number, ImportCsvError[]>();
  for (const error of fileErrors) byLine.set(error.line, [...(byLine.get(error.line) ?? []), error]);
  for (const [line, errors] of byLine) lines.push({ key: `f:${line}`, line, externalRef: errors.find((e) => e.externalRef)?.externalRef ?? '', state: 'notSent', fileErrors: errors });
  return lines.sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
}

export const STATE_BADGE: Record<State, string> = { ok: 'active', imported: 'active', existing: 'open', failed: 'failed', notSent: 'failed' };
