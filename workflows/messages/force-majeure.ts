/**
 * Messages of a force majeure case (workflows/force-majeure.ts).
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, DeadlineState } from '../../domain/contract';
import type { CaseDocumentRef, ForceMajeureStatus } from '../../domain/legal';
import type { PartyCode } from '../../domain/terms';

export type ForceMajeureView = {
  caseId: string;
  contractId: string;
  status: ForceMajeureStatus;
  declaredBy: PartyCode;
  occurredAt: string;
  proof: DeadlineState;
  proofFiledAt: string | null;
  proofOnTime: boolean | null;
  flaggedMissingAt: string | null;
  noticeDocumentId: string | null;
};

export type FileProofInput = { document: CaseDocumentRef; note?: string; actor: Actor };

export const getForceMajeureQuery = defineQuery<ForceMajeureView>('getForceMajeureQuery');
export const fileForceMajeureProofUpdate = defineUpdate<ForceMajeureView, [FileProofInput]>('fileForceMajeureProofUpdate');
