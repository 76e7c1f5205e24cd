-- 0019: pixel_events' key puts event_id before event_name, and pixel_events_by_id, which indexed (pixel_key, event_id)
-- beside it, is dropped. The key is still TikTok's deduplication key, the same three columns: ON CONFLICT names them
-- in any order, and a lookup of a pixel's event by its id alone (an event's trace) now walks the key's first two
-- columns. Every index of pixel_events leads with pixel_key, so when many pixels take events at once each new row
-- lands on a different leaf page in each of them; one index fewer is one leaf page fewer to read, dirty and log for
-- every event (docs/BENCHMARKS.md, thirtieth pass). No statement of this service reads a pixel's events by
-- (pixel_key, event_name) alone.
-- The new key is built before the old one is dropped, in the migration's transaction, so the pair stays unique
-- throughout. The build holds a lock that stops writes to pixel_events while it runs: on a large table, apply it in a
-- quiet hour. Nodes on an older build work unchanged against the new key.
CREATE UNIQUE INDEX pixel_events_key ON pixel_events (pixel_key, event_id, event_name);

ALTER TABLE pixel_events
    DROP CONSTRAINT pixel_events_pkey,
    ADD CONSTRAINT pixel_events_pkey PRIMARY KEY USING INDEX pixel_events_key;

DROP INDEX IF EXISTS pixel_events_by_id;
