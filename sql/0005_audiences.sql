-- 0005: creates audience_operations, the ordered and durable queue (and run history) of audience syncs,
-- with each run's rows (hashed identifiers only) and its progress, so a sync interrupted by a crash
-- resumes where it stopped; and audience_members, the identifiers TikTok confirmed per audience.
CREATE TABLE IF NOT EXISTS audience_operations (
    op_id        bigserial   PRIMARY KEY,
    audience_key text        NOT NULL,
    action       text        NOT NULL CHECK (action IN ('APPEND', 'REMOVE', 'REPLACE')),
    id_schema    text[]      NOT NULL,
    rows         text[]      NOT NULL,
    trigger      text        NOT NULL CHECK (trigger IN ('instant', 'scheduled')),
    total        integer     NOT NULL,
    valid        integer     NOT NULL,
    status       text        NOT NULL CHECK (status IN ('scheduled', 'pending', 'running', 'done', 'failed')),
    phase        integer     NOT NULL DEFAULT 0,
    progress     integer     NOT NULL DEFAULT 0,
    uploaded     integer     NOT NULL DEFAULT 0,
    removed      integer     NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL,
    started_at   timestamptz,
    finished_at  timestamptz,
    error        text
);

CREATE INDEX IF NOT EXISTS audience_operations_by_audience ON audience_operations (audience_key, op_id);

CREATE TABLE IF NOT EXISTS audience_members (
    audience_key text NOT NULL,
    member       text NOT NULL,
    PRIMARY KEY (audience_key, member)
);
