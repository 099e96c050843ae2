/**
 * What the user routes answer, as types only (no runtime code): the web
 * console imports them (`import type`).
 */
import type { Role, User } from '../../db/users';

/** A role a user has (db/users.ts ROLES). */
export type RoleView = Role;

/** GET /api/me: who the token belongs to. */
export type MeView = User;
