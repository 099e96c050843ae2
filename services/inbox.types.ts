/**
 * What the work queue's service answers (services/inbox.ts), as types only:
 * the API's response types (api/routes/inbox.types.ts) name these and the
 * web console's typecheck loads them, so this module imports nothing but
 * domain/ types.
 */
import type { WorkItemClosedReason, WorkItemKind, WorkItemState } from '../domain/work-items';

/** One work item as its addressee sees it. */
export type WorkItem = {
  id: number;
  kind: WorkItemKind;
  /** the notification reason that raised it */
  reason: string;
  state: WorkItemState;
  /** a role's item (any user of the role may act on it) or one user's */
  addressedTo: { role: string | null; userId: string | null };
  title: string;
  body: string;
  /** the deadline it is about (an outage's notice, a case's, an invoice's, the delivery form's, an SMS review's, or the end of a period that lapsed), or null */
  dueAt: string | null;
  contract: { id: string; number: string | null; partyA: string | null } | null;
  caseId: string | null;
  caseKind: string | null;
  outageId: string | null;
  invoiceNumber: string | null;
  /** the console path of what it is about (domain/work-items.ts workItemLink) */
  link: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  doneAt: string | null;
  /** a user id, or 'system' when its cause was resolved */
  doneBy: string | null;
  closedReason: WorkItemClosedReason | null;
  createdAt: string;
};

/** The caller's inbox: the items in the asked states, how many, and how many are still unread (open). */
export type Inbox = { total: number; unread: number; items: WorkItem[] };
