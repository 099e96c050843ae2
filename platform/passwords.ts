/**
 * Password hashing with argon2id (@node-rs/argon2, its defaults: 19 MiB,
 * 2 passes, 1 lane, a random 16-byte salt per hash), stored as the PHC string.
 * Verification is the library's constant-time comparison; a sign-in for a user
 * name that does not exist (or has no password) verifies against a dummy hash,
 * so both failures take about as long as a wrong password.
 */
import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { refusal } from '../domain/error-reasons';

/** The shortest password accepted. */
export const PASSWORD_MIN_LENGTH = 10;
/** The longest (argon2 takes any length; this bounds the work a request can ask for). */
export const PASSWORD_MAX_LENGTH = 256;

export const hashPassword = (password: string): Promise<string> => hash(password);

let dummy: Promise<string> | undefined;

/**
 * Whether the password is the one `passwordHash` was made from. With a null
 * hash (no such user, or one without a password) a dummy hash is verified and
 * the answer is false.
 */
export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (passwordHash === null) {
    dummy ??= hash(randomBytes(24).toString('base64url'));
    await verify(await dummy, password).catch(() => false);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    // not a hash this library reads: no password matches it
    return false;
  }
}

/** A random password for a generated account (20 characters of base64url: 120 bits). */
export const generatePassword = (): string => randomBytes(15).toString('base64url');

/** Refuses a password shorter than the policy's minimum: 400 PASSWORD_TOO_SHORT naming the field. */
export function assertPasswordPolicy(password: string, field: string): void {
  if ([...password].length < PASSWORD_MIN_LENGTH) {
    throw refusal('password.too_short', { minLength: PASSWORD_MIN_LENGTH }, `the password must be at least ${PASSWORD_MIN_LENGTH} characters long`, {
      issues: [{ path: `body.${field}`, message: `must be at least ${PASSWORD_MIN_LENGTH} characters long` }],
    });
  }
}
