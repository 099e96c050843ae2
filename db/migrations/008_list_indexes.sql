-- Indexes for the contract list (db/contracts.ts listContracts, GET /api/contracts),
-- from its plans on 100,000 contracts (npm run bench, section 7; plans in bench/plans/).
--
-- The next open deadline of each listed contract (LEFT JOIN LATERAL ... ORDER BY
-- due_at LIMIT 1) and the deadlineWithinDays filter (EXISTS ... due_at <= ...)
-- read the first entry of this partial index instead of fetching every deadline
-- row of the contract (open and closed) and sorting the open ones.
CREATE INDEX deadlines_open_contract_due_idx ON deadlines (contract_id, due_at) WHERE status = 'open';

-- The list's order (created_at DESC, id): without a status or owner filter the
-- rows are read in this order instead of being sorted (an external merge sort of
-- every wide row, terms included, on disk).
CREATE INDEX contracts_created_id_idx ON contracts (created_at DESC, id);
