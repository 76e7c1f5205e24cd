-- 0016: the identifier columns that key this service's busiest tables compare byte by byte (COLLATE "C").
-- They hold machine identifiers (organizer, pixel and audience keys, event names and ids, lead ids, SHA-256
-- hex), never text a person reads in a collated order. Under the database's default collation every B-tree
-- comparison of two such values goes through the C library's strcoll (PostgreSQL's lc_collate_is_c is true
-- only for "C" and "POSIX", not for C.UTF-8 or en_US.UTF-8); under "C" it is one memcmp. The whole-machine
-- profiles of docs/BENCHMARKS.md (tenth and eleventh passes) found varstr_cmp, strcoll and the locale lookups
-- among PostgreSQL's leading leaf functions on the append, settle and audience-member paths.
--   * Comparisons with parameters and with other columns of default collation take "C" (an explicit column
--     collation wins over the default), so every statement keeps its plan and its indexes.
--   * The order of these values in an ORDER BY may change on a database whose default collation is not
--     C-like; no listing this service answers is ordered by them.
--   * Changing a column's collation rewrites no table, but rebuilds every index that names the column, under
--     a lock that stops writes to the table while it runs. On a large pixel_events, apply it in a quiet hour.
ALTER TABLE pixel_events
    ALTER COLUMN pixel_key TYPE text COLLATE "C",
    ALTER COLUMN event_name TYPE text COLLATE "C",
    ALTER COLUMN event_id TYPE text COLLATE "C";

ALTER TABLE pixel_pending
    ALTER COLUMN pixel_key TYPE text COLLATE "C";

ALTER TABLE pixel_requests
    ALTER COLUMN pixel_key TYPE text COLLATE "C";

ALTER TABLE pixel_delivered_hours
    ALTER COLUMN pixel_key TYPE text COLLATE "C";

ALTER TABLE buyer_facts
    ALTER COLUMN organizer_id TYPE text COLLATE "C",
    ALTER COLUMN pixel_id TYPE text COLLATE "C",
    ALTER COLUMN event_name TYPE text COLLATE "C",
    ALTER COLUMN event_id TYPE text COLLATE "C";

ALTER TABLE audience_operations
    ALTER COLUMN audience_key TYPE text COLLATE "C";

ALTER TABLE audience_members
    ALTER COLUMN audience_key TYPE text COLLATE "C",
    ALTER COLUMN member TYPE text COLLATE "C";

ALTER TABLE leads
    ALTER COLUMN organizer_id TYPE text COLLATE "C",
    ALTER COLUMN lead_id TYPE text COLLATE "C";

ALTER TABLE lead_deliveries
    ALTER COLUMN organizer_id TYPE text COLLATE "C",
    ALTER COLUMN lead_id TYPE text COLLATE "C";
