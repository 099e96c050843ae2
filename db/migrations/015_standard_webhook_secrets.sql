-- Webhooks follow the Standard Webhooks specification (docs/webhooks.md): a
-- secret is `whsec_` + base64 of random bytes and the signing key is those
-- bytes, decoded. Secrets issued before were `whsec_` + base64url (no
-- padding) of 32 random bytes: the same 32 bytes written in the standard
-- alphabet ('-' as '+', '_' as '/', padded with '=') are a secret in the
-- specification's format with the same key, so every existing subscription
-- keeps its key. A subscriber's stored copy without '-' or '_' decodes to the
-- same bytes as it is; a copy with them works after the same two replacements.
UPDATE webhook_subscriptions
   SET secret = 'whsec_' || rpad(translate(substr(secret, 7), '-_', '+/'), ((length(secret) - 6 + 3) / 4) * 4, '=')
 WHERE secret ~ '^whsec_[A-Za-z0-9_-]+$';

-- new secrets are only ever in that format (rows this migration could not read are left as they were)
ALTER TABLE webhook_subscriptions
  ADD CONSTRAINT webhook_subscriptions_secret_format CHECK (secret ~ '^whsec_[A-Za-z0-9+/]{32,88}={0,2}$') NOT VALID;
