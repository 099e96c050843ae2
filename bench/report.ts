/**
 * One row per figure, beside its baseline from the same run; printed as one
 * table and written to bench/results.json.
 */

export type Figure = { value: number; unit: string };

export type Row = {
  /** e.g. "1", "2b", "7a" */
  id: string;
  measure: string;
  value: number | null;
  unit: string;
  baseline: { measure: string; value: number; unit: string } | null;
  /** value / baseline value */
  ratio: number | null;
  /** the target, in words */
  target: string | null;
  met: boolean | null;
  note?: string;
};

export function row(input: Omit<Row, 'ratio' | 'met'> & { ratio?: number | null; check?: (r: { value: number; ratio: number | null }) => boolean }): Row {
  const { check, ...rest } = input;
  const ratio = input.ratio !== undefined ? input.ratio : input.value !== null && input.baseline && input.baseline.value !== 0 ? input.value / input.baseline.value : null;
  const met = check && input.value !== null && Number.isFinite(input.value) ? check({ value: input.value, ratio }) : null;
  return { ...rest, ratio, met };
}

/** Renders a number with a sensible number of digits. */
export function fmt(value: number | null, unit = ''): string {
  if (value === null || !Number.isFinite(value)) return 'n/a';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  const text = value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  return unit ? `${text} ${unit}` : text;
}

function ratioText(r: Row): string {
  if (r.ratio === null || !Number.isFinite(r.ratio)) return '';
  return `${r.ratio >= 100 ? r.ratio.toFixed(0) : r.ratio >= 10 ? r.ratio.toFixed(1) : r.ratio.toFixed(2)}×`;
}

/** The table as GitHub-flavoured markdown (docs/performance.md takes it verbatim). */
export function renderTable(rows: Row[]): string {
  const header = ['#', 'measure', 'value', 'baseline (same run)', 'baseline value', 'ratio', 'target', 'met'];
  const lines = rows.map((r) => [
    r.id,
    r.measure,
    fmt(r.value, r.unit),
    r.baseline?.measure ?? '',
    r.baseline ? fmt(r.baseline.value, r.baseline.unit) : '',
    ratioText(r),
    r.target ?? '',
    r.met === null ? (r.target ? 'pending' : '') : r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmtLine = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [fmtLine(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(fmtLine)].join('\n');
}
