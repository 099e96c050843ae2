/**
 * The work queue: every alert and every decision waiting for a
 * person is a work item addressed to a role or to one user (a contract's
 * account manager), linked to what it is about (a case, an outage, an
 * invoice, a contract), with a due time and the states
 * open → acknowledged → done.
 *
 * Items are not written by the workflows: they are derived, in the db layer,
 * from the staff notifications the workflows already record (db/notifications.ts),
 * keyed by the notification's own id (workflow, step and audience), so a
 * retried activity never makes a second item and no workflow code changes.
 * This table says which notification reasons are work, for which audiences,
 * and what resolves each kind (an item closes itself when its cause is
 * resolved, in the transaction that records the resolution).
 *
 * Pure: imported by db/, the API and the console.
 */

export const WORK_ITEM_STATES = ['open', 'acknowledged', 'done'] as const;
export type WorkItemState = (typeof WORK_ITEM_STATES)[number];

/** The states a list asks for: `unfinished` is open or acknowledged (the inbox's default). */
export const WORK_ITEM_FILTERS = ['unfinished', 'open', 'acknowledged', 'done', 'all'] as const;
export type WorkItemFilter = (typeof WORK_ITEM_FILTERS)[number];

export const WORK_ITEM_KINDS = [
  'outage_notice_unsent',
  'outage_notice_late',
  'violation_review',
  'violation_freeze_not_delivered',
  'rectification_lapsed',
  'breach_escalated',
  'force_majeure_proof_missing',
  'delivery_unconfirmed',
  'overdue_at_entry',
  'invoice_overdue',
  'payment_escalated',
  'sms_review',
] as const;
export type WorkItemKind = (typeof WORK_ITEM_KINDS)[number];

/** How an item closed: its cause was resolved (by the system), or a person closed it. */
export type WorkItemClosedReason = 'resolved' | 'by_user';

/** The staff audiences of a notification that can receive an item ('owner' is the contract's account manager, a user). */
export type WorkItemAudience = 'owner' | 'legal' | 'operations' | 'finance';

/** What an item is about, read from the workflow that raised it (its id opens the notification id). */
export type WorkItemSubject = 'case' | 'outage' | 'invoice' | 'contract';

/**
 * What resolves an item of a kind:
 * - `case`: its case leaves the statuses in `openWhile`;
 * - `outage`: its outage leaves the statuses in `openWhile` (the notices went out, or it was restored);
 * - `invoice_paid`: its invoice is paid in full;
 * - `delivery_confirmed`: its contract's delivery form is confirmed;
 * - `contract_status`: its contract reaches one of the statuses in `closedBy`;
 * - `deadline_closed`: no deadline of the workflow that raised it is still open (an SMS review decided);
 * - `none`: only a person closes it.
 */
export type WorkItemResolution =
  | { by: 'case'; openWhile: readonly string[] }
  | { by: 'outage'; openWhile: readonly string[] }
  | { by: 'invoice_paid' }
  | { by: 'delivery_confirmed' }
  | { by: 'contract_status'; closedBy: readonly string[] }
  | { by: 'deadline_closed' }
  | { by: 'none' };

export type WorkItemRule = {
  kind: WorkItemKind;
  /** the audiences of the notification that get an item (the others are told, not asked) */
  audiences: readonly WorkItemAudience[];
  subject: WorkItemSubject;
  /**
   * where the due time comes from: the linked case's or outage's deadline, the invoice's, the delivery form's; the
   * raising workflow's open deadline (`deadline`), or the end of its period that lapsed (`lapsed`); or none
   */
  due: 'case' | 'outage' | 'invoice' | 'delivery' | 'deadline' | 'lapsed' | 'none';
  resolution: WorkItemResolution;
};

/**
 * Notification reason → the work item it raises. Every reason here is one a
 * workflow records today (workflows/outage-notice.ts, violation.ts,
 * suspension.ts, breach-case.ts, force-majeure.ts, payment-deadline.ts,
 * lifecycle/delivery.ts; domain/catch-up.ts, domain/delivery.ts, the overdue
 * ladder of domain/billing.ts), or that the db layer records with the row it
 * is about (an SMS signature or template application, db/sms-templates.ts,
 * under the id `sms-review-<application id>`, which also files its review deadline).
 */
export const WORK_ITEM_RULES: Readonly<Record<string, WorkItemRule>> = {
  // Art.5 §8: 20 hours after learning of an interruption the notices are still unsent
  outage_notice_unsent: { kind: 'outage_notice_unsent', audiences: ['operations', 'legal'], subject: 'outage', due: 'outage', resolution: { by: 'outage', openWhile: ['pending', 'held', 'late'] } },
  // Art.5 §8: 24 hours passed: Party B is late; the notices must still go out
  outage_notice_late: { kind: 'outage_notice_late', audiences: ['operations', 'legal'], subject: 'outage', due: 'outage', resolution: { by: 'outage', openWhile: ['pending', 'held', 'late'] } },
  // Art.4 §10(5), Art.8 §5: a reported or detected violation waits for review: legal or operations confirm or dismiss it
  violation_reported: { kind: 'violation_review', audiences: ['legal', 'operations'], subject: 'case', due: 'case', resolution: { by: 'case', openWhile: ['reported', 'detected'] } },
  violation_detected: { kind: 'violation_review', audiences: ['legal', 'operations'], subject: 'case', due: 'case', resolution: { by: 'case', openWhile: ['reported', 'detected'] } },
  // the freeze signal did not reach the contract's workflow: a person makes sure the account stops sending
  violation_freeze_not_delivered: { kind: 'violation_freeze_not_delivered', audiences: ['legal', 'operations'], subject: 'case', due: 'none', resolution: { by: 'contract_status', closedBy: ['frozen'] } },
  // Art.4 §9: the rectification period lapsed: legal terminates or extends (due when the lapsed period ended)
  suspension_rectification_lapsed: { kind: 'rectification_lapsed', audiences: ['legal'], subject: 'case', due: 'lapsed', resolution: { by: 'case', openWhile: ['lapsed'] } },
  // Art.10 §1: the cure or negotiation period ended: legal decides on the suit
  breach_escalated: { kind: 'breach_escalated', audiences: ['legal'], subject: 'case', due: 'none', resolution: { by: 'case', openWhile: ['escalated'] } },
  // Art.9: the written proof of force majeure is overdue (due when its period ended)
  force_majeure_proof_missing: { kind: 'force_majeure_proof_missing', audiences: ['legal'], subject: 'case', due: 'lapsed', resolution: { by: 'case', openWhile: ['proof_overdue'] } },
  // Art.3 §3: the delivery form was not confirmed in time: the account manager obtains it
  delivery_unconfirmed: { kind: 'delivery_unconfirmed', audiences: ['owner'], subject: 'contract', due: 'delivery', resolution: { by: 'delivery_confirmed' } },
  // an invoice overdue before the contract entered the system: a person decides on reminders or a breach notice
  overdue_at_entry: { kind: 'overdue_at_entry', audiences: ['finance', 'legal'], subject: 'invoice', due: 'invoice', resolution: { by: 'invoice_paid' } },
  // Art.3 §4: the overdue ladder's first rung (finance and the account manager) and its escalation to legal (finance
  // already has the first rung's item)
  'overdue_notify-finance-and-owner': { kind: 'invoice_overdue', audiences: ['finance', 'owner'], subject: 'invoice', due: 'invoice', resolution: { by: 'invoice_paid' } },
  'overdue_escalate-to-legal': { kind: 'payment_escalated', audiences: ['legal'], subject: 'invoice', due: 'invoice', resolution: { by: 'invoice_paid' } },
  // the appendix: a signature or template applied for waits for operations' review, due by its review deadline; the
  // decision (approved or rejected) meets the deadline
  sms_review_applied: { kind: 'sms_review', audiences: ['operations'], subject: 'contract', due: 'deadline', resolution: { by: 'deadline_closed' } },
};

/** The rule a notification of this reason and audience raises an item by, if any. */
export function workItemRuleFor(reason: string, audience: string): WorkItemRule | null {
  const rule = Object.prototype.hasOwnProperty.call(WORK_ITEM_RULES, reason) ? WORK_ITEM_RULES[reason]! : null;
  return rule && (rule.audiences as readonly string[]).includes(audience) ? rule : null;
}

/** Each kind's resolution (the same for every reason raising it): the db layer's self-closing reads it. */
export const WORK_ITEM_RESOLUTIONS: Readonly<Record<WorkItemKind, WorkItemResolution>> = Object.fromEntries(
  Object.values(WORK_ITEM_RULES).map((rule) => [rule.kind, rule.resolution]),
) as Record<WorkItemKind, WorkItemResolution>;

/** The workflow that recorded a notification: notification ids open with it (`<workflow id>:<step>[:<audience>]`). */
export const workflowIdOfNotification = (notificationId: string): string => notificationId.split(':')[0]!;

/** The transitions a person may make: acknowledge an open item; close an open or acknowledged one. */
export const WORK_ITEM_ACTIONS = {
  acknowledge: { from: ['open'] as readonly WorkItemState[], to: 'acknowledged' as const },
  close: { from: ['open', 'acknowledged'] as readonly WorkItemState[], to: 'done' as const },
} as const;
export type WorkItemAction = keyof typeof WORK_ITEM_ACTIONS;

/** Whether the action is possible from the state. */
export const mayApplyWorkItemAction = (action: WorkItemAction, state: WorkItemState): boolean => WORK_ITEM_ACTIONS[action].from.includes(state);

/** The states a filter lists. */
export function statesOfFilter(filter: WorkItemFilter): readonly WorkItemState[] {
  if (filter === 'unfinished') return ['open', 'acknowledged'];
  if (filter === 'all') return WORK_ITEM_STATES;
  return [filter];
}

/** Where the console shows what an item is about: its case on the legal board, its outage, or its contract. */
export function workItemLink(item: { caseId: string | null; outageId: string | null; contractId: string | null }): string | null {
  if (item.caseId) return `/legal?case=${encodeURIComponent(item.caseId)}${item.contractId ? `&contract=${encodeURIComponent(item.contractId)}` : ''}&status=all`;
  if (item.outageId) return `/outages?outage=${encodeURIComponent(item.outageId)}`;
  if (item.contractId) return `/contracts/${encodeURIComponent(item.contractId)}`;
  return null;
}
