-- Outgoing webhooks. appendAudit enqueues one delivery per matching active
-- subscription in the same statement as the audit event (so in the same
-- transaction as the change); the worker's dispatcher sends them, signed,
-- with exponential backoff for up to 3 days, and logs every attempt.

CREATE TABLE webhook_subscriptions (
  id          text PRIMARY KEY,
  url         text NOT NULL,
  -- exact event types ('contract.activated'), a family ('invoice.*') or everything ('*')
  events      text[] NOT NULL CHECK (cardinality(events) > 0),
  -- the HMAC key must be usable to sign, so it cannot be hashed; it is returned once, at creation
  secret      text NOT NULL,
  description text NOT NULL DEFAULT '',
  active      boolean NOT NULL DEFAULT true,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_deliveries (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subscription_id  text NOT NULL REFERENCES webhook_subscriptions (id),
  -- the same for every subscriber and every attempt of one event: receivers deduplicate on it
  event_id         text NOT NULL,
  event_type       text NOT NULL,
  audit_event_id   bigint NOT NULL,
  -- the exact bytes sent on every attempt
  body             text NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  -- a dispatcher holds the row until then; a crashed dispatcher's rows are picked up after it
  locked_until     timestamptz,
  last_status_code integer,
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  delivered_at     timestamptz,
  UNIQUE (subscription_id, event_id)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_subscription_idx ON webhook_deliveries (subscription_id, id DESC);

CREATE TABLE webhook_attempts (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  delivery_id  bigint NOT NULL REFERENCES webhook_deliveries (id),
  attempt      integer NOT NULL,
  at           timestamptz NOT NULL DEFAULT now(),
  status_code  integer,
  error        text,
  duration_ms  integer NOT NULL
);
CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, attempt);

GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_subscriptions, webhook_deliveries, webhook_attempts TO sms_app;
