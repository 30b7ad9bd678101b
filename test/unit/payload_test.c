/*-------------------------------------------------------------------------
 *
 * payload_test.c
 *	  Unit tests of compressed events and GTID sets: MySQL's
 *	  TRANSACTION_PAYLOAD event, MariaDB's compressed query and rows
 *	  events, MySQL's tagged GTID event and PREVIOUS_GTIDS events.
 *
 * Usage: payload_test [DATA_DIR]
 *
 * DATA_DIR (or $BINLOG_TEST_DATA) holds mysql-binlogs/.  The real
 * binlogs there are decoded through the payload iterator down to every
 * row.  MariaDB writes compressed events only when asked to, and no
 * sample has them, so when a MariaDB server is installed the test makes
 * a binlog with one (mariadb_compressed.sh, about two seconds) and
 * decodes that; without a server that part is skipped with a message.
 * Synthetic events cover what neither can: the uncompressed payload
 * type and damaged compressed data.
 *
 * It prints one line per check and ends with "N passed, N failed".
 *
 *-------------------------------------------------------------------------
 */
#define _POSIX_C_SOURCE 200809L

#include "binlog.h"
#include "check.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>

#define MAX_LINES	4096

/* What decoding one binlog found. */
typedef struct Stats
{
	int			events;			/* top-level events */
	int			payloads;		/* TRANSACTION_PAYLOAD events */
	int			inner;			/* events inside payloads */
	int			compressed;		/* MariaDB compressed events */
	int			rows_events;
	int			rows;			/* row images, before and after counted
								 * once per row */
	int			errors;
	char		first_error[600];
	int			n_gtids;
	BinlogGtid	gtids[64];
	BinlogGtidSet *prev_gtids;	/* the last PREVIOUS_GTIDS event */
	int			n_prev_gtids;
	int			n_lines;
	char	   *lines[MAX_LINES];	/* queries and rendered rows, in order */
	BinlogTableMap *map;		/* the last table map */
} Stats;

static void
stats_free(Stats *st)
{
	for (int i = 0; i < st->n_lines; i++)
		free(st->lines[i]);
	free(st->prev_gtids);
	free(st->map);
	memset(st, 0, sizeof(*st));
}

static void
add_line(Stats *st, const char *line)
{
	if (st->n_lines < MAX_LINES)
		st->lines[st->n_lines++] = strdup(line);
}

static void
note_error(Stats *st, const char *msg)
{
	if (st->errors++ == 0)
		snprintf(st->first_error, sizeof(st->first_error), "%s", msg);
}

/* Render one cell roughly as a SQL client would show it. */
static void
render_value(const BinlogValue *v, char *out, size_t outlen)
{
	bool		zero;

	switch (v->kind)
	{
		case BINLOG_VALUE_ABSENT:
			snprintf(out, outlen, "-");
			return;
		case BINLOG_VALUE_NULL:
			snprintf(out, outlen, "NULL");
			return;
		case BINLOG_VALUE_STRING:
		case BINLOG_VALUE_BYTES:
		case BINLOG_VALUE_JSON:
		case BINLOG_VALUE_GEOMETRY:
		case BINLOG_VALUE_VECTOR:
			snprintf(out, outlen, "%.*s", (int) v->str.len,
					 (const char *) v->str.ptr);
			return;
		case BINLOG_VALUE_TIMESTAMP:
			snprintf(out, outlen, "@%lld", (long long) v->ts.sec);
			return;
		case BINLOG_VALUE_FLOAT:
		case BINLOG_VALUE_DOUBLE:
			snprintf(out, outlen, "%.17g", v->d);
			return;
		default:
			if (!binlog_value_to_text(v, out, outlen, &zero))
				snprintf(out, outlen, "(kind %d)", v->kind);
			return;
	}
}

/* Append "a|b|c" for one row image to buf. */
static void
render_image(const BinlogValue *vals, int ncols, char *buf, size_t size)
{
	size_t		len = strlen(buf);

	for (int i = 0; i < ncols && len + 1 < size; i++)
	{
		if (i > 0)
			buf[len++] = '|';
		buf[len] = '\0';
		render_value(&vals[i], buf + len, size - len);
		len = strlen(buf);
	}
}

static void process_event(const BinlogFormat *fmt, const BinlogEvent *ev,
						  Stats *st);

/* Decode every row of a rows event with the last table map. */
static void
process_rows(const BinlogFormat *fmt, const BinlogEvent *ev, Stats *st)
{
	BinlogRowsEvent rows;
	BinlogRowsCursor cur;
	BinlogError err;
	BinlogValue *before;
	BinlogValue *after;
	static const char *const kinds[] = {"INSERT", "UPDATE", "DELETE"};

	if (!binlog_decode_rows_header(fmt, ev, &rows, &err))
	{
		note_error(st, err.message);
		return;
	}
	st->rows_events++;
	if (st->map == NULL || st->map->table_id != rows.table_id)
	{
		note_error(st, "rows event without its table map");
		return;
	}
	before = calloc(st->map->ncols + 1, sizeof(BinlogValue));
	after = calloc(st->map->ncols + 1, sizeof(BinlogValue));
	binlog_rows_cursor_init(&cur, &rows, st->map);
	while (binlog_rows_next(&cur, before, after, &err))
	{
		char		line[8192];

		snprintf(line, sizeof(line), "%s %s.%s: ", kinds[rows.kind],
				 st->map->db, st->map->table);
		render_image(before, st->map->ncols, line, sizeof(line));
		if (rows.kind == BINLOG_ROWS_UPDATE)
		{
			strncat(line, " -> ", sizeof(line) - strlen(line) - 1);
			render_image(after, st->map->ncols, line, sizeof(line));
		}
		add_line(st, line);
		st->rows++;
	}
	if (err.message[0])
		note_error(st, err.message);
	free(before);
	free(after);
}

/*
 * Decode one event with whatever decoder fits its type, descending into
 * payloads and compressed events.
 */
static void
process_event(const BinlogFormat *fmt, const BinlogEvent *ev, Stats *st)
{
	BinlogError err;

	switch (ev->header.type)
	{
		case BINLOG_TRANSACTION_PAYLOAD_EVENT:
			{
				BinlogPayloadCursor cur;
				BinlogEvent inner;

				st->payloads++;
				if (!binlog_payload_open(&cur, fmt, ev, &err))
				{
					note_error(st, err.message);
					return;
				}
				while (binlog_payload_next(&cur, &inner, &err))
				{
					st->inner++;
					process_event(&cur.format, &inner, st);
				}
				if (err.message[0])
					note_error(st, err.message);
				binlog_payload_close(&cur);
				return;
			}
		case BINLOG_MARIADB_QUERY_COMPRESSED_EVENT:
		case BINLOG_MARIADB_WRITE_ROWS_COMPRESSED_EVENT_V1:
		case BINLOG_MARIADB_UPDATE_ROWS_COMPRESSED_EVENT_V1:
		case BINLOG_MARIADB_DELETE_ROWS_COMPRESSED_EVENT_V1:
		case BINLOG_MARIADB_WRITE_ROWS_COMPRESSED_EVENT:
		case BINLOG_MARIADB_UPDATE_ROWS_COMPRESSED_EVENT:
		case BINLOG_MARIADB_DELETE_ROWS_COMPRESSED_EVENT:
			{
				BinlogDecompressed d;

				st->compressed++;
				if (!binlog_decompress_event(fmt, ev, &d, &err))
				{
					note_error(st, err.message);
					return;
				}
				if (binlog_is_compressed_event(d.event.header.type))
					note_error(st, "decompressed event is still compressed");
				else
					process_event(fmt, &d.event, st);
				binlog_decompressed_free(&d);
				return;
			}
		case BINLOG_QUERY_EVENT:
			{
				BinlogQuery q;
				char		line[8192];

				if (!binlog_decode_query(fmt, ev, &q, &err))
				{
					note_error(st, err.message);
					return;
				}
				snprintf(line, sizeof(line), "QUERY %.*s", (int) q.query_len,
						 q.query);
				add_line(st, line);
				return;
			}
		case BINLOG_TABLE_MAP_EVENT:
			{
				BinlogTableMap *map = binlog_decode_table_map(fmt, ev, &err);

				if (map == NULL)
				{
					note_error(st, err.message);
					return;
				}
				free(st->map);
				st->map = map;
				return;
			}
		case BINLOG_WRITE_ROWS_EVENT_V1:
		case BINLOG_UPDATE_ROWS_EVENT_V1:
		case BINLOG_DELETE_ROWS_EVENT_V1:
		case BINLOG_WRITE_ROWS_EVENT:
		case BINLOG_UPDATE_ROWS_EVENT:
		case BINLOG_DELETE_ROWS_EVENT:
			process_rows(fmt, ev, st);
			return;
		case BINLOG_GTID_EVENT:
		case BINLOG_ANONYMOUS_GTID_EVENT:
		case BINLOG_GTID_TAGGED_EVENT:
		case BINLOG_MARIADB_GTID_EVENT:
			{
				BinlogGtid g;

				if (!binlog_decode_gtid(fmt, ev, &g, &err))
				{
					note_error(st, err.message);
					return;
				}
				if (st->n_gtids < 64)
					st->gtids[st->n_gtids++] = g;
				return;
			}
		case BINLOG_PREVIOUS_GTIDS_EVENT:
			{
				BinlogGtidSet *set;

				if (!binlog_decode_previous_gtids(fmt, ev, &set, &err))
				{
					note_error(st, err.message);
					return;
				}
				free(st->prev_gtids);
				st->prev_gtids = set;
				st->n_prev_gtids++;
				return;
			}
		case BINLOG_XID_EVENT:
			{
				uint64_t	xid;

				if (!binlog_decode_xid(fmt, ev, &xid, &err))
					note_error(st, err.message);
				return;
			}
	}
}

/* Decode a whole binlog file into st; false if it cannot be read. */
static bool
decode_file(const char *path, Stats *st)
{
	BinlogFileReader reader;
	BinlogEvent ev;
	BinlogError err;
	int			rc;

	memset(st, 0, sizeof(*st));
	if (!binlog_file_open(&reader, path, &err))
	{
		note_error(st, err.message);
		return false;
	}
	while ((rc = binlog_file_next(&reader, &ev, &err)) > 0)
	{
		st->events++;
		process_event(&reader.format, &ev, st);
	}
	if (rc < 0)
		note_error(st, err.message);
	binlog_file_close(&reader);
	return true;
}

static bool
has_line(const Stats *st, const char *line)
{
	for (int i = 0; i < st->n_lines; i++)
		if (strcmp(st->lines[i], line) == 0)
			return true;
	return false;
}

static bool
has_line_prefix(const Stats *st, const char *prefix)
{
	for (int i = 0; i < st->n_lines; i++)
		if (strncmp(st->lines[i], prefix, strlen(prefix)) == 0)
			return true;
	return false;
}

static void
format_uuid(const uint8_t *u, char *out)
{
	sprintf(out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
			"%02x%02x%02x%02x%02x%02x",
			u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
			u[10], u[11], u[12], u[13], u[14], u[15]);
}

/* Render a GTID set as MySQL prints it: uuid[:tag]:a-b:c, ... */
static void
format_gtid_set(const BinlogGtidSet *set, char *out, size_t size)
{
	size_t		len = 0;

	out[0] = '\0';
	for (int s = 0; s < set->n_sources && len + 64 < size; s++)
	{
		const BinlogGtidSource *src = &set->sources[s];
		char		uuid[40];

		format_uuid(src->uuid, uuid);
		len += snprintf(out + len, size - len, "%s%s%s%s", s ? "," : "",
						uuid, src->tag[0] ? ":" : "", src->tag);
		for (int i = 0; i < src->n_intervals && len + 48 < size; i++)
		{
			const BinlogGtidInterval *iv = &src->intervals[i];

			if (iv->end - 1 == iv->start)
				len += snprintf(out + len, size - len, ":%lld",
								(long long) iv->start);
			else
				len += snprintf(out + len, size - len, ":%lld-%lld",
								(long long) iv->start,
								(long long) iv->end - 1);
		}
	}
}

/* MySQL 8.0 binlogs with TRANSACTION_PAYLOAD events. */
static void
test_mysql_payload(const char *data)
{
	char		path[1024];
	Stats		st;

	snprintf(path, sizeof(path),
			 "%s/mysql-binlogs/mysql-binlog-connector-java/mysql-bin.compressed",
			 data);
	decode_file(path, &st);
	check(st.errors == 0, "mysql-bin.compressed decodes without error%s%s",
		  st.errors ? ": " : "", st.first_error);
	check(st.payloads == 1, "mysql-bin.compressed has 1 payload event (%d)",
		  st.payloads);
	check(st.inner == 4, "mysql-bin.compressed payload holds 4 events (%d)",
		  st.inner);
	check(st.rows_events == 1 && st.rows == 1,
		  "mysql-bin.compressed payload holds 1 rows event of 1 row (%d, %d)",
		  st.rows_events, st.rows);
	check(st.n_lines == 2 && strcmp(st.lines[0], "QUERY BEGIN") == 0 &&
		  strncmp(st.lines[1], "UPDATE demo.movies: 1|Once Upon a Time in the West|1968|Italy|Western|Claudia", 77) == 0 &&
		  strstr(st.lines[1], " -> 1|Once Upon a Time in the West|1968|Italy|Western|Action|Claudia") != NULL &&
		  strstr(st.lines[1], "|Paramount Pictures") != NULL,
		  "mysql-bin.compressed payload is BEGIN and the UPDATE of movie 1");
	stats_free(&st);

	snprintf(path, sizeof(path),
			 "%s/mysql-binlogs/rust_mysql_common/transaction_compression.000001",
			 data);
	decode_file(path, &st);
	check(st.errors == 0, "transaction_compression decodes without error%s%s",
		  st.errors ? ": " : "", st.first_error);
	check(st.payloads == 1 && st.inner == 4,
		  "transaction_compression has 1 payload of 4 events (%d, %d)",
		  st.payloads, st.inner);
	check(st.rows_events == 1 && st.rows == 1,
		  "transaction_compression payload holds 1 rows event of 1 row (%d, %d)",
		  st.rows_events, st.rows);
	check(st.n_lines == 2 && strcmp(st.lines[0], "QUERY BEGIN") == 0 &&
		  strcmp(st.lines[1], "INSERT test.tb1: 1") == 0,
		  "transaction_compression payload is BEGIN and INSERT test.tb1: 1");
	stats_free(&st);
}

/* MySQL 9.x binlog with a tagged GTID and a tagged PREVIOUS_GTIDS. */
static void
test_tagged_gtids(const char *data)
{
	char		path[1024];
	char		uuid[40];
	char		set[1024];
	Stats		st;
	const BinlogGtid *g = NULL;

	snprintf(path, sizeof(path),
			 "%s/mysql-binlogs/rust_mysql_common/binlog_transaction_with_GTID_TAG.000001",
			 data);
	decode_file(path, &st);
	check(st.errors == 0, "GTID_TAG binlog decodes without error%s%s",
		  st.errors ? ": " : "", st.first_error);
	check(st.n_gtids == 1, "GTID_TAG binlog has one GTID event (%d)",
		  st.n_gtids);
	if (st.n_gtids > 0)
		g = &st.gtids[0];
	if (g)
	{
		format_uuid(g->uuid, uuid);
		check(strcmp(uuid, "55778904-0299-11f1-b1b8-4ef0c4956feb") == 0,
			  "tagged GTID uuid (%s)", uuid);
		check(g->gno == 3, "tagged GTID gno 3 (%lld)", (long long) g->gno);
		check(strcmp(g->tag, "mytag") == 0, "tagged GTID tag mytag (%s)",
			  g->tag);
		check(!g->is_mariadb && !g->anonymous && g->flags2 == 0,
			  "tagged GTID is a MySQL GTID with flags 0");
	}
	check(st.prev_gtids != NULL && st.prev_gtids->tagged,
		  "GTID_TAG binlog has a tagged PREVIOUS_GTIDS event");
	if (st.prev_gtids)
	{
		format_gtid_set(st.prev_gtids, set, sizeof(set));
		check(strcmp(set, "55778904-0299-11f1-b1b8-4ef0c4956feb:1-13,"
					 "55778904-0299-11f1-b1b8-4ef0c4956feb:mytag:1-2") == 0,
			  "tagged PREVIOUS_GTIDS is %s", set);
		check(st.prev_gtids->n_sources == 2 &&
			  strcmp(st.prev_gtids->sources[1].tag, "mytag") == 0,
			  "tagged PREVIOUS_GTIDS second source has tag mytag");
	}
	stats_free(&st);
}

/* Expected PREVIOUS_GTIDS contents of other samples. */
static const struct
{
	const char *file;
	const char *set;
}			prev_gtids_expected[] = {
	{"rust_mysql_common/binlog_transaction_previous_GTID_no_tag.000001",
	"b9b88c66-0755-11f1-9899-4a9da94c4d71:1-2"},
	{"rust-us-mysql-cdc-rs/5.7/33_35_gtid_prev_gtid/log.bin", ""},
	{NULL, NULL}
};

/*
 * Every PREVIOUS_GTIDS event of every sample decodes (files broken on
 * purpose aside, which fail before or inside it), and a few have known
 * contents.
 */
static void
test_previous_gtids(const char *data)
{
	char		root[1024];
	char	  **files = NULL;
	int			nfiles = 0;
	int			n_events = 0;
	int			n_files = 0;
	int			bad = 0;

	snprintf(root, sizeof(root), "%s/mysql-binlogs", data);
	nfiles = list_data_files(root, &files);
	for (int i = 0; i < nfiles; i++)
	{
		char		path[4096];
		Stats		st;
		FILE	   *fp;
		unsigned char magic[4] = {0};

		snprintf(path, sizeof(path), "%s/%s", root, files[i]);
		fp = fopen(path, "rb");
		if (fp == NULL)
			goto next;
		if (fread(magic, 1, 4, fp) != 4 || memcmp(magic, "\xfe" "bin", 4) != 0)
		{
			fclose(fp);
			goto next;
		}
		fclose(fp);
		decode_file(path, &st);
		if (st.n_prev_gtids > 0)
		{
			n_files++;
			n_events += st.n_prev_gtids;
			if (strstr(st.first_error, "PREVIOUS_GTIDS") != NULL)
			{
				bad++;
				printf("# %s: %s\n", files[i], st.first_error);
			}
		}
		else if (strstr(st.first_error, "PREVIOUS_GTIDS") != NULL &&
				 strstr(files[i], "truncated") == NULL)
		{
			bad++;
			printf("# %s: %s\n", files[i], st.first_error);
		}
		for (int k = 0; prev_gtids_expected[k].file; k++)
		{
			char		set[2048];

			if (strcmp(prev_gtids_expected[k].file, files[i]) != 0)
				continue;
			set[0] = '\0';
			if (st.prev_gtids)
				format_gtid_set(st.prev_gtids, set, sizeof(set));
			check(strcmp(set, prev_gtids_expected[k].set) == 0,
				  "%s PREVIOUS_GTIDS is \"%s\"", files[i], set);
		}
		stats_free(&st);
next:
		free(files[i]);
	}
	free(files);
	check(n_events > 0 && bad == 0,
		  "%d PREVIOUS_GTIDS events in %d sample files decode (%d failures)",
		  n_events, n_files, bad);
}

/* Write a 19-byte event header for an event of body_len bytes. */
static void
put_header(uint8_t *buf, int type, size_t body_len, uint32_t log_pos)
{
	uint32_t	size = (uint32_t) (19 + body_len);

	memset(buf, 0, 19);
	buf[4] = (uint8_t) type;
	buf[5] = 1;
	memcpy(buf + 9, (uint8_t[]) {size, size >> 8, size >> 16, size >> 24}, 4);
	memcpy(buf + 13,
		   (uint8_t[]) {log_pos, log_pos >> 8, log_pos >> 16, log_pos >> 24}, 4);
}

/*
 * Build a QUERY_COMPRESSED event for db "test" and the query text, with
 * zlib; *len receives its size.  mangle: 0 none, 1 corrupt the zlib data,
 * 2 announce one byte more, 3 announce a zero-byte length, 4 unknown
 * algorithm.
 */
static size_t
make_query_compressed(uint8_t *buf, const char *query, int mangle)
{
	uint8_t    *b = buf + 19;
	size_t		qlen = strlen(query);
	uLongf		zlen = 1024;
	size_t		pos;

	memset(b, 0, 13);
	b[8] = 4;					/* db length */
	memcpy(b + 13, "test", 5);
	pos = 18;
	b[pos] = 0x80 | 2;			/* zlib, 2 length bytes */
	b[pos + 1] = (uint8_t) ((qlen + (mangle == 2)) >> 8);
	b[pos + 2] = (uint8_t) (qlen + (mangle == 2));
	if (mangle == 3)
		b[pos] = 0x80;
	if (mangle == 4)
		b[pos] |= 0x10;
	compress2(b + pos + 3, &zlen, (const Bytef *) query, qlen, 9);
	if (mangle == 1)
		b[pos + 3 + zlen / 2] ^= 0x55;
	pos += 3 + zlen;
	put_header(buf, BINLOG_MARIADB_QUERY_COMPRESSED_EVENT, pos, 1000);
	return 19 + pos;
}

/* Synthetic MariaDB compressed query events, good and damaged. */
static void
test_synthetic_query_compressed(void)
{
	const char *query = "INSERT INTO t VALUES (1, 'a compressed query'), (2, 'a compressed query')";
	uint8_t		buf[2048];
	size_t		len;
	BinlogFormat fmt;
	BinlogEvent ev;
	BinlogDecompressed d;
	BinlogQuery q;
	BinlogError err;
	bool		ok;
	static const char *const what[] = {
		"", "corrupt zlib data", "a length one byte too long",
		"a zero-byte length field", "an unknown algorithm"
	};

	binlog_format_init(&fmt, BINLOG_CHECKSUM_OFF);
	len = make_query_compressed(buf, query, 0);
	ok = binlog_frame_event(&fmt, buf, len, false, &ev, &err) &&
		binlog_decompress_event(&fmt, &ev, &d, &err);
	check(ok, "synthetic QUERY_COMPRESSED event uncompresses%s%s",
		  ok ? "" : ": ", ok ? "" : err.message);
	if (ok)
	{
		check(d.event.header.type == BINLOG_QUERY_EVENT &&
			  d.event.header.event_size == d.len &&
			  d.len == 19 + 18 + strlen(query) && d.buf[4] == 2,
			  "synthetic QUERY_COMPRESSED event becomes a QUERY event of %zu bytes",
			  d.len);
		ok = binlog_decode_query(&fmt, &d.event, &q, &err);
		check(ok && q.query_len == strlen(query) &&
			  memcmp(q.query, query, q.query_len) == 0 && q.db_len == 4 &&
			  memcmp(q.db, "test", 4) == 0,
			  "synthetic QUERY_COMPRESSED event has its query and database");
		binlog_decompressed_free(&d);
	}
	for (int m = 1; m <= 4; m++)
	{
		len = make_query_compressed(buf, query, m);
		ok = binlog_frame_event(&fmt, buf, len, false, &ev, &err) &&
			!binlog_decompress_event(&fmt, &ev, &d, &err);
		check(ok && strstr(err.message, "at offset") != NULL,
			  "QUERY_COMPRESSED event with %s fails: %s", what[m],
			  err.message);
	}
}

/*
 * Build a TRANSACTION_PAYLOAD event around a BEGIN query and an XID
 * event, compressed with zstd or not.  extra_size is added to the
 * announced uncompressed size.
 */
static size_t
make_payload(uint8_t *buf, bool zstd, int extra_size)
{
	uint8_t		inner[256];
	size_t		ilen;
	uint8_t		z[512];
	size_t		zlen;
	uint8_t    *b = buf + 19;
	size_t		pos = 0;
	const uint8_t *payload;

	/* BEGIN: 13-byte post-header, empty db, query */
	memset(inner, 0, 19 + 13);
	memcpy(inner + 19 + 13, "\0BEGIN", 6);
	put_header(inner, BINLOG_QUERY_EVENT, 13 + 6, 0);
	ilen = 19 + 13 + 6;
	put_header(inner + ilen, BINLOG_XID_EVENT, 8, 0);
	memcpy(inner + ilen + 19, "\x2a\0\0\0\0\0\0\0", 8);
	ilen += 19 + 8;

	if (zstd)
	{
		zlen = ZSTD_compress(z, sizeof(z), inner, ilen, 3);
		payload = z;
	}
	else
	{
		zlen = ilen;
		payload = inner;
	}
	b[pos++] = 2;				/* compression type */
	if (zstd)
	{
		b[pos++] = 1;
		b[pos++] = 0;
		b[pos++] = 3;			/* uncompressed size */
		b[pos++] = 1;
		b[pos++] = (uint8_t) (ilen + extra_size);
	}
	else
	{
		b[pos++] = 3;
		b[pos++] = 0xfc;
		b[pos++] = 0xff;
		b[pos++] = 0x00;
	}
	b[pos++] = 9;				/* a field unknown to the decoder */
	b[pos++] = 2;
	b[pos++] = 0xaa;
	b[pos++] = 0xbb;
	b[pos++] = 1;				/* payload size */
	b[pos++] = 1;
	b[pos++] = (uint8_t) zlen;
	b[pos++] = 0;				/* end of the fields */
	memcpy(b + pos, payload, zlen);
	pos += zlen;
	put_header(buf, BINLOG_TRANSACTION_PAYLOAD_EVENT, pos, 5000);
	return 19 + pos;
}

/* Synthetic TRANSACTION_PAYLOAD events: zstd, uncompressed, damaged. */
static void
test_synthetic_payload(void)
{
	uint8_t		buf[1024];
	size_t		len;
	BinlogFormat fmt;
	BinlogEvent ev;
	BinlogEvent inner;
	BinlogPayloadCursor cur;
	BinlogError err;

	binlog_format_init(&fmt, BINLOG_CHECKSUM_CRC32);
	for (int zstd = 0; zstd <= 1; zstd++)
	{
		int			n = 0;
		bool		ok;
		BinlogQuery q;
		uint64_t	xid = 0;
		bool		good = true;

		len = make_payload(buf, zstd, 0);
		/* the outer event carries no checksum here */
		fmt.checksum_alg = BINLOG_CHECKSUM_OFF;
		ok = binlog_frame_event(&fmt, buf, len, false, &ev, &err);
		fmt.checksum_alg = BINLOG_CHECKSUM_CRC32;
		ok = ok && binlog_payload_open(&cur, &fmt, &ev, &err);
		check(ok, "synthetic %s payload opens%s%s",
			  zstd ? "zstd" : "uncompressed", ok ? "" : ": ",
			  ok ? "" : err.message);
		if (!ok)
			continue;
		check(cur.payload.compression_type ==
			  (zstd ? BINLOG_PAYLOAD_ZSTD : BINLOG_PAYLOAD_NONE) &&
			  cur.format.checksum_alg == BINLOG_CHECKSUM_OFF,
			  "synthetic payload's compression type and inner format");
		while (binlog_payload_next(&cur, &inner, &err))
		{
			n++;
			if (n == 1)
				good &= binlog_decode_query(&cur.format, &inner, &q, &err) &&
					q.query_len == 5 && memcmp(q.query, "BEGIN", 5) == 0;
			else if (n == 2)
				good &= binlog_decode_xid(&cur.format, &inner, &xid, &err) &&
					xid == 42;
		}
		check(n == 2 && good && err.message[0] == '\0',
			  "synthetic %s payload holds BEGIN and XID 42 (%d events)",
			  zstd ? "zstd" : "uncompressed", n);
		binlog_payload_close(&cur);
	}

	fmt.checksum_alg = BINLOG_CHECKSUM_OFF;
	len = make_payload(buf, true, 1);
	check(binlog_frame_event(&fmt, buf, len, false, &ev, &err) &&
		  !binlog_payload_open(&cur, &fmt, &ev, &err) &&
		  strstr(err.message, "offset") != NULL,
		  "payload with a wrong uncompressed size fails: %s", err.message);
	len = make_payload(buf, true, 0);
	buf[len - 3] ^= 0xff;
	check(binlog_frame_event(&fmt, buf, len, false, &ev, &err) &&
		  !binlog_payload_open(&cur, &fmt, &ev, &err) &&
		  strstr(err.message, "offset") != NULL,
		  "payload with corrupt zstd data fails: %s", err.message);
	len = make_payload(buf, false, 0);
	put_header(buf, BINLOG_TRANSACTION_PAYLOAD_EVENT, len - 19 - 1, 5000);
	check(binlog_frame_event(&fmt, buf, len - 1, false, &ev, &err) &&
		  !binlog_payload_open(&cur, &fmt, &ev, &err) &&
		  strstr(err.message, "offset") != NULL,
		  "payload shorter than its payload size fails: %s", err.message);
}

/*
 * MariaDB's compressed events, from a binlog made on the spot by a local
 * server (see mariadb_compressed.sh); skipped when there is none.
 */
static void
test_mariadb_compressed(void)
{
	const char *script = getenv("MARIADB_COMPRESSED_SCRIPT");
	char		dir[] = "/tmp/payload_test.XXXXXX";
	char		path[256];
	char		cmd[1024];
	int			rc;
	Stats		st;

	if (script == NULL)
		script = "./mariadb_compressed.sh";
	if (mkdtemp(dir) == NULL)
	{
		check(false, "cannot make a temporary directory");
		return;
	}
	snprintf(path, sizeof(path), "%s/mariadb-bin.000001", dir);
	snprintf(cmd, sizeof(cmd), "%s %s >%s/log 2>&1", script, path, dir);
	rc = system(cmd);
	if (rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 77)
	{
		printf("skip - no MariaDB server installed: MariaDB compressed events are only tested synthetically\n");
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		(void) system(cmd);
		return;
	}
	check(rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 0,
		  "a local MariaDB server wrote a binlog with log_bin_compress=ON");
	if (rc != 0)
	{
		snprintf(cmd, sizeof(cmd), "cat %s/log; rm -rf %s", dir, dir);
		(void) system(cmd);
		return;
	}

	decode_file(path, &st);
	check(st.errors == 0, "MariaDB compressed binlog decodes without error%s%s",
		  st.errors ? ": " : "", st.first_error);
	check(st.compressed >= 6,
		  "MariaDB binlog has compressed query and rows events (%d)",
		  st.compressed);
	check(st.rows_events == 5 && st.rows == 7,
		  "MariaDB compressed binlog has 5 rows events of 7 rows (%d, %d)",
		  st.rows_events, st.rows);
	check(has_line(&st, "INSERT ctest.t: 2|second row|-7.25|NULL|1999-12-31 23:59:59.500000"),
		  "uncompressed INSERT of row 2");
	check(has_line_prefix(&st, "INSERT ctest.t: 1|first row of the compressed binlog test|12.50|abcabc") &&
		  has_line_prefix(&st, "UPDATE ctest.t: 1|"),
		  "uncompressed INSERT and UPDATE of row 1");
	check(has_line(&st, "UPDATE ctest.t: 2|second row|-7.25|NULL|1999-12-31 23:59:59.500000 -> 2|second row updated|-14.50|NULL|1999-12-31 23:59:59.500000"),
		  "uncompressed UPDATE of row 2");
	check(has_line(&st, "DELETE ctest.t: 3|third row|0.00|x|NULL"),
		  "uncompressed DELETE of row 3");
	check(has_line(&st, "QUERY ALTER TABLE t ADD COLUMN extra INT DEFAULT 42") &&
		  has_line(&st, "INSERT ctest.t: 4|after the alter table statement|NULL|NULL|NULL|42"),
		  "uncompressed ALTER TABLE and the INSERT after it");
	stats_free(&st);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	(void) system(cmd);
}

int
main(int argc, char **argv)
{
	const char *data = argc > 1 ? argv[1] : getenv("BINLOG_TEST_DATA");
	struct stat st;

	if (data == NULL)
		data = "../shared/data";

	if (stat(data, &st) != 0 || !S_ISDIR(st.st_mode))
		printf("skip - test data directory %s is absent\n", data);
	else
	{
		test_mysql_payload(data);
		test_tagged_gtids(data);
		test_previous_gtids(data);
	}
	test_synthetic_query_compressed();
	test_synthetic_payload();
	test_mariadb_compressed();
	return check_summary();
}
