-- Art.5 §8 at any size: an outage's affected contracts are written with the
-- outage row in one statement (outage_contracts: no audit, no lock per
-- contract), and its workflow opens their cases and walks them in id-ordered
-- pages (keyset: WHERE outage_id = $1 AND id > $last ORDER BY id LIMIT n).
-- Opening 20,000 cases in the reporting transaction took an advisory lock per
-- contract (the audit chain) and ran out of shared memory.
CREATE TABLE outage_contracts (
  outage_id   text NOT NULL REFERENCES outages (id),
  contract_id text NOT NULL REFERENCES contracts (id),
  PRIMARY KEY (outage_id, contract_id)
);

CREATE INDEX legal_cases_outage_page_idx ON legal_cases (outage_id, id) WHERE outage_id IS NOT NULL;
