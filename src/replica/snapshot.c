/*-------------------------------------------------------------------------
 *
 * snapshot.c
 *	  The initial snapshot of a channel: copy the source's existing tables,
 *	  then hand over to streaming at exactly the point of the copy.
 *
 * The snapshot reader thread (src/source/snapshot.c) reads every included
 * table in one consistent snapshot transaction on the source and queues
 * the binlog position of that snapshot, then each table's SHOW CREATE
 * TABLE and its rows.  Here each table is created (through the DDL
 * translation, without its keys), filled through PostgreSQL's COPY
 * machinery from the queued rows, given its keys, and committed, one
 * PostgreSQL transaction per table.  When every table is in, the
 * snapshot's position becomes the channel's position in one last
 * transaction, and streaming starts there: the copy holds exactly the
 * changes before the point and the binlog exactly those after it.
 *
 * A snapshot that is stopped or fails before that last transaction is not
 * resumed: the next attempt drops the tables the unfinished one created
 * (and empties those it copied into), and starts over from a new point,
 * since the old point's tables can no longer be read.  A table is marked
 * done only in the transaction that commits its rows and keys, so a half
 * copied table is never shown as complete.
 *
 *-------------------------------------------------------------------------
 */
#include "replica/snapshot.h"

#include "ddl/translate.h"

#include "access/table.h"
#include "access/xact.h"
#include "catalog/dependency.h"
#include "catalog/pg_type.h"
#include "commands/copy.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "parser/parse_coerce.h"
#include "parser/parse_relation.h"
#include "pgstat.h"
#include "storage/latch.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

/* How a value of the text protocol becomes a COPY text field. */
typedef enum CopyValueKind
{
	COPY_VALUE_PLAIN,			/* numbers: the text as it is */
	COPY_VALUE_TEXT,			/* text: escaped for COPY */
	COPY_VALUE_BYTES,			/* binary strings: bytea hex, or escaped */
	COPY_VALUE_DATE,			/* DATE, DATETIME: zero dates by policy */
	COPY_VALUE_TIMESTAMP,		/* TIMESTAMP: in UTC, zero dates by policy */
	COPY_VALUE_BIT,				/* BIT: big-endian bytes */
	COPY_VALUE_GEOMETRY,		/* SRID + WKB */
	COPY_VALUE_VECTOR			/* little-endian float32s */
} CopyValueKind;

/* A column of the table being copied. */
typedef struct CopyColumn
{
	char	   *name;			/* the PostgreSQL column's name */
	CopyValueKind kind;
	bool		skip;			/* generated in PostgreSQL: not copied */
	bool		to_bytea;		/* the PostgreSQL column is bytea */
	bool		to_number;		/* ... of a numeric type */
	bool		to_geometry;	/* ... PostGIS geometry */
	int			bits;			/* BIT(n): n */
} CopyColumn;

/* The table being copied; the COPY callback has no argument of its own. */
typedef struct TableCopy
{
	Producer   *reader;
	ChannelSlot *slot;
	bool		(*should_stop) (void);
	char	   *db;
	char	   *table;
	int			ncolumns;
	CopyColumn *columns;
	StringInfoData buf;			/* COPY text not handed over yet */
	int			bufpos;
	bool		ended;			/* SOURCE_MSG_TABLE_END was read */
	uint64		rows;			/* rows converted */
	uint64		rows_sent;		/* as the reader counted them */
	MemoryContext keep;			/* outlives the table's transaction */
	char	   *source_error;	/* the reader failed: its message */
	bool		source_error_fatal;
} TableCopy;

static TableCopy *current_copy = NULL;

/* Wait for the reader's next message; NULL when a stop is requested. */
static SourceMessage *
next_message(Producer *reader, bool (*should_stop) (void))
{
	int			fd = producer_wakeup_fd(reader);

	for (;;)
	{
		SourceMessage *msg;

		CHECK_FOR_INTERRUPTS();
		if (should_stop())
			return NULL;
		msg = producer_next(reader);
		if (msg != NULL)
			return msg;
		(void) WaitLatchOrSocket(MyLatch,
								 WL_LATCH_SET | WL_SOCKET_READABLE |
								 WL_EXIT_ON_PM_DEATH,
								 fd, -1, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}
}

/*
 * The memory context of the caller of begin_transaction(), which
 * commit_transaction() comes back to.  Inside the transaction, SPI leaves
 * its own context current after each call, and that context goes away
 * with the transaction.
 */
static MemoryContext caller_context = NULL;

/* Start a transaction with SPI connected, for the snapshot's steps. */
static void
begin_transaction(void)
{
	caller_context = CurrentMemoryContext;
	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	PushActiveSnapshot(GetTransactionSnapshot());
	MemoryContextSwitchTo(caller_context);
}

static void
commit_transaction(void)
{
	if (SPI_finish() != SPI_OK_FINISH)
		elog(ERROR, "SPI_finish failed");
	PopActiveSnapshot();
	CommitTransactionCommand();
	MemoryContextSwitchTo(caller_context);
}

/* Run a statement of the replica's own catalog with text parameters. */
static void
catalog_sql(const char *sql, int nargs, const char **args)
{
	Oid			types[8];
	Datum		values[8];
	char		nulls[8];

	Assert(nargs <= 8);
	for (int i = 0; i < nargs; i++)
	{
		types[i] = TEXTOID;
		values[i] = args[i] ? CStringGetTextDatum(args[i]) : (Datum) 0;
		nulls[i] = args[i] ? ' ' : 'n';
	}
	if (SPI_execute_with_args(sql, nargs, types, values, nulls, false, 0) < 0)
		elog(ERROR, "could not run \"%s\"", sql);
}

/* Run "command schema.table" on a relation, unless it is gone. */
static void
run_on_relation(const char *command, Oid relid)
{
	char	   *name = get_rel_name(relid);
	char	   *sql;

	if (name == NULL)
		return;					/* dropped meanwhile */
	sql = psprintf("%s %s", command,
				   quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)),
											  name));
	if (SPI_execute(sql, false, 0) < 0)
		elog(ERROR, "could not run \"%s\"", sql);
}

/*
 * Undo what an unfinished earlier attempt left: drop the tables it created
 * and empty those it copied into (they were empty before).  A finished
 * snapshot's tables are left alone.
 */
static void
forget_unfinished_attempt(const char *channel)
{
	const char *args[1] = {channel};
	Oid			types[1] = {TEXTOID};
	Datum		values[1] = {CStringGetTextDatum(channel)};
	List	   *drop = NIL;
	List	   *empty = NIL;
	ListCell   *lc;

	begin_transaction();
	if (SPI_execute_with_args("SELECT relid, created FROM mysql_replica.snapshot_tables "
							  "WHERE channel = $1 AND unfinished AND relid IS NOT NULL",
							  1, types, values, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read mysql_replica.snapshot_tables");
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		Oid			relid = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[i],
														   SPI_tuptable->tupdesc,
														   1, &isnull));
		bool		created = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[i],
														 SPI_tuptable->tupdesc,
														 2, &isnull));

		if (created)
			drop = lappend_oid(drop, relid);
		else
			empty = lappend_oid(empty, relid);
	}
	foreach(lc, drop)
		run_on_relation("DROP TABLE", lfirst_oid(lc));
	foreach(lc, empty)
		run_on_relation("TRUNCATE", lfirst_oid(lc));
	catalog_sql("DELETE FROM mysql_replica.snapshot_tables WHERE channel = $1",
				1, args);
	commit_transaction();
	if (drop != NIL || empty != NIL)
		ereport(LOG,
				(errmsg("mysql_replica channel \"%s\" starts its snapshot over: dropped %d and emptied %d tables of the unfinished one",
						channel, list_length(drop), list_length(empty))));
}

/* ---------------------------------------------------------------------
 * Values
 * ---------------------------------------------------------------------
 */

static CopyValueKind
value_kind(const char *data_type)
{
	static const struct
	{
		const char *type;
		CopyValueKind kind;
	}			kinds[] = {
		{"tinyint", COPY_VALUE_PLAIN}, {"smallint", COPY_VALUE_PLAIN},
		{"mediumint", COPY_VALUE_PLAIN}, {"int", COPY_VALUE_PLAIN},
		{"bigint", COPY_VALUE_PLAIN}, {"decimal", COPY_VALUE_PLAIN},
		{"float", COPY_VALUE_PLAIN}, {"double", COPY_VALUE_PLAIN},
		{"year", COPY_VALUE_PLAIN}, {"time", COPY_VALUE_PLAIN},
		{"date", COPY_VALUE_DATE}, {"datetime", COPY_VALUE_DATE},
		{"timestamp", COPY_VALUE_TIMESTAMP}, {"bit", COPY_VALUE_BIT},
		{"binary", COPY_VALUE_BYTES}, {"varbinary", COPY_VALUE_BYTES},
		{"tinyblob", COPY_VALUE_BYTES}, {"blob", COPY_VALUE_BYTES},
		{"mediumblob", COPY_VALUE_BYTES}, {"longblob", COPY_VALUE_BYTES},
		{"geometry", COPY_VALUE_GEOMETRY}, {"point", COPY_VALUE_GEOMETRY},
		{"linestring", COPY_VALUE_GEOMETRY}, {"polygon", COPY_VALUE_GEOMETRY},
		{"multipoint", COPY_VALUE_GEOMETRY},
		{"multilinestring", COPY_VALUE_GEOMETRY},
		{"multipolygon", COPY_VALUE_GEOMETRY},
		{"geometrycollection", COPY_VALUE_GEOMETRY},
		{"geomcollection", COPY_VALUE_GEOMETRY},
		{"vector", COPY_VALUE_VECTOR},
	};

	for (int i = 0; i < lengthof(kinds); i++)
		if (strcmp(data_type, kinds[i].type) == 0)
			return kinds[i].kind;
	return COPY_VALUE_TEXT;		/* char, varchar, text, enum, set, json */
}

/* Append bytes as a COPY text field: backslash, tab and line ends escaped. */
static void
append_escaped(StringInfo buf, const char *p, size_t len, const char *column)
{
	const char *end = p + len;
	const char *run = p;

	enlargeStringInfo(buf, len + 16);
	for (; p < end; p++)
	{
		char		c = *p;
		char		esc;

		if (c == '\\')
			esc = '\\';
		else if (c == '\t')
			esc = 't';
		else if (c == '\n')
			esc = 'n';
		else if (c == '\r')
			esc = 'r';
		else if (c == '\0')
			ereport(ERROR,
					(errcode(ERRCODE_UNTRANSLATABLE_CHARACTER),
					 errmsg("text value of column \"%s\" contains a zero byte, which PostgreSQL text cannot hold",
							column)));
		else
			continue;
		appendBinaryStringInfo(buf, run, p - run);
		appendStringInfoChar(buf, '\\');
		appendStringInfoChar(buf, esc);
		run = p + 1;
	}
	appendBinaryStringInfo(buf, run, end - run);
}

/* Append bytes as hex digits. */
static void
append_hex(StringInfo buf, const uint8 *p, size_t len)
{
	static const char hex[] = "0123456789abcdef";

	enlargeStringInfo(buf, len * 2 + 1);
	for (size_t i = 0; i < len; i++)
	{
		buf->data[buf->len++] = hex[p[i] >> 4];
		buf->data[buf->len++] = hex[p[i] & 15];
	}
	buf->data[buf->len] = '\0';
}

/* Append bytes as bytea's hex input, \\x..., escaped for COPY. */
static void
append_bytea(StringInfo buf, const uint8 *p, size_t len)
{
	appendStringInfoString(buf, "\\\\x");
	append_hex(buf, p, len);
}

static void
append_value(StringInfo buf, CopyColumn *col, const uint8 *p, size_t len)
{
	switch (col->kind)
	{
		case COPY_VALUE_PLAIN:
			appendBinaryStringInfo(buf, (const char *) p, len);
			break;

		case COPY_VALUE_TEXT:
			append_escaped(buf, (const char *) p, len, col->name);
			break;

		case COPY_VALUE_BYTES:
			if (col->to_bytea)
				append_bytea(buf, p, len);
			else
				append_escaped(buf, (const char *) p, len, col->name);
			break;

		case COPY_VALUE_DATE:
		case COPY_VALUE_TIMESTAMP:
			if (mysql_is_zero_date_text((const char *) p, len))
			{
				bool		isnull = false;
				char	   *text = mysql_zero_date_text(pnstrdup((const char *) p, len),
														col->name, &isnull);

				appendStringInfoString(buf, isnull ? "\\N" : text);
				break;
			}
			appendBinaryStringInfo(buf, (const char *) p, len);
			if (col->kind == COPY_VALUE_TIMESTAMP)
				appendStringInfoString(buf, "+00");
			break;

		case COPY_VALUE_BIT:
			{
				uint64		v = 0;

				for (size_t i = 0; i < len; i++)
					v = (v << 8) | p[i];
				if (col->to_number)
					appendStringInfo(buf, UINT64_FORMAT, v);
				else
					for (int i = col->bits - 1; i >= 0; i--)
						appendStringInfoChar(buf, (i < 64 && (v >> i) & 1) ? '1' : '0');
			}
			break;

		case COPY_VALUE_GEOMETRY:
			{
				StringInfo	ewkb = mysql_geometry_ewkb(p, len, col->name);

				/* PostGIS reads hex EWKB */
				if (col->to_geometry)
					append_hex(buf, (const uint8 *) ewkb->data, ewkb->len);
				else
					append_bytea(buf, (const uint8 *) ewkb->data, ewkb->len);
			}
			break;

		case COPY_VALUE_VECTOR:
			if (col->to_bytea || len % 4 != 0)
				append_bytea(buf, p, len);
			else
			{
				/* real[] or pgvector both read {a,b,...} / [a,b,...] */
				appendStringInfoChar(buf, '{');
				for (size_t i = 0; i < len; i += 4)
				{
					uint32		bits = p[i] | (p[i + 1] << 8) |
						(p[i + 2] << 16) | ((uint32) p[i + 3] << 24);
					float		f;

					memcpy(&f, &bits, sizeof(f));
					appendStringInfo(buf, "%s%.9g", i ? "," : "", f);
				}
				appendStringInfoChar(buf, '}');
			}
			break;
	}
}

/* Convert one SOURCE_MSG_ROWS batch into COPY text in copy->buf. */
static void
convert_rows(TableCopy *copy, const SourceMessage *msg)
{
	const uint8 *p = msg->data;
	const uint8 *end = msg->data + msg->len;

	for (uint64 r = 0; r < msg->nrows; r++)
	{
		bool		first = true;

		for (int c = 0; c < copy->ncolumns; c++)
		{
			uint32		len;
			CopyColumn *col = &copy->columns[c];

			if (end - p < 4)
				elog(ERROR, "snapshot row batch of table \"%s\".\"%s\" is truncated",
					 copy->db, copy->table);
			len = p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32) p[3] << 24);
			p += 4;
			if (len != SNAPSHOT_NULL_FIELD && (size_t) (end - p) < len)
				elog(ERROR, "snapshot row batch of table \"%s\".\"%s\" is truncated",
					 copy->db, copy->table);
			if (!col->skip)
			{
				if (!first)
					appendStringInfoChar(&copy->buf, '\t');
				first = false;
				if (len == SNAPSHOT_NULL_FIELD)
					appendStringInfoString(&copy->buf, "\\N");
				else
					append_value(&copy->buf, col, p, len);
			}
			if (len != SNAPSHOT_NULL_FIELD)
				p += len;
		}
		appendStringInfoChar(&copy->buf, '\n');
	}
	copy->rows += msg->nrows;
}

/*
 * COPY's data source: COPY text made from the reader's row batches, until
 * the table's end.  Returns 0 at the end of the table's rows.
 */
static int
copy_read(void *outbuf, int minread, int maxread)
{
	TableCopy  *copy = current_copy;
	int			avail;

	while (copy->bufpos >= copy->buf.len && !copy->ended)
	{
		SourceMessage *msg;

		resetStringInfo(&copy->buf);
		copy->bufpos = 0;
		msg = next_message(copy->reader, copy->should_stop);
		if (msg == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_QUERY_CANCELED),
					 errmsg("snapshot stopped while copying table \"%s\".\"%s\"",
							copy->db, copy->table)));
		switch (msg->kind)
		{
			case SOURCE_MSG_ROWS:
				convert_rows(copy, msg);
				if (copy->slot != NULL)
					channel_snapshot_progress(copy->slot, NULL, copy->rows);
				break;
			case SOURCE_MSG_TABLE_END:
				copy->ended = true;
				copy->rows_sent = msg->nrows;
				break;
			case SOURCE_MSG_ERROR:
				copy->source_error = MemoryContextStrdup(copy->keep,
														 (const char *) msg->data);
				copy->source_error_fatal = msg->fatal;
				source_message_free(msg);
				ereport(ERROR,
						(errcode(ERRCODE_CONNECTION_FAILURE),
						 errmsg("could not read table \"%s\".\"%s\" from the source",
								copy->db, copy->table),
						 errdetail_internal("%s", copy->source_error)));
				break;
			default:
				elog(ERROR, "unexpected message %d from the snapshot reader",
					 (int) msg->kind);
		}
		source_message_free(msg);
	}

	avail = copy->buf.len - copy->bufpos;
	if (avail > maxread)
		avail = maxread;
	memcpy(outbuf, copy->buf.data + copy->bufpos, avail);
	copy->bufpos += avail;
	(void) minread;				/* fewer is allowed only at the end */
	return avail;
}

/* ---------------------------------------------------------------------
 * Tables
 * ---------------------------------------------------------------------
 */

/*
 * Match the MySQL columns of SOURCE_MSG_TABLE to the PostgreSQL table's:
 * by name, ignoring case as MySQL does.
 */
static void
describe_columns(TableCopy *copy, Relation rel, const char **names,
				 const char **data_types, const char **column_types)
{
	TupleDesc	desc = RelationGetDescr(rel);

	copy->columns = palloc0(sizeof(CopyColumn) * Max(copy->ncolumns, 1));
	for (int c = 0; c < copy->ncolumns; c++)
	{
		CopyColumn *col = &copy->columns[c];
		Form_pg_attribute found = NULL;
		Oid			base;

		for (int i = 0; i < desc->natts; i++)
		{
			Form_pg_attribute att = TupleDescAttr(desc, i);

			if (att->attisdropped)
				continue;
			if (strcmp(NameStr(att->attname), names[c]) == 0)
			{
				found = att;
				break;
			}
			if (found == NULL && pg_strcasecmp(NameStr(att->attname), names[c]) == 0)
				found = att;
		}
		if (found == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("column \"%s\" of table \"%s\".\"%s\" does not exist in PostgreSQL",
							names[c], copy->db, copy->table)));
		col->name = pstrdup(NameStr(found->attname));
		col->skip = found->attgenerated != '\0';
		col->kind = value_kind(data_types[c]);
		base = getBaseType(found->atttypid);
		col->to_bytea = base == BYTEAOID;
		col->to_number = TypeCategory(base) == TYPCATEGORY_NUMERIC;
		col->to_geometry = strcmp(format_type_be(base), "geometry") == 0;
		if (col->kind == COPY_VALUE_BIT)
		{
			const char *paren = strchr(column_types[c], '(');

			col->bits = paren ? atoi(paren + 1) : 1;
		}
	}
}

/*
 * Keep identity sequences past the copied values, as MySQL's counters are
 * past the values in its tables.
 */
static void
advance_sequences(Oid relid, const char *qualified)
{
	List	   *sequences = getOwnedSequences(relid);
	ListCell   *lc;

	foreach(lc, sequences)
	{
		Oid			seq = lfirst_oid(lc);
		Oid			tableid;
		int32		colid;

		if (!sequenceIsOwned(seq, DEPENDENCY_INTERNAL, &tableid, &colid) &&
			!sequenceIsOwned(seq, DEPENDENCY_AUTO, &tableid, &colid))
			continue;
		if (SPI_execute(psprintf("SELECT setval(%u::regclass, m) FROM "
								 "(SELECT max(%s) AS m FROM %s) x "
								 "WHERE m >= (SELECT last_value FROM %s.%s)",
								 seq,
								 quote_identifier(get_attname(relid, colid, false)),
								 qualified,
								 quote_identifier(get_namespace_name(get_rel_namespace(seq))),
								 quote_identifier(get_rel_name(seq))),
						false, 0) < 0)
			elog(ERROR, "could not advance sequence %u", seq);
	}
}

/*
 * Copy one table: its row in snapshot_tables says "copying" (committed
 * first, so the progress view shows it), then one transaction creates it,
 * fills it, makes its keys and marks it done.
 */
static void
copy_table(TableCopy *copy, const SourceMessage *msg, const char *channel)
{
	const char *p = (const char *) msg->data;
	const char *create_sql;
	const char **names;
	const char **data_types;
	const char **column_types;
	char	   *estimate = psprintf(UINT64_FORMAT, msg->rows_estimate);
	const char *args[6];
	DdlDeferredKeys *keys = NULL;
	bool		created;
	char	   *why = NULL;
	Oid			relid;
	Relation	rel;
	ParseState *pstate;
	List	   *attnames = NIL;
	CopyFromState cstate;
	uint64		copied;
	char	   *qualified;

	/* the table's description: names, SHOW CREATE TABLE, columns */
	copy->db = pstrdup(p);
	p += strlen(p) + 1;
	copy->table = pstrdup(p);
	p += strlen(p) + 1;
	create_sql = p;
	p += strlen(p) + 1;
	copy->ncolumns = msg->ncolumns;
	names = palloc(sizeof(char *) * Max(msg->ncolumns, 1));
	data_types = palloc(sizeof(char *) * Max(msg->ncolumns, 1));
	column_types = palloc(sizeof(char *) * Max(msg->ncolumns, 1));
	for (int c = 0; c < msg->ncolumns; c++)
	{
		names[c] = p;
		p += strlen(p) + 1;
		data_types[c] = p;
		p += strlen(p) + 1;
		column_types[c] = p;
		p += strlen(p) + 1;
	}

	args[0] = channel;
	args[1] = copy->db;
	args[2] = copy->table;
	args[3] = estimate;
	begin_transaction();
	catalog_sql("INSERT INTO mysql_replica.snapshot_tables (channel, "
				"source_database, source_table, state, rows_estimated, "
				"started_at) VALUES ($1, $2, $3, 'copying', $4::bigint, now())",
				4, args);
	commit_transaction();
	if (copy->slot != NULL)
		channel_snapshot_progress(copy->slot,
								  psprintf("%s.%s", copy->db, copy->table), 0);
	pgstat_report_activity(STATE_RUNNING,
						   psprintf("copying table \"%s\".\"%s\" for the snapshot of channel \"%s\"",
									copy->db, copy->table, channel));

	begin_transaction();

	/* the table, without its keys */
	relid = ddl_snapshot_create_table(copy->db, create_sql, strlen(create_sql),
									  &keys, &created, &why);
	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot create table \"%s\".\"%s\" for the snapshot: %s",
						copy->db, copy->table, why),
				 errhint("Create the table in PostgreSQL yourself and start the channel again, or leave it out with change_source(exclude_tables => ...).")));
	args[3] = psprintf("%u", relid);
	args[4] = created ? "true" : "false";
	catalog_sql("UPDATE mysql_replica.snapshot_tables SET relid = $4::oid, "
				"created = $5::boolean WHERE channel = $1 "
				"AND source_database = $2 AND source_table = $3", 5, args);

	/* the rows, through COPY */
	rel = table_open(relid, RowExclusiveLock);
	qualified = psprintf("%s.%s",
						 quote_identifier(get_namespace_name(RelationGetNamespace(rel))),
						 quote_identifier(RelationGetRelationName(rel)));
	describe_columns(copy, rel, names, data_types, column_types);
	for (int c = 0; c < copy->ncolumns; c++)
		if (!copy->columns[c].skip)
			attnames = lappend(attnames, makeString(copy->columns[c].name));
	pstate = make_parsestate(NULL);
	(void) addRangeTableEntryForRelation(pstate, rel, RowExclusiveLock, NULL,
										 false, false);
	initStringInfo(&copy->buf);
	copy->bufpos = 0;
	copy->ended = false;
	copy->rows = 0;
	current_copy = copy;
	cstate = BeginCopyFrom(pstate, rel, NULL, NULL, false, copy_read,
						   attnames, NIL);
	copied = CopyFrom(cstate);
	EndCopyFrom(cstate);
	current_copy = NULL;
	table_close(rel, NoLock);
	if (copied != copy->rows_sent)
		elog(ERROR, "snapshot of table \"%s\".\"%s\" copied " UINT64_FORMAT " rows of " UINT64_FORMAT,
			 copy->db, copy->table, copied, copy->rows_sent);

	/* the keys, over all rows at once */
	pgstat_report_activity(STATE_RUNNING,
						   psprintf("creating the keys of table \"%s\".\"%s\" for the snapshot of channel \"%s\"",
									copy->db, copy->table, channel));
	if (keys != NULL)
		ddl_snapshot_create_keys(keys);
	advance_sequences(relid, qualified);

	args[3] = psprintf(UINT64_FORMAT, copied);
	catalog_sql("UPDATE mysql_replica.snapshot_tables SET state = 'done', "
				"rows_copied = $4::bigint, finished_at = clock_timestamp() "
				"WHERE channel = $1 AND source_database = $2 "
				"AND source_table = $3", 4, args);
	commit_transaction();
	ereport(LOG,
			(errmsg("mysql_replica channel \"%s\" copied table \"%s\".\"%s\": " UINT64_FORMAT " rows",
					channel, copy->db, copy->table, copied)));
}

/*
 * Copy a table; when the reader fails in its middle, roll the table back
 * and leave the reader's message in copy->source_error.  Other errors are
 * raised.
 */
static void
copy_table_unless_source_fails(TableCopy *copy, const SourceMessage *msg,
							   const char *channel)
{
	PG_TRY();
	{
		copy_table(copy, msg, channel);
	}
	PG_CATCH();
	{
		current_copy = NULL;
		if (copy->source_error == NULL)
			PG_RE_THROW();
		FlushErrorState();
		AbortCurrentTransaction();
	}
	PG_END_TRY();
}

/*
 * The snapshot is complete: its point becomes the channel's position, and
 * its tables are the channel's for good.
 */
static void
finish_snapshot(Applier *applier, const char *channel, const char *log_file,
				uint64 log_pos, const char *gtid)
{
	const char *args[4];

	args[0] = channel;
	args[1] = log_file;
	args[2] = psprintf(UINT64_FORMAT, log_pos);
	args[3] = gtid;
	begin_transaction();
	catalog_sql("UPDATE mysql_replica.channel_position SET log_file = $2, "
				"log_pos = $3::bigint, gtid_executed = $4, skip_next = false, "
				"applied_at = now() WHERE channel = $1", 4, args);
	catalog_sql("UPDATE mysql_replica.snapshot_tables SET unfinished = false, "
				"created = false WHERE channel = $1", 1, args);
	commit_transaction();

	/* streaming starts from what was just committed */
	begin_transaction();
	applier_load_position(applier);
	commit_transaction();
}

/*
 * Take the snapshot the reader delivers.  Returns how it ended; errbuf
 * gets the reader's message when it failed.  Errors of PostgreSQL's (a
 * table that cannot be created, a value that does not fit) are raised.
 */
SnapshotResult
snapshot_run(Applier *applier, Producer *reader, ChannelSlot *slot,
			 const char *channel, bool (*should_stop) (void),
			 char *errbuf, size_t errlen)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext,
											  "mysql_replica snapshot",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext oldcxt = MemoryContextSwitchTo(cxt);
	char	   *log_file = NULL;
	uint64		log_pos = 0;
	char	   *gtid = NULL;
	int			ntables = 0;
	SnapshotResult result;

	forget_unfinished_attempt(channel);

	for (;;)
	{
		SourceMessage *msg = next_message(reader, should_stop);
		TableCopy	copy;

		if (msg == NULL)
		{
			result = SNAPSHOT_STOPPED;
			break;
		}
		if (msg->kind == SOURCE_MSG_ERROR)
		{
			strlcpy(errbuf, (const char *) msg->data, errlen);
			result = msg->fatal ? SNAPSHOT_FATAL : SNAPSHOT_RETRY;
			source_message_free(msg);
			break;
		}
		if (msg->kind == SOURCE_MSG_SNAPSHOT_POINT)
		{
			log_file = pstrdup(msg->log_file);
			log_pos = msg->log_pos;
			gtid = pstrdup((const char *) msg->data);
			ereport(LOG,
					(errmsg("mysql_replica channel \"%s\" takes a snapshot of source %s at %s:" UINT64_FORMAT "%s%s",
							channel, msg->server_version, log_file, log_pos,
							gtid[0] ? ", GTID " : "", gtid)));
			source_message_free(msg);
			continue;
		}
		if (msg->kind == SOURCE_MSG_SNAPSHOT_END)
		{
			source_message_free(msg);
			if (log_file == NULL)
				elog(ERROR, "snapshot reader gave no snapshot point");
			finish_snapshot(applier, channel, log_file, log_pos, gtid);
			if (ntables == 0)
				ereport(WARNING,
						(errmsg("mysql_replica channel \"%s\" found no tables to copy",
								channel),
						 errdetail("The source lists no base tables that the channel's include_tables and exclude_tables let through and that the replication user may read."),
						 errhint("Grant the replication user SELECT on the databases to copy.")));
			ereport(LOG,
					(errmsg("mysql_replica channel \"%s\" finished its snapshot of %d tables, streaming from %s:" UINT64_FORMAT,
							channel, ntables, log_file, log_pos)));
			result = SNAPSHOT_DONE;
			break;
		}
		if (msg->kind != SOURCE_MSG_TABLE)
			elog(ERROR, "unexpected message %d from the snapshot reader",
				 (int) msg->kind);

		/* a table; the reader's failure in its middle is a retry */
		memset(&copy, 0, sizeof(copy));
		copy.reader = reader;
		copy.slot = slot;
		copy.should_stop = should_stop;
		copy.keep = cxt;
		copy_table_unless_source_fails(&copy, msg, channel);
		source_message_free(msg);
		MemoryContextSwitchTo(cxt);
		if (copy.source_error != NULL)
		{
			strlcpy(errbuf, copy.source_error, errlen);
			result = copy.source_error_fatal ? SNAPSHOT_FATAL : SNAPSHOT_RETRY;
			break;
		}
		ntables++;
	}

	if (slot != NULL)
		channel_snapshot_progress(slot, "", 0);
	MemoryContextSwitchTo(oldcxt);
	MemoryContextDelete(cxt);
	return result;
}
