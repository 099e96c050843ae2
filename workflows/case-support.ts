/**
 * Helpers shared by the legal case workflows (breach, outage, violation,
 * force majeure). Deterministic: safe inside workflows.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { Actor } from '../domain/contract';

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

/** An update refused because of the case's state (→ 409). */
export const invalidState = (message: string) => ApplicationFailure.nonRetryable(message, 'INVALID_STATE');

/** An update refused because of its input (→ 400). */
export const invalidInput = (message: string) => ApplicationFailure.nonRetryable(message, 'VALIDATION_FAILED');

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
