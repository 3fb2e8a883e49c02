-- Keep in step with schema/postgres/0006_bounded_audit_scoped_keys.sql.
--
-- Bodies byte-exact: a body is kept as the bytes that arrived (a BLOB holds any byte), and its hash is the
-- SHA-256 of those bytes. raw_body (text) stays for the revisions the follower parses; raw_bytes is NULL on
-- rows written before this file, where raw_body is the body.
--
-- Idempotency keys are scoped to the precinct and the credential that sent them (UNIQUE (precinct_id, actor,
-- idempotency_key) instead of UNIQUE (idempotency_key)). SQLite cannot drop a table constraint, so
-- revisions is rebuilt: every row is copied with its seq, inside this file's transaction (the runner's
-- BEGIN IMMEDIATE), then the view, index and append-only triggers are made again. DROP TABLE does not fire
-- the no-delete trigger. Existing keys were globally unique, so they are unique under the narrower scope too.
-- A column added to revisions by an earlier file must be listed here too, or the rebuild would drop it.
DROP VIEW current_revisions;

CREATE TABLE revisions_0006 (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,                 -- global commit order, never reused
    precinct_id     TEXT    NOT NULL,
    revision        INTEGER NOT NULL CHECK (revision > 0),            -- 1, 2, 3… per precinct, across sources
    source          TEXT    NOT NULL CHECK (source IN ('captain', 'hotline', 'chair', 'official')),
    actor           TEXT    NOT NULL,                                 -- id of the token that sent it
    received_at     TEXT    NOT NULL,
    idempotency_key TEXT    NULL,
    body_hash       TEXT    NOT NULL,                                 -- hex SHA-256 of the body's bytes
    raw_body        TEXT    NOT NULL,
    submission_id   TEXT    NULL,
    raw_bytes       BLOB    NULL,                                     -- the body exactly as received
    CONSTRAINT revisions_precinct_revision_key UNIQUE (precinct_id, revision),
    CONSTRAINT revisions_idempotency_scope_key UNIQUE (precinct_id, actor, idempotency_key)
);

INSERT INTO revisions_0006 (seq, precinct_id, revision, source, actor, received_at, idempotency_key, body_hash, raw_body, submission_id)
SELECT seq, precinct_id, revision, source, actor, received_at, idempotency_key, body_hash, raw_body, submission_id FROM revisions;

DROP TABLE revisions;
ALTER TABLE revisions_0006 RENAME TO revisions;

CREATE UNIQUE INDEX revisions_submission_id ON revisions (submission_id);

CREATE VIEW current_revisions AS
SELECT r.*
FROM revisions r
WHERE r.revision = (SELECT max(x.revision) FROM revisions x WHERE x.precinct_id = r.precinct_id);

CREATE TRIGGER revisions_no_update BEFORE UPDATE ON revisions
BEGIN SELECT RAISE(ABORT, 'revisions is append-only'); END;
CREATE TRIGGER revisions_no_delete BEFORE DELETE ON revisions
BEGIN SELECT RAISE(ABORT, 'revisions is append-only'); END;

-- A refused body is kept bounded: its first bytes (at most 2 KiB), its size and the SHA-256 of what was
-- read. raw_body is '' on rows written from here on (the bytes are in body_prefix); older rows keep their
-- text there and no prefix. Refusals for ids that are not precincts of the election are not stored at all.
ALTER TABLE rejected_submissions ADD COLUMN body_prefix BLOB NULL;
ALTER TABLE rejected_submissions ADD COLUMN body_size INTEGER NULL;
ALTER TABLE rejected_submissions ADD COLUMN body_sha256 TEXT NULL;

-- The audit endpoint pages each precinct's refusals by seq.
DROP INDEX rejected_submissions_precinct;
CREATE INDEX rejected_submissions_precinct_seq ON rejected_submissions (precinct_id, seq);
