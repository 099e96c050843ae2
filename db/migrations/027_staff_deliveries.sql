-- Work items and the daily digest reach staff outside the console: by e-mail
-- (SMTP) and by SMS through the one dispatcher (Party B's own message).
--
-- A staff member's contact details, set by an admin: an e-mail address and a
-- mainland mobile number in E.164 (+86…).
ALTER TABLE users ADD COLUMN email text
  CONSTRAINT users_email_shape CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+$' AND length(email) <= 254);
ALTER TABLE users ADD COLUMN phone text
  CONSTRAINT users_phone_shape CHECK (phone ~ '^\+861[3-9][0-9]{9}$');

-- The delivery outbox: one row per (notification, staff member, channel),
-- written in the transaction that raises the work item (or records the
-- digest), so a crash between the two loses nothing and a retried activity
-- writes nothing twice. The worker's deliverer (workflows/staff-deliveries.ts,
-- run by a Temporal Schedule) claims due rows and sends them:
--   pending  → due at next_attempt_at (NULL: at once)
--   sending  → claimed until claimed_until; send_started_at is written just
--              before the SMTP transaction or the SMS submission
--   sent     → the server accepted it (e-mail) or the dispatcher took it (SMS)
--   failed   → refused for good, or out of attempts
--   skipped  → not sent on purpose: the channel is off (no SMTP_URL), or the
--              item was closed before its turn
--   unknown  → an e-mail whose SMTP transaction was interrupted (the worker
--              died after send_started_at): never sent again, so it is never
--              sent twice (an SMS is safe to resubmit: its dispatch is keyed)
CREATE TABLE staff_deliveries (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  notification_id  text NOT NULL REFERENCES notifications (id),
  work_item_id     bigint REFERENCES work_items (id),
  user_id          text NOT NULL REFERENCES users (id),
  channel          text NOT NULL CHECK (channel IN ('email', 'sms')),
  recipient        text NOT NULL,                  -- the address or E.164 number when it was written
  contract_id      text REFERENCES contracts (id), -- SMS: the contract the notice is recorded under
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped', 'unknown')),
  attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at  timestamptz,
  claimed_until    timestamptz,
  send_started_at  timestamptz,
  last_error       text,
  outcome          text,                           -- the SMTP server's answer, or the SMS submission id
  sent_at          timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (notification_id, user_id, channel),
  CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
  CHECK (channel <> 'sms' OR contract_id IS NOT NULL)
);
-- the deliverer's claim: the due rows in order
CREATE INDEX staff_deliveries_due_idx ON staff_deliveries (next_attempt_at NULLS FIRST, id) WHERE status IN ('pending', 'sending');
CREATE INDEX staff_deliveries_item_idx ON staff_deliveries (work_item_id) WHERE work_item_id IS NOT NULL;
