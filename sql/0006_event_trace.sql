-- 0006: adds pixel_events.trace_id, the W3C trace id of the request that sent the event, so one event's
-- status links the platform's request, the pixel grain and TikTok's request_id.
ALTER TABLE pixel_events ADD COLUMN IF NOT EXISTS trace_id text;
