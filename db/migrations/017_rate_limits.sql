-- Write budgets per user and per customer organisation (api/write-limits.ts,
-- db/rate-limits.ts): the table rate-limiter-flexible's Postgres store
-- (RateLimiterPostgres) reads and writes, in its own layout, created here so
-- the application's role never needs CREATE. One row per key and window
-- (`writes:user:<id>`, `heavy:org:<organisation>`…): the points spent and
-- when the window ends (ms since the epoch). Counters are worth nothing after
-- a crash, so the table is UNLOGGED (no WAL per write request); a crash or a
-- failover starts every window afresh. Rows an hour past their window are
-- deleted by the store itself every five minutes.
CREATE UNLOGGED TABLE rate_limits (
  key     varchar(255) PRIMARY KEY,
  points  integer NOT NULL DEFAULT 0,
  expire  bigint
);
CREATE INDEX rate_limits_expire_idx ON rate_limits (expire);

GRANT SELECT, INSERT, UPDATE, DELETE ON rate_limits TO sms_app;
