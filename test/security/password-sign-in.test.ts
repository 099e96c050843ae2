/**
 * Signing in with a user name and password (POST /api/session): the argon2id
 * hash stored, the session cookie's attributes, the same answer for an
 * unknown user name and a wrong password, failures limited per address and
 * per user name, CSRF for cookie sessions (bearer tokens unaffected), signing
 * out of one session and of all, sessions ended by a password reset, a
 * password change and a deactivation, idle and absolute expiry on fixed
 * instants, the admin's user screens closed to everyone else, and no hash in
 * any answer.
 */
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { AUTH_FAILURE_LIMIT } from '../../api/auth';
import { SIGN_IN_FAILURES_PER_USERNAME } from '../../api/routes/sessions';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '../../db/sessions';
import { harnessPerBlock } from '../support/flows';

type Session = { cookie: string; csrf: string; body: any };

const HOUR = 3_600_000;

describe('password sign-in', () => {
  const ref = harnessPerBlock();
  /** every answer body of this file, to look for hashes in */
  const answers: string[] = [];
  const seen = (res: supertest.Response) => (answers.push(JSON.stringify(res.body), JSON.stringify(res.headers)), res);

  let n = 0;
  /** A new user with a user name and password, created by the admin over the API. */
  const createUser = async (role: 'sales' | 'legal' | 'finance' | 'customer' | 'operations' | 'admin' = 'sales', password = 'correct horse battery') => {
    const username = `user.${role}.${++n}`;
    const res = seen(
      await ref.h
        .api('admin')
        .post('/api/users', { name: `测试用户${n}`, role, username, password, ...(role === 'customer' ? { organisation: '内蒙古自治区地震局' } : {}) }),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { id: res.body.user.id as string, username, password, token: res.body.token as string };
  };

  const signIn = async (app: ReturnType<typeof createApp>, username: string, password: string, ip = '192.0.2.1'): Promise<Session> => {
    const res = seen(await supertest(app).post('/api/session').set('X-Forwarded-For', ip).send({ username, password }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('sid='))!;
    return { cookie: cookie.split(';')[0]!, csrf: res.body.csrfToken, body: res.body };
  };

  let calls = 0;
  /** GET /api/me with the session, each from an address of its own (so ended sessions do not add up to the address's failure limit) */
  const me = async (app: ReturnType<typeof createApp>, s: Session) =>
    seen(await supertest(app).get('/api/me').set('Cookie', s.cookie).set('X-Forwarded-For', `198.18.${Math.floor(++calls / 250)}.${calls % 250}`));

  it('signs in with a user name and password into an HttpOnly, SameSite=Strict cookie session, the password stored only as an argon2id hash', async () => {
    const { h } = ref;
    const u = await createUser('legal');
    const { rows } = await h.database.db.query('SELECT password_hash FROM users WHERE id = $1', [u.id]);
    expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

    const res = seen(await supertest(h.app).post('/api/session').send({ username: `  ${u.username.toUpperCase()} `, password: u.password }));
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ id: u.id, name: `测试用户${n}`, role: 'legal' });
    expect(res.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('sid='))!;
    const attributes = cookie.split(';').map((a) => a.trim().toLowerCase());
    expect(attributes[0]).toMatch(/^sid=[a-z0-9_-]{43}$/);
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('samesite=strict');
    expect(attributes).toContain('path=/');
    // over plain HTTP the cookie is not Secure (a browser would drop it): Secure comes with TLS
    expect(attributes).not.toContain('secure');
    const session = { cookie: cookie.split(';')[0]!, csrf: res.body.csrfToken, body: res.body };
    expect((await me(h.app, session)).body).toMatchObject({ id: u.id, role: 'legal' });

    // the session's own view gives the same CSRF token again (a reloaded console asks for it)
    const again = seen(await supertest(h.app).get('/api/session').set('Cookie', session.cookie).expect(200));
    expect(again.body.csrfToken).toBe(session.csrf);
    expect(again.body.user.id).toBe(u.id);
    // only the SHA-256 of the session id is stored
    const stored = await h.database.db.query('SELECT id_hash FROM user_sessions WHERE user_id = $1', [u.id]);
    expect(stored.rows.map((r) => r.id_hash)).not.toContain(session.cookie.slice(4));
    expect(stored.rows[0]!.id_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('marks the cookie Secure when the request came over TLS (X-Forwarded-Proto from the trusted loopback proxy)', async () => {
    const u = await createUser();
    const res = await supertest(ref.h.app).post('/api/session').set('X-Forwarded-Proto', 'https').send({ username: u.username, password: u.password });
    expect(res.status).toBe(201);
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('sid='))!;
    expect(cookie.split(';').map((a) => a.trim().toLowerCase())).toEqual(expect.arrayContaining(['secure', 'httponly', 'samesite=strict', 'path=/']));
  });

  it('gives an unknown user name and a wrong password the same 401 in about the same time', async () => {
    const app = createApp(ref.h.deps);
    const u = await createUser();
    const attempt = async (username: string, ip: string) => {
      const started = performance.now();
      const res = seen(await supertest(app).post('/api/session').set('X-Forwarded-For', ip).send({ username, password: 'not the password at all' }));
      return { res, ms: performance.now() - started };
    };
    const wrong = [];
    const unknown = [];
    for (let i = 0; i < 3; i++) {
      wrong.push(await attempt(u.username, `192.0.2.${10 + i}`));
      unknown.push(await attempt(`nobody.${i}`, `192.0.2.${20 + i}`));
    }
    for (const { res } of [...wrong, ...unknown]) {
      expect(res.status).toBe(401);
      expect(res.body.error).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'auth.credentials_invalid', message: 'the user name or password is not correct' });
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    // a token-only user (no password) answers the same
    await ref.h.api('admin').post('/api/users', { name: '仅令牌用户', role: 'sales', username: 'token.only' }).expect(201);
    const tokenOnly = seen(await supertest(app).post('/api/session').send({ username: 'token.only', password: 'not the password at all' }));
    expect(tokenOnly.body.error.reason).toBe('auth.credentials_invalid');
    // the unknown user name verifies a dummy hash: not answered in a fraction of the time
    const median = (xs: { ms: number }[]) => xs.map((x) => x.ms).sort((a, b) => a - b)[1]!;
    expect(median(unknown)).toBeGreaterThan(median(wrong) * 0.3);
  });

  it(`refuses a user name after ${SIGN_IN_FAILURES_PER_USERNAME} failures from any addresses, and an address after ${AUTH_FAILURE_LIMIT}, with 429 and Retry-After, a right password included`, async () => {
    const app = createApp(ref.h.deps);
    const u = await createUser();
    for (let i = 0; i < SIGN_IN_FAILURES_PER_USERNAME - 1; i++) {
      expect((await supertest(app).post('/api/session').set('X-Forwarded-For', `198.51.100.${i}`).send({ username: u.username, password: 'wrong password here' })).status).toBe(401);
    }
    const last = await supertest(app).post('/api/session').set('X-Forwarded-For', '198.51.100.50').send({ username: u.username, password: 'wrong password here' });
    expect(last.status).toBe(429);
    expect(last.body.error.code).toBe('RATE_LIMITED');
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    const right = await supertest(app).post('/api/session').set('X-Forwarded-For', '198.51.100.51').send({ username: u.username, password: u.password });
    expect(right.status).toBe(429);

    // one address trying many user names
    const other = await createUser();
    for (let i = 0; i < AUTH_FAILURE_LIMIT - 1; i++) {
      expect((await supertest(app).post('/api/session').set('X-Forwarded-For', '203.0.113.9').send({ username: `guess.${i}`, password: 'wrong password here' })).status).toBe(401);
    }
    expect((await supertest(app).post('/api/session').set('X-Forwarded-For', '203.0.113.9').send({ username: 'guess.last', password: 'wrong password here' })).status).toBe(429);
    expect((await supertest(app).post('/api/session').set('X-Forwarded-For', '203.0.113.9').send({ username: other.username, password: other.password })).status).toBe(429);
    // another address signs the other user in
    expect((await supertest(app).post('/api/session').set('X-Forwarded-For', '203.0.113.10').send({ username: other.username, password: other.password })).status).toBe(201);
  });

  it('refuses a changing request of a cookie session without its CSRF token or with a wrong one, and accepts the right one; bearer tokens need none', async () => {
    const { h } = ref;
    const u = await createUser('finance');
    const s = await signIn(h.app, u.username, u.password);
    const post = () => supertest(h.app).post('/api/tokens').set('Cookie', s.cookie).send({ label: 'from the console' });

    const without = seen(await post());
    expect(without.status).toBe(403);
    expect(without.body.error).toMatchObject({ code: 'CSRF_TOKEN_INVALID', reason: 'auth.csrf_invalid' });
    const wrong = seen(await post().set('X-CSRF-Token', s.csrf.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))));
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('CSRF_TOKEN_INVALID');
    // another session's token is not this one's
    const other = await signIn(h.app, u.username, u.password);
    expect((await post().set('X-CSRF-Token', other.csrf)).status).toBe(403);
    expect((await h.database.db.query(`SELECT count(*)::int AS n FROM api_tokens WHERE user_id = $1 AND label = 'from the console'`, [u.id])).rows[0]!.n).toBe(0);

    const right = seen(await post().set('X-CSRF-Token', s.csrf));
    expect(right.status).toBe(201);
    // reading needs no token
    expect((await supertest(h.app).get('/api/tokens').set('Cookie', s.cookie)).status).toBe(200);

    // a bearer request is unaffected, a session cookie beside it included (the bearer token decides)
    const bearer = seen(await supertest(h.app).post('/api/tokens').set('Authorization', `Bearer ${u.token}`).send({ label: 'integration' }));
    expect(bearer.status).toBe(201);
    const both = await supertest(h.app).post('/api/tokens').set('Authorization', `Bearer ${u.token}`).set('Cookie', s.cookie).send({ label: 'integration 2' });
    expect(both.status).toBe(201);
    expect((await supertest(h.app).get('/api/session').set('Authorization', `Bearer ${u.token}`).expect(200)).body).toMatchObject({ user: { id: u.id }, csrfToken: null });
  });

  it('signs out of this session only, and everywhere out of every session', async () => {
    const { h } = ref;
    const u = await createUser('operations');
    const a = await signIn(h.app, u.username, u.password);
    const b = await signIn(h.app, u.username, u.password);
    const c = await signIn(h.app, u.username, u.password);

    expect((await supertest(h.app).delete('/api/session').set('Cookie', a.cookie)).status).toBe(403);
    const out = seen(await supertest(h.app).delete('/api/session').set('Cookie', a.cookie).set('X-CSRF-Token', a.csrf));
    expect(out.status).toBe(200);
    expect(out.body).toEqual({ signedOut: true });
    const cleared = (out.headers['set-cookie'] as unknown as string[]).find((x) => x.startsWith('sid='))!;
    expect(cleared).toMatch(/^sid=;/);
    expect(cleared.toLowerCase()).toContain('expires=thu, 01 jan 1970');
    const after = await me(h.app, a);
    expect(after.status).toBe(401);
    expect(after.body.error.reason).toBe('auth.session_invalid');
    expect((await me(h.app, b)).status).toBe(200);

    const everywhere = seen(await supertest(h.app).post('/api/session/sign-out-everywhere').set('Cookie', b.cookie).set('X-CSRF-Token', b.csrf).send({}));
    expect(everywhere.status).toBe(200);
    expect(everywhere.body).toEqual({ sessionsEnded: 2 });
    expect((await me(h.app, b)).status).toBe(401);
    expect((await me(h.app, c)).status).toBe(401);
    // the API token goes on
    expect((await supertest(h.app).get('/api/me').set('Authorization', `Bearer ${u.token}`)).status).toBe(200);
  });

  it("ends every session of a user whose password an admin resets, and the caller's other sessions when they change their own", async () => {
    const { h } = ref;
    const u = await createUser('sales');
    const a = await signIn(h.app, u.username, u.password);
    const b = await signIn(h.app, u.username, u.password);

    const short = seen(await h.api('admin').put(`/api/users/${u.id}/password`, { password: 'short' }));
    expect(short.status).toBe(400);
    expect(short.body.error).toMatchObject({ code: 'PASSWORD_TOO_SHORT', reason: 'password.too_short', params: { minLength: 10 } });
    expect((await me(h.app, a)).status).toBe(200);

    const reset = seen(await h.api('admin').put(`/api/users/${u.id}/password`, { password: 'a new password 1' }));
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({ id: u.id, username: u.username, sessionsEnded: 2, passwordSet: true });
    expect((await me(h.app, a)).status).toBe(401);
    expect((await me(h.app, b)).status).toBe(401);
    expect((await supertest(h.app).post('/api/session').send({ username: u.username, password: u.password })).status).toBe(401);
    const audit = await h.database.db.query(`SELECT actor_id, data FROM audit_events WHERE type = 'user.password_set' AND data->>'userId' = $1`, [u.id]);
    expect(audit.rows).toEqual([{ actor_id: h.users.admin, data: { userId: u.id, username: u.username, by: 'admin', sessionsEnded: 2 } }]);

    // their own change: the current password asked, their other sessions end, this one goes on
    const c = await signIn(h.app, u.username, 'a new password 1');
    const d = await signIn(h.app, u.username, 'a new password 1');
    const change = (s: Session, body: object) => supertest(h.app).put('/api/me/password').set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf).send(body);
    const wrongCurrent = seen(await change(c, { currentPassword: 'not my password', newPassword: 'another password 2' }));
    expect(wrongCurrent.status).toBe(403);
    expect(wrongCurrent.body.error.reason).toBe('password.current_wrong');
    expect((await change(c, { currentPassword: 'a new password 1', newPassword: 'too short' })).body.error.code).toBe('PASSWORD_TOO_SHORT');
    const changed = seen(await change(c, { currentPassword: 'a new password 1', newPassword: 'another password 2' }));
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ id: u.id, passwordChanged: true, sessionsEnded: 1 });
    expect((await me(h.app, c)).status).toBe(200);
    expect((await me(h.app, d)).status).toBe(401);
    await signIn(h.app, u.username, 'another password 2');
  });

  it('ends the sessions of a deactivated user', async () => {
    const { h } = ref;
    const u = await createUser('legal');
    const s = await signIn(h.app, u.username, u.password);
    await h.api('admin').post(`/api/users/${u.id}/deactivation`, { reason: '离职' }).expect(200);
    expect((await me(h.app, s)).status).toBe(401);
    expect((await supertest(h.app).post('/api/session').send({ username: u.username, password: u.password })).status).toBe(401);
  });

  it('ends a session unused for 12 hours, and any session 7 days after it began however often used (fixed instants)', async () => {
    let now = new Date('2030-03-01T00:00:00.000Z');
    const app = createApp({ ...ref.h.deps, sessions: { now: () => now } });
    const u = await createUser();
    const at = (ms: number) => (now = new Date(Date.parse('2030-03-01T00:00:00.000Z') + ms));

    at(0);
    const idle = await signIn(app, u.username, u.password);
    const busy = await signIn(app, u.username, u.password);
    expect(idle.body.expiresAt).toBe('2030-03-08T00:00:00.000Z');
    at(SESSION_IDLE_MS - 60_000);
    expect((await me(app, busy)).status).toBe(200);
    at(SESSION_IDLE_MS + 1_000);
    expect((await me(app, idle)).status).toBe(401);
    // used 11 h 59 min ago: still live
    expect((await me(app, busy)).status).toBe(200);

    // used every 11 hours, it still ends at 7 days
    let t = SESSION_IDLE_MS + 1_000;
    while (t + 11 * HOUR < SESSION_ABSOLUTE_MS) {
      t += 11 * HOUR;
      at(t);
      expect((await me(app, busy)).status, new Date(now).toISOString()).toBe(200);
    }
    at(SESSION_ABSOLUTE_MS - 1_000);
    expect((await me(app, busy)).status).toBe(200);
    at(SESSION_ABSOLUTE_MS);
    expect((await me(app, busy)).status).toBe(401);
  });

  it('lets only an admin list users, create them with a role and password, change roles and reset passwords', async () => {
    const { h } = ref;
    const customer = await createUser('customer');
    const sales = await createUser('sales');
    const s = await signIn(h.app, customer.username, customer.password);
    const asCustomer = (t: supertest.Test) => t.set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf);
    expect((await asCustomer(supertest(h.app).get('/api/users'))).status).toBe(403);
    expect((await asCustomer(supertest(h.app).post('/api/users')).send({ name: 'x', role: 'admin', username: 'sneaky', password: 'sneaky password' })).status).toBe(403);
    expect((await asCustomer(supertest(h.app).put(`/api/users/${customer.id}/role`)).send({ role: 'admin' })).status).toBe(403);
    expect((await asCustomer(supertest(h.app).put(`/api/users/${sales.id}/password`)).send({ password: 'taken over password' })).status).toBe(403);
    expect((await h.api('sales').get('/api/users')).status).toBe(403);

    const list = seen(await h.api('admin').get('/api/users').expect(200));
    const row = list.body.items.find((x: { id: string }) => x.id === customer.id);
    expect(row).toMatchObject({ username: customer.username, role: 'customer', hasPassword: true, liveSessions: 1, deactivatedAt: null });
    expect(list.body.items.find((x: { id: string }) => x.id === h.users.sales)).toMatchObject({ username: null, hasPassword: false });

    const role = seen(await h.api('admin').put(`/api/users/${sales.id}/role`, { role: 'legal' }));
    expect(role.status).toBe(200);
    expect(role.body).toEqual({ id: sales.id, role: 'legal' });
    const salesSession = await signIn(h.app, sales.username, sales.password);
    expect((await me(h.app, salesSession)).body.role).toBe('legal');
    const audit = await h.database.db.query(`SELECT before, after FROM audit_events WHERE type = 'user.role_set' AND data->>'userId' = $1`, [sales.id]);
    expect(audit.rows).toEqual([{ before: { role: 'sales' }, after: { role: 'legal' } }]);
    expect((await h.api('admin').put(`/api/users/${customer.id}/role`, { role: 'sales' })).status).toBe(400);
    expect((await h.api('admin').put(`/api/users/${h.users.admin}/role`, { role: 'sales' })).status).toBe(409);
    expect((await h.api('admin').put(`/api/users/no-such-user/role`, { role: 'sales' })).status).toBe(404);

    // a user name is one user's
    const taken = seen(await h.api('admin').post('/api/users', { name: '重名', role: 'sales', username: sales.username, password: 'long enough password' }));
    expect(taken.status).toBe(409);
    expect(taken.body.error.reason).toBe('username.taken');
    const short = seen(await h.api('admin').post('/api/users', { name: '短密码', role: 'sales', username: 'short.one', password: '123456789' }));
    expect(short.status).toBe(400);
    expect(short.body.error.code).toBe('PASSWORD_TOO_SHORT');
    // a token-only user gets a user name with their first password
    expect((await h.api('admin').put(`/api/users/${h.users.finance}/password`, { password: 'finance password' })).status).toBe(400);
    expect((await h.api('admin').put(`/api/users/${h.users.finance}/password`, { password: 'finance password', username: 'Finance.Demo' })).status).toBe(200);
    await signIn(h.app, 'finance.demo', 'finance password');
  });

  it('never answers a password hash', () => {
    expect(answers.length).toBeGreaterThan(20);
    for (const text of answers) {
      expect(text).not.toContain('$argon2');
      expect(text).not.toMatch(/password_?hash/i);
    }
  });
});
