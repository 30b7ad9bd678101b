/*-------------------------------------------------------------------------
 *
 * snapshot.c
 *	  The snapshot reader: a producer thread that copies the source's
 *	  existing tables as of one binlog position, for a channel's initial
 *	  copy.
 *
 * It runs in its own thread like the binlog streamer of producer.c, with
 * the same queue, the same interruptible connection and the same rule:
 * nothing of PostgreSQL is called here, and every error becomes the text
 * of the thread's last message.
 *
 * One connection does everything inside one REPEATABLE READ transaction
 * started WITH CONSISTENT SNAPSHOT, so every table is read as it was at
 * the moment the transaction began, and the binlog position of that
 * moment is the point the applier streams from afterwards.  MariaDB
 * reports that position for the transaction itself (binlog_snapshot_file
 * and binlog_snapshot_position), so no lock is needed.  MySQL does not,
 * so there the snapshot is started under FLUSH TABLES WITH READ LOCK,
 * which stops every commit while the position is read; the lock is held
 * for a few statements only.
 *
 * Rows are read with mysql_use_result, one row at a time off the socket,
 * and packed into batches in one buffer per batch; the bounded queue makes
 * a slow consumer slow the reading, and the server's network timeouts are
 * raised so that it waits for us meanwhile.
 *
 * Known shortcomings:
 *
 * Tables of a non-transactional engine (MyISAM, Aria, MEMORY) have no
 * snapshot: they are read as they are when their turn comes, so a change
 * made to them after the point may be both in the copy and in the stream.
 *
 * DDL run on the source while the snapshot is read is not supported.  On
 * MariaDB the list of tables is read after the point without a lock, so a
 * table created in between is copied and then created again by the stream;
 * a table altered or dropped after the point makes its read fail with the
 * server's error, ending the snapshot (retrying may then succeed).
 *
 * On MySQL the user needs the RELOAD privilege for the read lock, and the
 * lock waits for running statements to finish, blocking the source's
 * writers while it waits.
 *
 *-------------------------------------------------------------------------
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mysql.h>

#include "ddl/filter.h"
#include "source_int.h"

/*
 * The session's network and idle timeouts, in seconds: a year, the largest
 * value the servers accept.  The consumer may leave the server waiting to
 * send for a long time, as when it builds indexes between two tables.
 */
#define SNAPSHOT_SESSION_TIMEOUT 31536000

/* Bytes of a field's length in a SOURCE_MSG_ROWS batch. */
#define FIELD_LENGTH_BYTES 4

/* A growing buffer of bytes: SQL text, a message's payload. */
typedef struct ByteBuf
{
	char	   *data;
	size_t		len;
	size_t		cap;
	bool		failed;			/* out of memory: the contents are lost */
} ByteBuf;

/* sql_mode flags that change the text of SHOW CREATE TABLE. */
static const char *const show_create_modes[] = {
	"ANSI_QUOTES", "ANSI", "ORACLE", "POSTGRESQL", "MSSQL", "DB2", "MAXDB",
	"MYSQL323", "MYSQL40", "NO_KEY_OPTIONS", "NO_TABLE_OPTIONS",
	"NO_FIELD_OPTIONS"
};
#define NUM_SHOW_CREATE_MODES \
	(sizeof(show_create_modes) / sizeof(show_create_modes[0]))

static bool read_snapshot(Producer *producer, MYSQL *mysql, char *err,
						  size_t errlen, bool *fatal);


Producer *
snapshot_start(const SnapshotConfig *config, char *errbuf, size_t errlen)
{
	SourceConfig source = config->source;
	Producer   *producer;

	/*
	 * No heartbeats come on a connection that is not a binlog dump, so
	 * the client waits for the server with the long read timeout that
	 * goes with heartbeats off.
	 */
	source.heartbeat_period = 0;

	producer = producer_alloc(&source, errbuf, errlen);
	if (producer == NULL)
		return NULL;
	producer->batch_bytes = config->batch_bytes;
	producer->filter = config->filter;
	if (!producer_launch(producer, read_snapshot, errbuf, errlen))
		return NULL;
	return producer;
}

/* Make room for len more bytes; false (and buf->failed) when out of memory. */
static bool
buf_reserve(ByteBuf *buf, size_t len)
{
	size_t		cap;
	char	   *data;

	if (buf->failed)
		return false;
	if (buf->len + len <= buf->cap)
		return true;
	cap = buf->cap > 0 ? buf->cap : 256;
	while (cap < buf->len + len)
		cap *= 2;
	data = realloc(buf->data, cap);
	if (data == NULL)
	{
		buf->failed = true;
		return false;
	}
	buf->data = data;
	buf->cap = cap;
	return true;
}

static void
buf_append(ByteBuf *buf, const void *bytes, size_t len)
{
	if (buf_reserve(buf, len))
	{
		memcpy(buf->data + buf->len, bytes, len);
		buf->len += len;
	}
}

/* Append a string with its terminating NUL, as a message field. */
static void
buf_append_field(ByteBuf *buf, const char *text)
{
	buf_append(buf, text, strlen(text) + 1);
}

/* Append text to SQL being built, keeping the buffer NUL-terminated. */
static void
buf_append_sql(ByteBuf *buf, const char *text)
{
	size_t		len = strlen(text);

	if (buf_reserve(buf, len + 1))
	{
		memcpy(buf->data + buf->len, text, len + 1);
		buf->len += len;
	}
}

/* Append an identifier to SQL, in backquotes, doubling those inside it. */
static void
buf_append_ident(ByteBuf *buf, const char *name)
{
	char	   *out;

	if (!buf_reserve(buf, strlen(name) * 2 + 3))
		return;
	out = buf->data + buf->len;
	*out++ = '`';
	for (const char *p = name; *p != '\0'; p++)
	{
		if (*p == '`')
			*out++ = '`';
		*out++ = *p;
	}
	*out++ = '`';
	*out = '\0';
	buf->len = out - buf->data;
}

/* Append a string literal to SQL, quoted and escaped for the connection. */
static void
buf_append_literal(ByteBuf *buf, MYSQL *mysql, const char *text)
{
	size_t		len = strlen(text);

	buf_append_sql(buf, "'");
	if (buf_reserve(buf, len * 2 + 2))
		buf->len += mysql_real_escape_string(mysql, buf->data + buf->len,
											 text, len);
	buf_append_sql(buf, "'");
}

/* Empty the buffer, keeping its memory, for the next statement. */
static void
buf_reset(ByteBuf *buf)
{
	buf->len = 0;
	if (buf->data != NULL)
		buf->data[0] = '\0';
}

/* Run a query and store its whole result; NULL with err on failure. */
static MYSQL_RES *
query_stored(MYSQL *mysql, const char *sql, char *err, size_t errlen,
			 bool *fatal)
{
	MYSQL_RES  *res;

	if (mysql_query(mysql, sql) != 0 ||
		(res = mysql_store_result(mysql)) == NULL)
	{
		snprintf(err, errlen, "could not run \"%s\" on the source: %s",
				 sql, mysql_error(mysql));
		*fatal = source_error_is_privilege(mysql_errno(mysql));
		return NULL;
	}
	return res;
}

/*
 * Keep the session's sql_mode, so that SHOW CREATE TABLE writes its usual
 * text, but without the flags that change that text: quoting identifiers
 * with double quotes, or leaving out table, key or column options.
 */
static bool
set_sql_mode(MYSQL *mysql, char *err, size_t errlen)
{
	char	   *mode;
	char	   *save = NULL;
	ByteBuf		kept = {0};
	ByteBuf		sql = {0};
	bool		changed = false;
	bool		ok;

	mode = source_query_value(mysql, "SELECT @@SESSION.sql_mode", err, errlen);
	if (mode == NULL)
		return false;

	for (char *flag = strtok_r(mode, ",", &save); flag != NULL;
		 flag = strtok_r(NULL, ",", &save))
	{
		bool		drop = false;

		for (size_t i = 0; i < NUM_SHOW_CREATE_MODES; i++)
			drop |= strcmp(flag, show_create_modes[i]) == 0;
		changed |= drop;
		if (drop)
			continue;
		if (kept.len > 0)
			buf_append_sql(&kept, ",");
		buf_append_sql(&kept, flag);
	}
	free(mode);
	if (!changed)
	{
		free(kept.data);
		return true;
	}

	buf_append_sql(&sql, "SET SESSION sql_mode = ");
	buf_append_literal(&sql, mysql, kept.len > 0 ? kept.data : "");
	if (kept.failed || sql.failed)
	{
		snprintf(err, errlen, "out of memory");
		ok = false;
	}
	else
		ok = source_run(mysql, sql.data, err, errlen);
	free(kept.data);
	free(sql.data);
	return ok;
}

/*
 * Set up the session for reading: results in utf8mb4, TIMESTAMP values in
 * UTC, timeouts that let the consumer take its time, no statement time
 * limit that would cut a long table short, and REPEATABLE READ for the
 * snapshot transaction.
 */
static bool
prepare_session(MYSQL *mysql, bool is_mariadb, char *err, size_t errlen)
{
	char		sql[512];

	snprintf(sql, sizeof(sql),
			 "SET NAMES utf8mb4, time_zone = '+00:00', "
			 "SESSION net_read_timeout = %d, SESSION net_write_timeout = %d, "
			 "SESSION wait_timeout = %d, SESSION %s = 0",
			 SNAPSHOT_SESSION_TIMEOUT, SNAPSHOT_SESSION_TIMEOUT,
			 SNAPSHOT_SESSION_TIMEOUT,
			 is_mariadb ? "max_statement_time" : "max_execution_time");
	return source_run(mysql, sql, err, errlen) &&
		source_run(mysql,
				   "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ",
				   err, errlen) &&
		set_sql_mode(mysql, err, errlen);
}

/*
 * MariaDB's binlog position of the current snapshot transaction into
 * point, and the GTID state there into *gtid (malloc'd, empty if the
 * source has none).
 */
static bool
mariadb_snapshot_position(MYSQL *mysql, SourceMessage *point, char **gtid,
						  ByteBuf *sql, char *err, size_t errlen,
						  bool *fatal)
{
	MYSQL_RES  *res;
	MYSQL_ROW	row;
	char		pos[32];

	res = query_stored(mysql, "SHOW STATUS LIKE 'binlog_snapshot_%'",
					   err, errlen, fatal);
	if (res == NULL)
		return false;
	point->log_file[0] = '\0';
	while ((row = mysql_fetch_row(res)) != NULL)
	{
		if (row[0] == NULL || row[1] == NULL)
			continue;
		if (strcasecmp(row[0], "binlog_snapshot_file") == 0)
			snprintf(point->log_file, sizeof(point->log_file), "%s", row[1]);
		else if (strcasecmp(row[0], "binlog_snapshot_position") == 0)
			point->log_pos = strtoull(row[1], NULL, 10);
	}
	mysql_free_result(res);
	if (point->log_file[0] == '\0')
	{
		snprintf(err, errlen, "the source reports no binlog position for "
				 "the snapshot (binlog_snapshot_file is empty)");
		return false;
	}

	/* The GTID state is a function of the position. */
	buf_reset(sql);
	buf_append_sql(sql, "SELECT BINLOG_GTID_POS(");
	buf_append_literal(sql, mysql, point->log_file);
	snprintf(pos, sizeof(pos), ", %llu)", (unsigned long long) point->log_pos);
	buf_append_sql(sql, pos);
	if (sql->failed)
	{
		snprintf(err, errlen, "out of memory");
		return false;
	}
	*gtid = source_query_value(mysql, sql->data, err, errlen);
	return *gtid != NULL;
}

/*
 * Take the consistent snapshot: start the transaction, read the binlog
 * position and GTID state of its point into point and *gtid, and the list
 * of base tables outside the system databases, by database and name, into
 * *tables.  On MySQL all of it happens under the global read lock: no
 * commit can slip between the snapshot and the position, and no DDL
 * between the snapshot and the list.
 */
static bool
take_snapshot(MYSQL *mysql, SourceMessage *point, char **gtid,
			  MYSQL_RES **tables, ByteBuf *sql, char *err, size_t errlen,
			  bool *fatal)
{
	if (!point->is_mariadb &&
		mysql_query(mysql, "FLUSH TABLES WITH READ LOCK") != 0)
	{
		snprintf(err, errlen, "could not lock the source's tables for the "
				 "snapshot with FLUSH TABLES WITH READ LOCK (the user needs "
				 "the RELOAD privilege): %s", mysql_error(mysql));
		*fatal = source_error_is_privilege(mysql_errno(mysql));
		return false;
	}
	if (!source_run(mysql, "START TRANSACTION WITH CONSISTENT SNAPSHOT",
					err, errlen))
		return false;

	if (point->is_mariadb)
	{
		if (!mariadb_snapshot_position(mysql, point, gtid, sql, err, errlen,
									   fatal))
			return false;
	}
	else if (!source_binlog_end(mysql, point, gtid, err, errlen, fatal))
		return false;

	/*
	 * Names are ordered by their bytes, not by information_schema's
	 * case-insensitive collation, so that the order is the same on every
	 * server.
	 */
	*tables = query_stored(mysql,
						   "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_ROWS "
						   "FROM information_schema.TABLES "
						   "WHERE TABLE_TYPE IN ('BASE TABLE', "
						   "'SYSTEM VERSIONED') "
						   "AND TABLE_SCHEMA NOT IN ('mysql', "
						   "'information_schema', 'performance_schema', "
						   "'sys') "
						   "ORDER BY CAST(TABLE_SCHEMA AS BINARY), "
						   "CAST(TABLE_NAME AS BINARY)",
						   err, errlen, fatal);
	if (*tables == NULL)
		return false;

	return point->is_mariadb ||
		source_run(mysql, "UNLOCK TABLES", err, errlen);
}

/*
 * Run the SELECT of a table and queue its rows in SOURCE_MSG_ROWS batches
 * of about batch_bytes (a batch holds at least one row, however long).
 * *nrows receives the number of rows queued.  Returns false with an empty
 * err when a stop was requested.
 */
static bool
send_rows(Producer *producer, MYSQL *mysql, const char *select,
		  int ncolumns, const char *table_name, uint64_t *nrows,
		  char *err, size_t errlen, bool *fatal)
{
	MYSQL_RES  *res;
	MYSQL_ROW	row;
	SourceMessage *batch = NULL;
	size_t		capacity = 0;
	bool		ok = true;

	*nrows = 0;
	if (mysql_query(mysql, select) != 0 ||
		(res = mysql_use_result(mysql)) == NULL)
	{
		*fatal = source_error_is_privilege(mysql_errno(mysql));
		snprintf(err, errlen, "could not read table \"%s\" on the source%s: %s",
				 table_name, *fatal ?
				 " (the user needs the SELECT privilege on it)" : "",
				 mysql_error(mysql));
		return false;
	}
	if (mysql_num_fields(res) != (unsigned int) ncolumns)
	{
		snprintf(err, errlen, "reading table \"%s\" on the source gave %u "
				 "columns instead of %d", table_name, mysql_num_fields(res),
				 ncolumns);
		ok = false;
	}

	while (ok && (row = mysql_fetch_row(res)) != NULL)
	{
		unsigned long *lengths = mysql_fetch_lengths(res);
		size_t		need = (size_t) ncolumns * FIELD_LENGTH_BYTES;
		uint8_t    *p;

		/*
		 * Rows already received are read without waiting on the socket,
		 * where a stop request would be noticed, so check for one here.
		 */
		if (producer_stopping(producer))
		{
			ok = false;
			break;
		}

		for (int i = 0; i < ncolumns; i++)
			if (row[i] != NULL)
				need += lengths[i];

		/* Queue the batch when the row does not fit, then start anew. */
		if (batch != NULL && batch->len + need > capacity)
		{
			ok = producer_push(producer, batch, true);
			batch = NULL;
			if (!ok)
				break;
		}
		if (batch == NULL)
		{
			capacity = producer->batch_bytes > need ?
				producer->batch_bytes : need;
			batch = source_message_alloc(SOURCE_MSG_ROWS, capacity);
			if (batch == NULL)
			{
				snprintf(err, errlen, "out of memory for a batch of %zu "
						 "bytes of table \"%s\"", capacity, table_name);
				ok = false;
				break;
			}
			batch->len = 0;
			batch->ncolumns = ncolumns;
		}

		p = batch->data + batch->len;
		for (int i = 0; i < ncolumns; i++)
		{
			if (row[i] == NULL)
			{
				put_uint32(p, SNAPSHOT_NULL_FIELD);
				p += FIELD_LENGTH_BYTES;
				continue;
			}
			put_uint32(p, (uint32_t) lengths[i]);
			memcpy(p + FIELD_LENGTH_BYTES, row[i], lengths[i]);
			p += FIELD_LENGTH_BYTES + lengths[i];
		}
		batch->len += need;
		batch->nrows++;
		(*nrows)++;
	}

	/* A NULL row ends the result, or the reading of it failed. */
	if (ok && mysql_errno(mysql) != 0)
	{
		snprintf(err, errlen, "could not read table \"%s\" on the source: %s",
				 table_name, mysql_error(mysql));
		ok = false;
	}
	if (ok && batch != NULL)
	{
		ok = producer_push(producer, batch, true);
		batch = NULL;
	}
	free(batch);

	/*
	 * Freeing a result that was not read to its end reads the rest of it
	 * off the connection, which could be most of a table.  When giving up,
	 * detach the result from the connection so that it is only freed; the
	 * connection is of no further use and the caller closes it.
	 */
	if (!ok)
		res->handle = NULL;
	mysql_free_result(res);
	return ok;
}

/*
 * Queue one table: its SOURCE_MSG_TABLE message with the definition and
 * the columns, its rows, and its SOURCE_MSG_TABLE_END.  sql and payload
 * are buffers for the statements and the table message, kept between
 * tables.
 */
static bool
copy_table(Producer *producer, MYSQL *mysql, const char *db,
		   const char *table, uint64_t rows_estimate, ByteBuf *sql,
		   ByteBuf *payload, char *err, size_t errlen, bool *fatal)
{
	MYSQL_RES  *create = NULL;
	MYSQL_RES  *columns = NULL;
	MYSQL_ROW	row;
	SourceMessage *msg;
	char		table_name[512];
	int			ncolumns;
	int			column = 0;
	uint64_t	nrows;
	bool		ok = false;

	snprintf(table_name, sizeof(table_name), "%s.%s", db, table);

	/* The definition, as the source writes it. */
	buf_reset(sql);
	buf_append_sql(sql, "SHOW CREATE TABLE ");
	buf_append_ident(sql, db);
	buf_append_sql(sql, ".");
	buf_append_ident(sql, table);
	if (sql->failed)
		goto oom;
	create = query_stored(mysql, sql->data, err, errlen, fatal);
	if (create == NULL)
		goto done;
	row = mysql_fetch_row(create);
	if (row == NULL || mysql_num_fields(create) < 2 || row[1] == NULL)
	{
		snprintf(err, errlen, "SHOW CREATE TABLE gave no definition for "
				 "table \"%s\"", table_name);
		goto done;
	}
	buf_reset(payload);
	buf_append_field(payload, db);
	buf_append_field(payload, table);
	buf_append_field(payload, row[1]);

	/* The columns, in table order. */
	buf_reset(sql);
	buf_append_sql(sql, "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE "
				   "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ");
	buf_append_literal(sql, mysql, db);
	buf_append_sql(sql, " AND TABLE_NAME = ");
	buf_append_literal(sql, mysql, table);
	buf_append_sql(sql, " ORDER BY ORDINAL_POSITION");
	if (sql->failed)
		goto oom;
	columns = query_stored(mysql, sql->data, err, errlen, fatal);
	if (columns == NULL)
		goto done;
	ncolumns = (int) mysql_num_rows(columns);
	if (ncolumns == 0)
	{
		snprintf(err, errlen, "the source lists no columns for table \"%s\"",
				 table_name);
		goto done;
	}

	/*
	 * Build the table message and the SELECT of every column by name
	 * together.  DATA_TYPE is lower-cased: MySQL 8 writes some in capitals.
	 */
	buf_reset(sql);
	buf_append_sql(sql, "SELECT ");
	while ((row = mysql_fetch_row(columns)) != NULL)
	{
		size_t		type_at;

		if (row[0] == NULL || row[1] == NULL || row[2] == NULL)
		{
			snprintf(err, errlen, "the source lists a column without a name "
					 "or type for table \"%s\"", table_name);
			goto done;
		}
		if (column++ > 0)
			buf_append_sql(sql, ", ");

		/*
		 * The text protocol prints FLOAT with 6 significant digits; as a
		 * DOUBLE it prints every digit of the float's exact value.
		 */
		if (strcasecmp(row[1], "float") == 0)
		{
			buf_append_sql(sql, "(");
			buf_append_ident(sql, row[0]);
			buf_append_sql(sql, " + 0e0)");
		}
		else
			buf_append_ident(sql, row[0]);

		buf_append_field(payload, row[0]);
		type_at = payload->len;
		buf_append_field(payload, row[1]);
		for (size_t i = type_at; !payload->failed && i < payload->len; i++)
			payload->data[i] = tolower((unsigned char) payload->data[i]);
		buf_append_field(payload, row[2]);
	}
	buf_append_sql(sql, " FROM ");
	buf_append_ident(sql, db);
	buf_append_sql(sql, ".");
	buf_append_ident(sql, table);
	if (sql->failed || payload->failed)
		goto oom;

	msg = source_message_alloc(SOURCE_MSG_TABLE, payload->len);
	if (msg == NULL)
		goto oom;
	memcpy(msg->data, payload->data, payload->len);
	msg->ncolumns = ncolumns;
	msg->rows_estimate = rows_estimate;
	if (!producer_push(producer, msg, true))
		goto done;

	/* The rows, then the count that closes the table. */
	if (!send_rows(producer, mysql, sql->data, ncolumns, table_name, &nrows,
				   err, errlen, fatal))
		goto done;
	msg = source_message_alloc(SOURCE_MSG_TABLE_END, 0);
	if (msg == NULL)
		goto oom;
	msg->ncolumns = ncolumns;
	msg->nrows = nrows;
	ok = producer_push(producer, msg, true);
	goto done;

oom:
	snprintf(err, errlen, "out of memory");
done:
	if (create != NULL)
		mysql_free_result(create);
	if (columns != NULL)
		mysql_free_result(columns);
	return ok;
}

/*
 * The snapshot reader's body: check the source, take the snapshot, queue
 * its point, then every table the filter includes, then the end.  Returns
 * true when everything was queued.
 */
static bool
read_snapshot(Producer *producer, MYSQL *mysql, char *err, size_t errlen,
			  bool *fatal)
{
	SourceMessage *point;
	SourceMessage *msg;
	char	   *gtid = NULL;
	MYSQL_RES  *tables = NULL;
	MYSQL_ROW	row;
	ByteBuf		sql = {0};
	ByteBuf		payload = {0};
	bool		ok = false;

	point = source_message_alloc(SOURCE_MSG_SNAPSHOT_POINT, 0);
	if (point == NULL)
	{
		snprintf(err, errlen, "out of memory");
		return false;
	}

	/* A snapshot is of use only if the binlog can be streamed from it. */
	if (!source_check_settings(mysql, point, true, err, errlen, fatal) ||
		!prepare_session(mysql, point->is_mariadb, err, errlen) ||
		!take_snapshot(mysql, point, &gtid, &tables, &sql, err, errlen,
					   fatal))
		goto done;

	msg = source_message_with_data(point, gtid, strlen(gtid));
	if (msg == NULL)
	{
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	if (!producer_push(producer, msg, true))
		goto done;

	while ((row = mysql_fetch_row(tables)) != NULL)
	{
		if (!table_filter_matches(producer->filter, row[0], row[1]))
			continue;
		if (!copy_table(producer, mysql, row[0], row[1],
						row[2] ? strtoull(row[2], NULL, 10) : 0,
						&sql, &payload, err, errlen, fatal))
			goto done;
	}

	/*
	 * The transaction only read, so how it ends does not matter, and
	 * closing the connection would end it too: a failure is ignored.
	 */
	(void) mysql_query(mysql, "COMMIT");

	msg = source_message_alloc(SOURCE_MSG_SNAPSHOT_END, 0);
	if (msg == NULL)
	{
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	ok = producer_push(producer, msg, true);

done:
	if (tables != NULL)
		mysql_free_result(tables);
	free(point);
	free(gtid);
	free(sql.data);
	free(payload.data);
	return ok;
}
