/**
 * A written statement filed as text (a cure confirmation, an objection, proof
 * of force majeure: up to 20,000 characters) is rendered to PDF by the API's
 * render pool (pdf/renderer.ts, as api/main.ts passes it in AppDeps.pdf), not
 * on the event loop every request shares; and the PDF it stores is the one
 * this process would have rendered, with the whole text in it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REFERENCE_TERMS } from '../../domain/terms';
import { findContract } from '../../db/contracts';
import { upsertUser } from '../../db/users';
import { sha256Hex } from '../../pdf';
import { createRenderPool, IN_PROCESS_RENDERER, type RenderPool } from '../../pdf/renderer';
import { fileWrittenDocument, writtenDocumentContent } from '../../services/cases';
import { pdfText } from '../support/pdf-text';
import { createTestDatabase, type TestDatabase } from '../support/postgres';

/** 20,000 characters of statement in paragraphs, each numbered so that the last one can be found in the PDF. */
function statementOf(length: number): string {
  const paragraphs: string[] = [];
  let total = 0;
  for (let n = 1; total < length; n++) {
    const p = `第${n}段：我单位已按合同第三条第4款付清全部款项，并对短信服务中断期间的发送记录进行了核对，特此书面确认，请乙方查收。`;
    paragraphs.push(p);
    total += p.length + 1;
  }
  return paragraphs.join('\n').slice(0, length);
}

describe('statements filed as text render in the render pool', () => {
  let database: TestDatabase;
  let pool: RenderPool;
  beforeAll(async () => {
    database = await createTestDatabase(inject('adminUrl'), inject('templateDb'));
    pool = createRenderPool({ processes: 1, nice: 10, timeoutMs: 60_000 });
  });
  afterAll(async () => {
    await pool.close();
    await database?.drop();
  });

  it('renders a 20,000-character statement through the pool into a valid PDF holding the whole text, the same bytes as this process would render', async () => {
    const text = statementOf(20_000);
    expect(text.length).toBe(20_000);
    const meta = { documentId: 'c-1:cure_confirmation:BR-1', title: '纠正违约书面确认', contractNumber: 'NMG-ZHXX-2024-0001', caseId: 'BR-1', submittedBy: '甲方', at: '2024-06-01T02:00:00.000Z' };

    const before = pool.rendered();
    const pooled = await writtenDocumentContent({ text }, meta, pool);
    expect(pool.rendered()).toBe(before + 1);
    expect(pooled.subarray(0, 5).toString()).toBe('%PDF-');
    const local = await writtenDocumentContent({ text }, meta, IN_PROCESS_RENDERER);
    expect(sha256Hex(pooled)).toBe(sha256Hex(local));
    const extracted = pdfText(pooled, { compact: true });
    const lastNumber = /第(\d+)段/g;
    const numbers = [...text.matchAll(lastNumber)].map((m) => Number(m[1]));
    expect(extracted).toContain(`第${numbers.at(-1)}段`);
    expect(extracted).toContain('第1段：我单位已按合同第三条第4款付清全部款项');
    // an uploaded PDF is stored as is: nothing to render
    const upload = Buffer.from('%PDF-1.4\n%%EOF\n');
    expect(await writtenDocumentContent({ pdfBase64: upload.toString('base64') }, meta, pool)).toEqual(upload);
    expect(pool.rendered()).toBe(before + 1);
  });

  it('stores the statement filed with a case action as the pool rendered it, with its audit event', async () => {
    const { db } = database;
    await upsertUser(db, { id: 'statement-sales', name: '测试销售', role: 'sales', organisation: null });
    const id = randomUUID();
    await db.query(
      `INSERT INTO contracts (id, number, owner_id, status, terms, party_a_name, party_b_name, workflow_id) VALUES ($1, $2, 'statement-sales', 'active', $3::jsonb, $4, $5, $6)`,
      [id, 'SMS-STATEMENT-0001', JSON.stringify(REFERENCE_TERMS), REFERENCE_TERMS.partyA.name, REFERENCE_TERMS.partyB.name, `contract-${id}`],
    );
    const contract = (await findContract(db, id))!;
    const text = statementOf(20_000);
    const before = pool.rendered();
    const ref = await fileWrittenDocument(
      { db, pdf: pool },
      { contract, caseId: 'BR-statement', role: 'cure_confirmation', defaultTitle: '纠正违约书面确认', doc: { text }, party: 'A', actor: { id: 'statement-sales', role: 'sales' }, actorName: '测试销售' },
    );
    expect(pool.rendered()).toBe(before + 1);
    const { rows } = await db.query(`SELECT content, sha256 FROM documents WHERE id = $1`, [ref.documentId]);
    expect(rows).toHaveLength(1);
    const stored = rows[0]!.content as Buffer;
    expect(stored.subarray(0, 5).toString()).toBe('%PDF-');
    expect(sha256Hex(stored)).toBe(ref.sha256);
    expect(pdfText(stored, { compact: true })).toContain('第1段：我单位已按合同第三条第4款付清全部款项');
    const audit = await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE type = 'document.filed' AND contract_id = $1`, [id]);
    expect(audit.rows[0]!.n).toBe(1);
  });
});
