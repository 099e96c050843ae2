/**
 * Users and their API tokens. Tokens are 256-bit random strings; only their
 * SHA-256 is stored (a fast hash is right for high-entropy secrets).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from './pool';

export const ROLES = ['sales', 'legal', 'finance', 'customer', 'operations', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * A user. A customer operator acts for one Party A organisation: identified
 * by its unified social credit code (`organisationCreditCode`, with the
 * contracts stored without a code matched by the exact name); an operator
 * without a code yet is bound by the exact name alone (`organisation`).
 */
export type User = {
  id: string;
  name: string;
  role: Role;
  organisation: string | null;
  organisationCreditCode: string | null;
  /**
   * A sales team lead's team: the ids of the active sales users whose lead
   * they are (one level: not their members' own teams), as authentication
   * loads them (findUserByToken, findUserByCalendarFeed); absent or empty:
   * no team.
   */
  teamMemberIds?: string[];
};

const USER_COLUMNS = 'u.id, u.name, u.role, u.organisation, u.organisation_credit_code AS "organisationCreditCode"';

/** The ids of the active sales users `u` leads, as a column (an empty array for everyone else); uses users_team_lead_idx. */
export const TEAM_MEMBER_IDS = `ARRAY(SELECT m.id FROM users m WHERE m.team_lead_id = u.id AND m.role = 'sales' AND m.deactivated_at IS NULL ORDER BY m.id) AS "teamMemberIds"`;

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
export const generateToken = () => `smsc_${randomBytes(32).toString('base64url')}`;

/** Creates or updates the user; an `organisationCreditCode` left out keeps the one the user has (none for a new user). */
export async function upsertUser(db: Queryable, user: Omit<User, 'organisationCreditCode'> & { organisationCreditCode?: string | null }): Promise<void> {
  const code = user.organisationCreditCode;
  await db.query(
    `INSERT INTO users (id, name, role, organisation, organisation_credit_code) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, role = EXCLUDED.role, organisation = EXCLUDED.organisation,
       organisation_credit_code = CASE WHEN $6::boolean THEN EXCLUDED.organisation_credit_code ELSE users.organisation_credit_code END`,
    [user.id, user.name, user.role, user.organisation, code ?? null, code !== undefined],
  );
}

export async function findUser(db: Queryable, id: string): Promise<User | null> {
  const { rows } = await db.query(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [id]);
  return (rows[0] as User | undefined) ?? null;
}

/**
 * Binds a customer operator to their organisation's credit code (and the
 * organisation's current name); null when there is no such customer operator.
 */
export async function setOrganisationCreditCode(db: Queryable, input: { userId: string; creditCode: string; organisation?: string }): Promise<{ before: User; after: User } | null> {
  const { rows } = await db.query(
    `UPDATE users u SET organisation_credit_code = $2, organisation = COALESCE($3, u.organisation)
       FROM users old WHERE u.id = $1 AND old.id = u.id AND u.role = 'customer'
     RETURNING ${USER_COLUMNS}, old.organisation AS "oldOrganisation", old.organisation_credit_code AS "oldCode"`,
    [input.userId, input.creditCode, input.organisation ?? null],
  );
  const row = rows[0] as (User & { oldOrganisation: string | null; oldCode: string | null }) | undefined;
  if (!row) return null;
  const { oldOrganisation, oldCode, ...after } = row;
  return { before: { ...after, organisation: oldOrganisation, organisationCreditCode: oldCode }, after };
}

export type TeamLeadChange =
  | { outcome: 'set'; userId: string; before: string | null; after: string | null }
  /** no sales user of that id */
  | { outcome: 'no_such_user' }
  /** the lead named is not an active sales user */
  | { outcome: 'lead_not_sales' }
  | { outcome: 'self' }
  /** the lead named is led, directly or through other leads, by the user: the chain of leads would come back */
  | { outcome: 'cycle'; chain: string[] };

/** Team changes one at a time (a transaction-scoped advisory lock), so two changes cannot each close half of a cycle. */
const TEAM_LOCK_KEY = 72_017_403;

/**
 * Sets (or, with null, clears) a sales user's team lead. Call it inside a
 * transaction: it takes the team lock until the transaction ends, so the
 * cycle check and the change see the same teams.
 */
export async function setTeamLead(db: Queryable, input: { userId: string; leadId: string | null }): Promise<TeamLeadChange> {
  await db.query('SELECT pg_advisory_xact_lock($1)', [TEAM_LOCK_KEY]);
  const { rows } = await db.query(`SELECT team_lead_id FROM users WHERE id = $1 AND role = 'sales' FOR UPDATE`, [input.userId]);
  if (!rows[0]) return { outcome: 'no_such_user' };
  const before = (rows[0].team_lead_id as string | null) ?? null;
  if (input.leadId !== null) {
    if (input.leadId === input.userId) return { outcome: 'self' };
    const lead = await db.query(`SELECT 1 FROM users WHERE id = $1 AND role = 'sales' AND deactivated_at IS NULL`, [input.leadId]);
    if (!lead.rowCount) return { outcome: 'lead_not_sales' };
    // the lead's own chain of leads, upwards: reaching the user would close a cycle
    const chain = await db.query(
      `WITH RECURSIVE up (id, lead_id, depth) AS (
         SELECT id, team_lead_id, 1 FROM users WHERE id = $1
         UNION ALL
         SELECT u.id, u.team_lead_id, up.depth + 1 FROM users u JOIN up ON u.id = up.lead_id WHERE up.depth < 10000
       ) SELECT id FROM up ORDER BY depth`,
      [input.leadId],
    );
    const ids = chain.rows.map((r) => r.id as string);
    const at = ids.indexOf(input.userId);
    if (at >= 0) return { outcome: 'cycle', chain: [input.userId, ...ids.slice(0, at + 1)] };
  }
  await db.query('UPDATE users SET team_lead_id = $2 WHERE id = $1', [input.userId, input.leadId]);
  return { outcome: 'set', userId: input.userId, before, after: input.leadId };
}

/** How long an issued token works unless it says otherwise (TOKEN_TTL_DAYS). */
export const DEFAULT_TOKEN_TTL_MS = 90 * 86_400_000;

/** A token's id: the first 20 hex digits of its hash, safe to show and to revoke by. */
export const tokenIdOf = (tokenHash: string) => `tok_${tokenHash.slice(0, 20)}`;

/** Issues a new token for the user and returns it; it is shown once and never stored in clear, and expires after `ttlMs`. */
export async function issueToken(db: Queryable, userId: string, label = '', ttlMs = DEFAULT_TOKEN_TTL_MS): Promise<string> {
  return (await issueTokenWithId(db, userId, label, ttlMs)).token;
}

export async function issueTokenWithId(db: Queryable, userId: string, label: string, ttlMs: number): Promise<{ id: string; token: string; expiresAt: string }> {
  const token = generateToken();
  const hash = hashToken(token);
  const { rows } = await db.query(
    `INSERT INTO api_tokens (id, token_hash, user_id, label, expires_at) VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5)) RETURNING expires_at`,
    [tokenIdOf(hash), hash, userId, label, ttlMs / 1000],
  );
  return { id: tokenIdOf(hash), token, expiresAt: (rows[0]!.expires_at as Date).toISOString() };
}

/**
 * Registers a token chosen outside (ADMIN_TOKEN, the development demo tokens)
 * for the user. A label has one such token: registering another revokes the
 * one before (changing ADMIN_TOKEN revokes the old). A token revoked once is
 * never revived by registering it again.
 */
export async function registerToken(db: Queryable, userId: string, token: string, label: string): Promise<void> {
  const hash = hashToken(token);
  await db.query(
    `UPDATE api_tokens SET revoked_at = now(), revoked_by = 'replaced: ' || $2
      WHERE user_id = $1 AND label = $2 AND token_hash <> $3 AND revoked_at IS NULL`,
    [userId, label, hash],
  );
  await db.query(`INSERT INTO api_tokens (id, token_hash, user_id, label) VALUES ($1, $2, $3, $4) ON CONFLICT (token_hash) DO NOTHING`, [tokenIdOf(hash), hash, userId, label]);
}

/**
 * The user of a token that is known, not revoked, not expired, and whose user
 * is active, with the team they lead (one statement).
 */
export async function findUserByToken(db: Queryable, token: string): Promise<User | null> {
  const { rows } = await db.query(
    `SELECT ${USER_COLUMNS}, ${TEAM_MEMBER_IDS} FROM api_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now()) AND u.deactivated_at IS NULL`,
    [hashToken(token)],
  );
  return (rows[0] as User | undefined) ?? null;
}

export type TokenInfo = { id: string; label: string; createdAt: string; expiresAt: string | null; revokedAt: string | null; revokedBy: string | null };

export async function listTokens(db: Queryable, userId: string): Promise<TokenInfo[]> {
  const { rows } = await db.query('SELECT id, label, created_at, expires_at, revoked_at, revoked_by FROM api_tokens WHERE user_id = $1 ORDER BY created_at', [userId]);
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return rows.map((r) => ({ id: r.id, label: r.label, createdAt: iso(r.created_at)!, expiresAt: iso(r.expires_at), revokedAt: iso(r.revoked_at), revokedBy: r.revoked_by }));
}

/** Revokes the token (of `userId` unless null: an admin revokes any); false when there is no such live token. */
export async function revokeToken(db: Queryable, input: { tokenId: string; userId: string | null; by: string }): Promise<{ userId: string } | null> {
  const { rows } = await db.query(
    `UPDATE api_tokens SET revoked_at = now(), revoked_by = $3 WHERE id = $1 AND ($2::text IS NULL OR user_id = $2) AND revoked_at IS NULL RETURNING user_id`,
    [input.tokenId, input.userId, input.by],
  );
  return rows[0] ? { userId: rows[0].user_id as string } : null;
}

/** Deactivates the user: every token stops working (and is revoked), every session of theirs ends. False when unknown or already inactive. */
export async function deactivateUser(db: Queryable, input: { userId: string; by: string }): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE users SET deactivated_at = now() WHERE id = $1 AND deactivated_at IS NULL', [input.userId]);
  if (!rowCount) return false;
  await db.query(`UPDATE api_tokens SET revoked_at = now(), revoked_by = $2 WHERE user_id = $1 AND revoked_at IS NULL`, [input.userId, `deactivated by ${input.by}`]);
  await db.query(`UPDATE user_sessions SET ended_at = now(), ended_by = $2 WHERE user_id = $1 AND ended_at IS NULL`, [input.userId, `deactivated by ${input.by}`]);
  return true;
}

/** What a user name may be: lower-case letters, digits, `.`, `_`, `-`, 2 to 64 long, starting with a letter or digit (migration 029). */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;

/** The active user signing in by this user name, with their password hash (null: no password, token sign-in only); null when there is none. */
export async function findPasswordLogin(db: Queryable, username: string): Promise<{ userId: string; passwordHash: string | null } | null> {
  const { rows } = await db.query(`SELECT id, password_hash FROM users WHERE username = $1 AND deactivated_at IS NULL`, [username]);
  return rows[0] ? { userId: rows[0].id as string, passwordHash: (rows[0].password_hash as string | null) ?? null } : null;
}

/** The password hash of an active user (null when they have none, or no such active user). */
export async function findPasswordHash(db: Queryable, userId: string): Promise<string | null> {
  const { rows } = await db.query(`SELECT password_hash FROM users WHERE id = $1 AND deactivated_at IS NULL`, [userId]);
  return (rows[0]?.password_hash as string | null | undefined) ?? null;
}

/**
 * Gives the user a user name and, when given, a password hash. `taken`: another
 * user has that name; `no_such_user`: no user of that id.
 */
export async function setLogin(db: Queryable, input: { userId: string; username: string; passwordHash: string | null }): Promise<'set' | 'taken' | 'no_such_user'> {
  const other = await db.query(`SELECT 1 FROM users WHERE username = $1 AND id <> $2`, [input.username, input.userId]);
  if (other.rowCount) return 'taken';
  try {
    const { rowCount } = await db.query(
      `UPDATE users SET username = $2, password_hash = COALESCE($3, password_hash), password_set_at = CASE WHEN $3::text IS NULL THEN password_set_at ELSE now() END WHERE id = $1`,
      [input.userId, input.username, input.passwordHash],
    );
    return rowCount ? 'set' : 'no_such_user';
  } catch (error) {
    // two admins giving the same name at once: the unique index decides
    if ((error as { code?: string }).code === '23505') return 'taken';
    throw error;
  }
}

/** Replaces an active user's password hash; false when there is no such active user. Ending their sessions is the caller's (db/sessions.ts). */
export async function setPasswordHash(db: Queryable, input: { userId: string; passwordHash: string }): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE users SET password_hash = $2, password_set_at = now() WHERE id = $1 AND deactivated_at IS NULL`, [input.userId, input.passwordHash]);
  return (rowCount ?? 0) > 0;
}

/** Changes an active user's role; null when there is no such active user. */
export async function setRole(db: Queryable, input: { userId: string; role: Role }): Promise<{ before: Role; after: Role } | null> {
  const { rows } = await db.query(
    `UPDATE users u SET role = $2 FROM users old WHERE u.id = $1 AND old.id = u.id AND u.deactivated_at IS NULL RETURNING old.role AS before, u.role AS after`,
    [input.userId, input.role],
  );
  return rows[0] ? { before: rows[0].before as Role, after: rows[0].after as Role } : null;
}

/** A user as the admin's list shows them: never a hash or a token, only whether a password is set and how many sessions are live. */
export type UserAccount = User & {
  username: string | null;
  hasPassword: boolean;
  passwordSetAt: string | null;
  deactivatedAt: string | null;
  createdAt: string;
  liveSessions: number;
  lastSeenAt: string | null;
};

/** Every user, active ones first, by name. `now` decides which sessions are still live. */
export async function listUserAccounts(db: Queryable, input: { now: Date; idleMs: number }): Promise<UserAccount[]> {
  const { rows } = await db.query(
    `SELECT ${USER_COLUMNS}, u.username, u.password_hash IS NOT NULL AS "hasPassword", u.password_set_at, u.deactivated_at, u.created_at,
            (SELECT count(*)::int FROM user_sessions s WHERE s.user_id = u.id AND s.ended_at IS NULL AND s.expires_at > $1 AND s.last_seen_at > $1 - make_interval(secs => $2)) AS "liveSessions",
            (SELECT max(s.last_seen_at) FROM user_sessions s WHERE s.user_id = u.id) AS last_seen_at
       FROM users u ORDER BY u.deactivated_at IS NOT NULL, u.name, u.id`,
    [input.now, input.idleMs / 1000],
  );
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    role: r.role,
    organisation: r.organisation,
    organisationCreditCode: r.organisationCreditCode,
    username: r.username,
    hasPassword: r.hasPassword,
    passwordSetAt: iso(r.password_set_at),
    deactivatedAt: iso(r.deactivated_at),
    createdAt: iso(r.created_at)!,
    liveSessions: r.liveSessions,
    lastSeenAt: iso(r.last_seen_at),
  }));
}

/** In production the development demo tokens stop working (the same database may have served a development start). */
export async function revokeDemoTokens(db: Queryable): Promise<number> {
  const { rowCount } = await db.query(`UPDATE api_tokens SET revoked_at = now(), revoked_by = 'production start' WHERE label = 'demo' AND revoked_at IS NULL`);
  return rowCount ?? 0;
}

/** In production the development demo accounts (ids `demo-…`) lose their passwords and sessions; how many had one. */
export async function revokeDemoPasswords(db: Queryable): Promise<number> {
  const { rowCount } = await db.query(`UPDATE users SET password_hash = NULL, password_set_at = NULL WHERE id LIKE 'demo-%' AND password_hash IS NOT NULL`);
  await db.query(`UPDATE user_sessions SET ended_at = now(), ended_by = 'production start' WHERE user_id LIKE 'demo-%' AND ended_at IS NULL`);
  return rowCount ?? 0;
}

/** Someone a contract list may be narrowed to: a sales user, or anyone else who owns a contract. */
export type ContractOwner = { id: string; name: string; role: Role; active: boolean };

/**
 * The users who own contracts or may (every sales user, active or not, and
 * anyone else owning one), by name; `ids`: only these.
 */
export async function listContractOwners(db: Queryable, options: { ids?: readonly string[] } = {}): Promise<ContractOwner[]> {
  const { rows } = await db.query(
    `SELECT u.id, u.name, u.role, u.deactivated_at IS NULL AS active FROM users u
      WHERE (u.role = 'sales' OR EXISTS (SELECT 1 FROM contracts c WHERE c.owner_id = u.id))
        AND ($1::text[] IS NULL OR u.id = ANY($1::text[]))
      ORDER BY u.name, u.id`,
    [options.ids ? [...options.ids] : null],
  );
  return rows as ContractOwner[];
}

/** The user's user name, or null (none yet, or no such user). */
export async function findUsername(db: Queryable, userId: string): Promise<string | null> {
  const { rows } = await db.query(`SELECT username FROM users WHERE id = $1`, [userId]);
  return (rows[0]?.username as string | null | undefined) ?? null;
}
