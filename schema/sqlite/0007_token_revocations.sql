-- Revoked credentials (issue 19: an admin can revoke any credential). Append-only like the rest of the record: a
-- revocation is never undone (issue a new token instead), and a token is revoked at most once (token_id UNIQUE), so
-- revoking twice finds the first revocation. seq orders revocations for the instances that poll for new ones; it is
-- given inside the writer's transaction, so revocations commit in seq order.
CREATE TABLE token_revocations (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    token_id   TEXT    NOT NULL UNIQUE REFERENCES tokens (id),
    revoked_by TEXT    NOT NULL,                                      -- id of the admin token that revoked it
    revoked_at TEXT    NOT NULL
);

CREATE TRIGGER token_revocations_no_update BEFORE UPDATE ON token_revocations
BEGIN SELECT RAISE(ABORT, 'token_revocations is append-only'); END;
CREATE TRIGGER token_revocations_no_delete BEFORE DELETE ON token_revocations
BEGIN SELECT RAISE(ABORT, 'token_revocations is append-only'); END;
