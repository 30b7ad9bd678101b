-- mysql_replica: replicate MySQL and MariaDB sources into PostgreSQL.
--
-- The configuration of each channel and its position in the source's
-- binlog are tables of this schema.  The position is written by the
-- worker in the same transaction as the rows it applies, which is what
-- makes replication exactly-once across crashes.

\echo Use "CREATE EXTENSION mysql_replica" to load this file. \quit

CREATE FUNCTION mysql_replica._check_installation() RETURNS void
	LANGUAGE C STRICT AS 'MODULE_PATHNAME', 'mysql_replica_check_installation';
SELECT mysql_replica._check_installation();
REVOKE ALL ON FUNCTION mysql_replica._check_installation() FROM PUBLIC;

-- One row per channel: where its source is and how to reach it.  Holds the
-- password, so no one but superusers may read it.
CREATE TABLE mysql_replica.channels (
	channel				text PRIMARY KEY
						CHECK (channel <> '' AND octet_length(channel) < 64),
	host				text,
	port				integer NOT NULL DEFAULT 3306
						CHECK (port BETWEEN 1 AND 65535),
	username			text,
	password			text,
	server_id			bigint
						CHECK (server_id BETWEEN 1 AND 4294967295),
	connect_retry		integer NOT NULL DEFAULT 60
						CHECK (connect_retry BETWEEN 1 AND 31536000),
	retry_count			bigint NOT NULL DEFAULT 86400
						CHECK (retry_count >= 0),
	heartbeat_period	double precision NOT NULL DEFAULT 30
						CHECK (heartbeat_period BETWEEN 0 AND 4294967),
	ssl_mode			text NOT NULL DEFAULT 'preferred'
						CHECK (ssl_mode IN ('disabled', 'preferred', 'required',
											'verify_ca', 'verify_identity')),
	exec_mode			text NOT NULL DEFAULT 'strict'
						CHECK (exec_mode IN ('strict', 'idempotent')),
	-- stream by GTID (MASTER_USE_GTID / SOURCE_AUTO_POSITION)
	auto_position		boolean NOT NULL DEFAULT false,
	-- a source statement that cannot be replayed: stop, or skip it
	unsupported_ddl		text NOT NULL DEFAULT 'stop'
						CHECK (unsupported_ddl IN ('stop', 'skip')),
	-- DROP DATABASE drops the schema if the replica created it, always,
	-- or never
	drop_database		text NOT NULL DEFAULT 'created'
						CHECK (drop_database IN ('created', 'always', 'never')),
	-- a channel with no position copies the source's tables first
	initial_snapshot	boolean NOT NULL DEFAULT true,
	-- database.table patterns (% and _ wildcards): what is replicated
	include_tables		text[] NOT NULL DEFAULT '{}',
	exclude_tables		text[] NOT NULL DEFAULT '{}',
	-- {"mysql database": "postgresql schema"} for differently named schemas
	schema_map			jsonb NOT NULL DEFAULT '{}'
						CHECK (jsonb_typeof(schema_map) = 'object'),
	enabled				boolean NOT NULL DEFAULT false
);
REVOKE ALL ON mysql_replica.channels FROM PUBLIC;

-- Where each channel is in its source's binlog: the end of the last
-- transaction applied.  NULL log_file means "start at the source's current
-- end of binlog".
CREATE TABLE mysql_replica.channel_position (
	channel				text PRIMARY KEY
						REFERENCES mysql_replica.channels ON DELETE CASCADE,
	log_file			text,
	log_pos				bigint CHECK (log_pos >= 4),
	gtid_executed		text NOT NULL DEFAULT '',
	applied_at			timestamptz,
	-- skip_transaction() asked to skip the next source transaction
	skip_next			boolean NOT NULL DEFAULT false
);
REVOKE ALL ON mysql_replica.channel_position FROM PUBLIC;

-- What the replica knows of the schemas, tables and indexes it created
-- from the source's DDL, beyond what PostgreSQL's catalog holds.  Rows of
-- dropped tables and indexes are deleted at the next DDL statement.

-- Schemas created for MySQL databases, which DROP DATABASE may drop.
CREATE TABLE mysql_replica.source_schemas (
	nspname				text PRIMARY KEY
);
REVOKE ALL ON mysql_replica.source_schemas FROM PUBLIC;

-- MySQL names of indexes: MySQL names indexes per table, PostgreSQL per
-- schema, so an index is created as "table_name" and found by its MySQL
-- name here.
CREATE TABLE mysql_replica.source_indexes (
	indexrelid			oid PRIMARY KEY,
	relid				oid NOT NULL,
	name				text NOT NULL
);
CREATE INDEX ON mysql_replica.source_indexes (relid);
REVOKE ALL ON mysql_replica.source_indexes FROM PUBLIC;

-- The MySQL order of a table's columns (PostgreSQL attribute numbers),
-- kept once FIRST or AFTER made it differ from PostgreSQL's; the applier
-- matches columns by it when the binlog carries no column names.
CREATE TABLE mysql_replica.source_columns (
	relid				oid PRIMARY KEY,
	attnums				int2[] NOT NULL
);
REVOKE ALL ON mysql_replica.source_columns FROM PUBLIC;

-- The tables of a channel's initial snapshot and how far their copy is.
-- The rows of the table being copied are counted in shared memory and
-- shown by the snapshot_progress view.
CREATE TABLE mysql_replica.snapshot_tables (
	channel				text NOT NULL
						REFERENCES mysql_replica.channels ON DELETE CASCADE,
	source_database		text NOT NULL,
	source_table		text NOT NULL,
	relid				oid,
	-- the snapshot created the table (else it copied into an empty one)
	created				boolean NOT NULL DEFAULT false,
	-- the snapshot this table belongs to has not finished: a new attempt
	-- drops the table if it created it, else empties it
	unfinished			boolean NOT NULL DEFAULT true,
	state				text NOT NULL DEFAULT 'pending'
						CHECK (state IN ('pending', 'copying', 'done')),
	rows_estimated		bigint,
	rows_copied			bigint NOT NULL DEFAULT 0,
	started_at			timestamptz,
	finished_at			timestamptz,
	PRIMARY KEY (channel, source_database, source_table)
);
REVOKE ALL ON mysql_replica.snapshot_tables FROM PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('mysql_replica.channels', '');
SELECT pg_catalog.pg_extension_config_dump('mysql_replica.channel_position', '');

CREATE FUNCTION mysql_replica._check_stopped(channel text, action text)
	RETURNS void
	LANGUAGE C STRICT AS 'MODULE_PATHNAME', 'mysql_replica_check_stopped';

CREATE FUNCTION mysql_replica._forget_channel_state(channel text) RETURNS void
	LANGUAGE C STRICT AS 'MODULE_PATHNAME', 'mysql_replica_forget_channel_state';

-- CHANGE REPLICATION SOURCE TO: set what is given, keep the rest.
CREATE FUNCTION mysql_replica.change_source(
	host				text DEFAULT NULL,
	port				integer DEFAULT NULL,
	username			text DEFAULT NULL,
	password			text DEFAULT NULL,
	server_id			bigint DEFAULT NULL,
	connect_retry		integer DEFAULT NULL,
	retry_count			bigint DEFAULT NULL,
	heartbeat_period	double precision DEFAULT NULL,
	log_file			text DEFAULT NULL,
	log_pos				bigint DEFAULT NULL,
	ssl_mode			text DEFAULT NULL,
	exec_mode			text DEFAULT NULL,
	auto_position		boolean DEFAULT NULL,
	gtid_executed		text DEFAULT NULL,
	unsupported_ddl		text DEFAULT NULL,
	drop_database		text DEFAULT NULL,
	initial_snapshot	boolean DEFAULT NULL,
	include_tables		text[] DEFAULT NULL,
	exclude_tables		text[] DEFAULT NULL,
	schema_map			jsonb DEFAULT NULL,
	channel				text DEFAULT 'default')
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	old		mysql_replica.channels;
BEGIN
	IF change_source.channel IS NULL THEN
		RAISE EXCEPTION 'channel name must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF change_source.port NOT BETWEEN 1 AND 65535 THEN
		RAISE EXCEPTION 'invalid port %', change_source.port
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF change_source.server_id NOT BETWEEN 1 AND 4294967295 THEN
		RAISE EXCEPTION 'invalid server_id %', change_source.server_id
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'A server id is between 1 and 4294967295 and differs from the ids of the source and its other replicas.';
	END IF;
	IF change_source.connect_retry NOT BETWEEN 1 AND 31536000 THEN
		RAISE EXCEPTION 'invalid connect_retry %', change_source.connect_retry
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'connect_retry is a number of seconds, at least 1.';
	END IF;
	IF change_source.retry_count < 0 THEN
		RAISE EXCEPTION 'invalid retry_count %', change_source.retry_count
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF change_source.heartbeat_period NOT BETWEEN 0 AND 4294967 THEN
		RAISE EXCEPTION 'invalid heartbeat_period %', change_source.heartbeat_period
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'heartbeat_period is a number of seconds; 0 turns heartbeats off.';
	END IF;
	IF lower(change_source.ssl_mode) NOT IN ('disabled', 'preferred', 'required',
											  'verify_ca', 'verify_identity') THEN
		RAISE EXCEPTION 'invalid ssl_mode "%"', change_source.ssl_mode
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Valid modes are disabled, preferred, required, verify_ca and verify_identity.';
	END IF;
	IF lower(change_source.exec_mode) NOT IN ('strict', 'idempotent') THEN
		RAISE EXCEPTION 'invalid exec_mode "%"', change_source.exec_mode
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Valid modes are strict and idempotent.';
	END IF;
	IF lower(change_source.unsupported_ddl) NOT IN ('stop', 'skip') THEN
		RAISE EXCEPTION 'invalid unsupported_ddl "%"', change_source.unsupported_ddl
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Valid values are stop and skip.';
	END IF;
	IF lower(change_source.drop_database) NOT IN ('created', 'always', 'never') THEN
		RAISE EXCEPTION 'invalid drop_database "%"', change_source.drop_database
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Valid values are created, always and never.';
	END IF;
	IF EXISTS (SELECT 1 FROM unnest(change_source.include_tables ||
									 change_source.exclude_tables) AS t(pattern)
			   WHERE t.pattern IS NULL OR t.pattern !~ '^([^.\\]|\\.)+\.(.)+$') THEN
		RAISE EXCEPTION 'invalid table pattern in include_tables or exclude_tables'
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'A pattern is database.table, where % matches any characters and _ one character, as in ''shop.%'' or ''%.audit\_%''.';
	END IF;
	IF jsonb_typeof(change_source.schema_map) <> 'object' OR
	   EXISTS (SELECT 1 FROM jsonb_each(change_source.schema_map) AS m(k, v)
			   WHERE jsonb_typeof(m.v) <> 'string' OR m.v #>> '{}' = ''
					 OR octet_length(m.v #>> '{}') > 63) THEN
		RAISE EXCEPTION 'invalid schema_map %', change_source.schema_map
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'schema_map maps MySQL database names to PostgreSQL schema names: {"shop": "shop_replica"}.';
	END IF;
	IF change_source.gtid_executed !~ ('^\s*$|^\s*\d+-\d+-\d+(\s*,\s*\d+-\d+-\d+)*\s*$|'
			'^\s*[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}[-:,0-9a-zA-Z_\s]*$') THEN
		RAISE EXCEPTION 'invalid gtid_executed "%"', change_source.gtid_executed
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Give MariaDB''s domain-server-sequence list (0-1-100,1-2-5) or a MySQL GTID set (uuid:1-100).';
	END IF;
	IF change_source.log_pos IS NOT NULL AND change_source.log_pos < 4 THEN
		RAISE EXCEPTION 'invalid binlog position %', change_source.log_pos
			USING ERRCODE = 'invalid_parameter_value', HINT = 'A binlog position is 4 or more: the first event of a file starts at offset 4.';
	END IF;
	PERFORM mysql_replica._check_stopped(change_source.channel,
										 'change the source of');

	SELECT * INTO old FROM mysql_replica.channels c
		WHERE c.channel = change_source.channel FOR UPDATE;

	IF NOT FOUND THEN
		-- A channel of this name may have run before (dropped with
		-- reset_replica or with the extension): forget its old state.
		PERFORM mysql_replica._forget_channel_state(change_source.channel);
		INSERT INTO mysql_replica.channels (channel)
			VALUES (change_source.channel);
		INSERT INTO mysql_replica.channel_position (channel)
			VALUES (change_source.channel);
	END IF;

	UPDATE mysql_replica.channels c SET
		host = coalesce(change_source.host, c.host),
		port = coalesce(change_source.port, c.port),
		username = coalesce(change_source.username, c.username),
		password = coalesce(change_source.password, c.password),
		server_id = coalesce(change_source.server_id, c.server_id),
		connect_retry = coalesce(change_source.connect_retry, c.connect_retry),
		retry_count = coalesce(change_source.retry_count, c.retry_count),
		heartbeat_period = coalesce(change_source.heartbeat_period, c.heartbeat_period),
		ssl_mode = coalesce(lower(change_source.ssl_mode), c.ssl_mode),
		exec_mode = coalesce(lower(change_source.exec_mode), c.exec_mode),
		auto_position = coalesce(change_source.auto_position, c.auto_position),
		unsupported_ddl = coalesce(lower(change_source.unsupported_ddl), c.unsupported_ddl),
		drop_database = coalesce(lower(change_source.drop_database), c.drop_database),
		initial_snapshot = coalesce(change_source.initial_snapshot, c.initial_snapshot),
		include_tables = coalesce(change_source.include_tables, c.include_tables),
		exclude_tables = coalesce(change_source.exclude_tables, c.exclude_tables),
		schema_map = coalesce(change_source.schema_map, c.schema_map)
	WHERE c.channel = change_source.channel;

	IF change_source.gtid_executed IS NOT NULL THEN
		UPDATE mysql_replica.channel_position p SET
			gtid_executed = regexp_replace(change_source.gtid_executed, '\s', '', 'g'),
			skip_next = false
		WHERE p.channel = change_source.channel;
	END IF;

	IF change_source.log_file IS NOT NULL OR change_source.log_pos IS NOT NULL THEN
		-- A position names a place in one file: a new file starts at 4.
		UPDATE mysql_replica.channel_position p SET
			log_file = coalesce(change_source.log_file, p.log_file),
			log_pos = coalesce(change_source.log_pos, 4),
			skip_next = false
		WHERE p.channel = change_source.channel;
		IF (SELECT p.log_file IS NULL FROM mysql_replica.channel_position p
			WHERE p.channel = change_source.channel) THEN
			RAISE EXCEPTION 'log_pos needs a log_file'
				USING ERRCODE = 'invalid_parameter_value', HINT = 'Give the binlog file name with log_file.';
		END IF;
	ELSIF old.channel IS NOT NULL AND
		  (old.host IS DISTINCT FROM coalesce(change_source.host, old.host) OR
		   old.port IS DISTINCT FROM coalesce(change_source.port, old.port)) THEN
		-- A position means nothing on another server.
		UPDATE mysql_replica.channel_position p SET
			log_file = NULL, log_pos = NULL, skip_next = false
		WHERE p.channel = change_source.channel;
		IF (SELECT c.auto_position FROM mysql_replica.channels c
			WHERE c.channel = change_source.channel) THEN
			RAISE NOTICE 'the source of channel "%" changed, its binlog position was reset; it continues after its gtid_executed',
				change_source.channel;
		ELSE
			RAISE NOTICE 'the source of channel "%" changed, its binlog position was reset',
				change_source.channel
				USING HINT = 'The channel will start at the new source''s current end of binlog unless log_file and log_pos are given.';
		END IF;
	END IF;
END;
$$;

-- Like MySQL's sql_replica_skip_counter = 1: the next source transaction,
-- the one that stopped the channel, is skipped when it starts again.
CREATE FUNCTION mysql_replica.skip_transaction(channel text DEFAULT 'default')
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	PERFORM mysql_replica._check_stopped(skip_transaction.channel,
										 'skip a transaction of');
	UPDATE mysql_replica.channel_position p SET skip_next = true
	WHERE p.channel = skip_transaction.channel AND p.log_file IS NOT NULL;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'channel "%" has no position to skip from',
			skip_transaction.channel
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  HINT = 'A channel skips the transaction after its last applied one; this one has not applied any yet.';
	END IF;
	RAISE LOG 'mysql_replica channel "%": the next source transaction will be skipped',
		skip_transaction.channel;
END;
$$;

CREATE FUNCTION mysql_replica.start_replica(channel text DEFAULT 'default')
	RETURNS void
	LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'mysql_replica_start_replica';

CREATE FUNCTION mysql_replica.stop_replica(channel text DEFAULT 'default')
	RETURNS void
	LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'mysql_replica_stop_replica';

CREATE FUNCTION mysql_replica.reset_replica(forget_source boolean DEFAULT false,
											channel text DEFAULT 'default')
	RETURNS void
	LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'mysql_replica_reset_replica';

-- Replay the row events of a binlog file on the server's disk, like
-- "mysqlbinlog file | mysql".  Superuser only.
CREATE FUNCTION mysql_replica.apply_binlog_file(
	path			text,
	start_pos		bigint DEFAULT 4,
	stop_pos		bigint DEFAULT NULL,
	on_statement	text DEFAULT 'error',
	OUT transactions bigint,
	OUT rows_applied bigint,
	OUT gtid_executed text)
	RETURNS record
	LANGUAGE C
	AS 'MODULE_PATHNAME', 'mysql_replica_apply_binlog_file';

CREATE FUNCTION mysql_replica._worker_status(
	OUT channel text,
	OUT state text,
	OUT worker_pid integer,
	OUT seconds_behind_source bigint,
	OUT events_received bigint,
	OUT transactions_applied bigint,
	OUT rows_applied bigint,
	OUT rows_skipped bigint,
	OUT connect_attempts bigint,
	OUT last_error text,
	OUT last_error_time timestamptz,
	OUT skipped_statements bigint,
	OUT last_skipped_statement text,
	OUT snapshot_table text,
	OUT snapshot_rows bigint)
	RETURNS SETOF record
	LANGUAGE C STRICT
	AS 'MODULE_PATHNAME', 'mysql_replica_worker_status';

-- SHOW REPLICA STATUS: one row per configured channel.  No password here.
CREATE VIEW mysql_replica.status AS
SELECT c.channel,
	   coalesce(w.state, 'stopped') AS state,
	   w.worker_pid,
	   c.host AS source_host,
	   c.port AS source_port,
	   p.log_file AS source_log_file,
	   p.log_pos AS source_log_pos,
	   p.gtid_executed,
	   w.seconds_behind_source,
	   coalesce(w.events_received, 0) AS events_received,
	   coalesce(w.transactions_applied, 0) AS transactions_applied,
	   coalesce(w.rows_applied, 0) AS rows_applied,
	   coalesce(w.rows_skipped, 0) AS rows_skipped,
	   coalesce(w.connect_attempts, 0) AS connect_attempts,
	   w.last_error,
	   w.last_error_time,
	   coalesce(w.skipped_statements, 0) AS skipped_statements,
	   w.last_skipped_statement,
	   c.exec_mode,
	   c.auto_position,
	   p.skip_next AS skip_pending,
	   c.unsupported_ddl,
	   c.drop_database,
	   c.initial_snapshot,
	   c.include_tables,
	   c.exclude_tables,
	   c.schema_map
FROM mysql_replica.channels c
	 LEFT JOIN mysql_replica.channel_position p USING (channel)
	 LEFT JOIN mysql_replica._worker_status() w USING (channel);

-- Per table of the initial snapshot: its state and the rows copied so
-- far (counted live for the table being copied).
CREATE VIEW mysql_replica.snapshot_progress AS
SELECT t.channel,
	   t.source_database,
	   t.source_table,
	   t.relid::regclass AS target_table,
	   t.state,
	   CASE WHEN t.state = 'copying' AND w.snapshot_table =
				 t.source_database || '.' || t.source_table
			THEN w.snapshot_rows ELSE t.rows_copied END AS rows_copied,
	   t.rows_estimated,
	   t.started_at,
	   t.finished_at
FROM mysql_replica.snapshot_tables t
	 LEFT JOIN mysql_replica._worker_status() w USING (channel);

REVOKE ALL ON FUNCTION mysql_replica._check_stopped(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION mysql_replica._forget_channel_state(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION mysql_replica.change_source(text, integer, text, text,
	bigint, integer, bigint, double precision, text, bigint, text, text,
	boolean, text, text, text, boolean, text[], text[], jsonb, text)
	FROM PUBLIC;
REVOKE ALL ON FUNCTION mysql_replica.skip_transaction(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION mysql_replica.apply_binlog_file(text, bigint, bigint, text)
	FROM PUBLIC;
REVOKE ALL ON FUNCTION mysql_replica.start_replica(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION mysql_replica.stop_replica(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION mysql_replica.reset_replica(boolean, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION mysql_replica._worker_status() FROM PUBLIC;
REVOKE ALL ON mysql_replica.status FROM PUBLIC;
REVOKE ALL ON mysql_replica.snapshot_progress FROM PUBLIC;

-- Everyone may look into the schema; what is in it is granted one by one.
-- Monitoring roles may watch, not steer.
GRANT USAGE ON SCHEMA mysql_replica TO PUBLIC;
GRANT EXECUTE ON FUNCTION mysql_replica._worker_status() TO pg_monitor;
GRANT SELECT ON mysql_replica.status TO pg_monitor;
GRANT SELECT ON mysql_replica.snapshot_progress TO pg_monitor;
