-- 0002: creates orleans_storage, where Orleans' ADO.NET grain storage keeps each grain's serialized state,
-- with the functions behind its read/write/clear/delete queries; version is the state's ETag, compared
-- and bumped by every change so two activations of one grain cannot silently overwrite each other.

-- A grain is identified by its exact type and key: integer and Guid keys travel in n0/n1 (with an
-- optional extension), string keys in grain_id_extension with n0 = n1 = 0. The hashes are computed by
-- the provider; they lead the index only to keep it selective, the exact columns make the row unique.
CREATE TABLE IF NOT EXISTS orleans_storage (
    grain_id_hash      integer     NOT NULL,
    grain_type_hash    integer     NOT NULL,
    service_id         text        NOT NULL,
    grain_type         text        NOT NULL,
    grain_id_n0        bigint      NOT NULL,
    grain_id_n1        bigint      NOT NULL,
    grain_id_extension text,
    payload            bytea,
    version            integer     NOT NULL,
    modified_on        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orleans_storage_grain UNIQUE NULLS NOT DISTINCT
        (grain_id_hash, grain_type_hash, service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_extension)
);

-- The functions take the provider's parameters in its order. A null result tells the provider that the
-- ETag it held was stale (InconsistentStateException).
CREATE OR REPLACE FUNCTION orleans_storage_read(
    p_grain_id_hash integer, p_grain_id_n0 bigint, p_grain_id_n1 bigint, p_grain_type_hash integer,
    p_grain_type text, p_grain_id_extension text, p_service_id text)
RETURNS TABLE ("PayloadBinary" bytea, "Version" integer) LANGUAGE sql STABLE AS $$
    SELECT payload, version FROM orleans_storage
     WHERE grain_id_hash = p_grain_id_hash AND grain_type_hash = p_grain_type_hash
       AND service_id = p_service_id AND grain_type = p_grain_type
       AND grain_id_n0 = p_grain_id_n0 AND grain_id_n1 = p_grain_id_n1
       AND grain_id_extension IS NOT DISTINCT FROM p_grain_id_extension
$$;

-- Without an ETag the grain believes it has no row yet: insert at version 1, and if a row exists after all
-- (another activation wrote first) insert nothing and report the conflict.
CREATE OR REPLACE FUNCTION orleans_storage_write(
    p_grain_id_hash integer, p_grain_id_n0 bigint, p_grain_id_n1 bigint, p_grain_type_hash integer,
    p_grain_type text, p_grain_id_extension text, p_service_id text, p_version integer, p_payload bytea)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    new_version integer;
BEGIN
    IF p_version IS NULL THEN
        INSERT INTO orleans_storage (grain_id_hash, grain_type_hash, service_id, grain_type, grain_id_n0,
                                     grain_id_n1, grain_id_extension, payload, version)
        VALUES (p_grain_id_hash, p_grain_type_hash, p_service_id, p_grain_type, p_grain_id_n0,
                p_grain_id_n1, p_grain_id_extension, p_payload, 1)
        ON CONFLICT DO NOTHING
        RETURNING version INTO new_version;
    ELSE
        UPDATE orleans_storage SET payload = p_payload, version = version + 1, modified_on = now()
         WHERE grain_id_hash = p_grain_id_hash AND grain_type_hash = p_grain_type_hash
           AND service_id = p_service_id AND grain_type = p_grain_type
           AND grain_id_n0 = p_grain_id_n0 AND grain_id_n1 = p_grain_id_n1
           AND grain_id_extension IS NOT DISTINCT FROM p_grain_id_extension
           AND version = p_version
        RETURNING version INTO new_version;
    END IF;
    RETURN new_version;
END $$;

-- Clearing keeps the row (payload null) so the version keeps counting and a stale ETag still conflicts.
CREATE OR REPLACE FUNCTION orleans_storage_clear(
    p_grain_id_hash integer, p_grain_id_n0 bigint, p_grain_id_n1 bigint, p_grain_type_hash integer,
    p_grain_type text, p_grain_id_extension text, p_service_id text, p_version integer)
RETURNS integer LANGUAGE sql AS $$
    UPDATE orleans_storage SET payload = NULL, version = version + 1, modified_on = now()
     WHERE grain_id_hash = p_grain_id_hash AND grain_type_hash = p_grain_type_hash
       AND service_id = p_service_id AND grain_type = p_grain_type
       AND grain_id_n0 = p_grain_id_n0 AND grain_id_n1 = p_grain_id_n1
       AND grain_id_extension IS NOT DISTINCT FROM p_grain_id_extension
       AND version = p_version
    RETURNING version
$$;

-- Used instead of clearing when the storage is configured with DeleteStateOnClear. The provider only
-- checks that the answer differs from the ETag it sent, so a deleted row answers with its version + 1.
CREATE OR REPLACE FUNCTION orleans_storage_delete(
    p_grain_id_hash integer, p_grain_id_n0 bigint, p_grain_id_n1 bigint, p_grain_type_hash integer,
    p_grain_type text, p_grain_id_extension text, p_service_id text, p_version integer)
RETURNS integer LANGUAGE sql AS $$
    DELETE FROM orleans_storage
     WHERE grain_id_hash = p_grain_id_hash AND grain_type_hash = p_grain_type_hash
       AND service_id = p_service_id AND grain_type = p_grain_type
       AND grain_id_n0 = p_grain_id_n0 AND grain_id_n1 = p_grain_id_n1
       AND grain_id_extension IS NOT DISTINCT FROM p_grain_id_extension
       AND version = p_version
    RETURNING version + 1
$$;

INSERT INTO orleansquery (querykey, querytext) VALUES
('ReadFromStorageKey', '
SELECT * FROM orleans_storage_read(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
                                   @GrainIdExtensionString, @ServiceId)'),

('WriteToStorageKey', '
SELECT orleans_storage_write(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
                             @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary)
       AS "NewGrainStateVersion"'),

('ClearStorageKey', '
SELECT orleans_storage_clear(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
                             @GrainIdExtensionString, @ServiceId, @GrainStateVersion) AS "Version"'),

('DeleteStorageKey', '
SELECT orleans_storage_delete(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
                              @GrainIdExtensionString, @ServiceId, @GrainStateVersion) AS "Version"')
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
