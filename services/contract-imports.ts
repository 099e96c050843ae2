/**
 * Bringing an existing contract book in. Each row is checked and planned on
 * its own (domain/contract-import.ts): a bad row is reported and skipped, the
 * others go in. A committed row is one transaction: the contract in force,
 * its signatures, renewals and objection, an invoice for every period that
 * began with its payments, the year's SMS usage, an audit event for each of
 * them naming the importer, the file and the row, and the owed start of its
 * lifecycle workflow (which holds only what lies ahead). A dry run writes
 * nothing. The same external reference again answers with the contract it
 * already made. A row of an organisation frozen for a content violation is
 * refused when checked, and again in its transaction under the
 * organisation's lock (a freeze committed meanwhile: services/organisations.ts).
 */
import { randomUUID } from 'node:crypto';
import { paymentWorkflowId } from '../domain/billing';
import { contractWorkflowId, type Actor, type SignatureRecord } from '../domain/contract';
import type { AuditEventType } from '../domain/webhook-events';
import type { OrganisationFreeze } from '../domain/legal';
import { parseImportRow, planImport, type ImportIssue, type ImportPlan, type ImportRow } from '../domain/contract-import';
import { appendAudit } from '../db/audit';
import { calendarSnapshot } from '../db/calendar';
import { findContractByExternalRef, findContractsByExternalRefs, insertImportedContract } from '../db/contract-imports';
import { insertSignature, type ContractRow } from '../db/contracts';
import { addToInvoice, insertInvoice, insertPayment, markOverdue } from '../db/invoices';
import { insertRenewal, insertRenewalObjection } from '../db/lifecycle';
import type { Queryable } from '../db/pool';
import { setQuotaUsed } from '../db/sms';
import { findUser } from '../db/users';
import { contractLifecycle, type ContractLifecycleInput } from '../workflows/contract-lifecycle';
import { freezeView, frozenMessage, lockedOrganisationFreeze, organisationFreezes, organisationOfTerms } from './organisations';
import { oweStart, startOwed, type OwedStart, type WorkflowStartDeps } from './workflow-starts';
import type { ImportAnswer, ImportPlanView, ImportResult } from './contract-imports.types';

export type ImportDeps = WorkflowStartDeps & {
  /** the moment of the import (the Temporal server's clock) */
  now: () => Promise<number>;
};

export type ImportRequest = { dryRun: boolean; file?: string; contracts: unknown[]; actor: Actor };

/** Rows committed (and their lifecycles started) this many at a time: a share of the pool's connections. */
const COMMIT_CONCURRENCY = 4;

export async function importContracts(deps: ImportDeps, request: ImportRequest): Promise<ImportAnswer> {
  const now = await deps.now();
  const calendarAt = await calendarSnapshot(deps.db);
  const refs = request.contracts.map((raw) => {
    const ref = (raw as { externalRef?: unknown } | null)?.externalRef;
    return typeof ref === 'string' ? ref.trim() : null;
  });
  const existing = await findContractsByExternalRefs(deps.db, refs.filter((r): r is string => r !== null));
  const owners = new Map<string, Awaited<ReturnType<typeof findUser>>>();
  const ownerOf = async (id: string) => {
    if (!owners.has(id)) owners.set(id, await findUser(deps.db, id));
    return owners.get(id)!;
  };

  const frozenOrganisation = await organisationFreezes(deps.db);

  const seen = new Set<string>();
  const results: ImportResult[] = [];
  /** rows ready to commit: their slot in `results` is filled when they have committed */
  const ready: { slot: number; row: ImportRow; index: number; ownerId: string; plan: ImportPlan }[] = [];
  for (const [index, raw] of request.contracts.entries()) {
    const parsed = parseImportRow(raw, index);
    const line = typeof (raw as { line?: unknown } | null)?.line === 'number' ? ((raw as { line: number }).line) : undefined;
    if (!parsed.ok) {
      results.push({ externalRef: refs[index] ?? null, line, ok: false, errors: parsed.errors });
      continue;
    }
    const row = parsed.row;
    const fail = (errors: ImportIssue[]) => results.push({ externalRef: row.externalRef, line: row.line, ok: false, errors });
    if (seen.has(row.externalRef)) {
      fail([{ path: `contracts.${index}.externalRef`, message: `${row.externalRef} appears more than once in this import` }]);
      continue;
    }
    seen.add(row.externalRef);
    const already = existing.get(row.externalRef);
    if (already) {
      results.push(existingResult(row, already));
      continue;
    }
    // an organisation frozen for a content violation never opens again (services/organisations.ts)
    const freeze = frozenOrganisation(organisationOfTerms(row.terms));
    if (freeze) {
      results.push(frozenResult(row, index, freeze));
      continue;
    }
    const owner = await resolveOwner(row, index, request.actor, ownerOf);
    if ('errors' in owner) {
      fail(owner.errors);
      continue;
    }
    const planned = planImport(row, index, { now, calendarAt });
    if (!planned.ok) {
      fail(planned.errors);
      continue;
    }
    results.push({ externalRef: row.externalRef, line: row.line, ok: true, plan: planView(planned.plan) });
    if (!request.dryRun) ready.push({ slot: results.length - 1, row, index, ownerId: owner.id, plan: planned.plan });
  }

  // each row commits in its own transaction and its lifecycle starts right after (one that does not start now is started by the sweeper)
  let imported = 0;
  const queue = [...ready];
  await Promise.all(
    Array.from({ length: Math.min(COMMIT_CONCURRENCY, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const committed = await commitRow(deps, { ...next, now, calendarAt, actor: request.actor, file: request.file });
        if ('frozen' in committed) {
          results[next.slot] = frozenResult(next.row, next.index, committed.frozen);
          continue;
        }
        if (committed.existing) {
          results[next.slot] = existingResult(next.row, committed.contract);
          continue;
        }
        results[next.slot] = { externalRef: next.row.externalRef, line: next.row.line, ok: true, contractId: committed.contract.id, contractNumber: committed.contract.number, plan: planView(committed.plan) };
        imported += 1;
        await startOwed(deps, committed.owed);
      }
    }),
  );

  const ok = results.filter((r) => r.ok).length;
  const already = results.filter((r) => r.existing).length;
  return {
    dryRun: request.dryRun,
    summary: { total: results.length, ok, failed: results.length - ok, existing: already, imported },
    results,
  };
}

/** A row refused because Party A's organisation was frozen for a content violation (services/organisations.ts). */
function frozenResult(row: ImportRow, index: number, freeze: OrganisationFreeze): ImportResult {
  return {
    externalRef: row.externalRef,
    line: row.line,
    ok: false,
    code: 'ORGANISATION_FROZEN',
    freeze: freezeView(freeze),
    errors: [{ path: `contracts.${index}.terms.partyA.creditCode`, message: frozenMessage(freeze, organisationOfTerms(row.terms), 'no contract of it can be imported') }],
  };
}

function existingResult(row: ImportRow, contract: ContractRow): ImportResult {
  return { externalRef: row.externalRef, line: row.line, ok: true, existing: true, contractId: contract.id, contractNumber: contract.number };
}

async function resolveOwner(
  row: ImportRow,
  index: number,
  actor: Actor,
  ownerOf: (id: string) => Promise<{ id: string; role: string } | null>,
): Promise<{ id: string } | { errors: ImportIssue[] }> {
  const path = `contracts.${index}.owner`;
  if (actor.role === 'sales') {
    if (row.owner && row.owner !== actor.id) return { errors: [{ path, message: 'sales import their own contracts: leave owner empty or name yourself' }] };
    return { id: actor.id };
  }
  if (!row.owner) return { errors: [{ path, message: 'must name the sales user who owns the contract' }] };
  const owner = await ownerOf(row.owner);
  if (!owner || owner.role !== 'sales') return { errors: [{ path, message: `${row.owner} is not a sales user` }] };
  return { id: owner.id };
}

/** What the answer shows of a plan. */
function planView(plan: ImportPlan): ImportPlanView {
  return {
    status: plan.status,
    standing: plan.standing,
    effectiveAt: plan.effectiveAt,
    termEndsAt: plan.termEndsAt,
    renewals: plan.renewals,
    objection: plan.objection,
    invoices: plan.invoices.map((i) => ({ number: i.number, period: i.period, amountFen: i.amountFen, paidFen: i.paidFen, status: i.status, dueAt: i.dueAt })),
    deadlines: plan.deadlines.map((d) => ({ kind: d.kind, ref: d.ref, dueAt: d.dueAt, explanation: d.explanation })),
    notifications: plan.notifications.map((n) => ({ audiences: n.audiences, reason: n.reason, subject: n.subject })),
    quota: plan.quota,
  };
}

type CommitInput = {
  row: ImportRow;
  index: number;
  ownerId: string;
  plan: ImportPlan;
  now: number;
  calendarAt: Parameters<typeof planImport>[2]['calendarAt'];
  actor: Actor;
  file: string | undefined;
};

async function commitRow(
  deps: ImportDeps,
  input: CommitInput,
): Promise<{ existing: true; contract: ContractRow } | { existing: false; contract: ContractRow; plan: ImportPlan; owed: OwedStart } | { frozen: OrganisationFreeze }> {
  const { row, actor } = input;
  const importedAt = new Date(input.now).toISOString();
  type Written = { frozen: OrganisationFreeze } | { contract: ContractRow; plan: ImportPlan; owed: OwedStart } | null;
  const outcome = await deps.db.withTransaction(async (tx): Promise<Written> => {
    // the freeze checked again under the organisation's lock, with the insert: one committed since the rows were checked refuses the row
    const freeze = await lockedOrganisationFreeze(tx, organisationOfTerms(row.terms));
    if (freeze) return { frozen: freeze };
    const id = randomUUID();
    const workflowId = contractWorkflowId(id);
    const contract = await insertImportedContract(tx, {
      id,
      ownerId: input.ownerId,
      terms: row.terms,
      workflowId,
      externalRef: row.externalRef,
      effectiveAt: input.plan.effectiveAt,
      termEndsAt: input.plan.termEndsAt,
      importedAt,
    });
    if (!contract) return null;
    // the plan again, now that invoices have numbers (the same moment and calendar: the same plan)
    const planned = planImport(row, input.index, { now: input.now, calendarAt: input.calendarAt, contractNumber: contract.number });
    if (!planned.ok) throw new Error(`the plan of ${row.externalRef} changed between the check and the commit`);
    const plan = planned.plan;
    const source = { file: input.file ?? null, line: row.line ?? input.index + 1, externalRef: row.externalRef };
    const audit = (type: AuditEventType, after: unknown, data: Record<string, unknown> = {}) =>
      appendAudit(tx, { type, contractId: contract.id, actor, before: null, after, data: { ...data, import: source } });

    await audit('contract.imported', { status: 'active', number: contract.number, effectiveAt: plan.effectiveAt, termEndsAt: plan.termEndsAt, renewals: plan.renewals });
    const signatures: SignatureRecord[] = row.signatures.map((s) => ({
      party: s.party,
      signer: s.signer,
      title: s.title,
      sealed: true,
      signedAt: new Date(s.signedAt).toISOString(),
      recordedBy: actor.id,
    }));
    for (const signature of signatures) {
      await insertSignature(tx, contract.id, signature);
      await audit('signature.imported', { party: signature.party, signer: signature.signer, signedAt: signature.signedAt });
    }
    for (const invoice of plan.invoices) {
      if (invoice.renewal) {
        await insertRenewal(tx, { contractId: contract.id, seq: invoice.renewal.seq, previousEndAt: invoice.renewal.previousEndAt, newEndAt: invoice.renewal.newEndAt, invoiceNumber: invoice.number! });
        await audit('renewal.imported', { seq: invoice.renewal.seq, previousEndAt: invoice.renewal.previousEndAt, newEndAt: invoice.renewal.newEndAt });
      }
      await writeInvoice(tx, contract, invoice, row, actor, audit);
    }
    if (plan.objection) {
      await insertRenewalObjection(tx, { contractId: contract.id, termEndsAt: plan.termEndsAt, party: plan.objection.party, reason: plan.objection.reason, recordedBy: actor.id });
      await audit('renewal.objection_imported', { party: plan.objection.party, at: plan.objection.at, termEndsAt: plan.termEndsAt });
    }
    if (plan.quota) {
      await setQuotaUsed(tx, contract.id, plan.quota.contractYear, plan.quota.used);
      await audit('quota.usage_imported', plan.quota);
    }
    const lifecycle: ContractLifecycleInput = {
      contractId: contract.id,
      number: contract.number,
      ownerId: contract.ownerId,
      createdAt: contract.createdAt,
      terms: contract.terms,
      imported: {
        importedAt,
        signatures,
        renewals: plan.renewals,
        objection: plan.objection,
        unpaid: plan.invoices
          .filter((i) => i.status !== 'paid')
          .map((i) => ({
            invoiceNumber: i.number!,
            kind: i.kind === 'renewal' ? 'renewal' : 'initial_term',
            periodLabel: i.periodLabel,
            amountFen: i.amountFen,
            trigger: i.trigger,
            payments: i.payments.map((p) => ({ ...p, recordedBy: actor.id })),
          })),
        overdueReminder: plan.notifications.some((n) => n.audiences.includes('party_a_contact'))
          ? { invoices: plan.invoices.filter((i) => i.status === 'overdue').map((i) => i.number!) }
          : null,
      },
    };
    const owed = await oweStart(tx, contractLifecycle, { workflowId, args: [lifecycle] });
    return { contract, plan, owed };
  });
  if (outcome && 'frozen' in outcome) return outcome;
  if (outcome) return { existing: false, ...outcome };
  // a concurrent import of the same reference won
  const contract = await findContractByExternalRef(deps.db, row.externalRef);
  if (!contract) throw new Error(`the import of ${row.externalRef} conflicted but no contract holds the reference`);
  return { existing: true, contract };
}

async function writeInvoice(
  tx: Queryable,
  contract: ContractRow,
  invoice: ImportPlan['invoices'][number],
  row: ImportRow,
  actor: Actor,
  audit: (type: AuditEventType, after: unknown, data?: Record<string, unknown>) => Promise<void>,
): Promise<void> {
  const number = invoice.number!;
  await insertInvoice(
    tx,
    {
      number,
      contractId: contract.id,
      kind: invoice.kind,
      periodLabel: invoice.periodLabel,
      amountFen: invoice.amountFen,
      vatRatePercent: row.terms.payment.vatRatePercent,
      invoiceType: row.terms.payment.invoiceType,
      issuedAt: invoice.trigger,
      dueAt: invoice.dueAt,
      dueExplanation: invoice.dueExplanation,
      topUpSms: null,
      workflowId: paymentWorkflowId(number),
    },
    { system: 'import', externalId: row.externalRef },
  );
  await audit('invoice.imported', { number, period: invoice.period, amountFen: invoice.amountFen, dueAt: invoice.dueAt, status: invoice.status });
  for (const payment of invoice.payments) {
    await insertPayment(tx, { contractId: contract.id, invoiceNumber: number, payment: { ...payment, recordedBy: actor.id } });
    await addToInvoice(tx, number, payment.amountFen, payment.paidAt);
    await audit('payment.imported', { invoice: number, amountFen: payment.amountFen, paidAt: payment.paidAt, reference: payment.reference, method: payment.method });
  }
  if (invoice.status === 'overdue') await markOverdue(tx, number, invoice.dueAt);
}
