/**
 * What the signature and template routes answer (api/routes/sms-templates.ts),
 * typed once for the console.
 */
import type { ReviewStatus, TemplateCategory } from '../domain/sms/templates';

export type ReviewView = {
  status: ReviewStatus;
  reason: string | null;
  appliedBy: string;
  appliedAt: string;
  /** 24:00 Beijing time of the last working day of the review period, as UTC */
  reviewDueAt: string;
  reviewExplanation: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
  /** still waiting and past its due time */
  overdue: boolean;
};

export type SmsSignatureView = ReviewView & {
  id: string;
  contractId: string;
  text: string;
  /** the supporting document: GET /api/contracts/:id/documents/:documentId */
  documentId: string;
  contractNumber?: string;
  partyAName?: string;
};

export type SmsTemplateView = ReviewView & {
  id: string;
  contractId: string;
  name: string;
  category: TemplateCategory;
  content: string;
  variables: string[];
  urlVariables: string[];
  remark: string | null;
  contractNumber?: string;
  partyAName?: string;
};

export type SmsSignatureList = { contractId: string; boundSignature: string; items: SmsSignatureView[] };
export type SmsTemplateList = {
  contractId: string;
  /** which categories the contract lets go out as free text (terms `sms.freeText`, with its defaults) */
  freeText: { notification: boolean; marketing: boolean };
  reviewWorkingDays: number;
  items: SmsTemplateView[];
};
export type SmsReviewQueue = { signatures: SmsSignatureView[]; templates: SmsTemplateView[] };
