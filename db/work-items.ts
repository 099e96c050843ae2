/**
 * The work queue (domain/work-items.ts): items raised from the staff
 * notifications the workflows record, keyed by the notification id (a retry
 * raises nothing twice), closed by a person or by the system when their
 * cause is resolved (`settleWorkItems`, called in the transaction that
 * records the resolution: a case's move, an outage's notices, a payment, a
 * delivery confirmation, a contract's status, an SMS review decided).
 */
import { deadlineRowId } from '../domain/contract';
import { DELIVERY_DEADLINE_REF } from '../domain/delivery';
import { paymentWorkflowId } from '../domain/billing';
import {
  WORK_ITEM_ACTIONS,
  WORK_ITEM_RESOLUTIONS,
  workflowIdOfNotification,
  type WorkItemAction,
  type WorkItemClosedReason,
  type WorkItemKind,
  type WorkItemRule,
  type WorkItemState,
} from '../domain/work-items';
import type { Queryable } from './pool';
import { enqueueWorkItemDeliveries } from './staff-deliveries';

export type WorkItemRow = {
  id: number;
  key: string;
  kind: WorkItemKind;
  reason: string;
  role: string | null;
  userId: string | null;
  contractId: string | null;
  contractNumber: string | null;
  partyA: string | null;
  caseId: string | null;
  caseKind: string | null;
  outageId: string | null;
  invoiceNumber: string | null;
  title: string;
  body: string;
  dueAt: string | null;
  state: WorkItemState;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  doneAt: string | null;
  doneBy: string | null;
  closedReason: WorkItemClosedReason | null;
  createdAt: string;
  updatedAt: string;
};

/** Whose inbox: the user's own items and their role's. */
export type InboxOwner = { userId: string; role: string };

const iso = (value: unknown): string | null => (value ? (value as Date).toISOString() : null);

const COLUMNS = `w.id, w.key, w.kind, w.reason, w.role, w.user_id, w.contract_id, k.number AS contract_number, k.party_a_name,
  w.case_id, lc.kind AS case_kind, w.outage_id, w.invoice_number, w.title, w.body, w.due_at, w.state,
  w.acknowledged_at, w.acknowledged_by, w.done_at, w.done_by, w.closed_reason, w.created_at, w.updated_at`;
const FROM = `work_items w LEFT JOIN contracts k ON k.id = w.contract_id LEFT JOIN legal_cases lc ON lc.id = w.case_id`;

function toRow(row: Record<string, unknown>): WorkItemRow {
  return {
    id: Number(row.id),
    key: row.key as string,
    kind: row.kind as WorkItemKind,
    reason: row.reason as string,
    role: (row.role as string | null) ?? null,
    userId: (row.user_id as string | null) ?? null,
    contractId: (row.contract_id as string | null) ?? null,
    contractNumber: (row.contract_number as string | null) ?? null,
    partyA: (row.party_a_name as string | null) ?? null,
    caseId: (row.case_id as string | null) ?? null,
    caseKind: (row.case_kind as string | null) ?? null,
    outageId: (row.outage_id as string | null) ?? null,
    invoiceNumber: (row.invoice_number as string | null) ?? null,
    title: row.title as string,
    body: row.body as string,
    dueAt: iso(row.due_at),
    state: row.state as WorkItemState,
    acknowledgedAt: iso(row.acknowledged_at),
    acknowledgedBy: (row.acknowledged_by as string | null) ?? null,
    doneAt: iso(row.done_at),
    doneBy: (row.done_by as string | null) ?? null,
    closedReason: (row.closed_reason as WorkItemClosedReason | null) ?? null,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}

/**
 * Raises the item a staff notification stands for (once per notification id):
 * addressed to the role, or for the audience 'owner' to the contract's account
 * manager; linked to the case, outage or invoice of the workflow that recorded
 * the notification (its id opens with the workflow id) and to their contract;
 * due when that deadline is (or, by the rule, when the raising workflow's open
 * deadline is, or when its period that lapsed ended). An item whose cause is
 * already resolved is closed at once; an open one owes its e-mail and SMS
 * deliveries to the people it is addressed to (db/staff-deliveries.ts).
 * Returns true when this call raised it.
 */
export async function raiseWorkItem(
  db: Queryable,
  n: { id: string; contractId: string | null; audience: string; reason: string; subject: string; body: string },
  rule: WorkItemRule,
): Promise<boolean> {
  const workflowId = workflowIdOfNotification(n.id);
  const invoiceNumber = rule.subject === 'invoice' && workflowId.startsWith(paymentWorkflowId('')) ? workflowId.slice(paymentWorkflowId('').length) : null;
  const { rowCount } = await db.query(
    `INSERT INTO work_items (key, kind, reason, role, user_id, contract_id, case_id, outage_id, invoice_number, title, body, due_at)
     SELECT $1, $2, $3,
            CASE WHEN $4 = 'owner' THEN NULL ELSE $4 END,
            CASE WHEN $4 = 'owner' THEN k.owner_id END,
            k.id, lc.id, o.id, inv.number, $6, $7,
            CASE $8 WHEN 'case' THEN lc.due_at WHEN 'outage' THEN o.notice_due_at WHEN 'invoice' THEN inv.due_at WHEN 'delivery' THEN d.due_at
              WHEN 'deadline' THEN (SELECT min(dl.due_at) FROM deadlines dl WHERE dl.workflow_id = $10 AND dl.status = 'open')
              WHEN 'lapsed' THEN (SELECT max(dl.due_at) FROM deadlines dl WHERE dl.workflow_id = $10 AND dl.status = 'lapsed') END
       FROM (SELECT 1) AS one
       LEFT JOIN legal_cases lc ON $9 = 'case' AND lc.workflow_id = $10
       LEFT JOIN outages o ON $9 = 'outage' AND o.workflow_id = $10
       LEFT JOIN invoices inv ON inv.number = $11
       LEFT JOIN contracts k ON k.id = COALESCE($5, lc.contract_id, inv.contract_id)
       LEFT JOIN deadlines d ON $8 = 'delivery' AND d.id = $12
      WHERE $4 <> 'owner' OR k.owner_id IS NOT NULL
     ON CONFLICT (key) DO NOTHING`,
    [
      n.id, rule.kind, n.reason, n.audience, n.contractId, n.subject, n.body, rule.due, rule.subject, workflowId, invoiceNumber,
      deadlineRowId(workflowId, { kind: 'delivery_confirmation', ref: DELIVERY_DEADLINE_REF }),
    ],
  );
  if (rowCount === 1) {
    await settleWorkItems(db, { key: n.id });
    // outside the console too: e-mail and SMS to the people it is addressed to, owed in this same transaction
    await enqueueWorkItemDeliveries(db, n.id);
  }
  return rowCount === 1;
}

export type SettleScope = { key: string } | { caseId: string } | { outageId: string } | { invoiceNumber: string } | { contractId: string };

const SCOPE_COLUMN = (scope: SettleScope): [string, string] =>
  'key' in scope
    ? ['key', scope.key]
    : 'caseId' in scope
      ? ['case_id', scope.caseId]
      : 'outageId' in scope
        ? ['outage_id', scope.outageId]
        : 'invoiceNumber' in scope
          ? ['invoice_number', scope.invoiceNumber]
          : ['contract_id', scope.contractId];

/**
 * Closes the unfinished items in scope whose cause is resolved (each kind's
 * rule, domain/work-items.ts WORK_ITEM_RESOLUTIONS): closed_reason 'resolved',
 * done by the system. Returns the ids it closed.
 */
export async function settleWorkItems(db: Queryable, scope: SettleScope, at?: string): Promise<number[]> {
  const [column, value] = SCOPE_COLUMN(scope);
  const { rows } = await db.query(
    `UPDATE work_items w
        SET state = 'done', done_at = COALESCE($3::timestamptz, now()), done_by = 'system', closed_reason = 'resolved', updated_at = now()
      WHERE w.${column} = $1 AND w.state <> 'done' AND (
        ($2::jsonb -> w.kind ->> 'by' = 'case'
          AND EXISTS (SELECT 1 FROM legal_cases c WHERE c.id = w.case_id AND NOT (($2::jsonb -> w.kind -> 'openWhile') ? c.status)))
        OR ($2::jsonb -> w.kind ->> 'by' = 'outage'
          AND EXISTS (SELECT 1 FROM outages o WHERE o.id = w.outage_id AND NOT (($2::jsonb -> w.kind -> 'openWhile') ? o.status)))
        OR ($2::jsonb -> w.kind ->> 'by' = 'invoice_paid'
          AND EXISTS (SELECT 1 FROM invoices i WHERE i.number = w.invoice_number AND i.status = 'paid'))
        OR ($2::jsonb -> w.kind ->> 'by' = 'delivery_confirmed'
          AND EXISTS (SELECT 1 FROM delivery_confirmations d WHERE d.contract_id = w.contract_id))
        OR ($2::jsonb -> w.kind ->> 'by' = 'contract_status'
          AND EXISTS (SELECT 1 FROM contracts k WHERE k.id = w.contract_id AND (($2::jsonb -> w.kind -> 'closedBy') ? k.status)))
        OR ($2::jsonb -> w.kind ->> 'by' = 'deadline_closed'
          AND NOT EXISTS (SELECT 1 FROM deadlines dl WHERE dl.workflow_id = split_part(w.key, ':', 1) AND dl.status = 'open'))
      )
      RETURNING w.id`,
    [value, JSON.stringify(WORK_ITEM_RESOLUTIONS), at ?? null],
  );
  return rows.map((r) => Number(r.id));
}

/** The inbox: the user's own items and their role's, in the given states, soonest due first (no due time last), newest first among equals. */
export async function listInbox(db: Queryable, owner: InboxOwner, filter: { states: readonly WorkItemState[]; limit: number; offset: number }): Promise<{ items: WorkItemRow[]; total: number }> {
  const where = `(w.user_id = $1 OR w.role = $2) AND w.state = ANY($3::text[])`;
  const [page, count] = await Promise.all([
    db.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE ${where} ORDER BY w.due_at NULLS LAST, w.created_at DESC, w.id DESC LIMIT $4 OFFSET $5`, [
      owner.userId, owner.role, filter.states, filter.limit, filter.offset,
    ]),
    db.query(`SELECT count(*)::int AS total FROM work_items w WHERE ${where}`, [owner.userId, owner.role, filter.states]),
  ]);
  return { items: page.rows.map(toRow), total: Number(count.rows[0]!.total) };
}

/** How many items in the inbox are still open (not yet acknowledged): the console's badge. */
export async function countUnread(db: Queryable, owner: InboxOwner): Promise<number> {
  const { rows } = await db.query(`SELECT count(*)::int AS n FROM work_items w WHERE (w.user_id = $1 OR w.role = $2) AND w.state = 'open'`, [owner.userId, owner.role]);
  return Number(rows[0]!.n);
}

/** One item, if it is addressed to the owner (to them or their role); `forUpdate` locks it for a transition. */
export async function findInboxItem(db: Queryable, owner: InboxOwner, id: number, forUpdate = false): Promise<WorkItemRow | null> {
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM ${FROM} WHERE w.id = $1 AND (w.user_id = $2 OR w.role = $3)${forUpdate ? ' FOR UPDATE OF w' : ''}`,
    [id, owner.userId, owner.role],
  );
  return rows[0] ? toRow(rows[0]) : null;
}

/** A person's transition (domain/work-items.ts WORK_ITEM_ACTIONS), guarded by the state; null when the item was not in a state it allows. */
export async function applyWorkItemAction(db: Queryable, input: { id: number; action: WorkItemAction; by: string; at: string }): Promise<boolean> {
  const { from, to } = WORK_ITEM_ACTIONS[input.action];
  const { rowCount } = await db.query(
    `UPDATE work_items
        SET state = $2,
            acknowledged_at = CASE WHEN $2 = 'acknowledged' THEN $4::timestamptz ELSE acknowledged_at END,
            acknowledged_by = CASE WHEN $2 = 'acknowledged' THEN $5 ELSE acknowledged_by END,
            done_at = CASE WHEN $2 = 'done' THEN $4::timestamptz ELSE done_at END,
            done_by = CASE WHEN $2 = 'done' THEN $5 ELSE done_by END,
            closed_reason = CASE WHEN $2 = 'done' THEN 'by_user' ELSE closed_reason END,
            updated_at = now()
      WHERE id = $1 AND state = ANY($3::text[])`,
    [input.id, to, from, input.at, input.by],
  );
  return rowCount === 1;
}
