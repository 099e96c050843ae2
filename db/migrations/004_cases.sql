-- Legal cases of every kind (breach and cure, outage notices, content
-- violations, force majeure): the case's current deadline and flags, the
-- outages behind outage cases, the documents of each case, and the package
-- forfeited when a violation freezes an account.

ALTER TABLE legal_cases
  ADD COLUMN due_kind   text,                 -- the kind of the deadline in due_at (cure, negotiation, outage_notice, force_majeure_proof)
  ADD COLUMN closed_at  timestamptz,
  ADD COLUMN flags      text[] NOT NULL DEFAULT '{}',
  ADD COLUMN outage_id  text;

ALTER TABLE legal_cases ADD CONSTRAINT legal_cases_status_check CHECK (status IN (
  'served', 'negotiating', 'escalated', 'cured', 'settled', 'withdrawn',
  'pending', 'held', 'late', 'notified', 'notified_late', 'restored',
  'reported', 'detected', 'confirmed', 'dismissed',
  'declared', 'proof_overdue', 'proof_filed', 'proof_filed_late'));
ALTER TABLE case_events ADD COLUMN actor_role text;

CREATE INDEX legal_cases_open_due_idx ON legal_cases (due_at NULLS LAST, opened_at) WHERE closed_at IS NULL;
CREATE INDEX legal_cases_outage_idx ON legal_cases (outage_id) WHERE outage_id IS NOT NULL;

CREATE TABLE outages (
  id                text PRIMARY KEY,
  started_at        timestamptz NOT NULL,
  learned_at        timestamptz NOT NULL,            -- the notice period (Art.5 §8) runs from here
  cause             text NOT NULL CHECK (cause IN ('adjustment', 'upgrade', 'expansion', 'network', 'equipment', 'other')),
  description       text NOT NULL,
  scope             text NOT NULL CHECK (scope IN ('all', 'listed')),
  status            text NOT NULL CHECK (status IN ('pending', 'held', 'late', 'notified', 'notified_late', 'restored')),
  notice_due_at     timestamptz NOT NULL,
  notice_explanation text NOT NULL,
  held_by           text,
  held_at           timestamptz,
  hold_reason       text,
  alerted_at        timestamptz,
  late_at           timestamptz,
  notified_at       timestamptz,
  notified_by       text,
  restored_at       timestamptz,
  reported_by       text NOT NULL,
  workflow_id       text NOT NULL UNIQUE,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE legal_cases ADD CONSTRAINT legal_cases_outage_fk FOREIGN KEY (outage_id) REFERENCES outages (id);

CREATE TABLE case_documents (
  case_id      text NOT NULL REFERENCES legal_cases (id),
  document_id  text NOT NULL REFERENCES documents (id),
  role         text NOT NULL,                  -- breach_notice, cure_confirmation, objection, proof, outage_notice…
  added_by     text NOT NULL,
  added_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, document_id)
);

-- Art.8 §5: a confirmed violation freezes the account for good; what was left of the package is forfeited.
CREATE TABLE forfeitures (
  case_id             text PRIMARY KEY REFERENCES legal_cases (id),
  contract_id         text NOT NULL UNIQUE REFERENCES contracts (id),
  frozen_at           timestamptz NOT NULL,
  contract_year       integer,
  year_quota_sms      integer NOT NULL,          -- the frozen contract year's package plus paid top-ups
  later_years         integer NOT NULL,          -- whole paid contract years not yet begun
  later_years_sms     integer NOT NULL,
  detail              jsonb NOT NULL DEFAULT '{}',
  recorded_by         text NOT NULL,
  recorded_at         timestamptz NOT NULL DEFAULT now()
);
