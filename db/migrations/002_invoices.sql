-- Invoices, payments, quota grants (paid top-ups) and legal cases opened
-- automatically (non-payment); the deadlines read model learns which
-- workflow holds each deadline.

ALTER TABLE deadlines ADD COLUMN workflow_id text;
UPDATE deadlines SET workflow_id = split_part(id, ':', 1);
ALTER TABLE deadlines ALTER COLUMN workflow_id SET NOT NULL;
CREATE INDEX deadlines_workflow_idx ON deadlines (workflow_id);

CREATE TABLE invoices (
  number            text PRIMARY KEY,       -- derived from the contract and the period: a retry cannot issue a second one
  contract_id       text NOT NULL REFERENCES contracts (id),
  kind              text NOT NULL CHECK (kind IN ('initial_term', 'renewal', 'top_up')),
  period_label      text NOT NULL,
  amount_fen        bigint NOT NULL CHECK (amount_fen > 0),
  vat_rate_percent  numeric(5, 2) NOT NULL,
  invoice_type      text NOT NULL CHECK (invoice_type IN ('vat_special', 'vat_ordinary')),
  status            text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'paid', 'overdue')),
  paid_fen          bigint NOT NULL DEFAULT 0 CHECK (paid_fen >= 0 AND paid_fen <= amount_fen),
  issued_at         timestamptz NOT NULL,
  due_at            timestamptz NOT NULL,
  due_explanation   text NOT NULL,
  paid_at           timestamptz,
  overdue_at        timestamptz,
  top_up_sms        integer CHECK (top_up_sms IS NULL OR top_up_sms > 0),
  workflow_id       text NOT NULL,
  billing_system    text NOT NULL DEFAULT 'ledger',
  external_id       text,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invoices_contract_idx ON invoices (contract_id, issued_at);
CREATE INDEX invoices_status_due_idx ON invoices (status, due_at);

CREATE TABLE payments (
  contract_id     text NOT NULL REFERENCES contracts (id),
  reference       text NOT NULL,             -- the bank's reference: counted once per contract
  invoice_number  text NOT NULL REFERENCES invoices (number),
  amount_fen      bigint NOT NULL CHECK (amount_fen > 0),
  paid_at         timestamptz NOT NULL,
  method          text NOT NULL,
  recorded_by     text NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (contract_id, reference)
);
CREATE INDEX payments_invoice_idx ON payments (invoice_number);

CREATE TABLE top_ups (
  contract_id     text NOT NULL REFERENCES contracts (id),
  seq             integer NOT NULL,
  sms             integer NOT NULL CHECK (sms > 0),
  price_fen       bigint NOT NULL CHECK (price_fen > 0),
  invoice_number  text NOT NULL,
  requested_by    text NOT NULL,
  requested_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (contract_id, seq)
);

-- Quota granted on top of the package, per contract year; only paid top-ups land here.
CREATE TABLE quota_grants (
  invoice_number  text PRIMARY KEY REFERENCES invoices (number),
  contract_id     text NOT NULL REFERENCES contracts (id),
  contract_year   integer NOT NULL,
  sms             integer NOT NULL CHECK (sms > 0),
  granted_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX quota_grants_contract_idx ON quota_grants (contract_id, contract_year);

CREATE TABLE legal_cases (
  id            text PRIMARY KEY,             -- derived from what opened it, e.g. nonpayment-<invoice number>
  kind          text NOT NULL CHECK (kind IN ('breach', 'outage', 'violation', 'force_majeure')),
  contract_id   text REFERENCES contracts (id),
  status        text NOT NULL,
  served_by     text CHECK (served_by IN ('A', 'B')),
  clause        text,
  description   text NOT NULL,
  opened_at     timestamptz NOT NULL,
  due_at        timestamptz,
  due_explanation text,
  opened_by     text NOT NULL,
  workflow_id   text,
  data          jsonb NOT NULL DEFAULT '{}',
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX legal_cases_contract_idx ON legal_cases (contract_id);
CREATE INDEX legal_cases_status_idx ON legal_cases (status, due_at);

CREATE TABLE case_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id     text NOT NULL REFERENCES legal_cases (id),
  at          timestamptz NOT NULL DEFAULT now(),
  type        text NOT NULL,
  actor_id    text NOT NULL,
  data        jsonb NOT NULL DEFAULT '{}',
  dedupe_key  text UNIQUE
);
CREATE INDEX case_events_case_idx ON case_events (case_id, id);
