import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { z } from 'zod';
import {
  toDeadlineView,
  ZContractStatus,
  ZSignContractRequest,
  type DeadlineState,
} from '../../domain/contract';
import { REFERENCE_TERMS, ZContractTerms } from '../../domain/terms';
import { isInFuture } from '../../domain/time';
import { ZCreditCode } from '../../domain/credit-code';
import { ZContractSort, ZSearchQuery } from '../../domain/contract-list';
import { appendAudit, listAuditForContract } from '../../db/audit';
import { findContract, listContracts, listSignatures, setPartyACreditCode, type ContractRow } from '../../db/contracts';
import { listOpenDeadlines } from '../../db/deadlines';
import { listDocuments, readDocumentContent } from '../../db/documents';
import { listNotifications } from '../../db/notifications';
import { findUser, listContractOwners } from '../../db/users';
import { createContract } from '../../services/contracts';
import { getContractStateQuery, signContractUpdate, type ContractStateView } from '../../workflows/messages/contract-lifecycle';
import { getDeadlinesQuery } from '../../workflows/messages/deadlines';
import { listInvoicesForContract } from '../../db/invoices';
import { listCases } from '../../db/legal';
import { contractMatters, worstMatter } from '../../domain/risk';
import { invoiceView } from './invoices';
import { organisationScopeOf, ownerFilterOf, ownerScopeOf } from '../policy';
import { workflowStartDeps, type AppDeps } from '../deps';
import { lifecycleHandle } from '../contract-access';
import { AppError, notFound } from '../errors';
import { defineRoute } from '../http';

export const ZCreateContractRequest = z.strictObject({
  terms: ZContractTerms,
  /** admin only: create on behalf of this sales owner */
  ownerId: z.string().trim().min(1).max(64).optional(),
});
export type TCreateContractRequest = z.infer<typeof ZCreateContractRequest>;

/** PUT /api/contracts/:id/party-a-credit-code: Party A's code on a contract stored without one. */
export const ZSetPartyACreditCodeRequest = z.strictObject({ creditCode: ZCreditCode });

const ZContractListQuery = z.strictObject({
  status: ZContractStatus.optional(),
  owner: z.string().trim().min(1).max(64).optional(),
  deadlineWithinDays: z.coerce.number().int().min(0).max(3650).optional(),
  /** a substring of the number, Party A's name or credit code, any case, full-width forms folded */
  q: ZSearchQuery.optional(),
  /** `key` ascending or `-key` descending; unset: newest first */
  sort: ZContractSort.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

const STAFF = ['sales', 'legal', 'finance', 'operations', 'admin'] as const;
const EVERYONE = [...STAFF, 'customer'] as const;

/**
 * Queries the workflow for its live state; null when it cannot answer within
 * the time (the read model serves then). A contract whose start is still owed
 * (created a moment ago: the start follows the response) has no workflow to
 * ask yet, which is expected, not worth a warning.
 */
async function queryLiveState(handle: WorkflowHandle, deps: AppDeps, startOwed: boolean): Promise<ContractStateView | null> {
  try {
    return await deps.temporal.connection.withDeadline(Date.now() + deps.queryTimeoutMs, () => handle.query(getContractStateQuery));
  } catch (error) {
    const expected = startOwed && error instanceof WorkflowNotFoundError;
    deps.logger[expected ? 'debug' : 'warn']({ workflowId: handle.workflowId, err: (error as Error).message }, 'live query failed; serving the read model');
    return null;
  }
}

/** The contract the route acts on, if the policy lets the user do `action` to it (api/policy.ts). */
/**
 * Every open deadline of the contract, read live from the workflows holding
 * them (the lifecycle, payment workflows, cases); a workflow that cannot
 * answer in time is served from the read model. The read model and the other
 * holders' queries run while the lifecycle's own query is in flight.
 */
async function liveDeadlines(
  deps: AppDeps,
  contract: ContractRow,
  lifecycleState: Promise<ContractStateView | null>,
): Promise<{ deadlines: DeadlineState[]; source: 'workflow' | 'read-model' | 'mixed' }> {
  const rows = await listOpenDeadlines(deps.db, contract.id);
  const holders = new Set(rows.map((r) => r.workflowId).filter((id) => id !== contract.workflowId));
  const [lifecycle, answers] = await Promise.all([
    lifecycleState,
    Promise.all(
      [...holders].map(async (workflowId) => {
        try {
          const live = await deps.temporal.connection.withDeadline(Date.now() + deps.queryTimeoutMs, () =>
            deps.temporal.workflow.getHandle(workflowId).query(getDeadlinesQuery),
          );
          return { live, workflowId };
        } catch {
          return { live: null, workflowId };
        }
      }),
    ),
  ]);
  const sources = new Set<string>();
  const deadlines: DeadlineState[] = [];
  if (lifecycle) {
    deadlines.push(...lifecycle.deadlines);
    sources.add('workflow');
  } else {
    deadlines.push(...rows.filter((r) => r.workflowId === contract.workflowId));
    sources.add('read-model');
  }
  for (const { live, workflowId } of answers) {
    if (live) {
      deadlines.push(...live);
      sources.add('workflow');
    } else {
      deadlines.push(...rows.filter((r) => r.workflowId === workflowId));
      sources.add('read-model');
    }
  }
  deadlines.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return { deadlines: deadlines.map(({ kind, ref, dueAt, explanation, explanationEn, provisional }) => ({ kind, ref, dueAt, explanation, explanationEn, provisional: provisional ?? false })), source: sources.size > 1 ? 'mixed' : (sources.values().next().value as 'workflow' | 'read-model') };
}

/**
 * The contract as the API shows it; every read (workflow queries, Postgres)
 * runs at once. `justCreated`: the answer to the request that created it,
 * which holds nothing yet but its creation event (no signature, document,
 * notification, invoice, case or deadline can exist before its workflow
 * runs), so only those two reads are made.
 */
export async function contractDetail(deps: AppDeps, contract: ContractRow, live?: ContractStateView | null, options: { justCreated?: boolean } = {}) {
  const now = Date.now();
  const lifecycle = live === undefined ? queryLiveState(deps.temporal.workflow.getHandle(contract.workflowId), deps, contract.workflowStartedAt === null) : Promise.resolve(live);
  const none = <T,>(read: () => Promise<T[]>): Promise<T[]> => (options.justCreated ? Promise.resolve([]) : read());
  const [state, { deadlines, source }, signatures, documents, audit, notifications, owner, invoices, cases] = await Promise.all([
    lifecycle,
    options.justCreated ? { deadlines: [], source: 'read-model' as const } : liveDeadlines(deps, contract, lifecycle),
    none(() => listSignatures(deps.db, contract.id)),
    none(() => listDocuments(deps.db, contract.id)),
    listAuditForContract(deps.db, contract.id),
    none(() => listNotifications(deps.db, contract.id)),
    findUser(deps.db, contract.ownerId),
    none(() => listInvoicesForContract(deps.db, contract.id)),
    options.justCreated ? { items: [], total: 0 } : listCases(deps.db, { contractId: contract.id, status: 'open', limit: 100, offset: 0 }),
  ]);
  const status = state?.status ?? contract.status;
  const matters = contractMatters(
    {
      status,
      invoices,
      cases: cases.items.map((c) => ({ id: c.id, kind: c.kind, status: c.status, dueAt: c.due?.dueAt ?? null })),
      deadlines,
    },
    now,
  );
  return {
    id: contract.id,
    number: contract.number,
    status,
    /** the open matters, worst first: what a person must see before anything else */
    risk: matters[0] ?? null,
    matters,
    owner: { id: contract.ownerId, name: owner?.name ?? contract.ownerId },
    parties: { A: contract.terms.partyA, B: contract.terms.partyB },
    terms: contract.terms,
    effectiveAt: state?.effectiveAt ?? contract.effectiveAt,
    termEndsAt: state?.termEndsAt ?? contract.termEndsAt,
    signatures,
    deadlines: deadlines.map((d) => toDeadlineView(d, now)),
    deadlinesSource: source,
    invoices: invoices.map((i) => invoiceView(i, now)),
    documents: documents.map((d) => ({ ...d, url: `/api/contracts/${contract.id}/documents/${encodeURIComponent(d.id)}` })),
    audit,
    notifications: notifications.map(({ phone: _phone, ...n }) => n),
    workflowId: contract.workflowId,
    imported: contract.importedAt ? { externalRef: contract.externalRef, at: contract.importedAt } : null,
    createdAt: contract.createdAt,
    updatedAt: contract.updatedAt,
  };
}

export function contractRoutes(deps: AppDeps) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/templates/reference',
      roles: EVERYONE,
      summary: "the reference contract's terms, as a body POST /api/contracts accepts",
      handler: async () => ({ terms: REFERENCE_TERMS }),
    }),

    defineRoute({
      method: 'post',
      path: '/api/contracts',
      roles: ['sales', 'admin'],
      summary: 'create a contract and start its lifecycle',
      body: ZCreateContractRequest,
      handler: async ({ body, user, res, requestId, idempotencyKey }) => {
        let ownerId = user.id;
        if (body.ownerId && body.ownerId !== user.id) {
          if (user.role !== 'admin') throw new AppError('FORBIDDEN', 'only an admin may create a contract on behalf of another owner');
          const owner = await findUser(deps.db, body.ownerId);
          if (!owner || owner.role !== 'sales') throw new AppError('VALIDATION_FAILED', 'ownerId must name a sales user', { issues: [{ path: 'body.ownerId', message: 'unknown sales user' }] });
          ownerId = owner.id;
        }
        const { contract, created } = await createContract(
          workflowStartDeps(deps),
          { terms: body.terms, ownerId, idempotencyKey, actor: { id: user.id, role: user.role, requestId } },
        );
        res.status(created ? 201 : 200).location(`/api/contracts/${contract.id}`);
        // a replay of the creation (same idempotency key) reads everything: the contract may have moved on since
        return contractDetail(deps, contract, null, { justCreated: created });
      },
    }),

    defineRoute({
      method: 'get',
      path: '/api/contracts',
      roles: EVERYONE,
      summary: 'list contracts: filters, a search over number, Party A and its credit code (q), a sort, and the total',
      query: ZContractListQuery,
      handler: async ({ query, user }) => {
        const { items, total } = await listContracts(deps.db, {
          status: query.status,
          // sales see the contracts they own and their team's (api/policy.ts); `owner` narrows within that, never widens it
          ownerIds: ownerFilterOf(user, query.owner),
          // a customer operator sees their organisation's (api/policy.ts)
          organisation: organisationScopeOf(user),
          deadlineWithinDays: query.deadlineWithinDays,
          q: query.q,
          sort: query.sort,
          limit: query.limit,
          offset: query.offset,
        });
        const now = Date.now();
        return {
          total,
          items: items.map((c) => ({
            id: c.id,
            number: c.number,
            status: c.status,
            ownerId: c.ownerId,
            partyA: c.partyAName,
            partyB: c.partyBName,
            effectiveAt: c.effectiveAt,
            termEndsAt: c.termEndsAt,
            nextDeadline: c.nextDeadline ? { ...c.nextDeadline, secondsLeft: Math.floor((Date.parse(c.nextDeadline.dueAt) - now) / 1000) } : null,
            // the worst open matter first, before anything else about the contract (domain/risk.ts)
            risk: worstMatter(
              {
                status: c.status,
                invoices: c.risk.invoices,
                cases: c.risk.cases,
                deadlines: [...(c.nextDeadline ? [c.nextDeadline] : []), ...(c.risk.provisionalDueAt ? [{ kind: 'provisional', dueAt: c.risk.provisionalDueAt, provisional: true }] : [])],
              },
              now,
            ),
            createdAt: c.createdAt,
          })),
        };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/api/contract-owners',
      roles: STAFF,
      summary: "the owners the caller's contract list can be narrowed to (?owner=), by name: a sales user themself and the team they lead, other staff every sales user and anyone else owning a contract",
      handler: async ({ user }) => ({ items: await listContractOwners(deps.db, { ids: ownerScopeOf(user) }) }),
    }),

    defineRoute({
      method: 'get',
      path: '/api/contracts/:id',
      roles: EVERYONE,
      contract: { param: 'id', action: 'read' },
      summary: 'a contract with its live deadlines, documents and audit trail',
      handler: async ({ contract }) => contractDetail(deps, contract),
    }),

    defineRoute({
      method: 'post',
      path: '/api/contracts/:id/signatures',
      roles: ['sales', 'admin'],
      contract: { param: 'id', action: 'act' },
      summary: "record one party's signature and seal (a workflow update)",
      body: ZSignContractRequest,
      handler: async ({ body, user, requestId, contract }) => {
        // the input's own check; whether the contract awaits this party's signature the workflow decides (its update validator)
        if (body.signedAt && isInFuture(body.signedAt, Date.now())) {
          throw new AppError('VALIDATION_FAILED', 'body is invalid', { issues: [{ path: 'body.signedAt', message: 'must not be in the future' }] });
        }
        const handle = await lifecycleHandle(deps, contract);
        const state = await handle.executeUpdate(signContractUpdate, {
          args: [{ ...body, actor: { id: user.id, role: user.role, requestId } }],
        });
        const updated = (await findContract(deps.db, contract.id))!;
        return contractDetail(deps, updated, state);
      },
    }),

    defineRoute({
      method: 'put',
      path: '/api/contracts/:id/party-a-credit-code',
      roles: ['admin'],
      contract: { param: 'id', action: 'act' },
      summary: "set Party A's unified social credit code (统一社会信用代码) on a contract stored without one; a code already there is part of the signed terms and stays",
      body: ZSetPartyACreditCodeRequest,
      handler: async ({ body, user, requestId, contract }) => {
        if (contract.partyACreditCode === body.creditCode) return contractDetail(deps, contract);
        const alreadySet = (code: string) =>
          new AppError('CONFLICT', `contract ${contract.number} already carries Party A's credit code ${code}: it is part of the signed terms and is not changed here`);
        if (contract.partyACreditCode !== null) throw alreadySet(contract.partyACreditCode);
        const updated = await deps.db.withTransaction(async (tx) => {
          const row = await setPartyACreditCode(tx, contract.id, body.creditCode);
          if (!row) return null;
          await appendAudit(tx, {
            type: 'contract.party_a_credit_code_set',
            contractId: row.id,
            actor: { id: user.id, role: user.role, requestId },
            before: { partyACreditCode: null },
            after: { partyACreditCode: body.creditCode },
            data: { partyA: row.partyAName },
          });
          return row;
        });
        if (!updated) {
          // set by a concurrent request in between
          const now = (await findContract(deps.db, contract.id))!;
          if (now.partyACreditCode !== body.creditCode) throw alreadySet(now.partyACreditCode ?? '');
          return contractDetail(deps, now);
        }
        return contractDetail(deps, updated);
      },
    }),

    defineRoute({
      method: 'get',
      path: '/api/contracts/:id/documents/:docId',
      roles: EVERYONE,
      contract: { param: 'id', action: 'read' },
      summary: 'download a document (PDF)',
      handler: async ({ params, res, contract }) => {
        const doc = await readDocumentContent(deps.db, contract.id, params.docId ?? '');
        if (!doc) throw notFound('document');
        const filename = `${contract.number}-${doc.kind}.pdf`;
        res
          .status(200)
          .type('application/pdf')
          .set('Content-Disposition', `attachment; filename="${filename}"`)
          .set('X-Content-SHA256', doc.sha256)
          .send(doc.content);
        return undefined;
      },
    }),
  ];
}
