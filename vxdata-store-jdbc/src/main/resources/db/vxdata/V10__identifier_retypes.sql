-- How many commits have given an identifier a payload type it did not have while it had another
-- (a tombstone re-created as another type, docs/behaviour.md §3.1). Readers keep what the identifier
-- index told them while this count stands still: only such a commit makes a known answer incomplete.
ALTER TABLE vx_meta ADD COLUMN retypes BIGINT DEFAULT 0 NOT NULL;
