-- Credentials with a lifecycle: tokens have an id (to list and revoke them
-- without the secret), expire, and record who revoked them; users can be
-- deactivated (every token of theirs stops working). Tokens issued before
-- expire like new ones, counted from now; the ADMIN_TOKEN does not expire
-- (it is configuration: changing it revokes the old one).
ALTER TABLE api_tokens
  ADD COLUMN id text,
  ADD COLUMN expires_at timestamptz,
  ADD COLUMN revoked_by text;
UPDATE api_tokens SET id = 'tok_' || substr(token_hash, 1, 20);
ALTER TABLE api_tokens ALTER COLUMN id SET NOT NULL;
CREATE UNIQUE INDEX api_tokens_id_idx ON api_tokens (id);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);
UPDATE api_tokens SET expires_at = now() + interval '90 days' WHERE label <> 'ADMIN_TOKEN';

ALTER TABLE users ADD COLUMN deactivated_at timestamptz;
