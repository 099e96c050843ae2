/**
 * Shared page layout for every document: the render wrapper (fonts, metadata,
 * headers and footers, deterministic bytes) and the building blocks documents
 * are made of (title, heading, paragraph, tables, signature blocks).
 *
 * Every string a user or a caller provides is drawn with `doc.text` and
 * nothing else: never as a link, annotation, destination, outline entry,
 * attachment or JavaScript.
 */
import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import { layoutCacheFor, loadFonts, type FontWeight } from './fonts';
import { toInstant, type Instant } from './format';

export type Doc = PDFKit.PDFDocument;

export interface PdfMeta {
  /** printed in every page footer and recorded in the PDF metadata */
  documentId: string;
  /** the PDF title (document type and number) */
  title: string;
  /** the document's date: becomes CreationDate and ModDate, so the bytes never depend on the clock */
  issuedAt: Instant;
  /** a short line printed at the top of every page but the first, e.g. the contract number */
  header?: string;
  subject?: string;
  author?: string;
}

export const BODY_SIZE = 10.5;
export const SMALL_SIZE = 9;
export const LINE_GAP = 3.5;
const MARGINS = { top: 62, bottom: 64, left: 64, right: 64 };
const RULE_COLOR = '#8c8c8c';
const LABEL_FILL = '#f1f3f5';
const MUTED = '#555555';
const TEXT = '#111111';
const CELL_PAD_X = 6;
const CELL_PAD_Y = 3.5;

/** SHA-256 of a buffer, lower-case hex. */
export function sha256Hex(buf: Uint8Array): string {
  return createHash('sha256').update(buf).digest('hex');
}

interface PdfkitInternals {
  _font?: { layoutCache?: Record<string, unknown> };
}

/**
 * Runs `build` on a fresh A4 document with the CJK fonts loaded and returns
 * the finished PDF. The same `build` and `meta` always give the same bytes:
 * the creation date comes from `meta.issuedAt`, and pdfkit's file ID is an
 * MD5 of the document info (which includes the document id), not random.
 */
export function renderPdf(build: (doc: Doc) => void, meta: PdfMeta): Promise<Buffer> {
  const fonts = loadFonts();
  const issued = toInstant(meta.issuedAt);
  return new Promise<Buffer>((resolve, reject) => {
    try {
      const doc = new PDFDocument({
        size: 'A4',
        margins: MARGINS,
        bufferPages: true,
        compress: true,
        pdfVersion: '1.7',
        lang: 'zh-CN',
        displayTitle: true,
        // no default font: pdfkit would otherwise load and list Helvetica
        font: '',
        info: {
          Title: meta.title,
          Subject: meta.subject ?? meta.title,
          Author: meta.author ?? '',
          Keywords: `documentId=${meta.documentId}`,
          Creator: 'sms-contract-lifecycle',
          Producer: 'PDFKit',
          CreationDate: issued,
          ModDate: issued,
        },
      });
      const chunks: Uint8Array[] = [];
      doc.on('data', (chunk: Uint8Array) => chunks.push(chunk));
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);

      for (const weight of ['bold', 'regular'] as const) {
        // pdfkit takes a parsed fontkit font wherever it takes a font file
        doc.registerFont(weight, fonts[weight].font as unknown as Buffer);
        doc.font(weight);
        const internals = doc as unknown as PdfkitInternals;
        if (internals._font && internals._font.layoutCache) internals._font.layoutCache = layoutCacheFor(weight);
      }
      setFont(doc, 'regular', BODY_SIZE);
      doc.fillColor(TEXT);
      build(doc);
      drawPageFurniture(doc, meta);
      doc.end();
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

function drawPageFurniture(doc: Doc, meta: PdfMeta): void {
  const range = doc.bufferedPageRange();
  const total = range.count;
  for (let i = 0; i < total; i++) {
    doc.switchToPage(range.start + i);
    const page = doc.page;
    const savedBottom = page.margins.bottom;
    const savedTop = page.margins.top;
    // writing inside the margins must not trigger pdfkit's automatic page break
    page.margins.bottom = 0;
    page.margins.top = 0;
    const left = MARGINS.left;
    const width = page.width - MARGINS.left - MARGINS.right;
    const footerRuleY = page.height - MARGINS.bottom + 16;

    doc.save();
    doc.lineWidth(0.5).strokeColor(RULE_COLOR).moveTo(left, footerRuleY).lineTo(left + width, footerRuleY).stroke();
    doc.fillColor(MUTED);
    const pageLabel = `第 ${i + 1} 页 / 共 ${total} 页`;
    setFont(doc, 'regular', 8);
    const pageLabelWidth = doc.widthOfString(pageLabel);
    doc.text(pageLabel, left + width - pageLabelWidth, footerRuleY + 5, { lineBreak: false });
    fitOneLine(doc, `文档编号：${meta.documentId}`, left, footerRuleY + 5, width - pageLabelWidth - 16, 8);

    if (i > 0 && meta.header) {
      const headerY = MARGINS.top - 28;
      fitOneLine(doc, meta.header, left, headerY, width, 8);
      doc.lineWidth(0.5).strokeColor(RULE_COLOR).moveTo(left, headerY + 13).lineTo(left + width, headerY + 13).stroke();
    }
    doc.restore();
    page.margins.bottom = savedBottom;
    page.margins.top = savedTop;
  }
}

/** One line of text, shrunk (down to 5 pt) until it fits the width. */
function fitOneLine(doc: Doc, text: string, x: number, y: number, width: number, size: number): void {
  let fontSize = size;
  setFont(doc, 'regular', fontSize);
  while (fontSize > 5 && doc.widthOfString(text) > width) {
    fontSize -= 0.5;
    doc.fontSize(fontSize);
  }
  doc.text(text, x, y, { lineBreak: false });
}

export function setFont(doc: Doc, weight: FontWeight, size: number): Doc {
  return doc.font(weight).fontSize(size);
}

export const contentLeft = (doc: Doc): number => doc.page.margins.left;
export const contentWidth = (doc: Doc): number => doc.page.width - doc.page.margins.left - doc.page.margins.right;
const pageBottom = (doc: Doc): number => doc.page.height - doc.page.margins.bottom;
const pageContentHeight = (doc: Doc): number => doc.page.height - doc.page.margins.top - doc.page.margins.bottom;

/** Starts a new page unless `height` points still fit on this one. */
export function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > pageBottom(doc)) doc.addPage();
}

export function spacer(doc: Doc, height: number): void {
  if (doc.y + height > pageBottom(doc)) {
    doc.addPage();
    return;
  }
  doc.y += height;
}

export interface TitleOptions {
  /** a line above the title, e.g. the two parties */
  kicker?: string;
  /** lines below the title, e.g. the contract number */
  subtitles?: string[];
}

/** The document title, centred. */
export function documentTitle(doc: Doc, title: string, options: TitleOptions = {}): void {
  const left = contentLeft(doc);
  const width = contentWidth(doc);
  if (options.kicker) {
    setFont(doc, 'regular', 12).fillColor(TEXT);
    doc.text(options.kicker, left, doc.y, { width, align: 'center', lineGap: 3 });
    doc.y += 6;
  }
  setFont(doc, 'bold', 18).fillColor(TEXT);
  doc.text(title, left, doc.y, { width, align: 'center', lineGap: 4 });
  doc.y += 6;
  for (const line of options.subtitles ?? []) {
    setFont(doc, 'regular', SMALL_SIZE).fillColor(MUTED);
    doc.text(line, left, doc.y, { width, align: 'center', lineGap: 2 });
  }
  doc.fillColor(TEXT);
  doc.y += 8;
  setFont(doc, 'regular', BODY_SIZE);
}

/** A section heading (第一条 定义…), kept on the same page as the next two lines. */
export function heading(doc: Doc, text: string, options: { size?: number; align?: 'left' | 'center' } = {}): void {
  const size = options.size ?? 11.5;
  const left = contentLeft(doc);
  const width = contentWidth(doc);
  setFont(doc, 'bold', size);
  const height = doc.heightOfString(text, { width, lineGap: LINE_GAP });
  ensureSpace(doc, 8 + height + 2 * (BODY_SIZE * 1.45 + LINE_GAP));
  if (doc.y > doc.page.margins.top + 1) doc.y += 8;
  doc.fillColor(TEXT).text(text, left, doc.y, { width, lineGap: LINE_GAP, align: options.align ?? 'left' });
  doc.y += 3;
  setFont(doc, 'regular', BODY_SIZE);
}

export interface ParagraphOptions {
  /** extra left indent for every line (points) */
  indent?: number;
  /** first-line indent (points) */
  firstLineIndent?: number;
  size?: number;
  weight?: FontWeight;
  color?: string;
  align?: 'left' | 'center' | 'right';
  /** space after (points) */
  gap?: number;
}

/** Running text: wraps, flows across pages. */
export function paragraph(doc: Doc, text: string, options: ParagraphOptions = {}): void {
  const indent = options.indent ?? 0;
  const left = contentLeft(doc) + indent;
  const width = contentWidth(doc) - indent;
  setFont(doc, options.weight ?? 'regular', options.size ?? BODY_SIZE).fillColor(options.color ?? TEXT);
  ensureSpace(doc, (options.size ?? BODY_SIZE) * 1.45 + LINE_GAP);
  doc.text(text, left, doc.y, {
    width,
    lineGap: LINE_GAP,
    indent: options.firstLineIndent ?? 0,
    align: options.align ?? 'left',
  });
  doc.y += options.gap ?? 4;
  doc.fillColor(TEXT);
  setFont(doc, 'regular', BODY_SIZE);
}

/** A muted note in a smaller size. */
export function note(doc: Doc, text: string): void {
  paragraph(doc, text, { size: SMALL_SIZE, color: MUTED, gap: 3 });
}

/** 'label：value' with the label in bold. */
export function labeledLine(doc: Doc, label: string, value: string, options: { indent?: number; gap?: number } = {}): void {
  const indent = options.indent ?? 0;
  const left = contentLeft(doc) + indent;
  const width = contentWidth(doc) - indent;
  ensureSpace(doc, BODY_SIZE * 1.45 + LINE_GAP);
  setFont(doc, 'bold', BODY_SIZE).fillColor(TEXT);
  doc.text(`${label}：`, left, doc.y, { width, lineGap: LINE_GAP, continued: true });
  setFont(doc, 'regular', BODY_SIZE);
  doc.text(value, { width, lineGap: LINE_GAP });
  doc.y += options.gap ?? 2;
}

export interface Column {
  header: string;
  /** a share of the table width; shares are normalised */
  share: number;
  weight?: FontWeight;
  fill?: string;
}

function cellHeight(doc: Doc, text: string, width: number, weight: FontWeight, size: number): number {
  setFont(doc, weight, size);
  return doc.heightOfString(text === '' ? ' ' : text, { width: width - 2 * CELL_PAD_X, lineGap: 2 }) + 2 * CELL_PAD_Y;
}

function drawRow(
  doc: Doc,
  cells: string[],
  widths: number[],
  styles: Array<{ weight: FontWeight; fill?: string }>,
  size: number,
): void {
  const left = contentLeft(doc);
  const heights = cells.map((cell, i) => cellHeight(doc, cell, widths[i]!, styles[i]!.weight, size));
  const height = Math.max(...heights);
  const top = doc.y;
  let x = left;
  doc.save().lineWidth(0.5).strokeColor(RULE_COLOR);
  cells.forEach((_, i) => {
    const fill = styles[i]!.fill;
    if (fill) doc.rect(x, top, widths[i]!, height).fillAndStroke(fill, RULE_COLOR);
    else doc.rect(x, top, widths[i]!, height).stroke();
    x += widths[i]!;
  });
  doc.restore();
  x = left;
  cells.forEach((cell, i) => {
    setFont(doc, styles[i]!.weight, size).fillColor(TEXT);
    doc.text(cell, x + CELL_PAD_X, top + CELL_PAD_Y, { width: widths[i]! - 2 * CELL_PAD_X, lineGap: 2 });
    x += widths[i]!;
  });
  doc.x = left;
  doc.y = top + height;
  setFont(doc, 'regular', BODY_SIZE);
}

export interface TableOptions {
  size?: number;
  /** draw the header row (repeated on every page the table runs onto) */
  header?: boolean;
}

/**
 * A bordered table. A row that would not fit even on an empty page (a very
 * long value) is written out as labelled paragraphs instead, so nothing is
 * ever clipped.
 */
export function table(doc: Doc, columns: Column[], rows: string[][], options: TableOptions = {}): void {
  const size = options.size ?? BODY_SIZE - 0.5;
  const width = contentWidth(doc);
  const totalShare = columns.reduce((sum, column) => sum + column.share, 0);
  const widths = columns.map((column) => (width * column.share) / totalShare);
  const bodyStyles = columns.map((column) => ({ weight: column.weight ?? ('regular' as FontWeight), fill: column.fill }));
  const headerStyles = columns.map(() => ({ weight: 'bold' as FontWeight, fill: LABEL_FILL }));
  const headers = columns.map((column) => column.header);
  const showHeader = options.header !== false;
  const headerHeight = showHeader ? Math.max(...headers.map((h, i) => cellHeight(doc, h, widths[i]!, 'bold', size))) : 0;

  let needHeader = showHeader;
  for (const row of rows) {
    const rowHeight = Math.max(...row.map((cell, i) => cellHeight(doc, cell, widths[i]!, bodyStyles[i]!.weight, size)));
    if (rowHeight + headerHeight > pageContentHeight(doc)) {
      // too tall for any page: fall back to flowing text
      spacer(doc, 4);
      row.forEach((cell, i) => {
        if (headers[i]) paragraph(doc, headers[i]!, { weight: 'bold', gap: 1 });
        paragraph(doc, cell, { indent: 12 });
      });
      spacer(doc, 4);
      needHeader = showHeader;
      continue;
    }
    if (doc.y + rowHeight + (needHeader ? headerHeight : 0) > pageBottom(doc)) {
      doc.addPage();
      needHeader = showHeader;
    }
    if (needHeader) {
      drawRow(doc, headers, widths, headerStyles, size);
      needHeader = false;
    }
    drawRow(doc, row, widths, bodyStyles, size);
  }
  doc.y += 8;
}

/** A two-column label/value table; the label column is shaded. */
export function keyValueTable(doc: Doc, rows: Array<[label: string, value: string]>, options: { labelShare?: number; size?: number } = {}): void {
  const labelShare = options.labelShare ?? 0.3;
  table(
    doc,
    [
      { header: '', share: labelShare, weight: 'bold', fill: LABEL_FILL },
      { header: '', share: 1 - labelShare },
    ],
    rows.map(([label, value]) => [label, value]),
    { header: false, size: options.size },
  );
}

export interface SignatureBlock {
  /** e.g. '甲方（盖章）' */
  heading: string;
  /** the organisation */
  name: string;
  /** lines with a blank to sign on: '法定代表人或授权代表（签字）' */
  blanks?: string[];
  /** filled-in lines: ['签署人', '张三'] */
  filled?: Array<[label: string, value: string]>;
}

/** Signature blocks side by side (two per row), kept together on one page, their lines aligned. */
export function signatureBlocks(doc: Doc, blocks: SignatureBlock[]): void {
  const left = contentLeft(doc);
  const width = contentWidth(doc);
  const gap = 28;
  const columnWidth = (width - gap) / 2;
  const blankLineHeight = 27;
  const size = BODY_SIZE;

  const headHeight = (block: SignatureBlock): number => {
    setFont(doc, 'bold', size);
    return doc.heightOfString(`${block.heading}：${block.name}`, { width: columnWidth, lineGap: LINE_GAP });
  };
  const filledHeights = (block: SignatureBlock): number[] => {
    setFont(doc, 'regular', size);
    return (block.filled ?? []).map(([label, value]) => doc.heightOfString(`${label}：${value}`, { width: columnWidth, lineGap: LINE_GAP }) + 4);
  };

  for (let start = 0; start < blocks.length; start += 2) {
    const pair = blocks.slice(start, start + 2);
    const head = Math.max(...pair.map(headHeight)) + 8;
    const rowCount = Math.max(...pair.map((block) => Math.max((block.filled ?? []).length, (block.blanks ?? []).length)));
    // row i of both blocks starts at the same height
    const rowHeights: number[] = [];
    for (let i = 0; i < rowCount; i++) {
      rowHeights.push(
        Math.max(
          ...pair.map((block) => {
            const filled = filledHeights(block)[i] ?? 0;
            const blank = (block.blanks ?? [])[i] !== undefined ? blankLineHeight : 0;
            return filled + blank;
          }),
        ),
      );
    }
    const height = head + rowHeights.reduce((sum, h) => sum + h, 0);
    spacer(doc, 14);
    ensureSpace(doc, height);
    const top = doc.y;
    pair.forEach((block, column) => {
      const x = left + column * (columnWidth + gap);
      setFont(doc, 'bold', size).fillColor(TEXT);
      doc.text(`${block.heading}：`, x, top, { width: columnWidth, lineGap: LINE_GAP, continued: true });
      setFont(doc, 'regular', size);
      doc.text(block.name, { width: columnWidth, lineGap: LINE_GAP });
      let y = top + head;
      for (let i = 0; i < rowCount; i++) {
        const filled = (block.filled ?? [])[i];
        const blank = (block.blanks ?? [])[i];
        let rowY = y;
        if (filled) {
          doc.text(`${filled[0]}：${filled[1]}`, x, rowY, { width: columnWidth, lineGap: LINE_GAP });
          rowY = doc.y + 4;
        }
        if (blank !== undefined) {
          const label = `${blank}：`;
          const textY = rowY + blankLineHeight - size * 1.6;
          doc.text(label, x, textY, { width: columnWidth, lineBreak: false });
          const lineStart = x + Math.min(doc.widthOfString(label) + 4, columnWidth - 40);
          const lineY = textY + size * 1.35;
          doc.save().lineWidth(0.6).strokeColor('#444444').moveTo(lineStart, lineY).lineTo(x + columnWidth, lineY).stroke().restore();
        }
        y += rowHeights[i]!;
      }
    });
    doc.x = left;
    doc.y = top + height;
  }
  doc.y += 6;
}

/** '■ 增值税专票　□ 增值税普票': a choice with the chosen option marked (the font has no ☑). */
export function choiceLine(options: Array<{ label: string; chosen: boolean }>): string {
  return options.map((option) => `${option.chosen ? '■' : '□'} ${option.label}`).join('　　');
}

/** '致：内蒙古自治区地震局：' at the top of a letter. */
export function addressee(doc: Doc, to: string): void {
  paragraph(doc, `致：${to}`, { weight: 'bold', gap: 8 });
}

/** The issuer's name (with 盖章) and the date, right-aligned, at the end of a letter. */
export function signOff(doc: Doc, issuer: string, dateLine: string, extraLines: string[] = []): void {
  spacer(doc, 14);
  ensureSpace(doc, (2 + extraLines.length) * (BODY_SIZE * 1.45 + LINE_GAP + 4));
  paragraph(doc, `${issuer}（盖章）`, { align: 'right', gap: 4 });
  for (const line of extraLines) paragraph(doc, line, { align: 'right', gap: 4 });
  paragraph(doc, dateLine, { align: 'right', gap: 4 });
}

/** A quotation (a clause of the contract), indented, with a rule on its left when it fits on the page. */
export function quotation(doc: Doc, text: string): void {
  const indent = 18;
  const left = contentLeft(doc) + indent;
  const width = contentWidth(doc) - indent - 6;
  setFont(doc, 'regular', BODY_SIZE).fillColor('#333333');
  const height = doc.heightOfString(text, { width, lineGap: LINE_GAP });
  ensureSpace(doc, Math.min(height, 3 * (BODY_SIZE * 1.45 + LINE_GAP)));
  const top = doc.y;
  const fits = top + height <= pageBottom(doc);
  doc.text(text, left, top, { width, lineGap: LINE_GAP });
  if (fits) doc.save().lineWidth(2).strokeColor('#c0c4c8').moveTo(left - 10, top).lineTo(left - 10, top + height - LINE_GAP).stroke().restore();
  doc.x = contentLeft(doc);
  doc.y += 6;
  doc.fillColor(TEXT);
}
