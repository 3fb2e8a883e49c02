-- An admin's decisions on the review queue: clearing an item with a reason, or confirming a held report so it
-- counts. Append-only, and in the results' commit sequence (change_seq), since a decision changes the results.
CREATE TABLE review_decisions (
    change_seq   INTEGER PRIMARY KEY,                                 -- the shared commit sequence (see 0003)
    item_key     TEXT    NOT NULL,                                    -- reason:precinct:revision seq
    precinct_id  TEXT    NOT NULL,
    revision_seq INTEGER NOT NULL,
    action       TEXT    NOT NULL CHECK (action IN ('clear', 'confirm')),
    reason       TEXT    NOT NULL,
    actor        TEXT    NOT NULL,
    decided_at   TEXT    NOT NULL
);

CREATE INDEX review_decisions_precinct ON review_decisions (precinct_id);

CREATE TRIGGER review_decisions_no_update BEFORE UPDATE ON review_decisions
BEGIN SELECT RAISE(ABORT, 'review_decisions is append-only'); END;
CREATE TRIGGER review_decisions_no_delete BEFORE DELETE ON review_decisions
BEGIN SELECT RAISE(ABORT, 'review_decisions is append-only'); END;

-- A certification made in test mode (a rehearsal) never certifies the real night.
ALTER TABLE certifications ADD COLUMN test INTEGER NOT NULL DEFAULT 0;
