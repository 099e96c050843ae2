/**
 * Users and their API tokens. Tokens are 256-bit random strings; only their
 * SHA-256 is stored (a fast hash is right for high-entropy secrets).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from './pool';

export const ROLES = ['sales', 'legal', 'finance', 'customer', 'operations', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type User = { id: string; name: string; role: Role; organisation: string | null };

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
export const generateToken = () => `smsc_${randomBytes(32).toString('base64url')}`;

export async function upsertUser(db: Queryable, user: User): Promise<void> {
  await db.query(
    `INSERT INTO users (id, name, role, organisation) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, role = EXCLUDED.role, organisation = EXCLUDED.organisation`,
    [user.id, user.name, user.role, user.organisation],
  );
}

export async function findUser(db: Queryable, id: string): Promise<User | null> {
  const { rows } = await db.query('SELECT id, name, role, organisation FROM users WHERE id = $1', [id]);
  return (rows[0] as User | undefined) ?? null;
}

/** Issues a new token for the user and returns it; it is shown once and never stored in clear. */
export async function issueToken(db: Queryable, userId: string, label = ''): Promise<string> {
  const token = generateToken();
  await db.query('INSERT INTO api_tokens (token_hash, user_id, label) VALUES ($1, $2, $3)', [hashToken(token), userId, label]);
  return token;
}

/** Registers a token chosen outside (ADMIN_TOKEN) for the user, idempotently. */
export async function registerToken(db: Queryable, userId: string, token: string, label: string): Promise<void> {
  await db.query(
    `INSERT INTO api_tokens (token_hash, user_id, label) VALUES ($1, $2, $3) ON CONFLICT (token_hash) DO UPDATE SET revoked_at = NULL`,
    [hashToken(token), userId, label],
  );
}

export async function findUserByToken(db: Queryable, token: string): Promise<User | null> {
  const { rows } = await db.query(
    `SELECT u.id, u.name, u.role, u.organisation FROM api_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL`,
    [hashToken(token)],
  );
  return (rows[0] as User | undefined) ?? null;
}
