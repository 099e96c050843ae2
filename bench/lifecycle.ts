/**
 * (3) The full term path on the time-skipping server, as
 * test/workflows/renewal.test.ts drives it but over real HTTP: create, sign
 * (A then B), pay the initial invoice, 3 years pass, automatic renewal, pay
 * the renewal invoice, 1 year passes, second renewal, on bench/in-process.ts's
 * stack (the API app, a worker with the real activities, a fresh database).
 *
 * Baseline: a bare timer workflow (`noop`) sleeping 4 years (the same span)
 * on the same server and worker, before the contract exists: what skipping
 * that much time costs by itself.
 */
import { randomBytes } from 'node:crypto';
import { invoiceNumber, paymentWorkflowId } from '../domain/billing';
import type { Role } from '../db/users';
import { REFERENCE_TERMS } from '../domain/terms';
import type { noop } from '../workflows/noop';
import { say } from './env';
import { startInProcessStack } from './in-process';
import { row, type Row } from './report';
import { sleep } from './stats';

const DAY = 86_400_000;

export async function benchLifecycle(options: { msPerDocument?: number }): Promise<{ rows: Row[]; raw: Record<string, unknown> }> {
  const setupStarted = performance.now();
  const { db, env, taskQueue, base, tokens, stop } = await startInProcessStack({ label: 'lifecycle', roles: ['sales', 'finance', 'legal'] });
  const setupSeconds = (performance.now() - setupStarted) / 1000;

  const call = async (role: Role, method: 'GET' | 'POST', path: string, body?: unknown, expected = [200, 201]) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens[role]!}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, any>;
    if (!expected.includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
    return json;
  };
  const detail = (id: string) => call('legal', 'GET', `/api/contracts/${id}`);
  const waitFor = async <T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> => {
    const until = Date.now() + 60_000;
    for (;;) {
      const v = await read();
      if (ok(v)) return v;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await sleep(50);
    }
  };
  const sleepUntil = async (instant: string, plusMs: number) => {
    const target = Date.parse(instant) + plusMs;
    const now = await env.currentTimeMs();
    if (target > now) await env.sleep(target - now);
  };
  const pay = async (contractId: string, number: string) => {
    const { rows } = await waitFor(() => db.query('SELECT amount_fen FROM invoices WHERE number = $1', [number]), (r) => r.rowCount === 1, `invoice ${number}`);
    await call('finance', 'POST', `/api/contracts/${contractId}/payments`, {
      amountFen: Number(rows[0]!.amount_fen),
      reference: `PAY-${number}`,
      paidAt: new Date(await env.currentTimeMs()).toISOString(),
      method: 'bank_transfer',
      invoiceNumber: number,
    });
    await env.client.workflow.getHandle(paymentWorkflowId(number)).result();
  };

  try {
    say('(3) full lifecycle on the time-skipping server');
    const simulatedFrom = await env.currentTimeMs();
    const t0 = performance.now();
    const created = await call('sales', 'POST', '/api/contracts', { terms: REFERENCE_TERMS });
    const id = created.id as string;
    for (const party of ['A', 'B']) {
      await call('sales', 'POST', `/api/contracts/${id}/signatures`, { party, signer: '签署人', title: '代表', sealed: true });
    }
    const active = await waitFor(() => detail(id), (d) => d.invoices.length === 1, 'the initial invoice');
    const number = active.number as string;
    await pay(id, invoiceNumber(number, { kind: 'initial_term' }));
    const firstEnd = active.termEndsAt as string;
    await sleepUntil(firstEnd, DAY);
    const renewed = await waitFor(() => detail(id), (d) => d.termEndsAt !== firstEnd, 'the first renewal');
    await pay(id, invoiceNumber(number, { kind: 'renewal', renewal: 1 }));
    const secondEnd = renewed.termEndsAt as string;
    await sleepUntil(secondEnd, DAY);
    const final = await waitFor(() => detail(id), (d) => d.termEndsAt !== secondEnd, 'the second renewal');
    const seconds = (performance.now() - t0) / 1000;
    const simulatedMs = (await env.currentTimeMs()) - simulatedFrom;
    const documents = (final.documents as { kind: string }[]).length;
    say(`    ${seconds.toFixed(2)} s wall for ${(simulatedMs / (365.25 * DAY)).toFixed(2)} simulated years, ${documents} documents`);

    // the baseline after, on a server with nothing else waiting: the contract's workflows end first, or their
    // timers would fire during it. (Before, its 4 years would put the server's clock years past the contract's
    // creation instant, a Postgres now(): the signing deadline would be over before the first signature.)
    const open = [`contract-${id}`, ...(final.invoices as { number: string }[]).map((invoice) => paymentWorkflowId(invoice.number))];
    for (const workflowId of open) {
      await env.client.workflow.getHandle(workflowId).terminate('benchmark over').catch(() => undefined); // those already closed
    }
    const FOUR_YEARS_AND_TWO_DAYS = (4 * 365.25 + 2) * DAY;
    const b0 = performance.now();
    await env.client.workflow.execute<typeof noop>('noop', { taskQueue, workflowId: `bench-span-${randomBytes(3).toString('hex')}`, args: [{ timerMs: FOUR_YEARS_AND_TWO_DAYS }] });
    const baselineSeconds = (performance.now() - b0) / 1000;

    const pdfShare = options.msPerDocument ? `; its ${documents} PDFs ≈ ${((documents * options.msPerDocument) / 1000).toFixed(1)} s of rendering at (4)'s warm rate` : '';
    return {
      rows: [
        row({
          id: '3',
          measure: 'full lifecycle wall time (create, sign, pay, 3 y, renew, pay, 1 y, renew), time-skipping',
          value: seconds,
          unit: 's',
          baseline: { measure: 'bare timer workflow sleeping 4 years, same server and worker', value: baselineSeconds, unit: 's' },
          target: '< 10 s',
          check: ({ value }) => value < 10,
          note: `over real HTTP, ${(simulatedMs / (365.25 * DAY)).toFixed(2)} simulated years, ${documents} documents, ${final.notifications.length} notifications${pdfShare}; server + worker setup ${setupSeconds.toFixed(1)} s not included`,
        }),
      ],
      raw: { seconds, baselineSeconds, setupSeconds, simulatedMs, documents, notifications: final.notifications.length, renewals: final.renewals ?? null },
    };
  } finally {
    await stop();
  }
}
