-- 0010: creates an index for the assurance reads of pixel_events (nothing new is stored):
-- pixel_events_delivered_by_time serves reconciliation, which counts a pixel's delivered, non-test
-- events per event name and UTC day of their event_time (the Unix seconds in payload); match quality
-- reads a window of accepted_at through the existing pixel_events_recent. Re-running is harmless.
CREATE INDEX IF NOT EXISTS pixel_events_delivered_by_time
    ON pixel_events (pixel_key, ((payload->>'event_time')::bigint))
    WHERE status = 'delivered' AND test_event_code IS NULL;
