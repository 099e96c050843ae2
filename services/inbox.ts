/**
 * The work queue from a person's side (domain/work-items.ts): their inbox
 * (their own items and their role's), the unread count, and the two acts a
 * person takes, acknowledging and closing, each audited in the transaction
 * that makes it. An item not addressed to the caller is absent (404); a
 * transition its state does not allow is refused (409 INVALID_STATE).
 */
import type { Actor } from '../domain/contract';
import { AppError } from '../domain/errors';
import { refusal } from '../domain/error-reasons';
import { mayApplyWorkItemAction, statesOfFilter, WORK_ITEM_ACTIONS, workItemLink, type WorkItemAction, type WorkItemFilter } from '../domain/work-items';
import { appendAudit } from '../db/audit';
import type { Db } from '../db/pool';
import { applyWorkItemAction, countUnread, findInboxItem, listInbox, type InboxOwner, type WorkItemRow } from '../db/work-items';
import type { Inbox, WorkItem } from './inbox.types';

/** A customer operator's inbox is empty: nothing is addressed to Party A's staff. */
const STAFF = (owner: InboxOwner) => owner.role !== 'customer';

export function toWorkItem(row: WorkItemRow): WorkItem {
  return {
    id: row.id,
    kind: row.kind,
    reason: row.reason,
    state: row.state,
    addressedTo: { role: row.role, userId: row.userId },
    title: row.title,
    body: row.body,
    dueAt: row.dueAt,
    contract: row.contractId ? { id: row.contractId, number: row.contractNumber, partyA: row.partyA } : null,
    caseId: row.caseId,
    caseKind: row.caseKind,
    outageId: row.outageId,
    invoiceNumber: row.invoiceNumber,
    link: workItemLink(row),
    acknowledgedAt: row.acknowledgedAt,
    acknowledgedBy: row.acknowledgedBy,
    doneAt: row.doneAt,
    doneBy: row.doneBy,
    closedReason: row.closedReason,
    createdAt: row.createdAt,
  };
}

export async function inboxOf(db: Db, owner: InboxOwner, query: { state: WorkItemFilter; limit: number; offset: number }): Promise<Inbox> {
  if (!STAFF(owner)) return { total: 0, unread: 0, items: [] };
  const [page, unread] = await Promise.all([listInbox(db, owner, { states: statesOfFilter(query.state), limit: query.limit, offset: query.offset }), countUnread(db, owner)]);
  return { total: page.total, unread, items: page.items.map(toWorkItem) };
}

export async function unreadCountOf(db: Db, owner: InboxOwner): Promise<number> {
  return STAFF(owner) ? countUnread(db, owner) : 0;
}

/** Acknowledges or closes an item addressed to the actor (or their role), audited; returns it as it now is. */
export async function actOnWorkItem(db: Db, input: { id: number; action: WorkItemAction; actor: Actor; at: string }): Promise<WorkItem> {
  const owner: InboxOwner = { userId: input.actor.id, role: input.actor.role };
  return db.withTransaction(async (tx) => {
    const before = STAFF(owner) ? await findInboxItem(tx, owner, input.id, true) : null;
    if (!before) throw refusal('record.not_found', { kind: 'work_item' }, `work item ${input.id} not found in your inbox`);
    if (!mayApplyWorkItemAction(input.action, before.state)) {
      const done = before.state === 'done' ? ` (closed ${before.closedReason === 'resolved' ? 'by the system: its cause was resolved' : `by ${before.doneBy}`})` : '';
      throw new AppError('INVALID_STATE', `work item ${input.id} is ${before.state}${done}: ${input.action} needs it to be ${WORK_ITEM_ACTIONS[input.action].from.join(' or ')}`, {
        state: before.state,
      });
    }
    await applyWorkItemAction(tx, { id: input.id, action: input.action, by: input.actor.id, at: input.at });
    const after = (await findInboxItem(tx, owner, input.id))!;
    await appendAudit(tx, {
      type: input.action === 'acknowledge' ? 'work_item.acknowledged' : 'work_item.closed',
      contractId: after.contractId,
      actor: input.actor,
      before: { itemId: after.id, state: before.state },
      after: { itemId: after.id, state: after.state },
      data: { itemId: after.id, kind: after.kind, role: after.role, userId: after.userId, caseId: after.caseId, outageId: after.outageId, invoiceNumber: after.invoiceNumber },
    });
    return toWorkItem(after);
  });
}
