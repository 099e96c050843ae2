/**
 * The activities as the workflows call them: one proxy per options profile,
 * each named for what it is used for. This is the only workflow module that
 * imports from activities/, and only their types (a value import would drag
 * activity code into the workflow bundle).
 *
 * Retry policy lives here, at the proxy. Every activity a workflow schedules
 * carries its profile's timeouts and retry policy: change a value only for the
 * activities it is meant for.
 */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

export type { Activities };

/** One affected contract of an outage (its case and contract). */
export type OutageCaseRef = Parameters<Activities['sendOutageNotices']>[0]['cases'][number];

/** The default: a short write, render or notice, retried until it succeeds. */
export const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * The lifecycle's short Postgres bookkeeping (holiday overrides, the deadline
 * read model; a signature's record for the runs started between
 * `local-signature-record-v1` and `signature-activity-v2`) as local activities: run by the worker inside the workflow
 * task, with no activity task and no extra workflow task on the server of
 * their own (three round trips fewer per contract before its first timer).
 * Still retried until they succeed, and recorded in history like any activity.
 */
export const bookkeeping = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** An outage's activities: each writes or notifies a batch of its affected contracts, so each gets longer. */
export const outageActs = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** The daily renewal digest: reads across every contract, retried gently. */
export const reporting = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

/**
 * The staff deliverer (e-mail and SMS of work items and digests): one run a
 * minute from its schedule, a few tries each; the rows it could not finish
 * wait in the outbox for the next run.
 */
export const delivering = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 3 },
});

/** Signalling a batch of workflows (the calendar recount): long, with heartbeats. */
export const signalling = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Sending may wait for a link, for throttling to ease, or for receipts of ambiguous parts: heartbeats keep it alive. */
export const sending = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  // the activity beats every 2 s: a batch whose worker died is taken up by another within 20 s (options do not enter replay)
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});
