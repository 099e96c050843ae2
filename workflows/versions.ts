/**
 * Where workflow code changes its commands, a run learns which code it
 * follows here, and only here.
 *
 * Every decision is taken at the run's first activation, before any local
 * activity. A `patched()` call reached right after a local activity is not
 * safe: when the workflow task holding that local activity is lost (the
 * worker dropped the workflow, restarted, or the task timed out) its retry
 * records the local activity's result in a task of its own, and on replay the
 * SDK resolves the local activity before it has announced the patches of the
 * next task, so `patched()` answers false where the history has its marker.
 * test/faults/lost-workflow-task.test.ts provokes exactly that.
 *
 * Runs that started before `lifecycle-v5` keep calling their older patches
 * where their histories recorded them (the functions below); every run
 * started since (and every continued run) has one marker, at its start.
 */
import { patched } from '@temporalio/workflow';

export type LifecycleVersion = {
  /** bookkeeping (holiday overrides, the deadline read model) as local activities */
  localBookkeeping: boolean;
  /** activation starts the initial term's invoice; call where the history may hold its marker */
  initialTermInvoice: () => boolean;
  /** the term runs renewal alerts and automatic renewals; call where the history may hold its marker */
  termRenewal: () => boolean;
  /** counts with calendar years read when it counts, not the override snapshot (and hands none to invoices) */
  calendarYears: boolean;
  /**
   * moments that passed while nobody acted collapse into one catch-up per
   * kind (domain/catch-up.ts); imported contracts start where they stand;
   * invoices learn when the contract entered the system
   */
  catchUp: boolean;
  /**
   * Art.3 §3: activation produces the delivery form (业务受理单) and awaits
   * Party A's confirmation (its deadline, capped reminders, a work item for
   * sales when it lapses: lifecycle/delivery.ts); the first invoice's payment
   * no longer produces the form. Runs from before keep the form on payment.
   */
  deliveryConfirmation: boolean;
  /**
   * a signature is recorded by a local activity, inside the update's own
   * workflow task: only the runs started between `local-signature-record-v1`
   * and `signature-activity-v2` (their histories replay as they were);
   * every other run records it with an activity, as a local activity in the
   * update handler did not replay from the first event (no workflow cache)
   * when another activity was pending.
   */
  localSignatures: boolean;
};

/** Call first thing in `contractLifecycle`, before any await. */
export function lifecycleVersion(): LifecycleVersion {
  const v5 = patched('lifecycle-v5');
  const calendarYears = patched('calendar-years-v6');
  const catchUp = patched('catch-up-v7');
  const deliveryConfirmation = patched('delivery-confirmation-v1');
  // runs that took local signatures keep them; runs since record a signature with an activity again: a local
  // activity inside the signing update failed to replay from its first event when another activity was pending
  const localSignatures = patched('local-signature-record-v1') && !patched('signature-activity-v2');
  return {
    calendarYears,
    catchUp,
    deliveryConfirmation,
    localSignatures,
    localBookkeeping: v5 || patched('local-bookkeeping'),
    initialTermInvoice: () => v5 || patched('initial-term-invoice'),
    termRenewal: () => v5 || patched('term-renewal'),
  };
}

export type CalendarVersion = {
  /** counts with calendar years read when it counts (loadCalendar), not an override snapshot from its input */
  calendarYears: boolean;
  /** see LifecycleVersion.catchUp */
  catchUp: boolean;
};

/** Call first thing in a deadline-holding workflow other than the lifecycle, before any await. */
export function calendarVersion(): CalendarVersion {
  const calendarYears = patched('calendar-years-v6');
  return { calendarYears, catchUp: patched('catch-up-v7') };
}

export type RecountVersion = {
  /** between passes, waits while the signalled workflows are still recounting (instead of a fixed pause) */
  settlesWhileFalling: boolean;
};

/** Call first thing in `calendarRecount`, before any await. */
export function recountVersion(): RecountVersion {
  return { settlesWhileFalling: patched('recount-settles-while-falling') };
}

export type OutageVersion = {
  /**
   * the input holds the outage and its count of contracts, not the case list;
   * the cases are read from Postgres page by page and the run continues as
   * new as it goes (outage-notice-pages.ts). A run whose input carries the
   * list (started before) keeps the list: no marker is asked for it.
   */
  pages: boolean;
};

/** Call first thing in `outageNotice`, before any await. */
export function outageVersion(input: object): OutageVersion {
  return { pages: !('cases' in input) && patched('outage-batches-v1') };
}
