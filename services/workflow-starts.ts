/**
 * The one place workflows are started, by function reference and business id.
 *
 * - `startWorkflow` starts one now; a start that already happened (a retry,
 *   a duplicate request, the sweeper racing the request) is not an error.
 * - `oweStart` writes the start into the outbox inside the transaction that
 *   commits its rows; `startOwed` makes it right after the commit, and
 *   `sweepOwedStarts` (the API's sweeper) makes any that a crash or a failed
 *   start left behind. So no workflow runs without its rows, and no committed
 *   row is left without its workflow.
 * - `AfterResponseStarts` makes owed starts once the request has answered
 *   (a contract's creation waits for its commit, not for Temporal), and
 *   `ensureOwedStarted` makes a still-owed start at once for a request that
 *   needs the workflow running (signing a contract just created).
 *
 * `ensureDigestSchedule` and `ensureStaffDeliverySchedule` create the two
 * scheduled workflows (the morning digest, the staff deliverer every minute)
 * at worker start.
 *
 * The outbox names the workflow by its type; only the workflows of
 * STARTABLE can be owed, and each may have a follow-up run once it started
 * (the lifecycle stamps its contract).
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { markWorkflowStarted } from '../db/contracts';
import { completeWorkflowStart, enqueueWorkflowStart, findOwedWorkflowStart, listPendingWorkflowStarts, recordWorkflowStartFailure, type OutboxEntry } from '../db/outbox';
import type { Db, Queryable } from '../db/pool';
import type { Logger } from '../platform/logger';
import { breachCase } from '../workflows/breach-case';
import { calendarRecount } from '../workflows/calendar-recount';
import { contractLifecycle } from '../workflows/contract-lifecycle';
import { forceMajeure } from '../workflows/force-majeure';
import { outageNotice } from '../workflows/outage-notice';
import { paymentDeadline } from '../workflows/payment-deadline';
import { DIGEST_AT, DIGEST_SCHEDULE_ID, renewalDigest } from '../workflows/renewal-digest';
import { STAFF_DELIVERY_EVERY, STAFF_DELIVERY_SCHEDULE_ID, staffDeliveries } from '../workflows/staff-deliveries';
import { smsDispatch } from '../workflows/sms-dispatch';
import { suspension } from '../workflows/suspension';
import { contentViolation } from '../workflows/violation';

/** The workflows started by business id, under their workflow type. */
export const STARTABLE = {
  contractLifecycle,
  paymentDeadline,
  breachCase,
  outageNotice,
  contentViolation,
  forceMajeure,
  suspension,
  smsDispatch,
  calendarRecount,
} as const;

type Startable = (typeof STARTABLE)[keyof typeof STARTABLE];
export type StartableName = keyof typeof STARTABLE;

/** What is run once a workflow of that type started, in one transaction with the outbox entry's removal. */
const AFTER_START: { [K in StartableName]?: (tx: Queryable, args: Parameters<(typeof STARTABLE)[K]>) => Promise<void> } = {
  contractLifecycle: (tx, [input]) => markWorkflowStarted(tx, input.contractId),
};

export type StartRequest<W extends Startable> = { workflowId: string; args: Parameters<W> };
export type WorkflowStartDeps = {
  db: Db;
  temporal: Client;
  taskQueue: string;
  logger: Logger;
  /** where a request's owed starts go once it has answered; unset: the request makes them before it answers */
  afterResponse?: AfterResponseStarts;
};

/** A start as the outbox holds it. */
export type OwedStart = { workflowId: string; workflow: StartableName; args: unknown[] };

export function workflowTypeOf(workflow: Startable): StartableName {
  const name = workflow.name as StartableName;
  if (STARTABLE[name] !== workflow) throw new Error(`workflow ${workflow.name} is not startable by business id (add it to STARTABLE)`);
  return name;
}

/** Starts the workflow now; false when it had already been started. */
export async function startWorkflow<W extends Startable>(
  temporal: Client | undefined,
  taskQueue: string,
  workflow: W,
  request: StartRequest<W>,
): Promise<boolean> {
  if (!temporal) throw new Error(`no Temporal client to start ${workflow.name} with`);
  try {
    await temporal.workflow.start(workflow as Startable, {
      workflowId: request.workflowId,
      taskQueue,
      args: request.args as never,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    return true;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw error;
  }
}

/** Writes the start into the outbox, in the transaction that commits what it is owed for. */
export async function oweStart<W extends Startable>(tx: Queryable, workflow: W, request: StartRequest<W>): Promise<OwedStart> {
  const owed: OwedStart = { workflowId: request.workflowId, workflow: workflowTypeOf(workflow), args: request.args };
  await enqueueWorkflowStart(tx, owed);
  return owed;
}

/** What became of an owed start: made by this call, made before (a retry, a duplicate request, the sweeper), or still owed (the sweeper retries). */
export type OwedStartOutcome = 'started' | 'already-started' | 'owed';

/** Makes the owed start after the response when the process starts that way, else now (the request waits for it). */
export async function startOwedSoon(deps: WorkflowStartDeps, owed: OwedStart): Promise<OwedStartOutcome | 'queued'> {
  if (deps.afterResponse?.submit(deps, owed)) return 'queued';
  return deps.afterResponse ? 'owed' : startOwed(deps, owed);
}

/** Makes an owed start and runs its follow-up; 'owed' when it failed and is left to the sweeper. */
export async function startOwed(deps: WorkflowStartDeps, owed: OwedStart): Promise<OwedStartOutcome> {
  const workflow = STARTABLE[owed.workflow];
  if (!workflow) throw new Error(`the outbox owes a start of ${owed.workflow}, which is not a startable workflow`);
  let started: boolean;
  try {
    started = await startWorkflow(deps.temporal, deps.taskQueue, workflow, { workflowId: owed.workflowId, args: owed.args as never });
  } catch (error) {
    deps.logger.warn({ workflowId: owed.workflowId, workflow: owed.workflow, err: (error as Error).message }, 'workflow start failed; the sweeper will retry');
    await recordWorkflowStartFailure(deps.db, owed.workflowId, (error as Error).message).catch(() => undefined);
    return 'owed';
  }
  const after = AFTER_START[owed.workflow] as ((tx: Queryable, args: unknown[]) => Promise<void>) | undefined;
  await deps.db.withTransaction(async (tx) => {
    if (after) await after(tx, owed.args);
    await completeWorkflowStart(tx, owed.workflowId);
  });
  return started ? 'started' : 'already-started';
}

/** The outbox entry as an owed start; null (logged) for a type this code does not know, which stays in place. */
function owedOf(deps: WorkflowStartDeps, entry: OutboxEntry): OwedStart | null {
  if (entry.workflow in STARTABLE) return { workflowId: entry.workflowId, workflow: entry.workflow as StartableName, args: entry.args };
  deps.logger.error({ workflowId: entry.workflowId, workflow: entry.workflow }, 'the outbox owes a start of an unknown workflow type; left in place');
  return null;
}

/** Makes every start still owed (older than `graceMs`, younger ones are still being made by their request); returns how many now run. */
export async function sweepOwedStarts(deps: WorkflowStartDeps, graceMs = 5_000): Promise<number> {
  let started = 0;
  for (const entry of await listPendingWorkflowStarts(deps.db, graceMs)) {
    const owed = owedOf(deps, entry);
    if (owed && (await startOwed(deps, owed)) !== 'owed') started += 1;
  }
  return started;
}

/**
 * Makes the start still owed for this workflow, now: for a request that acts
 * on a workflow its creation may not have started yet. 'none' when nothing is
 * owed (it runs, or never will: the caller's update says which); throws when
 * the start failed (the request cannot go on; the start stays owed).
 */
export async function ensureOwedStarted(deps: WorkflowStartDeps, workflowId: string): Promise<Exclude<OwedStartOutcome, 'owed'> | 'none'> {
  const entry = await findOwedWorkflowStart(deps.db, workflowId);
  const owed = entry && owedOf(deps, entry);
  if (!owed) return 'none';
  const outcome = await startOwed(deps, owed);
  if (outcome === 'owed') throw new WorkflowStartOwedError(workflowId);
  return outcome;
}

/** A start that could not be made now; the outbox still holds it and the sweeper retries. */
export class WorkflowStartOwedError extends Error {
  constructor(readonly workflowId: string) {
    super(`workflow ${workflowId} could not be started yet; its start is kept and retried`);
    this.name = 'WorkflowStartOwedError';
  }
}

/**
 * Owed starts made after the response: the request commits its rows and the
 * outbox entry and answers; the start follows here, `concurrency` at a time.
 * What this process cannot take (more than `maxQueued` waiting, a failure, a
 * crash) stays in the outbox for the sweeper, so nothing is lost by queueing
 * in memory.
 */
export class AfterResponseStarts {
  private readonly queue: Array<{ deps: WorkflowStartDeps; owed: OwedStart }> = [];
  private running = 0;
  private readonly idle: Array<() => void> = [];

  constructor(private readonly options: { concurrency: number; maxQueued: number } = { concurrency: 16, maxQueued: 5_000 }) {}

  /** Queues the start (made with `deps`: the request's client and pool); false when the queue is full (the sweeper makes it). */
  submit(deps: WorkflowStartDeps, owed: OwedStart): boolean {
    if (this.queue.length >= this.options.maxQueued) return false;
    this.queue.push({ deps, owed });
    this.pump();
    return true;
  }

  /** Starts waiting or in flight. */
  get pending(): number {
    return this.queue.length + this.running;
  }

  /** Resolves once every queued start has been made or left to the sweeper. */
  drain(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    while (this.running < this.options.concurrency && this.queue.length > 0) {
      const { deps, owed } = this.queue.shift()!;
      this.running += 1;
      void startOwed(deps, owed)
        .catch((error: unknown) => {
          // the follow-up's transaction failed after the start: the sweeper finds the entry, the start is already made
          deps.logger.warn({ workflowId: owed.workflowId, err: (error as Error).message }, 'owed start follow-up failed; the sweeper will complete it');
        })
        .finally(() => {
          this.running -= 1;
          this.pump();
          if (this.pending === 0) for (const resolve of this.idle.splice(0)) resolve();
        });
    }
  }
}

/** The renewal digest at 09:00 Beijing time every day, created once (a worker start finds it in place). */
export async function ensureDigestSchedule(client: Client, taskQueue: string): Promise<'created' | 'exists'> {
  try {
    await client.schedule.create({
      scheduleId: DIGEST_SCHEDULE_ID,
      spec: { calendars: [{ ...DIGEST_AT }], timezone: 'Asia/Shanghai' },
      action: { type: 'startWorkflow', workflowType: renewalDigest, taskQueue, args: [{}] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
    return 'created';
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning) return 'exists';
    throw error;
  }
}

/**
 * The staff deliverer every minute (e-mail and SMS of work items and digests,
 * workflows/staff-deliveries.ts), created once; a run still going when the
 * next is due makes that one skip, and missed runs are not caught up (the
 * next run takes everything due).
 */
export async function ensureStaffDeliverySchedule(client: Client, taskQueue: string): Promise<'created' | 'exists'> {
  try {
    await client.schedule.create({
      scheduleId: STAFF_DELIVERY_SCHEDULE_ID,
      spec: { intervals: [{ every: STAFF_DELIVERY_EVERY }] },
      action: { type: 'startWorkflow', workflowType: staffDeliveries, taskQueue, args: [] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
    });
    return 'created';
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning) return 'exists';
    throw error;
  }
}
