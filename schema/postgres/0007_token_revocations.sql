-- Revoked credentials (issue 19: an admin can revoke any credential). Append-only like the rest of the record: a
-- revocation is never undone (issue a new token instead), and a token is revoked at most once (token_id UNIQUE), so
-- revoking twice finds the first revocation. seq orders revocations for the instances that poll for new ones; it is
-- given inside the writer's transaction, under the append lock, so revocations commit in seq order.
CREATE TABLE token_revocations (
    seq        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_id   text        NOT NULL UNIQUE REFERENCES tokens (id),
    revoked_by text        NOT NULL,                                  -- id of the admin token that revoked it
    revoked_at timestamptz NOT NULL
);

CREATE TRIGGER token_revocations_append_only BEFORE UPDATE OR DELETE ON token_revocations
    FOR EACH ROW EXECUTE FUNCTION caucus_refuse_change();
