/**
 * The long-lived receiver in the worker process: it listens to the SMPP
 * transport's `receipt` and `mo` events and writes them to Postgres at once,
 * idempotently.
 *
 * - Delivery receipts are gathered for a few milliseconds and applied in one
 *   transaction (db/sms.ts `applyReceipts`): the matching part becomes
 *   delivered / failed / expired, a repeated receipt changes nothing, a
 *   receipt for an id no part has yet is kept as an orphan for the recorder
 *   (or an ambiguous part) to claim. The dispatch workflows whose messages
 *   reached a final status get a signal, so they finish without waiting for
 *   the validity timer.
 * - MO replies that opt out (domain/sms `matchOptOut`: TD, T, N, R, 退订,
 *   取消, STOP …) put the sender on the customer's suppression list in the
 *   same moment; the customer is found by the sender address the reply was
 *   sent to, else by the last message sent to that number. Every MO is logged
 *   in `sms_inbound` (who, to which sender, opt-out or not; never the text).
 *
 * Logs carry ids and counts, never phone numbers or text.
 * Node code: not imported by workflows.
 */
import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import { appendAudit } from '../db/audit';
import type { Db } from '../db/pool';
import { addSuppressions, applyReceipts, purgeOrphanReceipts, recordInbound, routeInbound, type IncomingReceipt } from '../db/sms';
import { matchOptOut } from '../domain/sms/optout';
import { normalizeRecipient } from '../domain/sms/phone';
import { smsReceiptsSignal } from '../workflows/messages/sms-dispatch';
import type { DeliveryReceipt, MoMessage, ReceiptAcknowledgement, SmppLogger, SmppTransport } from './smpp-client';

export type SmsReceiverOptions = {
  db: Db;
  transport: SmppTransport;
  /** to wake dispatch workflows when their messages reach a final status */
  temporal?: Client;
  logger?: SmppLogger;
  /** how long receipts gather before one write (default 100 ms) */
  flushMs?: number;
  /** how many receipts one write takes at most (default 1,000) */
  maxBatch?: number;
  /** a dispatch workflow is signalled at most this often (default 1 s) */
  wakeEveryMs?: number;
};

export type SmsReceiver = {
  /** writes whatever is buffered and waits for MO handling in progress */
  flush(): Promise<void>;
  stats(): { receipts: number; mo: number; optOuts: number; buffered: number; failures: number };
  stop(): Promise<void>;
};

const SYSTEM_ACTOR = { id: 'system:sms', role: 'system' };
const noop = () => {};
const SILENT: SmppLogger = { info: noop, warn: noop, error: noop };

const receivers = new WeakMap<SmppTransport, SmsReceiver>();

/** One receiver per transport, however many times the activities are built over it. */
export function ensureSmsReceiver(options: SmsReceiverOptions): SmsReceiver {
  const existing = receivers.get(options.transport);
  if (existing) return existing;
  const receiver = startSmsReceiver(options);
  receivers.set(options.transport, receiver);
  return receiver;
}

export function startSmsReceiver(options: SmsReceiverOptions): SmsReceiver {
  const { db, transport, temporal } = options;
  const log = options.logger ?? SILENT;
  const flushMs = options.flushMs ?? 100;
  const maxBatch = options.maxBatch ?? 1_000;
  const wakeEveryMs = options.wakeEveryMs ?? 1_000;
  let buffer: { row: IncomingReceipt; stored: () => void }[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  let moChain: Promise<void> = Promise.resolve();
  let failures = 0;
  let stopped = false;
  const counts = { receipts: 0, mo: 0, optOuts: 0 };

  const schedule = (delay: number) => {
    if (timer || stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      writing = writing.then(write);
    }, delay);
  };

  async function write(): Promise<void> {
    while (buffer.length > 0) {
      const batch = buffer.slice(0, maxBatch);
      try {
        const finalized = await applyReceipts(db, batch.map((b) => b.row));
        for (const b of batch) b.stored();
        buffer = buffer.slice(batch.length);
        counts.receipts += batch.length;
        failures = 0;
        wake(finalized.map((m) => m.submissionId));
      } catch (error) {
        failures += 1;
        log.warn({ receipts: batch.length, attempt: failures, error: (error as Error).message }, 'sms receipts not written yet; retrying');
        // keep them and try again later (the database may be restarting)
        schedule(Math.min(30_000, 200 * 2 ** Math.min(failures, 8)));
        return;
      }
    }
  }

  // at most one signal per dispatch per wakeEveryMs: a batch of 10,000 receipts must not become 10,000 workflow tasks
  const owed = new Map<string, number>();
  const lastWoken = new Map<string, number>();
  let wakeTimer: NodeJS.Timeout | undefined;

  function wake(submissionIds: string[]): void {
    if (!temporal) return;
    for (const id of submissionIds) owed.set(id, (owed.get(id) ?? 0) + 1);
    sendOwedSignals();
  }

  function sendOwedSignals(): void {
    const now = Date.now();
    let nextDue = Infinity;
    for (const [workflowId, finalized] of owed) {
      const due = (lastWoken.get(workflowId) ?? 0) + wakeEveryMs;
      if (due > now) {
        nextDue = Math.min(nextDue, due);
        continue;
      }
      owed.delete(workflowId);
      lastWoken.set(workflowId, now);
      temporal!.workflow
        .getHandle(workflowId)
        .signal(smsReceiptsSignal, { finalized })
        .catch((error: unknown) => {
          // a finished dispatch does not need waking; anything else: the workflow re-counts on its own timer
          if (!(error instanceof WorkflowNotFoundError)) log.warn({ workflowId, error: (error as Error).message }, 'sms dispatch not woken');
        });
    }
    for (const [workflowId, at] of lastWoken) if (at + wakeEveryMs < now && !owed.has(workflowId)) lastWoken.delete(workflowId);
    if (nextDue !== Infinity && !wakeTimer && !stopped) {
      wakeTimer = setTimeout(() => {
        wakeTimer = undefined;
        sendOwedSignals();
      }, nextDue - now);
    }
  }

  const onReceipt = (receipt: DeliveryReceipt, acknowledgement: ReceiptAcknowledgement) => {
    const recipient = normalizeRecipient(receipt.recipient);
    buffer.push({
      row: { smscMessageId: receipt.messageId, outcome: receipt.outcome, stat: receipt.stat, error: receipt.error, recipient: recipient.ok ? recipient.e164 : null },
      // the SMSC gets its deliver_sm_resp once the receipt is in Postgres, not before
      stored: acknowledgement.hold(),
    });
    schedule(buffer.length >= maxBatch ? 0 : flushMs);
  };

  async function handleMo(mo: MoMessage): Promise<void> {
    counts.mo += 1;
    const match = matchOptOut(mo.text);
    const source = mo.sourceE164;
    const route = await routeInbound(db, { destination: mo.destination, source });
    const minute = Math.floor(mo.receivedAt.getTime() / 60_000);
    const id = createHash('sha256').update(`${mo.source}\u0001${mo.destination}\u0001${mo.text}\u0001${minute}`).digest('hex').slice(0, 32);
    await db.withTransaction(async (tx) => {
      const fresh = await recordInbound(tx, {
        id,
        source: source ?? mo.source,
        destination: mo.destination,
        customer: route?.customer ?? null,
        contractId: route?.contractId ?? null,
        optOut: match.optOut,
        matched: match.matched,
      });
      if (!fresh || !match.optOut) return;
      if (!source || !route) {
        log.warn({ inboundId: id, routed: Boolean(route) }, 'sms opt-out reply for no known customer or from a number that is not a Chinese mobile');
        return;
      }
      const added = await addSuppressions(tx, {
        owner: { creditCode: route.creditCode, name: route.customer },
        contractId: route.contractId,
        recipients: [source],
        source: 'mo_reply',
        detail: match.matched,
        recordedBy: SYSTEM_ACTOR.id,
      });
      if (added.length > 0) {
        counts.optOuts += 1;
        await appendAudit(tx, {
          type: 'sms.opted_out',
          contractId: route.contractId,
          actor: SYSTEM_ACTOR,
          data: { customer: route.customer, source: 'mo_reply', inboundId: id, matched: match.matched, routedBy: route.how },
          // the number itself goes to webhook subscribers only, never to the audit log the contract timeline shows
          webhook: { number: source },
        });
      }
    });
    log.info({ inboundId: id, contractId: route?.contractId ?? null, optOut: match.optOut }, 'sms MO recorded');
  }

  const onMo = (mo: MoMessage) => {
    moChain = moChain
      .then(() => handleMo(mo))
      .catch((error: unknown) => {
        failures += 1;
        log.error({ error: (error as Error).message }, 'sms MO not recorded');
      });
  };

  transport.on('receipt', onReceipt);
  transport.on('mo', onMo);
  const purge = setInterval(() => {
    void purgeOrphanReceipts(db, 7 * 86_400_000).catch(() => undefined);
  }, 3_600_000);
  purge.unref();

  return {
    async flush() {
      if (timer) {
        clearTimeout(timer);
        timer = undefined;
      }
      writing = writing.then(write);
      await Promise.all([writing, moChain]);
    },
    stats: () => ({ ...counts, buffered: buffer.length, failures }),
    async stop() {
      stopped = true;
      transport.off('receipt', onReceipt);
      transport.off('mo', onMo);
      clearInterval(purge);
      if (wakeTimer) clearTimeout(wakeTimer);
      if (timer) clearTimeout(timer);
      timer = undefined;
      writing = writing.then(write);
      await Promise.all([writing, moChain]);
      receivers.delete(transport);
    },
  };
}
