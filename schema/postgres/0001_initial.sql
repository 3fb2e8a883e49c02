-- Caucus storage, PostgreSQL dialect. Keep in step with schema/sqlite/0001_initial.sql:
-- same tables, same columns, same meaning.
--
-- Everything here is append-only: a correction is a new revision, a bad submission is a new
-- rejected_submissions row. Nothing is updated or deleted, so the audit trail is the table itself.

CREATE TABLE revisions (
    seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,   -- global commit order
    precinct_id     text        NOT NULL,
    revision        integer     NOT NULL CHECK (revision > 0),        -- 1, 2, 3… per precinct, across sources
    source          text        NOT NULL CHECK (source IN ('captain', 'hotline', 'chair', 'official')),
    actor           text        NOT NULL,                             -- id of the token that sent it
    received_at     timestamptz NOT NULL,
    idempotency_key text        NULL,
    body_hash       text        NOT NULL,                             -- hex SHA-256 of raw_body
    raw_body        text        NOT NULL,
    CONSTRAINT revisions_precinct_revision_key UNIQUE (precinct_id, revision),
    CONSTRAINT revisions_idempotency_key_key UNIQUE (idempotency_key)
);

CREATE TABLE rejected_submissions (
    seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    precinct_id     text        NULL,
    actor           text        NULL,
    received_at     timestamptz NOT NULL,
    raw_body        text        NOT NULL,
    reason          text        NOT NULL,                             -- the problem-details JSON we answered with
    idempotency_key text        NULL
);

CREATE INDEX rejected_submissions_precinct ON rejected_submissions (precinct_id);

CREATE TABLE tokens (
    id          text        PRIMARY KEY,
    token_hash  text        NOT NULL UNIQUE,                          -- hex SHA-256; the token itself is never stored
    role        text        NOT NULL CHECK (role IN ('admin', 'hotline', 'precinct', 'warroom')),
    precinct_id text        NULL,
    created_at  timestamptz NOT NULL,
    CONSTRAINT tokens_precinct_role CHECK ((role = 'precinct') = (precinct_id IS NOT NULL))
);

-- "Current" is a view, never an update: the latest revision of each precinct.
CREATE VIEW current_revisions AS
SELECT r.*
FROM revisions r
WHERE r.revision = (SELECT max(x.revision) FROM revisions x WHERE x.precinct_id = r.precinct_id);

CREATE FUNCTION caucus_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER revisions_append_only BEFORE UPDATE OR DELETE ON revisions
    FOR EACH ROW EXECUTE FUNCTION caucus_refuse_change();
CREATE TRIGGER rejected_submissions_append_only BEFORE UPDATE OR DELETE ON rejected_submissions
    FOR EACH ROW EXECUTE FUNCTION caucus_refuse_change();
