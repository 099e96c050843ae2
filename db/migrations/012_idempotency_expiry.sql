-- Idempotency keys expire after a day (db/idempotency.ts): the purge finds
-- them by age. Responses stored before this migration may hold a secret a
-- route issued (a new user's token, a webhook's signing secret): they are
-- withheld now, as the redaction does for new ones.
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
UPDATE idempotency_keys
   SET response = response || jsonb_build_object('token', NULL, 'secretsShownOnce', jsonb_build_array('token'))
 WHERE route = 'POST /api/users' AND response ? 'token';
UPDATE idempotency_keys
   SET response = response || jsonb_build_object('secret', NULL, 'secretsShownOnce', jsonb_build_array('secret'))
 WHERE route = 'POST /api/webhooks' AND response ? 'secret';
