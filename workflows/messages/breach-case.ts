/**
 * Messages of a breach case (workflows/breach-case.ts).
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, DeadlineState } from '../../domain/contract';
import type { BreachStatus, CaseDocumentRef, EscalationRecord } from '../../domain/legal';
import type { PartyCode } from '../../domain/terms';

export type BreachCaseView = {
  caseId: string;
  contractId: string;
  status: BreachStatus;
  servedBy: PartyCode;
  breachingParty: PartyCode;
  servedAt: string;
  cure: DeadlineState;
  negotiation: DeadlineState | null;
  escalation: EscalationRecord | null;
  noticeDocumentId: string | null;
  deadlines: DeadlineState[];
};

export type CureBreachInput = { confirmation: CaseDocumentRef; note?: string; actor: Actor };
export type ObjectBreachInput = { reason: string; document?: CaseDocumentRef; actor: Actor };
export type WithdrawBreachInput = { reason: string; actor: Actor };
export type SettleBreachInput = { summary: string; document?: CaseDocumentRef; actor: Actor };

export const getBreachCaseQuery = defineQuery<BreachCaseView>('getBreachCaseQuery');
export const cureBreachUpdate = defineUpdate<BreachCaseView, [CureBreachInput]>('cureBreachUpdate');
export const objectBreachUpdate = defineUpdate<BreachCaseView, [ObjectBreachInput]>('objectBreachUpdate');
export const withdrawBreachUpdate = defineUpdate<BreachCaseView, [WithdrawBreachInput]>('withdrawBreachUpdate');
export const settleBreachUpdate = defineUpdate<BreachCaseView, [SettleBreachInput]>('settleBreachUpdate');
