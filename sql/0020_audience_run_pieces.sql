-- 0020: a large run's packed rows (sql/0013) are stored as pieces of audience_operations.piece_rows rows each, one
-- audience_run_pieces row a piece, written by one COPY in the transaction that inserts the run. A backend that has not
-- held megabytes before stores 3.3 MB as twenty pieces of 165 kB faster than as one value; a warm one takes as long
-- either way (docs/BENCHMARKS.md, thirty-second pass). The run's store is what a sync's 202 waits for. A chunk is
-- read from the pieces it spans.
--   * Runs of at most piece_rows rows, and every run stored before this script, keep their rows in packed (or rows)
--     with piece_rows NULL.
--   * A run stored in pieces has packed set to one zero byte, which is not whole rows: a node on an older build that
--     picks up such a run before its first chunk fails to read it (and tries again later) instead of finding no rows
--     and ending it. One that picks it up part-way would find no more rows and end it short, so on a rolling upgrade
--     replace the older nodes before large syncs are sent to the new ones.
--   * Pieces go with their run: deleting an audience's runs deletes them.
--   * packed is stored uncompressed (EXTERNAL): hashes do not compress.
ALTER TABLE audience_operations ADD COLUMN IF NOT EXISTS piece_rows integer CHECK (piece_rows > 0);

CREATE TABLE IF NOT EXISTS audience_run_pieces (
    op_id  bigint  NOT NULL REFERENCES audience_operations (op_id) ON DELETE CASCADE,
    piece  integer NOT NULL,
    packed bytea   NOT NULL,
    PRIMARY KEY (op_id, piece)
);

ALTER TABLE audience_run_pieces ALTER COLUMN packed SET STORAGE EXTERNAL;
