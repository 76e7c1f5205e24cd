-- 0021: buyer facts are recorded packed, one buyer_fact_packs row for an organizer's facts in a write, where
-- buyer_facts took a row per fact with three index entries (docs/BENCHMARKS.md, thirty-fourth pass). The form is
-- BuyerFactPack's: a version byte, then each fact's pixel id, event name and id, event_time and accepted_at,
-- hashed email and phone, value, currency and content ids; hashes only, never raw data.
--   * A pack goes in the transaction of the events it came with, and holds only the facts of the events that
--     transaction inserts: an event found stored, or taken over after its window, keeps the fact of its first insert,
--     as buyer_facts' key kept the first one recorded. A fact there twice all the same is read once.
--   * first_event_time and last_event_time bound the pack's facts: segments read the packs whose last is inside
--     their lookback; retention deletes the packs whose last is past the cut-off and rewrites the few that
--     straddle it without their older facts.
--   * packed is stored uncompressed (EXTERNAL): hashes and event ids do not compress.
-- buyer_facts keeps the facts recorded before this script and is read beside the packs until retention has emptied
-- it; nothing writes to it any more. On a rolling upgrade, nodes on an older build keep writing facts there, and a
-- node on this build reads them too. Nodes on an older build do not read the packs: segments computed on them miss
-- the facts recorded since the upgrade began, and an organizer's DELETE /buyer-data handled by one of them leaves
-- its packs. Replace them before serving erasure requests, or repeat such requests once the upgrade is done.
CREATE TABLE IF NOT EXISTS buyer_fact_packs (
    organizer_id     text COLLATE "C" NOT NULL,
    id               bigserial,
    first_event_time timestamptz NOT NULL,
    last_event_time  timestamptz NOT NULL,
    facts            integer     NOT NULL CHECK (facts > 0),
    packed           bytea       NOT NULL,
    PRIMARY KEY (organizer_id, id)
);

ALTER TABLE buyer_fact_packs ALTER COLUMN packed SET STORAGE EXTERNAL;

CREATE INDEX IF NOT EXISTS buyer_fact_packs_by_organizer_time ON buyer_fact_packs (organizer_id, last_event_time);
