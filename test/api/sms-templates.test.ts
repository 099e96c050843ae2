/**
 * Signatures and templates (the appendix: applied for, reviewed before use),
 * over the real API, worker, SMSC simulator and Postgres: the lint at
 * application, the review (once, with a reason to reject), the review
 * deadline in working days across a holiday, sending from an approved
 * template with variables that cannot smuggle content, the terms' free-text
 * policy, and another organisation's contract staying invisible.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findContract } from '../../db/contracts';
import { applyForSignature, applyForTemplate } from '../../services/sms-templates';
import { activeContract, number, SIGNATURE, startSmsRig, type SmsRig } from '../sms/dispatch-rig';

let rig: SmsRig;
let contractId: string;

beforeAll(async () => {
  rig = await startSmsRig();
  // notifications at any hour (the 24-hour permit); the terms say nothing of free text: the defaults apply
  contractId = (await activeContract(rig.h, { sms: { permit24h: true } })).id;
});
afterAll(async () => {
  await rig?.close();
});

type Role = Parameters<SmsRig['h']['api']>[0];
const applyTemplate = (body: unknown, id = contractId, role: Role = 'customer') => rig.h.api(role).post(`/api/contracts/${id}/sms-templates`, body);
const review = (kind: 'templates' | 'signatures', id: string, body: unknown, role: Role = 'operations') => rig.h.api(role).post(`/api/sms-${kind}/${id}/review`, body);
const send = (body: unknown, id = contractId) => rig.h.api('customer').post(`/api/contracts/${id}/messages`, body);
const QUAKE = { name: '地震速报', category: 'notification', content: '地震速报：${place}发生${magnitude}级地震，请注意防范。' };
const rowsOf = async (sql: string, values: unknown[]) => (await rig.h.database.db.query(sql, values)).rows;
/** the smallest PDF a reader opens */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n').toString('base64');

describe('applying for a template', () => {
  it('refuses a template with a forbidden symbol or word with the lint codes and positions, and stores nothing', async () => {
    const content = '${name}您好，本店★股票内幕';
    const res = await applyTemplate({ name: '坏模板', category: 'notification', content });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('BUSINESS_RULE');
    const issues = res.body.error.template.issues as { code: string; start: number; end: number }[];
    expect(issues.find((i) => i.code === 'UNSUPPORTED_SYMBOL')).toMatchObject({ start: content.indexOf('★'), end: content.indexOf('★') + 1 });
    expect(issues.find((i) => i.code === 'FORBIDDEN_CATEGORY')).toMatchObject({ start: content.indexOf('股票'), end: content.indexOf('股票') + 2 });
    const bad = await applyTemplate({ name: '坏变量', category: 'notification', content: '你好${1x}' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.template.issues.map((i: { code: string }) => i.code)).toEqual(['VARIABLE_NAME_INVALID']);
    expect(await rowsOf('SELECT id FROM sms_templates WHERE contract_id = $1', [contractId])).toEqual([]);
  });

  it('stores a clean one as applied, with its variables, an open review deadline and the audit event', async () => {
    const res = await applyTemplate(QUAKE);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ status: 'applied', variables: ['place', 'magnitude'], category: 'notification', overdue: false, reason: null });
    // due at 24:00 Beijing time of a working day after today
    expect(res.body.reviewDueAt).toMatch(/T16:00:00\.000Z$/);
    expect(Date.parse(res.body.reviewDueAt)).toBeGreaterThan(Date.parse(res.body.appliedAt));
    const [deadline] = await rowsOf(`SELECT kind, status, due_at FROM deadlines WHERE contract_id = $1 AND kind = 'sms_review'`, [contractId]);
    expect(deadline).toMatchObject({ kind: 'sms_review', status: 'open' });
    expect((deadline!.due_at as Date).toISOString()).toBe(res.body.reviewDueAt);
    // the contract's deadlines show it with its countdown (no workflow holds it: the read model answers)
    const detail = await rig.h.api('operations').get(`/api/contracts/${contractId}`).expect(200);
    expect(detail.body.deadlines.filter((d: { kind: string }) => d.kind === 'sms_review')).toEqual([expect.objectContaining({ dueAt: res.body.reviewDueAt, secondsLeft: expect.any(Number) })]);
    const audit = await rowsOf(`SELECT type FROM audit_events WHERE contract_id = $1 AND type LIKE 'sms_template.%'`, [contractId]);
    expect(audit.map((r) => r.type)).toEqual(['sms_template.applied']);
    // operations see it in the review queue with its contract; a customer may not read the queue
    const queue = await rig.h.api('operations').get('/api/sms-reviews').expect(200);
    expect(queue.body.templates.find((t: { id: string }) => t.id === res.body.id)).toMatchObject({ status: 'applied', contractNumber: expect.stringMatching(/^SMS-/) });
    await rig.h.api('customer').get('/api/sms-reviews').expect(403);
  });
});

describe('reviewing and sending from a template', () => {
  let templateId: string;
  beforeAll(async () => {
    templateId = (await applyTemplate({ ...QUAKE, name: '地震速报2' }).expect(201)).body.id;
  });

  it('refuses to send from a template waiting for review (409 SMS_TEMPLATE_NOT_APPROVED)', async () => {
    const res = await send({ templateId, variables: { place: '包头', magnitude: '3.1' }, recipients: [number(1)], idempotencyKey: 'tpl-pending' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'SMS_TEMPLATE_NOT_APPROVED', template: { id: templateId, status: 'applied' } });
  });

  it('lets only operations or an admin review, asks a reason to reject, decides once (409 ALREADY_REVIEWED)', async () => {
    await review('templates', templateId, { decision: 'approve' }, 'customer').expect(403);
    const noReason = await review('templates', templateId, { decision: 'reject' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.issues.map((i: { path: string }) => i.path)).toContain('body.reason');
    const approved = await review('templates', templateId, { decision: 'approve' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', reviewedBy: rig.h.users.operations });
    const again = await review('templates', templateId, { decision: 'reject', reason: '重复审核' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'ALREADY_REVIEWED', review: { status: 'approved' } });
    const [deadline] = await rowsOf(`SELECT status FROM deadlines WHERE id = $1`, [`sms-review-${templateId}:sms_review:${templateId}`]);
    expect(deadline!.status).toBe('met');
    await review('templates', 'TP-00000000-0000-0000-0000-000000000000', { decision: 'approve' }).expect(404);
  });

  it('sends the filled text from the approved template, the submission naming it', async () => {
    const res = await send({ templateId, variables: { place: '锡林郭勒盟', magnitude: '４.５' }, recipients: [number(2)], idempotencyKey: 'tpl-ok' });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.content).toBe(`${SIGNATURE}地震速报：锡林郭勒盟发生4.5级地震，请注意防范。`);
    expect(res.body.category).toBe('notification');
    expect(res.body.counts.accepted + res.body.counts.held).toBe(1);
    const [row] = await rowsOf('SELECT template_id FROM sms_submissions WHERE id = $1', [res.body.submissionId]);
    expect(row!.template_id).toBe(templateId);
  });

  it('refuses variables smuggling unsubscribe words, forbidden content or a link, naming the variable, and sends nothing', async () => {
    const before = (await rowsOf('SELECT count(*)::int AS n FROM sms_messages WHERE contract_id = $1', [contractId]))[0]!.n;
    const cases: [Record<string, string>, string][] = [
      [{ place: '包头，回TD退订', magnitude: '3' }, 'VARIABLE_UNSUBSCRIBE'],
      [{ place: '内部荐股', magnitude: '3' }, 'VARIABLE_FORBIDDEN_CONTENT'],
      [{ place: '包头', magnitude: 'www.example.com' }, 'VARIABLE_URL'],
      [{ place: '包'.repeat(36), magnitude: '3' }, 'VARIABLE_TOO_LONG'],
    ];
    for (const [index, [variables, code]] of cases.entries()) {
      const res = await send({ templateId, variables, recipients: [number(3)], idempotencyKey: `tpl-smuggle-${index}` });
      expect(res.status, code).toBe(422);
      expect(res.body.error.template.issues.map((i: { code: string }) => i.code)).toContain(code);
      const variable = Object.keys(variables).find((k) => variables[k] !== '3' && variables[k] !== '包头')!;
      expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain(`body.variables.${variable}`);
    }
    expect((await rowsOf('SELECT count(*)::int AS n FROM sms_messages WHERE contract_id = $1', [contractId]))[0]!.n).toBe(before);
    // content and templateId together is not a message
    const both = await send({ templateId, content: `${SIGNATURE}你好`, recipients: [number(3)], idempotencyKey: 'tpl-both' });
    expect(both.status).toBe(400);
  });

  it('refuses a rejected template, showing the reason', async () => {
    const rejectedId = (await applyTemplate({ ...QUAKE, name: '将被驳回' }).expect(201)).body.id;
    const rejected = await review('templates', rejectedId, { decision: 'reject', reason: '请注明信息来源' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', reason: '请注明信息来源' });
    const res = await send({ templateId: rejectedId, variables: { place: '包头', magnitude: '3' }, recipients: [number(4)], idempotencyKey: 'tpl-rejected' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'SMS_TEMPLATE_NOT_APPROVED', template: { status: 'rejected', reason: '请注明信息来源' } });
    const list = await rig.h.api('sales').get(`/api/contracts/${contractId}/sms-templates?status=approved`).expect(200);
    expect(list.body.items.map((t: { id: string }) => t.id)).toEqual([templateId]);
  });
});

describe('free text, as the terms allow it', () => {
  it('by default sends notifications as free text but marketing only from a template', async () => {
    const marketing = await send({ category: 'marketing', content: `${SIGNATURE}会员日全场八折，回TD退订`, recipients: [{ number: number(5), member: true }], idempotencyKey: 'free-mkt' });
    expect(marketing.status).toBe(409);
    expect(marketing.body.error).toMatchObject({ code: 'SMS_FREE_TEXT_NOT_ALLOWED', freeText: { notification: true, marketing: false } });
    const notice = await send({ category: 'notification', content: `${SIGNATURE}明日召开防震减灾工作会议。`, recipients: [number(6)], idempotencyKey: 'free-notice' });
    expect(notice.status).toBe(202);

    const marketingTemplate = (await applyTemplate({ name: '会员日', category: 'marketing', content: '会员日${day}举行，欢迎参加，回TD退订' }).expect(201)).body.id;
    await review('templates', marketingTemplate, { decision: 'approve' }).expect(200);
    const fromTemplate = await send({ templateId: marketingTemplate, variables: { day: '本周六' }, recipients: [{ number: number(7), member: true }], idempotencyKey: 'tpl-mkt' });
    expect(fromTemplate.status, JSON.stringify(fromTemplate.body)).toBe(202);
    expect(fromTemplate.body).toMatchObject({ category: 'marketing', content: `${SIGNATURE}会员日本周六举行，欢迎参加，回TD退订` });
  });

  it('refuses notification free text where the terms say templates only', async () => {
    const strict = await activeContract(rig.h, { sms: { permit24h: true, freeText: { notification: false } } });
    const res = await send({ category: 'alert', content: `${SIGNATURE}地震预警演练今日10时开始。`, recipients: [number(8)], idempotencyKey: 'strict-alert' }, strict.id);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('SMS_FREE_TEXT_NOT_ALLOWED');
  });
});

describe('the review deadline in working days (fixed application instants, real Postgres)', () => {
  it('counts past the National Day holiday 2026 and the Spring Festival 2026 with its make-up Saturday', async () => {
    const contract = (await findContract(rig.h.database.db, contractId))!;
    const actor = { id: rig.h.users.customer, role: 'customer' };
    // Wednesday 2026-09-30 15:00 Beijing; 10-01..10-07 are rest days (国办发明电〔2025〕7号) → Thursday 10-08, 24:00
    const template = await applyForTemplate(rig.h.deps, { contract, request: { name: '节前', category: 'notification', content: '${a}通知' }, actor, now: new Date('2026-09-30T07:00:00Z') });
    expect(template.reviewDueAt).toBe('2026-10-08T16:00:00.000Z');
    const [stored] = await rowsOf('SELECT review_due_at FROM sms_templates WHERE id = $1', [template.id]);
    expect((stored!.review_due_at as Date).toISOString()).toBe('2026-10-08T16:00:00.000Z');

    // a contract allowing 2 working days: applied Friday 2026-02-13 → Saturday 02-14 (调休 working day), then 02-15..02-23 rest → Tuesday 02-24
    const two = await activeContract(rig.h, { sms: { permit24h: true, templateReviewWorkingDays: 2 } });
    const twoRow = (await findContract(rig.h.database.db, two.id))!;
    const signature = await applyForSignature(rig.h.deps, { contract: twoRow, request: { text: SIGNATURE, documentBase64: PDF }, actor, now: new Date('2026-02-13T02:00:00Z') });
    expect(signature.reviewDueAt).toBe('2026-02-24T16:00:00.000Z');
    expect(signature.reviewExplanation).toContain('2026-02-24');
    // long past its due time: the queue flags it overdue
    const queue = await rig.h.api('operations').get('/api/sms-reviews').expect(200);
    expect(queue.body.signatures.find((s: { id: string }) => s.id === signature.id)).toMatchObject({ overdue: true, reviewDueAt: '2026-02-24T16:00:00.000Z' });
  });
});

describe('signatures', () => {
  it('takes the bound signature with its PDF, keeps the PDF among the documents, and is reviewed once', async () => {
    const notPdf = await rig.h.api('customer').post(`/api/contracts/${contractId}/sms-signatures`, { text: SIGNATURE, documentBase64: Buffer.from('hello world').toString('base64') });
    expect(notPdf.status).toBe(400);
    expect(notPdf.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['body.documentBase64']);
    const other = await rig.h.api('customer').post(`/api/contracts/${contractId}/sms-signatures`, { text: '【别的单位】', documentBase64: PDF });
    expect(other.status).toBe(422);

    const applied = await rig.h.api('customer').post(`/api/contracts/${contractId}/sms-signatures`, { text: SIGNATURE, documentBase64: PDF });
    expect(applied.status, JSON.stringify(applied.body)).toBe(201);
    const doc = await rig.h
      .api('operations')
      .get(`/api/contracts/${contractId}/documents/${encodeURIComponent(applied.body.documentId)}`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(doc.status).toBe(200);
    expect(doc.headers['content-type']).toContain('application/pdf');
    expect(Buffer.from(doc.body as Buffer).toString('base64')).toBe(PDF);

    const approved = await review('signatures', applied.body.id, { decision: 'approve' });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    expect((await review('signatures', applied.body.id, { decision: 'approve' })).status).toBe(409);
    const list = await rig.h.api('customer').get(`/api/contracts/${contractId}/sms-signatures`).expect(200);
    expect(list.body).toMatchObject({ boundSignature: SIGNATURE, items: [{ id: applied.body.id, status: 'approved' }] });
    const audit = await rowsOf(`SELECT type FROM audit_events WHERE contract_id = $1 AND type LIKE 'sms_signature.%' ORDER BY id`, [contractId]);
    expect(audit.map((r) => r.type)).toEqual(['sms_signature.applied', 'sms_signature.reviewed']);
  });
});

describe("another organisation's contract", () => {
  it('is absent (404) to the customer for applications and lists', async () => {
    const foreign = await activeContract(rig.h, { sms: { permit24h: true }, partyA: { name: '某某市示例局' } });
    expect((await applyTemplate(QUAKE, foreign.id)).status).toBe(404);
    expect((await rig.h.api('customer').get(`/api/contracts/${foreign.id}/sms-templates`)).status).toBe(404);
    expect((await rig.h.api('customer').post(`/api/contracts/${foreign.id}/sms-signatures`, { text: SIGNATURE, documentBase64: PDF })).status).toBe(404);
    expect((await rig.h.api('customer').get(`/api/contracts/${foreign.id}/sms-signatures`)).status).toBe(404);
    // and a template of this contract does not send under another
    const ours = (await rig.h.api('customer').get(`/api/contracts/${contractId}/sms-templates?status=approved`).expect(200)).body.items[0].id as string;
    const mine = await activeContract(rig.h, { sms: { permit24h: true } });
    const res = await send({ templateId: ours, variables: { place: '包头', magnitude: '3' }, recipients: [number(9)], idempotencyKey: 'cross-contract' }, mine.id);
    expect(res.status).toBe(404);
  });
});
