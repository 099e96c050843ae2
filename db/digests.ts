/**
 * The renewal digest: deadlines ahead, grouped by contract owner; and the
 * deadlines a user may see, for the calendar export.
 */
import { invoiceStatusOf, type InvoiceStatus, type StoredInvoiceStatus } from '../domain/billing';
import { organisationCondition, ownerMatch, type OrganisationScope } from './contracts';
import type { Queryable } from './pool';

/** The invoice a payment deadline is for, as it stands when the digest is built. */
export type DigestInvoice = { number: string; status: InvoiceStatus; amountFen: number; paidFen: number; outstandingFen: number };

export type DigestItem = {
  contractId: string;
  contractNumber: string;
  partyA: string;
  kind: string;
  dueAt: string;
  explanation: string;
  /** payment deadlines: the invoice (partly paid ones say so); absent in digests built before it was added */
  invoice?: DigestInvoice;
};

const invoiceOf = (row: Record<string, unknown>): DigestInvoice | undefined => {
  if (row.invoice_number === null || row.invoice_number === undefined) return undefined;
  const amountFen = Number(row.invoice_amount_fen);
  const paidFen = Number(row.invoice_paid_fen);
  return {
    number: row.invoice_number as string,
    status: invoiceStatusOf({ status: row.invoice_status as StoredInvoiceStatus, amountFen, paidFen }),
    amountFen,
    paidFen,
    outstandingFen: amountFen - paidFen,
  };
};

export type DigestGroup = { ownerId: string; ownerName: string; renewalWindows: DigestItem[]; termsEnding: DigestItem[]; payments: DigestItem[]; cures: DigestItem[] };
export type Digest = { id: string; generatedAt: string; horizonDays: number; asOf: string; groups: DigestGroup[] };

const toItem = (row: Record<string, unknown>): DigestItem => {
  const invoice = invoiceOf(row);
  return {
    contractId: row.contract_id as string,
    contractNumber: row.number as string,
    partyA: row.party_a_name as string,
    kind: row.kind as string,
    dueAt: (row.due_at as Date).toISOString(),
    explanation: row.explanation as string,
    ...(invoice ? { invoice } : {}),
  };
};

export async function openDeadlinesWithin(db: Queryable, asOf: string, horizonDays: number) {
  const { rows } = await db.query(
    `SELECT d.contract_id, d.kind, d.due_at, d.explanation, c.number, c.party_a_name, c.owner_id, coalesce(u.name, c.owner_id) AS owner_name,
            i.number AS invoice_number, i.status AS invoice_status, i.amount_fen AS invoice_amount_fen, i.paid_fen AS invoice_paid_fen
       FROM deadlines d JOIN contracts c ON c.id = d.contract_id LEFT JOIN users u ON u.id = c.owner_id
       LEFT JOIN invoices i ON d.kind = 'payment' AND i.workflow_id = d.workflow_id
      WHERE d.status = 'open' AND d.due_at >= $1::timestamptz AND d.due_at <= $1::timestamptz + make_interval(days => $2)
        AND d.kind IN ('renewal_objection', 'term_end', 'payment', 'cure')
      ORDER BY c.owner_id, d.due_at`,
    [asOf, horizonDays],
  );
  return rows;
}

export function groupByOwner(rows: Record<string, unknown>[]): DigestGroup[] {
  const groups = new Map<string, DigestGroup>();
  for (const row of rows) {
    const ownerId = row.owner_id as string;
    const group = groups.get(ownerId) ?? { ownerId, ownerName: row.owner_name as string, renewalWindows: [], termsEnding: [], payments: [], cures: [] };
    const item = toItem(row);
    if (item.kind === 'renewal_objection') group.renewalWindows.push(item);
    else if (item.kind === 'term_end') group.termsEnding.push(item);
    else if (item.kind === 'payment') group.payments.push(item);
    else group.cures.push(item);
    groups.set(ownerId, group);
  }
  return [...groups.values()];
}

export async function storeDigest(db: Queryable, digest: Digest): Promise<void> {
  await db.query(
    `INSERT INTO digests (id, generated_at, horizon_days, content) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET generated_at = EXCLUDED.generated_at, content = EXCLUDED.content`,
    [digest.id, digest.generatedAt, digest.horizonDays, JSON.stringify(digest)],
  );
}

export async function latestDigest(db: Queryable): Promise<Digest | null> {
  const { rows } = await db.query('SELECT content FROM digests ORDER BY generated_at DESC LIMIT 1');
  return (rows[0]?.content as Digest | undefined) ?? null;
}

/** Open deadlines a user may see: a sales user's own contracts and their team's, or all (staff), or the organisation's (customer). */
export async function calendarDeadlines(db: Queryable, scope: { ownerIds?: readonly string[]; organisation?: OrganisationScope }) {
  const where = ["d.status = 'open'"];
  const values: unknown[] = [];
  if (scope.ownerIds) {
    const owners = ownerMatch('c.owner_id', scope.ownerIds);
    where.push(owners.sql.replace('?', `$${values.push(owners.value)}`));
  }
  if (scope.organisation) {
    const condition = organisationCondition(scope.organisation, 'c', values.length + 1);
    values.push(...condition.values);
    where.push(condition.sql);
  }
  const { rows } = await db.query(
    `SELECT d.id, d.kind, d.due_at, d.explanation, d.updated_at, d.provisional, c.id AS contract_id, c.number, c.party_a_name
       FROM deadlines d JOIN contracts c ON c.id = d.contract_id WHERE ${where.join(' AND ')} ORDER BY d.due_at LIMIT 5000`,
    values,
  );
  return rows.map((r) => ({
    id: r.id as string,
    kind: r.kind as string,
    dueAt: (r.due_at as Date).toISOString(),
    updatedAt: (r.updated_at as Date).toISOString(),
    explanation: r.explanation as string,
    provisional: r.provisional as boolean,
    contractId: r.contract_id as string,
    contractNumber: r.number as string,
    partyA: r.party_a_name as string,
  }));
}
