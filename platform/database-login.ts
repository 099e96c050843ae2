/**
 * How the application's processes (the API, the worker, audit:verify) log in
 * to Postgres. Migrations run as DATABASE_URL's user, the owner of the schema;
 * the application runs as the least-privileged role DATABASE_ROLE (sms_app,
 * migration 006), which may only append to the audit log:
 *
 * - with DATABASE_APP_PASSWORD, it logs in as that role itself, with that
 *   password, on DATABASE_URL's host, port and database (and its other
 *   parameters): `session_user` is the role, and no statement can become the
 *   owner (`RESET ROLE`, `SET ROLE NONE` leave it the role);
 * - without, it logs in as DATABASE_URL's user and every session starts as
 *   the role through the connection's `options` (db/pool.ts `role`), which a
 *   statement can undo (`SET ROLE NONE`): production warns at start
 *   (`sharedLoginWarning`).
 *
 * Migrations (db/migrate.ts) give the role the password after applying
 * (`appLoginOf`), so the two always agree.
 */
import type { Config } from './config';

/** The connection settings db/pool.ts createDb takes. */
export type DatabaseLogin = { connectionString: string; role: string | undefined };

type LoginSettings = Pick<Config, 'databaseRole' | 'databaseAppPassword'>;

/** The application's login to the database of `databaseUrl`. */
export function appDatabaseLogin(databaseUrl: string, settings: LoginSettings): DatabaseLogin {
  const login = appLoginOf(settings);
  if (!login) return { connectionString: databaseUrl, role: settings.databaseRole };
  const url = new URL(databaseUrl);
  // percent-encoded first: the URL's setters leave `%` as it is, and the driver decodes once
  url.username = encodeURIComponent(login.role);
  url.password = encodeURIComponent(login.password);
  // no SET ROLE: the session is the role's own
  return { connectionString: url.toString(), role: undefined };
}

/** The role and password migrations give the application's login, or undefined (no password: the role logs in as before, SET ROLE). */
export function appLoginOf(settings: LoginSettings): { role: string; password: string } | undefined {
  return settings.databaseAppPassword && settings.databaseRole ? { role: settings.databaseRole, password: settings.databaseAppPassword } : undefined;
}

/** The warning a production start logs when the application shares the owner's login, or undefined. */
export function sharedLoginWarning(config: Pick<Config, 'env'> & LoginSettings): string | undefined {
  if (config.env !== 'production' || config.databaseAppPassword || !config.databaseRole) return undefined;
  return `DATABASE_APP_PASSWORD is unset: the application logs in as DATABASE_URL's user (the schema's owner) and only sets the role ${config.databaseRole}, which any statement can undo (SET ROLE NONE); set DATABASE_APP_PASSWORD to log in as ${config.databaseRole} itself (docs/security.md)`;
}
