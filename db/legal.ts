/**
 * Legal cases (breach, outage, violation, force majeure), their timelines,
 * documents, the outages behind outage cases and forfeited packages. Every
 * write here runs inside the caller's transaction with its audit event.
 */
import type { HolidayOverride } from '../domain/calendar';
import type { Actor, DeadlineState } from '../domain/contract';
import type { CaseKind } from '../domain/legal';
import type { AuditEventType } from '../domain/webhook-events';
import type { PartyCode } from '../domain/terms';
import { appendAudit } from './audit';
import { CONTRACT_COLUMNS, organisationCondition, ownerMatch, toContract, type ContractRow, type OrganisationScope } from './contracts';
import { syncDeadlines } from './deadlines';
import type { Queryable } from './pool';
import { settleWorkItems } from './work-items';

export type ClosedDeadlineRef = { kind: string; ref: string; status: 'met' | 'lapsed' | 'cancelled' };
export type CaseDue = { kind: string; dueAt: string; explanation: string };

/** A case could not move because it is not in an expected status (→ 409). */
export class CaseStateError extends Error {
  override readonly name = 'CaseStateError';
  constructor(
    message: string,
    readonly status: string,
  ) {
    super(message);
  }
}

export class CaseNotFoundError extends Error {
  override readonly name = 'CaseNotFoundError';
}

export async function listHolidayOverrides(db: Queryable): Promise<HolidayOverride[]> {
  const { rows } = await db.query<{ date: string; kind: 'rest' | 'work'; name: string }>('SELECT date, kind, name FROM holiday_overrides ORDER BY date');
  return rows.map((row) => ({ date: row.date, kind: row.kind, name: row.name }));
}

// ---------------------------------------------------------------- cases

export type CaseRow = {
  id: string;
  kind: CaseKind;
  contractId: string | null;
  contractNumber: string | null;
  ownerId: string | null;
  partyAName: string | null;
  status: string;
  servedBy: PartyCode | null;
  clause: string | null;
  description: string;
  openedAt: string;
  openedBy: string;
  due: CaseDue | null;
  workflowId: string | null;
  outageId: string | null;
  data: Record<string, unknown>;
  flags: string[];
  closedAt: string | null;
  updatedAt: string;
};

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : null);

const CASE_COLUMNS = `c.id, c.kind, c.contract_id, k.number AS contract_number, k.owner_id, k.party_a_name, c.status, c.served_by, c.clause,
  c.description, c.opened_at, c.opened_by, c.due_at, c.due_kind, c.due_explanation, c.workflow_id, c.outage_id, c.data, c.flags, c.closed_at, c.updated_at`;

function toCase(row: Record<string, unknown>): CaseRow {
  return {
    id: row.id as string,
    kind: row.kind as CaseKind,
    contractId: (row.contract_id as string | null) ?? null,
    contractNumber: (row.contract_number as string | null) ?? null,
    ownerId: (row.owner_id as string | null) ?? null,
    partyAName: (row.party_a_name as string | null) ?? null,
    status: row.status as string,
    servedBy: (row.served_by as PartyCode | null) ?? null,
    clause: (row.clause as string | null) ?? null,
    description: row.description as string,
    openedAt: iso(row.opened_at)!,
    openedBy: row.opened_by as string,
    due: row.due_at
      ? { kind: (row.due_kind as string | null) ?? defaultDueKind(row.kind as CaseKind), dueAt: iso(row.due_at)!, explanation: (row.due_explanation as string | null) ?? '' }
      : null,
    workflowId: (row.workflow_id as string | null) ?? null,
    outageId: (row.outage_id as string | null) ?? null,
    data: (row.data as Record<string, unknown>) ?? {},
    flags: (row.flags as string[] | null) ?? [],
    closedAt: iso(row.closed_at),
    updatedAt: iso(row.updated_at)!,
  };
}

const defaultDueKind = (kind: CaseKind) =>
  ({ breach: 'cure', outage: 'outage_notice', violation: 'violation_report', force_majeure: 'force_majeure_proof', suspension: 'rectification' })[kind];

export type NewCase = {
  id: string;
  kind: CaseKind;
  contractId: string;
  status: string;
  servedBy?: PartyCode | null;
  clause?: string | null;
  description: string;
  openedAt: string;
  actor: Actor;
  due: CaseDue | null;
  workflowId: string;
  outageId?: string | null;
  data?: Record<string, unknown>;
  flags?: string[];
  closed?: boolean;
  /** the first timeline event (served, reported, declared…) */
  event: { type: string; at?: string; data?: Record<string, unknown> };
  deadlines?: { open: DeadlineState[]; closed: ClosedDeadlineRef[] };
  audit?: { data?: Record<string, unknown> };
};

/** Opens a case once (its id comes from what opened it); returns false when it already exists. */
export async function openCase(tx: Queryable, c: NewCase): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO legal_cases (id, kind, contract_id, status, served_by, clause, description, opened_at, due_at, due_kind, due_explanation,
       opened_by, workflow_id, outage_id, data, flags, closed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) ON CONFLICT (id) DO NOTHING`,
    [
      c.id, c.kind, c.contractId, c.status, c.servedBy ?? null, c.clause ?? null, c.description, c.openedAt, c.due?.dueAt ?? null,
      c.due?.kind ?? null, c.due?.explanation ?? null, c.actor.id, c.workflowId, c.outageId ?? null, JSON.stringify(c.data ?? {}),
      c.flags ?? [], c.closed ? c.openedAt : null,
    ],
  );
  if (rowCount !== 1) return false;
  await insertEvent(tx, { caseId: c.id, key: c.event.type, type: c.event.type, at: c.event.at ?? c.openedAt, actor: c.actor, data: c.event.data ?? {} });
  if (c.deadlines) await syncDeadlines(tx, { workflowId: c.workflowId, contractId: c.contractId, open: c.deadlines.open, closed: c.deadlines.closed });
  await appendAudit(tx, {
    type: 'case.opened',
    contractId: c.contractId,
    actor: c.actor,
    after: { caseId: c.id, kind: c.kind, status: c.status, dueAt: c.due?.dueAt ?? null },
    data: {
      caseId: c.id,
      caseKind: c.kind,
      status: c.status,
      dueAt: c.due?.dueAt ?? null,
      dueKind: c.due?.kind ?? null,
      clause: c.clause ?? null,
      workflowId: c.workflowId,
      ...(c.outageId ? { outageId: c.outageId } : {}),
      ...(c.audit?.data ?? {}),
    },
  });
  return true;
}

async function insertEvent(
  tx: Queryable,
  e: { caseId: string; key: string; type: string; at: string; actor: Actor; data: Record<string, unknown> },
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO case_events (case_id, at, type, actor_id, actor_role, data, dedupe_key) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [e.caseId, e.at, e.type, e.actor.id, e.actor.role, JSON.stringify(e.data), `${e.caseId}:${e.key}`],
  );
  return rowCount === 1;
}

export type CaseTransition = {
  caseId: string;
  /** the statuses the case may be in for this move; any when omitted */
  from?: readonly string[];
  /** the new status; unchanged when omitted */
  to?: string;
  /** the timeline event; its key makes the move happen once (a retried activity finds it done) */
  event: { key: string; type: string; at: string; actor: Actor; data?: Record<string, unknown> };
  /** the case's current deadline: replaced by this, cleared by null, unchanged when omitted */
  due?: CaseDue | null;
  close?: boolean;
  addFlags?: string[];
  /** merged into the case's data */
  data?: Record<string, unknown>;
  documents?: { documentId: string; role: string }[];
  deadlines?: { workflowId: string; open: DeadlineState[]; closed: ClosedDeadlineRef[] };
  audit: { type: AuditEventType; data?: Record<string, unknown> };
};

/**
 * Moves a case (guarded by its status), with its timeline event, documents,
 * deadlines read model and audit event, in the caller's transaction. Applying
 * the same event key twice changes nothing the second time.
 */
export async function transitionCase(tx: Queryable, t: CaseTransition): Promise<{ applied: boolean; before: string; after: string }> {
  const { rows } = await tx.query('SELECT status, contract_id FROM legal_cases WHERE id = $1 FOR UPDATE', [t.caseId]);
  const current = rows[0];
  if (!current) throw new CaseNotFoundError(`case ${t.caseId} not found`);
  const before = current.status as string;
  const contractId = current.contract_id as string | null;
  if (!(await insertEvent(tx, { caseId: t.caseId, key: t.event.key, type: t.event.type, at: t.event.at, actor: t.event.actor, data: t.event.data ?? {} }))) {
    return { applied: false, before, after: before };
  }
  if (t.from && !t.from.includes(before)) {
    throw new CaseStateError(`case ${t.caseId} is ${before}; ${t.event.type} needs it to be ${t.from.join(' or ')}`, before);
  }
  const after = t.to ?? before;
  const updated = await tx.query(
    `UPDATE legal_cases SET
        status = $2,
        due_at = CASE WHEN $3 THEN $4::timestamptz ELSE due_at END,
        due_kind = CASE WHEN $3 THEN $5 ELSE due_kind END,
        due_explanation = CASE WHEN $3 THEN $6 ELSE due_explanation END,
        closed_at = CASE WHEN $7 THEN $8::timestamptz ELSE closed_at END,
        flags = ARRAY(SELECT DISTINCT f FROM unnest(flags || $9::text[]) AS f ORDER BY f),
        data = data || $10::jsonb,
        updated_at = now()
      WHERE id = $1
      RETURNING kind, due_at, due_kind`,
    [
      t.caseId, after, t.due !== undefined, t.due?.dueAt ?? null, t.due?.kind ?? null, t.due?.explanation ?? null, Boolean(t.close), t.event.at,
      t.addFlags ?? [], JSON.stringify(t.data ?? {}),
    ],
  );
  for (const doc of t.documents ?? []) {
    await tx.query(
      `INSERT INTO case_documents (case_id, document_id, role, added_by, added_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [t.caseId, doc.documentId, doc.role, t.event.actor.id, t.event.at],
    );
  }
  if (t.deadlines) await syncDeadlines(tx, { workflowId: t.deadlines.workflowId, contractId, open: t.deadlines.open, closed: t.deadlines.closed });
  // the work items this move resolves (a violation decided, an escalated case settled…) close themselves
  await settleWorkItems(tx, { caseId: t.caseId }, t.event.at);
  const moved = updated.rows[0]!;
  await appendAudit(tx, {
    type: t.audit.type,
    contractId,
    actor: t.event.actor,
    before: { caseId: t.caseId, status: before },
    after: { caseId: t.caseId, status: after },
    // what a subscriber acts on without calling back: the case, its status and its deadline after this event
    data: {
      caseId: t.caseId,
      caseKind: moved.kind,
      event: t.event.type,
      at: t.event.at,
      status: after,
      dueAt: moved.due_at ? (moved.due_at as Date).toISOString() : null,
      dueKind: moved.due_at ? ((moved.due_kind as string | null) ?? defaultDueKind(moved.kind as CaseKind)) : null,
      ...(t.audit.data ?? {}),
    },
  });
  return { applied: true, before, after };
}

/** Links a stored document to a case (the notice it produced, a written confirmation filed with it). */
export async function linkCaseDocument(tx: Queryable, link: { caseId: string; documentId: string; role: string; addedBy: string; at?: string }): Promise<void> {
  await tx.query(
    `INSERT INTO case_documents (case_id, document_id, role, added_by, added_at) VALUES ($1, $2, $3, $4, COALESCE($5::timestamptz, now())) ON CONFLICT DO NOTHING`,
    [link.caseId, link.documentId, link.role, link.addedBy, link.at ?? null],
  );
}

/** The open suspension of a contract (Art.4 §9), if any: while it lasts no message is sent under the contract. */
export async function findOpenSuspension(db: Queryable, contractId: string): Promise<CaseRow | null> {
  const { rows } = await db.query(
    `SELECT ${CASE_COLUMNS} FROM legal_cases c JOIN contracts k ON k.id = c.contract_id
      WHERE c.contract_id = $1 AND c.kind = 'suspension' AND c.closed_at IS NULL ORDER BY c.opened_at DESC LIMIT 1`,
    [contractId],
  );
  return rows[0] ? toCase(rows[0]) : null;
}

/** A second open suspension of the same contract (the unique index legal_cases_one_open_suspension). */
export const isOpenSuspensionConflict = (error: unknown): boolean =>
  (error as { code?: string; constraint?: string } | null)?.code === '23505' && (error as { constraint?: string }).constraint === 'legal_cases_one_open_suspension';

export async function findCase(db: Queryable, id: string): Promise<CaseRow | null> {
  const { rows } = await db.query(`SELECT ${CASE_COLUMNS} FROM legal_cases c LEFT JOIN contracts k ON k.id = c.contract_id WHERE c.id = $1`, [id]);
  return rows[0] ? toCase(rows[0]) : null;
}

export type CaseFilter = {
  kind?: CaseKind;
  contractId?: string;
  /** any of these owners (a sales user and the team they lead); empty: none */
  ownerIds?: readonly string[];
  /** a customer operator's organisation (db/contracts.ts) */
  organisation?: OrganisationScope;
  outageId?: string;
  status: 'open' | 'closed' | 'all';
  limit: number;
  offset: number;
};

/** Cases, the soonest deadline first (cases without a running deadline last). */
export async function listCases(db: Queryable, filter: CaseFilter): Promise<{ items: CaseRow[]; total: number }> {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    values.push(value);
    where.push(clause.replace('?', `$${values.length}`));
  };
  if (filter.kind) add('c.kind = ?', filter.kind);
  if (filter.contractId) add('c.contract_id = ?', filter.contractId);
  if (filter.ownerIds) {
    const owners = ownerMatch('k.owner_id', filter.ownerIds);
    add(owners.sql, owners.value);
  }
  if (filter.organisation) {
    const scope = organisationCondition(filter.organisation, 'k', values.length + 1);
    values.push(...scope.values);
    where.push(scope.sql);
  }
  if (filter.outageId) add('c.outage_id = ?', filter.outageId);
  if (filter.status === 'open') where.push('c.closed_at IS NULL');
  if (filter.status === 'closed') where.push('c.closed_at IS NOT NULL');
  const from = `FROM legal_cases c LEFT JOIN contracts k ON k.id = c.contract_id ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
  const { rows } = await db.query(
    `SELECT ${CASE_COLUMNS}, count(*) OVER () AS total
       ${from}
      ORDER BY c.due_at ASC NULLS LAST, c.opened_at, c.id
      LIMIT ${Number(filter.limit)} OFFSET ${Number(filter.offset)}`,
    values,
  );
  if (rows[0]) return { items: rows.map(toCase), total: Number(rows[0].total) };
  // a page past the end has no row to carry the total: count on its own
  const total = filter.offset > 0 ? Number((await db.query<{ total: number }>(`SELECT count(*)::int AS total ${from}`, values)).rows[0]!.total) : 0;
  return { items: [], total };
}

export type CaseEventRow = { caseId: string; at: string; type: string; actor: { id: string; role: string | null; name: string }; data: Record<string, unknown> };

export async function listCaseEvents(db: Queryable, caseIds: string[]): Promise<Map<string, CaseEventRow[]>> {
  const out = new Map<string, CaseEventRow[]>(caseIds.map((id) => [id, []]));
  if (caseIds.length === 0) return out;
  const { rows } = await db.query(
    `SELECT e.case_id, e.at, e.type, e.actor_id, COALESCE(e.actor_role, u.role) AS actor_role, u.name AS actor_name, e.data
       FROM case_events e LEFT JOIN users u ON u.id = e.actor_id
      WHERE e.case_id = ANY($1::text[]) ORDER BY e.id`,
    [caseIds],
  );
  for (const row of rows) {
    out.get(row.case_id)?.push({
      caseId: row.case_id,
      at: iso(row.at)!,
      type: row.type,
      actor: { id: row.actor_id, role: row.actor_role ?? null, name: row.actor_name ?? row.actor_id },
      data: row.data ?? {},
    });
  }
  return out;
}

export type CaseDocumentRow = { id: string; contractId: string; kind: string; title: string; role: string; sha256: string; sizeBytes: number; addedBy: string; addedAt: string };

export async function listCaseDocuments(db: Queryable, caseIds: string[]): Promise<Map<string, CaseDocumentRow[]>> {
  const out = new Map<string, CaseDocumentRow[]>(caseIds.map((id) => [id, []]));
  if (caseIds.length === 0) return out;
  const { rows } = await db.query(
    `SELECT cd.case_id, cd.role, cd.added_by, cd.added_at, d.id, d.contract_id, d.kind, d.title, d.sha256, d.size_bytes
       FROM case_documents cd JOIN documents d ON d.id = cd.document_id
      WHERE cd.case_id = ANY($1::text[]) ORDER BY cd.added_at, d.id`,
    [caseIds],
  );
  for (const row of rows) {
    out.get(row.case_id)?.push({
      id: row.id,
      contractId: row.contract_id,
      kind: row.kind,
      title: row.title,
      role: row.role,
      sha256: row.sha256,
      sizeBytes: row.size_bytes,
      addedBy: row.added_by,
      addedAt: iso(row.added_at)!,
    });
  }
  return out;
}

// ---------------------------------------------------------------- outages

export type OutageRow = {
  id: string;
  startedAt: string;
  learnedAt: string;
  cause: string;
  description: string;
  scope: 'all' | 'listed';
  status: string;
  noticeDueAt: string;
  noticeExplanation: string;
  heldBy: string | null;
  heldAt: string | null;
  holdReason: string | null;
  alertedAt: string | null;
  lateAt: string | null;
  notifiedAt: string | null;
  notifiedBy: string | null;
  restoredAt: string | null;
  reportedBy: string;
  workflowId: string;
  createdAt: string;
};

/** Every contract in service (active), in one query: what an outage of scope "all" affects, however many. */
export async function listContractsInService(db: Queryable): Promise<ContractRow[]> {
  const { rows } = await db.query(`SELECT ${CONTRACT_COLUMNS} FROM contracts WHERE status = 'active' ORDER BY created_at, id`);
  return rows.map(toContract);
}

/** The contracts an outage affects, written with the outage row in one statement (the cases are opened from them in pages). */
export async function insertOutageContracts(tx: Queryable, outageId: string, contractIds: string[]): Promise<void> {
  await tx.query(
    `INSERT INTO outage_contracts (outage_id, contract_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
    [outageId, contractIds],
  );
}

/** A page of an outage's affected contracts in contract id order, after `after` (keyset), with their numbers (a case id names the contract number). */
export async function listOutageContractPage(db: Queryable, outageId: string, after: string | null, limit: number): Promise<{ id: string; number: string }[]> {
  const { rows } = await db.query(
    `SELECT c.id, c.number FROM outage_contracts oc JOIN contracts c ON c.id = oc.contract_id
      WHERE oc.outage_id = $1 AND oc.contract_id > $2 ORDER BY oc.contract_id LIMIT $3`,
    [outageId, after ?? '', limit],
  );
  return rows.map((row) => ({ id: row.id as string, number: row.number as string }));
}

/** One affected contract of an outage: its case and the contract. */
export type OutageCaseRef = { caseId: string; contractId: string };

/**
 * A page of an outage's cases in case id order, after `after` (keyset: each
 * page is one index range, however many cases the outage has). The outage
 * workflow walks them page by page instead of carrying the list.
 */
export async function listOutageCasePage(db: Queryable, outageId: string, after: string | null, limit: number): Promise<OutageCaseRef[]> {
  const { rows } = await db.query(
    `SELECT id, contract_id FROM legal_cases WHERE outage_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
    [outageId, after ?? '', limit],
  );
  return rows.map((row) => ({ caseId: row.id as string, contractId: row.contract_id as string }));
}

export async function insertOutage(
  tx: Queryable,
  o: Pick<OutageRow, 'id' | 'startedAt' | 'learnedAt' | 'cause' | 'description' | 'scope' | 'status' | 'noticeDueAt' | 'noticeExplanation' | 'reportedBy' | 'workflowId'> &
    Partial<Pick<OutageRow, 'heldBy' | 'heldAt' | 'holdReason'>>,
): Promise<void> {
  await tx.query(
    `INSERT INTO outages (id, started_at, learned_at, cause, description, scope, status, notice_due_at, notice_explanation, held_by, held_at, hold_reason, reported_by, workflow_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [
      o.id, o.startedAt, o.learnedAt, o.cause, o.description, o.scope, o.status, o.noticeDueAt, o.noticeExplanation, o.heldBy ?? null, o.heldAt ?? null,
      o.holdReason ?? null, o.reportedBy, o.workflowId,
    ],
  );
}

const OUTAGE_PATCH_COLUMNS = {
  status: 'status',
  heldBy: 'held_by',
  heldAt: 'held_at',
  holdReason: 'hold_reason',
  alertedAt: 'alerted_at',
  lateAt: 'late_at',
  notifiedAt: 'notified_at',
  notifiedBy: 'notified_by',
  restoredAt: 'restored_at',
} as const;
export type OutagePatch = Partial<Record<keyof typeof OUTAGE_PATCH_COLUMNS, string | null>>;

export async function updateOutage(tx: Queryable, id: string, patch: OutagePatch): Promise<void> {
  const entries = Object.entries(patch).filter(([, v]) => v !== undefined) as [keyof typeof OUTAGE_PATCH_COLUMNS, string | null][];
  if (entries.length === 0) return;
  const sets = entries.map(([key], i) => `${OUTAGE_PATCH_COLUMNS[key]} = $${i + 2}`);
  await tx.query(`UPDATE outages SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, [id, ...entries.map(([, v]) => v)]);
  // notices sent (or the outage restored): its unsent and late alerts close themselves
  if (patch.status) await settleWorkItems(tx, { outageId: id });
}

function outageFromRow(row: Record<string, any>): OutageRow {
  return {
    id: row.id,
    startedAt: iso(row.started_at)!,
    learnedAt: iso(row.learned_at)!,
    cause: row.cause,
    description: row.description,
    scope: row.scope,
    status: row.status,
    noticeDueAt: iso(row.notice_due_at)!,
    noticeExplanation: row.notice_explanation,
    heldBy: row.held_by,
    heldAt: iso(row.held_at),
    holdReason: row.hold_reason,
    alertedAt: iso(row.alerted_at),
    lateAt: iso(row.late_at),
    notifiedAt: iso(row.notified_at),
    notifiedBy: row.notified_by,
    restoredAt: iso(row.restored_at),
    reportedBy: row.reported_by,
    workflowId: row.workflow_id,
    createdAt: iso(row.created_at)!,
  };
}

export async function findOutage(db: Queryable, id: string): Promise<OutageRow | null> {
  const { rows } = await db.query('SELECT * FROM outages WHERE id = $1', [id]);
  return rows[0] ? outageFromRow(rows[0]) : null;
}

/**
 * An outage with its affected contracts counted: how many customers were sent
 * the interruption notice, how many are still unsent (pending, held or late),
 * and how many were (or are) late (flagged notice_late).
 */
export type OutageSummaryRow = OutageRow & { contracts: number; notified: number; unsent: number; late: number };

/** Unresolved outages first, unsent before sent, soonest notice deadline first; then the newest. */
export async function listOutages(db: Queryable, filter: { status: 'open' | 'all'; limit: number; offset: number }): Promise<{ items: OutageSummaryRow[]; total: number }> {
  const unresolved = filter.status === 'open' ? 'WHERE o.restored_at IS NULL' : '';
  const { rows } = await db.query(
    `SELECT o.*,
            count(c.id)::int AS contracts,
            count(c.id) FILTER (WHERE c.status IN ('notified', 'notified_late', 'restored'))::int AS notified,
            count(c.id) FILTER (WHERE c.status IN ('pending', 'held', 'late'))::int AS unsent,
            count(c.id) FILTER (WHERE 'notice_late' = ANY (c.flags) OR c.status IN ('late', 'notified_late'))::int AS late,
            count(*) OVER () AS total
       FROM outages o
       LEFT JOIN legal_cases c ON c.outage_id = o.id
      ${unresolved}
      GROUP BY o.id
      ORDER BY o.restored_at IS NOT NULL, o.notified_at IS NOT NULL, o.notice_due_at, o.created_at DESC, o.id
      LIMIT ${Number(filter.limit)} OFFSET ${Number(filter.offset)}`,
  );
  // a page past the end has no row to carry the total: count on its own
  const total = rows[0]
    ? Number(rows[0].total)
    : filter.offset > 0
      ? Number((await db.query<{ total: number }>(`SELECT count(*)::int AS total FROM outages o ${unresolved}`)).rows[0]!.total)
      : 0;
  return {
    total,
    items: rows.map((row) => ({ ...outageFromRow(row), contracts: row.contracts, notified: row.notified, unsent: row.unsent, late: row.late })),
  };
}

// ---------------------------------------------------------------- forfeiture

export type Forfeiture = {
  caseId: string;
  contractId: string;
  frozenAt: string;
  contractYear: number | null;
  yearQuotaSms: number;
  laterYears: number;
  laterYearsSms: number;
  detail: Record<string, unknown>;
  recordedBy: string;
};

/** Records the forfeited package once per contract; returns false when one is recorded already. */
export async function insertForfeiture(tx: Queryable, f: Forfeiture): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO forfeitures (case_id, contract_id, frozen_at, contract_year, year_quota_sms, later_years, later_years_sms, detail, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
    [f.caseId, f.contractId, f.frozenAt, f.contractYear, f.yearQuotaSms, f.laterYears, f.laterYearsSms, JSON.stringify(f.detail), f.recordedBy],
  );
  return rowCount === 1;
}

export async function findForfeiture(db: Queryable, contractId: string): Promise<Forfeiture | null> {
  const { rows } = await db.query('SELECT * FROM forfeitures WHERE contract_id = $1', [contractId]);
  const row = rows[0];
  if (!row) return null;
  return {
    caseId: row.case_id,
    contractId: row.contract_id,
    frozenAt: iso(row.frozen_at)!,
    contractYear: row.contract_year,
    yearQuotaSms: row.year_quota_sms,
    laterYears: row.later_years,
    laterYearsSms: row.later_years_sms,
    detail: row.detail,
    recordedBy: row.recorded_by,
  };
}
