/*-------------------------------------------------------------------------
 *
 * mysql_replica.c
 *	  Module entry point: settings, shared memory hooks, and the SQL-callable
 *	  functions that start, stop and report on replication channels.
 *
 * A channel's configuration and position live in tables of the extension's
 * schema (see the install script); its live state lives in a slot in
 * shared memory (channel.c).  The functions here connect the two: they
 * read the tables through SPI and drive the slots.
 *
 *-------------------------------------------------------------------------
 */
#include "mysql_replica.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/dbcommands.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "postmaster/bgworker.h"
#include "storage/ipc.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/timestamp.h"

PG_MODULE_MAGIC;

char	   *mysql_replica_database = NULL;
int			mysql_replica_max_channels = 8;
int			mysql_replica_queue_size_kb = 16384;
bool		mysql_replica_loaded_at_startup = false;
int			mysql_replica_zero_date = ZERO_DATE_NULL;
int			mysql_replica_invalid_text = INVALID_TEXT_ERROR;

static const struct config_enum_entry zero_date_options[] = {
	{"null", ZERO_DATE_NULL, false},
	{"error", ZERO_DATE_ERROR, false},
	{"infinity", ZERO_DATE_INFINITY, false},
	{"-infinity", ZERO_DATE_INFINITY, true},
	{NULL, 0, false}
};

static const struct config_enum_entry invalid_text_options[] = {
	{"error", INVALID_TEXT_ERROR, false},
	{"replace", INVALID_TEXT_REPLACE, false},
	{NULL, 0, false}
};

static shmem_request_hook_type prev_shmem_request_hook = NULL;
static shmem_startup_hook_type prev_shmem_startup_hook = NULL;

void		_PG_init(void);

PG_FUNCTION_INFO_V1(mysql_replica_check_installation);
PG_FUNCTION_INFO_V1(mysql_replica_start_replica);
PG_FUNCTION_INFO_V1(mysql_replica_stop_replica);
PG_FUNCTION_INFO_V1(mysql_replica_reset_replica);
PG_FUNCTION_INFO_V1(mysql_replica_check_stopped);
PG_FUNCTION_INFO_V1(mysql_replica_forget_channel_state);
PG_FUNCTION_INFO_V1(mysql_replica_worker_status);

static void
mysql_replica_shmem_request(void)
{
	if (prev_shmem_request_hook)
		prev_shmem_request_hook();
	channel_shmem_request();
}

static void
mysql_replica_shmem_startup(void)
{
	if (prev_shmem_startup_hook)
		prev_shmem_startup_hook();
	channel_shmem_startup();
}

/*
 * Module load.  Everything but the load flag needs shared_preload_libraries:
 * the shared memory, the settings that size it and the launcher that
 * restarts channels when the server starts.
 */
void
_PG_init(void)
{
	if (!process_shared_preload_libraries_in_progress)
		return;
	mysql_replica_loaded_at_startup = true;

	DefineCustomStringVariable("mysql_replica.database",
							   "Database in which mysql_replica's workers run.",
							   "The extension must be created in this database.",
							   &mysql_replica_database,
							   "postgres",
							   PGC_POSTMASTER,
							   GUC_SUPERUSER_ONLY,
							   NULL, NULL, NULL);

	DefineCustomIntVariable("mysql_replica.max_channels",
							"Maximum number of replication channels that can run at once.",
							NULL,
							&mysql_replica_max_channels,
							8, 1, 1024,
							PGC_POSTMASTER,
							0,
							NULL, NULL, NULL);

	DefineCustomIntVariable("mysql_replica.queue_size",
							"Memory for binlog events read ahead of the applier, per channel.",
							"The reader waits while this much is queued.",
							&mysql_replica_queue_size_kb,
							16384, 64, 1024 * 1024,
							PGC_SIGHUP,
							GUC_UNIT_KB,
							NULL, NULL, NULL);

	DefineCustomEnumVariable("mysql_replica.zero_date",
							 "What MySQL zero dates such as 0000-00-00 become.",
							 "null, error (the channel stops), or infinity (-infinity).",
							 &mysql_replica_zero_date,
							 ZERO_DATE_NULL, zero_date_options,
							 PGC_SIGHUP, 0,
							 NULL, NULL, NULL);

	DefineCustomEnumVariable("mysql_replica.invalid_text",
							 "What invalid bytes in MySQL text become.",
							 "error (the channel stops), or replace (U+FFFD, for UTF-8 text).",
							 &mysql_replica_invalid_text,
							 INVALID_TEXT_ERROR, invalid_text_options,
							 PGC_SIGHUP, 0,
							 NULL, NULL, NULL);

	MarkGUCPrefixReserved("mysql_replica");

	prev_shmem_request_hook = shmem_request_hook;
	shmem_request_hook = mysql_replica_shmem_request;
	prev_shmem_startup_hook = shmem_startup_hook;
	shmem_startup_hook = mysql_replica_shmem_startup;

	/* pg_upgrade must not see workers write to the new cluster. */
	if (!IsBinaryUpgrade)
		mysql_replica_register_launcher();
}

/* Channel names: non-empty, short enough for a slot. */
static char *
channel_name_arg(FunctionCallInfo fcinfo, int argno)
{
	char	   *name;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("channel name must not be null")));
	name = text_to_cstring(PG_GETARG_TEXT_PP(argno));
	if (name[0] == '\0' || strlen(name) >= NAMEDATALEN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid channel name \"%s\"", name),
				 errdetail("A channel name has 1 to %d bytes.", NAMEDATALEN - 1)));
	return name;
}

/*
 * Run a statement on the extension's tables with one text parameter, the
 * channel name.  Returns the number of rows processed.
 */
static uint64
run_channel_statement(const char *sql, const char *channel, int expected)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1];
	int			rc;
	uint64		processed;

	values[0] = CStringGetTextDatum(channel);
	SPI_connect();
	rc = SPI_execute_with_args(sql, 1, argtypes, values, NULL, false, 0);
	if (rc != expected)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
	processed = SPI_processed;
	SPI_finish();
	return processed;
}

/*
 * Called by the install script: refuse to install where the workers cannot
 * run.
 */
Datum
mysql_replica_check_installation(PG_FUNCTION_ARGS)
{
	if (!mysql_replica_loaded_at_startup)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("mysql_replica must be loaded via shared_preload_libraries"),
				 errhint("Add mysql_replica to shared_preload_libraries in postgresql.conf and restart the server.")));

	if (strcmp(get_database_name(MyDatabaseId), mysql_replica_database) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("can only create extension mysql_replica in database \"%s\"",
						mysql_replica_database),
				 errdetail("The replication workers run in the database named by mysql_replica.database."),
				 errhint("Create the extension there, or change mysql_replica.database and restart the server.")));
	PG_RETURN_VOID();
}

/* start_replica(channel): start the channel's worker. */
Datum
mysql_replica_start_replica(PG_FUNCTION_ARGS)
{
	char	   *channel = channel_name_arg(fcinfo, 0);

	/*
	 * The worker reads the configuration in its own transaction, so what it
	 * needs must be committed; say so plainly when it is not there.
	 */
	if (run_channel_statement("SELECT 1 FROM mysql_replica.channels "
							  "WHERE channel = $1 AND host IS NOT NULL",
							  channel, SPI_OK_SELECT) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("channel \"%s\" has no source configured", channel),
				 errhint("Configure it with mysql_replica.change_source(host => ...).")));

	/* Remember that the channel should run, for the next server start. */
	run_channel_statement("UPDATE mysql_replica.channels SET enabled = true "
						  "WHERE channel = $1", channel, SPI_OK_UPDATE);

	channel_launch(channel, true);
	PG_RETURN_VOID();
}

/* stop_replica(channel): stop the channel's worker and wait for its exit. */
Datum
mysql_replica_stop_replica(PG_FUNCTION_ARGS)
{
	char	   *channel = channel_name_arg(fcinfo, 0);

	if (run_channel_statement("UPDATE mysql_replica.channels SET enabled = false "
							  "WHERE channel = $1", channel, SPI_OK_UPDATE) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("channel \"%s\" does not exist", channel)));

	if (!channel_stop(channel))
		ereport(NOTICE,
				(errmsg("channel \"%s\" is not running", channel)));
	PG_RETURN_VOID();
}

/* Error out if the channel runs; configuration changes need it stopped. */
static void
ensure_stopped(const char *channel, const char *what)
{
	if (channel_is_running(channel))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot %s channel \"%s\" while it is running", what, channel),
				 errhint("Stop it first with mysql_replica.stop_replica().")));
}

/*
 * _check_stopped(channel, action): used by the functions in SQL that need
 * the channel stopped; action completes "cannot ... channel".
 */
Datum
mysql_replica_check_stopped(PG_FUNCTION_ARGS)
{
	ensure_stopped(channel_name_arg(fcinfo, 0),
				   text_to_cstring(PG_GETARG_TEXT_PP(1)));
	PG_RETURN_VOID();
}

/* _forget_channel_state(channel): used by change_source() for new channels. */
Datum
mysql_replica_forget_channel_state(PG_FUNCTION_ARGS)
{
	channel_forget(channel_name_arg(fcinfo, 0));
	PG_RETURN_VOID();
}

/*
 * reset_replica(forget_source, channel): forget where the channel is in
 * the source's binlog, and also the source itself if asked.
 */
Datum
mysql_replica_reset_replica(PG_FUNCTION_ARGS)
{
	bool		forget_source = PG_ARGISNULL(0) ? false : PG_GETARG_BOOL(0);
	char	   *channel = channel_name_arg(fcinfo, 1);

	ensure_stopped(channel, "reset");

	if (forget_source)
	{
		if (run_channel_statement("DELETE FROM mysql_replica.channels "
								  "WHERE channel = $1",
								  channel, SPI_OK_DELETE) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("channel \"%s\" does not exist", channel)));
	}
	else if (run_channel_statement("UPDATE mysql_replica.channel_position "
								   "SET log_file = NULL, log_pos = NULL, "
								   "gtid_executed = '', applied_at = NULL "
								   "WHERE channel = $1",
								   channel, SPI_OK_UPDATE) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("channel \"%s\" does not exist", channel)));

	channel_forget(channel);
	ereport(LOG,
			(errmsg("mysql_replica channel \"%s\" reset%s", channel,
					forget_source ? ", source forgotten" : "")));
	PG_RETURN_VOID();
}

/*
 * _worker_status(): the live part of the status view, one row per channel
 * slot in use.
 */
Datum
mysql_replica_worker_status(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TimestampTz now = GetCurrentTimestamp();

	InitMaterializedSRF(fcinfo, 0);

	channel_lock_shared();
	for (int i = 0; i < channel_slot_count(); i++)
	{
		ChannelSlot *slot = channel_slot(i);
		ChannelSlot copy;
		Datum		values[15];
		bool		nulls[15];

		if (!slot->in_use)
			continue;
		SpinLockAcquire(&slot->mutex);
		memcpy(&copy, slot, sizeof(ChannelSlot));
		SpinLockRelease(&slot->mutex);

		memset(nulls, 0, sizeof(nulls));
		values[0] = CStringGetTextDatum(copy.name);
		values[1] = CStringGetTextDatum(ChannelStateNames[copy.state]);
		if (copy.pid != 0)
			values[2] = Int32GetDatum(copy.pid);
		else
			nulls[2] = true;

		/*
		 * Like MySQL's Seconds_Behind_Source: the age of the event being
		 * applied, zero when caught up, unknown when not streaming.
		 */
		if (copy.state == CHANNEL_APPLYING && copy.event_time != 0)
			values[3] = Int64GetDatum(Max(0, (now - copy.event_time) / USECS_PER_SEC));
		else if (copy.state == CHANNEL_STREAMING ||
				 copy.state == CHANNEL_APPLYING)
			values[3] = Int64GetDatum(0);
		else
			nulls[3] = true;
		values[4] = Int64GetDatum(copy.events_received);
		values[5] = Int64GetDatum(copy.transactions_applied);
		values[6] = Int64GetDatum(copy.rows_applied);
		values[7] = Int64GetDatum(copy.rows_skipped);
		values[8] = Int64GetDatum(copy.connect_attempts);
		if (copy.last_error[0] != '\0')
		{
			values[9] = CStringGetTextDatum(copy.last_error);
			values[10] = TimestampTzGetDatum(copy.last_error_time);
		}
		else
			nulls[9] = nulls[10] = true;
		values[11] = Int64GetDatum(copy.skipped_statements);
		if (copy.last_skipped_statement[0] != '\0')
			values[12] = CStringGetTextDatum(copy.last_skipped_statement);
		else
			nulls[12] = true;
		if (copy.snapshot_table[0] != '\0')
		{
			values[13] = CStringGetTextDatum(copy.snapshot_table);
			values[14] = Int64GetDatum(copy.snapshot_rows);
		}
		else
			nulls[13] = nulls[14] = true;

		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	channel_unlock();
	return (Datum) 0;
}
