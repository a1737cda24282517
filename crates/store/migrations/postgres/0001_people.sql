-- The people side: people, role history, projects, designations, the
-- append-only audit log, framework versions and the writers' lock row.
-- Dates are ISO-8601 TEXT (YYYY-MM-DD), timestamps RFC 3339 UTC TEXT,
-- JSON is TEXT and flags are 0/1 BIGINTs, so one query path serves both
-- backends (the Any driver maps only basic types).

CREATE TABLE people (
    id          BIGINT PRIMARY KEY,
    name        TEXT   NOT NULL,
    email       TEXT   NOT NULL,
    status      TEXT   NOT NULL,
    role        TEXT   NOT NULL,
    manager_id  BIGINT REFERENCES people (id) DEFERRABLE INITIALLY DEFERRED,
    start_date  TEXT,
    end_date    TEXT
);
CREATE UNIQUE INDEX people_email_key ON people (email);
CREATE INDEX people_manager ON people (manager_id);
CREATE INDEX people_role ON people (role);

CREATE TABLE role_history (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id       BIGINT NOT NULL REFERENCES people (id),
    from_role       TEXT,
    to_role         TEXT   NOT NULL,
    effective_date  TEXT   NOT NULL,
    reason          TEXT   NOT NULL,
    note            TEXT,
    correction      BIGINT NOT NULL DEFAULT 0,
    proposal_id     BIGINT
);
CREATE INDEX role_history_person ON role_history (person_id, id);

CREATE TABLE projects (
    id       BIGINT PRIMARY KEY,
    name     TEXT NOT NULL,
    status   TEXT NOT NULL,
    created  TEXT NOT NULL,
    closed   TEXT
);

CREATE TABLE project_members (
    project_id  BIGINT NOT NULL REFERENCES projects (id),
    person_id   BIGINT NOT NULL REFERENCES people (id),
    PRIMARY KEY (project_id, person_id)
);

CREATE TABLE designations (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id   BIGINT NOT NULL REFERENCES projects (id),
    person_id    BIGINT NOT NULL REFERENCES people (id),
    designation  TEXT   NOT NULL,
    start_date   TEXT   NOT NULL,
    end_date     TEXT,
    flags        TEXT   NOT NULL DEFAULT '[]'
);
CREATE INDEX designations_person ON designations (person_id);
CREATE INDEX designations_project ON designations (project_id);

CREATE TABLE audit_events (
    seq             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              TEXT   NOT NULL,
    actor           TEXT   NOT NULL,
    action          TEXT   NOT NULL,
    subject_kind    TEXT   NOT NULL,
    subject_id      BIGINT NOT NULL,
    before          TEXT,
    after           TEXT,
    change          TEXT
);
CREATE INDEX audit_events_subject ON audit_events (subject_kind, subject_id, seq);

-- Erasure (SPEC §4) is the one exception to append-only: while a person's id
-- is listed here, inside the erasing transaction, the personal details in
-- the events about them may be rewritten; nothing else may change.
CREATE TABLE audit_scrub (
    person_id  BIGINT PRIMARY KEY
);

-- Append-only: refuse deletes and truncation always, and updates except the
-- scrubbing of a listed person's events that keeps every column but the details.
CREATE FUNCTION audit_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND OLD.subject_kind = 'person'
        AND EXISTS (SELECT 1 FROM audit_scrub WHERE person_id = OLD.subject_id)
        AND NEW.seq = OLD.seq AND NEW.at = OLD.at AND NEW.actor = OLD.actor
        AND NEW.action = OLD.action AND NEW.subject_kind = OLD.subject_kind
        AND NEW.subject_id = OLD.subject_id
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$;
CREATE TRIGGER audit_events_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate
    BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

CREATE TABLE framework_versions (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       TEXT   NOT NULL,
    version    TEXT   NOT NULL,
    source     TEXT   NOT NULL,
    loaded_at  TEXT   NOT NULL,
    loaded_by  TEXT   NOT NULL,
    active     BIGINT NOT NULL DEFAULT 0
);

-- One row that every writer updates first: its row lock serializes writers
-- across connections and instances until the transaction ends.
CREATE TABLE store_lock (
    id  BIGINT PRIMARY KEY CHECK (id = 1),
    n   BIGINT NOT NULL
);
INSERT INTO store_lock (id, n) VALUES (1, 0);
