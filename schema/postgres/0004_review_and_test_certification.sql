-- An admin's decisions on the review queue: clearing an item with a reason, or confirming a held report so it
-- counts. Append-only, and in the results' commit sequence (change_seq), since a decision changes the results.
CREATE TABLE review_decisions (
    change_seq   bigint      PRIMARY KEY,                             -- the shared commit sequence (see 0003)
    item_key     text        NOT NULL,                                -- reason:precinct:revision seq
    precinct_id  text        NOT NULL,
    revision_seq bigint      NOT NULL,
    action       text        NOT NULL CHECK (action IN ('clear', 'confirm')),
    reason       text        NOT NULL,
    actor        text        NOT NULL,
    decided_at   timestamptz NOT NULL
);

CREATE INDEX review_decisions_precinct ON review_decisions (precinct_id);

CREATE TRIGGER review_decisions_append_only BEFORE UPDATE OR DELETE ON review_decisions
    FOR EACH ROW EXECUTE FUNCTION caucus_refuse_change();

-- A certification made in test mode (a rehearsal) never certifies the real night.
ALTER TABLE certifications ADD COLUMN test boolean NOT NULL DEFAULT false;
