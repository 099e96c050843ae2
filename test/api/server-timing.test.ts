/**
 * SERVER_TIMING=on: every response says where its time went (Postgres pool
 * waits, statements, Temporal round trips), counted per request; off, the
 * header is absent.
 */
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { recordTiming } from '../../api/request-timing';
import { createDb, type Db } from '../../db/pool';
import { createHarness, type Harness } from '../support/harness';

let h: Harness;
let db: Db;

beforeAll(async () => {
  h = await createHarness();
  db = createDb({ connectionString: h.database.url, onTiming: recordTiming });
});
afterAll(async () => {
  await db?.close();
  await h?.close();
});

/** The header's entries by name: dur (ms) and desc (how many). */
function parse(header: string | undefined): Record<string, { dur: number; count: number | null }> {
  const out: Record<string, { dur: number; count: number | null }> = {};
  for (const entry of (header ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const [name, ...params] = entry.split(';');
    const dur = Number(/dur=([\d.]+)/.exec(params.join(';'))?.[1]);
    const desc = /desc="(\d+)"/.exec(params.join(';'))?.[1];
    out[name!] = { dur, count: desc === undefined ? null : Number(desc) };
  }
  return out;
}

describe('Server-Timing', () => {
  it('counts the statements and the Temporal round trips of each request', async () => {
    const app = createApp({ ...h.deps, db, serverTiming: true });
    const auth = `Bearer ${h.tokens.sales}`;
    const template = (await supertest(app).get('/api/templates/reference').set('Authorization', auth).expect(200));
    const plain = parse(template.headers['server-timing']);
    // authentication reads the token (one statement at least); nothing goes to Temporal
    expect(plain.db!.count).toBeGreaterThanOrEqual(1);
    expect(plain.temporal!.count).toBe(0);

    const created = await supertest(app).post('/api/contracts').set('Authorization', auth).send(template.body).expect(201);
    const create = parse(created.headers['server-timing']);
    // the request makes its start before it answers here (no after-response starts): one start
    expect(create.temporal!.count).toBe(1);
    // BEGIN, the contract, its audit event, the outbox entry, COMMIT and more
    expect(create.db!.count).toBeGreaterThanOrEqual(5);
    expect(create['db-wait']!.count).toBeGreaterThanOrEqual(1);
    expect(create.app!.dur).toBeGreaterThanOrEqual(create.temporal!.dur);

    const read = await supertest(app).get(`/api/contracts/${created.body.id}`).set('Authorization', auth).expect(200);
    // the lifecycle's live query; the open deadlines' other holders (none yet)
    expect(parse(read.headers['server-timing']).temporal!.count).toBe(1);
  });

  it('is absent unless asked for', async () => {
    const res = await supertest(createApp(h.deps)).get('/api/templates/reference').set('Authorization', `Bearer ${h.tokens.sales}`).expect(200);
    expect(res.headers['server-timing']).toBeUndefined();
  });
});
