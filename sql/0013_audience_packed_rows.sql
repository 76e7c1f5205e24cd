-- 0013: adds audience_operations.packed, a run's rows as fixed-width bytes (a presence mask, then one
-- 32-byte SHA-256 per id_schema entry), stored uncompressed (EXTERNAL) so that one chunk is read by
-- offset without reading the whole run. Runs stored this way keep an empty rows array; older runs and
-- rows that do not fit the form keep using rows.
ALTER TABLE audience_operations ADD COLUMN IF NOT EXISTS packed bytea;
ALTER TABLE audience_operations ALTER COLUMN packed SET STORAGE EXTERNAL;
