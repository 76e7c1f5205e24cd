-- 0018: an audience's members move from one audience_members row each to audience_member_log, one row per chunk
-- TikTok confirmed: its members packed into one value (PackedMembers: a code byte, 1 for an email's and 2 for a
-- phone's SHA-256, then its 32 bytes; code 0, a two-byte big-endian length and the UTF-8 of anything else), added
-- or removed. The audience's members are the log replayed in seq order. A run that ends rewrites its audience's log
-- as one row of the members it holds, so an idle audience is one row and its count is that row's size.
-- A row per member cost PostgreSQL about 16 µs a member in index work (docs/BENCHMARKS.md, twenty-third pass);
-- a chunk's one row costs it well under one.
--   * Chunks of one phase are stored side by side (their members all added, or all removed, so their order does not
--     matter); a phase starts only once the one before it is stored, so seq orders what does matter.
--   * The rewrite takes the audience's advisory lock exclusively and a chunk's insert takes it shared, so a rewrite
--     never misses a chunk stored beside it.
--   * members is stored uncompressed (EXTERNAL): hashes do not compress.
-- Existing members are packed here, one row per audience, and audience_members is dropped. On a rolling upgrade,
-- nodes on an older build fail to store members from this point (their writes wait for the copy, then find no
-- table) and retry their chunks; stop them before, or expect their audience runs to wait until they are replaced.
CREATE TABLE IF NOT EXISTS audience_member_log (
    audience_key text COLLATE "C" NOT NULL,
    seq          bigserial,
    removes      boolean NOT NULL,
    size         integer NOT NULL,
    members      bytea   NOT NULL,
    PRIMARY KEY (audience_key, seq)
);

ALTER TABLE audience_member_log ALTER COLUMN members SET STORAGE EXTERNAL;

-- Older nodes' writes to audience_members wait for this lock and then fail on the dropped table, so none of them
-- lands after the copy below has read the table.
LOCK TABLE audience_members IN EXCLUSIVE MODE;

INSERT INTO audience_member_log (audience_key, removes, size, members)
SELECT audience_key, false, count(*), string_agg(
    CASE
        WHEN member ~ '^EMAIL_SHA256:[0-9a-f]{64}$' THEN '\x01'::bytea || decode(substr(member, 14), 'hex')
        WHEN member ~ '^PHONE_SHA256:[0-9a-f]{64}$' THEN '\x02'::bytea || decode(substr(member, 14), 'hex')
        ELSE '\x00'::bytea || substring(int4send(octet_length(convert_to(member, 'UTF8'))) FROM 3) || convert_to(member, 'UTF8')
    END, ''::bytea)
FROM audience_members
GROUP BY audience_key;

DROP TABLE audience_members;
