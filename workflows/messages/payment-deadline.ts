/**
 * Messages of an invoice's payment deadline (workflows/payment-deadline.ts).
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { PaymentRecord, TRecordPaymentRequest } from '../../domain/billing';
import type { Actor } from '../../domain/contract';

export type InvoiceState = {
  invoiceNumber: string;
  status: 'open' | 'paid' | 'overdue';
  amountFen: number;
  paidFen: number;
  outstandingFen: number;
  dueAt: string | null;
  paidLate: boolean;
  payments: PaymentRecord[];
};

export type RecordPaymentInput = Omit<TRecordPaymentRequest, 'invoiceNumber'> & { actor: Actor };

export const getInvoiceStateQuery = defineQuery<InvoiceState>('getInvoiceStateQuery');
export const recordPaymentUpdate = defineUpdate<InvoiceState & { duplicate: boolean }, [RecordPaymentInput]>('recordPaymentUpdate');
