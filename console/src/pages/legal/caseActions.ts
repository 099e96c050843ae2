/**
 * The acts on an open case (cure, objection, settlement, withdrawal, proof,
 * a violation's finding or dismissal): the route each is sent to, the one
 * text it takes, its schema (domain/legal), and when it applies — by the
 * case's kind and status and the party the role acts for. The legal board
 * offers them all; a contract's page offers some.
 */
import type { z } from 'zod';
import {
  ZConfirmViolationRequest,
  ZCureRequest,
  ZDismissViolationRequest,
  ZObjectionRequest,
  ZProofRequest,
  ZRectificationRequest,
  ZSettlementRequest,
  ZSuspensionExtensionRequest,
  ZWithdrawalRequest,
} from '../../../../domain/legal';
import type { CaseView } from '../../../../api/routes/cases.types';
import type { Role } from '../../api';
import type { MessageKey } from '../../i18n';

export type ActionDef = {
  id: string;
  label: MessageKey;
  /** the API path, with :id for the case */
  route: string;
  field: MessageKey;
  schema: z.ZodType;
  body: (text: string, days: number) => unknown;
  /** a number of days the act also takes (an extension's period), with where it starts */
  days?: { label: MessageKey; initial: (c: CaseView) => number };
  applies: (c: CaseView, role: Role) => boolean;
  optional?: boolean;
  /** an irreversible act: its consequence, asked before it is sent */
  confirm?: MessageKey;
};

const written = (text: string) => ({ text });
/** customer operators act for Party A only */
export const actsFor = (role: Role, party: 'A' | 'B' | null) => role !== 'customer' || party === 'A';
const breaching = (c: CaseView) => (c.servedBy === 'A' ? 'B' : 'A');
/** a force-majeure case whose written proof is still awaited */
export const awaitsProof = (c: CaseView) => c.kind === 'force_majeure' && (c.status === 'declared' || c.status === 'proof_overdue');

export const ACTIONS: ActionDef[] = [
  {
    id: 'cure',
    label: 'legal.cure',
    route: '/api/breach-cases/:id/cure',
    field: 'legal.cureText',
    schema: ZCureRequest,
    body: (text) => ({ confirmation: written(text) }),
    applies: (c, role) => c.kind === 'breach' && c.status === 'served' && actsFor(role, breaching(c)),
  },
  {
    id: 'objection',
    label: 'legal.objection',
    route: '/api/breach-cases/:id/objection',
    field: 'legal.reason',
    schema: ZObjectionRequest,
    body: (text) => ({ reason: text }),
    applies: (c, role) => c.kind === 'breach' && c.status === 'served' && actsFor(role, breaching(c)),
  },
  {
    id: 'settlement',
    label: 'legal.settlement',
    route: '/api/breach-cases/:id/settlement',
    field: 'legal.summary',
    schema: ZSettlementRequest,
    body: (text) => ({ summary: text }),
    applies: (c) => c.kind === 'breach' && (c.status === 'negotiating' || c.status === 'escalated'),
  },
  {
    id: 'withdrawal',
    label: 'legal.withdrawal',
    route: '/api/breach-cases/:id/withdrawal',
    field: 'legal.reason',
    schema: ZWithdrawalRequest,
    body: (text) => ({ reason: text }),
    applies: (c, role) => c.kind === 'breach' && ['served', 'negotiating', 'escalated'].includes(c.status) && actsFor(role, c.servedBy),
  },
  {
    id: 'proof',
    label: 'legal.proof',
    route: '/api/force-majeure/:id/proof',
    field: 'legal.proofText',
    schema: ZProofRequest,
    body: (text) => ({ document: written(text) }),
    applies: (c, role) => awaitsProof(c) && actsFor(role, c.servedBy),
  },
  {
    id: 'confirm',
    label: 'legal.confirmViolation',
    route: '/api/violations/:id/confirmation',
    field: 'legal.finding',
    schema: ZConfirmViolationRequest,
    body: (text) => ({ finding: text }),
    applies: (c) => c.kind === 'violation' && (c.status === 'reported' || c.status === 'detected'),
    confirm: 'violation.confirmConsequence',
  },
  {
    id: 'dismiss',
    label: 'legal.dismissViolation',
    route: '/api/violations/:id/dismissal',
    field: 'legal.reason',
    schema: ZDismissViolationRequest,
    body: (text) => ({ reason: text }),
    applies: (c) => c.kind === 'violation' && (c.status === 'reported' || c.status === 'detected'),
  },
  {
    id: 'rectification',
    label: 'suspend.rectified',
    route: '/api/suspensions/:id/rectification',
    field: 'suspend.note',
    schema: ZRectificationRequest,
    body: (text) => ({ note: text }),
    applies: (c) => c.kind === 'suspension' && (c.status === 'suspended' || c.status === 'lapsed'),
    confirm: 'suspend.rectifiedConsequence',
  },
  {
    id: 'extension',
    label: 'suspend.extend',
    route: '/api/suspensions/:id/extension',
    field: 'legal.reason',
    schema: ZSuspensionExtensionRequest,
    body: (text, days) => ({ days, reason: text }),
    days: { label: 'suspend.extendDays', initial: () => 10 },
    applies: (c) => c.kind === 'suspension' && c.status === 'lapsed',
  },
];

export const actionById = (id: string): ActionDef => ACTIONS.find((a) => a.id === id)!;
