-- Reporting by text message (issue 24). A captain's phone number is bound to a precinct credential: stored as a keyed
-- hash only, never the number. A later binding of the same number wins (an admin re-binds a number by binding it
-- again); bindings are append-only, so who bound which number when stays on record.
CREATE TABLE phone_bindings (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    phone_hash TEXT    NOT NULL,
    token_id   TEXT    NOT NULL REFERENCES tokens (id),
    bound_by   TEXT    NOT NULL,                                      -- id of the admin token that bound it
    bound_at   TEXT    NOT NULL
);
CREATE INDEX phone_bindings_by_phone ON phone_bindings (phone_hash, seq);
CREATE INDEX phone_bindings_by_token ON phone_bindings (token_id, seq);

CREATE TRIGGER phone_bindings_no_update BEFORE UPDATE ON phone_bindings
BEGIN SELECT RAISE(ABORT, 'phone_bindings is append-only'); END;
CREATE TRIGGER phone_bindings_no_delete BEFORE DELETE ON phone_bindings
BEGIN SELECT RAISE(ABORT, 'phone_bindings is append-only'); END;

-- Every text from a bound number, byte-exact, with the reply it got: a report text (read back, waiting for YES), the YES
-- that sent it (revision_seq: the revision it stored), or anything else. (gateway, message_id) is unique, so a gateway's
-- retry of the same message finds its first answer. Texts from unknown numbers and unsigned requests are only counted.
CREATE TABLE text_messages (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    gateway      TEXT    NOT NULL CHECK (gateway IN ('twilio', 'generic')),
    message_id   TEXT    NOT NULL,
    phone_hash   TEXT    NOT NULL,
    token_id     TEXT    NOT NULL REFERENCES tokens (id),
    precinct_id  TEXT    NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('report', 'confirm', 'other')),
    body         BLOB    NOT NULL,                                    -- the text as received (UTF-8)
    body_hash    TEXT    NOT NULL,                                    -- SHA-256 of the gateway's whole request, kept below
    request      BLOB    NOT NULL,                                    -- the gateway's request body, byte-exact
    report_body  TEXT    NULL,                                        -- 'report': the report JSON the text reads as, sent on YES
    confirms_seq INTEGER NULL REFERENCES text_messages (seq),         -- 'confirm': the report text it sent
    revision_seq INTEGER NULL,                                        -- 'confirm': the revision it stored
    reply        TEXT    NOT NULL,
    received_at  TEXT    NOT NULL,
    UNIQUE (gateway, message_id)
);
CREATE INDEX text_messages_by_phone ON text_messages (phone_hash, seq);
CREATE INDEX text_messages_by_precinct ON text_messages (precinct_id, seq);

CREATE TRIGGER text_messages_no_update BEFORE UPDATE ON text_messages
BEGIN SELECT RAISE(ABORT, 'text_messages is append-only'); END;
CREATE TRIGGER text_messages_no_delete BEFORE DELETE ON text_messages
BEGIN SELECT RAISE(ABORT, 'text_messages is append-only'); END;
