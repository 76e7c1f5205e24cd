-- 0017: an event TikTok accepted is no longer rewritten. Its settle deletes its pixel_pending row and logs the
-- request (pixel_requests, with the seqs it carried) in one transaction, as before, and leaves the pixel_events row
-- as it was stored. The rewrite cost PostgreSQL a new version of every delivered row, payload included: a third of
-- the settle's time and about 700 bytes of WAL an event (docs/BENCHMARKS.md, fourteenth pass).
--   * An event reads as delivered when its status is 'delivered' (rows settled before this script) or when it is
--     'accepted' and no longer waits in pixel_pending. Failed and skipped events keep their own status.
--   * Its delivery time and TikTok's request_id come from the successful request that carried its seq: settled_at
--     is when the settle recorded TikTok's answer (the time the rewrite stored), and first_seq and last_seq bound
--     each request's seqs, so that pixel_requests_by_first_seq finds that request in a step or
--     two, without reading the seqs arrays of the pixel's other requests.
--   * pixel_events goes back to PostgreSQL's default fillfactor: half of each page was kept free for the rewrite
--     (0014), and only a failure or a replay rewrites a row now.
-- On a rolling upgrade, nodes on an older build still rewrite what they deliver ('delivered' rows, read the same
-- way) and log requests without first_seq and last_seq: run the backfill below again once the last of them has
-- stopped, or the events they delivered read as delivered without their request. The index build holds a lock
-- that stops writes to pixel_requests while it runs.
ALTER TABLE pixel_requests ADD COLUMN IF NOT EXISTS first_seq bigint;
ALTER TABLE pixel_requests ADD COLUMN IF NOT EXISTS last_seq bigint;
ALTER TABLE pixel_requests ADD COLUMN IF NOT EXISTS settled_at timestamptz;

UPDATE pixel_requests r SET first_seq = b.first_seq, last_seq = b.last_seq
FROM (SELECT pixel_key, id, min(s) AS first_seq, max(s) AS last_seq FROM pixel_requests, unnest(seqs) AS s GROUP BY pixel_key, id) b
WHERE r.pixel_key = b.pixel_key AND r.id = b.id AND r.first_seq IS NULL;

CREATE INDEX IF NOT EXISTS pixel_requests_by_first_seq ON pixel_requests (pixel_key, first_seq) WHERE outcome = 'success';

ALTER TABLE pixel_events RESET (fillfactor);
