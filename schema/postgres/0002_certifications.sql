-- An admin certifies the results as they stand through a revision seq. Append-only like the rest:
-- a later certification is a new row; results count as certified while no revision follows it.
CREATE TABLE certifications (
    seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    through_seq  bigint      NOT NULL,                                -- the last revision seq the certification covers
    actor        text        NOT NULL,
    certified_at timestamptz NOT NULL,
    note         text        NULL
);

CREATE TRIGGER certifications_append_only BEFORE UPDATE OR DELETE ON certifications
    FOR EACH ROW EXECUTE FUNCTION caucus_refuse_change();
