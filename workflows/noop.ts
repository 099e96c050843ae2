/**
 * The benchmark baseline (`npm run bench`, bench/run.ts); not used by the
 * product. With no input it completes in its first workflow task, so
 * starting it and awaiting its result is the cheapest start this server and
 * worker can do: contract creation is measured against it. With `timerMs` it
 * first holds one durable timer: the baseline for workflows waiting on timers
 * (start time and worker memory of N of them).
 */
import { sleep } from '@temporalio/workflow';

export type NoopInput = { timerMs?: number };

export async function noop(input: NoopInput = {}): Promise<void> {
  if (input.timerMs !== undefined && input.timerMs > 0) await sleep(input.timerMs);
}
