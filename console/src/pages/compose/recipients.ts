/** Recipients as pasted or read from a CSV file, each with its member flag (for marketing). */
export type RecipientLine = { raw: string; member: boolean };

const MEMBER_WORDS = /^(1|y|yes|true|member|会员|是)$/i;

/** Pasted numbers: one per line, or separated by commas/semicolons (spaces stay: "+86 138 0000 0001"). */
export function parsePasted(text: string): RecipientLine[] {
  return text
    .split(/[\n\r,;，；、]+/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((raw) => ({ raw, member: true }));
}

/** CSV: first column the number, optional second column a member flag; a header row is skipped. */
export function parseCsv(text: string): RecipientLine[] {
  const rows = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  const lines: RecipientLine[] = [];
  for (const row of rows) {
    const cells = row.split(/[,;\t]/).map((c) => c.trim().replace(/^"|"$/g, ''));
    const first = cells[0] ?? '';
    if (!/\d/.test(first)) continue; // header
    lines.push({ raw: first, member: cells[1] === undefined || cells[1] === '' ? true : MEMBER_WORDS.test(cells[1]) });
  }
  return lines;
}
