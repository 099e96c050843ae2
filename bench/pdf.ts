/**
 * (4) Contract PDF rendering, warm (fonts already loaded and parsed, as in a
 * running worker): ms per document and bytes, against a minimal one-page
 * pdfkit document with the same parsed font (one paragraph of Chinese).
 */
import PDFDocument from 'pdfkit';
import { renderContractPdf, renderPdf } from '../pdf';
import { loadFonts } from '../pdf/fonts';
import { REFERENCE_TERMS } from '../domain/terms';
import { say } from './env';
import { row, type Row } from './report';
import { percentile, timeRuns } from './stats';

const PARAGRAPH =
  '乙方为甲方提供智慧信息（企信版）产品服务，甲方按本合同约定支付服务费用。本合同自双方签字盖章之日起生效，有效期三年；期满前双方均未提出书面异议的，自动顺延一年。';

/** The floor: pdfkit, one A4 page, one paragraph, the same parsed Source Han Sans (subset embedded), compressed. */
function minimalPdf(): Promise<Buffer> {
  const fonts = loadFonts();
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', compress: true, font: '', info: { CreationDate: new Date(0), ModDate: new Date(0) } });
    const chunks: Uint8Array[] = [];
    doc.on('data', (c: Uint8Array) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.registerFont('regular', fonts.regular.font as unknown as Buffer);
    doc.font('regular').fontSize(10.5).text(PARAGRAPH);
    doc.end();
  });
}

const pages = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;

export async function benchPdf(options: { runs: number }): Promise<{ rows: Row[]; raw: Record<string, unknown>; msPerDocument: number }> {
  say('(4) contract PDF rendering');
  const fontStarted = performance.now();
  loadFonts();
  const fontLoadMs = performance.now() - fontStarted;
  const input = (i: number) => ({
    documentId: `00000000-0000-4000-8000-${String(1_000 + i).padStart(12, '0')}:contract:1`,
    contractNumber: `SMS-2026-${String(100_000 + i).slice(-6)}`,
    terms: REFERENCE_TERMS,
    issuedAt: '2026-05-14T02:00:00Z',
  });
  const contract = await renderContractPdf(input(0));
  const minimal = await minimalPdf();
  const layoutOnePage = await renderPdf((doc) => doc.text(PARAGRAPH), { documentId: 'bench:minimal:1', title: 'bench', issuedAt: '2026-05-14T02:00:00Z' });

  // interleaved, so both see the same machine
  const contractMs: number[] = [];
  const minimalMs: number[] = [];
  const layoutMs: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    contractMs.push(...(await timeRuns(() => renderContractPdf(input(i + 1)), { runs: 1, warmup: i === 0 ? 3 : 0 })));
    minimalMs.push(...(await timeRuns(() => minimalPdf(), { runs: 1, warmup: i === 0 ? 3 : 0 })));
    layoutMs.push(...(await timeRuns(() => renderPdf((doc) => doc.text(PARAGRAPH), { documentId: `bench:minimal:${i}`, title: 'bench', issuedAt: '2026-05-14T02:00:00Z' }), { runs: 1, warmup: i === 0 ? 3 : 0 })));
  }
  const ms = percentile(contractMs, 0.5);
  const baseMs = percentile(minimalMs, 0.5);
  say(`    contract ${ms.toFixed(1)} ms (p90 ${percentile(contractMs, 0.9).toFixed(1)}), ${contract.length} bytes, ${pages(contract)} pages; minimal ${baseMs.toFixed(1)} ms, ${minimal.length} bytes`);
  return {
    msPerDocument: ms,
    rows: [
      row({
        id: '4a',
        measure: 'contract PDF render, warm, median ms/document',
        value: ms,
        unit: 'ms',
        baseline: { measure: 'minimal 1-page pdfkit document, same font', value: baseMs, unit: 'ms' },
        target: '< 150 ms',
        check: ({ value }) => value < 150,
        note: `${options.runs} runs interleaved with the baseline; p90 ${percentile(contractMs, 0.9).toFixed(0)} ms (baseline p90 ${percentile(minimalMs, 0.9).toFixed(0)} ms); our page layout around one paragraph: ${percentile(layoutMs, 0.5).toFixed(0)} ms; loading and parsing both font weights once per process: ${fontLoadMs.toFixed(0)} ms`,
      }),
      row({
        id: '4b',
        measure: `contract PDF size (${pages(contract)} pages)`,
        value: contract.length / 1024,
        unit: 'KiB',
        baseline: { measure: 'minimal 1-page pdfkit document, same font', value: minimal.length / 1024, unit: 'KiB' },
        target: '< 400 KB',
        check: ({ value }) => value * 1024 < 400_000,
        note: `${contract.length.toLocaleString('en-US')} bytes; our layout around one paragraph (both weights embedded): ${layoutOnePage.length.toLocaleString('en-US')} bytes`,
      }),
    ],
    raw: {
      contractMs: { p50: ms, p90: percentile(contractMs, 0.9), samples: contractMs.length },
      minimalMs: { p50: baseMs, p90: percentile(minimalMs, 0.9) },
      layoutOnePageMs: { p50: percentile(layoutMs, 0.5) },
      contractBytes: contract.length,
      contractPages: pages(contract),
      minimalBytes: minimal.length,
      layoutOnePageBytes: layoutOnePage.length,
      fontLoadMs,
    },
  };
}
