-- Sign-in with a user name and password, and cookie sessions. A user name is
-- stored in lower case and unique; a password is stored only as its argon2id
-- hash (PHC string); a user without one signs in with an API token only.
-- A session holds only the SHA-256 of its id (the cookie's value): when it
-- began, when it was last used (it ends after a while unused), when it ends
-- at the latest, and the browser and address it began from, for the admin.
ALTER TABLE users
  ADD COLUMN username text CONSTRAINT users_username_shape CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
  ADD COLUMN password_hash text,
  ADD COLUMN password_set_at timestamptz;
CREATE UNIQUE INDEX users_username_key ON users (username);

CREATE TABLE user_sessions (
  id_hash      text PRIMARY KEY,          -- sha256 of a 256-bit random session id; the id itself is never stored
  user_id      text NOT NULL REFERENCES users (id),
  created_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,      -- the latest it ends, however often used
  ended_at     timestamptz,
  ended_by     text,
  user_agent   text,
  ip           text
);
CREATE INDEX user_sessions_live_idx ON user_sessions (user_id) WHERE ended_at IS NULL;

GRANT SELECT, INSERT, UPDATE, DELETE ON user_sessions TO sms_app;
