/**
 * Art.3 §3 of the reference contract: "乙方一次性提供智慧信息短信服务后，甲方应
 * 配合乙方提供交付确认单（即业务受理单）". The service is delivered at once when
 * the contract takes effect (Art.3 §2: 一次性交付; the period runs from
 * `effectiveAt`, which for signatures entered late is in the past): the lifecycle produces the
 * 业务受理单 then and awaits Party A's confirmation like a signature (signer,
 * title, seal, date, or a scan of the signed form), within a period counted in
 * days by the Civil Code (Art. 201–203, the rule for acts) from the delivery,
 * with a few reminders before it. The contract attaches no sanction to a
 * missing confirmation: an unconfirmed form is a work item for the account
 * manager (sales), never a breach.
 *
 * Pure: shared by the lifecycle (workflows/lifecycle/delivery.ts), the API and the console.
 */
import { z } from 'zod';
import { ZInstant } from './contract';
import { ZPdfBase64 } from './legal';
import type { DeadlineBasis } from './periods';
import type { ContractTerms } from './terms';

/** Days Party A has to confirm the form when the terms say nothing (contracts stored before the field). */
export const DEFAULT_DELIVERY_CONFIRMATION_DAYS = 10;
/** Reminders before the confirmation deadline when the terms say nothing. */
export const DEFAULT_DELIVERY_REMINDER_DAYS: readonly number[] = [7, 3, 1];
/** The most reminders a form gets, whatever the terms list (the ones nearest the deadline are kept). */
export const MAX_DELIVERY_REMINDERS = 3;

/** The ref of the confirmation deadline (one form per contract). */
export const DELIVERY_DEADLINE_REF = 'form';

/** The period and reminders of a contract's delivery confirmation. */
export function deliveryTermsOf(terms: Pick<ContractTerms, 'delivery'>): { confirmationDays: number; reminderDaysBefore: number[] } {
  return {
    confirmationDays: terms.delivery?.confirmationDays ?? DEFAULT_DELIVERY_CONFIRMATION_DAYS,
    reminderDaysBefore: [...(terms.delivery?.reminderDaysBefore ?? DEFAULT_DELIVERY_REMINDER_DAYS)],
  };
}

/** The reminder offsets actually used: distinct, at most MAX_DELIVERY_REMINDERS, the ones nearest the deadline. */
export function cappedDeliveryReminders(daysBefore: readonly number[]): number[] {
  return [...new Set(daysBefore)].sort((a, b) => a - b).slice(0, MAX_DELIVERY_REMINDERS).sort((a, b) => b - a);
}

/** How the confirmation deadline is counted: days from the delivery, by the rule for acts (Art. 203 moves a last day that is a rest day). */
export function deliveryConfirmationBasis(deliveredAt: string, confirmationDays: number): DeadlineBasis {
  return {
    from: deliveredAt,
    period: { unit: 'days', amount: confirmationDays },
    rule: 'act',
    what: { zh: '确认业务受理单（交付确认单）', en: 'confirming the delivery form (业务受理单)' },
    trigger: { zh: '服务交付', en: 'delivery of the service' },
  };
}

const name = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/**
 * POST /api/contracts/:id/delivery-confirmation: Party A's confirmation as
 * it was signed (signer, title, sealed, and when), or a scan of the signed and
 * sealed form, or both.
 */
export const ZDeliveryConfirmationRequest = z
  .strictObject({
    /** who signed the form for Party A (经办人) */
    signer: name(64).optional(),
    title: name(64).optional(),
    sealed: z.literal(true, { error: 'must be true: the form is confirmed with Party A\'s seal (盖章)' }).optional(),
    /** when Party A confirmed (never in the future, not before the delivery); now when omitted */
    confirmedAt: ZInstant.optional(),
    /** the scanned form, signed and sealed */
    document: z.strictObject({ title: name(100).optional(), pdfBase64: ZPdfBase64 }).optional(),
  })
  .superRefine((body, ctx) => {
    const given = [body.signer, body.title, body.sealed].filter((v) => v !== undefined).length;
    if (given > 0 && given < 3) {
      for (const key of ['signer', 'title', 'sealed'] as const) {
        if (body[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'is given with signer, title and sealed together' });
      }
    } else if (given === 0 && body.document === undefined) {
      ctx.addIssue({ code: 'custom', path: ['signer'], message: 'give the signer, title and sealed: true, or the scanned form (document), or both' });
    }
  });
export type TDeliveryConfirmationRequest = z.infer<typeof ZDeliveryConfirmationRequest>;

/** A stored scan (documents table). */
export type DeliveryScanRef = { documentId: string; title: string; sha256: string };

/** Party A's confirmation as the lifecycle records it. */
export type DeliveryConfirmationRecord = {
  signer: string | null;
  title: string | null;
  sealed: boolean;
  confirmedAt: string;
  scan: DeliveryScanRef | null;
  recordedBy: string;
  recordedAt: string;
  /** recorded before the confirmation deadline lapsed */
  onTime: boolean;
};

/** The delivery form's state in the lifecycle (carried through continue-as-new). */
export type DeliveryState = {
  deliveredAt: string;
  /** the 业务受理单's document id, once rendered */
  documentId: string | null;
  dueAt: string;
  explanation: string;
  remindersSent: number;
  /** the deadline passed unconfirmed: sales got the work item */
  lapsed: boolean;
  confirmation: DeliveryConfirmationRecord | null;
};

/**
 * The form's state as the API shows it: `not_delivered` (no form yet),
 * `not_requested` (in force from before the confirmation flow: the form came
 * with the first payment, nothing is awaited), `awaiting_confirmation`,
 * `unconfirmed` (the period lapsed: a work item for sales, no breach),
 * `cancelled` (the contract ended first), `confirmed`.
 */
export const DELIVERY_STATUSES = ['not_delivered', 'not_requested', 'awaiting_confirmation', 'unconfirmed', 'cancelled', 'confirmed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** The work item the account manager gets when the form is not confirmed in time (no breach: the contract sets no sanction). */
export const DELIVERY_UNCONFIRMED = {
  reason: 'delivery_unconfirmed',
  audiences: ['owner'] as const,
  subject: (contract: string) => `业务受理单未确认：合同 ${contract}`,
  body: (contract: string, due: string, beforeEntered = false) =>
    `合同 ${contract} 的业务受理单（交付确认单）${beforeEntered ? '的确认期限在合同录入系统之前已届满' : '在确认期限内未获甲方确认'}（${due}）。请联系甲方取得签字盖章的确认单（或已有的纸质确认单）后在系统中登记；合同未约定未确认的违约责任，系统不会发出违约通知。`,
};
