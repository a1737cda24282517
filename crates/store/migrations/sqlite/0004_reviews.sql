-- Performance reviews, growth-plan goals and promotion proposals. Each row
-- keeps the domain value as JSON in `body` (the management crate's types),
-- with the columns the store selects by beside it. Ids are reserved by the
-- store inside the writing transaction (the next free one).

CREATE TABLE review_cycles (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    period_end  TEXT    NOT NULL,
    body        TEXT    NOT NULL
);

CREATE TABLE reviews (
    id          INTEGER PRIMARY KEY,
    cycle_id    INTEGER NOT NULL REFERENCES review_cycles (id),
    person_id   INTEGER NOT NULL REFERENCES people (id),
    body        TEXT    NOT NULL
);
CREATE INDEX reviews_cycle ON reviews (cycle_id, id);
CREATE INDEX reviews_person ON reviews (person_id, id);

CREATE TABLE goals (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people (id),
    body        TEXT    NOT NULL
);
CREATE INDEX goals_person ON goals (person_id, id);

CREATE TABLE promotion_proposals (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people (id),
    proposer_id INTEGER NOT NULL REFERENCES people (id),
    status      TEXT    NOT NULL,
    body        TEXT    NOT NULL
);
CREATE INDEX promotion_proposals_person ON promotion_proposals (person_id, id);
