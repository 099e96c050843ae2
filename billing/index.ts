/**
 * The billing system behind one interface: the built-in ledger (Postgres is
 * the ledger, nothing external to call) or an external billing system over
 * HTTP. Invoice numbers are derived from contract and period, and both
 * implementations are idempotent on the number.
 */
import type { InvoiceSpec } from '../domain/billing';

export type IssuedInvoice = { system: string; externalId: string | null };

export type BillingSystem = {
  readonly name: string;
  issueInvoice(spec: InvoiceSpec): Promise<IssuedInvoice>;
  /** what the billing system knows has been paid, in fen (null when it does not track payments) */
  paidAmount(number: string): Promise<number | null>;
};

export function createLedgerBilling(): BillingSystem {
  return {
    name: 'ledger',
    issueInvoice: async () => ({ system: 'ledger', externalId: null }),
    paidAmount: async () => null,
  };
}

export type HttpBillingOptions = {
  baseUrl: string;
  /** per call */
  timeoutMs?: number;
  /** attempts per operation before giving up (Temporal retries the activity after that) */
  attempts?: number;
  backoffMs?: number;
  fetch?: typeof fetch;
};

export class BillingUnavailableError extends Error {
  override readonly name = 'BillingUnavailableError';
}

/**
 * External billing over HTTP: `GET /invoices/:number` and `POST /invoices`
 * (with `Idempotency-Key: <number>`). Before every create it looks the number
 * up, so a create that timed out after the remote side stored it is never
 * repeated: exactly one invoice per number.
 */
export function createHttpBilling(options: HttpBillingOptions): BillingSystem {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const attempts = options.attempts ?? 5;
  const backoffMs = options.backoffMs ?? 200;
  const doFetch = options.fetch ?? fetch;
  const url = (path: string) => new URL(path, options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`).toString();

  async function call(method: 'GET' | 'POST', path: string, body?: unknown, key?: string): Promise<{ status: number; json: any }> {
    const res = await doFetch(url(path), {
      method,
      headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}), ...(key ? { 'idempotency-key': key } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  }

  async function lookup(number: string): Promise<{ externalId: string; paidFen: number } | null> {
    const res = await call('GET', `invoices/${encodeURIComponent(number)}`);
    if (res.status === 404) return null;
    if (res.status !== 200) throw new BillingUnavailableError(`billing lookup answered ${res.status}`);
    return { externalId: String(res.json.id), paidFen: Number(res.json.paidFen ?? 0) };
  }

  async function withRetries<T>(what: string, fn: () => Promise<T>): Promise<T> {
    let last: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        return await fn();
      } catch (error) {
        last = error;
        if (attempt < attempts) await new Promise((r) => setTimeout(r, backoffMs * 2 ** (attempt - 1)));
      }
    }
    throw new BillingUnavailableError(`${what} failed after ${attempts} attempts: ${(last as Error).message}`);
  }

  return {
    name: 'http',
    issueInvoice: (spec) =>
      withRetries(`issuing ${spec.number}`, async () => {
        const existing = await lookup(spec.number);
        if (existing) return { system: 'http', externalId: existing.externalId };
        const res = await call(
          'POST',
          'invoices',
          { number: spec.number, amountFen: spec.amountFen, vatRatePercent: spec.vatRatePercent, invoiceType: spec.invoiceType, dueAt: spec.dueAt, contractId: spec.contractId },
          spec.number,
        );
        if (res.status === 200 || res.status === 201 || res.status === 409) {
          const created = res.status === 409 ? await lookup(spec.number) : { externalId: String(res.json.id) };
          if (!created) throw new BillingUnavailableError('billing said the invoice exists but cannot find it');
          return { system: 'http', externalId: created.externalId };
        }
        throw new BillingUnavailableError(`billing create answered ${res.status}`);
      }),
    paidAmount: (number) => withRetries(`querying ${number}`, async () => (await lookup(number))?.paidFen ?? null),
  };
}
