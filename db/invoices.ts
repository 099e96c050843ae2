/**
 * Invoices, payments, top-ups and quota grants.
 */
import type { InvoiceGroup } from '../domain/ageing';
import { INVOICE_STATUSES, invoiceStatusOf, type InvoiceKind, type InvoiceSpec, type InvoiceStatus, type PaymentRecord, type StoredInvoiceStatus } from '../domain/billing';
import { CONTRACT_SEARCH_COLUMNS, containsPattern, ownerMatch, searchMatch } from './contracts';
import type { Queryable } from './pool';
import { settleWorkItems } from './work-items';

export type InvoiceRow = {
  number: string;
  contractId: string;
  kind: InvoiceKind;
  periodLabel: string;
  amountFen: number;
  paidFen: number;
  outstandingFen: number;
  vatRatePercent: number;
  invoiceType: string;
  /** as read (domain/billing.ts invoiceStatusOf): the stored status, `partially_paid` while open with a payment */
  status: InvoiceStatus;
  issuedAt: string;
  dueAt: string;
  dueExplanation: string;
  paidAt: string | null;
  overdueAt: string | null;
  topUpSms: number | null;
  workflowId: string;
  billingSystem: string;
  externalId: string | null;
};

const iso = (v: Date | null) => (v ? v.toISOString() : null);
const COLUMNS = `number, contract_id, kind, period_label, amount_fen, paid_fen, vat_rate_percent, invoice_type, status, issued_at, due_at,
  due_explanation, paid_at, overdue_at, top_up_sms, workflow_id, billing_system, external_id`;

function toInvoice(row: Record<string, unknown>): InvoiceRow {
  const amountFen = Number(row.amount_fen);
  const paidFen = Number(row.paid_fen);
  return {
    number: row.number as string,
    contractId: row.contract_id as string,
    kind: row.kind as InvoiceKind,
    periodLabel: row.period_label as string,
    amountFen,
    paidFen,
    outstandingFen: amountFen - paidFen,
    vatRatePercent: Number(row.vat_rate_percent),
    invoiceType: row.invoice_type as string,
    status: invoiceStatusOf({ status: row.status as StoredInvoiceStatus, amountFen, paidFen }),
    issuedAt: (row.issued_at as Date).toISOString(),
    dueAt: (row.due_at as Date).toISOString(),
    dueExplanation: row.due_explanation as string,
    paidAt: iso(row.paid_at as Date | null),
    overdueAt: iso(row.overdue_at as Date | null),
    topUpSms: (row.top_up_sms as number | null) ?? null,
    workflowId: row.workflow_id as string,
    billingSystem: row.billing_system as string,
    externalId: (row.external_id as string | null) ?? null,
  };
}

/** Inserts the invoice once; returns true when this call created it. */
export async function insertInvoice(db: Queryable, spec: InvoiceSpec, billing: { system: string; externalId: string | null }): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO invoices (number, contract_id, kind, period_label, amount_fen, vat_rate_percent, invoice_type, issued_at, due_at,
       due_explanation, top_up_sms, workflow_id, billing_system, external_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (number) DO NOTHING`,
    [
      spec.number, spec.contractId, spec.kind, spec.periodLabel, spec.amountFen, spec.vatRatePercent, spec.invoiceType, spec.issuedAt,
      spec.dueAt, spec.dueExplanation, spec.topUpSms, spec.workflowId, billing.system, billing.externalId,
    ],
  );
  return rowCount === 1;
}

export async function findInvoice(db: Queryable, number: string): Promise<InvoiceRow | null> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM invoices WHERE number = $1`, [number]);
  return rows[0] ? toInvoice(rows[0]) : null;
}

export async function listInvoicesForContract(db: Queryable, contractId: string): Promise<InvoiceRow[]> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM invoices WHERE contract_id = $1 ORDER BY issued_at, number`, [contractId]);
  return rows.map(toInvoice);
}

export async function oldestUnpaidInvoice(db: Queryable, contractId: string): Promise<InvoiceRow | null> {
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM invoices WHERE contract_id = $1 AND status <> 'paid' ORDER BY issued_at, number LIMIT 1`,
    [contractId],
  );
  return rows[0] ? toInvoice(rows[0]) : null;
}

/**
 * The SQL condition for a status as read: the stored column with the amounts,
 * as domain/billing.ts invoiceStatusOf derives it (open with a payment is partly paid).
 */
function statusCondition(status: InvoiceStatus): string {
  switch (status) {
    case 'open':
      return `(status = 'open' AND paid_fen = 0)`;
    case 'partially_paid':
      return `(status = 'open' AND paid_fen > 0)`;
    case 'paid':
      return `status = 'paid'`;
    case 'overdue':
      return `status = 'overdue'`;
  }
}

/** The owners' condition (db/contracts.ts ownerMatch), its value appended to `values` and numbered after them. */
function ownersWhere(ownerIds: readonly string[], values: unknown[], column = 'owner_id'): string {
  const owners = ownerMatch(column, ownerIds);
  return owners.sql.replace('?', `$${values.push(owners.value)}`);
}

export type InvoiceFilter = {
  status?: InvoiceStatus;
  dueWithinDays?: number;
  contractId?: string;
  ownerIds?: readonly string[];
  /** folded search text (domain/contract-list.ts searchText): a substring of the invoice number, or of its contract's number, Party A's name or credit code */
  q?: string;
  limit: number;
  offset: number;
};

/**
 * A page of invoices, overdue first, then by due date, with the total the
 * filters match (also past the last page); the page and the count run in
 * parallel.
 */
export async function listInvoices(db: Queryable, filter: InvoiceFilter): Promise<{ items: InvoiceRow[]; total: number }> {
  const where: string[] = [];
  const values: unknown[] = [];
  if (filter.status) where.push(statusCondition(filter.status));
  if (filter.contractId) where.push(`contract_id = $${values.push(filter.contractId)}`);
  if (filter.ownerIds) where.push(`contract_id IN (SELECT id FROM contracts WHERE ${ownersWhere(filter.ownerIds, values)})`);
  if (filter.dueWithinDays !== undefined) where.push(`status <> 'paid' AND due_at <= now() + make_interval(days => $${values.push(filter.dueWithinDays)})`);
  if (filter.q !== undefined) {
    const pattern = `$${values.push(containsPattern(filter.q))}`;
    where.push(
      `(${searchMatch(['number'], pattern)} OR contract_id IN (SELECT c.id FROM contracts c WHERE ${searchMatch(CONTRACT_SEARCH_COLUMNS.map((column) => `c.${column}`), pattern)}))`,
    );
  }
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const [page, count] = await Promise.all([
    db.query(
      `SELECT ${COLUMNS} FROM invoices ${whereSql}
        ORDER BY (status = 'overdue') DESC, due_at, number LIMIT ${Number(filter.limit)} OFFSET ${Number(filter.offset)}`,
      values,
    ),
    db.query<{ total: number }>(`SELECT count(*)::int AS total FROM invoices ${whereSql}`, values),
  ]);
  return { items: page.rows.map(toInvoice), total: count.rows[0]!.total };
}

/** Records a payment once per (contract, reference); returns false when the reference was already counted. */
export async function insertPayment(db: Queryable, input: { contractId: string; invoiceNumber: string; payment: PaymentRecord }): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO payments (contract_id, reference, invoice_number, amount_fen, paid_at, method, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (contract_id, reference) DO NOTHING`,
    [input.contractId, input.payment.reference, input.invoiceNumber, input.payment.amountFen, input.payment.paidAt, input.payment.method, input.payment.recordedBy],
  );
  return rowCount === 1;
}

export async function findPayment(db: Queryable, contractId: string, reference: string) {
  const { rows } = await db.query('SELECT invoice_number, amount_fen FROM payments WHERE contract_id = $1 AND reference = $2', [contractId, reference]);
  return rows[0] ? { invoiceNumber: rows[0].invoice_number as string, amountFen: Number(rows[0].amount_fen) } : null;
}

export async function listPayments(db: Queryable, invoiceNumber: string): Promise<PaymentRecord[]> {
  const { rows } = await db.query(
    'SELECT reference, amount_fen, paid_at, method, recorded_by FROM payments WHERE invoice_number = $1 ORDER BY recorded_at, reference',
    [invoiceNumber],
  );
  return rows.map((r) => ({ reference: r.reference, amountFen: Number(r.amount_fen), paidAt: (r.paid_at as Date).toISOString(), method: r.method, recordedBy: r.recorded_by }));
}

/** Adds the payment to the invoice total; marks it paid when complete. */
export async function addToInvoice(db: Queryable, number: string, amountFen: number, paidAt: string): Promise<InvoiceRow> {
  const { rows } = await db.query(
    `UPDATE invoices SET paid_fen = paid_fen + $2,
            status = CASE WHEN paid_fen + $2 = amount_fen THEN 'paid' ELSE status END,
            paid_at = CASE WHEN paid_fen + $2 = amount_fen THEN $3::timestamptz ELSE paid_at END
      WHERE number = $1 RETURNING ${COLUMNS}`,
    [number, amountFen, paidAt],
  );
  if (!rows[0]) throw new Error(`invoice ${number} not found`);
  const invoice = toInvoice(rows[0]);
  // paid in full: its overdue work items close themselves
  if (rows[0].status === 'paid') await settleWorkItems(db, { invoiceNumber: number });
  return invoice;
}

export async function markOverdue(db: Queryable, number: string, at: string): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE invoices SET status = 'overdue', overdue_at = $2 WHERE number = $1 AND status = 'open'`, [number, at]);
  return rowCount === 1;
}

/** A top-up once per (contract, seq); with how it was priced (Art.3 §5: the list price, the package, finance's reason for another price). */
export async function insertTopUp(
  db: Queryable,
  t: { contractId: string; seq: number; sms: number; priceFen: number; invoiceNumber: string; requestedBy: string; package?: string | null; listPriceFen?: number | null; priceReason?: string | null },
) {
  const { rowCount } = await db.query(
    `INSERT INTO top_ups (contract_id, seq, sms, price_fen, invoice_number, requested_by, package, list_price_fen, price_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (contract_id, seq) DO NOTHING`,
    [t.contractId, t.seq, t.sms, t.priceFen, t.invoiceNumber, t.requestedBy, t.package ?? null, t.listPriceFen ?? null, t.priceReason ?? null],
  );
  return rowCount === 1;
}

export async function grantQuota(db: Queryable, g: { invoiceNumber: string; contractId: string; contractYear: number; sms: number }): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO quota_grants (invoice_number, contract_id, contract_year, sms) VALUES ($1, $2, $3, $4) ON CONFLICT (invoice_number) DO NOTHING`,
    [g.invoiceNumber, g.contractId, g.contractYear, g.sms],
  );
  return rowCount === 1;
}

export async function grantedQuota(db: Queryable, contractId: string): Promise<Map<number, number>> {
  const { rows } = await db.query('SELECT contract_year, sum(sms)::int AS sms FROM quota_grants WHERE contract_id = $1 GROUP BY contract_year', [contractId]);
  return new Map(rows.map((r) => [r.contract_year as number, r.sms as number]));
}

/** The status as read, as an SQL expression over the row (the same conditions as the list filter). */
const STATUS_AS_READ = `CASE ${INVOICE_STATUSES.map((s) => `WHEN ${statusCondition(s)} THEN '${s}'`).join(' ')} END`;

/** Invoices grouped by status as read and whether anything was paid: the count and sums (fen) of each group, for the totals. */
export async function invoiceGroups(db: Queryable, scope: { ownerIds?: readonly string[] }): Promise<InvoiceGroup[]> {
  const values: unknown[] = [];
  const where = scope.ownerIds ? `WHERE contract_id IN (SELECT id FROM contracts WHERE ${ownersWhere(scope.ownerIds, values)})` : '';
  const { rows } = await db.query(
    `SELECT ${STATUS_AS_READ} AS status, paid_fen > 0 AS any_paid, count(*)::int AS n, sum(amount_fen)::bigint AS amount_fen, sum(paid_fen)::bigint AS paid_fen
       FROM invoices ${where} GROUP BY 1, 2 ORDER BY 1, 2`,
    values,
  );
  return rows.map((r) => ({ status: r.status as InvoiceStatus, anyPaid: r.any_paid as boolean, count: r.n as number, amountFen: Number(r.amount_fen), paidFen: Number(r.paid_fen) }));
}

export type OutstandingInvoiceRow = InvoiceRow & { contractNumber: string; partyA: string };

/** Every invoice not paid in full (a sales user: on their contracts and their team's), with its contract's number and customer, oldest due first. */
export async function outstandingInvoices(db: Queryable, scope: { ownerIds?: readonly string[] }): Promise<OutstandingInvoiceRow[]> {
  const values: unknown[] = [];
  const owner = scope.ownerIds ? `AND ${ownersWhere(scope.ownerIds, values, 'c.owner_id')}` : '';
  const columns = COLUMNS.split(',').map((c) => `i.${c.trim()}`).join(', ');
  const { rows } = await db.query(
    `SELECT ${columns}, c.number AS contract_number, c.party_a_name
       FROM invoices i JOIN contracts c ON c.id = i.contract_id
      WHERE i.status <> 'paid' ${owner}
      ORDER BY i.due_at, i.number`,
    values,
  );
  return rows.map((r) => ({ ...toInvoice(r), contractNumber: r.contract_number as string, partyA: r.party_a_name as string }));
}
