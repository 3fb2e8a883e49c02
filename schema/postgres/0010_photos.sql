-- Worksheet photos (issue 24): content-addressed, kept outside the revisions table. A photo's bytes are stored once
-- under their SHA-256 (metadata already stripped); each time one arrives for a precinct, by the report page, an MMS or
-- the hotline console, a row in precinct_photos says who sent it and when. Both append-only.
CREATE TABLE photos (
    sha256     text        PRIMARY KEY,
    media_type text        NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'image/webp')),
    size       integer     NOT NULL,
    bytes      bytea       NOT NULL,
    stored_at  timestamptz NOT NULL
);

CREATE TABLE precinct_photos (
    seq         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    precinct_id text        NOT NULL,
    sha256      text        NOT NULL REFERENCES photos (sha256),
    channel     text        NOT NULL CHECK (channel IN ('page', 'mms', 'hotline')),
    actor       text        NOT NULL,                                 -- the credential that sent it
    received_at timestamptz NOT NULL,
    UNIQUE (precinct_id, sha256)
);
CREATE INDEX precinct_photos_by_precinct ON precinct_photos (precinct_id, seq);

CREATE TRIGGER photos_append_only BEFORE UPDATE OR DELETE ON photos
    FOR EACH ROW EXECUTE FUNCTION caucus_refuse_change();
CREATE TRIGGER precinct_photos_append_only BEFORE UPDATE OR DELETE ON precinct_photos
    FOR EACH ROW EXECUTE FUNCTION caucus_refuse_change();
