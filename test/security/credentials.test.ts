/**
 * Credentials with a lifecycle: tokens expire, their owner or an admin
 * revokes them, a new one rotates the old away, a changed ADMIN_TOKEN revokes
 * the old one (and a revoked one is never revived), deactivating a user stops
 * every token of theirs, and a production start revokes development demo
 * tokens. Each stopped token gets 401.
 */
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { findUserByToken, issueToken, registerToken, revokeDemoTokens, upsertUser } from '../../db/users';
import { harnessPerBlock } from '../support/flows';

describe('credentials', () => {
  const ref = harnessPerBlock();
  const as = (token: string) => supertest(ref.h.app).get('/api/me').set('Authorization', `Bearer ${token}`);

  it('refuses an expired token with 401', async () => {
    const { h } = ref;
    await upsertUser(h.database.db, { id: 'u-expiring', name: '到期用户', role: 'sales', organisation: null });
    const token = await issueToken(h.database.db, 'u-expiring', 'short', 60_000);
    expect((await as(token)).status).toBe(200);
    await h.database.db.query(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE user_id = 'u-expiring'`);
    const res = await as(token);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toContain('expired');
  });

  it('lets a user rotate: a new token works, the revoked old one gets 401, and another user cannot revoke it', async () => {
    const { h } = ref;
    await upsertUser(h.database.db, { id: 'u-rotating', name: '轮换用户', role: 'finance', organisation: null });
    const old = await issueToken(h.database.db, 'u-rotating', 'old');
    const mine = (await as(old).expect(200)).body;
    expect(mine.id).toBe('u-rotating');

    const issued = await supertest(h.app).post('/api/tokens').set('Authorization', `Bearer ${old}`).send({ label: 'rotated', ttlDays: 30 });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    expect(issued.body.token).toMatch(/^smsc_/);
    const expiresInDays = (Date.parse(issued.body.expiresAt) - Date.now()) / 86_400_000;
    expect(expiresInDays).toBeGreaterThan(29.9);
    expect(expiresInDays).toBeLessThan(30.1);
    const listed = (await supertest(h.app).get('/api/tokens').set('Authorization', `Bearer ${issued.body.token}`).expect(200)).body.items;
    expect(listed.map((t: { label: string }) => t.label)).toEqual(['old', 'rotated']);
    expect(JSON.stringify(listed)).not.toContain(old);
    const oldId = listed[0].id as string;

    // someone else's token is not theirs to revoke
    expect((await supertest(h.app).delete(`/api/tokens/${oldId}`).set('Authorization', `Bearer ${h.tokens.sales}`)).status).toBe(404);
    expect((await as(old)).status).toBe(200);

    await supertest(h.app).delete(`/api/tokens/${oldId}`).set('Authorization', `Bearer ${issued.body.token}`).expect(200);
    expect((await as(old)).status).toBe(401);
    expect((await as(issued.body.token)).status).toBe(200);
  });

  it('revokes the old ADMIN_TOKEN when it changes, and never revives a revoked one', async () => {
    const { h } = ref;
    await upsertUser(h.database.db, { id: 'admin', name: 'Administrator', role: 'admin', organisation: null });
    const first = 'admin-token-first-0123456789';
    const second = 'admin-token-second-0123456789';
    await registerToken(h.database.db, 'admin', first, 'ADMIN_TOKEN');
    expect((await as(first)).status).toBe(200);
    await registerToken(h.database.db, 'admin', second, 'ADMIN_TOKEN');
    expect((await as(first)).status).toBe(401);
    expect((await as(second)).status).toBe(200);
    // an operator puts the old value back: it stays revoked
    await registerToken(h.database.db, 'admin', first, 'ADMIN_TOKEN');
    expect((await as(first)).status).toBe(401);
  });

  it('stops every token of a deactivated user, and demo tokens in production', async () => {
    const { h } = ref;
    await upsertUser(h.database.db, { id: 'u-leaving', name: '离职用户', role: 'legal', organisation: null });
    const a = await issueToken(h.database.db, 'u-leaving');
    const b = await issueToken(h.database.db, 'u-leaving');
    await supertest(h.app).post('/api/users/u-leaving/deactivation').set('Authorization', `Bearer ${h.tokens.admin}`).send({ reason: '离职' }).expect(200);
    expect((await as(a)).status).toBe(401);
    expect((await as(b)).status).toBe(401);
    expect((await supertest(h.app).post('/api/users/u-leaving/deactivation').set('Authorization', `Bearer ${h.tokens.admin}`).send({ reason: '离职' })).status).toBe(404);

    await upsertUser(h.database.db, { id: 'demo-sales', name: '销售演示账号', role: 'sales', organisation: null });
    const demo = 'smsc_demo-token-of-a-development-start';
    await registerToken(h.database.db, 'demo-sales', demo, 'demo');
    expect(await findUserByToken(h.database.db, demo)).not.toBeNull();
    expect(await revokeDemoTokens(h.database.db)).toBe(1);
    expect((await as(demo)).status).toBe(401);
  });
});
