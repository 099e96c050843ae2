-- A calendar subscription URL per user (GET /api/calendar/<token>.ics): calendar
-- apps poll it without an Authorization header. The token opens that user's
-- deadline feed and nothing else (it is not an API token: authentication never
-- reads this table); only its SHA-256 is stored; issuing a new one replaces
-- the old, revoking deletes it, and a deactivated user's feed stops at once.
CREATE TABLE calendar_feeds (
  user_id      text PRIMARY KEY REFERENCES users (id),
  token_hash   text NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz
);

GRANT SELECT, INSERT, UPDATE, DELETE ON calendar_feeds TO sms_app;
