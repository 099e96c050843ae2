-- The audit log is hash-chained (docs/security.md, "The audit log is a hash
-- chain"): each row carries the hash of the row before it (prev_hash, NULL
-- for the first) and its own,
--   hash = sha256(coalesce(prev_hash, '') || utf8(audit_event_canonical(row)))
-- where the canonical text is Postgres's jsonb text of the row's fields, in
-- a fixed order, with the moment in UTC to the microsecond. appendAudit
-- (db/audit.ts) computes both in its INSERT. There is one chain per
-- contract (and one for the events without a contract): the appends to one
-- contract take turns (an advisory lock on the contract, held until the
-- appending transaction ends), so each chain follows id order and appends to
-- different contracts never wait for each other; `npm run audit:verify` walks
-- every chain and names the first broken link.
ALTER TABLE audit_events ADD COLUMN prev_hash bytea, ADD COLUMN hash bytea;

CREATE FUNCTION audit_event_canonical(
  p_id bigint, p_at timestamptz, p_contract_id text, p_type text, p_actor_id text, p_actor_role text,
  p_request_id text, p_before jsonb, p_after jsonb, p_data jsonb
) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT jsonb_build_array(
    p_id, to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), p_contract_id, p_type,
    p_actor_id, p_actor_role, p_request_id, p_before, p_after, p_data
  )::text
$$;

-- the rows written before: chained here, in id order (the only UPDATE the
-- table ever gets, by its owner, with the append-only trigger off for it)
ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update;
DO $$
DECLARE
  r record;
  prev bytea := NULL;
  chain text := NULL;
  first boolean := true;
  h bytea;
BEGIN
  -- one chain per contract (and one for the events without a contract), each in id order
  FOR r IN SELECT id, at, contract_id, type, actor_id, actor_role, request_id, before, after, data FROM audit_events ORDER BY contract_id NULLS FIRST, id LOOP
    IF first OR r.contract_id IS DISTINCT FROM chain THEN
      prev := NULL;
      chain := r.contract_id;
      first := false;
    END IF;
    h := sha256(coalesce(prev, '\x'::bytea) || convert_to(
      audit_event_canonical(r.id, r.at, r.contract_id, r.type, r.actor_id, r.actor_role, r.request_id, r.before, r.after, r.data), 'UTF8'));
    UPDATE audit_events SET prev_hash = prev, hash = h WHERE id = r.id;
    prev := h;
  END LOOP;
END $$;
ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update;

GRANT EXECUTE ON FUNCTION audit_event_canonical(bigint, timestamptz, text, text, text, text, text, jsonb, jsonb, jsonb) TO sms_app;
