/**
 * The lifecycle's own records: renewal objections, renewals (with the term
 * they extend), supplemental agreements as listed, and the contracts in
 * service.
 */
import type { Queryable } from './pool';

/** Records the objection once per term; false when it was recorded before. */
export async function insertRenewalObjection(db: Queryable, input: { contractId: string; termEndsAt: string; party: string; reason: string; recordedBy: string }): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO renewal_objections (contract_id, term_ends_at, party, reason, recorded_by) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (contract_id, term_ends_at) DO NOTHING`,
    [input.contractId, input.termEndsAt, input.party, input.reason, input.recordedBy],
  );
  return rowCount === 1;
}

/** Records the renewal once and moves the contract's term end; false when it was recorded before. */
export async function insertRenewal(db: Queryable, input: { contractId: string; seq: number; previousEndAt: string; newEndAt: string; invoiceNumber: string }): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO renewals (contract_id, seq, previous_end_at, new_end_at, invoice_number) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
    [input.contractId, input.seq, input.previousEndAt, input.newEndAt, input.invoiceNumber],
  );
  if (rowCount !== 1) return false;
  await db.query('UPDATE contracts SET term_ends_at = $2, updated_at = now() WHERE id = $1', [input.contractId, input.newEndAt]);
  return true;
}

export async function listAmendments(db: Queryable, contractId: string): Promise<Record<string, unknown>[]> {
  const { rows } = await db.query(
    'SELECT seq, description, changes, status, signatures, proposed_by, proposed_at, signed_at FROM amendments WHERE contract_id = $1 ORDER BY seq',
    [contractId],
  );
  return rows;
}

/** The ids of the contracts in service (active), oldest first. */
export async function listActiveContractIds(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(`SELECT id FROM contracts WHERE status = 'active' ORDER BY created_at, id`);
  return rows.map((r) => r.id);
}

export async function insertTermination(db: Queryable, input: { contractId: string; reason: string; effectiveAt: string; recordedBy: string }): Promise<void> {
  await db.query(`INSERT INTO terminations (contract_id, reason, effective_at, recorded_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [
    input.contractId,
    input.reason,
    input.effectiveAt,
    input.recordedBy,
  ]);
}

/**
 * Writes the amendment's state (created on first sight) and, once signed by
 * both, the contract's new terms; the state before, or null when it already
 * was this one (a retried activity).
 */
export async function saveAmendment(
  db: Queryable,
  input: { contractId: string; seq: number; description: string; changes: unknown; signatures: unknown[]; signedTerms?: unknown; proposedBy: string },
): Promise<{ status: string; signatures: unknown[] } | null> {
  await db.query(
    `INSERT INTO amendments (contract_id, seq, description, changes, status, signatures, proposed_by)
     VALUES ($1, $2, $3, $4, 'proposed', '[]', $5) ON CONFLICT (contract_id, seq) DO NOTHING`,
    [input.contractId, input.seq, input.description, JSON.stringify(input.changes), input.proposedBy],
  );
  const { rows } = await db.query('SELECT status, signatures FROM amendments WHERE contract_id = $1 AND seq = $2 FOR UPDATE', [input.contractId, input.seq]);
  const before = rows[0] as { status: string; signatures: unknown[] };
  const status = input.signedTerms ? 'signed' : 'proposed';
  if (before.signatures.length === input.signatures.length && before.status === status) return null;
  await db.query(`UPDATE amendments SET signatures = $3, status = $4, signed_at = CASE WHEN $4 = 'signed' THEN now() ELSE NULL END WHERE contract_id = $1 AND seq = $2`, [
    input.contractId,
    input.seq,
    JSON.stringify(input.signatures),
    status,
  ]);
  if (input.signedTerms) await db.query('UPDATE contracts SET terms = $2, updated_at = now() WHERE id = $1', [input.contractId, JSON.stringify(input.signedTerms)]);
  return before;
}
