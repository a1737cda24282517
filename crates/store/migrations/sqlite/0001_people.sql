-- The people side: people, role history, projects, designations, the
-- append-only audit log, framework versions and the writers' lock row.
-- Dates are ISO-8601 TEXT (YYYY-MM-DD), timestamps RFC 3339 UTC TEXT,
-- JSON is TEXT and flags are 0/1 INTEGERs, so one query path serves both
-- backends.

CREATE TABLE people (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    email       TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    role        TEXT    NOT NULL,
    manager_id  INTEGER REFERENCES people (id) DEFERRABLE INITIALLY DEFERRED,
    start_date  TEXT,
    end_date    TEXT
);
CREATE UNIQUE INDEX people_email_key ON people (email);
CREATE INDEX people_manager ON people (manager_id);
CREATE INDEX people_role ON people (role);

CREATE TABLE role_history (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id       INTEGER NOT NULL REFERENCES people (id),
    from_role       TEXT,
    to_role         TEXT    NOT NULL,
    effective_date  TEXT    NOT NULL,
    reason          TEXT    NOT NULL,
    note            TEXT,
    correction      INTEGER NOT NULL DEFAULT 0,
    proposal_id     INTEGER
);
CREATE INDEX role_history_person ON role_history (person_id, id);

CREATE TABLE projects (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL,
    status   TEXT NOT NULL,
    created  TEXT NOT NULL,
    closed   TEXT
);

CREATE TABLE project_members (
    project_id  INTEGER NOT NULL REFERENCES projects (id),
    person_id   INTEGER NOT NULL REFERENCES people (id),
    PRIMARY KEY (project_id, person_id)
);

CREATE TABLE designations (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id   INTEGER NOT NULL REFERENCES projects (id),
    person_id    INTEGER NOT NULL REFERENCES people (id),
    designation  TEXT    NOT NULL,
    start_date   TEXT    NOT NULL,
    end_date     TEXT,
    flags        TEXT    NOT NULL DEFAULT '[]'
);
CREATE INDEX designations_person ON designations (person_id);
CREATE INDEX designations_project ON designations (project_id);

CREATE TABLE audit_events (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    at              TEXT    NOT NULL,
    actor           TEXT    NOT NULL,
    action          TEXT    NOT NULL,
    subject_kind    TEXT   NOT NULL,
    subject_id      INTEGER NOT NULL,
    before          TEXT,
    after           TEXT,
    change          TEXT
);
CREATE INDEX audit_events_subject ON audit_events (subject_kind, subject_id, seq);

-- Erasure (SPEC §4) is the one exception to append-only: while a person's id
-- is listed here, inside the erasing transaction, the personal details in
-- the events about them may be rewritten; nothing else may change.
CREATE TABLE audit_scrub (
    person_id  INTEGER PRIMARY KEY
);

-- Append-only: refuse deletes always, and updates except the scrubbing of a
-- listed person's events that keeps every column but the details.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
WHEN NOT (
    EXISTS (SELECT 1 FROM audit_scrub WHERE person_id = OLD.subject_id)
    AND OLD.subject_kind = 'person'
    AND NEW.seq = OLD.seq AND NEW.at = OLD.at AND NEW.actor = OLD.actor
    AND NEW.action = OLD.action AND NEW.subject_kind = OLD.subject_kind
    AND NEW.subject_id = OLD.subject_id
)
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;

CREATE TABLE framework_versions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL,
    version    TEXT    NOT NULL,
    source     TEXT    NOT NULL,
    loaded_at  TEXT    NOT NULL,
    loaded_by  TEXT    NOT NULL,
    active     INTEGER NOT NULL DEFAULT 0
);

-- One row that every writer updates first: it serializes writers across
-- connections and processes.
CREATE TABLE store_lock (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    n   INTEGER NOT NULL
);
INSERT INTO store_lock (id, n) VALUES (1, 0);
