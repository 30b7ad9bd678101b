/*-------------------------------------------------------------------------
 *
 * worker.c
 *	  The background workers: one per running channel, and a launcher that
 *	  starts the channels that were running when the server stopped.
 *
 * A channel's worker runs the applier loop on its main thread and starts
 * a producer thread for each connection to the source.  The loop waits on
 * its latch and on the producer's wake-up descriptor together, so a stop
 * request is served at once in every state: streaming, applying, waiting
 * between connection attempts, or connecting (the producer's own waits
 * are interrupted by producer_request_stop).
 *
 * A lost connection rolls back the half-applied transaction and, after
 * connect_retry seconds, reconnects from the last committed position.  An
 * error while applying puts the channel in state "error" with the message
 * and ends the worker; start_replica() tries again.
 *
 *-------------------------------------------------------------------------
 */
#include "mysql_replica.h"

#include "ddl/filter.h"
#include "ddl/translate.h"
#include "replica/snapshot.h"

#include <math.h>

#include "access/xact.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "replica/apply.h"
#include "source/source.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "tcop/tcopprot.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

/* Seconds to wait for a source that accepts TCP but does not answer. */
#define SOURCE_CONNECT_TIMEOUT 30

/* How a stream ended. */
typedef enum StreamEnd
{
	STREAM_STOP,				/* stop requested */
	STREAM_RETRY,				/* connection lost or refused */
	STREAM_FATAL				/* retrying cannot help */
} StreamEnd;

/* Rows of the initial snapshot are handed over in batches of this size. */
#define SNAPSHOT_BATCH_BYTES (64 * 1024)

/* A channel's configuration, read from mysql_replica.channels. */
typedef struct ChannelConfig
{
	SourceConfig source;
	int			connect_retry;
	int64		retry_count;
	bool		idempotent;
	bool		skip_unsupported_ddl;
	int			drop_database;	/* a DdlDropDatabase */
	bool		initial_snapshot;

	/* the channel's scope: which tables, and the schemas of databases */
	TableFilter *filter;
	int			nmapped;
	char	  **mapped_databases;
	char	  **mapped_schemas;
} ChannelConfig;

static ChannelSlot *MySlot = NULL;
static char *MyChannel = NULL;

/* The running producer, so that the exit callback can join its thread. */
static Producer *CurrentProducer = NULL;

static void
stop_producer(void)
{
	if (CurrentProducer != NULL)
	{
		Producer   *producer = CurrentProducer;

		CurrentProducer = NULL;
		producer_destroy(producer);
	}
}

/* Exit callback: no thread may outlive the worker. */
static void
worker_exit_callback(int code, Datum arg)
{
	stop_producer();
}

static bool
stop_requested(void)
{
	bool		stop;

	SpinLockAcquire(&MySlot->mutex);
	stop = MySlot->stop_requested;
	SpinLockRelease(&MySlot->mutex);
	return stop;
}

static SourceSslMode
parse_ssl_mode(const char *mode)
{
	if (strcmp(mode, "disabled") == 0)
		return SOURCE_SSL_DISABLED;
	if (strcmp(mode, "required") == 0)
		return SOURCE_SSL_REQUIRED;
	if (strcmp(mode, "verify_ca") == 0)
		return SOURCE_SSL_VERIFY_CA;
	if (strcmp(mode, "verify_identity") == 0)
		return SOURCE_SSL_VERIFY_IDENTITY;
	return SOURCE_SSL_PREFERRED;
}

/*
 * A server id for a channel that was given none: derived from the cluster
 * and the channel name, so it is stable across restarts and differs
 * between channels and clusters with high probability.
 */
static uint32
default_server_id(const char *channel)
{
	uint64		sysid = GetSystemIdentifier();
	uint32		h = hash_bytes((const unsigned char *) channel, strlen(channel));

	h ^= (uint32) (sysid ^ (sysid >> 32));
	return (h % 4000000000U) + 100000;
}

static char *
get_text(HeapTuple tuple, TupleDesc desc, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tuple, desc, col, &isnull);

	return isnull ? NULL : TextDatumGetCString(d);
}

/* The strings of a text[] column, in the current memory context. */
static char **
get_text_array(HeapTuple tuple, TupleDesc desc, int col, int *n)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tuple, desc, col, &isnull);
	Datum	   *elems;
	char	  **strings;

	*n = 0;
	if (isnull)
		return NULL;
	deconstruct_array(DatumGetArrayTypeP(d), TEXTOID, -1, false,
					  TYPALIGN_INT, &elems, NULL, n);
	strings = palloc(sizeof(char *) * Max(*n, 1));
	for (int i = 0; i < *n; i++)
		strings[i] = TextDatumGetCString(elems[i]);
	return strings;
}

/*
 * The channel's scope: its table filter and schema map, kept for the
 * worker's life (the filter is plain C, malloc'd, as the snapshot reader
 * thread reads it too).
 */
static void
load_scope(ChannelConfig *config, HeapTuple tuple, TupleDesc desc)
{
	MemoryContext oldcxt = MemoryContextSwitchTo(TopMemoryContext);
	int			ninclude;
	int			nexclude;
	int			nschemas;
	char	  **include = get_text_array(tuple, desc, 15, &ninclude);
	char	  **exclude = get_text_array(tuple, desc, 16, &nexclude);
	char		err[256];

	config->mapped_databases = get_text_array(tuple, desc, 17, &config->nmapped);
	config->mapped_schemas = get_text_array(tuple, desc, 18, &nschemas);
	MemoryContextSwitchTo(oldcxt);

	config->filter = table_filter_create((const char *const *) include, ninclude,
										 (const char *const *) exclude, nexclude,
										 err, sizeof(err));
	if (config->filter == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid table filter of channel \"%s\": %s",
						MyChannel, err)));
}

/*
 * Read the channel's configuration and position.  Returns false if the
 * channel has been dropped or has no source.
 */
static bool
load_config(Applier *applier, ChannelConfig *config)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1];
	bool		found = false;
	MemoryContext cxt = CurrentMemoryContext;

	memset(config, 0, sizeof(ChannelConfig));

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	SPI_connect();
	PushActiveSnapshot(GetTransactionSnapshot());

	values[0] = CStringGetTextDatum(MyChannel);
	if (SPI_execute_with_args("SELECT host, port, username, password, "
							  "server_id, connect_retry, retry_count, "
							  "heartbeat_period, ssl_mode, exec_mode, "
							  "auto_position, unsupported_ddl, drop_database, "
							  "initial_snapshot, include_tables, exclude_tables, "
							  "ARRAY(SELECT key FROM jsonb_each_text(schema_map) ORDER BY key), "
							  "ARRAY(SELECT value FROM jsonb_each_text(schema_map) ORDER BY key) "
							  "FROM mysql_replica.channels WHERE channel = $1",
							  1, argtypes, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the configuration of channel \"%s\"",
			 MyChannel);

	if (SPI_processed == 1)
	{
		HeapTuple	tuple = SPI_tuptable->vals[0];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		SourceConfig *source = &config->source;
		char	   *s;
		bool		isnull;
		Datum		d;

		if ((s = get_text(tuple, desc, 1)) != NULL)
		{
			strlcpy(source->host, s, sizeof(source->host));
			found = true;
		}
		source->port = DatumGetInt32(SPI_getbinval(tuple, desc, 2, &isnull));
		if ((s = get_text(tuple, desc, 3)) != NULL)
			strlcpy(source->username, s, sizeof(source->username));
		if ((s = get_text(tuple, desc, 4)) != NULL)
			strlcpy(source->password, s, sizeof(source->password));
		d = SPI_getbinval(tuple, desc, 5, &isnull);
		source->server_id = isnull ? default_server_id(MyChannel)
			: (uint32) DatumGetInt64(d);
		config->connect_retry =
			DatumGetInt32(SPI_getbinval(tuple, desc, 6, &isnull));
		config->retry_count =
			DatumGetInt64(SPI_getbinval(tuple, desc, 7, &isnull));
		source->heartbeat_period =
			DatumGetFloat8(SPI_getbinval(tuple, desc, 8, &isnull));
		source->ssl_mode = parse_ssl_mode(get_text(tuple, desc, 9));
		config->idempotent = strcmp(get_text(tuple, desc, 10), "idempotent") == 0;
		source->auto_position =
			DatumGetBool(SPI_getbinval(tuple, desc, 11, &isnull));
		source->connect_timeout = SOURCE_CONNECT_TIMEOUT;
		config->skip_unsupported_ddl =
			strcmp(get_text(tuple, desc, 12), "skip") == 0;
		s = get_text(tuple, desc, 13);
		config->drop_database = strcmp(s, "always") == 0 ? DDL_DROP_ALWAYS
			: strcmp(s, "never") == 0 ? DDL_DROP_NEVER : DDL_DROP_CREATED;
		config->initial_snapshot =
			DatumGetBool(SPI_getbinval(tuple, desc, 14, &isnull));
		load_scope(config, tuple, desc);
	}

	applier_load_position(applier);

	SPI_finish();
	PopActiveSnapshot();
	CommitTransactionCommand();
	MemoryContextSwitchTo(cxt);
	return found;
}

/*
 * Wait on the latch for the given number of milliseconds, or until a stop
 * is requested.  Returns true if stopping.
 */
static bool
wait_or_stop(long timeout_ms)
{
	TimestampTz end = TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
												  timeout_ms);

	for (;;)
	{
		long		remaining;

		CHECK_FOR_INTERRUPTS();
		if (stop_requested())
			return true;
		remaining = TimestampDifferenceMilliseconds(GetCurrentTimestamp(), end);
		if (remaining <= 0)
			return false;
		(void) WaitLatch(MyLatch,
						 WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 remaining, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}
}

/*
 * Take events from the producer and apply them until the stream ends or a
 * stop is requested.  On a lost connection, errbuf receives the reason.
 */
static StreamEnd
stream(Applier *applier, Producer *producer, const SourceConfig *source,
	   int *failures, char *errbuf, size_t errlen)
{
	int			wakeup_fd = producer_wakeup_fd(producer);

	for (;;)
	{
		SourceMessage *msg;

		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
		}
		if (stop_requested())
			return STREAM_STOP;

		msg = producer_next(producer);
		if (msg == NULL)
		{
			int			rc;

			rc = WaitLatchOrSocket(MyLatch,
								   WL_LATCH_SET | WL_SOCKET_READABLE |
								   WL_EXIT_ON_PM_DEATH,
								   wakeup_fd, -1, PG_WAIT_EXTENSION);
			if (rc & WL_LATCH_SET)
				ResetLatch(MyLatch);
			continue;
		}

		switch (msg->kind)
		{
			case SOURCE_MSG_CONNECTED:
				*failures = 0;
				ereport(LOG,
						(errmsg("mysql_replica channel \"%s\" connected to source \"%s:%d\" (%s), streaming from %s",
								MyChannel, source->host, source->port,
								msg->server_version,
								msg->len > 0 ?
								psprintf("after GTID position \"%s\"",
										 (char *) msg->data) :
								psprintf("%s:" UINT64_FORMAT, msg->log_file,
										 msg->log_pos))));
				applier_start_stream(applier, msg->checksum_alg,
									 msg->log_file, msg->log_pos,
									 msg->len > 0 ? (char *) msg->data : NULL);

				/* Connected: the last connection error is history. */
				channel_set_error(MySlot, "");
				break;

			case SOURCE_MSG_EVENT:
				applier_handle_event(applier, msg->data, msg->len,
									 msg->checksum_verified);
				break;

			case SOURCE_MSG_ERROR:
				{
					bool		fatal = msg->fatal;

					strlcpy(errbuf, (const char *) msg->data, errlen);
					source_message_free(msg);
					return fatal ? STREAM_FATAL : STREAM_RETRY;
				}

			case SOURCE_MSG_SNAPSHOT_POINT:
			case SOURCE_MSG_TABLE:
			case SOURCE_MSG_ROWS:
			case SOURCE_MSG_TABLE_END:
			case SOURCE_MSG_SNAPSHOT_END:
				elog(ERROR, "binlog producer sent snapshot message %d",
					 (int) msg->kind);
				break;
		}
		source_message_free(msg);
	}
}

/* A new attempt to connect, counted in the status view. */
static void
begin_attempt(ChannelState state)
{
	channel_set_state(MySlot, state);
	SpinLockAcquire(&MySlot->mutex);
	MySlot->connect_attempts++;
	SpinLockRelease(&MySlot->mutex);
}

/*
 * An attempt to stream (or to take the snapshot) failed with errbuf: show
 * it, give up after retry_count failures in a row, else wait connect_retry
 * seconds.  Returns true when a stop was requested while waiting.
 */
static bool
wait_to_retry(ChannelConfig *config, int *failures, const char *errbuf,
			  bool snapshot)
{
	(*failures)++;
	channel_set_error(MySlot, errbuf);
	if (*failures > config->retry_count)
		ereport(ERROR,
				(errcode(ERRCODE_CONNECTION_FAILURE),
				 snapshot ?
				 errmsg("mysql_replica channel \"%s\" gave up its snapshot after %d failed attempts",
						MyChannel, *failures) :
				 errmsg("mysql_replica channel \"%s\" gave up after %d failed connection attempts",
						MyChannel, *failures),
				 errdetail_internal("%s", errbuf),
				 errhint("Check the source, then start the channel again.")));

	ereport(LOG,
			(errmsg("mysql_replica channel \"%s\": %s%s", MyChannel,
					snapshot ? "snapshot failed: " : "", errbuf),
			 snapshot ?
			 errdetail("Starting it over in %d seconds (retry %d of " INT64_FORMAT ").",
					   config->connect_retry, *failures, config->retry_count) :
			 errdetail("Retrying in %d seconds (retry %d of " INT64_FORMAT ").",
					   config->connect_retry, *failures, config->retry_count)));

	channel_set_state(MySlot, CHANNEL_WAITING_TO_RECONNECT);
	return wait_or_stop(config->connect_retry * 1000L);
}

/*
 * The life of a channel: connect, stream, and on a lost connection wait
 * and connect again, until stopped or out of retries.
 */
static void
run_channel(Applier *applier, ChannelConfig *config)
{
	int			failures = 0;
	char		errbuf[1024];

	for (;;)
	{
		SourceConfig source = config->source;
		StreamEnd	end;
		char		starterr[256];

		if (stop_requested())
			return;

		begin_attempt(CHANNEL_CONNECTING);

		/* Resume after the last committed transaction. */
		strlcpy(source.log_file, applier_log_file(applier),
				sizeof(source.log_file));
		source.log_pos = applier_log_pos(applier);
		strlcpy(source.gtid_executed, applier_gtid_executed(applier),
				sizeof(source.gtid_executed));
		source.queue_max_bytes = (size_t) mysql_replica_queue_size_kb * 1024;

		CurrentProducer = producer_start(&source, starterr, sizeof(starterr));
		if (CurrentProducer == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_RESOURCES),
					 errmsg("could not start the producer thread of channel \"%s\"",
							MyChannel),
					 errdetail_internal("%s", starterr)));

		end = stream(applier, CurrentProducer, &source, &failures, errbuf,
					 sizeof(errbuf));

		stop_producer();
		applier_abort(applier);

		if (end == STREAM_STOP)
			return;
		if (end == STREAM_FATAL)
			ereport(ERROR,
					(errcode(ERRCODE_CONNECTION_FAILURE),
					 errmsg("mysql_replica channel \"%s\" cannot replicate from its source",
							MyChannel),
					 errdetail_internal("%s", errbuf),
					 errhint("Fix the source's settings or the channel's position, then start the channel again.")));

		if (wait_to_retry(config, &failures, errbuf, false))
			return;
	}
}

/* Whether the producer has more events queued: the applier may group. */
static bool
events_waiting(void)
{
	return CurrentProducer != NULL && producer_has_pending(CurrentProducer);
}

/*
 * The initial snapshot, for a channel that has no position yet: copy the
 * included tables, then the channel's position is the snapshot's point.
 * A lost connection is retried like streaming's, from scratch.  Returns
 * false when stopped.
 */
static bool
run_initial_snapshot(Applier *applier, ChannelConfig *config)
{
	int			failures = 0;
	char		errbuf[1024];

	for (;;)
	{
		SnapshotConfig snap;
		SnapshotResult result;
		char		starterr[256];

		if (stop_requested())
			return false;

		begin_attempt(CHANNEL_SNAPSHOT);

		memset(&snap, 0, sizeof(snap));
		snap.source = config->source;
		snap.source.queue_max_bytes = (size_t) mysql_replica_queue_size_kb * 1024;
		snap.batch_bytes = SNAPSHOT_BATCH_BYTES;
		snap.filter = config->filter;
		CurrentProducer = snapshot_start(&snap, starterr, sizeof(starterr));
		if (CurrentProducer == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_RESOURCES),
					 errmsg("could not start the snapshot thread of channel \"%s\"",
							MyChannel),
					 errdetail_internal("%s", starterr)));

		errbuf[0] = '\0';
		result = snapshot_run(applier, CurrentProducer, MySlot, MyChannel,
							  stop_requested, errbuf, sizeof(errbuf));
		stop_producer();

		switch (result)
		{
			case SNAPSHOT_DONE:
				channel_set_error(MySlot, "");
				return true;
			case SNAPSHOT_STOPPED:
				return false;
			case SNAPSHOT_FATAL:
				ereport(ERROR,
						(errcode(ERRCODE_CONNECTION_FAILURE),
						 errmsg("mysql_replica channel \"%s\" cannot take a snapshot of its source",
								MyChannel),
						 errdetail_internal("%s", errbuf),
						 errhint("Fix the source's settings or the replication user's privileges, or start the channel without a snapshot with change_source(initial_snapshot => false).")));
				break;
			case SNAPSHOT_RETRY:
				break;
		}

		if (wait_to_retry(config, &failures, errbuf, true))
			return false;
	}
}

/*
 * Record an error that ends the worker in the status view: the message,
 * its detail and the context that names the event and position.
 */
static void
record_error(ErrorData *edata)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoString(&buf, edata->message);
	if (edata->detail)
		appendStringInfo(&buf, " DETAIL: %s", edata->detail);
	if (edata->context)
		appendStringInfo(&buf, " CONTEXT: %s", edata->context);
	channel_set_error(MySlot, buf.data);
	channel_set_state(MySlot, CHANNEL_ERROR);
}

void
mysql_replica_worker_main(Datum main_arg)
{
	int			slotno = DatumGetInt32(main_arg);
	uint64		generation;
	MemoryContext worker_context;
	Applier    *applier;
	ChannelConfig config;

	memcpy(&generation, MyBgworkerEntry->bgw_extra, sizeof(generation));

	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnection(mysql_replica_database, NULL, 0);

	MySlot = channel_attach(slotno, generation);
	if (MySlot == NULL)
		proc_exit(0);			/* a stale start: the slot moved on */
	MyChannel = MemoryContextStrdup(TopMemoryContext, MySlot->name);
	before_shmem_exit(worker_exit_callback, (Datum) 0);

	worker_context = AllocSetContextCreate(TopMemoryContext,
										   "mysql_replica worker",
										   ALLOCSET_DEFAULT_SIZES);
	MemoryContextSwitchTo(worker_context);
	pgstat_report_activity(STATE_RUNNING, psprintf("replicating channel \"%s\"",
												   MyChannel));
	source_library_init();
	applier = applier_create(MySlot, MyChannel);

	/*
	 * The position commits with the data, so a commit lost in a crash is
	 * replayed from the older position: waiting for the WAL flush at every
	 * source transaction buys nothing but latency.
	 */
	SetConfigOption("synchronous_commit", "off", PGC_SUSET, PGC_S_OVERRIDE);

	/*
	 * Any error ends the worker, with the error in the status view; the
	 * position committed so far is safe.
	 */
	PG_TRY();
	{
		if (!load_config(applier, &config))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("channel \"%s\" has no source configured", MyChannel),
					 errhint("Configure it with mysql_replica.change_source(host => ...).")));

		ereport(LOG,
				(errmsg("mysql_replica channel \"%s\" started, source \"%s:%d\"",
						MyChannel, config.source.host, config.source.port)));

		applier_set_options(applier, config.idempotent, stop_requested);
		applier_set_grouping(applier, events_waiting);
		applier_set_ddl_policy(applier, true, config.skip_unsupported_ddl,
							   config.drop_database);
		ddl_set_scope(config.filter, config.nmapped, config.mapped_databases,
					  config.mapped_schemas);

		/*
		 * A channel with no position starts from a copy of the tables: no
		 * GTID state when it streams by GTID, else no binlog file.
		 */
		if (config.initial_snapshot &&
			(config.source.auto_position
			 ? applier_gtid_executed(applier)[0] == '\0'
			 : applier_log_file(applier)[0] == '\0'))
		{
			if (run_initial_snapshot(applier, &config))
				run_channel(applier, &config);
		}
		else
			run_channel(applier, &config);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		HOLD_INTERRUPTS();
		MemoryContextSwitchTo(worker_context);
		edata = CopyErrorData();

		/*
		 * stop_replica() cancels a statement that keeps the worker from
		 * noticing the stop: that is a stop, not an error.
		 */
		if (edata->sqlerrcode == ERRCODE_QUERY_CANCELED && stop_requested())
		{
			FlushErrorState();
			AbortOutOfAnyTransaction();
			stop_producer();
			ereport(LOG,
					(errmsg("mysql_replica channel \"%s\" stopped, the transaction being applied was rolled back",
							MyChannel)));
			proc_exit(0);
		}

		EmitErrorReport();
		FlushErrorState();
		AbortOutOfAnyTransaction();
		stop_producer();
		record_error(edata);
		RESUME_INTERRUPTS();
		proc_exit(0);
	}
	PG_END_TRY();

	ereport(LOG,
			(errmsg("mysql_replica channel \"%s\" stopped", MyChannel)));
	proc_exit(0);
}

/*
 * Fill in what all of our background workers share; the caller names the
 * entry point and may change the rest.
 */
void
mysql_replica_worker_init(BackgroundWorker *worker, const char *function_name,
						  const char *type, bool database)
{
	memset(worker, 0, sizeof(BackgroundWorker));
	worker->bgw_flags = BGWORKER_SHMEM_ACCESS;
	if (database)
		worker->bgw_flags |= BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker->bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker->bgw_restart_time = BGW_NEVER_RESTART;
	strlcpy(worker->bgw_library_name, "mysql_replica", BGW_MAXLEN);
	strlcpy(worker->bgw_function_name, function_name, BGW_MAXLEN);
	strlcpy(worker->bgw_name, type, BGW_MAXLEN);
	strlcpy(worker->bgw_type, type, BGW_MAXLEN);
}

/*
 * Register the launcher.  It runs at every server start and after every
 * crash restart (a static worker that exited would not), and starts the
 * channels that were left enabled.  Reading which channels those are needs
 * a database connection, which would keep the database from being dropped
 * if the launcher held it while idle; so the launcher only starts a
 * short-lived "starter" worker that connects, starts the channels and
 * exits, and then idles without a connection.
 */
void
mysql_replica_register_launcher(void)
{
	BackgroundWorker worker;

	mysql_replica_worker_init(&worker, "mysql_replica_launcher_main",
							  "mysql_replica launcher", false);
	worker.bgw_restart_time = 10;
	RegisterBackgroundWorker(&worker);
}

/* The channels to start at server start, in TopMemoryContext. */
static List *
enabled_channels(void)
{
	List	   *channels = NIL;

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	SPI_connect();
	PushActiveSnapshot(GetTransactionSnapshot());

	if (OidIsValid(get_extension_oid("mysql_replica", true)))
	{
		if (SPI_execute("SELECT channel FROM mysql_replica.channels "
						"WHERE enabled ORDER BY channel", true, 0) != SPI_OK_SELECT)
			elog(ERROR, "could not read mysql_replica.channels");
		for (uint64 i = 0; i < SPI_processed; i++)
		{
			char	   *name = get_text(SPI_tuptable->vals[i],
										SPI_tuptable->tupdesc, 1);
			MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

			channels = lappend(channels, pstrdup(name));
			MemoryContextSwitchTo(old);
		}
	}

	SPI_finish();
	PopActiveSnapshot();
	CommitTransactionCommand();
	return channels;
}

/* Start one channel; one that cannot start must not keep the others down. */
static void
launch_enabled_channel(const char *name)
{
	PG_TRY();
	{
		channel_launch(name, false);
		ereport(LOG,
				(errmsg("mysql_replica started channel \"%s\"", name)));
	}
	PG_CATCH();
	{
		EmitErrorReport();
		FlushErrorState();
	}
	PG_END_TRY();
}

/* The starter: start the enabled channels, then exit. */
void
mysql_replica_starter_main(Datum main_arg)
{
	List	   *channels;
	ListCell   *lc;

	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnection(mysql_replica_database, NULL, 0);

	channels = enabled_channels();
	foreach(lc, channels)
		launch_enabled_channel(lfirst(lc));
	proc_exit(0);
}

void
mysql_replica_launcher_main(Datum main_arg)
{
	BackgroundWorker worker;
	BackgroundWorkerHandle *handle;

	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();

	mysql_replica_worker_init(&worker, "mysql_replica_starter_main",
							  "mysql_replica starter", true);
	if (!RegisterDynamicBackgroundWorker(&worker, &handle))
		ereport(WARNING,
				(errmsg("could not start the mysql_replica starter: no background worker slot free"),
				 errhint("Raise max_worker_processes; enabled channels must be started by hand.")));

	for (;;)
	{
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_EXIT_ON_PM_DEATH, -1,
						 PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
	}
}
