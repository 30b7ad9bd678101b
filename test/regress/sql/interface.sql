--
-- The SQL interface of mysql_replica and its errors.  No MySQL server is
-- needed: channels here point at ports where nothing listens.
--
CREATE EXTENSION mysql_replica;

-- starting, stopping or resetting a channel that was never configured
SELECT mysql_replica.start_replica();
SELECT mysql_replica.start_replica('no_such_channel');
SELECT mysql_replica.stop_replica('no_such_channel');
SELECT mysql_replica.reset_replica(channel => 'no_such_channel');
SELECT mysql_replica.start_replica(NULL);
SELECT mysql_replica.change_source(host => 'h', channel => '');

-- a new channel keeps the defaults of what is not given
SELECT mysql_replica.change_source(host => '127.0.0.1', port => 1,
	username => 'repl', password => 'secret-password', connect_retry => 60);
SELECT channel, state, worker_pid, source_host, source_port,
	   source_log_file, source_log_pos, gtid_executed, seconds_behind_source,
	   events_received, transactions_applied, rows_applied, connect_attempts,
	   last_error, last_error_time
FROM mysql_replica.status;
SELECT channel, host, port, username, server_id, connect_retry, retry_count,
	   heartbeat_period, ssl_mode, enabled
FROM mysql_replica.channels;

-- omitted arguments keep their earlier value
SELECT mysql_replica.change_source(retry_count => 5, heartbeat_period => 2.5);
SELECT host, port, username, connect_retry, retry_count, heartbeat_period
FROM mysql_replica.channels;

-- bad values
SELECT mysql_replica.change_source(port => 70000);
SELECT mysql_replica.change_source(ssl_mode => 'sometimes');
SELECT mysql_replica.change_source(server_id => 0);
SELECT mysql_replica.change_source(log_pos => 2, log_file => 'binlog.000001');
SELECT mysql_replica.change_source(connect_retry => 0);
SELECT mysql_replica.change_source(heartbeat_period => -1);
SELECT mysql_replica.change_source(log_pos => 120);
SELECT mysql_replica.change_source(exec_mode => 'lenient');

-- idempotent mode is a channel setting shown in the status view
SELECT mysql_replica.change_source(exec_mode => 'IDEMPOTENT');
SELECT exec_mode, rows_skipped FROM mysql_replica.status;
SELECT mysql_replica.change_source(exec_mode => 'strict');

-- DDL policies: unsupported statements stop or are skipped, DROP DATABASE
SELECT unsupported_ddl, drop_database, skipped_statements,
	   last_skipped_statement FROM mysql_replica.status;
SELECT mysql_replica.change_source(unsupported_ddl => 'ignore');
SELECT mysql_replica.change_source(drop_database => 'sometimes');
SELECT mysql_replica.change_source(unsupported_ddl => 'SKIP',
	drop_database => 'never');
SELECT unsupported_ddl, drop_database FROM mysql_replica.status;
SELECT mysql_replica.change_source(unsupported_ddl => 'stop',
	drop_database => 'created');

-- the initial snapshot and the channel's scope: table patterns and a map
-- of databases to schemas, checked when given
SELECT initial_snapshot, include_tables, exclude_tables, schema_map
FROM mysql_replica.status;
SELECT mysql_replica.change_source(include_tables => '{shop}');
SELECT mysql_replica.change_source(exclude_tables => '{.audit}');
SELECT mysql_replica.change_source(include_tables => '{NULL}');
SELECT mysql_replica.change_source(schema_map => '["shop"]');
SELECT mysql_replica.change_source(schema_map => '{"shop": 1}');
SELECT mysql_replica.change_source(initial_snapshot => false,
	include_tables => '{shop.%,app.users}',
	exclude_tables => ARRAY['%.audit\_%'],
	schema_map => '{"shop": "shop_replica"}');
SELECT initial_snapshot, include_tables, exclude_tables, schema_map
FROM mysql_replica.status;
SELECT * FROM mysql_replica.snapshot_progress;
SELECT mysql_replica.change_source(initial_snapshot => true,
	include_tables => '{}', exclude_tables => '{}', schema_map => '{}');

-- GTID positioning: a GTID state in either source's format, checked early
SELECT mysql_replica.change_source(gtid_executed => 'not-a-gtid');
SELECT mysql_replica.change_source(auto_position => true,
	gtid_executed => '0-1-100, 1-2-5');
SELECT auto_position, gtid_executed FROM mysql_replica.status;
SELECT mysql_replica.change_source(
	gtid_executed => '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77');
SELECT gtid_executed FROM mysql_replica.status;
SELECT mysql_replica.change_source(auto_position => false, gtid_executed => '');

-- skipping needs a position to skip from
SELECT mysql_replica.skip_transaction();

-- a position: the file alone starts at its beginning
SELECT mysql_replica.change_source(log_file => 'binlog.000003', log_pos => 120);
SELECT source_log_file, source_log_pos FROM mysql_replica.status;
SELECT mysql_replica.change_source(log_file => 'binlog.000004');
SELECT source_log_file, source_log_pos FROM mysql_replica.status;

-- a skip is remembered until the channel runs, and a new position cancels it
SELECT mysql_replica.skip_transaction();
SELECT skip_pending FROM mysql_replica.status;
SELECT mysql_replica.change_source(log_file => 'binlog.000004', log_pos => 4);
SELECT skip_pending FROM mysql_replica.status;

-- start: the worker runs even though the source cannot be reached
SELECT mysql_replica.start_replica();
SELECT state IN ('connecting', 'waiting to reconnect') AS trying,
	   worker_pid IS NOT NULL AS has_worker
FROM mysql_replica.status;
SELECT backend_type FROM pg_stat_activity
WHERE backend_type LIKE 'mysql_replica%' ORDER BY 1;

-- a running channel: starting again is a notice, changes are refused
SELECT mysql_replica.start_replica();
SELECT mysql_replica.change_source(port => 2);
SELECT mysql_replica.reset_replica();
SELECT mysql_replica.skip_transaction();

-- stop returns once the worker has exited
SELECT mysql_replica.stop_replica();
SELECT state, worker_pid FROM mysql_replica.status;
SELECT count(*) FROM pg_stat_activity
WHERE backend_type = 'mysql_replica worker';
SELECT mysql_replica.stop_replica();

-- the password shows nowhere but in the superuser-only table
SELECT count(*) AS leaks FROM mysql_replica.status s
WHERE s::text LIKE '%secret-password%';

-- another source host: the old position means nothing there
SELECT mysql_replica.change_source(host => 'localhost');
SELECT source_host, source_log_file, source_log_pos FROM mysql_replica.status;

-- a second channel
SELECT mysql_replica.change_source(host => '127.0.0.1', port => 2,
	channel => 'second');
SELECT channel, source_port FROM mysql_replica.status ORDER BY channel;

-- nothing is executable or readable by PUBLIC
CREATE ROLE regress_mysql_replica_user;
SET ROLE regress_mysql_replica_user;
SELECT mysql_replica.start_replica();
SELECT mysql_replica.stop_replica();
SELECT mysql_replica.change_source(host => 'evil');
SELECT mysql_replica.reset_replica();
SELECT * FROM mysql_replica.status;
SELECT password FROM mysql_replica.channels;
RESET ROLE;

-- monitoring roles may read the status view, still not the password
GRANT pg_monitor TO regress_mysql_replica_user;
SET ROLE regress_mysql_replica_user;
SELECT channel, state FROM mysql_replica.status ORDER BY channel;
SELECT password FROM mysql_replica.channels;
RESET ROLE;
DROP ROLE regress_mysql_replica_user;

-- reset forgets the position, and with forget_source the channel itself
SELECT mysql_replica.change_source(log_file => 'binlog.000009', log_pos => 4);
SELECT mysql_replica.reset_replica();
SELECT channel, source_log_file, source_log_pos FROM mysql_replica.status
ORDER BY channel;
SELECT mysql_replica.reset_replica(forget_source => true);
SELECT mysql_replica.reset_replica(true, 'second');
SELECT count(*) FROM mysql_replica.status;

DROP EXTENSION mysql_replica;
