-- The legal calendar as maintained data. A row is a calendar year whose State
-- Council notice was entered (official): its days replace the bundled data of
-- that year. Years with neither a row nor bundled data are provisional
-- (statutory holidays only, computed: domain/statutory-holidays.ts).
CREATE TABLE calendar_years (
  year        integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
  source      jsonb NOT NULL,              -- { title, url?, documentNumber?, publishedAt }
  days        jsonb NOT NULL,              -- [{ date, kind: rest|work, name }] ascending
  digest      text NOT NULL,               -- sha256 of the days: the same notice again changes nothing
  revision    integer NOT NULL CHECK (revision > 0),
  entered_by  text NOT NULL,
  entered_at  timestamptz NOT NULL DEFAULT now()
);

-- One recount of the open deadlines after a year was entered or changed (the
-- calendarRecount workflow's progress).
CREATE TABLE calendar_recounts (
  id          text PRIMARY KEY,            -- the workflow id: calendar-<year>-r<revision>
  year        integer NOT NULL,
  revision    integer NOT NULL,
  status      text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done')),
  signalled   integer NOT NULL DEFAULT 0,  -- workflows told of the change
  passes      integer NOT NULL DEFAULT 0,
  started_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);

-- Each move of a deadline by a calendar change, once per deadline and revision.
CREATE TABLE deadline_moves (
  id          text PRIMARY KEY,            -- <deadline id>:<year>:r<revision>
  deadline_id text NOT NULL,
  contract_id text,
  kind        text NOT NULL,
  year        integer NOT NULL,
  revision    integer NOT NULL,
  from_due_at timestamptz NOT NULL,
  to_due_at   timestamptz NOT NULL,
  moved_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deadline_moves_year_idx ON deadline_moves (year, revision);

-- Which calendar years (and revisions of them) each open deadline was counted
-- over, so a notice finds exactly the deadlines it may move.
ALTER TABLE deadlines
  ADD COLUMN calendar_years integer[] NOT NULL DEFAULT '{}',
  ADD COLUMN calendar_revisions jsonb NOT NULL DEFAULT '{}',
  ADD COLUMN provisional boolean NOT NULL DEFAULT false,
  ADD COLUMN basis jsonb;                  -- what the deadline was counted from (domain/periods.ts DeadlineBasis)

-- Deadlines counted before this migration: the year of the last day stands in
-- for the years the count examined (acts only; terms are never extended).
UPDATE deadlines SET calendar_years = ARRAY[extract(year FROM due_at AT TIME ZONE 'Asia/Shanghai')::integer]
 WHERE status = 'open' AND kind IN ('signing', 'payment', 'cure', 'negotiation', 'force_majeure_proof');

CREATE INDEX deadlines_open_calendar_years_idx ON deadlines USING gin (calendar_years) WHERE status = 'open';
