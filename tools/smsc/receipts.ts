/**
 * Delivery receipts as an SMSC writes them (SMPP 3.4 Appendix B): the
 * simulator's side only. The transport reads them with `parseReceiptText` and
 * `receiptOutcome` in sms/protocol.ts.
 */
import { MESSAGE_STATE } from '../../sms/protocol';

/** Delivery receipt states (SMPP 3.4 Appendix B). */
export type ReceiptStat = 'DELIVRD' | 'EXPIRED' | 'DELETED' | 'UNDELIV' | 'ACCEPTD' | 'UNKNOWN' | 'REJECTD' | 'ENROUTE';
export const RECEIPT_STATS: readonly ReceiptStat[] = ['DELIVRD', 'EXPIRED', 'DELETED', 'UNDELIV', 'ACCEPTD', 'UNKNOWN', 'REJECTD', 'ENROUTE'];

/** The message_state TLV a receipt with this stat carries. */
export function messageStateFor(stat: ReceiptStat): number {
  const states: Record<ReceiptStat, number> = {
    DELIVRD: MESSAGE_STATE.DELIVERED,
    EXPIRED: MESSAGE_STATE.EXPIRED,
    DELETED: MESSAGE_STATE.DELETED,
    UNDELIV: MESSAGE_STATE.UNDELIVERABLE,
    ACCEPTD: MESSAGE_STATE.ACCEPTED,
    UNKNOWN: MESSAGE_STATE.UNKNOWN,
    REJECTD: MESSAGE_STATE.REJECTED,
    ENROUTE: MESSAGE_STATE.ENROUTE,
  };
  return states[stat];
}

/** YYMMDDhhmm, UTC */
function receiptDate(date: Date): string {
  const iso = date.toISOString();
  return iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16);
}

export type ReceiptFields = {
  id: string;
  stat: ReceiptStat;
  err?: string;
  submitted?: Date;
  done?: Date;
};

/** "id:0000000001 sub:001 dlvrd:001 submit date:2405141020 done date:2405141020 stat:DELIVRD err:000 text:" */
export function formatReceipt(fields: ReceiptFields): string {
  const delivered = fields.stat === 'DELIVRD' ? '001' : '000';
  const done = fields.done ?? new Date();
  const submitted = fields.submitted ?? done;
  return `id:${fields.id} sub:001 dlvrd:${delivered} submit date:${receiptDate(submitted)} done date:${receiptDate(done)} stat:${fields.stat} err:${fields.err ?? '000'} text:`;
}
