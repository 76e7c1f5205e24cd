-- 0001: creates cluster_members, the membership table. Each node start inserts a row with a fresh
-- node id and heartbeats it by database time; a silent node is marked 'dead' for good.
CREATE TABLE IF NOT EXISTS cluster_members (
    node_id        text        PRIMARY KEY,
    address        text        NOT NULL,
    status         text        NOT NULL CHECK (status IN ('active', 'leaving', 'left', 'dead')),
    started_at     timestamptz NOT NULL DEFAULT now(),
    last_heartbeat timestamptz NOT NULL DEFAULT now(),
    -- Start of this node's current run of heartbeats without a gap; only a node with a run longer
    -- than the death timeout may declare others dead (so a database restart kills nobody).
    streak_start   timestamptz NOT NULL DEFAULT now(),
    ended_at       timestamptz
);

CREATE INDEX IF NOT EXISTS cluster_members_live ON cluster_members (status) WHERE status IN ('active', 'leaving');
