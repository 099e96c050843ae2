/**
 * What the legal-case and outage routes answer, as types only (no runtime
 * code): the web console imports them (`import type`); api/routes/views.check.ts
 * proves they match what the handlers in cases.ts return.
 */
import type { CaseDocumentRow, CaseDue, CaseEventRow, CaseRow, OutageRow, OutageSummaryRow } from '../../db/legal';

/** A legal case as the API shows it (caseViews in cases.ts): its contract, deadline and time left, timeline and documents. */
export type CaseView = Pick<CaseRow, 'id' | 'kind' | 'status' | 'servedBy' | 'clause' | 'description' | 'openedAt' | 'openedBy' | 'flags' | 'outageId' | 'workflowId' | 'closedAt' | 'updatedAt'> & {
  open: boolean;
  contract: { id: string; number: string | null; ownerId: string | null; partyA: string | null } | null;
  deadline: (CaseDue & { secondsLeft: number | null }) | null;
  secondsLeft: number | null;
  /** what the case's kind records (a violation's report: learnedAt, dueAt, onTime…) */
  details: CaseRow['data'];
  timeline: Omit<CaseEventRow, 'caseId'>[];
  documents: (CaseDocumentRow & { url: string })[];
};

/** GET /api/cases */
export type CaseListView = { total: number; items: CaseView[] };

/** One row of GET /api/outages: the outage, its contracts counted, the notice's time left and the notices held. */
export type OutageListItemView = Omit<OutageSummaryRow, 'workflowId'> & { noticeSecondsLeft: number | null; held: number };

/** GET /api/outages */
export type OutageListView = { total: number; items: OutageListItemView[] };

/** GET /api/outages/:id and POST /api/outages: the outage with the case of each affected contract. */
export type OutageDetailView = OutageRow & { noticeSecondsLeft: number | null; cases: CaseView[] };
