/**
 * The contract as the lifecycle sees it: statuses, deadlines, signatures and
 * the requests that change them. Shared by workflows, activities, API and console.
 */
import { z } from 'zod';
import type { Deadline, DeadlineBasis } from './periods';
import { ZPartyCode, type PartyCode } from './terms';

export const CONTRACT_STATUSES = ['awaiting_signatures', 'active', 'lapsed', 'expired', 'terminated', 'frozen'] as const;
export const ZContractStatus = z.enum(CONTRACT_STATUSES);
export type ContractStatus = z.infer<typeof ZContractStatus>;

export const DEADLINE_KINDS = [
  'signing',
  'payment',
  'renewal_objection',
  'term_end',
  'cure',
  'negotiation',
  'outage_notice',
  'violation_report',
  'force_majeure_proof',
  'delivery_confirmation',
  'rectification',
  /** the appendix: a signature or template application's review (domain/sms/templates.ts), a read-model deadline without a workflow */
  'sms_review',
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/** An open deadline as a workflow holds it (instants are ISO 8601 UTC). */
export type DeadlineState = {
  kind: DeadlineKind;
  /** distinguishes deadlines of one kind, e.g. an invoice number or a case id */
  ref: string;
  dueAt: string;
  explanation: string;
  explanationEn: string;
  /** counted over a calendar year known only provisionally (no State Council notice yet) */
  provisional?: boolean;
  /** the calendar years the count examined: a notice for one of them recounts it */
  calendarYears?: number[];
  /** the revision of each of those years the count used */
  calendarRevisions?: Record<string, number>;
  /** what it was counted from, to count it again when the calendar changes (absent: never recounted) */
  basis?: DeadlineBasis;
};

/** The deadline as a workflow holds it; with its basis, a calendar change can count it again. */
export const deadlineFrom = (kind: DeadlineKind, ref: string, computed: Deadline, basis?: DeadlineBasis): DeadlineState => ({
  kind,
  ref,
  dueAt: computed.dueAt,
  explanation: computed.explanation,
  explanationEn: computed.explanationEn,
  ...(basis ? { provisional: computed.provisional, calendarYears: computed.calendarYears, calendarRevisions: computed.calendarRevisions, basis } : {}),
});

/** The read model's id of a deadline a workflow holds. */
export const deadlineRowId = (workflowId: string, deadline: { kind: string; ref: string }) => `${workflowId}:${deadline.kind}:${deadline.ref}`;

/** What the API shows: the deadline and the time left at the moment of reading. */
export type DeadlineView = Omit<DeadlineState, 'basis' | 'calendarYears' | 'calendarRevisions' | 'provisional'> & { provisional: boolean; secondsLeft: number };

export const toDeadlineView = ({ basis: _basis, calendarYears: _years, calendarRevisions: _revisions, ...deadline }: DeadlineState, now: number): DeadlineView => ({
  ...deadline,
  provisional: deadline.provisional ?? false,
  secondsLeft: Math.floor((Date.parse(deadline.dueAt) - now) / 1000),
});

const name = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** ISO 8601 with an explicit offset or Z: "2024-05-14T10:00:00+08:00". */
export const ZInstant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone, e.g. 2024-05-14T10:00:00+08:00' });

export const ZSignContractRequest = z.strictObject({
  party: ZPartyCode,
  signer: name(64),
  title: name(64),
  sealed: z.literal(true, { error: 'must be true: the contract takes effect only when signed and sealed (Art.6 §1, Art.11 §1)' }),
  /** a contract signed on paper: when this party signed (never in the future) */
  signedAt: ZInstant.optional(),
});
export type TSignContractRequest = z.infer<typeof ZSignContractRequest>;

export type SignatureRecord = {
  party: PartyCode;
  signer: string;
  title: string;
  sealed: true;
  signedAt: string;
  recordedBy: string;
};

/** Who did something: carried from the API into workflows so activities can audit it. */
export type Actor = { id: string; role: string; requestId?: string };
export const SYSTEM_ACTOR: Actor = { id: 'system:lifecycle', role: 'system' };

export const DOCUMENT_KINDS = ['contract', 'signed_contract'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const documentId = (contractId: string, kind: string, ref = '1') => `${contractId}:${kind}:${ref}`;
export const contractWorkflowId = (contractId: string) => `contract-${contractId}`;
