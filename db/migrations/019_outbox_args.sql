-- The outbox names what it starts: the workflow's type (one of the startable
-- workflows of services/workflow-starts.ts) and its arguments as the client
-- sends them, so the sweeper starts each entry as it was owed and runs the
-- follow-up of that workflow only (a contract's lifecycle stamps
-- contracts.workflow_started_at; a case or an SMS dispatch does not).
ALTER TABLE workflow_outbox ADD COLUMN args jsonb;
UPDATE workflow_outbox SET args = jsonb_build_array(input);
ALTER TABLE workflow_outbox ALTER COLUMN args SET NOT NULL, DROP COLUMN input;
