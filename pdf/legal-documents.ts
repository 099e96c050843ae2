/**
 * Documents of legal cases that are not notices: a written statement filed
 * as text (a cure confirmation, an objection, proof of force majeure) becomes
 * a PDF like every other document; and the text of a contract clause, quoted
 * in a breach notice.
 */
import type { ContractTerms } from '../domain/terms';
import { contractArticles } from './contract-text';
import { formatShanghai, formatShanghaiDateCn, type Instant } from './format';
import { documentTitle, keyValueTable, paragraph, renderPdf, signOff } from './layout';

export interface WrittenStatementPdfInput {
  documentId: string;
  /** e.g. 纠正违约书面确认 */
  title: string;
  contractNumber: string;
  caseId: string;
  /** who filed it, e.g. '甲方（内蒙古自治区地震局）' or a user's name */
  submittedBy: string;
  submittedAt: Instant;
  text: string;
  issuedAt: Instant;
}

export async function renderWrittenStatementPdf(input: WrittenStatementPdfInput): Promise<Buffer> {
  return renderPdf(
    (doc) => {
      documentTitle(doc, input.title, { subtitles: [`合同编号：${input.contractNumber}`, `案件编号：${input.caseId}`] });
      keyValueTable(doc, [
        ['提交人', input.submittedBy],
        ['提交时间', `${formatShanghai(input.submittedAt)}（北京时间）`],
      ]);
      for (const block of input.text.split(/\n{1,}/).map((s) => s.trim()).filter(Boolean)) {
        paragraph(doc, block, { firstLineIndent: 21 });
      }
      signOff(doc, input.submittedBy, formatShanghaiDateCn(input.issuedAt));
    },
    {
      documentId: input.documentId,
      title: `${input.title}（合同编号：${input.contractNumber}）`,
      subject: input.title,
      header: `${input.title}　合同编号：${input.contractNumber}　案件编号：${input.caseId}`,
      issuedAt: input.issuedAt,
    },
  );
}

const CN_NUMBERS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

function parseChineseNumber(s: string): number | null {
  if (s === '十') return 10;
  if (s.startsWith('十')) return 10 + (CN_NUMBERS[s.slice(1)] ?? NaN);
  if (s.endsWith('十')) return (CN_NUMBERS[s.slice(0, -1)] ?? NaN) * 10;
  if (s.length === 3 && s[1] === '十') return (CN_NUMBERS[s[0]!] ?? NaN) * 10 + (CN_NUMBERS[s[2]!] ?? NaN);
  return CN_NUMBERS[s] ?? null;
}

/**
 * The text of a clause such as '第三条第4款' or '第四条第10款第(5)项' in this
 * contract, or null when the reference does not name one.
 */
export function quoteClause(terms: ContractTerms, clause: string): string | null {
  const match = /第([一二三四五六七八九十]+)条(?:第(\d+)款)?(?:第?[(（](\d+)[)）]项)?/.exec(clause);
  if (!match) return null;
  const articleIndex = parseChineseNumber(match[1]!);
  if (!articleIndex || Number.isNaN(articleIndex)) return null;
  const article = contractArticles(terms)[articleIndex - 1];
  if (!article) return null;
  const lines = article.items.map((item) => (typeof item === 'string' ? { text: item, indent: 0 } : item));
  if (!match[2]) return `${article.number} ${article.title}：${lines.map((l) => l.text).join('')}`;
  const start = lines.findIndex((l) => l.indent === 0 && l.text.startsWith(`${match[2]}、`));
  if (start < 0) return null;
  let end = start + 1;
  while (end < lines.length && lines[end]!.indent > 0) end += 1;
  const itemLines = lines.slice(start, end);
  if (!match[3]) return itemLines.map((l) => l.text).join('');
  const sub = itemLines.find((l) => l.text.startsWith(`(${match[3]})`));
  return sub ? sub.text : null;
}
