/**
 * SMS dispatch activities over the worker's one SMPP transport.
 *
 * Exactly once per part. Every part has a reference derived from the
 * workflow, the message and the part number (`sms_parts.ref`), and a state in
 * Postgres that is written before and after the SMSC sees it:
 *
 *   claim (pending → submitting, committed) → submit_sm → record the answer:
 *     accepted          → submitted, with the SMSC's message id
 *     refused for now   → pending (throttled past the transport's retries,
 *                         queue timeout, no link): the activity fails and
 *                         Temporal retries it; the retry claims it again
 *     refused for good  → failed
 *     ambiguous         → unknown (the link dropped or no answer came: the
 *                         SMSC may or may not have it)
 *
 * A retried activity never submits a part that is `submitted`, `submitting`
 * or `unknown`: only `pending` parts can be claimed, by one attempt.
 *
 * Ambiguity is resolved with delivery receipts, which the SMSC sends for
 * every message it accepted (registered_delivery = 1): once the link is back,
 * a receipt for an id no part has, from the same recipient, is adopted by the
 * earliest ambiguous part (an SMSC handles a link's PDUs in order, so what it
 * accepted before a drop is the start of what was in flight). A part still
 * without a receipt after the grace period (SMS_AMBIGUOUS_GRACE_SECONDS) was
 * most likely never taken: with the default policy `resubmit` it is submitted
 * again (at least once: a late receipt would mean a duplicate), with `hold`
 * it stays `unknown` (at most once: it ends `expired` unless a receipt comes).
 * Parts left `submitting` by an attempt that died are treated the same way.
 *
 * Quota was debited at submission; messages that never reach the SMSC
 * (the number opted out since, or the dispatch was cancelled) are credited
 * back. A frozen contract sends nothing more (its package is forfeited).
 *
 * Logs carry ids and counts, never numbers or text.
 */
import { setMaxListeners } from 'node:events';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { appendAudit } from '../db/audit';
import { findContract } from '../db/contracts';
import {
  adoptOrphanReceipts,
  claimParts,
  countMessagesToSend,
  countOpenMessages,
  countPartsInState,
  endUnsentMessages,
  expireOpenParts,
  findSubmission,
  holdMessages,
  markSending,
  markStaleSubmittingUnknown,
  messagesToSend,
  recordPartResults,
  refreshMessageStatuses,
  releaseUnknownParts,
  type PartClaim,
  type PartResult,
} from '../db/sms';
import { concatReferenceOf, partRefOf } from '../domain/sms/dispatch';
import { loadSmsSettings } from '../platform/sms-config';
import { createSmsGatewayFromEnv, type SmsGateway } from '../sms/gateway';
import { ensureSmsReceiver } from '../sms/receiver';
import { planParts, SmppSubmitError, type SmppLogger, type SubmitPart } from '../sms/smpp-client';
import type { ActivityDeps } from './deps';

const RESUBMIT_ROUNDS = 5;

export type SendChunkInput = {
  submissionId: string;
  /** workflow time the chunk was released */
  releasedAt: string;
  /** the sending window closes then (workflow time); no new message is handed over after it. null: any hour (permit) */
  windowEndsAt?: string | null;
};
/** messages claimed per statement; the next group is claimed while the previous one is on the wire */
const CLAIM_GROUP = 100;

function smppLoggerOf(logger: ActivityDeps['logger']): SmppLogger | undefined {
  if (!logger) return undefined;
  const child = logger.child({ component: 'smpp' });
  return {
    debug: (fields, message) => child.debug(fields, message),
    info: (fields, message) => child.info(fields, message),
    warn: (fields, message) => child.warn(fields, message),
    error: (fields, message) => child.error(fields, message),
  };
}

export function createSmsActivities(deps: ActivityDeps) {
  const { db } = deps;
  let gateway: SmsGateway | undefined;

  const attach = (g: SmsGateway) => {
    ensureSmsReceiver({ db, transport: g.transport, ...(deps.temporal ? { temporal: deps.temporal } : {}), ...(smppLoggerOf(deps.logger) ? { logger: smppLoggerOf(deps.logger)! } : {}), flushMs: g.settings.receiptFlushMs });
    return g;
  };
  // a transport made here is closed here: once the worker drains on SIGTERM/SIGINT (its open link would keep the process alive)
  let sending = 0;
  let draining = false;
  const closeIfDrained = () => {
    if (draining && sending === 0 && gateway?.ownsTransport) void gateway.transport.close();
  };
  const onSignal = () => {
    draining = true;
    closeIfDrained();
    setTimeout(() => void gateway?.transport.close(), 25_000).unref();
  };
  const gatewayOf = (): SmsGateway => {
    if (!gateway) {
      gateway = attach(deps.sms ?? createSmsGatewayFromEnv(smppLoggerOf(deps.logger)));
      if (gateway.ownsTransport) {
        process.once('SIGTERM', onSignal);
        process.once('SIGINT', onSignal);
      }
    }
    return gateway;
  };
  if (deps.sms) {
    gatewayOf();
  } else if (loadSmsSettings().smppUrlConfigured) {
    // a configured SMSC: bind now, so MO replies (opt-outs) and receipts flow before the first send
    const { transport } = gatewayOf();
    transport.start().catch((error: unknown) => deps.logger?.warn({ err: (error as Error).message }, 'smpp transport did not start'));
  }

  const log = (fields: Record<string, unknown>, message: string) => deps.logger?.info(fields, message);

  /** Waits for a promise while heartbeating; throws if the activity is cancelled. */
  async function heartbeating<T>(work: Promise<T>): Promise<T> {
    const ctx = Context.current();
    const beat = setInterval(() => ctx.heartbeat(), 2_000);
    try {
      return await Promise.race([work, ctx.cancelled as Promise<never>]);
    } finally {
      clearInterval(beat);
    }
  }

  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** Submits the claimed parts (the transport windows them), recording answers as they come. */
  async function submitClaimed(planned: Map<string, SubmitPart>, claimed: { messageId: string; partNo: number }[]): Promise<PartResult[]> {
    const { transport } = gatewayOf();
    // one abort listener per queued part: a chunk has hundreds
    const aborter = new AbortController();
    setMaxListeners(0, aborter.signal);
    const cancellation = Context.current().cancellationSignal;
    const forward = () => aborter.abort();
    if (cancellation.aborted) aborter.abort();
    else cancellation.addEventListener('abort', forward, { once: true });
    const signal = aborter.signal;
    const all: PartResult[] = [];
    let buffer: PartResult[] = [];
    let writes: Promise<void> = Promise.resolve();
    const flush = () => {
      if (buffer.length === 0) return;
      const batch = buffer;
      buffer = [];
      writes = writes.then(() => recordPartResults(db, batch));
    };
    const ticker = setInterval(flush, 50);
    try {
      await heartbeating(
        Promise.all(
          claimed.map(async ({ messageId, partNo }) => {
            const part = planned.get(`${messageId}#${partNo}`)!;
            let result: PartResult;
            try {
              const { messageId: smscId } = await transport.submit(part, { signal });
              result = { messageId, partNo, state: 'submitted', smscMessageId: smscId, error: null };
            } catch (error) {
              if (error instanceof SmppSubmitError) {
                const state = error.ambiguous ? 'unknown' : error.retryable ? 'pending' : 'failed';
                result = { messageId, partNo, state, smscMessageId: null, error: `${error.code}: ${error.message}`.slice(0, 300) };
              } else {
                result = { messageId, partNo, state: 'failed', smscMessageId: null, error: String((error as Error).message ?? error).slice(0, 300) };
              }
            }
            all.push(result);
            buffer.push(result);
            if (buffer.length >= 200) flush();
          }),
        ),
      );
    } finally {
      cancellation.removeEventListener('abort', forward);
      clearInterval(ticker);
      flush();
      await writes;
    }
    return all;
  }

  /** Ambiguous parts: adopt receipts, wait the grace period for more, then apply the policy. */
  async function resolveAmbiguous(messageIds: string[], planned: Map<string, SubmitPart>, all: PartClaim[]): Promise<void> {
    const { transport, settings } = gatewayOf();
    for (let round = 0; round < RESUBMIT_ROUNDS; round++) {
      let left = await adoptOrphanReceipts(db, messageIds);
      if (left === 0) return;
      // receipts flow over a bound link only
      await heartbeating(transport.start());
      const until = Date.now() + settings.ambiguousGraceMs;
      while (left > 0 && Date.now() < until) {
        await heartbeating(pause(100));
        left = await adoptOrphanReceipts(db, messageIds);
      }
      if (left === 0) return;
      if (settings.ambiguousPolicy === 'hold') {
        log({ messages: messageIds.length, unknownParts: left }, 'sms ambiguous parts kept as unknown (policy hold)');
        return;
      }
      const released = await releaseUnknownParts(db, messageIds);
      log({ parts: released, round: round + 1 }, 'sms ambiguous parts without a receipt: resubmitting');
      const claimed = await claimParts(db, all);
      await submitClaimed(planned, claimed);
    }
  }

  /** One chunk, exactly once per part (see the header). */
  async function sendChunk(input: SendChunkInput): Promise<{ handedOver: number; ended: number; remaining: number }> {
    const { settings } = gatewayOf();
    // the window is on Temporal's clock: the attempt's scheduled time plus the time spent here
    const scheduledAt = Context.current().info.currentAttemptScheduledTimestampMs;
    const startedAt = Date.now();
    const closesAt = input.windowEndsAt ? Date.parse(input.windowEndsAt) : Infinity;
    const windowOpen = () => scheduledAt + (Date.now() - startedAt) < closesAt;
    const submission = await findSubmission(db, input.submissionId);
    if (!submission) throw ApplicationFailure.nonRetryable(`submission ${input.submissionId} not found`, 'NOT_FOUND');
    const contract = await findContract(db, submission.contractId);
    // Party B's own notices (system) still go out under a frozen contract: they are owed to the parties
    if (contract?.status === 'frozen' && !submission.system) {
      const ended = await db.withTransaction(async (tx) => {
        const n = await endUnsentMessages(tx, { submissionId: submission.id, status: 'cancelled', reason: 'contract_frozen', refund: false });
        if (n > 0) await appendAudit(tx, { type: 'sms.cancelled', contractId: submission.contractId, actor: { id: 'system:sms', role: 'system' }, data: { submissionId: submission.id, messages: n, reason: 'contract_frozen' } });
        return n;
      });
      log({ submissionId: submission.id, ended }, 'sms not sent: the contract is frozen');
      return { handedOver: 0, ended, remaining: 0 };
    }

    const batch = await messagesToSend(db, submission.id, settings.chunkMessages);
    if (batch.length === 0) return { handedOver: 0, ended: 0, remaining: 0 };
    if (!windowOpen()) return { handedOver: 0, ended: 0, remaining: await countMessagesToSend(db, submission.id) };
    // a number may have opted out since the submission
    const ended = await db.withTransaction((tx) =>
      endUnsentMessages(tx, { messageIds: batch.map((m) => m.id), onlySuppressed: true, status: 'suppressed', reason: 'opted_out_before_sending', refund: true }),
    );
    const { rows: stillOpen } = await db.query(`SELECT id FROM sms_messages WHERE id = ANY($1::text[]) AND status IN ('queued', 'held', 'sending')`, [batch.map((m) => m.id)]);
    const openIds = new Set(stillOpen.map((r) => r.id as string));
    const messages = batch.filter((m) => openIds.has(m.id));
    const ids = messages.map((m) => m.id);
    const stale = await markStaleSubmittingUnknown(db, ids);

    const planned = new Map<string, SubmitPart>();
    const claimsOf = new Map<string, PartClaim[]>();
    for (const message of messages) {
      const parts = planParts({ source: submission.sourceAddr, destination: message.recipient, text: submission.content, reference: concatReferenceOf(message.id), correlationId: message.id });
      claimsOf.set(
        message.id,
        parts.map((part, index) => {
          planned.set(`${message.id}#${index + 1}`, part);
          return { messageId: message.id, partNo: index + 1, ref: partRefOf(submission.id, message.seq, index + 1), recipient: message.recipient };
        }),
      );
    }
    // groups of whole messages (a message's parts never straddle a closing window); the next group is
    // claimed while the transport is still sending the previous one, so the SMPP window never waits for Postgres
    const sendingGroups: Promise<PartResult[]>[] = [];
    const released: string[] = [];
    let claimedParts = 0;
    for (let at = 0; at < messages.length; at += CLAIM_GROUP) {
      if (!windowOpen()) break;
      const group = ids.slice(at, at + CLAIM_GROUP);
      await markSending(db, group, input.releasedAt);
      const claimed = await claimParts(db, group.flatMap((id) => claimsOf.get(id)!));
      claimedParts += claimed.length;
      released.push(...group);
      sendingGroups.push(submitClaimed(planned, claimed));
    }
    const results = (await Promise.all(sendingGroups)).flat();
    const ambiguous = results.filter((r) => r.state === 'unknown').length + stale;
    if (ambiguous > 0 || (await countPartsInState(db, ids, ['unknown'])) > 0) await resolveAmbiguous(released, planned, released.flatMap((id) => claimsOf.get(id)!));

    await refreshMessageStatuses(db, released);
    const pending = await countPartsInState(db, released, ['pending']);
    const accepted = results.filter((r) => r.state === 'submitted').length;
    log({ submissionId: submission.id, messages: released.length, parts: claimedParts, accepted, ambiguous, pending, suppressed: ended }, 'sms chunk handed over');
    if (pending > 0) {
      // refused for now (throttling past the transport's retries, no link): Temporal retries; pending parts are claimed again
      throw ApplicationFailure.retryable(`${pending} parts were not accepted by the SMSC yet`, 'SMS_NOT_ACCEPTED_YET');
    }
    return { handedOver: released.length, ended, remaining: await countMessagesToSend(db, submission.id) };
  }

  return {
    /** The window is closed: the submission's queued messages are held until `sendAt`. */
    async holdSms(input: { submissionId: string; sendAt: string; reason: string }): Promise<number> {
      const held = await holdMessages(db, input.submissionId, input.sendAt);
      log({ submissionId: input.submissionId, held }, 'sms held until the window opens');
      return held;
    },

    /**
     * Hands the next chunk of the submission's messages to the SMSC, each part
     * exactly once; resolves once every part's answer is recorded.
     */
    async sendSmsChunk(input: SendChunkInput): Promise<{ handedOver: number; ended: number; remaining: number }> {
      sending += 1;
      try {
        return await sendChunk(input);
      } finally {
        sending -= 1;
        closeIfDrained();
      }
    },

    /** Messages of the submission still without an outcome. */
    async countOpenSms(input: { submissionId: string }): Promise<number> {
      return countOpenMessages(db, input.submissionId);
    },

    /** The validity ran out: handed-over parts without a receipt expire. */
    async expireSms(input: { submissionId: string }): Promise<number> {
      const expired = await expireOpenParts(db, input.submissionId);
      log({ submissionId: input.submissionId, expired: expired.length }, 'sms expired without a receipt');
      return expired.length;
    },

    /** Ends the messages not yet handed over and credits their parts back. */
    async cancelSms(input: { submissionId: string; reason: string; actorId: string }): Promise<number> {
      const submission = await findSubmission(db, input.submissionId);
      if (!submission) return 0;
      return db.withTransaction(async (tx) => {
        const n = await endUnsentMessages(tx, { submissionId: input.submissionId, status: 'cancelled', reason: input.reason, refund: true });
        await appendAudit(tx, { type: 'sms.cancelled', contractId: submission.contractId, actor: { id: input.actorId, role: 'system' }, data: { submissionId: input.submissionId, messages: n, reason: input.reason } });
        return n;
      });
    },
  };
}
