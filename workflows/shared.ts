/**
 * Small deterministic helpers shared by the workflows.
 */
import { condition } from '@temporalio/workflow';

/** Waits until the predicate holds or the instant passes; true when the predicate held. */
export async function waitUntil(predicate: () => boolean, instant: string | number): Promise<boolean> {
  const ms = (typeof instant === 'number' ? instant : Date.parse(instant)) - Date.now();
  if (predicate()) return true;
  if (ms <= 0) return false;
  return condition(predicate, ms);
}

export const nowIso = () => new Date(Date.now()).toISOString();

/** Reminder instants `daysBefore` the due instant that still lie ahead, earliest first. */
export function reminderInstants(dueAt: string, daysBefore: number[], now: number): { daysBefore: number; at: number }[] {
  return [...new Set(daysBefore)]
    .map((days) => ({ daysBefore: days, at: Date.parse(dueAt) - days * 86_400_000 }))
    .filter((r) => r.at > now)
    .sort((a, b) => a.at - b.at);
}
