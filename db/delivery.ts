/**
 * Art.3 §3: Party A's confirmation of the delivery form (业务受理单), one row
 * per contract, and what the read model knows of the form's deadline.
 */
import { deadlineRowId } from '../domain/contract';
import type { DeliveryConfirmationRecord } from '../domain/delivery';
import { DELIVERY_DEADLINE_REF } from '../domain/delivery';
import type { Queryable } from './pool';
import { settleWorkItems } from './work-items';

export type DeliveryConfirmationRow = DeliveryConfirmationRecord & {
  contractId: string;
  formDocumentId: string | null;
  deliveredAt: string;
  dueAt: string;
};

/** Records the confirmation once per contract; false when one is already recorded. */
export async function insertDeliveryConfirmation(db: Queryable, row: DeliveryConfirmationRow): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO delivery_confirmations (contract_id, form_document_id, delivered_at, due_at, signer, title, sealed, confirmed_at, scan_document_id, on_time, recorded_by, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (contract_id) DO NOTHING`,
    [
      row.contractId,
      row.formDocumentId,
      row.deliveredAt,
      row.dueAt,
      row.signer,
      row.title,
      row.sealed,
      row.confirmedAt,
      row.scan?.documentId ?? null,
      row.onTime,
      row.recordedBy,
      row.recordedAt,
    ],
  );
  // confirmed: the account manager's delivery_unconfirmed item closes itself
  if (rowCount === 1) await settleWorkItems(db, { contractId: row.contractId }, row.recordedAt);
  return rowCount === 1;
}

export async function findDeliveryConfirmation(db: Queryable, contractId: string): Promise<DeliveryConfirmationRow | null> {
  const { rows } = await db.query(
    `SELECT d.*, s.title AS scan_title, s.sha256 AS scan_sha256 FROM delivery_confirmations d
       LEFT JOIN documents s ON s.id = d.scan_document_id WHERE d.contract_id = $1`,
    [contractId],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    contractId: row.contract_id,
    formDocumentId: row.form_document_id,
    deliveredAt: (row.delivered_at as Date).toISOString(),
    dueAt: (row.due_at as Date).toISOString(),
    signer: row.signer,
    title: row.title,
    sealed: row.sealed,
    confirmedAt: (row.confirmed_at as Date).toISOString(),
    scan: row.scan_document_id ? { documentId: row.scan_document_id, title: row.scan_title ?? '', sha256: row.scan_sha256 ?? '' } : null,
    onTime: row.on_time,
    recordedBy: row.recorded_by,
    recordedAt: (row.recorded_at as Date).toISOString(),
  };
}

/** The form's confirmation deadline in the read model, whatever its status (null: the contract never had one). */
export async function findDeliveryDeadline(
  db: Queryable,
  workflowId: string,
): Promise<{ dueAt: string; explanation: string; explanationEn: string; provisional: boolean; status: 'open' | 'met' | 'lapsed' | 'cancelled' } | null> {
  const { rows } = await db.query('SELECT due_at, explanation, explanation_en, provisional, status FROM deadlines WHERE id = $1', [
    deadlineRowId(workflowId, { kind: 'delivery_confirmation', ref: DELIVERY_DEADLINE_REF }),
  ]);
  const row = rows[0];
  if (!row) return null;
  return { dueAt: (row.due_at as Date).toISOString(), explanation: row.explanation, explanationEn: row.explanation_en, provisional: row.provisional ?? false, status: row.status };
}
