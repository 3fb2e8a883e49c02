-- Caucus storage, SQLite dialect. Keep in step with schema/postgres/0001_initial.sql:
-- same tables, same columns, same meaning.
--
-- Everything here is append-only: a correction is a new revision, a bad submission is a new
-- rejected_submissions row. Nothing is updated or deleted, so the audit trail is the table itself.
-- Timestamps are UTC ISO-8601 text (round-trip format), which sorts and compares correctly.

CREATE TABLE revisions (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,                 -- global commit order, never reused
    precinct_id     TEXT    NOT NULL,
    revision        INTEGER NOT NULL CHECK (revision > 0),            -- 1, 2, 3… per precinct, across sources
    source          TEXT    NOT NULL CHECK (source IN ('captain', 'hotline', 'chair', 'official')),
    actor           TEXT    NOT NULL,                                 -- id of the token that sent it
    received_at     TEXT    NOT NULL,
    idempotency_key TEXT    NULL,
    body_hash       TEXT    NOT NULL,                                 -- hex SHA-256 of raw_body
    raw_body        TEXT    NOT NULL,
    CONSTRAINT revisions_precinct_revision_key UNIQUE (precinct_id, revision),
    CONSTRAINT revisions_idempotency_key_key UNIQUE (idempotency_key)
);

CREATE TABLE rejected_submissions (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    precinct_id     TEXT    NULL,
    actor           TEXT    NULL,
    received_at     TEXT    NOT NULL,
    raw_body        TEXT    NOT NULL,
    reason          TEXT    NOT NULL,                                 -- the problem-details JSON we answered with
    idempotency_key TEXT    NULL
);

CREATE INDEX rejected_submissions_precinct ON rejected_submissions (precinct_id);

CREATE TABLE tokens (
    id          TEXT PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,                                 -- hex SHA-256; the token itself is never stored
    role        TEXT NOT NULL CHECK (role IN ('admin', 'hotline', 'precinct', 'warroom')),
    precinct_id TEXT NULL,
    created_at  TEXT NOT NULL,
    CONSTRAINT tokens_precinct_role CHECK ((role = 'precinct') = (precinct_id IS NOT NULL))
);

-- "Current" is a view, never an update: the latest revision of each precinct.
CREATE VIEW current_revisions AS
SELECT r.*
FROM revisions r
WHERE r.revision = (SELECT max(x.revision) FROM revisions x WHERE x.precinct_id = r.precinct_id);

CREATE TRIGGER revisions_no_update BEFORE UPDATE ON revisions
BEGIN SELECT RAISE(ABORT, 'revisions is append-only'); END;
CREATE TRIGGER revisions_no_delete BEFORE DELETE ON revisions
BEGIN SELECT RAISE(ABORT, 'revisions is append-only'); END;
CREATE TRIGGER rejected_submissions_no_update BEFORE UPDATE ON rejected_submissions
BEGIN SELECT RAISE(ABORT, 'rejected_submissions is append-only'); END;
CREATE TRIGGER rejected_submissions_no_delete BEFORE DELETE ON rejected_submissions
BEGIN SELECT RAISE(ABORT, 'rejected_submissions is append-only'); END;
