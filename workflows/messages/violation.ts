/**
 * Messages of a content violation case (workflows/violation.ts).
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../../domain/contract';
import type { ViolationStatus } from '../../domain/legal';

export type ViolationReport = { reportedAt: string; dueAt: string; explanation: string; onTime: boolean };

export type ViolationView = {
  caseId: string;
  contractId: string;
  status: ViolationStatus;
  reportedBy: 'customer' | 'provider';
  learnedAt: string;
  report: ViolationReport | null;
  confirmedAt: string | null;
  freezeRequestedAt: string | null;
  freezeDelivered: boolean | null;
  forfeiture: { contractYear: number | null; yearQuotaSms: number; laterYears: number; laterYearsSms: number } | null;
};

export type ConfirmViolationInput = { finding: string; actor: Actor };
export type DismissViolationInput = { reason: string; actor: Actor };

export const getViolationQuery = defineQuery<ViolationView>('getViolationQuery');
export const confirmViolationUpdate = defineUpdate<ViolationView, [ConfirmViolationInput]>('confirmViolationUpdate');
export const dismissViolationUpdate = defineUpdate<ViolationView, [DismissViolationInput]>('dismissViolationUpdate');
