-- 0003: creates reminders, the durable schedules. next_due moves forward by compare-and-swap when a
-- node delivers a tick.
CREATE TABLE IF NOT EXISTS reminders (
    grain_type text        NOT NULL,
    grain_key  text        NOT NULL,
    name       text        NOT NULL,
    start_at   timestamptz NOT NULL,
    period_ms  bigint      NOT NULL CHECK (period_ms > 0),
    next_due   timestamptz NOT NULL,
    PRIMARY KEY (grain_type, grain_key, name)
);

CREATE INDEX IF NOT EXISTS reminders_next_due ON reminders (next_due);
