-- The total of the contract list filtered to deadlines due within N days
-- (db/contracts.ts listContracts, GET /api/contracts?deadlineWithinDays=N) counts
-- the distinct contracts of the open deadlines due by then: a range of this
-- index, read without touching the table because it carries contract_id. The
-- same count over contracts probed every contract's deadlines (100,000 probes on
-- 100,000 contracts, 40-55 ms; plans in bench/plans/deadline-30d.txt).
--
-- It replaces deadlines_open_due_idx of migration 001: same key, same predicate,
-- so every query that used that one (the calendar's open deadlines by due date)
-- is served by this one, and each deadline write keeps updating one index, not two.
DROP INDEX deadlines_open_due_idx;
CREATE INDEX deadlines_open_due_contract_idx ON deadlines (due_at) INCLUDE (contract_id) WHERE status = 'open';
