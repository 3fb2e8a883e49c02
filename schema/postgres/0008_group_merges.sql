-- Headquarters' merges of group spellings (a walking subcaucus's groups are named by the reports: "Climate Action Now"
-- merged into "Climate Action"), and their undoing. Append-only, and in the results' commit sequence (change_seq),
-- since a merge changes how the war room adds precincts up (never a precinct's own report). The latest row for a
-- from_name says whether it is merged now.
CREATE TABLE group_merges (
    change_seq bigint      PRIMARY KEY,                               -- the shared commit sequence (see 0003)
    action     text        NOT NULL CHECK (action IN ('merge', 'unmerge')),
    from_name  text        NOT NULL,
    into_name  text        CHECK ((action = 'merge') = (into_name IS NOT NULL)),
    actor      text        NOT NULL,
    merged_at  timestamptz NOT NULL
);

CREATE TRIGGER group_merges_append_only BEFORE UPDATE OR DELETE ON group_merges
    FOR EACH ROW EXECUTE FUNCTION caucus_refuse_change();
