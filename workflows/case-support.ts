/**
 * Helpers shared by the legal case workflows (breach, outage, violation,
 * force majeure). Deterministic: safe inside workflows.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { CalendarYear } from '../domain/calendar';
import type { Actor } from '../domain/contract';
import type { Activities } from './activity-proxies';
import type { DeadlineMove } from './calendar';

/** Who acts when a case moves by itself (a deadline lapsing). */
export const LEGAL_SYSTEM_ACTOR: Actor = { id: 'system:legal', role: 'system' };

/**
 * Runs the case's writes one after another, in the order the workflow
 * decided them: a deadline lapsing and an update arriving in the same
 * moment never reach the database out of order.
 */
export function createSerial(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

type RecordCaseTransition = Activities['recordCaseTransition'];
type CaseTransition = Parameters<RecordCaseTransition>[0];

/**
 * Writes a case's transitions, one at a time (`serial`). A case that holds
 * deadlines passes `deadlines`: they are read when the transition is decided,
 * so each write carries the deadlines as they stood then.
 */
export function caseTransitions(
  record: RecordCaseTransition,
  caseId: string,
  serial: ReturnType<typeof createSerial>,
  deadlines?: () => NonNullable<CaseTransition['deadlines']>,
): (change: Omit<CaseTransition, 'caseId' | 'deadlines'>) => ReturnType<RecordCaseTransition> {
  return (change) => {
    const now = deadlines?.();
    return serial(() => record({ caseId, ...change, ...(now ? { deadlines: now } : {}) }));
  };
}

/** An update refused because of the case's state (→ 409). */
export const invalidState = (message: string) => ApplicationFailure.nonRetryable(message, 'INVALID_STATE');

/** An update refused because of its input (→ 400). */
export const invalidInput = (message: string) => ApplicationFailure.nonRetryable(message, 'VALIDATION_FAILED');

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The case's own record of deadlines a calendar notice moved: its due date and a timeline event (once per year revision and kind). */
export async function recordCaseMoves(
  transition: ReturnType<typeof caseTransitions>,
  input: { status: string; entered: CalendarYear; moves: DeadlineMove[]; at: string },
): Promise<void> {
  const { entered } = input;
  for (const { before, after } of input.moves) {
    const facts = { kind: after.kind, fromDueAt: before.dueAt, toDueAt: after.dueAt, notice: entered.title };
    await transition({
      from: [input.status],
      due: { kind: after.kind, dueAt: after.dueAt, explanation: after.explanation },
      event: { key: `calendar:${entered.year}:r${entered.revision}:${after.kind}`, type: 'deadline_moved', at: input.at, actor: LEGAL_SYSTEM_ACTOR, data: facts },
      audit: { type: 'case.deadline_moved', data: facts },
    });
  }
}
