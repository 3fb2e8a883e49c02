-- Revisions and certifications share one commit sequence: the writer gives each the next seq of
-- both tables under the append lock, so the results version (the highest seq applied) is derived from
-- durable state alone, only grows, and is the same on every instance and after every restart.
ALTER TABLE certifications ADD COLUMN change_seq bigint NULL;         -- NULL only on rows written before this file
ALTER TABLE certifications ADD CONSTRAINT certifications_change_seq_key UNIQUE (change_seq);

-- A server-assigned id per submission: a batch retried after its COMMIT outcome was lost (connection
-- dropped during commit) finds the revision it already stored instead of inserting it twice.
ALTER TABLE revisions ADD COLUMN submission_id text NULL;
ALTER TABLE revisions ADD CONSTRAINT revisions_submission_id_key UNIQUE (submission_id);
