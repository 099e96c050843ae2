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
 *
 * `ensureDigestSchedule` creates the one scheduled workflow (the morning
 * digest) at worker start.
 *
 * The outbox names the workflow by its type; only the workflows of
 * STARTABLE can be owed, and each may have a follow-up run once it started
 * (the lifecycle stamps its contract).
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { markWorkflowStarted } from '../db/contracts';
import { completeWorkflowStart, enqueueWorkflowStart, listPendingWorkflowStarts, recordWorkflowStartFailure } from '../db/outbox';
import type { Db, Queryable } from '../db/pool';
import type { Logger } from '../platform/logger';
import { breachCase } from '../workflows/breach-case';
import { calendarRecount } from '../workflows/calendar-recount';
import { contractLifecycle } from '../workflows/contract-lifecycle';
import { forceMajeure } from '../workflows/force-majeure';
import { outageNotice } from '../workflows/outage-notice';
import { paymentDeadline } from '../workflows/payment-deadline';
import { DIGEST_AT, DIGEST_SCHEDULE_ID, renewalDigest } from '../workflows/renewal-digest';
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
export type WorkflowStartDeps = { db: Db; temporal: Client; taskQueue: string; logger: Logger };

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

/** Makes every start still owed (older than `graceMs`, younger ones are still being made by their request); returns how many now run. */
export async function sweepOwedStarts(deps: WorkflowStartDeps, graceMs = 5_000): Promise<number> {
  let started = 0;
  for (const entry of await listPendingWorkflowStarts(deps.db, graceMs)) {
    if (!(entry.workflow in STARTABLE)) {
      deps.logger.error({ workflowId: entry.workflowId, workflow: entry.workflow }, 'the outbox owes a start of an unknown workflow type; left in place');
      continue;
    }
    if ((await startOwed(deps, { workflowId: entry.workflowId, workflow: entry.workflow as StartableName, args: entry.args })) !== 'owed') started += 1;
  }
  return started;
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
