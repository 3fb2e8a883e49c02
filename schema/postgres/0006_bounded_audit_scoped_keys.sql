-- Keep in step with schema/sqlite/0006_bounded_audit_scoped_keys.sql.
--
-- Bodies byte-exact: a body is kept as the bytes that arrived (bytea holds any byte, NUL included, which
-- text cannot), and its hash is the SHA-256 of those bytes. raw_body (text) stays for the revisions the
-- follower parses; raw_bytes is NULL on rows written before this file, where raw_body is the body.
ALTER TABLE revisions ADD COLUMN raw_bytes bytea NULL;

-- Idempotency keys are scoped to the precinct and the credential that sent them: a key one credential
-- used can no longer be squatted by another, and the same key for another precinct is another report.
-- Existing keys were globally unique, so they are unique under the narrower scope too.
ALTER TABLE revisions DROP CONSTRAINT revisions_idempotency_key_key;
ALTER TABLE revisions ADD CONSTRAINT revisions_idempotency_scope_key UNIQUE (precinct_id, actor, idempotency_key);

-- A refused body is kept bounded: its first bytes (at most 2 KiB), its size and the SHA-256 of what was
-- read. raw_body is '' on rows written from here on (the bytes are in body_prefix); older rows keep their
-- text there and no prefix. Refusals for ids that are not precincts of the election are not stored at all.
ALTER TABLE rejected_submissions ADD COLUMN body_prefix bytea NULL;
ALTER TABLE rejected_submissions ADD COLUMN body_size bigint NULL;
ALTER TABLE rejected_submissions ADD COLUMN body_sha256 text NULL;

-- The audit endpoint pages each precinct's refusals by seq.
DROP INDEX rejected_submissions_precinct;
CREATE INDEX rejected_submissions_precinct_seq ON rejected_submissions (precinct_id, seq);
