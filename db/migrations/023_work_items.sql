-- The work queue: every alert and decision waiting for a person is
-- an item addressed to a role or to one user, linked to its contract, case,
-- outage or invoice, with a due time and the states open → acknowledged → done.
-- Items are derived from the staff notifications the workflows record
-- (db/notifications.ts, domain/work-items.ts), keyed by the notification id, so
-- a retried activity never makes a second one; an item closes itself
-- (closed_reason 'resolved') in the transaction that resolves its cause.
CREATE TABLE work_items (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key             text NOT NULL UNIQUE,            -- the notification id: <workflow id>:<step>:<audience>
  kind            text NOT NULL,
  reason          text NOT NULL,                   -- the notification's reason
  role            text CHECK (role IS NULL OR role IN ('sales', 'legal', 'finance', 'operations', 'admin')),
  user_id         text REFERENCES users (id),
  contract_id     text REFERENCES contracts (id),
  case_id         text REFERENCES legal_cases (id),
  outage_id       text REFERENCES outages (id),
  invoice_number  text REFERENCES invoices (number),
  title           text NOT NULL,
  body            text NOT NULL,
  due_at          timestamptz,
  state           text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acknowledged', 'done')),
  acknowledged_at timestamptz,
  acknowledged_by text,
  done_at         timestamptz,
  done_by         text,
  closed_reason   text CHECK (closed_reason IS NULL OR closed_reason IN ('resolved', 'by_user')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (role IS NOT NULL OR user_id IS NOT NULL),
  CHECK ((state = 'done') = (done_at IS NOT NULL AND closed_reason IS NOT NULL)),
  CHECK (state = 'open' OR acknowledged_at IS NOT NULL OR state = 'done')
);
-- an inbox: the unfinished items of a user or of a role, soonest due first
CREATE INDEX work_items_user_idx ON work_items (user_id, state, due_at) WHERE user_id IS NOT NULL;
CREATE INDEX work_items_role_idx ON work_items (role, state, due_at) WHERE role IS NOT NULL;
-- self-closing: the unfinished items of a case, outage, invoice or contract
CREATE INDEX work_items_case_idx ON work_items (case_id) WHERE case_id IS NOT NULL AND state <> 'done';
CREATE INDEX work_items_outage_idx ON work_items (outage_id) WHERE outage_id IS NOT NULL AND state <> 'done';
CREATE INDEX work_items_invoice_idx ON work_items (invoice_number) WHERE invoice_number IS NOT NULL AND state <> 'done';
CREATE INDEX work_items_contract_idx ON work_items (contract_id) WHERE contract_id IS NOT NULL AND state <> 'done';
