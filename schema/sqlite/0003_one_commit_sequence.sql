-- Revisions and certifications share one commit sequence: the writer gives each the next seq of
-- both tables under its write lock, so the results version (the highest seq applied) is derived from
-- durable state alone, only grows, and is the same on every instance and after every restart.
ALTER TABLE certifications ADD COLUMN change_seq INTEGER NULL;        -- NULL only on rows written before this file
CREATE UNIQUE INDEX certifications_change_seq ON certifications (change_seq);

-- A server-assigned id per submission: a batch retried after its COMMIT outcome was lost (connection
-- dropped during commit) finds the revision it already stored instead of inserting it twice.
ALTER TABLE revisions ADD COLUMN submission_id TEXT NULL;
CREATE UNIQUE INDEX revisions_submission_id ON revisions (submission_id);
