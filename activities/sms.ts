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
 * Postgres stays off the SMPP window's path: a group of messages is claimed
 * (one statement) while the groups before it are on the wire, and answers are
 * written in batches as they come. A crash anywhere in between loses nothing:
 * a claimed part whose answer was not written is `submitting` to the next
 * attempt, that is ambiguous, never sent again blindly.
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
 * back. A frozen contract sends nothing more (its package is forfeited), nor
 * does any other contract of its organisation (their parts are credited back).
 *
 * Logs carry ids and counts, never numbers or text.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { appendAudit } from '../db/audit';
import { findContract, type ContractRow } from '../db/contracts';
import { findOrganisationFreeze } from '../db/organisations';
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
  markStaleSubmittingUnknown,
  messagesToSend,
  recordPartResults,
  refreshMessageStatuses,
  releaseAndClaimParts,
  releaseUnknownParts,
  unsentMessageIds,
  type ClaimedPart,
  type MessageToSend,
  type PartClaim,
  type PartResult,
  type SubmissionRow,
} from '../db/sms';
import { concatReferenceOf, partRefOf } from '../domain/sms/dispatch';
import { createSmsGatewayFromSettings, type SmsGateway } from '../sms/gateway';
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
/** messages released and claimed per statement (each one a commit) */
const CLAIM_GROUP = 250;
/**
 * Parts claimed and not answered yet, at most, when the next group is
 * claimed: enough to keep the SMPP window full across a claim's round trip,
 * few enough that a crash leaves little to resolve as ambiguous (a claimed
 * part the link never carried is `unknown` to the next attempt).
 */
const CLAIM_AHEAD_PARTS = 1_000;
/** answers written per statement at most, and how long an answer waits for others to share its write */
const RESULT_BATCH = 1_000;
const RESULT_FLUSH_MS = 20;
/**
 * One attempt takes chunk after chunk for this long, each read while the one
 * before is on the wire (no pause between chunks); the workflow applies a
 * cancel between activities, so it still takes effect within about this long.
 */
const CHUNK_RUN_MS = 10_000;

/** a message's parts as submitted, by message id (part n at index n - 1) */
type Planned = Map<string, SubmitPart[]>;

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
      gateway = attach(deps.sms ?? createSmsGatewayFromSettings(deps.smsSettings, smppLoggerOf(deps.logger)));
      if (gateway.ownsTransport) {
        process.once('SIGTERM', onSignal);
        process.once('SIGINT', onSignal);
      }
    }
    return gateway;
  };
  if (deps.sms) {
    gatewayOf();
  } else if (deps.smsSettings.smppUrlConfigured) {
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

  /** What a refused or unanswered submit makes of the part. */
  function refusedResult({ messageId, partNo }: ClaimedPart, error: unknown): PartResult {
    if (error instanceof SmppSubmitError) {
      const state = error.ambiguous ? 'unknown' : error.retryable ? 'pending' : 'failed';
      return { messageId, partNo, state, smscMessageId: null, error: `${error.code}: ${error.message}`.slice(0, 300) };
    }
    return { messageId, partNo, state: 'failed', smscMessageId: null, error: String((error as Error)?.message ?? error).slice(0, 300) };
  }

  /**
   * Answers are written in batches, one write at a time: every write takes the
   * receipts lock, so one writer per attempt instead of one per group keeps
   * the pool's connections for the claims and the receiver.
   */
  function resultWriter() {
    let buffer: PartResult[] = [];
    let timer: NodeJS.Timeout | undefined;
    let writing: Promise<void> | undefined;
    let failure: unknown;
    const writeAll = async () => {
      while (buffer.length > 0 && failure === undefined) {
        const batch = buffer.slice(0, RESULT_BATCH);
        buffer = buffer.slice(batch.length);
        // a failed write leaves its parts `submitting`: the next attempt resolves them as ambiguous, never resubmits them blindly
        await recordPartResults(db, batch).catch((error: unknown) => (failure = error));
      }
    };
    const flush = () => {
      clearTimeout(timer);
      timer = undefined;
      if (writing || buffer.length === 0 || failure !== undefined) return;
      writing = writeAll().then(() => {
        writing = undefined;
        flush();
      });
    };
    return {
      add(result: PartResult) {
        buffer.push(result);
        if (buffer.length >= RESULT_BATCH) flush();
        else timer ??= setTimeout(flush, RESULT_FLUSH_MS);
      },
      /** resolves once everything added so far is written; throws if a write failed */
      async written(): Promise<void> {
        flush();
        while (writing) await writing;
        if (failure !== undefined) throw failure;
      },
    };
  }

  /**
   * Hands claimed parts to the transport (which windows them) and records each
   * answer as it comes. Cancelling the activity aborts the parts still queued
   * (they go back to `pending`, never sent).
   */
  function partSender() {
    const { transport } = gatewayOf();
    const writer = resultWriter();
    const results: PartResult[] = [];
    let unanswered = 0;
    let waiters: { limit: number; resolve: () => void }[] = [];
    const aborter = new AbortController();
    const ctx = Context.current();
    const cancellation = ctx.cancellationSignal;
    const forward = () => aborter.abort();
    if (cancellation.aborted) aborter.abort();
    else cancellation.addEventListener('abort', forward, { once: true });
    // the attempt's waits are short and many: beat for all of them
    const beat = setInterval(() => ctx.heartbeat(), 2_000);

    const answered = (result: PartResult) => {
      results.push(result);
      writer.add(result);
      unanswered -= 1;
      if (waiters.length === 0) return;
      const ready = waiters.filter((w) => unanswered <= w.limit);
      waiters = waiters.filter((w) => unanswered > w.limit);
      for (const w of ready) w.resolve();
    };
    /** resolves once at most `limit` parts await their answer */
    const roomFor = (limit: number) => (unanswered <= limit ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ limit, resolve })));

    return {
      send(planned: Planned, claimed: ClaimedPart[]): void {
        unanswered += claimed.length;
        for (const claim of claimed) {
          transport.submit(planned.get(claim.messageId)![claim.partNo - 1]!, { signal: aborter.signal }).then(
            (accepted) => answered({ ...claim, state: 'submitted', smscMessageId: accepted.messageId, error: null }),
            (error: unknown) => answered(refusedResult(claim, error)),
          );
        }
      },
      roomFor,
      /** every part answered and its answer written; the answers so far */
      async settled(): Promise<PartResult[]> {
        await roomFor(0);
        await writer.written();
        return [...results];
      },
      close(): void {
        clearInterval(beat);
        cancellation.removeEventListener('abort', forward);
      },
    };
  }
  type PartSender = ReturnType<typeof partSender>;

  /** Ambiguous parts: adopt receipts, wait the grace period for more, then apply the policy. */
  async function resolveAmbiguous(sender: PartSender, messageIds: string[], planned: Planned, all: PartClaim[]): Promise<void> {
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
      sender.send(planned, await claimParts(db, all));
      await heartbeating(sender.settled());
    }
  }

  type Chunk = { messages: MessageToSend[]; planned: Planned; claimsOf: Map<string, PartClaim[]>; ended: number; stale: number; lastSeq: number };

  /** A chunk read for sending: numbers opted out since are ended (credited), parts left `submitting` by a dead attempt become ambiguous, the rest is planned. */
  async function prepareChunk(submission: SubmissionRow, batch: MessageToSend[]): Promise<Chunk> {
    const ended = await db.withTransaction((tx) =>
      endUnsentMessages(tx, { messageIds: batch.map((m) => m.id), onlySuppressed: true, status: 'suppressed', reason: 'opted_out_before_sending', refund: true }),
    );
    const openIds = await unsentMessageIds(db, batch.map((m) => m.id));
    const messages = batch.filter((m) => openIds.has(m.id));
    const stale = await markStaleSubmittingUnknown(db, messages.map((m) => m.id));
    const planned: Planned = new Map();
    const claimsOf = new Map<string, PartClaim[]>();
    for (const message of messages) {
      const parts = planParts({ source: submission.sourceAddr, destination: message.recipient, text: submission.content, reference: concatReferenceOf(message.id), correlationId: message.id });
      planned.set(message.id, parts);
      claimsOf.set(
        message.id,
        parts.map((_, index) => ({ messageId: message.id, partNo: index + 1, ref: partRefOf(submission.id, message.seq, index + 1), recipient: message.recipient })),
      );
    }
    return { messages, planned, claimsOf, ended, stale, lastSeq: batch[batch.length - 1]!.seq };
  }

  /** The chunk after `afterSeq`, prepared; null when nothing is left. */
  async function nextChunk(submission: SubmissionRow, afterSeq: number): Promise<Chunk | null> {
    const batch = await messagesToSend(db, submission.id, gatewayOf().settings.chunkMessages, afterSeq);
    return batch.length === 0 ? null : prepareChunk(submission, batch);
  }

  /**
   * Releases the chunk's messages group by group (whole messages: a message's
   * parts never straddle a closing window), claiming a group only once the
   * parts ahead of it are few: the SMPP window never waits for Postgres, and
   * little is claimed that the link has not carried yet. False when the
   * window closed before the whole chunk was released.
   */
  async function releaseChunk(sender: PartSender, chunk: Chunk, releasedAt: string, windowOpen: () => boolean, released: string[]): Promise<boolean> {
    for (let at = 0; at < chunk.messages.length; at += CLAIM_GROUP) {
      await heartbeating(sender.roomFor(CLAIM_AHEAD_PARTS));
      if (!windowOpen()) return false;
      const group = chunk.messages.slice(at, at + CLAIM_GROUP).map((m) => m.id);
      const claimed = await releaseAndClaimParts(db, { messageIds: group, releasedAt, parts: group.flatMap((id) => chunk.claimsOf.get(id)!) });
      released.push(...group);
      sender.send(chunk.planned, claimed);
    }
    return true;
  }

  /** Chunks back to back for up to CHUNK_RUN_MS, each read and prepared while the one before is on the wire. */
  async function releaseChunks(sender: PartSender, submission: SubmissionRow, first: Chunk, input: SendChunkInput, windowOpen: () => boolean) {
    const chunks: Chunk[] = [];
    const released: string[] = [];
    const runUntil = Date.now() + CHUNK_RUN_MS;
    let chunk: Chunk | null = first;
    while (chunk) {
      chunks.push(chunk);
      const upcoming: Promise<Chunk | null> = Date.now() < runUntil ? nextChunk(submission, chunk.lastSeq) : Promise.resolve(null);
      // awaited below in every case; until then a failure must not count as unhandled
      upcoming.catch(() => undefined);
      const whole = await releaseChunk(sender, chunk, input.releasedAt, windowOpen, released);
      const next: Chunk | null = await upcoming;
      chunk = whole ? next : null;
    }
    return { chunks, released };
  }

  /**
   * Whether the contract's messages stop for good: the contract frozen (its
   * package is forfeited: nothing credited back), or another contract of its
   * organisation frozen (a freeze binds the organisation, db/organisations.ts;
   * this contract keeps its package: the parts are credited back).
   */
  async function frozenStop(contract: ContractRow): Promise<{ reason: 'contract_frozen' | 'organisation_frozen'; refund: boolean } | null> {
    if (contract.status === 'frozen') return { reason: 'contract_frozen', refund: false };
    const freeze = await findOrganisationFreeze(db, { creditCode: contract.partyACreditCode, name: contract.partyAName });
    if (!freeze) return null;
    return freeze.contractId === contract.id ? { reason: 'contract_frozen', refund: false } : { reason: 'organisation_frozen', refund: true };
  }

  /** Chunks from the submission's next open message on, each part exactly once (see the header). */
  async function sendChunk(input: SendChunkInput): Promise<{ handedOver: number; ended: number; remaining: number }> {
    // the window is on Temporal's clock: the attempt's scheduled time plus the time spent here
    const scheduledAt = Context.current().info.currentAttemptScheduledTimestampMs;
    const startedAt = Date.now();
    const closesAt = input.windowEndsAt ? Date.parse(input.windowEndsAt) : Infinity;
    const windowOpen = () => scheduledAt + (Date.now() - startedAt) < closesAt;
    const submission = await findSubmission(db, input.submissionId);
    if (!submission) throw ApplicationFailure.nonRetryable(`submission ${input.submissionId} not found`, 'NOT_FOUND');
    const contract = await findContract(db, submission.contractId);
    // Party B's own notices (system) still go out under a frozen contract: they are owed to the parties
    const stop = contract && !submission.system ? await frozenStop(contract) : null;
    if (stop) {
      const ended = await db.withTransaction(async (tx) => {
        const n = await endUnsentMessages(tx, { submissionId: submission.id, status: 'cancelled', reason: stop.reason, refund: stop.refund });
        if (n > 0) await appendAudit(tx, { type: 'sms.cancelled', contractId: submission.contractId, actor: { id: 'system:sms', role: 'system' }, data: { submissionId: submission.id, messages: n, reason: stop.reason } });
        return n;
      });
      log({ submissionId: submission.id, ended, reason: stop.reason }, 'sms not sent: the account is frozen');
      return { handedOver: 0, ended, remaining: 0 };
    }

    if (!windowOpen()) return { handedOver: 0, ended: 0, remaining: await countMessagesToSend(db, submission.id) };
    const first = await nextChunk(submission, -1);
    if (!first) return { handedOver: 0, ended: 0, remaining: 0 };

    const sender = partSender();
    try {
      const { chunks, released } = await releaseChunks(sender, submission, first, input, windowOpen);
      const results = await heartbeating(sender.settled());
      const ids = chunks.flatMap((c) => c.messages.map((m) => m.id));
      const ended = chunks.reduce((sum, c) => sum + c.ended, 0);
      const ambiguous = results.filter((r) => r.state === 'unknown').length + chunks.reduce((sum, c) => sum + c.stale, 0);
      if (ambiguous > 0 || (await countPartsInState(db, ids, ['unknown'])) > 0) {
        const planned = new Map(chunks.flatMap((c) => [...c.planned]));
        const claimsOf = new Map(chunks.flatMap((c) => [...c.claimsOf]));
        await resolveAmbiguous(sender, released, planned, released.flatMap((id) => claimsOf.get(id)!));
      }

      await refreshMessageStatuses(db, released);
      const pending = await countPartsInState(db, released, ['pending']);
      const accepted = results.filter((r) => r.state === 'submitted').length;
      log({ submissionId: submission.id, messages: released.length, parts: results.length, accepted, ambiguous, pending, suppressed: ended }, 'sms chunk handed over');
      if (pending > 0) {
        // refused for now (throttling past the transport's retries, no link): Temporal retries; pending parts are claimed again
        throw ApplicationFailure.retryable(`${pending} parts were not accepted by the SMSC yet`, 'SMS_NOT_ACCEPTED_YET');
      }
      return { handedOver: released.length, ended, remaining: await countMessagesToSend(db, submission.id) };
    } finally {
      // however the attempt ends, what is on the wire gets its answer written first (the queued parts were aborted if it was cancelled)
      await sender.settled().catch(() => undefined);
      sender.close();
    }
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
