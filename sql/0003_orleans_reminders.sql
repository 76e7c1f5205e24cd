-- 0003: creates orleans_reminders, the durable reminder schedules of Orleans' ADO.NET reminder service,
-- and its queries; version is a reminder's ETag, so a silo cannot remove a reminder that was re-registered
-- meanwhile.

-- grain_hash is the grain's uniform hash as a signed integer: each silo reads the reminders of its own
-- slice of the hash ring by range, hence the index.
CREATE TABLE IF NOT EXISTS orleans_reminders (
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    grain_hash    integer     NOT NULL,
    start_time    timestamptz NOT NULL,
    period_ms     bigint      NOT NULL,
    version       integer     NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX IF NOT EXISTS orleans_reminders_ring ON orleans_reminders (service_id, grain_hash);

-- Orleans reads result columns by name, hence the quoted aliases.
INSERT INTO orleansquery (querykey, querytext) VALUES
('ReadReminderRowsKey', '
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
  FROM orleans_reminders
 WHERE service_id = @ServiceId AND grain_id = @GrainId'),

('ReadReminderRowKey', '
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
  FROM orleans_reminders
 WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName'),

-- The ring range (BeginHash, EndHash]; Orleans picks this query when it does not wrap around...
('ReadRangeRows1Key', '
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
  FROM orleans_reminders
 WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash'),

-- ...and this one when it does (BeginHash >= EndHash as signed integers).
('ReadRangeRows2Key', '
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
  FROM orleans_reminders
 WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)'),

-- Registering again replaces the schedule and moves the version on, invalidating ETags handed out before.
('UpsertReminderRowKey', '
INSERT INTO orleans_reminders AS r (service_id, grain_id, reminder_name, grain_hash, start_time, period_ms, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @GrainHash, @StartTime, @Period, 0)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
   SET grain_hash = EXCLUDED.grain_hash, start_time = EXCLUDED.start_time,
       period_ms = EXCLUDED.period_ms, version = r.version + 1
RETURNING version AS "Version"'),

('DeleteReminderRowKey', '
WITH deleted AS (
    DELETE FROM orleans_reminders
     WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
       AND version = @Version
    RETURNING 1
)
SELECT count(*)::integer FROM deleted'),

('DeleteReminderRowsKey', '
DELETE FROM orleans_reminders WHERE service_id = @ServiceId')
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
