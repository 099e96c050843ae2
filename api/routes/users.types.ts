/**
 * What the user routes answer, as types only (no runtime code): the web
 * console imports them (`import type`).
 */
import type { Role, User, UserAccount } from '../../db/users';

/** A role a user has (db/users.ts ROLES). */
export type RoleView = Role;

/** GET /api/me: who the token belongs to. */
export type MeView = User;

/** POST and GET /api/session: who signed in, the session's CSRF token (null for a bearer token) and when it ends at the latest. */
export type SessionView = { user: User; csrfToken: string | null; expiresAt: string | null };

/** GET /api/users: a user as the admin's list shows them (never a hash or a token). */
export type UserAccountView = UserAccount;

/** POST /api/users: the user created and their first API token (shown once). */
export type CreatedUserView = { user: Pick<UserAccount, 'id' | 'name' | 'role' | 'organisation' | 'organisationCreditCode' | 'username' | 'hasPassword'>; token: string | null };
