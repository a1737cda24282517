-- The manager's side, first half: one-on-one schedules (one per report),
-- their meetings, shared agenda items, shared and private notes, action
-- items, calendar feed tokens (SHA-256 hashes only), openings and company
-- updates. Same conventions as 0001: dates and timestamps as TEXT.

CREATE TABLE one_on_one_schedules (
    report_id   BIGINT PRIMARY KEY REFERENCES people (id),
    cadence     TEXT    NOT NULL,
    first_date  TEXT    NOT NULL,
    local_time  TEXT    NOT NULL,
    time_zone   TEXT    NOT NULL,
    minutes     BIGINT  NOT NULL,
    updated_at  TEXT    NOT NULL
);

CREATE TABLE one_on_one_meetings (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id   BIGINT  NOT NULL REFERENCES people (id),
    starts_at   TEXT    NOT NULL,
    held_at     TEXT,
    manager_id  BIGINT  REFERENCES people (id)
);
CREATE INDEX one_on_one_meetings_report ON one_on_one_meetings (report_id, starts_at);

CREATE TABLE one_on_one_agenda (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id  BIGINT  NOT NULL REFERENCES one_on_one_meetings (id),
    author_id   BIGINT  NOT NULL REFERENCES people (id),
    body        TEXT    NOT NULL,
    discussed   BIGINT  NOT NULL DEFAULT 0,
    created_at  TEXT    NOT NULL
);
CREATE INDEX one_on_one_agenda_meeting ON one_on_one_agenda (meeting_id, id);

CREATE TABLE one_on_one_notes (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id  BIGINT  NOT NULL REFERENCES one_on_one_meetings (id),
    author_id   BIGINT  NOT NULL REFERENCES people (id),
    private     BIGINT  NOT NULL,
    body        TEXT    NOT NULL,
    created_at  TEXT    NOT NULL
);
CREATE INDEX one_on_one_notes_meeting ON one_on_one_notes (meeting_id, id);

CREATE TABLE one_on_one_actions (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id   BIGINT  NOT NULL REFERENCES people (id),
    meeting_id  BIGINT  NOT NULL REFERENCES one_on_one_meetings (id),
    owner_id    BIGINT  NOT NULL REFERENCES people (id),
    body        TEXT    NOT NULL,
    due_date    TEXT    NOT NULL,
    done_on     TEXT,
    created_at  TEXT    NOT NULL
);
CREATE INDEX one_on_one_actions_report ON one_on_one_actions (report_id, id);

CREATE TABLE calendar_feeds (
    person_id   BIGINT PRIMARY KEY REFERENCES people (id),
    token_hash  TEXT    NOT NULL,
    created_at  TEXT    NOT NULL
);
CREATE UNIQUE INDEX calendar_feeds_hash_key ON calendar_feeds (token_hash);

CREATE TABLE openings (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    manager_id  BIGINT  NOT NULL REFERENCES people (id),
    role        TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    opened_at   TEXT    NOT NULL,
    closed_at   TEXT,
    hire_id     BIGINT  REFERENCES people (id)
);
CREATE INDEX openings_status ON openings (status, id);

CREATE TABLE company_updates (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id   BIGINT  NOT NULL REFERENCES people (id),
    audience    TEXT    NOT NULL,
    manager_id  BIGINT  REFERENCES people (id),
    title       TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    posted_at   TEXT    NOT NULL
);
