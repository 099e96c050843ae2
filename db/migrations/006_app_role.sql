-- The application's own database role, sms_app: it reads and writes every
-- table but may only add to the audit log (no UPDATE, DELETE or TRUNCATE on
-- audit_events; the append-only trigger of 001 also stops everyone else).
-- Roles are cluster-wide: create it only if missing (LOGIN, no password: set
-- one, or use trust/peer/certificate auth, where it is deployed), tolerate a
-- concurrent migration of another database creating it at the same moment.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sms_app') THEN
    BEGIN
      CREATE ROLE sms_app LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
  END IF;
END $$;

DO $$
BEGIN
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO sms_app', current_database());
END $$;
GRANT USAGE ON SCHEMA public TO sms_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO sms_app;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM sms_app;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO sms_app;

-- tables and sequences of later migrations (run by the migrating owner) get the same grants;
-- a later migration adding an append-only table revokes as above
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO sms_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO sms_app;
-- the migration ledger is the migrator's, not the application's
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM sms_app;
