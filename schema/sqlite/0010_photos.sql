-- Worksheet photos (issue 24): content-addressed, kept outside the revisions table. A photo's bytes are stored once
-- under their SHA-256 (metadata already stripped); each time one arrives for a precinct, by the report page, an MMS or
-- the hotline console, a row in precinct_photos says who sent it and when. Both append-only.
CREATE TABLE photos (
    sha256     TEXT    PRIMARY KEY,
    media_type TEXT    NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'image/webp')),
    size       INTEGER NOT NULL,
    bytes      BLOB    NOT NULL,
    stored_at  TEXT    NOT NULL
);

CREATE TABLE precinct_photos (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    precinct_id TEXT    NOT NULL,
    sha256      TEXT    NOT NULL REFERENCES photos (sha256),
    channel     TEXT    NOT NULL CHECK (channel IN ('page', 'mms', 'hotline')),
    actor       TEXT    NOT NULL,                                     -- the credential that sent it
    received_at TEXT    NOT NULL,
    UNIQUE (precinct_id, sha256)
);
CREATE INDEX precinct_photos_by_precinct ON precinct_photos (precinct_id, seq);

CREATE TRIGGER photos_no_update BEFORE UPDATE ON photos BEGIN SELECT RAISE(ABORT, 'photos is append-only'); END;
CREATE TRIGGER photos_no_delete BEFORE DELETE ON photos BEGIN SELECT RAISE(ABORT, 'photos is append-only'); END;
CREATE TRIGGER precinct_photos_no_update BEFORE UPDATE ON precinct_photos BEGIN SELECT RAISE(ABORT, 'precinct_photos is append-only'); END;
CREATE TRIGGER precinct_photos_no_delete BEFORE DELETE ON precinct_photos BEGIN SELECT RAISE(ABORT, 'precinct_photos is append-only'); END;
