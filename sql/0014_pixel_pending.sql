-- 0014: moves the set of events waiting for TikTok out of pixel_events, so that marking an event delivered
-- can be a HOT update: a row rewritten in place on its own page, with no new index entries. PostgreSQL can
-- only do that when the update changes no column that an index names, in its keys, its expressions or its
-- WHERE, and when the page has room for the new version.
--   * pixel_pending holds (pixel_key, seq) for every row whose status is 'accepted'. The store inserts it
--     in the transaction that stores or revives the event, and deletes it in the transaction that marks
--     the event delivered or failed. A row re-accepted after the dedup window takes a new seq; its old
--     pending row, if any, no longer matches an event and is removed by the retention purge.
--   * pixel_events_by_seq replaces the partial pixel_events_pending (whose WHERE named status).
--   * the dead-letter and reconciliation indexes are rebuilt without status in their WHERE: failed_at is
--     set exactly while status is 'failed' (pixel_events_failed); pixel_events_by_event_time also holds
--     rows not yet delivered, and reconciliation still filters on status.
--   * fillfactor 50 leaves half of each new page free, room for each row's delivered version.
-- Upgrade with every node stopped, or on a rolling upgrade run the backfill below again once the last node on
-- an older build has stopped: those nodes store 'accepted' rows without their pending row, and a node on this
-- build only sends what pixel_pending lists. Never run that backfill once 0017 has been applied: delivered
-- events stay 'accepted' from then on, and it would list them all as waiting again. The index builds hold a
-- lock that stops writes to pixel_events while they run.
CREATE TABLE IF NOT EXISTS pixel_pending (
    pixel_key text   NOT NULL,
    seq       bigint NOT NULL,
    PRIMARY KEY (pixel_key, seq)
);

INSERT INTO pixel_pending (pixel_key, seq)
SELECT pixel_key, seq FROM pixel_events WHERE status = 'accepted'
ON CONFLICT DO NOTHING;

CREATE INDEX IF NOT EXISTS pixel_events_by_seq ON pixel_events (pixel_key, seq);
DROP INDEX IF EXISTS pixel_events_pending;

DROP INDEX IF EXISTS pixel_events_dead_letters;
CREATE INDEX IF NOT EXISTS pixel_events_failed ON pixel_events (pixel_key, failed_at DESC) WHERE failed_at IS NOT NULL;

DROP INDEX IF EXISTS pixel_events_delivered_by_time;
CREATE INDEX IF NOT EXISTS pixel_events_by_event_time
    ON pixel_events (pixel_key, ((payload->>'event_time')::bigint))
    WHERE test_event_code IS NULL;

ALTER TABLE pixel_events SET (fillfactor = 50);
