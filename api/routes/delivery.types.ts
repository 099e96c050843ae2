/**
 * What the delivery confirmation routes answer (Art.3 §3), as types only (no
 * runtime code): the web console imports them (`import type`).
 * api/routes/views.check.ts proves they match what the handlers return.
 */
import type { DeliveryConfirmationRow } from '../../db/delivery';
import type { DocumentMeta } from '../../db/documents';
import type { DeliveryStatus } from '../../domain/delivery';

/** GET and POST /api/contracts/:id/delivery-confirmation */
export type DeliveryConfirmationView = {
  status: DeliveryStatus;
  /** the 业务受理单 and where to download it */
  form: (DocumentMeta & { url: string }) | null;
  /** the confirmation deadline as the read model holds it, whatever its status */
  deadline: { dueAt: string; explanation: string; explanationEn: string; provisional: boolean; status: 'open' | 'met' | 'lapsed' | 'cancelled' } | null;
  confirmation: DeliveryConfirmationRow | null;
};
