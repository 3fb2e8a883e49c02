-- An admin certifies the results as they stand through a revision seq. Append-only like the rest:
-- a later certification is a new row; results count as certified while no revision follows it.
CREATE TABLE certifications (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    through_seq  INTEGER NOT NULL,                                    -- the last revision seq the certification covers
    actor        TEXT    NOT NULL,
    certified_at TEXT    NOT NULL,
    note         TEXT    NULL
);

CREATE TRIGGER certifications_no_update BEFORE UPDATE ON certifications
BEGIN SELECT RAISE(ABORT, 'certifications is append-only'); END;

CREATE TRIGGER certifications_no_delete BEFORE DELETE ON certifications
BEGIN SELECT RAISE(ABORT, 'certifications is append-only'); END;
