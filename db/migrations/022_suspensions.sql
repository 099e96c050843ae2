-- Art.4 §9: a suspension of a contract's service pending rectification is a
-- legal case of kind 'suspension' (suspended → rectified, or lapsed for legal
-- to terminate or extend). While one is open (closed_at IS NULL) every SMS
-- submission under the contract is refused; a contract has at most one open.
ALTER TABLE legal_cases DROP CONSTRAINT legal_cases_kind_check;
ALTER TABLE legal_cases ADD CONSTRAINT legal_cases_kind_check CHECK (kind IN ('breach', 'outage', 'violation', 'force_majeure', 'suspension'));

ALTER TABLE legal_cases DROP CONSTRAINT legal_cases_status_check;
ALTER TABLE legal_cases ADD CONSTRAINT legal_cases_status_check CHECK (status IN (
  'served', 'negotiating', 'escalated', 'cured', 'settled', 'withdrawn',
  'pending', 'held', 'late', 'notified', 'notified_late', 'restored',
  'reported', 'detected', 'confirmed', 'dismissed',
  'declared', 'proof_overdue', 'proof_filed', 'proof_filed_late',
  'suspended', 'lapsed', 'rectified'));

CREATE UNIQUE INDEX legal_cases_one_open_suspension ON legal_cases (contract_id) WHERE kind = 'suspension' AND closed_at IS NULL;
