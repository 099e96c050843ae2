/**
 * Work items and the daily digest outside the console, on a real Postgres,
 * the time-skipping Temporal server running the real workflows and
 * activities, a real SMTP server (the `smtp-server` package, listening on a
 * TCP port; what it receives is parsed with `mailparser`) and the SMSC
 * simulator in-process:
 *
 * - an admin sets a staff member's e-mail address and mobile (E.164), audited masked;
 * - a work item for that staff member is e-mailed exactly once with its
 *   Chinese subject intact, although the SMTP server refuses the first
 *   attempt (451) and the deliverer runs again, twice at once, and after the
 *   notification is recorded a second time;
 * - the same item goes out once as Party B's own SMS (【中国联通】), with no
 *   quota debited;
 * - a deliverer that died inside the SMTP transaction leaves the e-mail
 *   `unknown` and never sends it twice; one that died before sending leaves
 *   it to the next run, which sends it once;
 * - without SMTP_URL (no mailer) nothing is attempted: not one connection;
 * - the daily digest reaches its owner by e-mail and SMS;
 * - the schedule's workflow delivers what is due (its history is recorded for replay).
 *
 * The deliverer's clock is passed in: fixed instants (T0 and after).
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDigestActivities } from '../../activities/digest';
import type { ActivityDeps } from '../../activities/deps';
import { createNotificationActivities } from '../../activities/notifications';
import { createStaffDeliveryActivities } from '../../activities/staff-deliveries';
import { createLegalActivities } from '../../activities/legal';
import { claimDueDeliveries, markSendStarted } from '../../db/staff-deliveries';
import { STAFF_DELIVERY_LEASE_MS } from '../../domain/staff-notices';
import { shanghaiDate } from '../../domain/time';
import { createMailer, type Mailer } from '../../platform/mail';
import { createSmsGateway, type SmsGateway } from '../../sms/gateway';
import { startSmscSimulator, type SmscSimulator } from '../../tools/smsc/simulator';
import { staffDeliveries } from '../../workflows/staff-deliveries';
import { createHarness, type Harness } from '../support/harness';
import { recordHistoryIfAsked } from '../support/histories';
import { activeContract, skipToShanghai, waitUntil } from '../sms/dispatch-rig';

type Received = { raw: string; mail: ParsedMail };

/** A real SMTP server on 127.0.0.1: every message it accepts, parsed; `refuseNext` messages answered 451 first. */
async function startSmtpServer() {
  const received: Received[] = [];
  const state = { connections: 0, refused: 0, refuseNext: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      state.connections += 1;
      callback();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (state.refuseNext > 0) {
          state.refuseNext -= 1;
          state.refused += 1;
          callback(Object.assign(new Error('mailbox busy, try again later'), { responseCode: 451 }));
          return;
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (mail) => {
            received.push({ raw: raw.toString('latin1'), mail });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { received, state, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const T0 = '2026-12-07T02:00:00.000Z';
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
const FROM = '合同管理系统 <no-reply@contracts.example>';

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let smsc: SmscSimulator;
let gateway: SmsGateway;
let mailer: Mailer;
let h: Harness;
let deps: ActivityDeps;

beforeAll(async () => {
  smtp = await startSmtpServer();
  mailer = createMailer({ url: smtp.url, from: FROM, timeoutMs: 5_000 });
  smsc = await startSmscSimulator({ port: 0, receiptDelayMs: 20 });
  gateway = createSmsGateway({
    url: smsc.url(),
    transportOptions: { windowSize: 10, enquireLinkMs: 5_000, responseTimeoutMs: 2_000, reconnect: { initialMs: 50, maxMs: 500 }, throttle: { initialMs: 20, maxMs: 200 } },
    settings: { ambiguousGraceMs: 1_500 },
  });
  await gateway.transport.start();
  h = await createHarness({ activityDeps: { sms: gateway, systemSms: true, mailer } });
  deps = { db: h.database.db, logger: pino({ level: 'silent' }), smsSettings: h.deps.smsSettings, systemSms: true, temporal: h.env.client, taskQueue: h.taskQueue, mailer };
  // Party B's SMS leave inside 08:00–22:00 Beijing time (the dispatcher's window)
  await skipToShanghai(h, '10:00');
});

afterAll(async () => {
  await h?.close();
  mailer?.close();
  await gateway?.transport.close();
  await smsc?.stop();
  await smtp?.close();
});

const deliveries = async (notificationId: string) =>
  (
    await h.database.db.query(
      `SELECT channel, recipient, status, attempts, last_error, outcome, next_attempt_at, contract_id FROM staff_deliveries WHERE notification_id = $1 ORDER BY channel`,
      [notificationId],
    )
  ).rows;
const mailsTo = (address: string) => smtp.received.filter((r) => r.mail.to && !Array.isArray(r.mail.to) && r.mail.to.value.some((v) => v.address?.toLowerCase() === address.toLowerCase()));

describe('staff contact details', () => {
  it('are set by an admin (phone normalised to E.164), audited masked; refused for a customer operator and for bad values', async () => {
    const set = await h.api('admin').put(`/api/users/${h.users.sales}/contact`, { email: 'Wang.Xiaoshou@Contracts.Example', phone: '138 0000 0099' });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toMatchObject({ id: h.users.sales, role: 'sales', email: 'Wang.Xiaoshou@contracts.example', phone: '+8613800000099' });

    // a field left out is kept
    const kept = await h.api('admin').put(`/api/users/${h.users.sales}/contact`, { phone: '+86 138-0000-0099' });
    expect(kept.body).toMatchObject({ email: 'Wang.Xiaoshou@contracts.example', phone: '+8613800000099' });

    expect((await h.api('admin').put(`/api/users/${h.users.sales}/contact`, { phone: '0471-1234567' })).status).toBe(400);
    expect((await h.api('admin').put(`/api/users/${h.users.sales}/contact`, { email: 'not an address' })).status).toBe(400);
    expect((await h.api('admin').put(`/api/users/${h.users.sales}/contact`, {})).status).toBe(400);
    expect((await h.api('admin').put(`/api/users/${h.users.customer}/contact`, { email: 'op@example.com' })).status).toBe(404);
    expect((await h.api('sales').put(`/api/users/${h.users.sales}/contact`, { email: 'me@example.com' })).status).toBe(403);

    const { rows } = await h.database.db.query(`SELECT before, after, data FROM audit_events WHERE type = 'user.contact_set' ORDER BY id`);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({ before: { email: null, phone: null }, after: { email: 'W***@contracts.example', phone: '+86138****0099' }, data: { userId: h.users.sales } });
    expect(JSON.stringify(rows)).not.toContain('13800000099');
  });
});

describe('a work item by e-mail and SMS', () => {
  const SUBJECT = '交付确认单逾期未确认';
  const BODY = '请联系甲方尽快签署交付确认单（业务受理单）。';
  let contract: { id: string; number: string };
  let notificationId: string;

  it('is e-mailed exactly once with its Chinese subject intact, though the SMTP server refused the first attempt and the deliverer ran again', async () => {
    contract = await activeContract(h);
    const notify = createNotificationActivities(deps).notify;
    const input = { id: `contract-${contract.id}:staff-mail-test`, contractId: contract.id, audiences: ['owner' as const], reason: 'delivery_unconfirmed', subject: SUBJECT, body: BODY };
    expect((await notify(input)).recorded).toBe(1);
    notificationId = `${input.id}:owner`;
    // owed with the item: one e-mail and one SMS to the account manager
    expect((await deliveries(notificationId)).map((d) => [d.channel, d.recipient, d.status])).toEqual([
      ['email', 'Wang.Xiaoshou@contracts.example', 'pending'],
      ['sms', '+8613800000099', 'pending'],
    ]);

    const deliver = createStaffDeliveryActivities(deps).deliverStaffNotices;
    smtp.state.refuseNext = 1;
    expect(await deliver({ at: T0 })).toEqual({ sent: 1, retrying: 1, failed: 0, skipped: 0, interrupted: 0 });
    expect(smtp.state.refused).toBe(1);
    expect(mailsTo('Wang.Xiaoshou@contracts.example')).toHaveLength(0);
    const [refused] = await deliveries(notificationId);
    expect(refused).toMatchObject({ channel: 'email', status: 'pending', attempts: 1 });
    expect(refused!.last_error).toContain('451');
    expect((refused!.next_attempt_at as Date).toISOString()).toBe(plus(T0, 60_000));

    // not due yet 30 s later; due a minute later: sent once
    expect(await deliver({ at: plus(T0, 30_000) })).toEqual({ sent: 0, retrying: 0, failed: 0, skipped: 0, interrupted: 0 });
    expect(await deliver({ at: plus(T0, 60_000) })).toMatchObject({ sent: 1, retrying: 0 });
    // run again, twice at once, and the notification recorded again: nothing more
    const again = await Promise.all([deliver({ at: plus(T0, 3_600_000) }), deliver({ at: plus(T0, 3_600_000) })]);
    expect(again.map((r) => r.sent)).toEqual([0, 0]);
    expect((await notify(input)).recorded).toBe(0);
    expect(await deliver({ at: plus(T0, 7_200_000) })).toMatchObject({ sent: 0 });

    const mails = mailsTo('Wang.Xiaoshou@contracts.example');
    expect(mails).toHaveLength(1);
    const { mail, raw } = mails[0]!;
    expect(mail.subject).toBe('【待办】交付确认单逾期未确认');
    // the header travels encoded (RFC 2047), the decoded text is the Chinese subject
    expect(raw).toMatch(/^Subject: =\?UTF-8\?/im);
    expect(mail.text).toContain(BODY);
    expect(mail.text).toContain('请登录合同管理系统，在“待办”中查看和处理。');
    expect(mail.from?.text).toContain('no-reply@contracts.example');
    const [email] = await deliveries(notificationId);
    expect(email).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
    expect(mail.messageId).toMatch(/^<staff-delivery-\d+@contracts\.example>$/);
    expect(email!.outcome).toContain(mail.messageId);
  });

  it('is texted once as Party B\'s own SMS to the staff member\'s phone, with no quota debited', async () => {
    const staffPhone = '8613800000099';
    await waitUntil(() => smsc.messages().some((m) => m.destination === staffPhone), 20_000, 'the staff SMS at the SMSC');
    await new Promise((r) => setTimeout(r, 300));
    const texts = smsc.messages().filter((m) => m.destination === staffPhone);
    expect(texts).toHaveLength(1);
    expect(texts[0]!.text.startsWith('【中国联通】待办：交付确认单逾期未确认：请联系甲方尽快签署交付确认单')).toBe(true);
    const { rows } = await h.database.db.query(
      `SELECT m.customer, m.debited_parts, m.system, s.idempotency_key FROM sms_messages m JOIN sms_submissions s ON s.id = m.submission_id WHERE m.recipient = '+8613800000099'`,
    );
    expect(rows).toEqual([{ customer: '中国联通', debited_parts: 0, system: true, idempotency_key: `notice:${notificationId}:staff:${h.users.sales}` }]);
    const quota = await h.database.db.query('SELECT COALESCE(sum(used_parts), 0)::int AS n FROM sms_quota_usage WHERE contract_id = $1', [contract.id]);
    expect(quota.rows[0]!.n).toBe(0);
    const [, sms] = await deliveries(notificationId);
    expect(sms).toMatchObject({ channel: 'sms', status: 'sent', attempts: 1, contract_id: contract.id });
  });
});

describe('a deliverer that dies', () => {
  it('inside the SMTP transaction: the e-mail is marked unknown, never sent twice; before sending: the next run sends it once', async () => {
    const contract = await activeContract(h);
    const notify = createNotificationActivities({ ...deps, systemSms: false }).notify;
    for (const step of ['crash-inside', 'crash-before']) {
      await notify({ id: `contract-${contract.id}:${step}`, contractId: contract.id, audiences: ['owner'], reason: 'delivery_unconfirmed', subject: `逾期提醒 ${step}`, body: '请处理。' });
    }
    const T1 = plus(T0, 86_400_000);
    // a deliverer takes both e-mails, starts sending the first, and dies
    const { claimed } = await claimDueDeliveries(h.database.db, { at: T1, limit: 10, leaseMs: STAFF_DELIVERY_LEASE_MS, channels: ['email'] });
    expect(claimed.map((c) => c.notificationId)).toEqual([`contract-${contract.id}:crash-inside:owner`, `contract-${contract.id}:crash-before:owner`]);
    await markSendStarted(h.database.db, claimed[0]!.id);
    const before = smtp.received.length;

    const deliver = createStaffDeliveryActivities({ ...deps, systemSms: false }).deliverStaffNotices;
    // while the lease holds, nobody else takes them
    expect(await deliver({ at: plus(T1, 60_000) })).toMatchObject({ sent: 0, interrupted: 0 });
    // after it: the interrupted one is unknown (not resent), the other is sent once
    expect(await deliver({ at: plus(T1, STAFF_DELIVERY_LEASE_MS) })).toMatchObject({ sent: 1, interrupted: 1 });
    expect(await deliver({ at: plus(T1, 2 * STAFF_DELIVERY_LEASE_MS) })).toMatchObject({ sent: 0, interrupted: 0 });
    expect(smtp.received.length - before).toBe(1);
    expect(smtp.received.at(-1)!.mail.subject).toBe('【待办】逾期提醒 crash-before');
    const inside = await deliveries(`contract-${contract.id}:crash-inside:owner`);
    expect(inside.find((d) => d.channel === 'email')).toMatchObject({ status: 'unknown' });
    expect(inside.find((d) => d.channel === 'email')!.last_error).toContain('not sent again');
    // staff SMS off in this deliverer: those rows were skipped, none submitted
    expect(inside.find((d) => d.channel === 'sms')).toMatchObject({ status: 'skipped', attempts: 0 });
  });
});

describe('without SMTP_URL', () => {
  it('attempts nothing: the e-mail rows are skipped and the SMTP server sees no connection', async () => {
    const alert = { id: `breach-no-smtp-test:escalated`, audiences: ['legal' as const], reason: 'breach_escalated', subject: '违约案件已升级', body: '请法务决定是否起诉。' };
    expect((await h.api('admin').put(`/api/users/${h.users.legal}/contact`, { email: 'fawu@contracts.example', phone: '13800000098' })).status).toBe(200);
    await createLegalActivities(deps).alertStaff(alert);
    // no contract behind the item: e-mail only, no SMS row
    expect((await deliveries(`${alert.id}:legal`)).map((d) => [d.channel, d.status])).toEqual([['email', 'pending']]);
    const connections = smtp.state.connections;
    const { mailer: _mailer, ...withoutMail } = deps;
    const result = await createStaffDeliveryActivities(withoutMail).deliverStaffNotices({ at: plus(T0, 2 * 86_400_000) });
    expect(result).toMatchObject({ sent: 0, skipped: 1 });
    expect(smtp.state.connections).toBe(connections);
    expect(await deliveries(`${alert.id}:legal`)).toMatchObject([{ channel: 'email', status: 'skipped', attempts: 0, last_error: 'SMTP_URL is not set: shown in the console only' }]);
    // the console still shows it
    expect((await h.api('legal').get('/api/inbox').expect(200)).body.items.map((i: { title: string }) => i.title)).toContain('违约案件已升级');
  });
});

describe('the daily digest', () => {
  it("reaches its owner by e-mail and SMS once, the SMS under the contract whose deadline comes first", async () => {
    const asOf = new Date(await h.env.currentTimeMs()).toISOString();
    const digest = await createDigestActivities(deps).buildRenewalDigest({ asOf, horizonDays: 60 });
    expect(digest.owners).toBe(1);
    const notificationId = `digest:${digest.id}:${h.users.sales}`;
    expect((await deliveries(notificationId)).map((d) => [d.channel, d.status])).toEqual([['email', 'pending'], ['sms', 'pending']]);
    // built again the same day: nothing owed twice
    await createDigestActivities(deps).buildRenewalDigest({ asOf, horizonDays: 60 });
    expect(await deliveries(notificationId)).toHaveLength(2);

    const before = mailsTo('Wang.Xiaoshou@contracts.example').length;
    const smsBefore = smsc.messages().filter((m) => m.destination === '8613800000099').length;
    expect(await createStaffDeliveryActivities(deps).deliverStaffNotices({ at: plus(T0, 3 * 86_400_000) })).toMatchObject({ sent: 2 });
    const mails = mailsTo('Wang.Xiaoshou@contracts.example').slice(before);
    expect(mails.map((m) => m.mail.subject)).toEqual([`续约与期限日报 ${shanghaiDate(asOf)}`]);
    expect(mails[0]!.mail.text).toMatch(/^续约与期限日报 \d{4}-\d{2}-\d{2}\r?\n\r?\n未来 60 天：/);
    await waitUntil(() => smsc.messages().filter((m) => m.destination === '8613800000099').length === smsBefore + 1, 20_000, 'the digest SMS');
    expect(smsc.messages().filter((m) => m.destination === '8613800000099').at(-1)!.text.startsWith(`【中国联通】续约与期限日报 ${shanghaiDate(asOf)}：未来 60 天`)).toBe(true);
  });
});

describe('the schedule\'s workflow', () => {
  it('delivers what is due as of its own time', async () => {
    const alert = { id: `breach-workflow-test:escalated`, audiences: ['legal' as const], reason: 'breach_escalated', subject: '违约案件已升级（第二件）', body: '请法务决定是否起诉。' };
    await createLegalActivities(deps).alertStaff(alert);
    const handle = await h.env.client.workflow.start(staffDeliveries, { workflowId: 'staff-deliveries-test', taskQueue: h.taskQueue, args: [] });
    const result = await handle.result();
    expect(result.sent).toBeGreaterThanOrEqual(1);
    expect(result).toMatchObject({ failed: 0, interrupted: 0 });
    await recordHistoryIfAsked('staff-deliveries-v1', handle);
    expect(mailsTo('fawu@contracts.example').map((m) => m.mail.subject)).toEqual(['【待办】违约案件已升级（第二件）']);
    expect(await deliveries(`${alert.id}:legal`)).toMatchObject([{ channel: 'email', status: 'sent', attempts: 1 }]);
  });
});
