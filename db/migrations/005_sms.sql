-- Contract-aware SMS sending: submissions, one row per recipient,
-- one row per SMPP part with its SMSC message id, the quota debited per
-- contract year, the suppression list per customer, the sender address each
-- contract sends from (MO replies are routed back by it), delivery receipts
-- that arrived before their part was recorded, and the inbound (MO) log.

-- The sender address (service code + extension) of a contract's messages.
CREATE SEQUENCE sms_sender_seq;
CREATE TABLE sms_senders (
  contract_id  text PRIMARY KEY REFERENCES contracts (id),
  source_addr  text NOT NULL UNIQUE,
  customer     text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- One POST /api/contracts/:id/messages: its id is the dispatch workflow's id,
-- derived from the contract and the caller's idempotency key.
CREATE TABLE sms_submissions (
  id                text PRIMARY KEY,
  contract_id       text NOT NULL REFERENCES contracts (id),
  customer          text NOT NULL,
  idempotency_key   text NOT NULL,
  request_hash      text NOT NULL,
  category          text NOT NULL CHECK (category IN ('notification', 'marketing', 'alert')),
  content           text NOT NULL,
  appended_unsubscribe boolean NOT NULL DEFAULT false,
  encoding          text NOT NULL CHECK (encoding IN ('GSM7', 'UCS2')),
  parts_per_message integer NOT NULL CHECK (parts_per_message BETWEEN 1 AND 255),
  source_addr       text NOT NULL,
  keyword_list_version text NOT NULL,
  contract_year     integer NOT NULL,
  -- inputs that never became a message: invalid numbers and in-request duplicates
  unlisted          jsonb NOT NULL DEFAULT '[]',
  requested_by      text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (contract_id, idempotency_key)
);
CREATE INDEX sms_submissions_contract_idx ON sms_submissions (contract_id, created_at);

-- One recipient of a submission. `decision` is what the submission answered
-- (accepted, held, rejected, suppressed) and never changes afterwards;
-- `status` follows the message to its end.
CREATE TABLE sms_messages (
  id              text PRIMARY KEY,              -- <submission id>:<index in the request>
  submission_id   text NOT NULL REFERENCES sms_submissions (id),
  contract_id     text NOT NULL REFERENCES contracts (id),
  customer        text NOT NULL,
  seq             integer NOT NULL,
  recipient       text NOT NULL,                 -- E.164
  member          boolean,
  category        text NOT NULL CHECK (category IN ('notification', 'marketing', 'alert')),
  content_hash    text NOT NULL,
  parts           integer NOT NULL CHECK (parts BETWEEN 1 AND 255),
  decision        text NOT NULL CHECK (decision IN ('accepted', 'held', 'rejected', 'suppressed')),
  reason          text,
  status          text NOT NULL CHECK (status IN ('queued', 'held', 'sending', 'submitted', 'delivered', 'failed', 'expired', 'rejected', 'suppressed', 'cancelled')),
  contract_year   integer NOT NULL,
  debited_parts   integer NOT NULL DEFAULT 0 CHECK (debited_parts >= 0),
  send_at         timestamptz,                   -- held: the next opening of the window
  released_at     timestamptz,                   -- workflow time it was handed to the transport
  submitted_at    timestamptz,                   -- every part accepted by the SMSC (or ambiguous)
  final_at        timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (submission_id, seq)
);
CREATE INDEX sms_messages_contract_idx ON sms_messages (contract_id, created_at);
CREATE INDEX sms_messages_caps_idx ON sms_messages (customer, recipient, created_at);
CREATE INDEX sms_messages_open_idx ON sms_messages (submission_id, seq) WHERE status IN ('queued', 'held', 'sending', 'submitted');

-- One submit_sm. `ref` is derived from the workflow, the message and the part,
-- so a retried activity finds the part it already handed over.
--   pending    → not handed over (a definite refusal put it back)
--   submitting → written to the link, answer not yet recorded
--   submitted  → accepted, with the SMSC's message id
--   unknown    → ambiguous (link lost or no answer): resolved by a receipt or resubmitted after a grace period
--   delivered / failed / expired → final
CREATE TABLE sms_parts (
  message_id       text NOT NULL REFERENCES sms_messages (id),
  part_no          integer NOT NULL,
  ref              text NOT NULL UNIQUE,
  recipient        text NOT NULL,
  state            text NOT NULL CHECK (state IN ('pending', 'submitting', 'submitted', 'unknown', 'delivered', 'failed', 'expired')),
  attempts         integer NOT NULL DEFAULT 0,
  smsc_message_id  text,
  smsc_status      text,
  last_error       text,
  submitting_at    timestamptz,
  submitted_at     timestamptz,
  final_at         timestamptz,
  PRIMARY KEY (message_id, part_no)
);
CREATE INDEX sms_parts_smsc_id_idx ON sms_parts (smsc_message_id) WHERE smsc_message_id IS NOT NULL;
CREATE INDEX sms_parts_ambiguous_idx ON sms_parts (recipient, submitting_at) WHERE state IN ('submitting', 'unknown');

-- Delivery receipts whose message id matched no part yet (the receipt beat
-- the record, or the part's submit was ambiguous). Claimed, then deleted.
CREATE TABLE sms_orphan_receipts (
  smsc_message_id  text NOT NULL,
  stat             text NOT NULL,
  outcome          text NOT NULL,
  error            text,
  recipient        text,                          -- E.164 when the SMSC wrote a Chinese mobile number
  received_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (smsc_message_id, stat)
);
CREATE INDEX sms_orphan_receipts_recipient_idx ON sms_orphan_receipts (recipient, received_at);

-- Parts debited per contract year (package + paid top-ups is the limit).
CREATE TABLE sms_quota_usage (
  contract_id    text NOT NULL REFERENCES contracts (id),
  contract_year  integer NOT NULL,
  used_parts     bigint NOT NULL DEFAULT 0 CHECK (used_parts >= 0),
  PRIMARY KEY (contract_id, contract_year)
);

-- Art.4 §6: a number that opted out or complained is never sent to again by this customer.
CREATE TABLE sms_suppressions (
  customer     text NOT NULL,
  recipient    text NOT NULL,
  source       text NOT NULL CHECK (source IN ('mo_reply', 'complaint', 'opt_out')),
  contract_id  text REFERENCES contracts (id),
  detail       text,
  recorded_by  text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (customer, recipient)
);

-- Inbound (MO) messages as far as they matter: who, to which sender, opt-out or not.
-- The text itself is not kept.
CREATE TABLE sms_inbound (
  id            text PRIMARY KEY,                -- derived from sender, destination, text and minute: a redelivered deliver_sm is recorded once
  source        text NOT NULL,
  destination   text NOT NULL,
  customer      text,
  contract_id   text REFERENCES contracts (id),
  opt_out       boolean NOT NULL,
  matched       text,
  received_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sms_inbound_contract_idx ON sms_inbound (contract_id, received_at);
