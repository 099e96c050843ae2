/**
 * The open deadlines a workflow holds, and the ones it closed since the last
 * sync to the read model. Plain JSON inside, so it survives continue-as-new.
 */
import type { DeadlineState } from '../domain/contract';

export type ClosedDeadline = { kind: string; ref: string; status: 'met' | 'lapsed' | 'cancelled' };

export class DeadlineBook {
  closed: ClosedDeadline[] = [];
  constructor(public open: DeadlineState[] = []) {}

  put(deadline: DeadlineState): void {
    this.open = [...this.open.filter((d) => !(d.kind === deadline.kind && d.ref === deadline.ref)), deadline].sort((a, b) =>
      a.dueAt.localeCompare(b.dueAt),
    );
  }

  close(kind: DeadlineState['kind'], ref: string, status: ClosedDeadline['status']): void {
    if (!this.open.some((d) => d.kind === kind && d.ref === ref)) return;
    this.open = this.open.filter((d) => !(d.kind === kind && d.ref === ref));
    this.closed.push({ kind, ref, status });
  }

  closeAll(status: ClosedDeadline['status']): void {
    for (const d of [...this.open]) this.close(d.kind, d.ref, status);
  }

  /** Takes the closed ones for a sync (they are sent once). */
  drainClosed(): ClosedDeadline[] {
    return this.closed.splice(0);
  }
}

export { deadlineFrom } from '../domain/contract';
