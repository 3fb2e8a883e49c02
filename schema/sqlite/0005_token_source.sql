-- The source a precinct credential reports as: its captain's or its chair's (DESIGN.md: "precinct (bound to one
-- precinct)"). NULL for the other roles, and for precinct tokens issued before this file: those are read as the
-- default for their precinct's kind (captain for a precinct, chair for a satellite).
ALTER TABLE tokens ADD COLUMN source TEXT NULL CHECK (source IN ('captain', 'chair'));
