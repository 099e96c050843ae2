/**
 * Lifecycle notices as Party B's own SMS (every message the system
 * sends goes through one dispatcher): the 'contract_signed' notice reaches both
 * party contacts through the dispatch workflow and the in-process SMSC, signed
 * 【中国联通】, exactly once per notification id (a retried notify replays), not
 * debited from the customer's quota, and inside the 08:00–22:00 window.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationActivities, type NotifyResult } from '../../activities/notifications';
import { SYSTEM_NOTICE_MAX_CHARS, SYSTEM_SMS_SIGNATURE, systemNoticeText } from '../../domain/sms/system';
import { REFERENCE_TERMS } from '../../domain/terms';
import { activeContract, nextShanghai, skipToShanghai, waitUntil, type SmsRig, startSmsRig } from './dispatch-rig';

let rig: SmsRig;

beforeAll(async () => {
  rig = await startSmsRig({ systemSms: true });
});
afterAll(async () => {
  await rig?.close();
});

const CONTACTS = [REFERENCE_TERMS.partyA.contact.phone, REFERENCE_TERMS.partyB.contact.phone].map((p) => `86${p}`);

/** the contract_signed notices of one contract at the simulator (the initial invoice has its own notice) */
/** The contract_signed notices the SMSC received for the contract (the text names no contract: matched by the SMSC ids of its parts). */
async function noticesAtSmsc(contractId: string) {
  const { rows } = await rig.h.database.db.query(
    `SELECT p.smsc_message_id FROM sms_parts p JOIN sms_messages m ON m.id = p.message_id
      JOIN sms_submissions s ON s.id = m.submission_id
      WHERE m.contract_id = $1 AND s.idempotency_key LIKE 'notice:%:signed:%' AND p.smsc_message_id IS NOT NULL`,
    [contractId],
  );
  const ids = new Set(rows.map((r) => r.smsc_message_id as string));
  return rig.smsc.messages().filter((m) => m.text.startsWith(SYSTEM_SMS_SIGNATURE) && m.messageIds.some((id) => ids.has(id)));
}

async function noticeMessages(contractId: string) {
  const { rows } = await rig.h.database.db.query(
    `SELECT m.recipient, m.status, m.debited_parts, m.send_at, m.customer, s.idempotency_key, s.source_addr
       FROM sms_messages m JOIN sms_submissions s ON s.id = m.submission_id
      WHERE m.contract_id = $1 AND m.system AND s.idempotency_key LIKE 'notice:%:signed:%' ORDER BY m.recipient`,
    [contractId],
  );
  return rows as { recipient: string; status: string; debited_parts: number; send_at: Date | null; customer: string; idempotency_key: string; source_addr: string }[];
}

async function quotaUsed(contractId: string): Promise<number> {
  const { rows } = await rig.h.database.db.query('SELECT COALESCE(sum(used_parts), 0)::int AS n FROM sms_quota_usage WHERE contract_id = $1', [contractId]);
  return rows[0]!.n as number;
}

describe('notice text', () => {
  it('is signed, subject first, cut to the limit', () => {
    const text = systemNoticeText('合同 X 已生效', '正文【附件】'.repeat(100));
    expect(text.startsWith(`${SYSTEM_SMS_SIGNATURE}合同 X 已生效：正文[附件]`)).toBe(true);
    expect(Array.from(text)).toHaveLength(SYSTEM_NOTICE_MAX_CHARS);
  });
});

describe('lifecycle notices as SMS', () => {
  it('signing a contract sends contract_signed to both party contacts once, even when notify is retried, with no quota debited', async () => {
    await skipToShanghai(rig.h, '10:00');
    const contract = await activeContract(rig.h);
    await waitUntil(async () => (await noticeMessages(contract.id)).filter((m) => m.status === 'delivered').length === 2, 20_000, 'two delivered notices');

    const messages = await noticeMessages(contract.id);
    expect(messages.map((m) => m.recipient)).toEqual(CONTACTS.map((c) => `+${c}`).sort());
    expect(messages.every((m) => m.debited_parts === 0 && m.customer === '中国联通' && m.source_addr === '106575')).toBe(true);
    expect(messages.every((m) => m.idempotency_key.startsWith('notice:') && m.idempotency_key.endsWith('_contact'))).toBe(true);
    expect(await quotaUsed(contract.id)).toBe(0);
    const sent = await noticesAtSmsc(contract.id);
    expect(sent.map((m) => m.destination).sort()).toEqual([...CONTACTS].sort());
    // written for the reader: the date in words, no contract number or instant in ISO form
    expect(sent[0]!.text).toMatch(/^【中国联通】您单位的企业短信服务合同已生效，有效期至\d{4}年\d{1,2}月\d{1,2}日24时。$/);

    // the customer's own views leave Party B's notices out
    const listed = await rig.h.api('customer').get(`/api/contracts/${contract.id}/messages`);
    expect(listed.status).toBe(200);
    expect(listed.body.total ?? listed.body.items?.length ?? 0).toBe(0);

    // the notify activity retried (twice more) with the same input: recorded once, dispatched once
    const { rows } = await rig.h.database.db.query(
      `SELECT id, subject, body FROM notifications WHERE contract_id = $1 AND reason = 'contract_signed' AND audience = 'party_a_contact'`,
      [contract.id],
    );
    const row = rows[0]!;
    const input = {
      id: (row.id as string).replace(/:party_a_contact$/, ''),
      contractId: contract.id,
      audiences: ['owner', 'party_a_contact', 'party_b_contact'] as const,
      reason: 'contract_signed',
      subject: row.subject as string,
      body: row.body as string,
      // the SMS as the lifecycle wrote it: a retry carries the same input
      sms: { template: 'contract_signed' as const, termEndsAt: ((await rig.h.database.db.query('SELECT term_ends_at FROM contracts WHERE id = $1', [contract.id])).rows[0]!.term_ends_at as Date).toISOString() },
    };
    const acts = createNotificationActivities({ db: rig.h.database.db, temporal: rig.h.env.client, taskQueue: rig.h.taskQueue, smsSettings: rig.h.deps.smsSettings, systemSms: true });
    const env = new MockActivityEnvironment();
    for (let attempt = 0; attempt < 2; attempt++) {
      const again = (await env.run(acts.notify, { ...input, audiences: [...input.audiences] })) as NotifyResult;
      expect(again.recorded).toBe(0);
      expect(again.sms).toHaveLength(2);
      expect(again.sms.every((s) => s.replayed)).toBe(true);
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(await noticesAtSmsc(contract.id)).toHaveLength(2);
    expect((await noticeMessages(contract.id)).length).toBe(2);
    expect(await quotaUsed(contract.id)).toBe(0);
  });

  it('a notice at 23:00 Shanghai waits for 08:00 and leaves then', async () => {
    const at = await skipToShanghai(rig.h, '23:00');
    const contract = await activeContract(rig.h);
    await waitUntil(async () => (await noticeMessages(contract.id)).filter((m) => m.status === 'held').length === 2, 20_000, 'two held notices');
    const opening = nextShanghai(at, '08:00');
    expect((await noticeMessages(contract.id)).every((m) => m.send_at?.getTime() === opening)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(await noticesAtSmsc(contract.id)).toHaveLength(0);

    await skipToShanghai(rig.h, '08:00:05');
    await waitUntil(async () => (await noticeMessages(contract.id)).filter((m) => m.status === 'delivered').length === 2, 20_000, 'two notices delivered after 08:00');
    expect((await noticesAtSmsc(contract.id)).map((m) => m.destination).sort()).toEqual([...CONTACTS].sort());
    expect(await quotaUsed(contract.id)).toBe(0);
  });
});
