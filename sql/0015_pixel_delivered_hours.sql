-- 0015: events TikTok confirmed per pixel and UTC hour, for the delivery_drop alert. Each organizer's alerts
-- read the last 8 days of every pixel each minute; summed from pixel_requests that is up to ~7 million rows
-- for a pixel sending 10 requests a second, and here at most 192 rows. The store adds a successful request's
-- event count in the statement that logs the request (the settle's transaction), and the retention purge
-- removes hours older than pixel_requests keeps.
-- On a rolling upgrade, nodes on an older build log requests without counting them here: their deliveries
-- are missing from the hours they sent in, which can raise delivery_drop for those hours only. The backfill
-- below counts what was logged before this script ran.
CREATE TABLE IF NOT EXISTS pixel_delivered_hours (
    pixel_key text        NOT NULL,
    hour      timestamptz NOT NULL,
    events    bigint      NOT NULL,
    PRIMARY KEY (pixel_key, hour)
);

INSERT INTO pixel_delivered_hours (pixel_key, hour, events)
SELECT pixel_key, date_trunc('hour', sent_at, 'UTC'), sum(event_count)
FROM pixel_requests
WHERE outcome = 'success'
GROUP BY 1, 2
ON CONFLICT (pixel_key, hour) DO NOTHING;
