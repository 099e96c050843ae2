/**
 * Secrets stay secret on the idempotency side path: a response that issues a
 * secret (a new user's token, a webhook's signing secret) is stored without
 * it, so a replay says it was shown once and the table never holds it; keys
 * expire after a day (used again, then purged).
 */
import { describe, expect, it } from 'vitest';
import { IDEMPOTENCY_TTL_MS, purgeExpiredIdempotencyKeys } from '../../db/idempotency';
import { harnessPerBlock } from '../support/flows';

describe('the idempotency store', () => {
  const ref = harnessPerBlock();
  const stored = async () => (await ref.h.database.db.query(`SELECT key, route, response::text AS response FROM idempotency_keys`)).rows as { key: string; route: string; response: string }[];

  it('stores a new user’s token nowhere: the replay answers that it was shown once, and the token still works', async () => {
    const { h } = ref;
    const body = { name: '新同事', role: 'sales' };
    const first = await h.api('admin').post('/api/users', body).set('Idempotency-Key', 'user-1');
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const token = first.body.token as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);

    const replay = await h.api('admin').post('/api/users', body).set('Idempotency-Key', 'user-1');
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toMatchObject({ user: first.body.user, token: null, secretsShownOnce: ['token'] });
    // one user, and the token appears in no stored response
    expect((await h.database.db.query('SELECT count(*)::int AS n FROM users WHERE name = $1', ['新同事'])).rows[0]!.n).toBe(1);
    expect((await stored()).some((row) => row.response.includes(token))).toBe(false);
    const me = await h.api(null).get('/api/contracts').set('Authorization', `Bearer ${token}`);
    expect(me.status).toBe(200);
  });

  it('stores a webhook’s signing secret nowhere either', async () => {
    const { h } = ref;
    const body = { url: 'https://hooks.example.com/sms', events: ['contract.activated'] };
    const first = await h.api('admin').post('/api/webhooks', body).set('Idempotency-Key', 'hook-1');
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const secret = first.body.secret as string;
    expect(secret.length).toBeGreaterThan(20);
    const replay = await h.api('admin').post('/api/webhooks', body).set('Idempotency-Key', 'hook-1');
    expect(replay.body).toMatchObject({ id: first.body.id, secret: null, secretsShownOnce: ['secret'] });
    expect((await stored()).some((row) => row.response.includes(secret))).toBe(false);
  });

  it('lets a key be used again after a day, and purges the keys past it', async () => {
    const { h } = ref;
    const first = await h.api('admin').post('/api/users', { name: '甲', role: 'finance' }).set('Idempotency-Key', 'day-old');
    expect(first.status).toBe(201);
    // within the day another body under the key is refused
    expect((await h.api('admin').post('/api/users', { name: '乙', role: 'finance' }).set('Idempotency-Key', 'day-old')).status).toBe(422);
    // a day and a minute later the key is free again
    await h.database.db.query(`UPDATE idempotency_keys SET created_at = now() - make_interval(secs => $1) WHERE key = 'day-old'`, [IDEMPOTENCY_TTL_MS / 1000 + 60]);
    const again = await h.api('admin').post('/api/users', { name: '乙', role: 'finance' }).set('Idempotency-Key', 'day-old');
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.body.user.id).not.toBe(first.body.user.id);

    await h.database.db.query(`UPDATE idempotency_keys SET created_at = now() - make_interval(secs => $1) WHERE key IN ('user-1', 'hook-1')`, [IDEMPOTENCY_TTL_MS / 1000 + 60]);
    expect(await purgeExpiredIdempotencyKeys(h.database.db)).toBe(2);
    expect((await stored()).map((r) => r.key).sort()).toEqual(['day-old']);
  });
});
