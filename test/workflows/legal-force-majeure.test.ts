/**
 * Force majeure (Art.9), time-skipped: written proof is due within 15 days of
 * the event (Civil Code count, 'act' rule); late or missing proof is flagged.
 */
import { describe, expect, it } from 'vitest';
import { recordHistoryIfAsked } from '../support/histories';
import { computeDeadline } from '../../domain/periods';
import type { Harness } from '../support/harness';
import { activeContract, caseStatus, dayNoon, notificationsOf, ownServer, SAMPLE_PDF_BASE64, serverNow, sleepUntil, triggerWithUnextendedPeriod, waitFor } from './legal-helpers';

const EVENT = { event: '地震导致机房停电', description: '6.0级地震致甲方机房断电，无法按时提交发送资料及配合对账。' };

async function declare(h: Harness, contractId: string, occurredAt: string) {
  const res = await h.api('customer').post(`/api/contracts/${contractId}/force-majeure`, { declaredBy: 'A', occurredAt, ...EVENT });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Record<string, any>;
}

const proof = (h: Harness, id: string, body: unknown) => h.api('customer').post(`/api/force-majeure/${encodeURIComponent(id)}/proof`, body);

describe('force majeure proof on day 14 (time-skipped)', () => {
  const server = ownServer();
  it('declares the event with a notice to the other party; proof filed on day 14 is on time', async () => {
    const h = server.get();
    const c = await activeContract(h, { signedDaysAgo: 20 });
    const occurredAt = triggerWithUnextendedPeriod(await serverNow(h), 15);
    const declared = await declare(h, c.id, occurredAt);
    const due = computeDeadline({ from: occurredAt, period: { unit: 'days', amount: 15 }, rule: 'act' });
    expect(declared).toMatchObject({ kind: 'force_majeure', status: 'declared', servedBy: 'A', clause: '第九条' });
    expect(declared.deadline).toMatchObject({ kind: 'force_majeure_proof', dueAt: due.dueAt });
    expect(Date.parse(due.dueAt)).toBe(dayNoon(occurredAt, 15) + 12 * 3_600_000);
    await waitFor(async () => (await notificationsOf(h, { contractId: c.id, reason: 'force_majeure_declared' })).some((n) => n.audience === 'party_b_contact'), 'Party B told');
    const notice = await waitFor(async () => {
      const detail = (await h.api('legal').get(`/api/cases/${declared.id}`).expect(200)).body;
      return detail.documents.find((d: { role: string }) => d.role === 'force_majeure_notice');
    }, 'the force majeure notice PDF');
    expect(notice.title).toBe('不可抗力通知');

    await sleepUntil(h, dayNoon(occurredAt, 14));
    const filed = await proof(h, declared.id, { document: { pdfBase64: SAMPLE_PDF_BASE64, title: '地震局灾情证明' }, note: '附政府部门证明' });
    expect(filed.status, JSON.stringify(filed.body)).toBe(200);
    expect(filed.body).toMatchObject({ status: 'proof_filed', open: false, flags: [], deadline: null });
    expect(filed.body.details.proof.onTime).toBe(true);
    expect(filed.body.documents.map((d: { role: string }) => d.role).sort()).toEqual(['force_majeure_notice', 'force_majeure_proof']);
    expect(filed.body.timeline.map((e: { type: string }) => e.type)).toEqual(['declared', 'proof_filed']);
    expect((await proof(h, declared.id, { document: { text: '再次提交' } })).status).toBe(409);
    const { rows } = await h.database.db.query(`SELECT status FROM deadlines WHERE workflow_id = $1`, [declared.workflowId]);
    expect(rows).toEqual([{ status: 'met' }]);
  });
});

describe('force majeure proof on day 16 (time-skipped)', () => {
  const server = ownServer();
  it('flags the proof as missing when day 15 ends, and as late when it comes on day 16', async () => {
    const h = server.get();
    const c = await activeContract(h, { signedDaysAgo: 20 });
    const occurredAt = triggerWithUnextendedPeriod(await serverNow(h), 15);
    const declared = await declare(h, c.id, occurredAt);
    // Party A declares; a customer operator may not declare for Party B
    expect((await h.api('customer').post(`/api/contracts/${c.id}/force-majeure`, { declaredBy: 'B', occurredAt, ...EVENT })).status).toBe(403);

    await sleepUntil(h, dayNoon(occurredAt, 15));
    expect(await caseStatus(h, declared.id)).toBe('declared');
    await sleepUntil(h, dayNoon(occurredAt, 16));
    await waitFor(async () => (await caseStatus(h, declared.id)) === 'proof_overdue', 'the missing proof flagged');
    const overdue = (await h.api('legal').get(`/api/cases/${declared.id}`).expect(200)).body;
    expect(overdue.flags).toContain('proof_missing');
    expect(overdue.open).toBe(true);
    const missing = await waitFor(async () => {
      const n = await notificationsOf(h, { contractId: c.id, reason: 'force_majeure_proof_missing' });
      return n.length >= 3 && n;
    }, 'the missing proof alerts');
    expect(missing.map((n) => n.audience).sort()).toEqual(['legal', 'owner', 'party_a_contact']);

    const filed = await proof(h, declared.id, { document: { text: '地震局出具的灾情证明（扫描件另行提交）。' } });
    expect(filed.status, JSON.stringify(filed.body)).toBe(200);
    expect(filed.body).toMatchObject({ status: 'proof_filed_late', open: false });
    expect(filed.body.flags).toEqual(expect.arrayContaining(['proof_missing', 'proof_late']));
    expect(filed.body.details.proof.onTime).toBe(false);
    expect(filed.body.timeline.map((e: { type: string }) => e.type)).toEqual(['declared', 'proof_missing', 'proof_filed_late']);
    await recordHistoryIfAsked('force-majeure-late-v1', h.env.client.workflow.getHandle(declared.workflowId));
    const filedAt = Date.parse(filed.body.timeline.at(-1).at);
    expect(filedAt).toBeGreaterThanOrEqual(dayNoon(occurredAt, 16));
  });
});
