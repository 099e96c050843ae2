/**
 * Messages of a suspension pending rectification (workflows/suspension.ts).
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, DeadlineState } from '../../domain/contract';
import type { SuspensionSource, SuspensionStatus } from '../../domain/legal';

export type SuspensionView = {
  caseId: string;
  contractId: string;
  status: SuspensionStatus;
  source: SuspensionSource;
  reason: string;
  suspendedAt: string;
  /** the rectification period now running (the last one, once lapsed or rectified) */
  rectification: DeadlineState;
  lapsedAt: string | null;
  extensions: { at: string; days: number; reason: string; dueAt: string; by: string }[];
  rectifiedAt: string | null;
  noticeDocumentId: string | null;
};

export type ConfirmRectificationInput = { note: string; actor: Actor };
/** another rectification period, counted by the API from the extension (its `ref` is new) */
export type ExtendSuspensionInput = { days: number; reason: string; rectification: DeadlineState; actor: Actor };

export const getSuspensionQuery = defineQuery<SuspensionView>('getSuspensionQuery');
export const confirmRectificationUpdate = defineUpdate<SuspensionView, [ConfirmRectificationInput]>('confirmRectificationUpdate');
export const extendSuspensionUpdate = defineUpdate<SuspensionView, [ExtendSuspensionInput]>('extendSuspensionUpdate');
