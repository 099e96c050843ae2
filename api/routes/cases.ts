/**
 * Legal cases: breach notices and their cure, objection, withdrawal and
 * settlement (Art.10); outage notices (Art.5 §8); content violations
 * (Art.4 §10(5), Art.8 §5); force majeure and its proof (Art.9); and the
 * list of every open case, soonest deadline first.
 *
 * Moments that decide a case (a cure inside the period, proof on time) are
 * judged by the case's workflow, on the clock its timers run on; the API
 * refuses early what the stored case already rules out.
 */
import { z } from 'zod';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Actor } from '../../domain/contract';
import { isInFuture } from '../../domain/time';
import {
  CASE_ACTIONS,
  ZBreachNoticeRequest,
  ZCaseKind,
  type CaseAction,
  ZConfirmViolationRequest,
  ZCureRequest,
  ZDismissViolationRequest,
  ZForceMajeureRequest,
  ZHoldRequest,
  ZObjectionRequest,
  ZOutageRequest,
  ZProofRequest,
  ZReleaseRequest,
  ZResolutionRequest,
  ZRectificationRequest,
  ZSettlementRequest,
  ZSuspensionExtensionRequest,
  ZSuspensionRequest,
  ZViolationRequest,
  ZWithdrawalRequest,
  type CaseKind,
} from '../../domain/legal';
import { otherParty, type PartyCode } from '../../domain/terms';
import { findContract, type ContractRow } from '../../db/contracts';
import { findCase, findOutage, listCaseDocuments, listCaseEvents, listCases, listContractsInService, listOutages, type CaseRow } from '../../db/legal';
import type { User } from '../../db/users';
import { declareForceMajeure, extensionPeriod, fileWrittenDocument, recordViolation, reportOutage, serveBreachNotice, suspendContract } from '../../services/cases';
import { cureBreachUpdate, objectBreachUpdate, settleBreachUpdate, withdrawBreachUpdate } from '../../workflows/messages/breach-case';
import { fileForceMajeureProofUpdate } from '../../workflows/messages/force-majeure';
import { holdOutageNoticeUpdate, releaseOutageNoticeUpdate, resolveOutageUpdate } from '../../workflows/messages/outage-notice';
import { confirmRectificationUpdate, extendSuspensionUpdate } from '../../workflows/messages/suspension';
import { confirmViolationUpdate, dismissViolationUpdate } from '../../workflows/messages/violation';
import { assertContractAccess, canSeeContract } from '../auth';
import { organisationScopeOf, ownerFilterOf } from '../policy';
import { workflowStartDeps, type AppDeps } from '../deps';
import { AppError, notFound } from '../errors';
import { refusal } from '../../domain/error-reasons';
import { defineRoute, type RouteDef } from '../http';

/** The cases list: open ones by default, filtered by kind, contract or owner. */
const ZCaseListQuery = z.strictObject({
  kind: ZCaseKind.optional(),
  contract: z.uuid({ error: 'is not a contract id' }).optional(),
  owner: z.string().trim().min(1).max(64).optional(),
  status: z.enum(['open', 'closed', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** The outages screen: unresolved ones (open, the default) or all, soonest notice deadline first. */
const ZOutageListQuery = z.strictObject({
  status: z.enum(['open', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

const STAFF = ['sales', 'legal', 'finance', 'operations', 'admin'] as const;
const EVERYONE = [...STAFF, 'customer'] as const;

const actorOf = (user: User, requestId: string): Actor => ({ id: user.id, role: user.role, requestId });

const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', 'body is invalid', { issues: [{ path, message }] });

function notInFuture(value: string | undefined, path: string, now: number): void {
  if (value !== undefined && isInFuture(value, now)) throw invalid(path, 'must not be in the future');
}

/** A case to act on: one of a contract the caller may not see is reported as absent; acting needs the policy's `act` (api/policy.ts). */
async function loadCase(deps: AppDeps, user: User, rawId: string | undefined, kind: CaseKind): Promise<{ row: CaseRow; contract: ContractRow }> {
  const row = rawId ? await findCase(deps.db, rawId) : null;
  if (!row || row.kind !== kind || !row.contractId) throw notFound(`${kind.replace('_', ' ')} case`);
  const contract = await findContract(deps.db, row.contractId);
  if (!contract || !canSeeContract(user, contract)) throw notFound(`${kind.replace('_', ' ')} case`);
  assertContractAccess(user, contract, 'act');
  return { row, contract };
}

/** Customer operators act only as Party A. */
function requirePartyA(user: User, party: PartyCode, action: string): void {
  if (user.role === 'customer' && party !== 'A') {
    throw new AppError('FORBIDDEN', `${action} is Party ${party}'s act; a customer operator acts for Party A only`);
  }
}

/** The party a breach notice was served on: the one to cure or object. */
const breachingParty = (row: CaseRow): PartyCode => otherParty(row.servedBy ?? 'B');

function requireCaseStatus(row: CaseRow, allowed: readonly string[], action: string): void {
  if (!allowed.includes(row.status)) {
    throw refusal('case.invalid_state', { caseId: row.id, status: row.status, allowed: [...allowed] }, `case ${row.id} is ${row.status}: ${action} is possible only while it is ${allowed.join(' or ')}`);
  }
}

/**
 * Sends an action to the case's workflow as an update. A workflow that has
 * ended is a closed case (409); business failures map as on every route
 * (platform/temporal.ts businessFailureOf).
 */
async function runUpdate<Ret, Arg>(deps: AppDeps, workflowId: string, update: UpdateDefinition<Ret, [Arg]>, args: [Arg], what: string): Promise<Ret> {
  try {
    return await deps.temporal.workflow.getHandle(workflowId).executeUpdate(update, { args });
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw refusal('case.closed', {}, `${what} is closed: its process has ended`);
    throw error;
  }
}

type CaseActionContext<B> = { row: CaseRow; contract: ContractRow; body: B; user: User; actor: Actor };

/**
 * A POST on an existing case: the case of that kind the caller may see, the
 * caller's own check (`allow`, e.g. who may act for which party), a status
 * that allows the action, then the action as an update of the case's
 * workflow; answers with the case.
 */
function caseActionRoute<B, Arg>(
  deps: AppDeps,
  spec: Pick<RouteDef<B>, 'path' | 'roles' | 'summary'> & {
    body: RouteDef<B>['body'];
    /** the action: its case kind and the statuses it is possible in (domain/legal.ts CASE_ACTIONS) */
    action: CaseAction;
    allow?: (ctx: CaseActionContext<B>) => void;
    update: UpdateDefinition<unknown, [Arg]>;
    /** the update's argument; may file the written documents it carries */
    args: (ctx: CaseActionContext<B>) => Promise<Arg> | Arg;
  },
): RouteDef<B> {
  return defineRoute({
    method: 'post',
    path: spec.path,
    roles: spec.roles,
    summary: spec.summary,
    body: spec.body,
    handler: async ({ params, body, user, requestId }) => {
      const action = CASE_ACTIONS[spec.action];
      const { row, contract } = await loadCase(deps, user, params.id, action.kind);
      const ctx = { row, contract, body, user, actor: actorOf(user, requestId) };
      spec.allow?.(ctx);
      // checked here too, so a document the action carries is not filed for an action the case refuses
      requireCaseStatus(row, action.when, action.name);
      await runUpdate(deps, row.workflowId!, spec.update, [await spec.args(ctx)], `${action.kind.replace('_', ' ')} case ${row.id}`);
      return caseDetail(deps, row.id);
    },
  });
}

export async function caseViews(deps: AppDeps, rows: CaseRow[], now: number) {
  const ids = rows.map((r) => r.id);
  const [events, documents] = await Promise.all([listCaseEvents(deps.db, ids), listCaseDocuments(deps.db, ids)]);
  return rows.map((row) => {
    const secondsLeft = row.due ? Math.floor((Date.parse(row.due.dueAt) - now) / 1000) : null;
    return {
      id: row.id,
      kind: row.kind,
      status: row.status,
      open: row.closedAt === null,
      contract: row.contractId ? { id: row.contractId, number: row.contractNumber, ownerId: row.ownerId, partyA: row.partyAName } : null,
      servedBy: row.servedBy,
      clause: row.clause,
      description: row.description,
      openedAt: row.openedAt,
      openedBy: row.openedBy,
      deadline: row.due ? { ...row.due, secondsLeft } : null,
      secondsLeft,
      flags: row.flags,
      details: row.data,
      outageId: row.outageId,
      workflowId: row.workflowId,
      closedAt: row.closedAt,
      updatedAt: row.updatedAt,
      timeline: (events.get(row.id) ?? []).map(({ caseId: _caseId, ...e }) => e),
      documents: (documents.get(row.id) ?? []).map((d) => ({ ...d, url: `/api/contracts/${d.contractId}/documents/${encodeURIComponent(d.id)}` })),
    };
  });
}

async function caseDetail(deps: AppDeps, caseId: string) {
  const row = await findCase(deps.db, caseId);
  if (!row) throw notFound('case');
  return (await caseViews(deps, [row], Date.now()))[0]!;
}

async function outageDetail(deps: AppDeps, outageId: string) {
  const outage = await findOutage(deps.db, outageId);
  if (!outage) throw notFound('outage');
  const { items } = await listCases(deps.db, { outageId, status: 'all', limit: 500, offset: 0 });
  const now = Date.now();
  return {
    ...outage,
    noticeSecondsLeft: outage.notifiedAt ? null : Math.floor((Date.parse(outage.noticeDueAt) - now) / 1000),
    cases: await caseViews(deps, items, now),
  };
}

async function loadOutage(deps: AppDeps, rawId: string | undefined) {
  const outage = rawId ? await findOutage(deps.db, rawId) : null;
  if (!outage) throw notFound('outage');
  return outage;
}

async function contractsInService(deps: AppDeps, ids: string[] | 'all'): Promise<ContractRow[]> {
  if (ids === 'all') {
    // one query, however many (loading each by id would take a connection per contract at once)
    const inService = await listContractsInService(deps.db);
    if (inService.length === 0) throw new AppError('INVALID_STATE', 'no contract is in service: nobody to notify');
    return inService;
  }
  const contracts = await Promise.all(ids.map((id) => findContract(deps.db, id)));
  const unknown = contracts.flatMap((c, i) => (c ? [] : [{ path: `body.contractIds.${i}`, message: 'unknown contract' }]));
  if (unknown.length) throw new AppError('VALIDATION_FAILED', 'body is invalid', { issues: unknown });
  const notActive = (contracts as ContractRow[]).filter((c) => c.status !== 'active');
  if (notActive.length) {
    throw new AppError('INVALID_STATE', `not in service (only active contracts are affected by an outage): ${notActive.map((c) => `${c.number} is ${c.status}`).join('; ')}`);
  }
  return contracts as ContractRow[];
}

export function caseRoutes(deps: AppDeps) {
  const services = () => workflowStartDeps(deps);
  /** the moment on the clock the workflows' timers run on (the time-skipping server's in tests) */
  const workflowNow = async () => (deps.temporalClock ? deps.temporalClock() : Date.now());

  return [
    // ------------------------------------------------------------ views
    defineRoute({
      method: 'get',
      path: '/api/cases',
      roles: EVERYONE,
      summary: 'legal cases of every kind (open by default), soonest deadline first, with timelines and documents; filter by kind, contract, owner',
      query: ZCaseListQuery,
      handler: async ({ query, user }) => {
        const { items, total } = await listCases(deps.db, {
          kind: query.kind,
          contractId: query.contract,
          // sales: their cases and their team's (api/policy.ts); `owner` narrows within that
          ownerIds: ownerFilterOf(user, query.owner),
          organisation: organisationScopeOf(user),
          status: query.status,
          limit: query.limit,
          offset: query.offset,
        });
        return { total, items: await caseViews(deps, items, Date.now()) };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/api/cases/:id',
      roles: EVERYONE,
      summary: 'one legal case with its timeline (events and actors) and documents',
      handler: async ({ params, user }) => {
        const row = params.id ? await findCase(deps.db, params.id) : null;
        const contract = row?.contractId ? await findContract(deps.db, row.contractId) : null;
        if (!row || !contract || !canSeeContract(user, contract)) throw notFound('case');
        return caseDetail(deps, row.id);
      },
    }),

    // ------------------------------------------------------------ breach and cure (Art.10)
    defineRoute({
      method: 'post',
      path: '/api/contracts/:id/breach-notices',
      roles: ['legal', 'sales', 'admin'],
      contract: { param: 'id', action: 'act' },
      summary: 'serve a written breach notice: notice PDF, the other party notified, 10-day cure period by the Civil Code count',
      body: ZBreachNoticeRequest,
      handler: async ({ body, user, res, requestId, contract }) => {
        const now = Date.now();
        notInFuture(body.servedAt, 'body.servedAt', now);
        if (!contract.effectiveAt) {
          throw refusal('contract.never_effective', { number: contract.number, status: contract.status }, `contract ${contract.number} is ${contract.status}: it never took effect, so it cannot be breached`);
        }
        if (body.servedAt && Date.parse(body.servedAt) < Date.parse(contract.effectiveAt)) {
          throw invalid('body.servedAt', `must not be before the contract took effect (${contract.effectiveAt})`);
        }
        const caseId = await serveBreachNotice(services(), { contract, request: body, actor: actorOf(user, requestId), now });
        res.status(201).location(`/api/cases/${encodeURIComponent(caseId)}`);
        return caseDetail(deps, caseId);
      },
    }),

    caseActionRoute(deps, {
      path: '/api/breach-cases/:id/cure',
      roles: ['legal', 'sales', 'admin', 'customer'],
      summary: 'the notified party cured the breach and confirms in writing (a PDF, or the text of the confirmation)',
      body: ZCureRequest,
      action: 'cure',
      allow: ({ row, user }) => requirePartyA(user, breachingParty(row), 'curing'),
      update: cureBreachUpdate,
      args: async ({ row, contract, body, user, actor }) => ({
        confirmation: await fileWrittenDocument(deps, {
          contract, caseId: row.id, role: 'cure_confirmation', defaultTitle: '纠正违约书面确认', doc: body.confirmation, party: breachingParty(row), actor, actorName: user.name,
        }),
        note: body.note,
        actor,
      }),
    }),

    caseActionRoute(deps, {
      path: '/api/breach-cases/:id/objection',
      roles: ['legal', 'sales', 'admin', 'customer'],
      summary: 'the notified party objects in writing: the case goes to negotiation with its own time limit',
      body: ZObjectionRequest,
      action: 'objection',
      allow: ({ row, user }) => requirePartyA(user, breachingParty(row), 'objecting'),
      update: objectBreachUpdate,
      // the objection is written: an uploaded document, or the reason itself as the written statement
      args: async ({ row, contract, body, user, actor }) => ({
        reason: body.reason,
        document: await fileWrittenDocument(deps, {
          contract, caseId: row.id, role: 'objection', defaultTitle: '书面异议', doc: body.document ?? { text: body.reason }, party: breachingParty(row), actor, actorName: user.name,
        }),
        actor,
      }),
    }),

    caseActionRoute(deps, {
      path: '/api/breach-cases/:id/withdrawal',
      roles: ['legal', 'sales', 'admin', 'customer'],
      summary: 'the serving party withdraws its breach notice',
      body: ZWithdrawalRequest,
      action: 'withdrawal',
      allow: ({ row, user }) => requirePartyA(user, row.servedBy ?? 'B', 'withdrawing the notice'),
      update: withdrawBreachUpdate,
      args: ({ body, actor }) => ({ reason: body.reason, actor }),
    }),

    caseActionRoute(deps, {
      path: '/api/breach-cases/:id/settlement',
      roles: ['legal', 'admin'],
      summary: 'the parties settled the dispute by negotiation (also after escalation)',
      body: ZSettlementRequest,
      action: 'settlement',
      update: settleBreachUpdate,
      args: async ({ row, contract, body, user, actor }) => ({
        summary: body.summary,
        document: body.document
          ? await fileWrittenDocument(deps, { contract, caseId: row.id, role: 'settlement', defaultTitle: '和解协议', doc: body.document, party: null, actor, actorName: user.name })
          : undefined,
        actor,
      }),
    }),

    // ------------------------------------------------------------ outage notices (Art.5 §8)
    defineRoute({
      method: 'post',
      path: '/api/outages',
      roles: ['operations', 'admin'],
      summary: 'report a service interruption: each affected customer is notified within 24 hours of learning of it (at once unless held for review)',
      // one request fans out to every affected customer (up to all of them)
      heavy: true,
      body: ZOutageRequest,
      handler: async ({ body, user, res, requestId }) => {
        const now = Date.now();
        notInFuture(body.learnedAt, 'body.learnedAt', now);
        if (Date.parse(body.startedAt) > now + 90 * 86_400_000) throw invalid('body.startedAt', 'must not be more than 90 days ahead');
        const scope = body.all || body.contractIds === 'all' ? 'all' : 'listed';
        const contracts = await contractsInService(deps, scope === 'all' ? 'all' : (body.contractIds as string[]));
        const outageId = await reportOutage(services(), { contracts, request: body, scope, actor: actorOf(user, requestId), paging: deps.outagePaging });
        res.status(201).location(`/api/outages/${encodeURIComponent(outageId)}`);
        return outageDetail(deps, outageId);
      },
    }),

    defineRoute({
      method: 'get',
      path: '/api/outages',
      roles: STAFF,
      summary: 'outages, unresolved first and soonest notice deadline first: per outage how many customers were notified, are held or still unsent, and were notified late',
      query: ZOutageListQuery,
      handler: async ({ query }) => {
        const { items, total } = await listOutages(deps.db, query);
        const now = Date.now();
        return {
          total,
          items: items.map(({ workflowId: _workflowId, ...o }) => ({
            ...o,
            noticeSecondsLeft: o.notifiedAt ? null : Math.floor((Date.parse(o.noticeDueAt) - now) / 1000),
            // a hold covers the whole outage: while it lasts, every unsent notice is held
            held: o.heldBy !== null && o.notifiedAt === null ? o.unsent : 0,
          })),
        };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/api/outages/:id',
      roles: STAFF,
      summary: 'an outage: notice deadline and time left, hold, alert, lateness, restoration, and the case of each affected contract',
      handler: async ({ params }) => outageDetail(deps, (await loadOutage(deps, params.id)).id),
    }),

    defineRoute({
      method: 'post',
      path: '/api/outages/:id/hold',
      roles: ['operations', 'legal', 'admin'],
      summary: 'hold the interruption notices for review (the 24-hour deadline keeps running)',
      body: ZHoldRequest,
      handler: async ({ params, body, user, requestId }) => {
        const outage = await loadOutage(deps, params.id);
        await runUpdate(deps, outage.workflowId, holdOutageNoticeUpdate, [{ reason: body.reason, actor: actorOf(user, requestId) }], `outage ${outage.id}`);
        return outageDetail(deps, outage.id);
      },
    }),

    defineRoute({
      method: 'post',
      path: '/api/outages/:id/release',
      roles: ['operations', 'legal', 'admin'],
      summary: 'release held interruption notices: they are sent at once (on time, or late after 24 hours)',
      body: ZReleaseRequest.default({}),
      handler: async ({ params, body, user, requestId }) => {
        const outage = await loadOutage(deps, params.id);
        await runUpdate(deps, outage.workflowId, releaseOutageNoticeUpdate, [{ note: body.note, actor: actorOf(user, requestId) }], `outage ${outage.id}`);
        return outageDetail(deps, outage.id);
      },
    }),

    defineRoute({
      method: 'post',
      path: '/api/outages/:id/resolution',
      roles: ['operations', 'admin'],
      summary: 'service restored: the restoration notice goes to each affected customer and the cases close',
      body: ZResolutionRequest,
      handler: async ({ params, body, user, requestId }) => {
        const outage = await loadOutage(deps, params.id);
        notInFuture(body.restoredAt, 'body.restoredAt', Date.now());
        if (Date.parse(body.restoredAt) < Date.parse(outage.startedAt)) throw invalid('body.restoredAt', `must not be before the outage started (${outage.startedAt})`);
        await runUpdate(deps, outage.workflowId, resolveOutageUpdate, [{ restoredAt: body.restoredAt, description: body.description, actor: actorOf(user, requestId) }], `outage ${outage.id}`);
        return outageDetail(deps, outage.id);
      },
    }),

    // ------------------------------------------------------------ content violations (Art.4 §10(5), Art.8 §5)
    defineRoute({
      method: 'post',
      path: '/api/contracts/:id/violations',
      roles: ['customer', 'operations', 'legal', 'admin'],
      contract: { param: 'id', action: 'act' },
      summary: "record a content violation: the customer's report (due within 1 hour of learning of it: on time or late) or the provider's finding",
      body: ZViolationRequest,
      handler: async ({ body, user, res, requestId, contract }) => {
        if (user.role === 'customer' && body.reportedBy !== 'customer') {
          throw new AppError('FORBIDDEN', 'a customer operator reports violations as the customer (reportedBy: "customer")');
        }
        const now = Date.now();
        notInFuture(body.learnedAt, 'body.learnedAt', now);
        if (contract.status === 'frozen') throw refusal('contract.already_frozen', { number: contract.number }, `contract ${contract.number} is already frozen for good (Art.8 §5)`);
        if (contract.status !== 'active') {
          throw refusal('contract.not_in_term', { number: contract.number, status: contract.status, terminating: false }, `contract ${contract.number} is ${contract.status}: there is no account in service`);
        }
        const caseId = await recordViolation(services(), { contract, request: body, actor: actorOf(user, requestId), now });
        res.status(201).location(`/api/cases/${encodeURIComponent(caseId)}`);
        return caseDetail(deps, caseId);
      },
    }),

    caseActionRoute(deps, {
      path: '/api/violations/:id/confirmation',
      roles: ['legal', 'operations', 'admin'],
      summary: 'confirm the violation: the account is frozen permanently and the remaining package forfeited (there is no reactivation)',
      body: ZConfirmViolationRequest,
      action: 'violationConfirmation',
      update: confirmViolationUpdate,
      args: ({ body, actor }) => ({ finding: body.finding, actor }),
    }),

    caseActionRoute(deps, {
      path: '/api/violations/:id/dismissal',
      roles: ['legal', 'operations', 'admin'],
      summary: 'dismiss a reported violation after review (not a violation); a confirmed one cannot be dismissed',
      body: ZDismissViolationRequest,
      action: 'violationDismissal',
      update: dismissViolationUpdate,
      args: ({ body, actor }) => ({ reason: body.reason, actor }),
    }),

    // ------------------------------------------------------------ suspension pending rectification (Art.4 §9)
    defineRoute({
      method: 'post',
      path: '/api/contracts/:id/suspensions',
      roles: ['legal', 'operations', 'admin'],
      contract: { param: 'id', action: 'act' },
      summary: 'suspend the service pending rectification (authority notice, report or own finding): every submission is refused until the rectification is confirmed; notice PDF to Party A; rectification period by the Civil Code count (terms, or 10 days)',
      body: ZSuspensionRequest,
      handler: async ({ body, user, res, requestId, contract }) => {
        if (contract.status === 'frozen') throw refusal('contract.already_frozen', { number: contract.number }, `contract ${contract.number} is already frozen for good (Art.8 §5)`);
        if (contract.status !== 'active') {
          throw refusal('contract.not_in_term', { number: contract.number, status: contract.status, terminating: false }, `contract ${contract.number} is ${contract.status}: there is no service in force to suspend`);
        }
        const caseId = await suspendContract(services(), { contract, request: body, actor: actorOf(user, requestId), now: await workflowNow() });
        res.status(201).location(`/api/cases/${encodeURIComponent(caseId)}`);
        return caseDetail(deps, caseId);
      },
    }),

    caseActionRoute(deps, {
      path: '/api/suspensions/:id/rectification',
      roles: ['legal', 'operations', 'admin'],
      summary: 'confirm the rectification: the suspension ends and the service resumes (also after the period lapsed)',
      body: ZRectificationRequest,
      action: 'rectification',
      update: confirmRectificationUpdate,
      args: ({ body, actor }) => ({ note: body.note, actor }),
    }),

    caseActionRoute(deps, {
      path: '/api/suspensions/:id/extension',
      roles: ['legal', 'admin'],
      summary: 'after the rectification period lapsed: another period of N days from now (Civil Code count); the service stays suspended',
      body: ZSuspensionExtensionRequest,
      action: 'extension',
      update: extendSuspensionUpdate,
      args: async ({ row, body, actor }) => {
        const extensions = Array.isArray(row.data.extensions) ? row.data.extensions.length : 0;
        const rectification = await extensionPeriod(deps.db, row.id, extensions + 1, new Date(await workflowNow()).toISOString(), body.days);
        return { days: body.days, reason: body.reason, rectification, actor };
      },
    }),

    // ------------------------------------------------------------ force majeure (Art.9)
    defineRoute({
      method: 'post',
      path: '/api/contracts/:id/force-majeure',
      roles: ['legal', 'sales', 'admin', 'customer'],
      contract: { param: 'id', action: 'act' },
      summary: 'declare a force majeure event: notice PDF, the other party notified, written proof due within 15 days of the event',
      body: ZForceMajeureRequest,
      handler: async ({ body, user, res, requestId, contract }) => {
        requirePartyA(user, body.declaredBy, 'declaring force majeure');
        notInFuture(body.occurredAt, 'body.occurredAt', Date.now());
        if (!contract.effectiveAt) throw refusal('contract.never_effective', { number: contract.number, status: contract.status }, `contract ${contract.number} is ${contract.status}: it never took effect`);
        const caseId = await declareForceMajeure(services(), { contract, request: body, actor: actorOf(user, requestId) });
        res.status(201).location(`/api/cases/${encodeURIComponent(caseId)}`);
        return caseDetail(deps, caseId);
      },
    }),

    caseActionRoute(deps, {
      path: '/api/force-majeure/:id/proof',
      roles: ['legal', 'sales', 'admin', 'customer'],
      summary: 'file the written proof of a force majeure event (on time, or late and flagged)',
      body: ZProofRequest,
      action: 'proof',
      allow: ({ row, user }) => requirePartyA(user, row.servedBy ?? 'A', 'filing the proof'),
      update: fileForceMajeureProofUpdate,
      args: async ({ row, contract, body, user, actor }) => ({
        document: await fileWrittenDocument(deps, {
          contract, caseId: row.id, role: 'force_majeure_proof', defaultTitle: '不可抗力书面证明', doc: body.document, party: row.servedBy ?? 'A', actor, actorName: user.name,
        }),
        note: body.note,
        actor,
      }),
    }),
  ];
}
