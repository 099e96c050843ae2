/**
 * Postgres restarted in the middle of a flow: contracts signed a moment ago
 * are activating (PDFs, invoices, notices, the deadline read model) when
 * their database goes away for a few seconds and comes back. The API answers
 * 503 meanwhile, the activities fail and are retried, and afterwards every
 * contract has caught up with nothing lost and nothing doubled.
 *
 * The Postgres is this file's own (embedded, on a free port), so stopping it
 * disturbs no other test file.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../db/migrate';
import { invoiceNumber, paymentWorkflowId } from '../../domain/billing';
import { createDb } from '../../db/pool';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../platform/embedded-postgres';
import { contractDetail, freePort, waitFor } from '../support/flows';
import { createHarness, type Harness } from '../support/harness';
import { withAdminClient } from '../support/postgres';

const TEMPLATE = 'restart_template';
let dir: string;
let port: number;
let pg: EmbeddedPostgresHandle | undefined;
let h: Harness;

const startPostgres = async () => (pg = await startEmbeddedPostgres({ dataDir: dir, port }));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pg-restart-'));
  // initdb runs as the postgres user when the tests run as root
  chmodSync(dir, 0o755);
  port = await freePort();
  await startPostgres();
  await withAdminClient(pg!.url('postgres'), (c) => c.query(`CREATE DATABASE ${TEMPLATE}`));
  const template = createDb({ connectionString: pg!.url(TEMPLATE), max: 1 });
  await migrate(template);
  await template.close();
  h = await createHarness({ server: 'dev', postgres: { adminUrl: pg!.url('postgres'), templateDb: TEMPLATE } });
}, 180_000);
afterAll(async () => {
  await h?.close();
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The highest attempt of any activity or local activity in the workflow's history. */
async function highestAttempt(workflowId: string): Promise<number> {
  const events = (JSON.parse(historyToJSON(await h.env.client.workflow.getHandle(workflowId).fetchHistory())) as { events: Record<string, any>[] }).events;
  let highest = 1;
  for (const e of events) {
    const started = e.activityTaskStartedEventAttributes?.attempt;
    if (started) highest = Math.max(highest, Number(started));
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName === 'core_local_activity') {
      highest = Math.max(highest, JSON.parse(Buffer.from(marker.details.data.payloads[0].data, 'base64').toString()).attempt);
    }
  }
  return highest;
}

describe('Postgres restarted in the middle of a flow', () => {
  it('answers 503 while it is down; afterwards every contract has caught up, nothing lost, nothing doubled', { timeout: 180_000 }, async () => {
    const template = (await h.api('sales').get('/api/templates/reference').expect(200)).body;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await h.api('sales').post('/api/contracts', template).expect(201)).body.id);
    for (const id of ids) {
      for (const party of ['A', 'B']) await h.api('sales').post(`/api/contracts/${id}/signatures`, { party, signer: '签署人', title: '代表', sealed: true }).expect(200);
    }
    // activation is under way (signed PDFs, invoices, notices): the database goes away
    const stoppedAt = Date.now();
    await pg!.stop();
    const during = await h.api('sales').get('/api/contracts');
    expect(during.status, JSON.stringify(during.body)).toBe(503);
    expect(during.body.error.code).toBe('UNAVAILABLE');
    await new Promise((r) => setTimeout(r, 4_000));
    await startPostgres();
    const downMs = Date.now() - stoppedAt;

    const rows = await waitFor(
      async () =>
        (
          await h.database.db.query(
            `SELECT c.id, c.status,
                    (SELECT count(*)::int FROM invoices i WHERE i.contract_id = c.id) AS invoices,
                    (SELECT count(*)::int FROM documents d WHERE d.contract_id = c.id AND d.kind = 'signed_contract') AS signed_pdfs,
                    (SELECT count(*)::int FROM documents d WHERE d.contract_id = c.id AND d.kind = 'payment_notice') AS notice_pdfs,
                    (SELECT count(*)::int FROM notifications n WHERE n.contract_id = c.id AND n.reason = 'contract_signed' AND n.audience = 'party_a_contact') AS signed_notices,
                    (SELECT array_agg(kind::text ORDER BY kind) FROM deadlines d WHERE d.contract_id = c.id AND d.status = 'open') AS open_deadlines
               FROM contracts c WHERE c.id = ANY($1) ORDER BY c.id`,
            [ids],
          ).catch(() => ({ rows: [] as any[] }))
        ).rows,
      (r) => r.length === 3 && r.every((c) => c.notice_pdfs === 1 && c.open_deadlines?.length === 4),
      'every contract catching up after the restart',
      120_000,
    );
    const caughtUpMs = Date.now() - stoppedAt;
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'active', invoices: 1, signed_pdfs: 1, notice_pdfs: 1, signed_notices: 1, open_deadlines: ['delivery_confirmation', 'payment', 'renewal_objection', 'term_end'] });
    }
    const audit = await h.database.db.query(`SELECT type, count(*)::int AS n FROM audit_events WHERE contract_id = ANY($1) AND type IN ('contract.activated', 'invoice.issued') GROUP BY type ORDER BY type`, [ids]);
    expect(audit.rows).toEqual([{ type: 'contract.activated', n: 3 }, { type: 'invoice.issued', n: 3 }]);

    // the contracts' workflows retried what failed while the database was away, and answer as before
    const details = await Promise.all(ids.map((id) => contractDetail(h, id)));
    const attempts = await Promise.all(details.flatMap((d) => [highestAttempt(d.workflowId), highestAttempt(paymentWorkflowId(invoiceNumber(d.number, { kind: 'initial_term' })))]));
    expect(Math.max(...attempts)).toBeGreaterThan(1);
    for (const d of details) expect(d.deadlines.map((x: { kind: string }) => x.kind).sort()).toEqual(['delivery_confirmation', 'payment', 'renewal_objection', 'term_end']);
    console.info(`[faults] Postgres restart: down ${downMs} ms, 3 contracts caught up ${caughtUpMs} ms after the stop, highest activity attempt ${Math.max(...attempts)}, 0 duplicates`);
  });
});
