/**
 * The SMS ledger: submissions, messages (one per recipient), parts (one per
 * submit_sm, with the SMSC's message id), quota usage per contract year,
 * suppressions per customer, sender addresses, unmatched receipts and the
 * inbound log. Every function takes a `Queryable`, so it runs inside or
 * outside a transaction.
 *
 * Receipt ingestion and the recording of submit results both take one
 * transaction-level advisory lock, so a receipt that arrives before its part
 * was recorded is always either matched or kept as an orphan that the
 * recorder then claims (never lost between the two).
 */
import type { RecipientHistory, SmsMessageStatus } from '../domain/sms/dispatch';
import type { SmsCategory } from '../domain/sms/windows';
import type { Queryable } from './pool';
import { rowReader } from './rows';

const RECEIPTS_LOCK = 72_017_406;

export const lockReceipts = (tx: Queryable) => tx.query('SELECT pg_advisory_xact_lock($1)', [RECEIPTS_LOCK]);

/** Serialises the submissions of one customer (quota, caps and suppressions are read and written together). */
export async function lockCustomer(tx: Queryable, customer: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('sms:' || $1))`, [customer]);
}

// --- senders -----------------------------------------------------------------

/** The contract's sender address, assigned once: the service code plus a 4-digit extension. */
export async function ensureSender(tx: Queryable, input: { contractId: string; customer: string; serviceCode: string }): Promise<string> {
  await tx.query(
    `INSERT INTO sms_senders (contract_id, source_addr, customer)
     VALUES ($1, $2 || lpad(nextval('sms_sender_seq')::text, 4, '0'), $3) ON CONFLICT (contract_id) DO NOTHING`,
    [input.contractId, input.serviceCode, input.customer],
  );
  const { rows } = await tx.query('SELECT source_addr FROM sms_senders WHERE contract_id = $1', [input.contractId]);
  return rows[0]!.source_addr as string;
}

export async function findSender(db: Queryable, contractId: string): Promise<string | null> {
  const { rows } = await db.query('SELECT source_addr FROM sms_senders WHERE contract_id = $1', [contractId]);
  return (rows[0]?.source_addr as string | undefined) ?? null;
}

/**
 * Whose customer an MO message is for: the sender address it was sent to
 * (the longest registered address it starts with: replies may carry a
 * further extension), else the customer that last sent to that number.
 */
export async function routeInbound(
  db: Queryable,
  input: { destination: string; source: string | null },
): Promise<{ customer: string; creditCode: string | null; contractId: string | null; how: 'sender' | 'last_message' } | null> {
  const digits = input.destination.replace(/\D/g, '');
  if (digits) {
    const { rows } = await db.query(
      `SELECT s.contract_id, s.customer, c.party_a_credit_code FROM sms_senders s JOIN contracts c ON c.id = s.contract_id
        WHERE $1 LIKE s.source_addr || '%' ORDER BY length(s.source_addr) DESC LIMIT 1`,
      [digits],
    );
    if (rows[0]) return { customer: rows[0].customer, creditCode: rows[0].party_a_credit_code ?? null, contractId: rows[0].contract_id, how: 'sender' };
  }
  if (input.source) {
    // Party B's own notices are Party B's list: no code
    const { rows } = await db.query(
      `SELECT m.customer, m.contract_id, CASE WHEN m.system THEN NULL ELSE c.party_a_credit_code END AS credit_code
         FROM sms_messages m JOIN contracts c ON c.id = m.contract_id
        WHERE m.recipient = $1 AND m.released_at IS NOT NULL ORDER BY m.released_at DESC LIMIT 1`,
      [input.source],
    );
    if (rows[0]) return { customer: rows[0].customer, creditCode: rows[0].credit_code ?? null, contractId: rows[0].contract_id, how: 'last_message' };
  }
  return null;
}

// --- suppressions ---------------------------------------------------------------

export type SuppressionSource = 'mo_reply' | 'complaint' | 'opt_out';

/**
 * Whose suppression list (Art.4 §6): Party A's organisation, by its unified
 * social credit code where the contract has one, else by its exact name
 * (Party B's own list: its name, no code). A row applies to the owner when it
 * carries the owner's code, or the owner's exact name where either carries
 * no code (migration 028; the rule a freeze binds by, db/organisations.ts).
 */
export type SuppressionOwner = { creditCode: string | null; name: string };

/** Adds the numbers to the owner's suppression list (under its code when it has one); returns the ones that were not on it yet. */
export async function addSuppressions(
  db: Queryable,
  input: { owner: SuppressionOwner; contractId: string | null; recipients: string[]; source: SuppressionSource; detail: string | null; recordedBy: string },
): Promise<string[]> {
  if (input.recipients.length === 0) return [];
  const already = await findSuppressed(db, input.owner, input.recipients);
  // a number already suppressed by the name alone is still written under the code: the opt-out follows the organisation from now on
  const { rows } = await db.query(
    `INSERT INTO sms_suppressions (customer, credit_code, recipient, source, contract_id, detail, recorded_by)
     SELECT $1, $2, r, $4, $5, $6, $7 FROM unnest($3::text[]) AS r
     ON CONFLICT DO NOTHING RETURNING recipient`,
    [input.owner.name, input.owner.creditCode, input.recipients, input.source, input.contractId, input.detail, input.recordedBy],
  );
  return rows.map((r) => r.recipient as string).filter((recipient) => !already.has(recipient));
}

export async function findSuppressed(db: Queryable, owner: SuppressionOwner, recipients: string[]): Promise<Set<string>> {
  if (recipients.length === 0) return new Set();
  // two branches, each on its own index: by code, and by name
  const { rows } = await db.query(
    `SELECT recipient FROM sms_suppressions WHERE credit_code = $1 AND recipient = ANY($3::text[])
     UNION
     SELECT recipient FROM sms_suppressions WHERE customer = $2 AND recipient = ANY($3::text[]) AND (credit_code IS NULL OR $1::text IS NULL)`,
    [owner.creditCode, owner.name, recipients],
  );
  return new Set(rows.map((r) => r.recipient as string));
}

export type SuppressionRow = { recipient: string; source: SuppressionSource; detail: string | null; recordedBy: string; createdAt: string };

export async function listSuppressions(db: Queryable, owner: SuppressionOwner, limit: number, offset: number): Promise<{ items: SuppressionRow[]; total: number }> {
  const { rows } = await db.query(
    `WITH mine AS (
       SELECT DISTINCT ON (s.recipient) s.recipient, s.source, s.detail, s.recorded_by, s.created_at FROM sms_suppressions s
        WHERE s.credit_code = $1 OR (s.customer = $2 AND (s.credit_code IS NULL OR $1::text IS NULL))
        ORDER BY s.recipient, s.created_at
     )
     SELECT recipient, source, detail, recorded_by, created_at, count(*) OVER () AS total FROM mine
      ORDER BY created_at DESC, recipient LIMIT $3 OFFSET $4`,
    [owner.creditCode, owner.name, limit, offset],
  );
  return {
    total: rows[0] ? Number(rows[0].total) : 0,
    items: rows.map((r) => ({ recipient: r.recipient, source: r.source, detail: r.detail, recordedBy: r.recorded_by, createdAt: (r.created_at as Date).toISOString() })),
  };
}

// --- caps and quota ----------------------------------------------------------------

/** Per recipient, what this customer sent lately (accepted or held only). */
export async function recentHistory(
  db: Queryable,
  input: { customer: string; recipients: string[]; contentHash: string; category: SmsCategory; sameContentMs: number; alertDedupMs: number },
): Promise<Map<string, RecipientHistory>> {
  if (input.recipients.length === 0) return new Map();
  const windowMs = input.category === 'alert' ? input.alertDedupMs : input.sameContentMs;
  const { rows } = await db.query(
    `SELECT recipient,
            count(*) FILTER (WHERE category <> 'alert' AND created_at > now() - interval '1 hour')::int AS last_hour,
            bool_or(content_hash = $3 AND category = $4 AND created_at > now() - make_interval(secs => $5)) AS same_recent
       FROM sms_messages
      WHERE customer = $1 AND recipient = ANY($2::text[]) AND decision IN ('accepted', 'held')
        AND created_at > now() - greatest(interval '1 hour', make_interval(secs => $5))
      GROUP BY recipient`,
    [input.customer, input.recipients, input.contentHash, input.category, windowMs / 1000],
  );
  return new Map(rows.map((r) => [r.recipient as string, { lastHour: r.last_hour as number, sameContentRecent: r.same_recent === true }]));
}

/** Parts already debited in the contract year; locks the usage row until the transaction ends. */
export async function lockQuotaUsage(tx: Queryable, contractId: string, contractYear: number): Promise<number> {
  await tx.query('INSERT INTO sms_quota_usage (contract_id, contract_year) VALUES ($1, $2) ON CONFLICT DO NOTHING', [contractId, contractYear]);
  const { rows } = await tx.query('SELECT used_parts FROM sms_quota_usage WHERE contract_id = $1 AND contract_year = $2 FOR UPDATE', [contractId, contractYear]);
  return Number(rows[0]!.used_parts);
}

export async function quotaUsed(db: Queryable, contractId: string, contractYear: number): Promise<number> {
  const { rows } = await db.query('SELECT used_parts FROM sms_quota_usage WHERE contract_id = $1 AND contract_year = $2', [contractId, contractYear]);
  return rows[0] ? Number(rows[0].used_parts) : 0;
}

/** The parts a contract year had used before the contract entered the system (an import). */
export async function setQuotaUsed(tx: Queryable, contractId: string, contractYear: number, parts: number): Promise<void> {
  await tx.query(
    `INSERT INTO sms_quota_usage (contract_id, contract_year, used_parts) VALUES ($1, $2, $3)
     ON CONFLICT (contract_id, contract_year) DO UPDATE SET used_parts = EXCLUDED.used_parts`,
    [contractId, contractYear, parts],
  );
}

export async function debitQuota(tx: Queryable, contractId: string, contractYear: number, parts: number): Promise<void> {
  if (parts === 0) return;
  await tx.query('UPDATE sms_quota_usage SET used_parts = used_parts + $3 WHERE contract_id = $1 AND contract_year = $2', [contractId, contractYear, parts]);
}

// --- submissions and messages ---------------------------------------------------------

export type SubmissionRow = {
  id: string;
  contractId: string;
  customer: string;
  idempotencyKey: string;
  requestHash: string;
  category: SmsCategory;
  content: string;
  appendedUnsubscribe: boolean;
  encoding: 'GSM7' | 'UCS2';
  partsPerMessage: number;
  sourceAddr: string;
  keywordListVersion: string;
  contractYear: number;
  unlisted: UnlistedInput[];
  requestedBy: string;
  /** Party B's own message (a lifecycle notice): no quota, sent whatever the contract's status */
  system?: boolean;
  /** the approved template the message was filled from (migration 025); absent for free text */
  templateId?: string | null;
  createdAt: string;
};

/** An input that never became a message: an invalid number, or a repeat of an earlier one. */
export type UnlistedInput =
  | { index: number; input: string; outcome: 'rejected'; reason: string; message: string; messageEn: string }
  /** duplicateOf: the earlier index in the request, or null for an identical alert sent moments ago */
  | { index: number; input: string; outcome: 'duplicate'; recipient: string; duplicateOf: number | null };

const SUBMISSION = rowReader<SubmissionRow>({
  id: true, contractId: true, customer: true, idempotencyKey: true, requestHash: true, category: true, content: true, appendedUnsubscribe: true, encoding: true,
  partsPerMessage: true, sourceAddr: true, keywordListVersion: true, contractYear: true, unlisted: true, requestedBy: true, system: true, templateId: true, createdAt: true,
});

export async function findSubmission(db: Queryable, id: string): Promise<SubmissionRow | null> {
  const { rows } = await db.query(`SELECT ${SUBMISSION.columns} FROM sms_submissions WHERE id = $1`, [id]);
  return rows[0] ? SUBMISSION.read(rows[0]) : null;
}

export async function findSubmissionByKey(db: Queryable, contractId: string, idempotencyKey: string): Promise<SubmissionRow | null> {
  const { rows } = await db.query(`SELECT ${SUBMISSION.columns} FROM sms_submissions WHERE contract_id = $1 AND idempotency_key = $2`, [contractId, idempotencyKey]);
  return rows[0] ? SUBMISSION.read(rows[0]) : null;
}

/** Inserts the submission; false when the contract already has one with this idempotency key. */
export async function insertSubmission(tx: Queryable, s: Omit<SubmissionRow, 'createdAt'>): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO sms_submissions (id, contract_id, customer, idempotency_key, request_hash, category, content, appended_unsubscribe, encoding,
       parts_per_message, source_addr, keyword_list_version, contract_year, unlisted, requested_by, system, template_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) ON CONFLICT DO NOTHING`,
    [
      s.id, s.contractId, s.customer, s.idempotencyKey, s.requestHash, s.category, s.content, s.appendedUnsubscribe, s.encoding,
      s.partsPerMessage, s.sourceAddr, s.keywordListVersion, s.contractYear, JSON.stringify(s.unlisted), s.requestedBy, s.system ?? false,
      s.templateId ?? null,
    ],
  );
  return rowCount === 1;
}

export type NewMessage = {
  seq: number;
  recipient: string;
  member: boolean | null;
  decision: 'accepted' | 'rejected' | 'suppressed';
  reason: string | null;
  debitedParts: number;
};

/** Inserts the submission's messages in one statement (up to 10,000 rows). */
export async function insertMessages(
  tx: Queryable,
  input: { submissionId: string; contractId: string; customer: string; category: SmsCategory; contentHash: string; parts: number; contractYear: number; messages: NewMessage[]; system?: boolean },
): Promise<void> {
  if (input.messages.length === 0) return;
  const m = input.messages;
  await tx.query(
    `INSERT INTO sms_messages (id, submission_id, contract_id, customer, seq, recipient, member, category, content_hash, parts, decision, reason, status,
       contract_year, debited_parts, final_at, system)
     SELECT $1 || ':' || r.seq, $1, $2, $3, r.seq, r.recipient, r.member, $4, $5, $6, r.decision, r.reason,
            CASE r.decision WHEN 'accepted' THEN 'queued' ELSE r.decision END, $7, r.debited,
            CASE WHEN r.decision = 'accepted' THEN NULL ELSE now() END, $14
       FROM unnest($8::int[], $9::text[], $10::boolean[], $11::text[], $12::text[], $13::int[]) AS r(seq, recipient, member, decision, reason, debited)`,
    [
      input.submissionId, input.contractId, input.customer, input.category, input.contentHash, input.parts, input.contractYear,
      m.map((x) => x.seq), m.map((x) => x.recipient), m.map((x) => x.member), m.map((x) => x.decision), m.map((x) => x.reason), m.map((x) => x.debitedParts),
      input.system ?? false,
    ],
  );
}

/** Marks the submission's queued messages as held until the window opens (idempotent). */
export async function holdMessages(db: Queryable, submissionId: string, sendAt: string): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE sms_messages SET status = 'held', decision = 'held', send_at = $2 WHERE submission_id = $1 AND status = 'queued'`,
    [submissionId, sendAt],
  );
  return rowCount ?? 0;
}

export type MessageRow = {
  id: string;
  submissionId: string;
  seq: number;
  recipient: string;
  member: boolean | null;
  category: SmsCategory;
  parts: number;
  decision: 'accepted' | 'held' | 'rejected' | 'suppressed';
  reason: string | null;
  status: SmsMessageStatus;
  contractYear: number;
  debitedParts: number;
  sendAt: string | null;
  releasedAt: string | null;
  submittedAt: string | null;
  finalAt: string | null;
  createdAt: string;
};

const MESSAGE = rowReader<MessageRow>({
  id: true, submissionId: true, seq: true, recipient: true, member: true, category: true, parts: true, decision: true, reason: true, status: true, contractYear: true,
  debitedParts: true, sendAt: true, releasedAt: true, submittedAt: true, finalAt: true, createdAt: true,
});

export async function listSubmissionMessages(db: Queryable, submissionId: string): Promise<MessageRow[]> {
  const { rows } = await db.query(`SELECT ${MESSAGE.columns} FROM sms_messages WHERE submission_id = $1 ORDER BY seq`, [submissionId]);
  return rows.map(MESSAGE.read);
}

export type MessageFilter = { contractId: string; status?: SmsMessageStatus; submissionId?: string; recipient?: string; limit: number; offset: number };

export async function listMessages(db: Queryable, filter: MessageFilter): Promise<{ items: MessageRow[]; total: number; byStatus: Record<string, number> }> {
  // Party B's own notices (system) are not the customer's messages
  const where = ['contract_id = $1', 'NOT system'];
  const values: unknown[] = [filter.contractId];
  if (filter.status) where.push(`status = $${values.push(filter.status)}`);
  if (filter.submissionId) where.push(`submission_id = $${values.push(filter.submissionId)}`);
  if (filter.recipient) where.push(`recipient = $${values.push(filter.recipient)}`);
  const whereSql = where.join(' AND ');
  // the page alone (its LIMIT can stop the index walk early); the totals come from the count by status beside it
  const [page, counts] = await Promise.all([
    db.query(
      `SELECT ${MESSAGE.columns} FROM sms_messages WHERE ${whereSql}
        ORDER BY created_at DESC, submission_id, seq LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
      [...values, filter.limit, filter.offset],
    ),
    db.query(`SELECT status, count(*)::int AS n FROM sms_messages WHERE ${whereSql} GROUP BY status`, values),
  ]);
  const byStatus: Record<string, number> = {};
  let total = 0;
  for (const row of counts.rows) {
    byStatus[row.status as string] = row.n as number;
    total += row.n as number;
  }
  return { items: page.rows.map(MESSAGE.read), total, byStatus };
}

export type PartRow = { messageId: string; partNo: number; state: string; attempts: number; smscMessageId: string | null; smscStatus: string | null };

export async function listParts(db: Queryable, messageIds: string[]): Promise<PartRow[]> {
  const { rows } = await db.query(
    `SELECT message_id, part_no, state, attempts, smsc_message_id, smsc_status FROM sms_parts WHERE message_id = ANY($1::text[]) ORDER BY message_id, part_no`,
    [messageIds],
  );
  return rows.map((r) => ({ messageId: r.message_id, partNo: r.part_no, state: r.state, attempts: r.attempts, smscMessageId: r.smsc_message_id, smscStatus: r.smsc_status }));
}

// --- sending (the dispatch activity) -------------------------------------------------------

export type MessageToSend = { id: string; seq: number; recipient: string };

/** The next messages of the submission still to hand over, in request order (after `afterSeq`: the chunk after one still sending). */
export async function messagesToSend(db: Queryable, submissionId: string, limit: number, afterSeq = -1): Promise<MessageToSend[]> {
  const { rows } = await db.query(
    `SELECT id, seq, recipient FROM sms_messages WHERE submission_id = $1 AND status IN ('queued', 'held', 'sending') AND seq > $3 ORDER BY seq LIMIT $2`,
    [submissionId, limit, afterSeq],
  );
  return rows.map((r) => ({ id: r.id, seq: r.seq, recipient: r.recipient }));
}

export async function countMessagesToSend(db: Queryable, submissionId: string): Promise<number> {
  const { rows } = await db.query(`SELECT count(*)::int AS n FROM sms_messages WHERE submission_id = $1 AND status IN ('queued', 'held', 'sending')`, [submissionId]);
  return rows[0]!.n as number;
}

/**
 * Ends messages that never reached the SMSC (no part handed over) with the
 * given status, crediting their parts back to the contract year's quota
 * unless `refund` is false. Returns how many it ended.
 */
export async function endUnsentMessages(
  tx: Queryable,
  input: { messageIds?: string[]; submissionId?: string; onlySuppressed?: boolean; status: 'suppressed' | 'cancelled'; reason: string; refund: boolean },
): Promise<number> {
  const { rows } = await tx.query(
    `WITH target AS (
       SELECT m.id, m.contract_id, m.contract_year, m.debited_parts
         FROM sms_messages m JOIN contracts c ON c.id = m.contract_id
        WHERE ($1::text[] IS NULL OR m.id = ANY($1::text[]))
          AND ($2::text IS NULL OR m.submission_id = $2)
          AND m.status IN ('queued', 'held', 'sending')
          AND NOT EXISTS (SELECT 1 FROM sms_parts p WHERE p.message_id = m.id AND p.state <> 'pending')
          -- the message's suppression list (findSuppressed's rule): its organisation's code, or its exact name; Party B's own: the name
          AND (NOT $3
               OR EXISTS (SELECT 1 FROM sms_suppressions s
                           WHERE s.credit_code = (CASE WHEN m.system THEN NULL ELSE c.party_a_credit_code END) AND s.recipient = m.recipient)
               OR EXISTS (SELECT 1 FROM sms_suppressions s
                           WHERE s.customer = m.customer AND s.recipient = m.recipient
                             AND (s.credit_code IS NULL OR m.system OR c.party_a_credit_code IS NULL)))
        FOR UPDATE OF m
     ), ended AS (
       UPDATE sms_messages m SET status = $4, reason = $5, final_at = now(), debited_parts = CASE WHEN $6 THEN 0 ELSE m.debited_parts END
         FROM target t WHERE m.id = t.id RETURNING t.contract_id, t.contract_year, t.debited_parts
     )
     SELECT contract_id, contract_year, sum(debited_parts)::int AS parts, count(*)::int AS n FROM ended GROUP BY contract_id, contract_year`,
    [input.messageIds ?? null, input.submissionId ?? null, input.onlySuppressed ?? false, input.status, input.reason, input.refund],
  );
  let ended = 0;
  for (const row of rows) {
    ended += row.n as number;
    if (input.refund && (row.parts as number) > 0) {
      await tx.query('UPDATE sms_quota_usage SET used_parts = greatest(0, used_parts - $3) WHERE contract_id = $1 AND contract_year = $2', [
        row.contract_id,
        row.contract_year,
        row.parts,
      ]);
    }
  }
  return ended;
}

export type PartClaim = { messageId: string; partNo: number; ref: string; recipient: string };
export type ClaimedPart = { messageId: string; partNo: number };

/** Creates the parts as `submitting`, or takes back the ones a definite refusal left `pending`; `$1`…`$4` are the parts. */
const CLAIM_PARTS = `INSERT INTO sms_parts (message_id, part_no, ref, recipient, state, attempts, submitting_at)
     SELECT r.message_id, r.part_no, r.ref, r.recipient, 'submitting', 1, now()
       FROM unnest($1::text[], $2::int[], $3::text[], $4::text[]) AS r(message_id, part_no, ref, recipient)`;
const CLAIM_PARTS_CONFLICT = `ON CONFLICT (message_id, part_no) DO UPDATE
       SET state = 'submitting', attempts = sms_parts.attempts + 1, submitting_at = now(), last_error = NULL
       WHERE sms_parts.state = 'pending'
     RETURNING message_id, part_no`;

const claimValues = (parts: PartClaim[]) => [parts.map((p) => p.messageId), parts.map((p) => p.partNo), parts.map((p) => p.ref), parts.map((p) => p.recipient)];
const toClaimed = (rows: Record<string, unknown>[]): ClaimedPart[] => rows.map((r) => ({ messageId: r.message_id as string, partNo: r.part_no as number }));

/**
 * Claims parts for submitting: creates them, or takes back the ones a
 * definite refusal left `pending`. Returns only the parts this call claimed:
 * a part already submitted (or being submitted by another attempt) is never
 * handed over twice.
 */
export async function claimParts(db: Queryable, parts: PartClaim[]): Promise<ClaimedPart[]> {
  if (parts.length === 0) return [];
  const { rows } = await db.query(`${CLAIM_PARTS} ${CLAIM_PARTS_CONFLICT}`, claimValues(parts));
  return toClaimed(rows);
}

/**
 * Releases messages to the transport (`sending`, with the workflow time) and
 * claims their parts, in one statement: one round trip per group on the
 * dispatch's hot path, and never a claimed part of a message that is not
 * `sending`. Parts of messages no longer open (ended meanwhile) are not claimed.
 */
export async function releaseAndClaimParts(db: Queryable, input: { messageIds: string[]; releasedAt: string; parts: PartClaim[] }): Promise<ClaimedPart[]> {
  if (input.messageIds.length === 0) return [];
  const { rows } = await db.query(
    `WITH released AS (
       UPDATE sms_messages SET status = 'sending', released_at = COALESCE(released_at, $6)
        WHERE id = ANY($5::text[]) AND status IN ('queued', 'held', 'sending')
       RETURNING id
     )
     ${CLAIM_PARTS} JOIN released ON released.id = r.message_id
     ${CLAIM_PARTS_CONFLICT}`,
    [...claimValues(input.parts), input.messageIds, input.releasedAt],
  );
  return toClaimed(rows);
}

/** Moves the messages' parts in state `from` to `to`, saying why; how many moved. */
async function moveParts(db: Queryable, messageIds: string[], from: string, to: string, why: string): Promise<number> {
  const { rowCount } = await db.query(`UPDATE sms_parts SET state = $3, last_error = $4 WHERE message_id = ANY($1::text[]) AND state = $2`, [messageIds, from, to, why]);
  return rowCount ?? 0;
}

/** Parts left `submitting` by an attempt that died are ambiguous: the SMSC may have them. */
export function markStaleSubmittingUnknown(db: Queryable, messageIds: string[]): Promise<number> {
  return moveParts(db, messageIds, 'submitting', 'unknown', 'the attempt that submitted it ended without recording the answer');
}

export type PartResult = { messageId: string; partNo: number; state: 'submitted' | 'unknown' | 'pending' | 'failed'; smscMessageId: string | null; error: string | null };

/**
 * Records what the SMSC answered, then claims receipts that arrived before
 * their part was recorded; one transaction under the receipts lock.
 */
export async function recordPartResults(db: { withTransaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> }, results: PartResult[]): Promise<void> {
  if (results.length === 0) return;
  await db.withTransaction(async (tx) => {
    await lockReceipts(tx);
    await tx.query(
      `UPDATE sms_parts p
          SET state = r.state,
              smsc_message_id = COALESCE(r.smsc_id, p.smsc_message_id),
              last_error = r.error,
              submitted_at = CASE WHEN r.state = 'submitted' THEN now() ELSE p.submitted_at END,
              final_at = CASE WHEN r.state = 'failed' THEN now() ELSE NULL END
         FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[]) AS r(message_id, part_no, state, smsc_id, error)
        WHERE p.message_id = r.message_id AND p.part_no = r.part_no AND p.state IN ('submitting', 'unknown')`,
      [results.map((r) => r.messageId), results.map((r) => r.partNo), results.map((r) => r.state), results.map((r) => r.smscMessageId), results.map((r) => r.error)],
    );
    const accepted = results.filter((r) => r.smscMessageId !== null);
    if (accepted.length > 0) await claimOrphansOf(tx, accepted.map((r) => r.smscMessageId!), [...new Set(accepted.map((r) => r.messageId))]);
  });
}

/**
 * Orphan receipts for SMSC ids just recorded. Only these can have any: under
 * the receipts lock a receipt for an id already recorded matches its part,
 * so an orphan waits for exactly the write that records its id (looked up
 * by id, not by joining every part of the messages).
 */
async function claimOrphansOf(tx: Queryable, smscIds: string[], messageIds: string[]): Promise<void> {
  await tx.query(
    `WITH claimed AS (
       DELETE FROM sms_orphan_receipts o USING sms_parts p
        WHERE o.smsc_message_id = ANY($1::text[]) AND p.smsc_message_id = o.smsc_message_id AND p.message_id = ANY($2::text[]) AND p.state = 'submitted'
       RETURNING o.smsc_message_id, o.outcome, o.stat, o.error
     ), best AS (
       SELECT DISTINCT ON (smsc_message_id) * FROM claimed ORDER BY smsc_message_id, (outcome <> 'pending') DESC
     )
     UPDATE sms_parts p SET state = b.outcome, smsc_status = b.stat, last_error = b.error, final_at = now()
       FROM best b
      WHERE p.smsc_message_id = b.smsc_message_id AND p.message_id = ANY($2::text[]) AND p.state = 'submitted' AND b.outcome <> 'pending'`,
    [smscIds, messageIds],
  );
}

/**
 * Ambiguous parts of these messages take the receipts nobody claimed from
 * their recipient: the SMSC handles a link's PDUs in order, so the parts it
 * accepted before a drop are the earliest ones in flight; orphans are matched
 * to ambiguous parts in submission order. Returns how many parts are still
 * ambiguous.
 */
export async function adoptOrphanReceipts(db: { withTransaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> }, messageIds: string[]): Promise<number> {
  return db.withTransaction(async (tx) => {
    await lockReceipts(tx);
    const { rows: parts } = await tx.query(
      `SELECT p.message_id, p.part_no, p.recipient, p.submitting_at FROM sms_parts p JOIN sms_messages m ON m.id = p.message_id
        WHERE p.message_id = ANY($1::text[]) AND p.state = 'unknown' ORDER BY p.submitting_at, m.seq, p.part_no`,
      [messageIds],
    );
    if (parts.length === 0) return 0;
    const since = new Date(Math.min(...parts.map((p) => (p.submitting_at as Date).getTime())) - 60_000);
    const { rows: orphans } = await tx.query(
      `SELECT DISTINCT ON (smsc_message_id) smsc_message_id, stat, outcome, error, recipient FROM sms_orphan_receipts
        WHERE recipient = ANY($1::text[]) AND received_at >= $2 ORDER BY smsc_message_id, (outcome <> 'pending') DESC`,
      [[...new Set(parts.map((p) => p.recipient as string))], since],
    );
    if (orphans.length === 0) return parts.length;
    // oldest SMSC id first (SMSCs number their messages in acceptance order)
    orphans.sort((a, b) => String(a.smsc_message_id).localeCompare(String(b.smsc_message_id), 'en', { numeric: true }));
    const byRecipient = new Map<string, typeof orphans>();
    for (const o of orphans) byRecipient.set(o.recipient, [...(byRecipient.get(o.recipient) ?? []), o]);
    let left = 0;
    for (const part of parts) {
      const orphan = byRecipient.get(part.recipient)?.shift();
      if (!orphan) {
        left += 1;
        continue;
      }
      const final = orphan.outcome !== 'pending';
      await tx.query(
        `UPDATE sms_parts SET state = $3, smsc_message_id = $4, smsc_status = $5, last_error = $6, submitted_at = now(), final_at = $7
          WHERE message_id = $1 AND part_no = $2 AND state = 'unknown'`,
        [part.message_id, part.part_no, final ? orphan.outcome : 'submitted', orphan.smsc_message_id, orphan.stat, orphan.error, final ? new Date() : null],
      );
      await tx.query('DELETE FROM sms_orphan_receipts WHERE smsc_message_id = $1', [orphan.smsc_message_id]);
    }
    return left;
  });
}

/** Ambiguous parts still unresolved go back to `pending`, to be submitted again. */
export function releaseUnknownParts(db: Queryable, messageIds: string[]): Promise<number> {
  return moveParts(db, messageIds, 'unknown', 'pending', 'ambiguous submit with no receipt within the grace period: resubmitted');
}

/** Those of the messages still without an outcome and not handed over (a message can end while it waits in a chunk). */
export async function unsentMessageIds(db: Queryable, messageIds: string[]): Promise<Set<string>> {
  const { rows } = await db.query(`SELECT id FROM sms_messages WHERE id = ANY($1::text[]) AND status IN ('queued', 'held', 'sending')`, [messageIds]);
  return new Set(rows.map((r) => r.id as string));
}

export async function countPartsInState(db: Queryable, messageIds: string[], states: string[]): Promise<number> {
  const { rows } = await db.query('SELECT count(*)::int AS n FROM sms_parts WHERE message_id = ANY($1::text[]) AND state = ANY($2::text[])', [messageIds, states]);
  return rows[0]!.n as number;
}

export type FinalizedMessage = { id: string; submissionId: string; status: SmsMessageStatus };

/**
 * Derives each message's status from its parts (any failed → failed; all
 * delivered → delivered; all delivered or expired → expired; all handed over
 * → submitted) and returns the messages that just reached a final status.
 * Guarded, so exactly one writer moves a message to its final status.
 */
export async function refreshMessageStatuses(db: Queryable, messageIds: string[]): Promise<FinalizedMessage[]> {
  if (messageIds.length === 0) return [];
  const { rows } = await db.query(
    `WITH agg AS (
       SELECT m.id, m.parts,
              count(p.part_no) FILTER (WHERE p.state = 'failed') AS failed,
              count(p.part_no) FILTER (WHERE p.state = 'delivered') AS delivered,
              count(p.part_no) FILTER (WHERE p.state = 'expired') AS expired,
              count(p.part_no) FILTER (WHERE p.state IN ('submitted', 'unknown')) AS open
         FROM sms_messages m LEFT JOIN sms_parts p ON p.message_id = m.id
        WHERE m.id = ANY($1::text[]) AND m.status IN ('sending', 'submitted')
        GROUP BY m.id, m.parts
     ), next AS (
       SELECT id, CASE
                WHEN failed > 0 THEN 'failed'
                WHEN delivered = parts THEN 'delivered'
                WHEN delivered + expired = parts THEN 'expired'
                WHEN delivered + expired + open = parts THEN 'submitted'
              END AS status
         FROM agg
     )
     UPDATE sms_messages m
        SET status = n.status,
            submitted_at = COALESCE(m.submitted_at, now()),
            final_at = CASE WHEN n.status IN ('delivered', 'failed', 'expired') THEN now() ELSE NULL END
       FROM next n
      WHERE m.id = n.id AND n.status IS NOT NULL AND n.status <> m.status AND m.status IN ('sending', 'submitted')
      RETURNING m.id, m.submission_id, m.status`,
    [messageIds],
  );
  return rows
    .filter((r) => ['delivered', 'failed', 'expired'].includes(r.status))
    .map((r) => ({ id: r.id as string, submissionId: r.submission_id as string, status: r.status as SmsMessageStatus }));
}

/** Messages of the submission the dispatcher still owes an outcome. */
export async function countOpenMessages(db: Queryable, submissionId: string): Promise<number> {
  const { rows } = await db.query(
    `SELECT count(*)::int AS n FROM sms_messages WHERE submission_id = $1 AND status IN ('queued', 'held', 'sending', 'submitted')`,
    [submissionId],
  );
  return rows[0]!.n as number;
}

/** No receipt within the validity: the submission's handed-over parts without an outcome expire. */
export async function expireOpenParts(db: { withTransaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> }, submissionId: string): Promise<FinalizedMessage[]> {
  return db.withTransaction(async (tx) => {
    await lockReceipts(tx);
    const { rows } = await tx.query(
      `UPDATE sms_parts p SET state = 'expired', smsc_status = COALESCE(p.smsc_status, 'NO_RECEIPT'), final_at = now()
         FROM sms_messages m
        WHERE m.id = p.message_id AND m.submission_id = $1 AND m.status = 'submitted' AND p.state IN ('submitted', 'unknown')
        RETURNING p.message_id`,
      [submissionId],
    );
    return refreshMessageStatuses(tx, [...new Set(rows.map((r) => r.message_id as string))]);
  });
}

// --- receipts (the receiver) --------------------------------------------------------------

export type IncomingReceipt = { smscMessageId: string; outcome: 'delivered' | 'failed' | 'expired' | 'pending'; stat: string; error: string | null; recipient: string | null };

/**
 * Applies delivery receipts: a part with that SMSC id and no outcome yet takes
 * it; a receipt for an id no part has (yet) is kept as an orphan; a repeated
 * receipt changes nothing. Returns the messages that reached a final status.
 */
export async function applyReceipts(db: { withTransaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> }, receipts: IncomingReceipt[]): Promise<FinalizedMessage[]> {
  if (receipts.length === 0) return [];
  return db.withTransaction(async (tx) => {
    await lockReceipts(tx);
    // one statement: final receipts go to their parts, those for ids no part has (yet) are kept as orphans
    // (the update does not change which ids parts have, so both halves see the same answer to that)
    const { rows: updated } = await tx.query(
      `WITH r AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS r(id, outcome, stat, error, recipient)
       ), updated AS (
         UPDATE sms_parts p SET state = r.outcome, smsc_status = r.stat, last_error = r.error, final_at = now()
           FROM r
          WHERE p.smsc_message_id = r.id AND r.outcome <> 'pending' AND p.state IN ('submitted', 'unknown')
          RETURNING p.message_id
       ), kept AS (
         INSERT INTO sms_orphan_receipts (smsc_message_id, stat, outcome, error, recipient)
         SELECT r.id, r.stat, r.outcome, r.error, r.recipient FROM r
          WHERE NOT EXISTS (SELECT 1 FROM sms_parts p WHERE p.smsc_message_id = r.id)
         ON CONFLICT DO NOTHING
       )
       SELECT DISTINCT message_id FROM updated`,
      [receipts.map((r) => r.smscMessageId), receipts.map((r) => r.outcome), receipts.map((r) => r.stat), receipts.map((r) => r.error), receipts.map((r) => r.recipient)],
    );
    return refreshMessageStatuses(tx, [...new Set(updated.map((r) => r.message_id as string))]);
  });
}

/** Orphans older than this are forgotten (their parts expired long ago). */
export async function purgeOrphanReceipts(db: Queryable, olderThanMs: number): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM sms_orphan_receipts WHERE received_at < now() - make_interval(secs => $1)', [olderThanMs / 1000]);
  return rowCount ?? 0;
}

// --- inbound ---------------------------------------------------------------------

export async function recordInbound(
  db: Queryable,
  input: { id: string; source: string; destination: string; customer: string | null; contractId: string | null; optOut: boolean; matched: string | null },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO sms_inbound (id, source, destination, customer, contract_id, opt_out, matched) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
    [input.id, input.source, input.destination, input.customer, input.contractId, input.optOut, input.matched],
  );
  return rowCount === 1;
}

// --- reconciliation -----------------------------------------------------------------

export type LedgerRow = { date: string; status: SmsMessageStatus; messages: number; parts: number; debitedParts: number };

/**
 * Per Asia/Shanghai day and status: messages, parts and parts debited. A
 * message counts on the day it was handed to the SMSC, or the day it was
 * submitted when it never left.
 */
export async function ledger(db: Queryable, input: { contractId: string; from: string; to: string }): Promise<LedgerRow[]> {
  const { rows } = await db.query(
    `SELECT to_char(COALESCE(released_at, created_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day, status,
            count(*)::int AS messages, sum(parts)::int AS parts, sum(debited_parts)::int AS debited
       FROM sms_messages
      WHERE contract_id = $1 AND NOT system
        AND COALESCE(released_at, created_at) >= ($2::date::timestamp AT TIME ZONE 'Asia/Shanghai')
        AND COALESCE(released_at, created_at) < (($3::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
      GROUP BY 1, 2 ORDER BY 1, 2`,
    [input.contractId, input.from, input.to],
  );
  return rows.map((r) => ({ date: r.day, status: r.status, messages: r.messages, parts: r.parts, debitedParts: r.debited }));
}
