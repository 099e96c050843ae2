/**
 * Art.3 §3, the delivery confirmation form (业务受理单) from the API's side:
 * a scan of the signed form is stored (with its audit event) before the
 * confirmation is sent to the lifecycle, as cases file their written documents
 * (services/cases.ts fileWrittenDocument); and the form's state as the read
 * model knows it.
 */
import { documentId, type Actor } from '../domain/contract';
import type { DeliveryScanRef, DeliveryStatus, TDeliveryConfirmationRequest } from '../domain/delivery';
import { appendAudit } from '../db/audit';
import type { ContractRow } from '../db/contracts';
import { findDeliveryConfirmation, findDeliveryDeadline, type DeliveryConfirmationRow } from '../db/delivery';
import { listDocuments, storeDocument, type DocumentMeta } from '../db/documents';
import type { Db } from '../db/pool';
import { sha256Hex } from '../pdf';

/** The kind of a stored scan of the signed delivery form. */
export const DELIVERY_SCAN_KIND = 'delivery_confirmation_scan';

/**
 * Stores the scanned form once (its id carries the content's hash, so a
 * retried request stores it once) with its `document.filed` audit event.
 */
export async function fileDeliveryScan(
  db: Db,
  input: { contract: ContractRow; doc: NonNullable<TDeliveryConfirmationRequest['document']>; actor: Actor },
): Promise<DeliveryScanRef> {
  const content = Buffer.from(input.doc.pdfBase64, 'base64');
  const sha256 = sha256Hex(content);
  const id = documentId(input.contract.id, DELIVERY_SCAN_KIND, sha256.slice(0, 16));
  const title = input.doc.title ?? '业务受理单（交付确认单）甲方签章扫描件';
  return db.withTransaction(async (tx) => {
    const stored = await storeDocument(tx, { id, contractId: input.contract.id, kind: DELIVERY_SCAN_KIND, title, sha256, content });
    if (stored.sha256 === sha256) {
      await appendAudit(tx, {
        type: 'document.filed',
        contractId: input.contract.id,
        actor: input.actor,
        after: { documentId: id, kind: DELIVERY_SCAN_KIND, sha256, sizeBytes: content.length },
        data: { caseId: null, source: 'pdf_upload', purpose: 'delivery_confirmation' },
      });
    }
    return { documentId: stored.id, title: stored.title, sha256: stored.sha256 };
  });
}

export type DeliveryView = {
  status: DeliveryStatus;
  /** the 业务受理单 (the latest, if a contract has more than one) */
  form: DocumentMeta | null;
  deadline: { dueAt: string; explanation: string; explanationEn: string; provisional: boolean; status: 'open' | 'met' | 'lapsed' | 'cancelled' } | null;
  confirmation: DeliveryConfirmationRow | null;
};

/** The form, its deadline and Party A's confirmation, from the read model. */
export async function deliveryView(db: Db, contract: Pick<ContractRow, 'id' | 'workflowId'>): Promise<DeliveryView> {
  const [documents, deadline, confirmation] = await Promise.all([
    listDocuments(db, contract.id),
    findDeliveryDeadline(db, contract.workflowId),
    findDeliveryConfirmation(db, contract.id),
  ]);
  const form = documents.filter((d) => d.kind === 'delivery_confirmation').at(-1) ?? null;
  const status: DeliveryStatus = confirmation
    ? 'confirmed'
    : deadline?.status === 'lapsed'
      ? 'unconfirmed'
      : deadline?.status === 'open'
        ? 'awaiting_confirmation'
        : deadline?.status === 'cancelled'
          ? 'cancelled'
          : form
            ? 'not_requested'
            : 'not_delivered';
  return { status, form, deadline, confirmation };
}
