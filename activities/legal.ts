/**
 * Activities of the legal case workflows (breach and cure, outage notices,
 * content violations, force majeure). Each write commits with its timeline
 * event and audit event in one transaction, keyed so that a retried activity
 * changes nothing twice.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { contractYearOf } from '../domain/billing';
import type { Actor } from '../domain/contract';
import type { OutageCause } from '../domain/legal';
import type { AuditEventType } from '../domain/webhook-events';
import { appendAudit } from '../db/audit';
import { findContract } from '../db/contracts';
import { findInvoice, grantedQuota, listPayments } from '../db/invoices';
import { listContractsBoundByFreeze, lockOrganisation } from '../db/organisations';
import {
  CaseNotFoundError,
  CaseStateError,
  insertForfeiture,
  findOutage,
  listOutageCasePage,
  listOutageContractPage,
  openCase,
  transitionCase,
  updateOutage,
  type CaseTransition,
  type Forfeiture,
  type OutageCaseRef,
  type OutagePatch,
} from '../db/legal';
import { recordNotification, type Audience } from '../db/notifications';
import { outageCase, type OutageOpening } from '../services/cases';
import type { Queryable } from '../db/pool';
import type { ActivityDeps } from './deps';
import { createDocumentActivities } from './documents';
import { createNotificationActivities } from './notifications';

/** Business failures of the case tables as non-retryable failures with the system's error codes. */
function asFailure(error: unknown): unknown {
  if (error instanceof CaseStateError) return ApplicationFailure.nonRetryable(error.message, 'INVALID_STATE');
  if (error instanceof CaseNotFoundError) return ApplicationFailure.nonRetryable(error.message, 'NOT_FOUND');
  return error;
}

export type { OutageCaseRef };

export type SendOutageNoticesInput = {
  outageId: string;
  workflowId: string;
  kind: 'outage_notice' | 'restoration_notice';
  cases: OutageCaseRef[];
  cause: OutageCause;
  description: string;
  startedAt: string;
  learnedAt: string;
  restoredAt?: string;
  /** the workflow's moment of sending */
  issuedAt: string;
  actor: Actor;
  /** what each case becomes */
  transition: Pick<CaseTransition, 'from' | 'to' | 'due' | 'close' | 'addFlags' | 'data'> & { eventType: string; auditType: AuditEventType };
  subject: string;
  body: string;
};

/** A page of an outage's cases: the cases after `after` in case id order, at most `limit` (db/legal.ts listOutageCasePage). */
export type OutageCasePage = { after: string | null; limit: number };

/** What a page activity did: how many cases it read, how many it moved, and the last case id read (the next page's `after`). */
export type OutagePageResult = { cases: number; applied: number; last: string | null };

/** The same move for every case of an outage (the case id aside): an outage-wide step (held, released, unsent_alert, late). */
export type OutageCaseStep = Omit<CaseTransition, 'caseId' | 'deadlines' | 'documents'>;

/** The forfeited package of a frozen account: the frozen year's quota and the paid years not begun (Art.8 §5). */
async function computeForfeiture(tx: Queryable, input: { caseId: string; contractId: string; at: string; actor: Actor }): Promise<Forfeiture> {
  const contract = await findContract(tx, input.contractId);
  if (!contract) throw ApplicationFailure.nonRetryable(`contract ${input.contractId} not found`, 'NOT_FOUND');
  const packageSms = contract.terms.package.smsPerYear;
  const grants = await grantedQuota(tx, contract.id);
  if (!contract.effectiveAt) {
    return {
      caseId: input.caseId, contractId: contract.id, frozenAt: input.at, contractYear: null, yearQuotaSms: 0, laterYears: 0, laterYearsSms: 0,
      detail: { note: 'the contract never took effect: no package to forfeit' }, recordedBy: input.actor.id,
    };
  }
  const year = contractYearOf(contract.effectiveAt, input.at);
  const lastYear = contract.termEndsAt ? contractYearOf(contract.effectiveAt, Date.parse(contract.termEndsAt) - 1).index : year.index;
  const laterYears = Math.max(0, lastYear - year.index);
  const topUpsLater = [...grants.entries()].filter(([y]) => y > year.index).reduce((sum, [, sms]) => sum + sms, 0);
  const topUpThisYear = grants.get(year.index) ?? 0;
  return {
    caseId: input.caseId,
    contractId: contract.id,
    frozenAt: input.at,
    contractYear: year.index,
    yearQuotaSms: packageSms + topUpThisYear,
    laterYears,
    laterYearsSms: laterYears * packageSms + topUpsLater,
    detail: {
      packageSms,
      topUpSmsThisYear: topUpThisYear,
      yearStartsAt: year.startsAt,
      yearEndsAt: year.endsAt,
      termEndsAt: contract.termEndsAt,
      rule: 'Art.8 §5 / 信息告知确认第5款: 账号冻结后，未使用完的短信服务套餐包无法继续使用，且不可申请开通使用。',
      note: 'the unused part of the frozen year is its quota less the messages already sent in it, per the SMS ledger',
    },
    recordedBy: input.actor.id,
  };
}

/** The outage row's own change, audited once: only when it changes the row or some case moved with it. */
async function applyOutagePatch(
  tx: Queryable,
  input: { outageId: string; patch: OutagePatch; actor: Actor; auditType: AuditEventType; applied: number; cases: number },
): Promise<void> {
  const before = await findOutage(tx, input.outageId);
  if (!before) throw new CaseNotFoundError(`outage ${input.outageId} not found`);
  const changes = Object.entries(input.patch).filter(([key, value]) => before[key as keyof typeof before] !== value);
  if (changes.length === 0 && input.applied === 0) return;
  await updateOutage(tx, input.outageId, input.patch);
  await appendAudit(tx, {
    type: input.auditType,
    contractId: null,
    actor: input.actor,
    before: { outageId: input.outageId, status: before.status },
    after: { outageId: input.outageId, ...input.patch },
    data: { outageId: input.outageId, cases: input.cases },
  });
}

export function createLegalActivities(deps: ActivityDeps) {
  const { db } = deps;
  const documents = createDocumentActivities(deps);
  const notifications = createNotificationActivities(deps);

  /**
   * Sends the interruption (or restoration) notice to each of the cases: the
   * PDF, the notification to Party A's contact and the account owner, then
   * the case's move, per contract; keyed by the case, so safe to retry.
   * Answers how many cases moved.
   */
  async function sendNotices(cases: OutageCaseRef[], input: Omit<SendOutageNoticesInput, 'cases'>): Promise<number> {
    let sent = 0;
    for (const c of cases) {
      const doc =
        input.kind === 'outage_notice'
          ? await documents.produceDocument({
              kind: 'outage_notice', contractId: c.contractId, caseId: c.caseId, cause: input.cause, description: input.description,
              startedAt: input.startedAt, learnedAt: input.learnedAt, issuedAt: input.issuedAt,
            })
          : await documents.produceDocument({
              kind: 'restoration_notice', contractId: c.contractId, caseId: c.caseId, cause: input.cause, description: input.description,
              startedAt: input.startedAt, learnedAt: input.learnedAt, restoredAt: input.restoredAt ?? input.issuedAt, issuedAt: input.issuedAt,
            });
      await notifications.notify({
        id: `${input.workflowId}:${input.kind}:${c.caseId}`,
        contractId: c.contractId,
        audiences: ['party_a_contact', 'owner'],
        reason: input.kind,
        subject: input.subject,
        body: input.body,
        sms: input.kind === 'outage_notice' ? { template: 'outage_notice', startedAt: input.startedAt } : { template: 'restoration_notice', restoredAt: input.restoredAt ?? input.issuedAt },
      });
      const { transition } = input;
      try {
        const result = await db.withTransaction((tx) =>
          transitionCase(tx, {
            caseId: c.caseId,
            from: transition.from,
            to: transition.to,
            due: transition.due,
            close: transition.close,
            addFlags: transition.addFlags,
            data: transition.data,
            event: { key: transition.eventType, type: transition.eventType, at: input.issuedAt, actor: input.actor, data: { documentId: doc.id } },
            deadlines: transition.due === null ? { workflowId: input.workflowId, open: [], closed: [{ kind: 'outage_notice', ref: c.caseId, status: transition.to === 'notified' ? 'met' : 'lapsed' }] } : undefined,
            audit: { type: transition.auditType, data: { outageId: input.outageId, documentId: doc.id } },
          }),
        );
        if (result.applied) sent += 1;
      } catch (error) {
        throw asFailure(error);
      }
    }
    return sent;
  }

  return {
    /** Moves one case (guarded by status) with its event, documents, deadlines and audit. */
    async recordCaseTransition(input: CaseTransition): Promise<{ applied: boolean; status: string }> {
      try {
        const result = await db.withTransaction((tx) => transitionCase(tx, input));
        return { applied: result.applied, status: result.after };
      } catch (error) {
        throw asFailure(error);
      }
    },

    /**
     * Moves an outage and (some of) its per-contract cases together; the
     * outage's own change is audited once (each case's move audits itself).
     */
    async recordOutageProgress(input: { outageId: string; outage: OutagePatch; cases: CaseTransition[]; actor: Actor; auditType: AuditEventType }): Promise<{ applied: number }> {
      try {
        return await db.withTransaction(async (tx) => {
          if (!(await findOutage(tx, input.outageId))) throw new CaseNotFoundError(`outage ${input.outageId} not found`);
          let applied = 0;
          for (const t of input.cases) if ((await transitionCase(tx, t)).applied) applied += 1;
          await applyOutagePatch(tx, { outageId: input.outageId, patch: input.outage, actor: input.actor, auditType: input.auditType, applied, cases: input.cases.length });
          return { applied };
        });
      } catch (error) {
        throw asFailure(error);
      }
    },

    /**
     * Sends the interruption (or restoration) notice to each affected
     * customer: the PDF, the notification to Party A's contact and the
     * account owner, then the case's move, per contract. Safe to retry: each
     * step is keyed by the case.
     */
    async sendOutageNotices(input: SendOutageNoticesInput): Promise<{ sent: number }> {
      return { sent: await sendNotices(input.cases, input) };
    },

    /**
     * The batched outage workflow's fan-out (outage-batches-v1): reads the
     * next page of the outage's cases from Postgres and moves each (a
     * `step` with the same key for every case, so a retry or a rerun of a
     * page after continue-as-new moves nothing twice). `outage`, given with
     * the first page, changes the outage row in the same transaction and is
     * audited once (when it changed anything).
     */
    async advanceOutageCases(input: {
      outageId: string;
      page: OutageCasePage;
      step: OutageCaseStep;
      outage?: { patch: OutagePatch; actor: Actor; auditType: AuditEventType; contracts: number };
    }): Promise<OutagePageResult> {
      try {
        return await db.withTransaction(async (tx) => {
          const cases = await listOutageCasePage(tx, input.outageId, input.page.after, input.page.limit);
          let applied = 0;
          for (const c of cases) if ((await transitionCase(tx, { ...input.step, caseId: c.caseId })).applied) applied += 1;
          if (input.outage) {
            const { patch, actor, auditType, contracts } = input.outage;
            await applyOutagePatch(tx, { outageId: input.outageId, patch, actor, auditType, applied, cases: contracts });
          }
          return { cases: cases.length, applied, last: cases.at(-1)?.caseId ?? null };
        });
      } catch (error) {
        throw asFailure(error);
      }
    },

    /**
     * Opens the cases of the next page of the outage's affected contracts
     * (outage_contracts, in contract id order), each with its first event,
     * deadline and audit, in one transaction; a case already open (a retry,
     * or an outage small enough to be opened with its report) opens nothing.
     */
    async openOutageCases(input: { opening: OutageOpening; page: OutageCasePage }): Promise<OutagePageResult> {
      return db.withTransaction(async (tx) => {
        const contracts = await listOutageContractPage(tx, input.opening.outageId, input.page.after, input.page.limit);
        let applied = 0;
        for (const c of contracts) if (await openCase(tx, outageCase(input.opening, c))) applied += 1;
        return { cases: contracts.length, applied, last: contracts.at(-1)?.id ?? null };
      });
    },

    /** sendOutageNotices for the next page of the outage's cases, read from Postgres (outage-batches-v1). */
    async sendOutageNoticePage(input: Omit<SendOutageNoticesInput, 'cases'> & { page: OutageCasePage }): Promise<OutagePageResult> {
      const cases = await listOutageCasePage(db, input.outageId, input.page.after, input.page.limit);
      const applied = await sendNotices(cases, input);
      return { cases: cases.length, applied, last: cases.at(-1)?.caseId ?? null };
    },


    /** Whether an invoice is paid in full, and by which payments: a non-payment breach is cured by paying. */
    async findInvoiceSettlement(input: { invoiceNumber: string }): Promise<{ paid: boolean; paidAt: string | null; references: string[]; amountFen: number } | null> {
      const invoice = await findInvoice(db, input.invoiceNumber);
      if (!invoice) return null;
      const payments = await listPayments(db, input.invoiceNumber);
      return { paid: invoice.status === 'paid', paidAt: invoice.paidAt, references: payments.map((p) => p.reference), amountFen: invoice.amountFen };
    },

    /** A message to provider staff not tied to one contract (e.g. an outage notice still unsent). */
    async alertStaff(input: { id: string; audiences: Extract<Audience, 'legal' | 'operations' | 'finance'>[]; reason: string; subject: string; body: string }): Promise<{ recorded: number }> {
      let recorded = 0;
      for (const audience of new Set(input.audiences)) {
        const added = await recordNotification(db, {
          id: `${input.id}:${audience}`, contractId: null, audience, recipient: audience, phone: null, reason: input.reason, subject: input.subject, body: input.body,
        });
        if (added) recorded += 1;
      }
      return { recorded };
    },

    /**
     * Confirms a content violation: the case closes as confirmed and the
     * package left is recorded as forfeited, in one transaction. Freezing
     * the account is the lifecycle's (freezeContractSignal). The forfeiture
     * is the organisation's freeze (db/organisations.ts): it is written
     * under the organisation's lock, the one a new contract, an import and a
     * supplemental agreement of it take to check and write (so none of them
     * slips in while it commits), and each other contract of the
     * organisation still awaiting signatures or in force gets an audit
     * event: it keeps its status but sends nothing more (services/sms.ts,
     * activities/sms.ts).
     */
    async confirmViolation(input: { caseId: string; contractId: string; at: string; finding: string; actor: Actor }): Promise<Forfeiture> {
      try {
        return await db.withTransaction(async (tx) => {
          const frozen = await findContract(tx, input.contractId);
          if (frozen) await lockOrganisation(tx, { creditCode: frozen.partyACreditCode, name: frozen.partyAName });
          const forfeiture = await computeForfeiture(tx, input);
          await transitionCase(tx, {
            caseId: input.caseId,
            from: ['reported', 'detected'],
            to: 'confirmed',
            close: true,
            due: null,
            data: { confirmation: { at: input.at, by: input.actor.id, finding: input.finding }, forfeiture },
            event: { key: 'confirmed', type: 'confirmed', at: input.at, actor: input.actor, data: { finding: input.finding, forfeiture } },
            audit: { type: 'case.violation_confirmed', data: { forfeiture, frozen: 'permanent' } },
          });
          if (await insertForfeiture(tx, forfeiture)) {
            await appendAudit(tx, {
              type: 'package.forfeited',
              contractId: input.contractId,
              actor: input.actor,
              after: { yearQuotaSms: forfeiture.yearQuotaSms, laterYears: forfeiture.laterYears, laterYearsSms: forfeiture.laterYearsSms },
              data: { caseId: input.caseId, contractYear: forfeiture.contractYear },
            });
            for (const bound of await listContractsBoundByFreeze(tx, input.contractId)) {
              await appendAudit(tx, {
                type: 'contract.organisation_frozen',
                contractId: bound.id,
                actor: input.actor,
                data: { caseId: input.caseId, frozenContractId: input.contractId, frozenContractNumber: frozen?.number ?? null, matchedBy: bound.matchedBy, status: bound.status },
              });
            }
          }
          return forfeiture;
        });
      } catch (error) {
        throw asFailure(error);
      }
    },
  };
}
