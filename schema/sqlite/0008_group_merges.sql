-- Headquarters' merges of group spellings (a walking subcaucus's groups are named by the reports: "Climate Action Now"
-- merged into "Climate Action"), and their undoing. Append-only, and in the results' commit sequence (change_seq),
-- since a merge changes how the war room adds precincts up (never a precinct's own report). The latest row for a
-- from_name says whether it is merged now.
CREATE TABLE group_merges (
    change_seq INTEGER PRIMARY KEY,                                   -- the shared commit sequence (see 0003)
    action     TEXT    NOT NULL CHECK (action IN ('merge', 'unmerge')),
    from_name  TEXT    NOT NULL,
    into_name  TEXT    CHECK ((action = 'merge') = (into_name IS NOT NULL)),
    actor      TEXT    NOT NULL,
    merged_at  TEXT    NOT NULL
);

CREATE TRIGGER group_merges_no_update BEFORE UPDATE ON group_merges
BEGIN SELECT RAISE(ABORT, 'group_merges is append-only'); END;
CREATE TRIGGER group_merges_no_delete BEFORE DELETE ON group_merges
BEGIN SELECT RAISE(ABORT, 'group_merges is append-only'); END;
