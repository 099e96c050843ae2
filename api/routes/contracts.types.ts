/**
 * What the contract routes answer, as types only (no runtime code): the web
 * console imports them (`import type`) instead of restating them. Built from
 * the domain and row types the handlers in contracts.ts put together;
 * api/routes/views.check.ts proves they match what the handlers return.
 */
import type { AuditRow } from '../../db/audit';
import type { ContractListItem } from '../../db/contracts';
import type { ContractOwner } from '../../db/users';
import type { DocumentMeta } from '../../db/documents';
import type { NotificationRecord } from '../../db/notifications';
import type { ContractStatus, DeadlineView, SignatureRecord } from '../../domain/contract';
import type { Matter } from '../../domain/risk';
import type { ContractTerms } from '../../domain/terms';
import type { InvoiceView } from './invoices.types';

/** GET /api/templates/reference */
export type ReferenceTemplateView = { terms: ContractTerms };

/** One row of GET /api/contracts. */
export type ContractListItemView = Pick<ContractListItem, 'id' | 'number' | 'status' | 'ownerId' | 'effectiveAt' | 'termEndsAt' | 'createdAt'> & {
  partyA: string;
  partyB: string;
  nextDeadline: (NonNullable<ContractListItem['nextDeadline']> & { secondsLeft: number }) | null;
  /** the worst open matter (domain/risk.ts) */
  risk: Matter | null;
};

/** GET /api/contracts */
export type ContractListView = { total: number; items: ContractListItemView[] };

/** GET /api/contract-owners: whom the caller's contract list can be narrowed to. */
export type ContractOwnersView = { items: ContractOwner[] };

/** A contract's document as listed: its metadata and where to download it. */
export type ContractDocumentView = DocumentMeta & { url: string };

/** GET /api/contracts/:id, and the answer of every act on a contract (create, sign, terminate…). */
export type ContractDetailView = {
  id: string;
  number: string;
  status: ContractStatus;
  /** the open matters, worst first */
  risk: Matter | null;
  matters: Matter[];
  owner: { id: string; name: string };
  parties: { A: ContractTerms['partyA']; B: ContractTerms['partyB'] };
  terms: ContractTerms;
  effectiveAt: string | null;
  termEndsAt: string | null;
  signatures: SignatureRecord[];
  deadlines: DeadlineView[];
  deadlinesSource: 'workflow' | 'read-model' | 'mixed';
  invoices: InvoiceView[];
  documents: ContractDocumentView[];
  audit: AuditRow[];
  /** the notices sent about the contract (without the phone numbers) */
  notifications: Omit<NotificationRecord & { createdAt: string }, 'phone'>[];
  workflowId: string;
  imported: { externalRef: string | null; at: string } | null;
  createdAt: string;
  updatedAt: string;
};
