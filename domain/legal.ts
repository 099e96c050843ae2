/**
 * Legal cases (Art.4 §10(5), Art.5 §8, Art.8 §5, Art.9, Art.10): their kinds,
 * statuses, ids and the requests that open and move them. Shared by the
 * workflows (statuses, ids), the activities and the API (schemas).
 */
import { z } from 'zod';
import { ZInstant } from './contract';
import { ZPartyCode, type PartyCode } from './terms';

export const CASE_KINDS = ['breach', 'outage', 'violation', 'force_majeure', 'suspension'] as const;
export const ZCaseKind = z.enum(CASE_KINDS);
export type CaseKind = z.infer<typeof ZCaseKind>;

/** Art.10: served → cured | negotiating → settled | escalated; the serving party may withdraw. */
export const BREACH_STATUSES = ['served', 'negotiating', 'escalated', 'cured', 'settled', 'withdrawn'] as const;
export type BreachStatus = (typeof BREACH_STATUSES)[number];

/** Art.5 §8, per affected contract: the notice is pending or held, late once 24 h pass unsent, then sent; closed on restoration. */
export const OUTAGE_STATUSES = ['pending', 'held', 'late', 'notified', 'notified_late', 'restored'] as const;
export type OutageStatus = (typeof OUTAGE_STATUSES)[number];

/** Art.4 §10(5), Art.8 §5: reported by the customer or detected by the provider; confirmed (account frozen for good) or dismissed. */
export const VIOLATION_STATUSES = ['reported', 'detected', 'confirmed', 'dismissed'] as const;
export type ViolationStatus = (typeof VIOLATION_STATUSES)[number];

/** Art.9: declared, then written proof within the proof period (late or missing is flagged). */
export const FORCE_MAJEURE_STATUSES = ['declared', 'proof_overdue', 'proof_filed', 'proof_filed_late'] as const;
export type ForceMajeureStatus = (typeof FORCE_MAJEURE_STATUSES)[number];

/**
 * Art.4 §9: the service is suspended until the rectification is confirmed; the
 * period lapsing leaves it suspended (lapsed) for legal to terminate or extend.
 */
export const SUSPENSION_STATUSES = ['suspended', 'lapsed', 'rectified'] as const;
export type SuspensionStatus = (typeof SUSPENSION_STATUSES)[number];

/** Art.4 §9: what the suspension rests on: a notice from the authorities (主管部门通知), a report (举报), Party B's own finding (自查). */
export const SUSPENSION_SOURCES = ['authority_notice', 'report', 'own_finding'] as const;
export type SuspensionSource = (typeof SUSPENSION_SOURCES)[number];
export const SUSPENSION_SOURCE_LABELS: Record<SuspensionSource, { zh: string; en: string }> = {
  authority_notice: { zh: '主管部门通知', en: 'notice from the authorities' },
  report: { zh: '举报', en: 'report' },
  own_finding: { zh: '自查', en: "Party B's own finding" },
};

/** The rectification period when the contract's terms give none (contracts stored before terms.legal.rectificationDays). */
export const DEFAULT_RECTIFICATION_DAYS = 10;
export const rectificationDaysOf = (terms: { legal: { rectificationDays?: number | undefined } }): number => terms.legal.rectificationDays ?? DEFAULT_RECTIFICATION_DAYS;

/** A case is open until its closing move (cured, settled, withdrawn, restored, confirmed, dismissed, proof filed, rectified) sets closed_at. */
export type CaseStatus = BreachStatus | OutageStatus | ViolationStatus | ForceMajeureStatus | SuspensionStatus;

/**
 * The statuses each action on an open case is possible in: one table, read by
 * the API (before it files the document an action carries) and by the case
 * workflows' update validators (which decide).
 */
export const CASE_ACTIONS = {
  cure: { kind: 'breach', when: ['served'] as BreachStatus[], name: 'a cure' },
  objection: { kind: 'breach', when: ['served'] as BreachStatus[], name: 'an objection' },
  withdrawal: { kind: 'breach', when: ['served', 'negotiating', 'escalated'] as BreachStatus[], name: 'a withdrawal' },
  settlement: { kind: 'breach', when: ['negotiating', 'escalated'] as BreachStatus[], name: 'a settlement' },
  violationConfirmation: { kind: 'violation', when: ['reported', 'detected'] as ViolationStatus[], name: 'a confirmation' },
  violationDismissal: { kind: 'violation', when: ['reported', 'detected'] as ViolationStatus[], name: 'a dismissal' },
  proof: { kind: 'force_majeure', when: ['declared', 'proof_overdue'] as ForceMajeureStatus[], name: 'filing proof' },
  rectification: { kind: 'suspension', when: ['suspended', 'lapsed'] as SuspensionStatus[], name: 'confirming the rectification' },
  extension: { kind: 'suspension', when: ['lapsed'] as SuspensionStatus[], name: 'extending the rectification period' },
} as const satisfies Record<string, { kind: (typeof CASE_KINDS)[number]; when: readonly CaseStatus[]; name: string }>;
export type CaseAction = keyof typeof CASE_ACTIONS;

export const OUTAGE_CAUSES = ['adjustment', 'upgrade', 'expansion', 'network', 'equipment', 'other'] as const;
export type OutageCause = (typeof OUTAGE_CAUSES)[number];

/** Hours before the outage notice deadline at which operations and legal are alerted if it is still unsent (24 h → 20 h). */
export const OUTAGE_ALERT_LEAD_HOURS = 4;

export const CLAUSES = {
  breach: '第十条第1款',
  outage: '第五条第8款',
  violation: '第四条第10款第(5)项；信息告知确认第5款',
  forceMajeure: '第九条',
  nonPayment: '第三条第4款',
  suspension: '第四条第9款',
} as const;

// ids: cases opened by people get a random id, cases opened by the system one derived from what opened them
export const breachWorkflowId = (caseId: string) => `breach-${caseId}`;
export const outageWorkflowId = (outageId: string) => `outage-${outageId}`;
export const violationWorkflowId = (caseId: string) => `violation-${caseId}`;
export const forceMajeureWorkflowId = (caseId: string) => `force-majeure-${caseId}`;
export const suspensionWorkflowId = (caseId: string) => `suspension-${caseId}`;
export const outageCaseId = (outageId: string, contractNumber: string) => `${outageId}-${contractNumber}`;

export const contactAudienceOf = (party: PartyCode) => (party === 'A' ? ('party_a_contact' as const) : ('party_b_contact' as const));

/** What the record says on escalation (Art.10 §1, §2). */
export function escalationRecord(breachingParty: PartyCode, servingParty: PartyCode, disputeVenue: string) {
  const label = (p: PartyCode) => (p === 'A' ? '甲方' : '乙方');
  return {
    breachingParty,
    servingParty,
    liability: `违约方（${label(breachingParty)}）应承担因其违约行为给守约方造成的直接经济损失（合同第十条第1款）。`,
    liabilityEn: `The breaching party (Party ${breachingParty}) bears the direct economic losses its breach caused the other party (Art.10 §1).`,
    disputeRoute: `守约方（${label(servingParty)}）可依法向${disputeVenue}起诉（合同第十条第2款）。`,
    disputeRouteEn: `The serving party (Party ${servingParty}) may sue at Party B's local court (${disputeVenue}) (Art.10 §2).`,
    venue: disputeVenue,
  };
}
export type EscalationRecord = ReturnType<typeof escalationRecord> & { at: string; reason: 'cure_period_lapsed' | 'negotiation_lapsed' };

// ---------------------------------------------------------------- requests

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** ~2 MB of PDF as base64 ('JVBERi0' is base64 for '%PDF-'). */
const MAX_PDF_BASE64 = 2_800_000;

/** An uploaded PDF (a scan of a signed paper, a written statement) as base64. */
export const ZPdfBase64 = z
  .string()
  .max(MAX_PDF_BASE64, 'must be at most about 2 MB of PDF')
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64')
  .refine((s) => s.startsWith('JVBERi0'), 'must be a PDF (base64 of a file starting with %PDF-)');

/**
 * A written document (书面): an uploaded PDF as base64, or the text of a
 * written statement (rendered to a PDF and stored).
 */
export const ZWrittenDocument = z
  .strictObject({
    title: text(100).optional(),
    pdfBase64: ZPdfBase64.optional(),
    text: text(20_000).optional(),
  })
  .refine((d) => (d.pdfBase64 === undefined) !== (d.text === undefined), { message: 'give exactly one of pdfBase64 or text' });
export type TWrittenDocument = z.infer<typeof ZWrittenDocument>;

export const ZBreachNoticeRequest = z.strictObject({
  servedBy: ZPartyCode,
  /** the clause breached, e.g. '第三条第4款' */
  clause: text(100),
  /** the clause's text to quote; looked up in the contract when omitted */
  clauseText: text(4000).optional(),
  description: text(5000),
  evidence: text(5000).optional(),
  /** a notice served earlier (e.g. by registered mail): when it was served; never in the future */
  servedAt: ZInstant.optional(),
  /** the negotiation limit after an objection; the contract's terms.legal.negotiationDays by default */
  negotiationDays: z.number().int('must be a whole number of days').min(1).max(365).optional(),
});
export type TBreachNoticeRequest = z.infer<typeof ZBreachNoticeRequest>;

export const ZCureRequest = z.strictObject({ confirmation: ZWrittenDocument, note: text(2000).optional() });
export const ZObjectionRequest = z.strictObject({ reason: text(5000), document: ZWrittenDocument.optional() });
export const ZWithdrawalRequest = z.strictObject({ reason: text(2000) });
export const ZSettlementRequest = z.strictObject({ summary: text(5000), document: ZWrittenDocument.optional() });

export const ZOutageRequest = z
  .strictObject({
    startedAt: ZInstant,
    learnedAt: ZInstant,
    cause: z.enum(OUTAGE_CAUSES),
    description: text(5000),
    /** the affected contracts, or "all" for every contract in service */
    contractIds: z.union([z.literal('all'), z.array(z.uuid({ error: 'is not a contract id' })).min(1).max(5000)]).optional(),
    all: z.literal(true).optional(),
    /** hold the notices for review instead of sending them at once */
    holdForReview: z.boolean().optional(),
  })
  .superRefine((body, ctx) => {
    if ((body.contractIds === undefined) === (body.all === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['contractIds'], message: 'give either contractIds (a list, or "all") or all: true' });
    }
    if (Array.isArray(body.contractIds) && new Set(body.contractIds).size !== body.contractIds.length) {
      ctx.addIssue({ code: 'custom', path: ['contractIds'], message: 'must not repeat a contract' });
    }
  });
export type TOutageRequest = z.infer<typeof ZOutageRequest>;

export const ZHoldRequest = z.strictObject({ reason: text(1000) });
export const ZReleaseRequest = z.strictObject({ note: text(1000).optional() });
export const ZResolutionRequest = z.strictObject({ restoredAt: ZInstant, description: text(5000).optional() });

export const ZViolationRequest = z.strictObject({
  /** customer: Party A's own report (Art.4 §10(5), due within 1 hour of learnedAt); provider: detected by Party B */
  reportedBy: z.enum(['customer', 'provider']),
  /** when the reporting party learned of the violation */
  learnedAt: ZInstant,
  description: text(5000),
  /** the message(s) concerned, e.g. a batch or message id */
  messageRef: text(200).optional(),
});
export type TViolationRequest = z.infer<typeof ZViolationRequest>;

export const ZConfirmViolationRequest = z.strictObject({ finding: text(2000) });
export const ZDismissViolationRequest = z.strictObject({ reason: text(2000) });

export const ZForceMajeureRequest = z.strictObject({
  declaredBy: ZPartyCode,
  occurredAt: ZInstant,
  /** the event in a few words, e.g. 地震导致机房停电; the start of the description when omitted */
  event: text(100).optional(),
  description: text(5000),
});
export type TForceMajeureRequest = z.infer<typeof ZForceMajeureRequest>;

export const ZProofRequest = z.strictObject({ document: ZWrittenDocument, note: text(2000).optional() });

/** Art.4 §9: suspend the service until rectification, with its reason, its source and the rectification period. */
export const ZSuspensionRequest = z.strictObject({
  reason: text(2000),
  source: z.enum(SUSPENSION_SOURCES),
  /** the rectification period in days (Civil Code count); terms.legal.rectificationDays, or 10, by default */
  rectificationDays: z.number().int('must be a whole number of days').min(1).max(90).optional(),
});
export type TSuspensionRequest = z.infer<typeof ZSuspensionRequest>;

/** Legal or operations confirm the rectification: the service resumes. */
export const ZRectificationRequest = z.strictObject({ note: text(2000) });
/** After the period lapsed: another period of `days` days, counted from the extension. */
export const ZSuspensionExtensionRequest = z.strictObject({
  days: z.number().int('must be a whole number of days').min(1).max(90),
  reason: text(2000),
});

/** A stored document a case action refers to (uploaded or rendered by the API before the action). */
export type CaseDocumentRef = { documentId: string; title: string; sha256: string };

/** A breach notice as served (Art.10 §1): its case, the serving party, the clause breached, the facts and the moment of service. */
export type ServedBreach = {
  caseId: string;
  servedBy: PartyCode;
  clause: string;
  /** the clause's text; quoted from the contract when omitted */
  clauseText?: string;
  description: string;
  evidence?: string;
  servedAt: string;
};

/**
 * Art.8 §5, appendix: a freeze that binds an organisation for good, the
 * forfeiture of one of its contracts after a confirmed content violation
 * (db/organisations.ts finds it).
 */
export type OrganisationFreeze = {
  caseId: string;
  contractId: string;
  contractNumber: string;
  partyAName: string;
  partyACreditCode: string | null;
  frozenAt: string;
  /** how the frozen contract was matched: by the credit code, or (a contract without one) by Party A's exact name */
  matchedBy: 'credit_code' | 'name';
};

/** What an answer shows of a freeze: a 409 ORGANISATION_FROZEN, an import row it refused. */
export type FreezeView = Pick<OrganisationFreeze, 'caseId' | 'contractId' | 'contractNumber' | 'frozenAt' | 'matchedBy'>;
