-- Renewal objections, renewals, terminations, supplemental agreements and
-- the daily renewal digest.

CREATE TABLE renewal_objections (
  contract_id  text NOT NULL REFERENCES contracts (id),
  term_ends_at timestamptz NOT NULL,        -- the term the objection is about
  party        text NOT NULL CHECK (party IN ('A', 'B')),
  reason       text NOT NULL,
  recorded_by  text NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (contract_id, term_ends_at)
);

CREATE TABLE renewals (
  contract_id      text NOT NULL REFERENCES contracts (id),
  seq              integer NOT NULL,
  previous_end_at  timestamptz NOT NULL,
  new_end_at       timestamptz NOT NULL,
  invoice_number   text NOT NULL,
  renewed_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (contract_id, seq)
);

CREATE TABLE terminations (
  contract_id   text PRIMARY KEY REFERENCES contracts (id),
  reason        text NOT NULL,
  effective_at  timestamptz NOT NULL,
  recorded_by   text NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE amendments (
  contract_id   text NOT NULL REFERENCES contracts (id),
  seq           integer NOT NULL,
  description   text NOT NULL,
  changes       jsonb NOT NULL,
  status        text NOT NULL CHECK (status IN ('proposed', 'signed')),
  signatures    jsonb NOT NULL DEFAULT '[]',
  proposed_by   text NOT NULL,
  proposed_at   timestamptz NOT NULL DEFAULT now(),
  signed_at     timestamptz,
  PRIMARY KEY (contract_id, seq)
);

CREATE TABLE digests (
  id            text PRIMARY KEY,            -- the Shanghai date it covers
  generated_at  timestamptz NOT NULL DEFAULT now(),
  horizon_days  integer NOT NULL,
  content       jsonb NOT NULL
);
