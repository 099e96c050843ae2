import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { appendAudit } from '../../db/audit';
import { DEFAULT_SESSION_TIMES, endUserSessions } from '../../db/sessions';
import {
  deactivateUser,
  DEFAULT_TOKEN_TTL_MS,
  findUser,
  issueToken,
  issueTokenWithId,
  listTokens,
  listUserAccounts,
  revokeToken,
  ROLES,
  setLogin,
  setOrganisationCreditCode,
  setPasswordHash,
  setRole,
  setTeamLead,
  upsertUser,
  findUsername,
  USERNAME_PATTERN,
} from '../../db/users';
import type { Actor } from '../../domain/contract';
import { ZCreditCode } from '../../domain/credit-code';
import { AppError } from '../../domain/errors';
import { refusal } from '../../domain/error-reasons';
import { assertPasswordPolicy, hashPassword, PASSWORD_MAX_LENGTH } from '../../platform/passwords';
import type { AppDeps } from '../deps';
import { defineRoute } from '../http';

/** The longest a token may be issued for: a year. */
const MAX_TOKEN_TTL_DAYS = 365;

const ZIssueTokenRequest = z.strictObject({
  label: z.string().trim().max(64).optional(),
  /** how many days the token works; the configured default (TOKEN_TTL_DAYS) when omitted */
  ttlDays: z.number().int().min(1).max(MAX_TOKEN_TTL_DAYS, `must be at most ${MAX_TOKEN_TTL_DAYS} days`).optional(),
});

export const ZUsername = z
  .string()
  .trim()
  .toLowerCase()
  .max(64)
  .regex(USERNAME_PATTERN, 'must be 2 to 64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit');

/** The roles an admin may move a staff member between (a customer operator stays one: their organisation binds them). */
const STAFF_ROLES = ROLES.filter((r) => r !== 'customer');

/** PUT /api/users/:id/role: a staff member's new role. */
export const ZSetRoleRequest = z.strictObject({ role: z.enum(STAFF_ROLES as [Exclude<(typeof ROLES)[number], 'customer'>, ...Exclude<(typeof ROLES)[number], 'customer'>[]]) });

/** PUT /api/users/:id/password: an admin sets (resets) a user's password, and with `username` their user name. */
export const ZSetPasswordRequest = z.strictObject({
  password: z.string().max(PASSWORD_MAX_LENGTH),
  username: ZUsername.optional(),
});

export const ZCreateUserRequest = z
  .strictObject({
    name: z.string().trim().min(1).max(64),
    role: z.enum(ROLES),
    /** customer operators: the party A organisation they act for (its name) */
    organisation: z.string().trim().min(1).max(128).optional(),
    /** customer operators: their organisation's unified social credit code, which binds them to its contracts (without it: the exact name) */
    organisationCreditCode: ZCreditCode.optional(),
    /** the name they sign in with (lower case: letters, digits, `.`, `_`, `-`); without it they sign in with API tokens only */
    username: ZUsername.optional(),
    /** their first password (at least 10 characters), with `username` */
    password: z.string().max(PASSWORD_MAX_LENGTH).optional(),
  })
  .refine((u) => u.password === undefined || u.username !== undefined, { path: ['username'], message: 'is required with a password' })
  .refine((u) => u.role !== 'customer' || u.organisation, { path: ['organisation'], message: 'is required for a customer operator' })
  .refine((u) => u.role === 'customer' || u.organisationCreditCode === undefined, { path: ['organisationCreditCode'], message: 'is for customer operators only' });

/** PUT /api/users/:id/organisation-credit-code: binds a customer operator to their organisation's code (and, optionally, its current name). */
export const ZSetOrganisationCreditCodeRequest = z.strictObject({
  creditCode: ZCreditCode,
  organisation: z.string().trim().min(1).max(128).optional(),
});

/** PUT /api/users/:id/team-lead: the sales user's team lead (an active sales user), or null to leave them without one. */
export const ZSetTeamLeadRequest = z.strictObject({
  leadId: z.string().trim().min(1).max(64).nullable(),
});

export function userRoutes(deps: AppDeps) {
  const sessionNow = deps.sessions?.now ?? (() => new Date());
  const sessionIdleMs = deps.sessions?.times?.idleMs ?? DEFAULT_SESSION_TIMES.idleMs;
  /** A new token for the user, with its audit event; its lifetime as asked or configured. */
  const issueAudited = (userId: string, body: z.infer<typeof ZIssueTokenRequest>, actor: Actor, defaultLabel: string) =>
    deps.db.withTransaction(async (tx) => {
      const created = await issueTokenWithId(tx, userId, body.label ?? defaultLabel, body.ttlDays ? body.ttlDays * 86_400_000 : (deps.tokenTtlMs ?? DEFAULT_TOKEN_TTL_MS));
      await appendAudit(tx, { type: 'token.issued', actor, data: { tokenId: created.id, userId, expiresAt: created.expiresAt } });
      return created;
    });
  return [
    defineRoute({
      method: 'get',
      path: '/api/me',
      roles: ROLES,
      summary: 'who the token belongs to',
      handler: async ({ user }) => user,
    }),
    defineRoute({
      method: 'post',
      path: '/api/users',
      roles: ['admin'],
      summary: 'create a user, with a user name and first password to sign in with when given, and issue its first API token (shown once)',
      body: ZCreateUserRequest,
      secrets: ['token'],
      handler: async ({ body, user, res, requestId }) => {
        if (body.password !== undefined) assertPasswordPolicy(body.password, 'password');
        const passwordHash = body.password !== undefined ? await hashPassword(body.password) : null;
        const id = `u-${randomUUID()}`;
        const created = { id, name: body.name, role: body.role, organisation: body.organisation ?? null, organisationCreditCode: body.organisationCreditCode ?? null };
        const username = body.username ?? null;
        const token = await deps.db.withTransaction(async (tx) => {
          await upsertUser(tx, created);
          if (username !== null && (await setLogin(tx, { userId: id, username, passwordHash })) === 'taken') {
            throw refusal('username.taken', { username }, `the user name ${username} is taken`, { issues: [{ path: 'body.username', message: 'is taken' }] });
          }
          await appendAudit(tx, { type: 'user.created', actor: { id: user.id, role: user.role, requestId }, after: { ...created, username, hasPassword: passwordHash !== null } });
          return issueToken(tx, id, 'issued on creation', deps.tokenTtlMs ?? DEFAULT_TOKEN_TTL_MS);
        });
        res.status(201);
        return { user: { ...created, username, hasPassword: passwordHash !== null }, token };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/users',
      roles: ['admin'],
      summary: 'every user with their user name, role, whether a password is set, live sessions and last use (never a password hash or a token)',
      handler: async () => ({ items: await listUserAccounts(deps.db, { now: sessionNow(), idleMs: sessionIdleMs }) }),
    }),
    defineRoute({
      method: 'put',
      path: '/api/users/:id/role',
      roles: ['admin'],
      summary: "change a staff member's role (sales, legal, finance, operations, admin); a customer operator stays one, and an admin cannot change their own",
      body: ZSetRoleRequest,
      handler: async ({ params, body, user, requestId }) => {
        if (params.id === user.id) throw new AppError('CONFLICT', 'an admin cannot change their own role');
        const target = await findUser(deps.db, params.id!);
        if (!target) throw refusal('record.not_found', { kind: 'user' }, `no user ${params.id}`);
        if (target.role === 'customer') {
          throw new AppError('VALIDATION_FAILED', 'a customer operator keeps their role', { issues: [{ path: 'body.role', message: 'a customer operator keeps their role' }] });
        }
        const changed = await deps.db.withTransaction(async (tx) => {
          const result = await setRole(tx, { userId: params.id!, role: body.role });
          if (result && result.before !== result.after) {
            await appendAudit(tx, { type: 'user.role_set', actor: { id: user.id, role: user.role, requestId }, before: { role: result.before }, after: { role: result.after }, data: { userId: params.id } });
          }
          return result;
        });
        if (!changed) throw refusal('record.not_found', { kind: 'user' }, `no active user ${params.id}`);
        return { id: params.id, role: changed.after };
      },
    }),
    defineRoute({
      method: 'put',
      path: '/api/users/:id/password',
      roles: ['admin'],
      summary: "set (reset) a user's sign-in password, and with `username` their user name: every session of theirs ends; their API tokens go on",
      body: ZSetPasswordRequest,
      handler: async ({ params, body, user, requestId }) => {
        assertPasswordPolicy(body.password, 'password');
        const passwordHash = await hashPassword(body.password);
        const result = await deps.db.withTransaction(async (tx) => {
          const target = await findUser(tx, params.id!);
          if (!target) return null;
          if (body.username !== undefined) {
            if ((await setLogin(tx, { userId: target.id, username: body.username, passwordHash })) === 'taken') {
              throw refusal('username.taken', { username: body.username }, `the user name ${body.username} is taken`, { issues: [{ path: 'body.username', message: 'is taken' }] });
            }
          }
          const username = await findUsername(tx, target.id);
          if (username === null) {
            throw new AppError('VALIDATION_FAILED', 'this user has no user name yet: give one with the password', { issues: [{ path: 'body.username', message: 'is required: the user has none yet' }] });
          }
          if (!(await setPasswordHash(tx, { userId: target.id, passwordHash }))) return null;
          const ended = await endUserSessions(tx, { userId: target.id, by: `password reset by ${user.id}` });
          await appendAudit(tx, { type: 'user.password_set', actor: { id: user.id, role: user.role, requestId }, data: { userId: target.id, username, by: 'admin', sessionsEnded: ended } });
          return { id: target.id, username, sessionsEnded: ended };
        });
        if (!result) throw refusal('record.not_found', { kind: 'user' }, `no active user ${params.id}`);
        return { ...result, passwordSet: true };
      },
    }),

    defineRoute({
      method: 'put',
      path: '/api/users/:id/organisation-credit-code',
      roles: ['admin'],
      summary: "bind a customer operator to their organisation's unified social credit code (统一社会信用代码): from then on they see the contracts of that code, whatever Party A's name on them, and those stored without a code under the organisation's exact name",
      body: ZSetOrganisationCreditCodeRequest,
      handler: async ({ params, body, user, requestId }) => {
        const changed = await deps.db.withTransaction(async (tx) => {
          const result = await setOrganisationCreditCode(tx, { userId: params.id!, creditCode: body.creditCode, organisation: body.organisation });
          if (result) {
            await appendAudit(tx, {
              type: 'user.organisation_code_set',
              actor: { id: user.id, role: user.role, requestId },
              before: { organisation: result.before.organisation, organisationCreditCode: result.before.organisationCreditCode },
              after: { organisation: result.after.organisation, organisationCreditCode: result.after.organisationCreditCode },
              data: { userId: result.after.id },
            });
          }
          return result;
        });
        if (!changed) throw refusal('record.not_found', { kind: 'customer_operator' }, `no customer operator ${params.id}`);
        return changed.after;
      },
    }),

    defineRoute({
      method: 'put',
      path: '/api/users/:id/team-lead',
      roles: ['admin'],
      summary: "set (or, with null, clear) a sales user's team lead: the lead, an active sales user, then reads and acts on this user's contracts as on their own, and sees them in their lists",
      body: ZSetTeamLeadRequest,
      handler: async ({ params, body, user, requestId }) => {
        const change = await deps.db.withTransaction(async (tx) => {
          const result = await setTeamLead(tx, { userId: params.id!, leadId: body.leadId });
          if (result.outcome === 'set' && result.before !== result.after) {
            await appendAudit(tx, {
              type: 'user.team_lead_set',
              actor: { id: user.id, role: user.role, requestId },
              before: { teamLeadId: result.before },
              after: { teamLeadId: result.after },
              data: { userId: result.userId },
            });
          }
          return result;
        });
        const invalidLead = (message: string) => new AppError('VALIDATION_FAILED', 'body is invalid', { issues: [{ path: 'body.leadId', message }] });
        switch (change.outcome) {
          case 'no_such_user':
            throw refusal('record.not_found', { kind: 'user' }, `no sales user ${params.id}`);
          case 'self':
            throw invalidLead('a user cannot be their own team lead');
          case 'lead_not_sales':
            throw invalidLead(`${body.leadId} is not an active sales user`);
          case 'cycle':
            throw new AppError('CONFLICT', `${body.leadId} is led, through their own leads, by ${params.id}: the chain of leads would come back (${change.chain.join(' → ')})`, {
              issues: [{ path: 'body.leadId', message: 'would make a cycle of team leads' }],
            });
          case 'set':
            return { id: change.userId, teamLeadId: change.after };
        }
      },
    }),

    defineRoute({
      method: 'get',
      path: '/api/tokens',
      roles: ROLES,
      summary: "the caller's own tokens (ids, labels, expiry, revocation; never the secrets)",
      handler: async ({ user }) => ({ items: await listTokens(deps.db, user.id) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/tokens',
      roles: ROLES,
      summary: 'issue the caller a new token (shown once), e.g. to rotate: then revoke the old one',
      body: ZIssueTokenRequest,
      secrets: ['token'],
      handler: async ({ body, user, res, requestId }) => {
        res.status(201);
        return issueAudited(user.id, body, { id: user.id, role: user.role, requestId }, 'issued by its owner');
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/api/tokens/:tokenId',
      roles: ROLES,
      summary: "revoke a token: one's own, or (admin) anyone's",
      handler: async ({ params, user, requestId }) => {
        const revoked = await deps.db.withTransaction(async (tx) => {
          const done = await revokeToken(tx, { tokenId: params.tokenId!, userId: user.role === 'admin' ? null : user.id, by: user.id });
          if (done) await appendAudit(tx, { type: 'token.revoked', actor: { id: user.id, role: user.role, requestId }, data: { tokenId: params.tokenId, userId: done.userId } });
          return done;
        });
        if (!revoked) throw new AppError('NOT_FOUND', `no live token ${params.tokenId} of yours`);
        return { id: params.tokenId, revoked: true };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/users/:id/tokens',
      roles: ['admin'],
      summary: 'issue a user a new token (shown once)',
      body: ZIssueTokenRequest,
      secrets: ['token'],
      handler: async ({ params, body, user, res, requestId }) => {
        const target = await findUser(deps.db, params.id!);
        if (!target) throw refusal('record.not_found', { kind: 'user' }, `user ${params.id} not found`);
        res.status(201);
        return issueAudited(target.id, body, { id: user.id, role: user.role, requestId }, `issued by ${user.id}`);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/users/:id/deactivation',
      roles: ['admin'],
      summary: 'deactivate a user: every token of theirs stops working at once',
      body: z.strictObject({ reason: z.string().trim().min(1, 'must say why').max(500) }),
      handler: async ({ params, body, user, requestId }) => {
        if (params.id === user.id) throw new AppError('CONFLICT', 'an admin cannot deactivate themselves');
        const done = await deps.db.withTransaction(async (tx) => {
          const changed = await deactivateUser(tx, { userId: params.id!, by: user.id });
          if (changed) await appendAudit(tx, { type: 'user.deactivated', actor: { id: user.id, role: user.role, requestId }, data: { userId: params.id, reason: body.reason } });
          return changed;
        });
        if (!done) throw refusal('record.not_found', { kind: 'user' }, `no active user ${params.id}`);
        return { id: params.id, deactivated: true };
      },
    }),
  ];
}
