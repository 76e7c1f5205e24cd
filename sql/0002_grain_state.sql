-- 0002: creates grain_state, one JSON document per grain and state name; version is the ETag that
-- every write compares and bumps.
CREATE TABLE IF NOT EXISTS grain_state (
    grain_type text        NOT NULL,
    grain_key  text        NOT NULL,
    state_name text        NOT NULL,
    payload    jsonb       NOT NULL,
    version    bigint      NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (grain_type, grain_key, state_name)
);
