-- A sales user's team lead: the lead reads and acts on the contracts of the
-- active sales users they lead, as on their own (api/policy.ts), and their
-- lists hold them too. Set and cleared by an admin
-- (PUT /api/users/:id/team-lead, audited as user.team_lead_set); a lead is an
-- active sales user, never the user themself, and no chain of leads comes
-- back to where it started (checked by db/users.ts setTeamLead). A lead
-- removed from the table leaves their members without one.
ALTER TABLE users ADD COLUMN team_lead_id text REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE users ADD CONSTRAINT users_team_lead_not_self CHECK (team_lead_id <> id);
-- the team of a lead, read with every token lookup
CREATE INDEX users_team_lead_idx ON users (team_lead_id) WHERE team_lead_id IS NOT NULL;
