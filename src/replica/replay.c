/*-------------------------------------------------------------------------
 *
 * replay.c
 *	  apply_binlog_file(): replay the row events of a binlog file on the
 *	  server's disk, as "mysqlbinlog | mysql" does for a MySQL server.
 *
 * The file goes through the same decoder and applier as the network
 * stream, one PostgreSQL transaction per source transaction.  The applier
 * manages its own transactions, which a function called inside the
 * caller's transaction cannot do, so the replay runs in a background
 * worker; the function hands it the request in a dynamic shared memory
 * segment, waits for it, and reports its totals or its error.
 *
 *-------------------------------------------------------------------------
 */
#include "mysql_replica.h"

#include "ddl/translate.h"

#include "access/xact.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "replica/apply.h"
#include "storage/dsm.h"
#include "storage/ipc.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/resowner.h"

/* The request and its outcome, shared by the function and the worker. */
typedef struct ReplayTask
{
	char		path[MAXPGPATH];
	int64		start_pos;
	int64		stop_pos;		/* 0: to the end of the file */
	bool		skip_statements;	/* on_statement 'skip' */
	bool		replicate_ddl;	/* on_statement 'apply' */

	/* set by the worker */
	bool		done;
	int64		transactions;
	int64		rows;
	char		gtid_executed[8192];	/* GTIDs of the applied transactions */
	char		error[MAX_LAST_ERROR_LEN];
} ReplayTask;

PG_FUNCTION_INFO_V1(mysql_replica_apply_binlog_file);

/* Where the replay is, for the error context. */
typedef struct ReplayPlace
{
	const char *path;
	uint64		offset;			/* of the event being applied */
} ReplayPlace;

/*
 * Events of a relay log carry their source's positions; the offset in the
 * file being read is what the user can look up, so errors name it too.
 */
static void
replay_error_callback(void *arg)
{
	ReplayPlace *place = arg;

	errcontext("in binlog file \"%s\" at offset " UINT64_FORMAT,
			   place->path, place->offset);
}

/*
 * Read the file and apply its events.  Events before start_pos are read
 * only for the format description; reading ends at the first event that
 * starts at or after stop_pos.
 */
static void
replay_file(ReplayTask *task)
{
	BinlogFileReader reader;
	BinlogError err;
	Applier    *applier;
	const char *name;
	uint64		transactions;
	uint64		rows;
	ReplayPlace place;
	ErrorContextCallback errcallback;

	if (!binlog_file_open(&reader, task->path, &err))
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not open binlog file \"%s\": %s",
						task->path, err.message)));

	place.path = task->path;
	place.offset = BINLOG_MAGIC_LEN;
	errcallback.callback = replay_error_callback;
	errcallback.arg = &place;
	errcallback.previous = error_context_stack;
	error_context_stack = &errcallback;

	PG_TRY();
	{
		applier = applier_create(NULL, NULL);
		applier_set_skip_statements(applier, task->skip_statements);
		applier_set_ddl_policy(applier, task->replicate_ddl, false,
							   DDL_DROP_CREATED);
		name = strrchr(task->path, '/') ? strrchr(task->path, '/') + 1
			: task->path;
		applier_start_stream(applier, reader.format.checksum_alg, name,
							 BINLOG_MAGIC_LEN, NULL);

		for (;;)
		{
			BinlogEvent ev;
			int			rc;
			uint64		start;

			CHECK_FOR_INTERRUPTS();
			rc = binlog_file_next(&reader, &ev, &err);
			if (rc < 0)
				ereport(ERROR,
						(errcode(ERRCODE_DATA_CORRUPTED),
						 errmsg("could not read binlog file \"%s\": %s",
								task->path, err.message)));
			if (rc == 0)
				break;

			start = reader.offset - ev.header.event_size;
			place.offset = start;
			if (task->stop_pos > 0 && start >= (uint64) task->stop_pos)
				break;
			if (start < (uint64) task->start_pos &&
				ev.header.type != BINLOG_FORMAT_DESCRIPTION_EVENT)
				continue;

			applier_handle_event(applier, ev.data, ev.header.event_size, false);
		}

		if (applier_in_transaction(applier))
		{
			ereport(WARNING,
					(errmsg("binlog file \"%s\" ends inside a transaction, which was not applied",
							task->path)));
			applier_abort(applier);
		}
		applier_totals(applier, &transactions, &rows);
		task->transactions = transactions;
		task->rows = rows;
		strlcpy(task->gtid_executed, applier_gtid_executed(applier),
				sizeof(task->gtid_executed));
		error_context_stack = errcallback.previous;
	}
	PG_FINALLY();
	{
		binlog_file_close(&reader);
	}
	PG_END_TRY();
}

/* The background worker that replays a file. */
void
mysql_replica_replay_main(Datum main_arg)
{
	dsm_segment *seg;
	ReplayTask *task;

	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();

	CurrentResourceOwner = ResourceOwnerCreate(NULL, "mysql_replica replay");
	seg = dsm_attach(DatumGetUInt32(main_arg));
	if (seg == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("could not attach to the request of apply_binlog_file()")));
	dsm_pin_mapping(seg);
	task = dsm_segment_address(seg);

	BackgroundWorkerInitializeConnection(mysql_replica_database, NULL, 0);
	pgstat_report_activity(STATE_RUNNING, "replaying a binlog file");

	/* An error is the caller's to report: pass it on with its context. */
	PG_TRY();
	{
		replay_file(task);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		HOLD_INTERRUPTS();
		MemoryContextSwitchTo(TopMemoryContext);
		edata = CopyErrorData();
		FlushErrorState();
		AbortOutOfAnyTransaction();
		snprintf(task->error, sizeof(task->error), "%s%s%s%s%s",
				 edata->message,
				 edata->detail ? " DETAIL: " : "",
				 edata->detail ? edata->detail : "",
				 edata->context ? " CONTEXT: " : "",
				 edata->context ? edata->context : "");
		RESUME_INTERRUPTS();
	}
	PG_END_TRY();

	task->done = true;
	proc_exit(0);
}

/*
 * apply_binlog_file(path, start_pos, stop_pos, on_statement): replay a file
 * and return how many transactions and rows it applied, and their GTIDs.
 */
Datum
mysql_replica_apply_binlog_file(PG_FUNCTION_ARGS)
{
	char	   *path;
	char	   *on_statement;
	dsm_segment *seg;
	ReplayTask *task;
	BackgroundWorker worker;
	BackgroundWorkerHandle *handle;
	pid_t		pid;
	TupleDesc	tupdesc;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	if (!superuser())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("must be superuser to apply a binlog file")));
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("binlog file path must not be null")));
	path = text_to_cstring(PG_GETARG_TEXT_PP(0));
	on_statement = PG_ARGISNULL(3) ? "error" :
		text_to_cstring(PG_GETARG_TEXT_PP(3));
	if (strcmp(on_statement, "error") != 0 &&
		strcmp(on_statement, "skip") != 0 &&
		strcmp(on_statement, "apply") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid on_statement \"%s\"", on_statement),
				 errhint("Valid values are error, skip and apply.")));
	if (strlen(path) >= MAXPGPATH)
		ereport(ERROR,
				(errcode(ERRCODE_NAME_TOO_LONG),
				 errmsg("binlog file path is too long")));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");

	seg = dsm_create(sizeof(ReplayTask), 0);
	task = dsm_segment_address(seg);
	memset(task, 0, sizeof(ReplayTask));
	strlcpy(task->path, path, MAXPGPATH);
	task->start_pos = PG_ARGISNULL(1) ? BINLOG_MAGIC_LEN : PG_GETARG_INT64(1);
	task->stop_pos = PG_ARGISNULL(2) ? 0 : PG_GETARG_INT64(2);
	task->skip_statements = strcmp(on_statement, "skip") == 0;
	task->replicate_ddl = strcmp(on_statement, "apply") == 0;

	mysql_replica_worker_init(&worker, "mysql_replica_replay_main",
							  "mysql_replica replay", true);
	worker.bgw_main_arg = UInt32GetDatum(dsm_segment_handle(seg));
	worker.bgw_notify_pid = MyProcPid;
	if (!RegisterDynamicBackgroundWorker(&worker, &handle))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_RESOURCES),
				 errmsg("could not start a worker to apply the binlog file"),
				 errhint("Raise max_worker_processes.")));

	/* If the caller is cancelled, so is the replay. */
	PG_TRY();
	{
		if (WaitForBackgroundWorkerStartup(handle, &pid) == BGWH_STARTED)
			WaitForBackgroundWorkerShutdown(handle);
	}
	PG_CATCH();
	{
		TerminateBackgroundWorker(handle);
		PG_RE_THROW();
	}
	PG_END_TRY();

	if (task->error[0] != '\0')
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("could not apply binlog file \"%s\"", path),
				 errdetail_internal("%s", task->error)));
	if (!task->done)
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("could not apply binlog file \"%s\"", path),
				 errdetail("The replay worker exited early; see the server log.")));

	values[0] = Int64GetDatum(task->transactions);
	values[1] = Int64GetDatum(task->rows);
	values[2] = CStringGetTextDatum(task->gtid_executed);
	dsm_detach(seg);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
