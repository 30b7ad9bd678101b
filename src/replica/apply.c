/*-------------------------------------------------------------------------
 *
 * apply.c
 *	  The applier: replays the binlog events of one channel as PostgreSQL
 *	  transactions.
 *
 * Source transactions are applied in PostgreSQL transactions that also
 * update the channel's row in mysql_replica.channel_position with the
 * binlog position of the last one's end.  Data and position commit
 * together, so after any crash the channel resumes exactly after the last
 * transaction that PostgreSQL committed.  While more events wait in the
 * queue (the channel is catching up), up to GROUP_MAX_TRANSACTIONS small
 * source transactions share one PostgreSQL transaction, which saves a
 * commit and a position update per source transaction; when the queue is
 * empty every source transaction commits at once.  The events of a group
 * are kept until it commits: if one of its source transactions fails (or
 * rolls back), the group is rolled back and its events applied again one
 * source transaction per PostgreSQL transaction, so that the failure is
 * reported, and skipped with skip_transaction(), for that transaction
 * alone.
 *
 * The rows of plain tables are handed to a row writer (rowwriter.c),
 * which stores them with the executor's table and index routines.  Rows
 * that need what only a statement does (triggers, rules, ON CONFLICT,
 * jsonb functions for partial JSON updates) are written with prepared
 * statements whose parameters are the decoded values; identifiers are
 * quoted, nothing from the binlog is ever pasted into SQL text.  The
 * statements are cached per target table and per shape of row image
 * (which columns are present), and dropped when the table's definition
 * changes.
 *
 * MySQL database d, table t is written into PostgreSQL schema "d", table
 * "t", which must exist.  Columns are matched by name when the table map
 * carries names (binlog_row_metadata=FULL), else by position.  UPDATE and
 * DELETE find the row by the PostgreSQL table's primary key, or by all
 * columns of the before image when it has none.
 *
 *-------------------------------------------------------------------------
 */
#include "replica/apply.h"

#include "ddl/translate.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/dependency.h"
#include "catalog/namespace.h"
#include "catalog/pg_sequence.h"
#include "catalog/pg_index.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "storage/proc.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

/*
 * Grouping of small source transactions: at most this many per PostgreSQL
 * transaction, and no more joining once the group's events take this many
 * bytes (they are kept until the group commits).
 */
#define GROUP_MAX_TRANSACTIONS	100
#define GROUP_MAX_BYTES			((size_t) 4 << 20)

/* The GTID of the source transaction being applied, either flavor. */
typedef struct PendingGtid
{
	bool		is_mariadb;
	uint32		domain_id;		/* MariaDB */
	uint32		server_id;
	uint64		seq_no;
	uint8		uuid[16];		/* MySQL */
	char		tag[33];
	int64		gno;
} PendingGtid;

/* A prepared statement for one shape of row change on one table. */
typedef struct TargetPlan
{
	struct TargetPlan *next;
	char	   *shape;			/* kind, then a flag per column for SET/VALUES
								 * and for WHERE */
	SPIPlanPtr	plan;
} TargetPlan;

/* Hash key of a target table: the MySQL database and table names. */
typedef struct TargetKey
{
	char		db[NAMEDATALEN];
	char		table[NAMEDATALEN];
} TargetKey;

/* What we know of the PostgreSQL table a MySQL table is written to. */
typedef struct TargetTable
{
	TargetKey	key;
	bool		valid;			/* false once the relation changed */
	Oid			relid;
	char	   *qualified_name; /* quoted schema.table for SQL text */
	int			ncols;			/* columns of the MySQL table */
	uint8	   *source_types;	/* their types, to notice a new table map */
	TargetColumn *columns;		/* one per MySQL column */
	int			nkeys;			/* primary key columns, 0 if none */
	int		   *key_columns;	/* MySQL column numbers of the key */
	Oid			key_index;		/* the primary key's index */

	/* the row writer of this table, if any, and the transaction it is for */
	RowWriter  *writer;
	LocalTransactionId writer_lxid;
	TargetPlan *plans;

	/*
	 * The column with a sequence (an identity column, AUTO_INCREMENT in
	 * MySQL), -1 if none, and how far the sequence is known to be ahead.
	 */
	int			sequence_column;
	Oid			sequence;
	int64		sequence_max;
	bool		sequence_known;
	int64		sequence_ahead;
} TargetTable;

/* A table map event, kept until the transaction ends. */
typedef struct TableMapEntry
{
	uint64		table_id;
	BinlogTableMap *map;		/* malloc'd by the decoder */
} TableMapEntry;

struct Applier
{
	ChannelSlot *slot;
	char	   *channel;
	MemoryContext context;		/* lives as long as the applier */
	MemoryContext event_context;	/* reset after each event */

	BinlogFormat format;

	/* where we are in the stream */
	char		log_file[BINLOG_MAX_FILE_NAME];
	uint64		log_pos;

	/* end of the last committed transaction */
	char		committed_file[BINLOG_MAX_FILE_NAME];
	uint64		committed_pos;

	/*
	 * GTIDs applied, in the source's flavor (malloc'd, at most one of the
	 * two is set), and the GTID of the open transaction.
	 */
	BinlogMariadbGtidList *mariadb_gtids;
	BinlogGtidSet *mysql_gtids;
	bool		has_pending_gtid;
	PendingGtid pending_gtid;

	bool		in_transaction;
	List	   *savepoints;		/* names of open savepoints, innermost first */

	/*
	 * The PostgreSQL transaction, which may hold several finished source
	 * transactions (a group) before the open one.
	 */
	bool		(*more_waiting) (void);	/* events queued behind this one;
										 * NULL: never group */
	bool		pg_open;
	int			group_transactions; /* source transactions finished in it */
	uint64		group_rows;
	uint64		group_skipped_rows;
	bool		group_skip_next;	/* skip_next when the group began */
	bool		ungrouped;		/* no grouping until the next commit */
	bool		applying_again; /* a failed group's events, one by one */
	StringInfoData group_events;	/* the group's events: 4-byte length,
									 * then the bytes, each */
	int			current_start;	/* where the open transaction's events
								 * start in group_events */
	bool		current_kept;	/* they are all there (small enough) */
	bool		rolled_back_in_group;	/* the open one was rolled back */
	char	   *committed_gtids;	/* GTID state at the last commit */
	uint64		transaction_rows;
	uint64		transaction_skipped_rows;

	/*
	 * exec_mode idempotent: an insert of an existing row updates it, an
	 * update or delete of a missing row is counted and skipped.
	 */
	bool		idempotent;

	/* skip_transaction(): skip the next source transaction, which is ... */
	bool		skip_next;
	/* ... this one, now being read */
	bool		skipping;

	/* asked between rows, so that a long event does not delay a stop */
	bool		(*should_stop) (void);

	/* replaying a file: no channel, no position; maybe skip statements */
	bool		skip_statements;

	/* DDL: replayed, or an error; what unsupported ones do; DROP DATABASE */
	bool		replicate_ddl;
	bool		skip_unsupported_ddl;
	DdlDropDatabase drop_database;
	uint64		total_transactions;
	uint64		total_rows;
	ChannelState published_state;

	HTAB	   *table_maps;		/* table id -> TableMapEntry */
	HTAB	   *targets;		/* TargetKey -> TargetTable */

	/*
	 * Targets with a row writer in the PostgreSQL transaction with local id
	 * row_writers_lxid; after another transaction, the list is gone.
	 */
	List	   *row_writers;
	LocalTransactionId row_writers_lxid;
	SPIPlanPtr	save_position_plan;

	/* for the error context */
	const BinlogEvent *current_event;
	const char *current_table;
};

static bool targets_invalidated = false;
static HTAB *invalidation_targets = NULL;

static void apply_error_callback(void *arg);
static int	spi_execute_here(SPIPlanPtr plan, Datum *values, const char *nulls);
static void dispatch_event(Applier *applier, const BinlogEvent *evp);
static void forget_savepoints(Applier *applier);

/*
 * A relation changed: its cached statements and column mapping may be
 * stale.  Mark every target invalid; they are rebuilt on next use, which
 * is cheap compared with a DDL.
 */
static void
target_invalidate_callback(Datum arg, Oid relid)
{
	HASH_SEQ_STATUS status;
	TargetTable *target;

	if (invalidation_targets == NULL)
		return;
	hash_seq_init(&status, invalidation_targets);
	while ((target = hash_seq_search(&status)) != NULL)
	{
		if (relid == InvalidOid || target->relid == relid)
		{
			target->valid = false;
			targets_invalidated = true;
		}
	}
}

Applier *
applier_create(ChannelSlot *slot, const char *channel)
{
	Applier    *applier;
	MemoryContext context;
	HASHCTL		ctl;

	context = AllocSetContextCreate(TopMemoryContext, "mysql_replica applier",
									ALLOCSET_DEFAULT_SIZES);
	applier = MemoryContextAllocZero(context, sizeof(Applier));
	applier->slot = slot;
	applier->context = context;
	applier->channel = channel ? MemoryContextStrdup(context, channel) : NULL;
	applier->event_context = AllocSetContextCreate(context,
												   "mysql_replica event",
												   ALLOCSET_DEFAULT_SIZES);
	applier->published_state = CHANNEL_CONNECTING;
	applier->replicate_ddl = true;
	applier->drop_database = DDL_DROP_CREATED;
	{
		MemoryContext oldcxt = MemoryContextSwitchTo(context);

		initStringInfo(&applier->group_events);
		applier->current_kept = true;
		applier->committed_gtids = pstrdup("");
		MemoryContextSwitchTo(oldcxt);
	}

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(uint64);
	ctl.entrysize = sizeof(TableMapEntry);
	ctl.hcxt = context;
	applier->table_maps = hash_create("mysql_replica table maps", 64, &ctl,
									  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(TargetKey);
	ctl.entrysize = sizeof(TargetTable);
	ctl.hcxt = context;
	applier->targets = hash_create("mysql_replica targets", 64, &ctl,
								   HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	invalidation_targets = applier->targets;
	CacheRegisterRelcacheCallback(target_invalidate_callback, (Datum) 0);

	binlog_format_init(&applier->format, BINLOG_CHECKSUM_OFF);
	return applier;
}

static void
publish_state(Applier *applier, ChannelState state)
{
	if (applier->slot != NULL && applier->published_state != state)
	{
		channel_set_state(applier->slot, state);
		applier->published_state = state;
	}
}

/*
 * Take a GTID state in text, in either source's format: MariaDB's
 * domain-server-sequence list or MySQL's GTID set.  Text in neither form
 * is an error rather than a silently lost position.
 */
static void
parse_gtid_executed(Applier *applier, const char *text)
{
	BinlogError merr;
	BinlogError gerr;
	BinlogMariadbGtidList *mariadb;
	BinlogGtidSet *mysql = NULL;

	free(applier->mariadb_gtids);
	free(applier->mysql_gtids);
	applier->mariadb_gtids = NULL;
	applier->mysql_gtids = NULL;
	if (text[0] == '\0')
		return;

	mariadb = binlog_mariadb_gtid_list_parse(text, &merr);
	if (mariadb == NULL)
		mysql = binlog_gtid_set_parse(text, &gerr);
	if (mariadb == NULL && mysql == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid gtid_executed \"%s\" of channel \"%s\"",
						text, applier->channel ? applier->channel : ""),
				 errdetail("As a MariaDB GTID position: %s. As a MySQL GTID set: %s.",
						   merr.message, gerr.message)));
	applier->mariadb_gtids = mariadb;
	applier->mysql_gtids = mysql;
}

/* The GTID state in the source's text format, palloc'd. */
static char *
format_gtid_executed(Applier *applier)
{
	char	   *text;
	char	   *result;

	if (applier->mysql_gtids != NULL)
		text = binlog_gtid_set_format(applier->mysql_gtids);
	else if (applier->mariadb_gtids != NULL)
		text = binlog_mariadb_gtid_list_format(applier->mariadb_gtids);
	else
		return pstrdup("");
	if (text == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory")));
	result = pstrdup(text);
	free(text);
	return result;
}

/* Record that the transaction with this GTID has been applied. */
static void
advance_gtid(Applier *applier, const PendingGtid *gtid)
{
	BinlogError err;
	bool		ok;

	if (gtid->is_mariadb)
	{
		/* A channel follows one flavor; a switch starts a new state. */
		free(applier->mysql_gtids);
		applier->mysql_gtids = NULL;
		ok = binlog_mariadb_gtid_list_advance(&applier->mariadb_gtids,
											  gtid->domain_id,
											  gtid->server_id,
											  gtid->seq_no, &err);
	}
	else
	{
		free(applier->mariadb_gtids);
		applier->mariadb_gtids = NULL;
		ok = binlog_gtid_set_add(&applier->mysql_gtids, gtid->uuid,
								 gtid->tag[0] ? gtid->tag : NULL,
								 gtid->gno, &err);
	}
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("could not record GTID: %s", err.message)));
}

/* Keep the GTID state as committed, to come back to after a rollback. */
static void
remember_committed_gtids(Applier *applier)
{
	char	   *text = format_gtid_executed(applier);

	if (applier->committed_gtids != NULL)
		pfree(applier->committed_gtids);
	applier->committed_gtids = MemoryContextStrdup(applier->context, text);
}

/*
 * Read the channel's committed position.  Called in a transaction with SPI
 * connected.
 */
void
applier_load_position(Applier *applier)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1];
	bool		isnull;
	int			rc;

	values[0] = CStringGetTextDatum(applier->channel);
	rc = SPI_execute_with_args("SELECT log_file, log_pos, gtid_executed, "
							   "skip_next "
							   "FROM mysql_replica.channel_position "
							   "WHERE channel = $1",
							   1, argtypes, values, NULL, true, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "could not read the position of channel \"%s\": %s",
			 applier->channel, SPI_result_code_string(rc));

	applier->committed_file[0] = '\0';
	applier->committed_pos = 0;
	parse_gtid_executed(applier, "");
	applier->skip_next = false;
	if (SPI_processed == 0)
		return;

	{
		HeapTuple	tuple = SPI_tuptable->vals[0];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		Datum		d;

		d = SPI_getbinval(tuple, desc, 1, &isnull);
		if (!isnull)
			strlcpy(applier->committed_file, TextDatumGetCString(d),
					BINLOG_MAX_FILE_NAME);
		d = SPI_getbinval(tuple, desc, 2, &isnull);
		if (!isnull)
			applier->committed_pos = DatumGetInt64(d);
		d = SPI_getbinval(tuple, desc, 3, &isnull);
		if (!isnull)
			parse_gtid_executed(applier, TextDatumGetCString(d));
		d = SPI_getbinval(tuple, desc, 4, &isnull);
		applier->skip_next = !isnull && DatumGetBool(d);
	}
	remember_committed_gtids(applier);
}

/* The GTID state of the last committed transaction, as text. */
const char *
applier_gtid_executed(Applier *applier)
{
	return format_gtid_executed(applier);
}

const char *
applier_log_file(Applier *applier)
{
	return applier->committed_file;
}

uint64
applier_log_pos(Applier *applier)
{
	return applier->committed_pos;
}

bool
applier_in_transaction(Applier *applier)
{
	return applier->in_transaction;
}

void
applier_set_options(Applier *applier, bool idempotent, bool (*should_stop) (void))
{
	applier->idempotent = idempotent;
	applier->should_stop = should_stop;
}

/*
 * Replaying a file: skip statements other than row changes instead of
 * stopping at them.
 */
void
applier_set_skip_statements(Applier *applier, bool skip)
{
	applier->skip_statements = skip;
}

/*
 * How statements other than transaction control are handled: replayed as
 * PostgreSQL DDL (else they stop the applier), whether one that cannot be
 * replayed is skipped with a WARNING rather than stopping, and what DROP
 * DATABASE does (a DdlDropDatabase).
 */
void
applier_set_ddl_policy(Applier *applier, bool replicate_ddl,
					   bool skip_unsupported, int drop_database)
{
	applier->replicate_ddl = replicate_ddl;
	applier->skip_unsupported_ddl = skip_unsupported;
	applier->drop_database = (DdlDropDatabase) drop_database;
}

void
applier_totals(Applier *applier, uint64 *transactions, uint64 *rows)
{
	*transactions = applier->total_transactions;
	*rows = applier->total_rows;
}

/*
 * Start a PostgreSQL transaction with SPI connected and a snapshot.  A
 * source transaction spans many events, so the caller's memory context is
 * kept: per-event allocations must not pile up in the transaction's
 * contexts until commit.
 */
static void
begin_pg_transaction(void)
{
	MemoryContext cxt = CurrentMemoryContext;

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	PushActiveSnapshot(GetTransactionSnapshot());
	MemoryContextSwitchTo(cxt);
}

/*
 * End the row writers of the current transaction, before it commits or
 * anything runs that may change their tables or end a subtransaction
 * they belong to.  Writers of an aborted transaction are simply
 * forgotten: the abort released what they held, and their memory.
 */
static void
close_row_writers(Applier *applier)
{
	ListCell   *lc;

	if (applier->row_writers_lxid != MyProc->lxid)
	{
		applier->row_writers = NIL;
		return;
	}
	foreach(lc, applier->row_writers)
	{
		TargetTable *target = lfirst(lc);

		if (target->writer != NULL && target->writer_lxid == MyProc->lxid)
			row_writer_end(target->writer);
		target->writer = NULL;
	}
	list_free(applier->row_writers);
	applier->row_writers = NIL;
}

/*
 * The row writer of a target for the rows of one event, resumed, or NULL
 * when the table's rows must go through SPI.  Writers are kept until the
 * transaction ends, in its memory.
 */
static RowWriter *
target_writer(Applier *applier, TargetTable *target, const BinlogTableMap *map)
{
	MemoryContext oldcxt;
	RowWriter  *writer;

	if (target->writer != NULL && target->writer_lxid == MyProc->lxid)
	{
		row_writer_resume(target->writer, map);
		return target->writer;
	}

	oldcxt = MemoryContextSwitchTo(TopTransactionContext);
	writer = row_writer_begin(target->relid, target->columns, target->ncols,
							  target->key_index);
	if (writer != NULL)
	{
		if (applier->row_writers_lxid != MyProc->lxid)
		{
			applier->row_writers = NIL;
			applier->row_writers_lxid = MyProc->lxid;
		}
		applier->row_writers = lappend(applier->row_writers, target);
		target->writer = writer;
		target->writer_lxid = MyProc->lxid;
		row_writer_resume(writer, map);
	}
	MemoryContextSwitchTo(oldcxt);
	return writer;
}

static void
commit_pg_transaction(Applier *applier)
{
	MemoryContext cxt = CurrentMemoryContext;

	close_row_writers(applier);
	if (SPI_finish() != SPI_OK_FINISH)
		elog(ERROR, "SPI_finish failed");
	PopActiveSnapshot();
	CommitTransactionCommand();
	MemoryContextSwitchTo(cxt);
}

/*
 * Execute a kept plan and come back to the caller's memory context.  SPI
 * leaves its procedure context current after each call, a context that
 * lives until the PostgreSQL transaction ends: allocations made there
 * between rows would grow with the size of a source transaction.
 */
static int
spi_execute_here(SPIPlanPtr plan, Datum *values, const char *nulls)
{
	MemoryContext cxt = CurrentMemoryContext;
	int			rc;

	rc = SPI_execute_plan(plan, values, nulls, false, 0);
	MemoryContextSwitchTo(cxt);
	return rc;
}

/*
 * Write the current position (and GTID state) into the channel's position
 * row.  Called inside the transaction whose end it records.
 */
static void
save_position(Applier *applier)
{
	Datum		values[4];
	int			rc;

	/* Replaying a file keeps no position. */
	if (applier->channel == NULL)
		return;

	if (applier->save_position_plan == NULL)
	{
		Oid			argtypes[4] = {TEXTOID, TEXTOID, INT8OID, TEXTOID};
		SPIPlanPtr	plan;
		MemoryContext cxt = CurrentMemoryContext;

		plan = SPI_prepare("UPDATE mysql_replica.channel_position "
						   "SET log_file = $2, log_pos = $3, "
						   "gtid_executed = $4, applied_at = now(), "
						   "skip_next = false "
						   "WHERE channel = $1", 4, argtypes);
		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed: %s",
				 SPI_result_code_string(SPI_result));
		SPI_keepplan(plan);
		MemoryContextSwitchTo(cxt);
		applier->save_position_plan = plan;
	}

	values[0] = CStringGetTextDatum(applier->channel);
	values[1] = CStringGetTextDatum(applier->log_file);
	values[2] = Int64GetDatum(applier->log_pos);
	values[3] = CStringGetTextDatum(format_gtid_executed(applier));

	/* Streaming by GTID, the file is unknown until the first rotate. */
	rc = spi_execute_here(applier->save_position_plan, values,
						  applier->log_file[0] == '\0' ? " nn " : NULL);
	if (rc != SPI_OK_UPDATE || SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("could not save the position of channel \"%s\"",
						applier->channel),
				 errdetail("Its row in mysql_replica.channel_position is missing.")));
}

/*
 * A new connection streams from log_file:log_pos.  A channel without a
 * position starts at the source's current end of binlog; record that at
 * once, so that a restart before the first transaction does not skip what
 * was written in between.
 */
void
applier_start_stream(Applier *applier, int checksum_alg,
					 const char *log_file, uint64 log_pos,
					 const char *gtid_start)
{
	bool		new_gtid_state = false;

	binlog_format_init(&applier->format, (BinlogChecksumAlg) checksum_alg);
	strlcpy(applier->log_file, log_file, BINLOG_MAX_FILE_NAME);
	applier->log_pos = log_pos;

	/* Streaming by GTID from the source's current state: remember it. */
	if (gtid_start != NULL && gtid_start[0] != '\0' &&
		applier->mariadb_gtids == NULL && applier->mysql_gtids == NULL)
	{
		parse_gtid_executed(applier, gtid_start);
		new_gtid_state = true;
	}

	if (new_gtid_state && applier->channel != NULL)
	{
		begin_pg_transaction();
		save_position(applier);
		commit_pg_transaction(applier);
		ereport(LOG,
				(errmsg("mysql_replica channel \"%s\" has no GTID state yet, starting after the source's current one, \"%s\"",
						applier->channel, gtid_start)));
	}
	else if (applier->committed_file[0] == '\0' && applier->channel != NULL &&
			 gtid_start == NULL)
	{
		begin_pg_transaction();
		save_position(applier);
		commit_pg_transaction(applier);
		ereport(LOG,
				(errmsg("mysql_replica channel \"%s\" has no position yet, starting at the source's current end of binlog %s:" UINT64_FORMAT,
						applier->channel, log_file, log_pos)));
	}
	strlcpy(applier->committed_file, log_file, BINLOG_MAX_FILE_NAME);
	applier->committed_pos = log_pos;
	remember_committed_gtids(applier);
	publish_state(applier, CHANNEL_STREAMING);
}

/* Forget the table maps of a transaction. */
static void
clear_table_maps(Applier *applier)
{
	HASH_SEQ_STATUS status;
	TableMapEntry *entry;

	hash_seq_init(&status, applier->table_maps);
	while ((entry = hash_seq_search(&status)) != NULL)
	{
		free(entry->map);
		hash_search(applier->table_maps, &entry->table_id, HASH_REMOVE, NULL);
	}
}

/* Nothing of a group is kept any more. */
static void
forget_group_events(Applier *applier)
{
	resetStringInfo(&applier->group_events);
	applier->current_start = 0;
	applier->current_kept = true;
}

/*
 * The stream broke off or the worker is stopping: roll back a half-applied
 * transaction.  The next stream starts again at the committed position.
 */
void
applier_abort(Applier *applier)
{
	bool		had_group = applier->pg_open;

	if (applier->pg_open || applier->in_transaction)
	{
		AbortOutOfAnyTransaction();
		applier->in_transaction = false;
		applier->pg_open = false;
	}

	forget_savepoints(applier);

	/* A transaction being skipped is still the one to skip next time. */
	if (applier->skipping)
		applier->skip_next = true;
	applier->skipping = false;
	applier->has_pending_gtid = false;
	clear_table_maps(applier);

	/* Back to the last commit, before any transaction of the group. */
	if (had_group)
	{
		applier->skip_next = applier->group_skip_next;
		parse_gtid_executed(applier, applier->committed_gtids);
	}
	applier->group_transactions = 0;
	applier->group_rows = 0;
	applier->group_skipped_rows = 0;
	applier->ungrouped = false;
	applier->applying_again = false;
	applier->rolled_back_in_group = false;
	forget_group_events(applier);
	strlcpy(applier->log_file, applier->committed_file, BINLOG_MAX_FILE_NAME);
	applier->log_pos = applier->committed_pos;
}

/*
 * Apply events in groups of source transactions only while more_waiting()
 * says that more events are queued.
 */
void
applier_set_grouping(Applier *applier, bool (*more_waiting) (void))
{
	applier->more_waiting = more_waiting;
}

/* The transaction is over: its savepoints are gone with it. */
static void
forget_savepoints(Applier *applier)
{
	list_free_deep(applier->savepoints);
	applier->savepoints = NIL;
}

/*
 * Release the innermost "count" savepoints (all when count < 0), keeping
 * what was done since they were set.
 */
static void
release_savepoints(Applier *applier, int count)
{
	MemoryContext cxt = CurrentMemoryContext;

	/*
	 * What a subtransaction holds does not pass to its parent: row writers
	 * opened in one end with it.
	 */
	if (applier->savepoints != NIL && count != 0)
		close_row_writers(applier);

	while (applier->savepoints != NIL && count-- != 0)
	{
		char	   *name = linitial(applier->savepoints);

		ReleaseCurrentSubTransaction();
		applier->savepoints = list_delete_first(applier->savepoints);
		pfree(name);
	}
	MemoryContextSwitchTo(cxt);
}

/*
 * A savepoint name as MySQL writes it into the binlog: backquoted, with
 * doubled backquotes inside, or bare.
 */
static char *
parse_savepoint_name(const char *p)
{
	StringInfoData name;

	while (*p == ' ')
		p++;
	initStringInfo(&name);
	if (*p == '`')
	{
		for (p++; *p != '\0'; p++)
		{
			if (*p == '`' && p[1] == '`')
				p++;
			else if (*p == '`')
				break;
			appendStringInfoChar(&name, *p);
		}
	}
	else
		appendStringInfoString(&name, p);
	return name.data;
}

/*
 * How deep an open savepoint is, 1 for the innermost, 0 if there is none
 * of that name; MySQL compares savepoint names case-insensitively.
 */
static int
savepoint_depth(Applier *applier, const char *name)
{
	ListCell   *lc;
	int			depth = 0;

	foreach(lc, applier->savepoints)
	{
		depth++;
		if (pg_strcasecmp(lfirst(lc), name) == 0)
			return depth;
	}
	return 0;
}

/*
 * SAVEPOINT, ROLLBACK TO and RELEASE SAVEPOINT inside a source transaction
 * become subtransactions, so that rows rolled back to a savepoint on the
 * source are rolled back here too.  Returns false if the statement is not
 * one of these.
 */
static bool
handle_savepoint_statement(Applier *applier, const char *query)
{
	MemoryContext cxt = CurrentMemoryContext;
	char	   *name;
	int			depth;

	if (pg_strncasecmp(query, "SAVEPOINT ", 10) == 0)
	{
		name = parse_savepoint_name(query + 10);
		BeginInternalSubTransaction(NULL);
		MemoryContextSwitchTo(applier->context);
		applier->savepoints = lcons(pstrdup(name), applier->savepoints);
		MemoryContextSwitchTo(cxt);
		return true;
	}

	if (pg_strncasecmp(query, "ROLLBACK TO ", 12) == 0)
	{
		const char *p = query + 12;

		if (pg_strncasecmp(p, "SAVEPOINT ", 10) == 0)
			p += 10;
		name = parse_savepoint_name(p);
		depth = savepoint_depth(applier, name);
		if (depth == 0)
			ereport(ERROR,
					(errcode(ERRCODE_S_E_INVALID_SPECIFICATION),
					 errmsg("source transaction rolls back to unknown savepoint \"%s\"",
							name)));

		/* Inner savepoints go; the named one is rolled back and kept. */
		for (int i = 1; i < depth; i++)
		{
			RollbackAndReleaseCurrentSubTransaction();
			pfree(linitial(applier->savepoints));
			applier->savepoints = list_delete_first(applier->savepoints);
		}
		RollbackAndReleaseCurrentSubTransaction();
		BeginInternalSubTransaction(NULL);
		MemoryContextSwitchTo(cxt);
		return true;
	}

	if (pg_strncasecmp(query, "RELEASE SAVEPOINT ", 18) == 0)
	{
		name = parse_savepoint_name(query + 18);
		depth = savepoint_depth(applier, name);
		if (depth == 0)
			ereport(ERROR,
					(errcode(ERRCODE_S_E_INVALID_SPECIFICATION),
					 errmsg("source transaction releases unknown savepoint \"%s\"",
							name)));
		release_savepoints(applier, depth);
		return true;
	}
	return false;
}

static void
begin_source_transaction(Applier *applier, const BinlogEvent *ev)
{
	if (applier->in_transaction)
		return;
	if (!applier->pg_open)
	{
		begin_pg_transaction();
		applier->pg_open = true;
		applier->group_skip_next = applier->skip_next;
	}
	applier->in_transaction = true;
	applier->transaction_rows = 0;
	applier->transaction_skipped_rows = 0;

	/* The transaction that skip_transaction() asked to skip. */
	if (applier->skip_next)
	{
		applier->skipping = true;
		applier->skip_next = false;
	}

	if (applier->slot != NULL)
	{
		SpinLockAcquire(&applier->slot->mutex);
		applier->slot->event_time = time_t_to_timestamptz(ev->header.timestamp);
		SpinLockRelease(&applier->slot->mutex);
	}
	publish_state(applier, CHANNEL_APPLYING);
}

/* Whether the next source transaction may join the open group. */
static bool
group_may_grow(Applier *applier)
{
	return applier->more_waiting != NULL && !applier->ungrouped &&
		!applier->applying_again &&
		applier->group_transactions < GROUP_MAX_TRANSACTIONS &&
		applier->group_events.len < GROUP_MAX_BYTES &&
		applier->more_waiting();
}

/* Commit the PostgreSQL transaction with the position of its last event. */
static void
commit_group(Applier *applier)
{
	save_position(applier);
	commit_pg_transaction(applier);
	applier->pg_open = false;

	strlcpy(applier->committed_file, applier->log_file, BINLOG_MAX_FILE_NAME);
	applier->committed_pos = applier->log_pos;
	remember_committed_gtids(applier);

	applier->total_transactions += applier->group_transactions;
	applier->total_rows += applier->group_rows;
	if (applier->slot != NULL)
		channel_count(applier->slot, 0, applier->group_transactions,
					  applier->group_rows, applier->group_skipped_rows);
	applier->group_transactions = 0;
	applier->group_rows = 0;
	applier->group_skipped_rows = 0;
	applier->ungrouped = false;
	forget_group_events(applier);
	pgstat_report_stat(false);
}

/*
 * The source transaction ended.  It commits with its position, unless more
 * events are waiting and the group may take the next transaction too.
 */
static void
commit_source_transaction(Applier *applier)
{
	/* A COMMIT without a BEGIN still moves the position. */
	if (!applier->pg_open)
	{
		begin_pg_transaction();
		applier->pg_open = true;
		applier->group_skip_next = applier->skip_next;
	}

	if (applier->has_pending_gtid)
		advance_gtid(applier, &applier->pending_gtid);
	release_savepoints(applier, -1);

	if (applier->skipping)
		ereport(LOG,
				(errmsg("mysql_replica channel \"%s\" skipped the source transaction ending at %s:" UINT64_FORMAT,
						applier->channel, applier->log_file, applier->log_pos),
				 errdetail("skip_transaction() asked for it.")));
	/* a skipped transaction commits alone, so it is never skipped twice */
	if (applier->skipping)
		applier->ungrouped = true;
	applier->skipping = false;
	applier->in_transaction = false;
	applier->has_pending_gtid = false;
	applier->group_transactions++;
	applier->group_rows += applier->transaction_rows;
	applier->group_skipped_rows += applier->transaction_skipped_rows;
	clear_table_maps(applier);
	publish_state(applier, CHANNEL_STREAMING);

	if (!group_may_grow(applier))
		commit_group(applier);
	else
	{
		/* the next transaction's events start here */
		applier->current_start = applier->group_events.len;
		applier->current_kept = true;
	}
}

/*
 * The source rolled its transaction back (it touched non-transactional
 * tables).  In a group with earlier transactions, only these must go: the
 * caller's retry applies the group again without grouping.
 */
static void
rollback_source_transaction(Applier *applier)
{
	if (applier->group_transactions > 0)
	{
		applier->rolled_back_in_group = true;
		ereport(ERROR,
				(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
				 errmsg("source transaction rolled back inside a group of transactions")));
	}
	forget_savepoints(applier);
	if (applier->pg_open)
	{
		AbortOutOfAnyTransaction();
		applier->pg_open = false;
	}
	applier->in_transaction = false;
	applier->skipping = false;
	applier->has_pending_gtid = false;
	applier->ungrouped = false;
	forget_group_events(applier);
	clear_table_maps(applier);
	publish_state(applier, CHANNEL_STREAMING);
}

static void
free_target_plans(TargetTable *target)
{
	TargetPlan *plan = target->plans;

	while (plan != NULL)
	{
		TargetPlan *next = plan->next;

		SPI_freeplan(plan->plan);
		pfree(plan->shape);
		pfree(plan);
		plan = next;
	}
	target->plans = NULL;
}

/* Length of a BINARY(n) column from its table map metadata. */
static int
binary_column_length(const BinlogTableMap *map, int col)
{
	uint16		meta = map->meta[col];
	int			real = meta >> 8;

	if (map->types[col] != BINLOG_TYPE_STRING ||
		map->real_types[col] != BINLOG_TYPE_STRING)
		return 0;
	return (meta & 0xff) | (((real & 0x30) ^ 0x30) << 4);
}

/* Find the attribute of rel that a MySQL column name maps to. */
static int
find_attribute(Relation rel, const char *name)
{
	TupleDesc	desc = RelationGetDescr(rel);
	int			found = 0;

	/* The exact spelling first; MySQL column names ignore case. */
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (!att->attisdropped && strcmp(NameStr(att->attname), name) == 0)
			return att->attnum;
	}
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (!att->attisdropped && pg_strcasecmp(NameStr(att->attname), name) == 0)
		{
			if (found != 0)
				return 0;		/* ambiguous */
			found = att->attnum;
		}
	}
	return found;
}

/*
 * Check that a PostgreSQL column can hold the values of a MySQL column, by
 * type category: a number may go into a numeric, boolean, bit string or
 * text column, a date into a date/time or text column, and so on (the
 * README's type mapping lists the pairs that convert).  Anything else
 * means the columns do not correspond, most often because they are
 * matched by position and the two tables' orders differ, and writing
 * would put values into the wrong columns or fail on a later row.
 */
static void
check_column_type(const BinlogTableMap *map, int col, TargetColumn *tc,
				  bool positional)
{
	int			type = map->real_types ? map->real_types[col] : map->types[col];
	bool		binary = map->collation && map->collation[col] == 63;
	const char *accepts;

	switch (type)
	{
		case BINLOG_TYPE_TINY:
		case BINLOG_TYPE_SHORT:
		case BINLOG_TYPE_INT24:
		case BINLOG_TYPE_LONG:
		case BINLOG_TYPE_LONGLONG:
		case BINLOG_TYPE_FLOAT:
		case BINLOG_TYPE_DOUBLE:
		case BINLOG_TYPE_NEWDECIMAL:
		case BINLOG_TYPE_DECIMAL:
		case BINLOG_TYPE_YEAR:
		case BINLOG_TYPE_BIT:
			accepts = "NBSV";
			break;
		case BINLOG_TYPE_DATE:
		case BINLOG_TYPE_NEWDATE:
		case BINLOG_TYPE_DATETIME:
		case BINLOG_TYPE_DATETIME2:
		case BINLOG_TYPE_TIMESTAMP:
		case BINLOG_TYPE_TIMESTAMP2:
			accepts = "DS";
			break;
		case BINLOG_TYPE_TIME:
		case BINLOG_TYPE_TIME2:
			accepts = "TDS";
			break;
		case BINLOG_TYPE_ENUM:
		case BINLOG_TYPE_SET:
			accepts = "SENUA";
			break;
		case BINLOG_TYPE_GEOMETRY:
			accepts = "U";
			break;
		case BINLOG_TYPE_VECTOR:
			accepts = "AU";
			break;
		default:
			/* strings, blobs and JSON; binary ones into bytea and the like */
			accepts = binary ? "USA" : "SEUA";
			break;
	}
	if (strchr(accepts, tc->category) != NULL)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("column \"%s\" of table \"%s\".\"%s\" has type %s in PostgreSQL, which cannot hold values of MySQL column %d%s%s%s of type %s",
					tc->attname, map->db, map->table, tc->typname, col + 1,
					map->column_names ? " (\"" : "",
					map->column_names ? map->column_names[col] : "",
					map->column_names ? "\")" : "",
					binlog_column_type_name(type)),
			 positional ?
			 errdetail("The binlog carries no column names (binlog_row_metadata=FULL is not set on the source), so columns are matched by position; the PostgreSQL table's columns may be in another order than the MySQL table's.") : 0,
			 errhint("Change the PostgreSQL column to a type that holds these values, then start the channel again.")));
}

/*
 * Build the description of the PostgreSQL table that a table map's rows
 * go to: which attribute each MySQL column is, and the primary key.
 */
static void
build_target(Applier *applier, TargetTable *target, const BinlogTableMap *map)
{
	MemoryContext oldcxt;
	Oid			nspid;
	Relation	rel;
	TupleDesc	desc;
	Oid			pkey;
	int			next_attno = 0;
	int16	   *source_order = NULL;
	int			source_order_len = 0;
	List	   *sequences;

	nspid = get_namespace_oid(ddl_schema_for(map->db), true);
	target->relid = OidIsValid(nspid) ? get_relname_relid(map->table, nspid)
		: InvalidOid;

	/* A table created before the start position: from its table map. */
	if (!OidIsValid(target->relid) && applier->replicate_ddl)
		target->relid = ddl_create_table_from_map(map);
	if (!OidIsValid(target->relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("table \"%s\".\"%s\" does not exist in PostgreSQL",
						map->db, map->table),
				 errhint("Create the table in schema \"%s\" with the columns of the MySQL table, then start the channel again.",
						 map->db)));

	rel = table_open(target->relid, RowExclusiveLock);
	if (rel->rd_rel->relkind != RELKIND_RELATION &&
		rel->rd_rel->relkind != RELKIND_PARTITIONED_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\".\"%s\" is not a table", map->db, map->table)));
	desc = RelationGetDescr(rel);

	oldcxt = MemoryContextSwitchTo(applier->context);
	target->qualified_name = psprintf("%s.%s",
									  quote_identifier(ddl_schema_for(map->db)),
									  quote_identifier(map->table));
	target->ncols = map->ncols;
	target->source_types = palloc(map->ncols);
	memcpy(target->source_types, map->types, map->ncols);
	target->columns = palloc0(sizeof(TargetColumn) * map->ncols);

	/*
	 * Without names, columns are matched by position in the MySQL order,
	 * which the DDL replay records when FIRST or AFTER made it differ
	 * from PostgreSQL's.
	 */
	if (map->column_names == NULL)
		source_order = ddl_source_column_order(target->relid,
											   &source_order_len);

	for (int col = 0; col < map->ncols; col++)
	{
		TargetColumn *tc = &target->columns[col];
		Form_pg_attribute att;
		Oid			typinput;

		if (map->column_names != NULL)
		{
			tc->attnum = find_attribute(rel, map->column_names[col]);
			if (tc->attnum == 0)
				ereport(ERROR,
						(errcode(ERRCODE_UNDEFINED_COLUMN),
						 errmsg("column \"%s\" of table \"%s\".\"%s\" does not exist in PostgreSQL",
								map->column_names[col], map->db, map->table),
						 errhint("Add the column to the PostgreSQL table, then start the channel again.")));
		}
		else if (source_order != NULL)
		{
			if (col >= source_order_len)
				ereport(ERROR,
						(errcode(ERRCODE_UNDEFINED_COLUMN),
						 errmsg("table \"%s\".\"%s\" has %d columns in MySQL but %d in PostgreSQL",
								map->db, map->table, map->ncols, source_order_len)));
			tc->attnum = source_order[col];
		}
		else
		{
			/* No names in the binlog: the n-th live attribute. */
			while (next_attno < desc->natts &&
				   TupleDescAttr(desc, next_attno)->attisdropped)
				next_attno++;
			if (next_attno >= desc->natts)
				ereport(ERROR,
						(errcode(ERRCODE_UNDEFINED_COLUMN),
						 errmsg("table \"%s\".\"%s\" has %d columns in MySQL but fewer in PostgreSQL",
								map->db, map->table, map->ncols),
						 errhint("Without binlog_row_metadata=FULL on the source, columns are matched by position.")));
			tc->attnum = TupleDescAttr(desc, next_attno)->attnum;
			next_attno++;
		}

		att = TupleDescAttr(desc, tc->attnum - 1);

		/* PostgreSQL computes its generated columns itself */
		tc->generated = att->attgenerated != '\0';
		tc->attname = pstrdup(NameStr(att->attname));
		tc->typid = att->atttypid;
		tc->typmod = att->atttypmod;
		tc->is_bytea = getBaseType(att->atttypid) == BYTEAOID;
		{
			Oid			base = getBaseType(att->atttypid);
			bool		preferred;
			HeapTuple	typtup;

			get_type_category_preferred(base, &tc->category, &preferred);
			typtup = SearchSysCache1(TYPEOID, ObjectIdGetDatum(base));
			if (!HeapTupleIsValid(typtup))
				elog(ERROR, "cache lookup failed for type %u", base);
			strlcpy(tc->typname,
					NameStr(((Form_pg_type) GETSTRUCT(typtup))->typname),
					NAMEDATALEN);
			ReleaseSysCache(typtup);
		}
		tc->binary_length = binary_column_length(map, col);
		check_column_type(map, col, tc, map->column_names == NULL);
		getTypeInputInfo(att->atttypid, &typinput, &tc->typioparam);
		fmgr_info_cxt(typinput, &tc->typinput, applier->context);
	}

	/* The primary key, in MySQL column numbers. */
	target->nkeys = 0;
	target->key_columns = NULL;
	pkey = RelationGetPrimaryKeyIndex(rel);
	target->key_index = pkey;
	if (OidIsValid(pkey))
	{
		HeapTuple	indtup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(pkey));
		Form_pg_index index;

		if (!HeapTupleIsValid(indtup))
			elog(ERROR, "cache lookup failed for index %u", pkey);
		index = (Form_pg_index) GETSTRUCT(indtup);
		target->key_columns = palloc(sizeof(int) * index->indnkeyatts);
		for (int k = 0; k < index->indnkeyatts; k++)
		{
			int			attnum = index->indkey.values[k];
			int			col;

			for (col = 0; col < map->ncols; col++)
				if (target->columns[col].attnum == attnum)
					break;
			if (col == map->ncols)
				ereport(ERROR,
						(errcode(ERRCODE_UNDEFINED_COLUMN),
						 errmsg("primary key column \"%s\" of table \"%s\".\"%s\" is not a column of the MySQL table",
								NameStr(TupleDescAttr(desc, attnum - 1)->attname),
								map->db, map->table)));
			target->key_columns[target->nkeys++] = col;
		}
		ReleaseSysCache(indtup);
	}

	/* The sequence of an identity or serial column, kept ahead of rows. */
	target->sequence_column = -1;
	sequences = getOwnedSequences(target->relid);
	if (sequences != NIL)
	{
		Oid			seq = linitial_oid(sequences);
		Oid			tableid;
		int32		colid;

		if (sequenceIsOwned(seq, DEPENDENCY_INTERNAL, &tableid, &colid) ||
			sequenceIsOwned(seq, DEPENDENCY_AUTO, &tableid, &colid))
		{
			for (int col = 0; col < map->ncols; col++)
				if (target->columns[col].attnum == colid)
				{
					HeapTuple	seqtup = SearchSysCache1(SEQRELID,
														 ObjectIdGetDatum(seq));

					if (!HeapTupleIsValid(seqtup))
						elog(ERROR, "cache lookup failed for sequence %u", seq);
					target->sequence_max =
						((Form_pg_sequence) GETSTRUCT(seqtup))->seqmax;
					ReleaseSysCache(seqtup);
					target->sequence_column = col;
					target->sequence = seq;
					target->sequence_known = false;
				}
		}
	}
	MemoryContextSwitchTo(oldcxt);

	/* Keep the lock until the end of the transaction. */
	table_close(rel, NoLock);
	target->valid = true;
}

/* The target of a table map, built or rebuilt as needed. */
static TargetTable *
get_target(Applier *applier, const BinlogTableMap *map)
{
	TargetKey	key;
	TargetTable *target;
	bool		found;

	memset(&key, 0, sizeof(key));
	if (strlen(map->db) >= NAMEDATALEN || strlen(map->table) >= NAMEDATALEN)
		ereport(ERROR,
				(errcode(ERRCODE_NAME_TOO_LONG),
				 errmsg("name of MySQL table \"%s\".\"%s\" is too long for PostgreSQL",
						map->db, map->table)));
	strlcpy(key.db, map->db, NAMEDATALEN);
	strlcpy(key.table, map->table, NAMEDATALEN);

	target = hash_search(applier->targets, &key, HASH_ENTER, &found);
	if (!found)
	{
		memset(((char *) target) + sizeof(TargetKey), 0,
			   sizeof(TargetTable) - sizeof(TargetKey));
	}
	else if (target->valid &&
			 (target->ncols != map->ncols ||
			  memcmp(target->source_types, map->types, map->ncols) != 0))
	{
		/* The MySQL table changed shape: map it anew. */
		target->valid = false;
	}

	if (!target->valid)
	{
		/* The writer knows the old columns. */
		close_row_writers(applier);
		free_target_plans(target);
		build_target(applier, target, map);
	}
	return target;
}

/* Append "col = $n" or "col IS NOT DISTINCT FROM $n" conditions. */
static void
append_key_conditions(StringInfo sql, TargetTable *target, const bool *where,
					  Oid *argtypes, int *nargs)
{
	bool		first = true;

	for (int col = 0; col < target->ncols; col++)
	{
		if (!where[col])
			continue;
		argtypes[*nargs] = target->columns[col].typid;
		(*nargs)++;
		appendStringInfo(sql, "%s%s %s $%d", first ? "" : " AND ",
						 quote_identifier(target->columns[col].attname),
						 target->nkeys > 0 ? "=" : "IS NOT DISTINCT FROM",
						 *nargs);
		first = false;
	}
}

/*
 * Prepare and keep the statement sql for a target, under its shape, and
 * come back to the caller's memory context.
 */
static SPIPlanPtr
keep_plan(Applier *applier, TargetTable *target, const char *shape,
		  const char *sql, int nargs, Oid *argtypes)
{
	MemoryContext cxt = CurrentMemoryContext;
	SPIPlanPtr	spiplan;
	TargetPlan *plan;

	spiplan = SPI_prepare(sql, nargs, argtypes);
	MemoryContextSwitchTo(cxt);
	if (spiplan == NULL)
		elog(ERROR, "could not prepare \"%s\": %s", sql,
			 SPI_result_code_string(SPI_result));
	SPI_keepplan(spiplan);
	elog(DEBUG1, "mysql_replica prepared: %s", sql);

	plan = MemoryContextAlloc(applier->context, sizeof(TargetPlan));
	plan->shape = MemoryContextStrdup(applier->context, shape);
	plan->plan = spiplan;
	plan->next = target->plans;
	target->plans = plan;
	return spiplan;
}

/*
 * The prepared statement for a row change of the given shape: which
 * columns receive values (values[]) and which locate the row (where[]).
 */
static SPIPlanPtr
get_plan(Applier *applier, TargetTable *target, BinlogRowsKind kind,
		 const bool *values, const bool *where, JsonDiffList **diffs)
{
	char	   *shape;
	TargetPlan *plan;
	StringInfoData sql;
	Oid		   *argtypes;
	int			nargs = 0;
	bool		first = true;
	SPIPlanPtr	spiplan;

	{
		StringInfoData buf;
		int			ndiffparams = 0;

		initStringInfo(&buf);
		appendStringInfoChar(&buf, 'I' + kind);
		for (int col = 0; col < target->ncols; col++)
			appendStringInfoChar(&buf, !(values && values[col]) ? '0' :
								 diffs && diffs[col] ? 'J' : '1');
		for (int col = 0; col < target->ncols; col++)
			appendStringInfoChar(&buf, where && where[col] ? '1' : '0');

		/* partial JSON updates: the operations are part of the shape */
		for (int col = 0; diffs && col < target->ncols; col++)
			if (diffs[col] != NULL)
			{
				appendStringInfo(&buf, "|%d:%s", col, diffs[col]->ops);
				ndiffparams += diffs[col]->nparams;
			}
		shape = buf.data;
		argtypes = palloc(sizeof(Oid) * (target->ncols * 2 + ndiffparams));
	}

	for (plan = target->plans; plan != NULL; plan = plan->next)
		if (strcmp(plan->shape, shape) == 0)
		{
			pfree(shape);
			pfree(argtypes);
			return plan->plan;
		}

	initStringInfo(&sql);
	switch (kind)
	{
		case BINLOG_ROWS_INSERT:
			appendStringInfo(&sql, "INSERT INTO %s (", target->qualified_name);
			for (int col = 0; col < target->ncols; col++)
			{
				if (!values[col])
					continue;
				appendStringInfo(&sql, "%s%s", first ? "" : ", ",
								 quote_identifier(target->columns[col].attname));
				argtypes[nargs++] = target->columns[col].typid;
				first = false;
			}
			appendStringInfoString(&sql, ") VALUES (");
			for (int i = 1; i <= nargs; i++)
				appendStringInfo(&sql, "%s$%d", i > 1 ? ", " : "", i);
			appendStringInfoChar(&sql, ')');

			/* Idempotent: an existing row takes the new values. */
			if (applier->idempotent && target->nkeys > 0)
			{
				bool		first_set = true;

				appendStringInfoString(&sql, " ON CONFLICT (");
				for (int k = 0; k < target->nkeys; k++)
				{
					TargetColumn *key = &target->columns[target->key_columns[k]];

					appendStringInfo(&sql, "%s%s", k > 0 ? ", " : "",
									 quote_identifier(key->attname));
				}
				appendStringInfoString(&sql, ") DO UPDATE SET ");
				for (int col = 0; col < target->ncols; col++)
				{
					const char *name;

					if (!values[col])
						continue;
					name = quote_identifier(target->columns[col].attname);
					appendStringInfo(&sql, "%s%s = EXCLUDED.%s",
									 first_set ? "" : ", ", name, name);
					first_set = false;
				}
				if (first_set)
				{
					/* nothing to set: the key is the whole row */
					sql.len -= strlen(" DO UPDATE SET ");
					sql.data[sql.len] = '\0';
					appendStringInfoString(&sql, " DO NOTHING");
				}
			}
			if (nargs == 0)
			{
				resetStringInfo(&sql);
				appendStringInfo(&sql, "INSERT INTO %s DEFAULT VALUES",
								 target->qualified_name);
			}
			break;

		case BINLOG_ROWS_UPDATE:
			appendStringInfo(&sql, "UPDATE %s SET ", target->qualified_name);
			for (int col = 0; col < target->ncols; col++)
			{
				if (!values[col])
					continue;
				appendStringInfo(&sql, "%s%s = ", first ? "" : ", ",
								 quote_identifier(target->columns[col].attname));
				first = false;
				if (diffs && diffs[col])
				{
					json_diffs_append_sql(&sql, &target->columns[col],
										  diffs[col]->ops, argtypes, &nargs);
					continue;
				}
				argtypes[nargs] = target->columns[col].typid;
				nargs++;
				appendStringInfo(&sql, "$%d", nargs);
			}
			/* fall through to the row's location */
			/* FALLTHROUGH */
		case BINLOG_ROWS_DELETE:
			if (kind == BINLOG_ROWS_DELETE)
				appendStringInfo(&sql, "DELETE FROM %s", target->qualified_name);

			/*
			 * Without a primary key, touch one row of those that match the
			 * before image: MySQL changed exactly one.
			 */
			if (target->nkeys > 0)
			{
				appendStringInfoString(&sql, " WHERE ");
				append_key_conditions(&sql, target, where, argtypes, &nargs);
			}
			else
			{
				appendStringInfo(&sql, " WHERE ctid = (SELECT ctid FROM %s WHERE ",
								 target->qualified_name);
				append_key_conditions(&sql, target, where, argtypes, &nargs);
				appendStringInfoString(&sql, " LIMIT 1)");
			}
			break;
	}

	spiplan = keep_plan(applier, target, shape, sql.data, nargs, argtypes);
	pfree(shape);
	pfree(sql.data);
	pfree(argtypes);
	return spiplan;
}

/*
 * The prepared INSERT ... SELECT FROM unnest() for the given present
 * columns, whose array types are in arraytypes.
 */
static SPIPlanPtr
get_insert_batch_plan(Applier *applier, TargetTable *target,
					  const bool *present, Oid *arraytypes, int npresent)
{
	StringInfoData shape;
	StringInfoData sql;
	TargetPlan *plan;
	int			n = 0;

	initStringInfo(&shape);
	appendStringInfoChar(&shape, 'B');
	for (int col = 0; col < target->ncols; col++)
		appendStringInfoChar(&shape, present[col] ? '1' : '0');
	for (plan = target->plans; plan != NULL; plan = plan->next)
		if (strcmp(plan->shape, shape.data) == 0)
			return plan->plan;

	initStringInfo(&sql);
	appendStringInfo(&sql, "INSERT INTO %s (", target->qualified_name);
	for (int col = 0; col < target->ncols; col++)
		if (present[col])
			appendStringInfo(&sql, "%s%s", n++ > 0 ? ", " : "",
							 quote_identifier(target->columns[col].attname));
	appendStringInfoString(&sql, ") SELECT * FROM unnest(");
	for (int i = 1; i <= npresent; i++)
		appendStringInfo(&sql, "%s$%d", i > 1 ? ", " : "", i);
	appendStringInfoChar(&sql, ')');

	return keep_plan(applier, target, shape.data, sql.data, npresent,
					 arraytypes);
}

/* Describe the key of a row for an error message: (a, b)=(1, x). */
static char *
describe_key(TargetTable *target, const bool *where, const BinlogValue *image)
{
	StringInfoData names;
	StringInfoData values;
	bool		first = true;

	initStringInfo(&names);
	initStringInfo(&values);
	for (int col = 0; col < target->ncols; col++)
	{
		if (!where[col])
			continue;
		appendStringInfo(&names, "%s%s", first ? "" : ", ",
						 target->columns[col].attname);
		appendStringInfo(&values, "%s%s", first ? "" : ", ",
						 binlog_value_describe(&image[col]));
		first = false;
	}
	return psprintf("(%s)=(%s)", names.data, values.data);
}

/*
 * How far past the highest replicated value an identity sequence is set:
 * values made in PostgreSQL (once it is promoted, or in tables written on
 * both sides) never collide with replicated ones, and the sequence is set
 * once per this many values rather than once per row.  setval() is not
 * transactional, so a rolled-back transaction leaves it ahead, which is
 * harmless.
 */
#define SEQUENCE_HEADROOM	1000

/*
 * Keep the sequence of an AUTO_INCREMENT column ahead of a value written
 * into the column, like MySQL moves its counter past inserted values.
 */
static void
keep_sequence_ahead(TargetTable *target, const BinlogValue *value)
{
	int64		v;
	int64		ahead;

	if (value->kind == BINLOG_VALUE_INT)
		v = value->i;
	else if (value->kind == BINLOG_VALUE_UINT)
		v = value->u > (uint64) PG_INT64_MAX ? PG_INT64_MAX : (int64) value->u;
	else
		return;
	if (target->sequence_known && v <= target->sequence_ahead)
		return;

	/* once per worker and table: where the sequence already is */
	if (!target->sequence_known)
	{
		bool		isnull;
		Datum		last;
		MemoryContext cxt = CurrentMemoryContext;
		Oid			nsp = get_rel_namespace(target->sequence);
		char	   *sql = psprintf("SELECT last_value FROM %s",
								   quote_qualified_identifier(get_namespace_name(nsp),
															  get_rel_name(target->sequence)));

		if (SPI_execute(sql, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
			elog(ERROR, "could not read sequence %u", target->sequence);
		last = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1,
							 &isnull);
		target->sequence_ahead = isnull ? 0 : DatumGetInt64(last);
		MemoryContextSwitchTo(cxt);
		target->sequence_known = true;
		if (v <= target->sequence_ahead)
			return;
	}

	ahead = v > target->sequence_max - SEQUENCE_HEADROOM
		? target->sequence_max : v + SEQUENCE_HEADROOM;
	if (v > ahead)
		return;					/* out of the sequence's range: nothing to do */
	DirectFunctionCall2(setval_oid, ObjectIdGetDatum(target->sequence),
						Int64GetDatum(ahead));
	target->sequence_ahead = ahead;
}

/*
 * Decode the next row of a rows event into before (and after, for an
 * UPDATE); false at the end of the event.  A damaged row image is an
 * error.
 */
static bool
next_row(BinlogRowsCursor *cursor, BinlogValue *before, BinlogValue *after)
{
	BinlogError err;

	err.message[0] = '\0';
	if (binlog_rows_next(cursor, before, after, &err))
		return true;
	if (err.message[0] != '\0')
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("could not decode row image: %s", err.message)));
	return false;
}

/* An UPDATE or DELETE must name its row by the whole primary key. */
static void
require_key_columns(TargetTable *target, const BinlogValue *before)
{
	for (int k = 0; k < target->nkeys; k++)
		if (before[target->key_columns[k]].kind == BINLOG_VALUE_ABSENT)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("before image lacks primary key column \"%s\"",
							target->columns[target->key_columns[k]].attname)));
}

/* The error for an UPDATE or DELETE whose row is not there. */
static void
report_missing_row(TargetTable *target, BinlogRowsKind kind,
				   const bool *where, const BinlogValue *before)
{
	ereport(ERROR,
			(errcode(ERRCODE_NO_DATA_FOUND),
			 errmsg("could not find the row to %s in table %s",
					kind == BINLOG_ROWS_UPDATE ? "update" : "delete",
					target->qualified_name),
			 errdetail("No row has the key %s.",
					   describe_key(target, where, before)),
			 errhint("The PostgreSQL table has diverged from the source. Fix the row, then start the channel again.")));
}

/*
 * Apply one row change.  before/after are the decoded images (after is
 * used by UPDATE only).
 */
static void
apply_row(Applier *applier, TargetTable *target, const BinlogTableMap *map,
		  BinlogRowsKind kind, const BinlogValue *before,
		  const BinlogValue *after)
{
	int			ncols = target->ncols;
	bool	   *values = palloc0(sizeof(bool) * ncols);
	bool	   *where = palloc0(sizeof(bool) * ncols);
	const BinlogValue *value_image = kind == BINLOG_ROWS_UPDATE ? after : before;
	JsonDiffList **diffs = NULL;
	int			nparams = ncols * 2;
	Datum	   *datums;
	char	   *nulls;
	int			nargs = 0;
	SPIPlanPtr	plan;
	int			rc;

	/* Partial JSON updates carry changes to apply, not the new value. */
	for (int col = 0; kind == BINLOG_ROWS_UPDATE && col < ncols; col++)
		if (after[col].kind == BINLOG_VALUE_JSON_DIFF)
		{
			if (diffs == NULL)
				diffs = palloc0(sizeof(JsonDiffList *) * ncols);
			diffs[col] = json_diffs_decode(&after[col], &target->columns[col]);
			nparams += diffs[col]->nparams;
		}
	datums = palloc(sizeof(Datum) * nparams);
	nulls = palloc(nparams);

	/* Which columns carry values: those present in the image. */
	if (kind != BINLOG_ROWS_DELETE)
		for (int col = 0; col < ncols; col++)
			values[col] = value_image[col].kind != BINLOG_VALUE_ABSENT &&
				!target->columns[col].generated;
	if (kind != BINLOG_ROWS_DELETE && target->sequence_column >= 0 &&
		values[target->sequence_column])
		keep_sequence_ahead(target, &value_image[target->sequence_column]);

	/* Which columns locate the row: the key, or the whole before image. */
	if (kind != BINLOG_ROWS_INSERT)
	{
		if (target->nkeys > 0)
		{
			require_key_columns(target, before);
			for (int k = 0; k < target->nkeys; k++)
				where[target->key_columns[k]] = true;
		}
		else
			for (int col = 0; col < ncols; col++)
				where[col] = before[col].kind != BINLOG_VALUE_ABSENT &&
					!target->columns[col].generated;
	}

	plan = get_plan(applier, target, kind, values, where, diffs);

	/* Parameters in the order of the statement: values, then the key. */
	for (int col = 0; col < ncols; col++)
	{
		bool		isnull;

		if (!values[col])
			continue;
		if (diffs && diffs[col])
		{
			for (int i = 0; i < diffs[col]->nparams; i++)
			{
				datums[nargs] = diffs[col]->params[i];
				nulls[nargs++] = ' ';
			}
			continue;
		}
		datums[nargs] = convert_binlog_value(&value_image[col],
											 &target->columns[col], map, col,
											 &isnull);
		nulls[nargs++] = isnull ? 'n' : ' ';
	}
	for (int col = 0; col < ncols; col++)
	{
		bool		isnull;

		if (!where[col])
			continue;
		datums[nargs] = convert_binlog_value(&before[col],
											 &target->columns[col], map, col,
											 &isnull);
		nulls[nargs++] = isnull ? 'n' : ' ';
	}

	rc = spi_execute_here(plan, datums, nulls);
	if (rc < 0)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));

	if (kind != BINLOG_ROWS_INSERT && SPI_processed != 1 && applier->idempotent)
	{
		elog(DEBUG1, "mysql_replica skipped %s of missing row %s in %s",
			 kind == BINLOG_ROWS_UPDATE ? "update" : "delete",
			 describe_key(target, where, before), target->qualified_name);
		applier->transaction_skipped_rows++;
		return;
	}
	if (kind != BINLOG_ROWS_INSERT && SPI_processed != 1)
		report_missing_row(target, kind, where, before);
	applier->transaction_rows++;
}

/*
 * Insert every row of a WRITE_ROWS event with one statement: a column of
 * values becomes an array parameter, and INSERT ... SELECT FROM unnest()
 * turns the arrays back into rows.  All rows of an event carry the same
 * columns, so one statement shape fits them all.  Returns false, having
 * consumed nothing, when the event cannot be batched (a column type
 * without an array type, or no column at all); the caller then inserts
 * row by row.
 */
static bool
apply_insert_batch(Applier *applier, TargetTable *target,
				   const BinlogTableMap *map, const BinlogRowsEvent *rows,
				   BinlogRowsCursor *cursor, BinlogValue *image)
{
	int			ncols = target->ncols;
	bool	   *present = palloc0(sizeof(bool) * ncols);
	int		   *cols = palloc(sizeof(int) * ncols);
	Oid		   *arraytypes = palloc(sizeof(Oid) * ncols);
	int			npresent = 0;
	int			nrows = 0;
	int			cap = 64;
	Datum	  **values;
	bool	  **nulls;
	Datum	   *params;
	SPIPlanPtr	plan;
	int			rc;

	for (int col = 0; col < ncols && col < rows->ncols; col++)
	{
		if (!binlog_bitmap_is_set(rows->columns_before, col) ||
			target->columns[col].generated)
			continue;
		arraytypes[npresent] = get_array_type(target->columns[col].typid);
		if (!OidIsValid(arraytypes[npresent]))
			return false;
		present[col] = true;
		cols[npresent++] = col;
	}
	if (npresent == 0)
		return false;

	values = palloc(sizeof(Datum *) * npresent);
	nulls = palloc(sizeof(bool *) * npresent);
	for (int i = 0; i < npresent; i++)
	{
		values[i] = palloc(sizeof(Datum) * cap);
		nulls[i] = palloc(sizeof(bool) * cap);
	}

	/* Convert every row, column by column. */
	while (next_row(cursor, image, NULL))
	{
		if (nrows == cap)
		{
			cap *= 2;
			for (int i = 0; i < npresent; i++)
			{
				values[i] = repalloc(values[i], sizeof(Datum) * cap);
				nulls[i] = repalloc(nulls[i], sizeof(bool) * cap);
			}
		}
		for (int i = 0; i < npresent; i++)
			values[i][nrows] = convert_binlog_value(&image[cols[i]],
													&target->columns[cols[i]],
													map, cols[i],
													&nulls[i][nrows]);
		if (target->sequence_column >= 0 && present[target->sequence_column])
			keep_sequence_ahead(target, &image[target->sequence_column]);
		nrows++;
		CHECK_FOR_INTERRUPTS();
	}
	if (nrows == 0)
		return true;

	params = palloc(sizeof(Datum) * npresent);
	for (int i = 0; i < npresent; i++)
	{
		TargetColumn *column = &target->columns[cols[i]];
		int16		typlen;
		bool		typbyval;
		char		typalign;
		int			dims[1] = {nrows};
		int			lbs[1] = {1};

		get_typlenbyvalalign(column->typid, &typlen, &typbyval, &typalign);
		params[i] = PointerGetDatum(construct_md_array(values[i], nulls[i], 1,
													   dims, lbs,
													   column->typid, typlen,
													   typbyval, typalign));
	}

	plan = get_insert_batch_plan(applier, target, present, arraytypes,
								 npresent);
	rc = spi_execute_here(plan, params, NULL);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
	applier->transaction_rows += nrows;
	return true;
}

/*
 * Rows of an UPDATE or DELETE event applied with one statement, at most
 * this many at a time, and only from this many on (a batch runs in a
 * subtransaction, which costs about as much as a few single rows).
 */
#define KEYED_BATCH_MAX		500
#define KEYED_BATCH_MIN		8

/* Whether two decoded values of a key column are the same value. */
static bool
same_key_value(const BinlogValue *a, const BinlogValue *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind)
	{
		case BINLOG_VALUE_INT:
		case BINLOG_VALUE_YEAR:
			return a->i == b->i;
		case BINLOG_VALUE_UINT:
		case BINLOG_VALUE_ENUM:
		case BINLOG_VALUE_SET:
			return a->u == b->u;
		case BINLOG_VALUE_DECIMAL:
			return strcmp(a->decimal, b->decimal) == 0;
		case BINLOG_VALUE_STRING:
		case BINLOG_VALUE_BYTES:
			return a->str.len == b->str.len &&
				memcmp(a->str.ptr, b->str.ptr, a->str.len) == 0;
		case BINLOG_VALUE_DATE:
		case BINLOG_VALUE_TIME:
		case BINLOG_VALUE_DATETIME:
			return memcmp(&a->tm, &b->tm, sizeof(a->tm)) == 0;
		default:
			return false;		/* not worth comparing: apply row by row */
	}
}

/*
 * The prepared statement for a batch of keyed rows: UPDATE ... FROM
 * unnest() or DELETE ... USING unnest(), joined on the primary key.
 * set[] says which columns an UPDATE sets; argtypes are the arrays' types,
 * keys first.
 */
static SPIPlanPtr
get_keyed_batch_plan(Applier *applier, TargetTable *target,
					 BinlogRowsKind kind, const bool *set, Oid *argtypes,
					 int nargs)
{
	StringInfoData shape;
	StringInfoData sql;
	TargetPlan *plan;
	int			arg = 0;
	bool		first = true;

	initStringInfo(&shape);
	appendStringInfoChar(&shape, kind == BINLOG_ROWS_UPDATE ? 'V' : 'E');
	for (int col = 0; col < target->ncols; col++)
		appendStringInfoChar(&shape, set && set[col] ? '1' : '0');
	for (plan = target->plans; plan != NULL; plan = plan->next)
		if (strcmp(plan->shape, shape.data) == 0)
			return plan->plan;

	initStringInfo(&sql);
	if (kind == BINLOG_ROWS_UPDATE)
	{
		appendStringInfo(&sql, "UPDATE %s AS t SET ", target->qualified_name);
		for (int col = 0; col < target->ncols; col++)
			if (set[col])
			{
				appendStringInfo(&sql, "%s%s = v.c%d", first ? "" : ", ",
								 quote_identifier(target->columns[col].attname),
								 col);
				first = false;
			}
		appendStringInfoString(&sql, " FROM unnest(");
	}
	else
		appendStringInfo(&sql, "DELETE FROM %s AS t USING unnest(",
						 target->qualified_name);
	for (arg = 1; arg <= nargs; arg++)
		appendStringInfo(&sql, "%s$%d", arg > 1 ? ", " : "", arg);
	appendStringInfoString(&sql, ") AS v(");
	for (int k = 0; k < target->nkeys; k++)
		appendStringInfo(&sql, "%sk%d", k > 0 ? ", " : "", k);
	for (int col = 0; set && col < target->ncols; col++)
		if (set[col])
			appendStringInfo(&sql, ", c%d", col);
	appendStringInfoString(&sql, ") WHERE ");
	for (int k = 0; k < target->nkeys; k++)
		appendStringInfo(&sql, "%st.%s = v.k%d", k > 0 ? " AND " : "",
						 quote_identifier(target->columns[target->key_columns[k]].attname),
						 k);

	return keep_plan(applier, target, shape.data, sql.data, nargs, argtypes);
}

/* A column of a batch as an array of converted values. */
static Datum
batch_array(TargetColumn *column, const BinlogTableMap *map, int col,
			const BinlogValue *images, int ncols, int nrows)
{
	Datum	   *values = palloc(sizeof(Datum) * nrows);
	bool	   *nulls = palloc(sizeof(bool) * nrows);
	int			dims[1] = {nrows};
	int			lbs[1] = {1};
	int16		typlen;
	bool		typbyval;
	char		typalign;

	for (int r = 0; r < nrows; r++)
		values[r] = convert_binlog_value(&images[r * ncols + col], column,
										 map, col, &nulls[r]);
	get_typlenbyvalalign(column->typid, &typlen, &typbyval, &typalign);
	return PointerGetDatum(construct_md_array(values, nulls, 1, dims, lbs,
											  column->typid, typlen,
											  typbyval, typalign));
}

/*
 * Execute a batch statement in a subtransaction, kept if it returns
 * expected_rc and touched exactly nrows rows, else rolled back (an error
 * included: the caller's row by row path raises it again, for its row).
 */
static bool
run_in_subtransaction(SPIPlanPtr plan, Datum *params, int expected_rc,
					  int nrows)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	volatile bool done = false;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		int			rc = spi_execute_here(plan, params, NULL);

		done = rc == expected_rc && SPI_processed == (uint64) nrows;
		if (!done)
			elog(DEBUG1, "mysql_replica batch of %d rows touched " UINT64_FORMAT ", applying them one by one",
				 nrows, SPI_processed);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		elog(DEBUG1, "mysql_replica batch of %d rows failed, applying them one by one: %s",
			 nrows, edata->message);
		FreeErrorData(edata);
		done = false;
	}
	PG_END_TRY();
	if (done)
		ReleaseCurrentSubTransaction();
	else
		RollbackAndReleaseCurrentSubTransaction();
	MemoryContextSwitchTo(cxt);
	CurrentResourceOwner = owner;
	return done;
}

/*
 * Apply nrows rows of an UPDATE or DELETE event, found by primary key,
 * with one statement.  Returns false, having changed nothing, when the
 * rows do not fit one statement (a key changes, a column has no array
 * type) or the statement does not find exactly one row per key (a missing
 * row, a key twice); the caller then applies the rows one by one, which
 * reports a missing row precisely.  The statement runs in a
 * subtransaction so that it can be undone.
 */
static bool
apply_keyed_batch(Applier *applier, TargetTable *target,
				  const BinlogTableMap *map, BinlogRowsKind kind,
				  const BinlogValue *before, const BinlogValue *after,
				  int nrows)
{
	int			ncols = target->ncols;
	bool	   *set = NULL;
	Oid		   *argtypes = palloc(sizeof(Oid) * (ncols + target->nkeys));
	Datum	   *params = palloc(sizeof(Datum) * (ncols + target->nkeys));
	int			nargs = 0;
	SPIPlanPtr	plan;

	/* the key, unchanged by every row, and the columns set */
	for (int k = 0; k < target->nkeys; k++)
	{
		int			col = target->key_columns[k];

		argtypes[nargs++] = get_array_type(target->columns[col].typid);
		if (!OidIsValid(argtypes[nargs - 1]))
			return false;
		for (int r = 0; kind == BINLOG_ROWS_UPDATE && r < nrows; r++)
			if (!same_key_value(&before[r * ncols + col],
								&after[r * ncols + col]))
				return false;
	}
	if (kind == BINLOG_ROWS_UPDATE)
	{
		set = palloc0(sizeof(bool) * ncols);
		for (int col = 0; col < ncols; col++)
		{
			if (after[col].kind == BINLOG_VALUE_ABSENT ||
				target->columns[col].generated)
				continue;
			set[col] = true;
			argtypes[nargs++] = get_array_type(target->columns[col].typid);
			if (!OidIsValid(argtypes[nargs - 1]))
				return false;
		}
	}

	/* the arrays: keys from the before images, values from the after */
	nargs = 0;
	for (int k = 0; k < target->nkeys; k++)
	{
		int			col = target->key_columns[k];

		params[nargs++] = batch_array(&target->columns[col], map, col,
									  before, ncols, nrows);
	}
	for (int col = 0; set && col < ncols; col++)
		if (set[col])
			params[nargs++] = batch_array(&target->columns[col], map, col,
										  after, ncols, nrows);
	plan = get_keyed_batch_plan(applier, target, kind, set, argtypes, nargs);
	if (!run_in_subtransaction(plan, params,
							   kind == BINLOG_ROWS_UPDATE ? SPI_OK_UPDATE : SPI_OK_DELETE,
							   nrows))
		return false;
	applier->transaction_rows += nrows;
	return true;
}

/*
 * The rows of an UPDATE or DELETE event of a table with a primary key: in
 * batches where they fit one statement, else one by one.
 */
static void
apply_keyed_rows(Applier *applier, TargetTable *target,
				 const BinlogTableMap *map, const BinlogRowsEvent *rows,
				 BinlogRowsCursor *cursor)
{
	int			ncols = map->ncols;
	BinlogValue *before = palloc(sizeof(BinlogValue) * ncols * KEYED_BATCH_MAX);
	BinlogValue *after = palloc(sizeof(BinlogValue) * ncols * KEYED_BATCH_MAX);
	bool		more = true;

	while (more)
	{
		int			n = 0;

		/* a batch of rows, decoded */
		while (n < KEYED_BATCH_MAX)
		{
			if (!next_row(cursor, &before[n * ncols], &after[n * ncols]))
			{
				more = false;
				break;
			}
			n++;
		}

		if (n >= KEYED_BATCH_MIN &&
			apply_keyed_batch(applier, target, map, rows->kind, before,
							  after, n))
			;
		else
			for (int r = 0; r < n; r++)
				apply_row(applier, target, map, rows->kind,
						  &before[r * ncols], &after[r * ncols]);

		/* a stop request ends the event early, as in apply_rows_event */
		CHECK_FOR_INTERRUPTS();
		if (applier->should_stop && applier->should_stop())
			break;
	}
}

/*
 * Apply every row of a rows event through a row writer, without SPI.
 * UPDATE and DELETE find their rows by the primary key.
 */
static void
apply_rows_direct(Applier *applier, TargetTable *target,
				  const BinlogRowsEvent *rows, BinlogRowsCursor *cursor,
				  RowWriter *writer, BinlogValue *before, BinlogValue *after)
{
	bool	   *where = palloc0(sizeof(bool) * target->ncols);
	int			seqcol = target->sequence_column;

	for (int k = 0; k < target->nkeys; k++)
		where[target->key_columns[k]] = true;

	while (next_row(cursor, before, after))
	{
		bool		found = true;

		if (rows->kind != BINLOG_ROWS_INSERT)
			require_key_columns(target, before);

		switch (rows->kind)
		{
			case BINLOG_ROWS_INSERT:
				if (seqcol >= 0 && before[seqcol].kind != BINLOG_VALUE_ABSENT)
					keep_sequence_ahead(target, &before[seqcol]);
				row_writer_insert(writer, before);
				break;
			case BINLOG_ROWS_UPDATE:
				if (seqcol >= 0 && after[seqcol].kind != BINLOG_VALUE_ABSENT)
					keep_sequence_ahead(target, &after[seqcol]);
				found = row_writer_update(writer, target->key_columns,
										  target->nkeys, before, after);
				break;
			case BINLOG_ROWS_DELETE:
				found = row_writer_delete(writer, target->key_columns,
										  target->nkeys, before);
				break;
		}
		if (!found)
			report_missing_row(target, rows->kind, where, before);
		applier->transaction_rows++;

		/* a stop request ends the event early, as in apply_rows_event */
		CHECK_FOR_INTERRUPTS();
		if (applier->should_stop && applier->should_stop())
			break;
	}
}

/* Apply every row of a rows event. */
static void
apply_rows_event(Applier *applier, const BinlogEvent *ev)
{
	BinlogRowsEvent rows;
	BinlogError err;
	TableMapEntry *entry;
	TargetTable *target;
	BinlogRowsCursor cursor;
	BinlogValue *before;
	BinlogValue *after;

	if (!binlog_decode_rows_header(&applier->format, ev, &rows, &err))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("could not decode rows event: %s", err.message)));

	if (applier->skipping)
		return;

	entry = hash_search(applier->table_maps, &rows.table_id, HASH_FIND, NULL);
	if (entry == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("rows event refers to table id " UINT64_FORMAT ", which no table map event defined",
						rows.table_id)));

	/* rows of tables the channel's filter leaves out */
	if (!ddl_table_included(entry->map->db, entry->map->table))
		return;
	applier->current_table = psprintf("\"%s\".\"%s\"", entry->map->db,
									  entry->map->table);

	target = get_target(applier, entry->map);
	before = palloc(sizeof(BinlogValue) * entry->map->ncols);
	after = palloc(sizeof(BinlogValue) * entry->map->ncols);

	binlog_rows_cursor_init(&cursor, &rows, entry->map);

	/*
	 * Plain tables take their rows without SPI, unless rows need what only
	 * statements do: ON CONFLICT for exec_mode idempotent, jsonb functions
	 * for partial JSON updates, a search by every column without a key.
	 */
	if (!applier->idempotent && !rows.partial &&
		(rows.kind == BINLOG_ROWS_INSERT || target->nkeys > 0))
	{
		RowWriter  *writer = target_writer(applier, target, entry->map);

		if (writer != NULL)
		{
			apply_rows_direct(applier, target, &rows, &cursor, writer,
							  before, after);
			row_writer_pause(writer);
			applier->current_table = NULL;
			return;
		}
	}

	if (rows.kind == BINLOG_ROWS_INSERT && !applier->idempotent &&
		apply_insert_batch(applier, target, entry->map, &rows, &cursor, before))
	{
		applier->current_table = NULL;
		return;
	}
	if (rows.kind != BINLOG_ROWS_INSERT && !applier->idempotent &&
		!rows.partial && target->nkeys > 0)
	{
		apply_keyed_rows(applier, target, entry->map, &rows, &cursor);
		applier->current_table = NULL;
		return;
	}
	while (next_row(&cursor, before, after))
	{
		apply_row(applier, target, entry->map, rows.kind, before, after);

		/*
		 * A stop request ends the event early; the caller notices it and
		 * rolls the transaction back.
		 */
		CHECK_FOR_INTERRUPTS();
		if (applier->should_stop && applier->should_stop())
			break;
	}
	applier->current_table = NULL;
}

static void
handle_table_map(Applier *applier, const BinlogEvent *ev)
{
	BinlogError err;
	BinlogTableMap *map;
	TableMapEntry *entry;
	bool		found;

	map = binlog_decode_table_map(&applier->format, ev, &err);
	if (map == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("could not decode table map event: %s", err.message)));

	entry = hash_search(applier->table_maps, &map->table_id, HASH_ENTER, &found);
	if (found)
		free(entry->map);
	entry->table_id = map->table_id;
	entry->map = map;
}

/*
 * A statement other than transaction control: replayed as PostgreSQL DDL,
 * in the transaction that saves its position.  One the replica cannot
 * replay stops the channel, or with unsupported_ddl 'skip' is passed over
 * with a WARNING and shown in the status view.
 */
static void
handle_ddl(Applier *applier, const BinlogEvent *ev, const BinlogQuery *q,
		   const char *query)
{
	bool		own_transaction = !applier->in_transaction;
	char	   *db = pnstrdup(q->db, q->db_len);
	char	   *message;
	DdlOutcome	outcome;

	if (own_transaction)
		begin_source_transaction(applier, ev);
	outcome = ddl_replicate(db, query, strlen(query),
							q->has_sql_mode ? q->sql_mode : 0,
							(time_t) ev->header.timestamp,
							applier->drop_database, &message);
	switch (outcome)
	{
		case DDL_OUTCOME_APPLIED:
			ereport(LOG,
					(errmsg("mysql_replica %s%s%sreplayed a statement at %s:" UINT64_FORMAT,
							applier->channel ? "channel \"" : "",
							applier->channel ? applier->channel : "",
							applier->channel ? "\" " : "",
							applier->log_file, applier->log_pos),
					 errdetail("Statement in database \"%s\": %.400s", db, query)));
			break;
		case DDL_OUTCOME_OUT_OF_SCOPE:
			ereport(DEBUG1,
					(errmsg("mysql_replica passed over a statement on tables the channel does not replicate"),
					 errdetail("Statement in database \"%s\": %.200s", db, query)));
			break;
		case DDL_OUTCOME_IGNORED:
			ereport(LOG,
					(errmsg("mysql_replica skipped %s, which changes no table",
							message),
					 errdetail("Statement in database \"%s\": %.200s", db, query)));
			break;
		case DDL_OUTCOME_UNSUPPORTED:
			if (!applier->skip_unsupported_ddl)
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("cannot replicate statement from the source: %s",
								message),
						 errdetail("Statement in database \"%s\": %.200s", db, query),
						 errhint("Apply the change to PostgreSQL by hand, then skip the statement with mysql_replica.skip_transaction() and start the channel again; or let the channel skip such statements with change_source(unsupported_ddl => 'skip').")));
			ereport(WARNING,
					(errmsg("mysql_replica skipped a statement it cannot replicate: %s",
							message),
					 errdetail("Statement in database \"%s\": %.200s", db, query)));
			if (applier->slot != NULL)
				channel_note_skipped_statement(applier->slot, query);
			break;
	}
	if (own_transaction)
		commit_source_transaction(applier);
}

/* QUERY events: transaction control is applied, other statements replayed. */
static void
handle_query(Applier *applier, const BinlogEvent *ev)
{
	BinlogError err;
	BinlogQuery q;
	char	   *query;

	if (!binlog_decode_query(&applier->format, ev, &q, &err))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("could not decode query event: %s", err.message)));
	query = pnstrdup(q.query, q.query_len);

	/*
	 * A statement may change a table or a savepoint end a subtransaction:
	 * row writers end first.  Transaction bounds leave them be.
	 */
	if (pg_strcasecmp(query, "BEGIN") != 0 &&
		pg_strcasecmp(query, "COMMIT") != 0)
		close_row_writers(applier);

	if (pg_strcasecmp(query, "BEGIN") == 0)
		begin_source_transaction(applier, ev);
	else if (pg_strcasecmp(query, "COMMIT") == 0)
		commit_source_transaction(applier);
	else if (pg_strcasecmp(query, "ROLLBACK") == 0)
		rollback_source_transaction(applier);
	else if (applier->in_transaction && !applier->skipping &&
			 handle_savepoint_statement(applier, query))
		;
	else if (applier->skip_statements)
	{
		/* Skipped, but done with: its GTID counts as executed. */
		if (!applier->in_transaction && applier->has_pending_gtid)
		{
			advance_gtid(applier, &applier->pending_gtid);
			applier->has_pending_gtid = false;
		}
		ereport(LOG,
				(errmsg("mysql_replica skipped a statement at %s:" UINT64_FORMAT,
						applier->log_file, applier->log_pos),
				 errdetail("Statement in database \"%.*s\": %.200s",
						   (int) q.db_len, q.db, query)));
	}
	else if (applier->skipping ||
			 (applier->skip_next && !applier->in_transaction))
	{
		/* The statement that skip_transaction() asked to skip. */
		if (!applier->in_transaction)
		{
			begin_source_transaction(applier, ev);
			commit_source_transaction(applier);
		}
		ereport(LOG,
				(errmsg("mysql_replica channel \"%s\" skipped a statement",
						applier->channel),
				 errdetail("Statement in database \"%.*s\": %.200s",
						   (int) q.db_len, q.db, query)));
	}
	else if (applier->replicate_ddl)
		handle_ddl(applier, ev, &q, query);
	else
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot replicate statement from the source"),
				 errdetail("Statement in database \"%.*s\": %.200s",
						   (int) q.db_len, q.db, query),
				 errhint("mysql_replica replicates row changes only. Apply the change to PostgreSQL by hand, then skip the statement with mysql_replica.skip_transaction() and start the channel again.")));
}

static void
handle_gtid(Applier *applier, const BinlogEvent *ev)
{
	BinlogError err;
	BinlogGtid gtid;
	PendingGtid *pending = &applier->pending_gtid;

	if (!binlog_decode_gtid(&applier->format, ev, &gtid, &err))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("could not decode GTID event: %s", err.message)));

	memset(pending, 0, sizeof(PendingGtid));
	if (gtid.is_mariadb)
	{
		pending->is_mariadb = true;
		pending->domain_id = gtid.domain_id;
		pending->server_id = ev->header.server_id;
		pending->seq_no = gtid.seq_no;
		applier->has_pending_gtid = true;

		/* A MariaDB GTID event opens the transaction; BEGIN is implied. */
		if (!gtid.standalone)
			begin_source_transaction(applier, ev);
	}
	else if (!gtid.anonymous)
	{
		/* MySQL: the transaction's BEGIN follows. */
		memcpy(pending->uuid, gtid.uuid, 16);
		strlcpy(pending->tag, gtid.tag, sizeof(pending->tag));
		pending->gno = gtid.gno;
		applier->has_pending_gtid = true;
	}
	else
		applier->has_pending_gtid = false;
}

/*
 * Apply one binlog event; its checksum is checked unless the reader did
 * (checksum_verified).  Errors are raised with ereport, with a context
 * line naming the event and its position.
 */
static void
apply_event(Applier *applier, const uint8 *data, size_t len,
			bool checksum_verified)
{
	BinlogEvent ev;
	BinlogError err;
	ErrorContextCallback errcallback;
	MemoryContext oldcxt;

	if (!binlog_frame_event(&applier->format, data, len, !checksum_verified,
							&ev, &err))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("could not decode binlog event after %s:" UINT64_FORMAT ": %s",
						applier->log_file, applier->log_pos, err.message)));

	applier->current_event = &ev;
	applier->current_table = NULL;
	errcallback.callback = apply_error_callback;
	errcallback.arg = applier;
	errcallback.previous = error_context_stack;
	error_context_stack = &errcallback;

	/* Transaction state is in TopMemoryContext; per-event work is not. */
	oldcxt = MemoryContextSwitchTo(applier->event_context);

	/* Events carry the end of themselves as position; 0 when artificial. */
	if (ev.header.log_pos != 0 && ev.header.type != BINLOG_ROTATE_EVENT &&
		ev.header.type != BINLOG_HEARTBEAT_EVENT &&
		ev.header.type != BINLOG_HEARTBEAT_EVENT_V2)
		applier->log_pos = ev.header.log_pos;

	dispatch_event(applier, &ev);

	MemoryContextSwitchTo(oldcxt);
	MemoryContextReset(applier->event_context);
	error_context_stack = errcallback.previous;
	applier->current_event = NULL;
	if (applier->slot != NULL)
		channel_count(applier->slot, 1, 0, 0, 0);
}

/* Keep an event of the open group, to apply it again if the group fails. */
static void
retain_event(Applier *applier, const uint8 *data, size_t len)
{
	uint32		n = (uint32) len;

	appendBinaryStringInfo(&applier->group_events, (const char *) &n,
						   sizeof(n));
	appendBinaryStringInfo(&applier->group_events, (const char *) data, len);
}

/* Apply kept events, from offset start to end of the buffer's data. */
static void
apply_kept_events(Applier *applier, const char *data, int start, int end)
{
	for (int pos = start; pos < end;)
	{
		uint32		n;

		memcpy(&n, data + pos, sizeof(n));
		pos += sizeof(n);
		apply_event(applier, (const uint8 *) data + pos, n, false);
		pos += n;
	}
}

/*
 * A transaction of the group failed (edata) or rolled back: roll the group
 * back and apply its finished transactions again, one per PostgreSQL
 * transaction.  Then the open transaction: applied again alone when its
 * events were kept, so that its failure is raised for it alone; else its
 * error is raised again as it was, now that the position is the end of the
 * transaction before it, and a rolled-back one is passed over.
 */
static void
apply_group_again(Applier *applier, ErrorData *edata)
{
	StringInfoData events = applier->group_events;
	int			finished = applier->current_start;
	bool		kept = applier->current_kept;
	bool		rolled_back = applier->rolled_back_in_group;
	uint64		failed_pos = applier->log_pos;

	/* the events change hands: abort clears the group's buffer */
	MemoryContextSwitchTo(applier->context);
	initStringInfo(&applier->group_events);
	applier_abort(applier);
	MemoryContextSwitchTo(applier->context);
	ereport(DEBUG1,
			(errmsg("mysql_replica applies a group of source transactions again one by one")));

	applier->applying_again = true;
	apply_kept_events(applier, events.data, 0, finished);
	if (kept)
		apply_kept_events(applier, events.data, finished, events.len);
	else if (rolled_back)
	{
		/* nothing of it was written: go on after it */
		applier->log_pos = failed_pos;
		applier->in_transaction = false;
		applier->has_pending_gtid = false;
		clear_table_maps(applier);
	}
	else
	{
		applier->applying_again = false;
		ReThrowError(edata);
	}
	applier->applying_again = false;
	applier->ungrouped = true;
	pfree(events.data);
}

/*
 * Apply one binlog event from the stream.  The events of a group of source
 * transactions (see applier_set_grouping) are kept until it commits, those
 * of the open transaction only while the group stays under
 * GROUP_MAX_BYTES.  An error in a group that holds finished transactions
 * makes the group be applied again without grouping, so that the error
 * belongs to one source transaction.  Errors are raised with ereport,
 * with a context line naming the event and its position.
 */
void
applier_handle_event(Applier *applier, const uint8 *data, size_t len,
					 bool checksum_verified)
{
	MemoryContext caller = CurrentMemoryContext;

	if (applier->more_waiting == NULL || applier->ungrouped)
	{
		apply_event(applier, data, len, checksum_verified);
		return;
	}

	/* between groups nothing is kept */
	if (!applier->pg_open && !applier->in_transaction &&
		!applier->has_pending_gtid)
		forget_group_events(applier);

	/*
	 * Keep the event.  A first transaction too big to keep commits alone;
	 * a later one stops being kept, and if it fails, the transactions
	 * before it are applied again and its error raised as it is.
	 */
	if (applier->current_kept)
	{
		if (applier->group_events.len + len + sizeof(uint32) <= GROUP_MAX_BYTES)
			retain_event(applier, data, len);
		else if (applier->group_transactions == 0)
		{
			applier->ungrouped = true;
			forget_group_events(applier);
			apply_event(applier, data, len, checksum_verified);
			return;
		}
		else
		{
			applier->group_events.len = applier->current_start;
			applier->current_kept = false;
		}
	}

	if (applier->group_transactions == 0)
	{
		apply_event(applier, data, len, checksum_verified);
		return;
	}

	PG_TRY();
	{
		apply_event(applier, data, len, checksum_verified);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		/* a stop or a server shutdown is not the group's fault */
		MemoryContextSwitchTo(applier->context);
		edata = CopyErrorData();
		if (edata->sqlerrcode == ERRCODE_QUERY_CANCELED ||
			edata->sqlerrcode == ERRCODE_ADMIN_SHUTDOWN)
			PG_RE_THROW();
		FlushErrorState();
		apply_group_again(applier, edata);
		FreeErrorData(edata);
		MemoryContextSwitchTo(caller);
	}
	PG_END_TRY();
}

/*
 * A MariaDB compressed query or rows event: apply the plain event it
 * holds.
 */
static void
apply_compressed_event(Applier *applier, const BinlogEvent *ev)
{
	BinlogDecompressed *plain = palloc0(sizeof(BinlogDecompressed));
	BinlogError err;

	if (!binlog_decompress_event(&applier->format, ev, plain, &err))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("could not uncompress %s event: %s",
						binlog_event_type_name(ev->header.type), err.message)));

	/* The buffer is malloc'd: release it on error too. */
	PG_TRY();
	{
		dispatch_event(applier, &plain->event);
	}
	PG_FINALLY();
	{
		binlog_decompressed_free(plain);
	}
	PG_END_TRY();
}

/*
 * A MySQL TRANSACTION_PAYLOAD event (binlog_transaction_compression): apply
 * the events of the whole transaction it holds.  Their position is the
 * payload event's.
 */
static void
apply_transaction_payload(Applier *applier, const BinlogEvent *ev)
{
	BinlogPayloadCursor *cursor = palloc0(sizeof(BinlogPayloadCursor));
	BinlogError err;

	if (!binlog_payload_open(cursor, &applier->format, ev, &err))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("could not read transaction payload: %s", err.message)));

	PG_TRY();
	{
		for (;;)
		{
			BinlogEvent inner;

			err.message[0] = '\0';
			if (!binlog_payload_next(cursor, &inner, &err))
			{
				if (err.message[0] != '\0')
					ereport(ERROR,
							(errcode(ERRCODE_DATA_CORRUPTED),
							 errmsg("could not read transaction payload: %s",
									err.message)));
				break;
			}
			dispatch_event(applier, &inner);
		}
	}
	PG_FINALLY();
	{
		binlog_payload_close(cursor);
	}
	PG_END_TRY();
}

/* Apply one framed event, whose position has been accounted for. */
static void
dispatch_event(Applier *applier, const BinlogEvent *evp)
{
	const BinlogEvent ev = *evp;
	BinlogError err;

	switch (ev.header.type)
	{
		case BINLOG_FORMAT_DESCRIPTION_EVENT:
			if (!binlog_decode_format_description(&ev, &applier->format, &err))
				ereport(ERROR,
						(errcode(ERRCODE_DATA_CORRUPTED),
						 errmsg("could not decode format description event: %s",
								err.message)));
			break;

		case BINLOG_ROTATE_EVENT:
			{
				BinlogRotate rot;

				if (!binlog_decode_rotate(&applier->format, &ev, &rot, &err))
					ereport(ERROR,
							(errcode(ERRCODE_DATA_CORRUPTED),
							 errmsg("could not decode rotate event: %s",
									err.message)));
				strlcpy(applier->log_file, rot.file, BINLOG_MAX_FILE_NAME);
				applier->log_pos = rot.position;

				/*
				 * Between transactions, the new file is where we are: save
				 * it with the next commit, or now if the old file may be
				 * purged before the next transaction arrives.
				 */
				if (!applier->in_transaction && !applier->pg_open &&
					!(ev.header.flags & BINLOG_EVENT_ARTIFICIAL_F))
				{
					begin_pg_transaction();
					save_position(applier);
					commit_pg_transaction(applier);
					strlcpy(applier->committed_file, applier->log_file,
							BINLOG_MAX_FILE_NAME);
					applier->committed_pos = applier->log_pos;
				}
				break;
			}

		case BINLOG_MARIADB_GTID_EVENT:
		case BINLOG_GTID_EVENT:
		case BINLOG_ANONYMOUS_GTID_EVENT:
		case BINLOG_GTID_TAGGED_EVENT:
			handle_gtid(applier, &ev);
			break;

		case BINLOG_QUERY_EVENT:
			handle_query(applier, &ev);
			break;

		case BINLOG_TABLE_MAP_EVENT:
			begin_source_transaction(applier, &ev);
			handle_table_map(applier, &ev);
			break;

		case BINLOG_WRITE_ROWS_EVENT_V1:
		case BINLOG_UPDATE_ROWS_EVENT_V1:
		case BINLOG_DELETE_ROWS_EVENT_V1:
		case BINLOG_WRITE_ROWS_EVENT:
		case BINLOG_UPDATE_ROWS_EVENT:
		case BINLOG_DELETE_ROWS_EVENT:
		case BINLOG_PARTIAL_UPDATE_ROWS_EVENT:
			begin_source_transaction(applier, &ev);
			apply_rows_event(applier, &ev);
			break;

		case BINLOG_XID_EVENT:
			commit_source_transaction(applier);
			break;

		case BINLOG_MARIADB_QUERY_COMPRESSED_EVENT:
		case BINLOG_MARIADB_WRITE_ROWS_COMPRESSED_EVENT_V1:
		case BINLOG_MARIADB_UPDATE_ROWS_COMPRESSED_EVENT_V1:
		case BINLOG_MARIADB_DELETE_ROWS_COMPRESSED_EVENT_V1:
		case BINLOG_MARIADB_WRITE_ROWS_COMPRESSED_EVENT:
		case BINLOG_MARIADB_UPDATE_ROWS_COMPRESSED_EVENT:
		case BINLOG_MARIADB_DELETE_ROWS_COMPRESSED_EVENT:
			apply_compressed_event(applier, &ev);
			break;

		case BINLOG_TRANSACTION_PAYLOAD_EVENT:
			apply_transaction_payload(applier, &ev);
			break;

		case BINLOG_XA_PREPARE_EVENT:
			/* Changes we cannot apply: never skip them. */
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("cannot replicate XA transactions")));
			break;

		case BINLOG_INCIDENT_EVENT:
			/* The source lost changes it should have logged. */
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("the source logged an incident: its binlog is missing changes"),
					 errhint("Copy the tables anew, then set the channel's position past the incident.")));
			break;

		default:
			elog(DEBUG2, "mysql_replica skipping binlog event of type %s",
				 binlog_event_type_name(ev.header.type));
			break;
	}

}

static void
apply_error_callback(void *arg)
{
	Applier    *applier = arg;
	const BinlogEvent *ev = applier->current_event;

	char		gtid[128];

	if (ev == NULL)
		return;
	gtid[0] = '\0';
	if (applier->has_pending_gtid && applier->pending_gtid.is_mariadb)
		snprintf(gtid, sizeof(gtid), " in transaction %u-%u-" UINT64_FORMAT,
				 applier->pending_gtid.domain_id,
				 applier->pending_gtid.server_id,
				 applier->pending_gtid.seq_no);
	else if (applier->has_pending_gtid)
	{
		const uint8 *u = applier->pending_gtid.uuid;

		snprintf(gtid, sizeof(gtid),
				 " in transaction %02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x:%s%s" INT64_FORMAT,
				 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
				 u[10], u[11], u[12], u[13], u[14], u[15],
				 applier->pending_gtid.tag,
				 applier->pending_gtid.tag[0] ? ":" : "",
				 applier->pending_gtid.gno);
	}
	if (applier->current_table)
		errcontext("while applying %s event for table %s ending at binlog position %s:%u%s",
				   binlog_event_type_name(ev->header.type),
				   applier->current_table, applier->log_file,
				   ev->header.log_pos, gtid);
	else
		errcontext("while applying %s event ending at binlog position %s:%u%s",
				   binlog_event_type_name(ev->header.type),
				   applier->log_file, ev->header.log_pos, gtid);
}
