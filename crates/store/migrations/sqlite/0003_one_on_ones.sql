-- The manager's side, first half: one-on-one schedules (one per report),
-- their meetings, shared agenda items, shared and private notes, action
-- items, calendar feed tokens (SHA-256 hashes only), openings and company
-- updates. Same conventions as 0001: dates and timestamps as TEXT.

CREATE TABLE one_on_one_schedules (
    report_id   INTEGER PRIMARY KEY REFERENCES people (id),
    cadence     TEXT    NOT NULL,
    first_date  TEXT    NOT NULL,
    local_time  TEXT    NOT NULL,
    time_zone   TEXT    NOT NULL,
    minutes     INTEGER NOT NULL,
    updated_at  TEXT    NOT NULL
);

CREATE TABLE one_on_one_meetings (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id   INTEGER NOT NULL REFERENCES people (id),
    starts_at   TEXT    NOT NULL,
    held_at     TEXT,
    manager_id  INTEGER REFERENCES people (id)
);
CREATE INDEX one_on_one_meetings_report ON one_on_one_meetings (report_id, starts_at);

CREATE TABLE one_on_one_agenda (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id  INTEGER NOT NULL REFERENCES one_on_one_meetings (id),
    author_id   INTEGER NOT NULL REFERENCES people (id),
    body        TEXT    NOT NULL,
    discussed   INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT    NOT NULL
);
CREATE INDEX one_on_one_agenda_meeting ON one_on_one_agenda (meeting_id, id);

CREATE TABLE one_on_one_notes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id  INTEGER NOT NULL REFERENCES one_on_one_meetings (id),
    author_id   INTEGER NOT NULL REFERENCES people (id),
    private     INTEGER NOT NULL,
    body        TEXT    NOT NULL,
    created_at  TEXT    NOT NULL
);
CREATE INDEX one_on_one_notes_meeting ON one_on_one_notes (meeting_id, id);

CREATE TABLE one_on_one_actions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id   INTEGER NOT NULL REFERENCES people (id),
    meeting_id  INTEGER NOT NULL REFERENCES one_on_one_meetings (id),
    owner_id    INTEGER NOT NULL REFERENCES people (id),
    body        TEXT    NOT NULL,
    due_date    TEXT    NOT NULL,
    done_on     TEXT,
    created_at  TEXT    NOT NULL
);
CREATE INDEX one_on_one_actions_report ON one_on_one_actions (report_id, id);

CREATE TABLE calendar_feeds (
    person_id   INTEGER PRIMARY KEY REFERENCES people (id),
    token_hash  TEXT    NOT NULL,
    created_at  TEXT    NOT NULL
);
CREATE UNIQUE INDEX calendar_feeds_hash_key ON calendar_feeds (token_hash);

CREATE TABLE openings (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    manager_id  INTEGER NOT NULL REFERENCES people (id),
    role        TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    opened_at   TEXT    NOT NULL,
    closed_at   TEXT,
    hire_id     INTEGER REFERENCES people (id)
);
CREATE INDEX openings_status ON openings (status, id);

CREATE TABLE company_updates (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    author_id   INTEGER NOT NULL REFERENCES people (id),
    audience    TEXT    NOT NULL,
    manager_id  INTEGER REFERENCES people (id),
    title       TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    posted_at   TEXT    NOT NULL
);
