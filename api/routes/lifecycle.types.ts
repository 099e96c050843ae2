/**
 * What the lifecycle routes answer, as types only (no runtime code): the web
 * console imports them (`import type`). The acts on a contract answer with the
 * contract (contracts.types.ts ContractDetailView).
 */
import type { SignatureRecord } from '../../domain/contract';
import type { AmendmentChanges } from '../../domain/lifecycle';

/**
 * One supplemental agreement as GET /api/contracts/:id/amendments lists it:
 * the columns of the amendments table (db/lifecycle.ts listAmendments), as
 * stored (snake_case, instants as ISO 8601 strings once in JSON).
 */
export type AmendmentView = {
  seq: number;
  description: string;
  changes: AmendmentChanges;
  status: 'proposed' | 'signed';
  signatures: SignatureRecord[];
  proposed_by: string;
  proposed_at: string;
  signed_at: string | null;
};

/** GET /api/contracts/:id/amendments */
export type AmendmentListView = { items: AmendmentView[] };
