/**
 * The benchmark baseline (`npm run bench`, bench/run.ts); not used by the
 * product. With no input it completes in its first workflow task, so
 * starting it and awaiting its result is the cheapest start this server and
 * worker can do: contract creation is measured against it. With `timerMs` it
 * first holds one durable timer: the baseline for workflows waiting on timers
 * (start time and worker memory of N of them), and while it holds, the
 * cheapest update this server and worker can take (`noopTouchUpdate`): the
 * baseline of a signature's latency.
 */
import { defineUpdate, setHandler, sleep } from '@temporalio/workflow';

/** Counts the updates taken; no activity, no state but the count. */
export const noopTouchUpdate = defineUpdate<number>('noopTouch');

export type NoopInput = { timerMs?: number };

export async function noop(input: NoopInput = {}): Promise<void> {
  let touched = 0;
  setHandler(noopTouchUpdate, () => (touched += 1));
  if (input.timerMs !== undefined && input.timerMs > 0) await sleep(input.timerMs);
}
