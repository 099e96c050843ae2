-- Users, tokens, contracts, signatures, documents, deadlines, notifications,
-- the audit log, idempotency keys and the workflow-start outbox.

CREATE TABLE users (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  role        text NOT NULL CHECK (role IN ('sales', 'legal', 'finance', 'customer', 'operations', 'admin')),
  -- a customer operator acts only for this party A organisation's contracts
  organisation text,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_tokens (
  token_hash  text PRIMARY KEY,          -- sha256 of a 256-bit random token; the token itself is never stored
  user_id     text NOT NULL REFERENCES users (id),
  label       text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);

CREATE SEQUENCE contract_number_seq;

CREATE TABLE contracts (
  id                  text PRIMARY KEY,
  number              text NOT NULL UNIQUE,
  owner_id            text NOT NULL REFERENCES users (id),
  status              text NOT NULL CHECK (status IN ('awaiting_signatures', 'active', 'lapsed', 'expired', 'terminated', 'frozen')),
  terms               jsonb NOT NULL,
  party_a_name        text NOT NULL,
  party_b_name        text NOT NULL,
  effective_at        timestamptz,
  term_ends_at        timestamptz,
  workflow_id         text NOT NULL UNIQUE,
  workflow_started_at timestamptz,
  idempotency_key     text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (owner_id, idempotency_key)
);
CREATE INDEX contracts_status_created_idx ON contracts (status, created_at DESC);
CREATE INDEX contracts_owner_created_idx ON contracts (owner_id, created_at DESC);
CREATE INDEX contracts_party_a_idx ON contracts (party_a_name);

CREATE TABLE signatures (
  contract_id  text NOT NULL REFERENCES contracts (id),
  party        text NOT NULL CHECK (party IN ('A', 'B')),
  signer       text NOT NULL,
  title        text NOT NULL,
  sealed       boolean NOT NULL,
  signed_at    timestamptz NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  recorded_by  text NOT NULL,
  PRIMARY KEY (contract_id, party)
);

CREATE TABLE documents (
  id           text PRIMARY KEY,          -- derived from the contract and the step that produced it
  contract_id  text NOT NULL REFERENCES contracts (id),
  kind         text NOT NULL,
  title        text NOT NULL,
  sha256       text NOT NULL,
  size_bytes   integer NOT NULL,
  content      bytea NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX documents_contract_idx ON documents (contract_id, created_at);

-- Read model of every open deadline (the workflow holds the timers; this table
-- serves lists, digests and calendars).
CREATE TABLE deadlines (
  id           text PRIMARY KEY,          -- <workflow id>:<kind>:<ref>
  contract_id  text REFERENCES contracts (id),
  kind         text NOT NULL,
  due_at       timestamptz NOT NULL,
  explanation  text NOT NULL,
  explanation_en text NOT NULL DEFAULT '',
  status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'met', 'lapsed', 'cancelled')),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deadlines_open_due_idx ON deadlines (due_at) WHERE status = 'open';
CREATE INDEX deadlines_contract_idx ON deadlines (contract_id);

CREATE TABLE notifications (
  id            text PRIMARY KEY,         -- derived from the workflow and step: a retry records nothing twice
  contract_id   text REFERENCES contracts (id),
  audience      text NOT NULL,            -- party_a_contact, party_b_contact, owner, finance, legal, operations
  recipient     text NOT NULL,
  phone         text,
  reason        text NOT NULL,
  subject       text NOT NULL,
  body          text NOT NULL,
  channel       text NOT NULL DEFAULT 'record',
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_contract_idx ON notifications (contract_id, created_at);

CREATE TABLE audit_events (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at           timestamptz NOT NULL DEFAULT now(),
  contract_id  text REFERENCES contracts (id),
  type         text NOT NULL,
  actor_id     text NOT NULL,
  actor_role   text NOT NULL,
  request_id   text,
  before       jsonb,
  after        jsonb,
  data         jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_contract_idx ON audit_events (contract_id, id);

-- The audit log is append-only for everyone: rows can be added, never changed or removed.
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

CREATE TABLE idempotency_keys (
  actor_id      text NOT NULL,
  key           text NOT NULL,
  route         text NOT NULL,
  request_hash  text NOT NULL,
  status_code   integer,
  response      jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  completed_at  timestamptz,
  PRIMARY KEY (actor_id, key)
);

-- Workflow starts owed for committed rows: written in the same transaction as
-- the row, removed once the start succeeded; a sweeper retries what is left.
CREATE TABLE workflow_outbox (
  workflow_id  text PRIMARY KEY,
  workflow     text NOT NULL,
  input        jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  attempts     integer NOT NULL DEFAULT 0,
  last_error   text
);

CREATE TABLE holiday_overrides (
  date        date PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('rest', 'work')),
  name        text NOT NULL DEFAULT '',
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
