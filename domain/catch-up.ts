/**
 * Moments that passed while nobody was acting: a worker down for a day, a
 * contract entered with signatures from last year, a contract book brought in
 * from paper. A person who comes back to a pile of missed reminders sends the
 * last one, not all of them in the same second; and nobody serves a breach
 * notice for a lapse that happened before the contract was even in the
 * system. Workflows and the import planner decide with these rules.
 */

/**
 * Whether the moment at `index` of `instants` (ascending) is superseded at
 * `now`: a later moment of the same kind has passed too, so only that later
 * one is acted on. A late wake-up thus sends at most one catch-up per kind.
 */
export function supersededAt(instants: readonly number[], index: number, now: number): boolean {
  return instants.slice(index + 1).some((at) => at <= now);
}

/**
 * Whether a reminder before a due instant still makes sense at `now`: not
 * once the due instant itself has passed ("two days left" after the end is
 * wrong), and not when a later reminder of the same list has passed too.
 */
export function reminderStillDue(reminders: readonly number[], index: number, dueAt: number, now: number): boolean {
  return now < dueAt && !supersededAt(reminders, index, now);
}

/**
 * A lapse before the system knew the contract (an import, backdated
 * signatures): no automatic breach notice and no ladder burst; a person
 * decides, from a work item.
 */
export function lapsedBeforeKnown(dueAt: string | number, knownSince: string | number | undefined): boolean {
  if (knownSince === undefined) return false;
  const due = typeof dueAt === 'number' ? dueAt : Date.parse(dueAt);
  const known = typeof knownSince === 'number' ? knownSince : Date.parse(knownSince);
  return due < known;
}

/** The instant a notice is served: its scheduled moment, or now when acted on late (a notice is served when it is sent). */
export const servedAt = (scheduled: number, now: number): number => Math.max(scheduled, now);

/** The work item finance and legal get for an invoice that was overdue when the contract entered the system. */
export const OVERDUE_AT_ENTRY = {
  reason: 'overdue_at_entry',
  audiences: ['finance', 'legal'] as const,
  subject: (invoice: string) => `导入时已逾期：${invoice}`,
  body: (invoice: string, outstanding: string, due: string) =>
    `发票 ${invoice} 在合同录入系统之前已逾期（付款期限 ${due}），尚欠人民币 ${outstanding} 元。系统不会自动送达违约通知：是否催告、是否送达违约通知由人工决定。`,
};

/** The one reminder Party A may get at import, when a person chose to send it. */
export const OVERDUE_REMINDER_AT_ENTRY = {
  reason: 'overdue_reminder_at_entry',
  audiences: ['party_a_contact', 'owner'] as const,
  subject: (contract: string) => `付款逾期提醒：合同 ${contract}`,
  body: (contract: string, invoices: string[]) => `合同 ${contract} 项下发票 ${invoices.join('、')} 已逾期未付，请尽快付款；如已付款请联系我方核对。`,
};
