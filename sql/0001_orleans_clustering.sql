-- 0001: creates orleansquery, where every Orleans ADO.NET provider (clustering, grain storage, reminders)
-- looks up its SQL by key at start-up, and the Orleans cluster membership tables with their queries, so
-- silos find each other and agree on who is alive through PostgreSQL.

-- Orleans reads this with the unquoted `SELECT QueryKey, QueryText FROM OrleansQuery`, which PostgreSQL
-- folds to these lower-case names.
CREATE TABLE IF NOT EXISTS orleansquery (
    querykey  text PRIMARY KEY,
    querytext text NOT NULL
);

-- One row per cluster (Orleans calls it deployment). Its version is the table-wide ETag: every membership
-- change must present the version it read and bumps it, which is how concurrent silos detect races.
CREATE TABLE IF NOT EXISTS orleans_membership_version (
    deployment_id text    PRIMARY KEY,
    version       integer NOT NULL DEFAULT 0
);

-- One row per silo incarnation; a restarted silo comes back with a new generation, hence a new row.
-- Status is Orleans' SiloStatus number (3 = Active, 6 = Dead); suspect_times is Orleans' own
-- 'silo,date|silo,date' text, stored as given.
CREATE TABLE IF NOT EXISTS orleans_membership (
    deployment_id   text        NOT NULL REFERENCES orleans_membership_version ON DELETE CASCADE,
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer     NOT NULL,
    suspect_times   text,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

-- Both writers lock the version row first: that serializes membership writers of a cluster, so a writer
-- holding a stale version changes nothing, and the version moves only when the member row really changed.
CREATE OR REPLACE FUNCTION orleans_membership_insert(
    p_deployment_id text, p_address text, p_port integer, p_generation integer, p_silo_name text,
    p_host_name text, p_status integer, p_proxy_port integer, p_start_time timestamptz,
    p_i_am_alive_time timestamptz, p_version integer)
RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM orleans_membership_version
     WHERE deployment_id = p_deployment_id AND version = p_version FOR UPDATE;
    IF NOT FOUND THEN RETURN 0; END IF;
    INSERT INTO orleans_membership (deployment_id, address, port, generation, silo_name, host_name, status,
                                    proxy_port, start_time, i_am_alive_time)
    VALUES (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status,
            p_proxy_port, p_start_time, p_i_am_alive_time)
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN RETURN 0; END IF;
    UPDATE orleans_membership_version SET version = version + 1 WHERE deployment_id = p_deployment_id;
    RETURN 1;
END $$;

CREATE OR REPLACE FUNCTION orleans_membership_update(
    p_deployment_id text, p_address text, p_port integer, p_generation integer, p_status integer,
    p_suspect_times text, p_i_am_alive_time timestamptz, p_version integer)
RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM orleans_membership_version
     WHERE deployment_id = p_deployment_id AND version = p_version FOR UPDATE;
    IF NOT FOUND THEN RETURN 0; END IF;
    UPDATE orleans_membership
       SET status = p_status, suspect_times = p_suspect_times, i_am_alive_time = p_i_am_alive_time
     WHERE deployment_id = p_deployment_id AND address = p_address AND port = p_port
       AND generation = p_generation;
    IF NOT FOUND THEN RETURN 0; END IF;
    UPDATE orleans_membership_version SET version = version + 1 WHERE deployment_id = p_deployment_id;
    RETURN 1;
END $$;

-- Orleans reads result columns by name, hence the quoted aliases. The read queries start from the version
-- row so they always return a row carrying the table version, even when the cluster has no members (the
-- member columns are then null, which Orleans takes as "no entry").
INSERT INTO orleansquery (querykey, querytext) VALUES
('InsertMembershipVersionKey', '
WITH created AS (
    INSERT INTO orleans_membership_version (deployment_id) VALUES (@DeploymentId)
    ON CONFLICT DO NOTHING RETURNING 1
)
SELECT count(*)::integer FROM created'),

('MembershipReadAllKey', '
SELECT v.version AS "Version", m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
       m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status",
       m.proxy_port AS "ProxyPort", m.suspect_times AS "SuspectTimes", m.start_time AS "StartTime",
       m.i_am_alive_time AS "IAmAliveTime"
  FROM orleans_membership_version v
  LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
 WHERE v.deployment_id = @DeploymentId'),

('MembershipReadRowKey', '
SELECT v.version AS "Version", m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
       m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status",
       m.proxy_port AS "ProxyPort", m.suspect_times AS "SuspectTimes", m.start_time AS "StartTime",
       m.i_am_alive_time AS "IAmAliveTime"
  FROM orleans_membership_version v
  LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
       AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
 WHERE v.deployment_id = @DeploymentId'),

('InsertMembershipKey', '
SELECT orleans_membership_insert(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
                                 @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version)'),

('UpdateMembershipKey', '
SELECT orleans_membership_update(@DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes,
                                 @IAmAliveTime, @Version)'),

-- The heartbeat is not a membership change, so it leaves the version alone.
('UpdateIAmAlivetimeKey', '
UPDATE orleans_membership SET i_am_alive_time = @IAmAliveTime
 WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation'),

('GatewaysQueryKey', '
SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
  FROM orleans_membership
 WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0'),

('CleanupDefunctSiloEntriesKey', '
DELETE FROM orleans_membership
 WHERE deployment_id = @DeploymentId AND i_am_alive_time < @IAmAliveTime AND status <> 3'),

-- Member rows go with their version row (ON DELETE CASCADE).
('DeleteMembershipTableEntriesKey', '
DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId')
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
