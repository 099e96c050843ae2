/**
 * Messages of an outage's notification (workflows/outage-notice.ts).
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, DeadlineState } from '../../domain/contract';
import type { OutageStatus } from '../../domain/legal';

export type OutageHold = { by: Actor; at: string; reason: string };

export type OutageView = {
  outageId: string;
  status: OutageStatus;
  notice: DeadlineState;
  alertAt: string;
  hold: OutageHold | null;
  lastHold: OutageHold | null;
  alertedAt: string | null;
  lateAt: string | null;
  notifiedAt: string | null;
  notifiedBy: string | null;
  restoredAt: string | null;
  contracts: number;
};

export type HoldOutageInput = { reason: string; actor: Actor };
export type ReleaseOutageInput = { note?: string; actor: Actor };
export type ResolveOutageInput = { restoredAt: string; description?: string; actor: Actor };

export const getOutageQuery = defineQuery<OutageView>('getOutageQuery');
export const holdOutageNoticeUpdate = defineUpdate<OutageView, [HoldOutageInput]>('holdOutageNoticeUpdate');
export const releaseOutageNoticeUpdate = defineUpdate<OutageView, [ReleaseOutageInput]>('releaseOutageNoticeUpdate');
export const resolveOutageUpdate = defineUpdate<OutageView, [ResolveOutageInput]>('resolveOutageUpdate');
