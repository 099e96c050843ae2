/**
 * The open deadlines a workflow holds, and the ones it closed since the last
 * sync to the read model. Every workflow keeps its deadlines in one of these.
 *
 * The open ones live in `holder.deadlines`, plain JSON, earliest first and
 * one per kind and ref: a workflow that continues as new passes its state
 * object as the holder, and the deadlines travel with that state.
 */
import type { DeadlineState } from '../domain/contract';

export type ClosedDeadline = { kind: string; ref: string; status: 'met' | 'lapsed' | 'cancelled' };

export class DeadlineBook {
  closed: ClosedDeadline[] = [];
  constructor(private readonly holder: { deadlines: DeadlineState[] } = { deadlines: [] }) {}

  /** The open deadlines, earliest first. */
  get open(): DeadlineState[] {
    return this.holder.deadlines;
  }

  /** Replaces (or adds) the deadline with the same kind and ref. */
  put(deadline: DeadlineState): void {
    this.holder.deadlines = [...this.open.filter((d) => !(d.kind === deadline.kind && d.ref === deadline.ref)), deadline].sort((a, b) =>
      a.dueAt.localeCompare(b.dueAt),
    );
  }

  /** Closes an open deadline (one the book does not hold is left alone). */
  close(kind: DeadlineState['kind'], ref: string, status: ClosedDeadline['status']): void {
    if (!this.open.some((d) => d.kind === kind && d.ref === ref)) return;
    this.drop(kind, ref);
    this.closed.push({ kind, ref, status });
  }

  /** Closes every open deadline, each with `status` (or the status it gives that deadline). */
  closeAll(status: ClosedDeadline['status'] | ((deadline: DeadlineState) => ClosedDeadline['status'])): void {
    for (const d of [...this.open]) this.close(d.kind, d.ref, typeof status === 'function' ? status(d) : status);
  }

  /** Takes a deadline off the open ones without recording how it ended (`record` says it later). */
  drop(kind: DeadlineState['kind'], ref: string): void {
    this.holder.deadlines = this.open.filter((d) => !(d.kind === kind && d.ref === ref));
  }

  /** Tells the next sync how a deadline ended, whether or not the book still holds it. */
  record(kind: DeadlineState['kind'], ref: string, status: ClosedDeadline['status']): void {
    this.closed.push({ kind, ref, status });
  }

  /** Takes the closed ones for a sync (they are sent once). */
  drainClosed(): ClosedDeadline[] {
    return this.closed.splice(0);
  }
}

export { deadlineFrom } from '../domain/contract';
