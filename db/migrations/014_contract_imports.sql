-- Contracts brought in from an existing (paper) contract book: the branch's
-- own reference (importing the same one again changes nothing) and when the
-- contract entered the system (a lapse before that moment is never answered
-- with an automatic breach notice).
ALTER TABLE contracts
  ADD COLUMN external_ref text,
  ADD COLUMN imported_at timestamptz;
CREATE UNIQUE INDEX contracts_external_ref_idx ON contracts (external_ref) WHERE external_ref IS NOT NULL;
