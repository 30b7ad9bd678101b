/*-------------------------------------------------------------------------
 *
 * binlog_test.c
 *	  Unit tests of the binlog decoder against binlogs written by real
 *	  MySQL and MariaDB servers and against known cell encodings.
 *
 * Usage: binlog_test [DATA_DIR]
 *
 * DATA_DIR (or $BINLOG_TEST_DATA, default ../shared/data relative to the
 * repository root) holds mysql-binlogs/ and value-vectors/.  The test
 *	- reads every binlog file to its end, decoding every event the decoder
 *	  knows and every row of every rows event; files that are corrupt on
 *	  purpose must fail with an error naming the offset;
 *	- compares every row image with what mariadb-binlog -vv printed for
 *	  the same file, cell by cell;
 *	- decodes the cells of value-vectors/ and compares their text.
 * It prints one line per check and ends with "N passed, N failed".
 *
 *-------------------------------------------------------------------------
 */
#define _POSIX_C_SOURCE 200809L

#include "binlog.h"
#include "check.h"

#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_TABLES	256
#define MAX_IMAGES	20000
#define MAX_CELLS	64

/*
 * Files that are broken on purpose (see the data's README and
 * _decoded/_binlog_table.md): reading them must fail.
 */
static const char *const corrupt_files[] = {
	"rust_mysql_common/binlog_truncated_event.000001",
	"rust_mysql_common/binlog_truncated_prev_gtid_event.000001",
	"rust_mysql_common/corrupt-relay-bin.000624",
	"rust_mysql_common/ver_5_1-wl2325_r.001",
	"alibaba-canal/tsdb/mysql-bin.000001",
	NULL
};

static bool
is_corrupt_file(const char *rel)
{
	for (int i = 0; corrupt_files[i]; i++)
		if (strcmp(rel, corrupt_files[i]) == 0)
			return true;
	return false;
}

/* ---- one row image, as decoded text per column, for comparison ---- */

typedef struct Cell
{
	int			col;			/* 1-based */
	char	   *text;			/* malloc'd; normalized text */
} Cell;

typedef struct Image
{
	int			ncells;
	Cell		cells[MAX_CELLS];
} Image;

typedef struct ImageList
{
	int			n;
	Image	   *images;
} ImageList;

static Image *
image_add(ImageList *list)
{
	if (list->n >= MAX_IMAGES)
		return NULL;
	if (list->images == NULL)
		list->images = calloc(MAX_IMAGES, sizeof(Image));
	list->images[list->n].ncells = 0;
	return &list->images[list->n++];
}

static void
image_list_free(ImageList *list)
{
	for (int i = 0; i < list->n; i++)
		for (int k = 0; k < list->images[i].ncells; k++)
			free(list->images[i].cells[k].text);
	free(list->images);
	list->images = NULL;
	list->n = 0;
}

static void
cell_add(Image *img, int col, const char *text)
{
	if (img == NULL || img->ncells >= MAX_CELLS)
		return;
	img->cells[img->ncells].col = col;
	img->cells[img->ncells].text = strdup(text);
	img->ncells++;
}

/*
 * Render a decoded value the way mariadb-binlog -vv prints it, after the
 * normalization applied to its output by parse_expected_value: strings
 * and temporal values without quotes, BIT and SET as binary digits turned
 * into a number, TIMESTAMP as seconds since the epoch.
 */
static void
render_value(const BinlogValue *v, char *out, size_t outlen)
{
	bool		zero;

	switch (v->kind)
	{
		case BINLOG_VALUE_NULL:
			snprintf(out, outlen, "NULL");
			return;
		case BINLOG_VALUE_STRING:
		case BINLOG_VALUE_BYTES:
		case BINLOG_VALUE_JSON:
		case BINLOG_VALUE_GEOMETRY:
		case BINLOG_VALUE_VECTOR:
			{
				size_t		n = v->str.len < outlen - 1 ? v->str.len : outlen - 1;

				memcpy(out, v->str.ptr, n);
				out[n] = '\0';
				return;
			}
		case BINLOG_VALUE_TIMESTAMP:
			if (v->ts.fsp > 0)
			{
				char		frac[8];

				snprintf(frac, sizeof(frac), "%06d", v->ts.usec);
				frac[v->ts.fsp] = '\0';
				snprintf(out, outlen, "%lld.%s", (long long) v->ts.sec, frac);
			}
			else
				snprintf(out, outlen, "%lld", (long long) v->ts.sec);
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

/*
 * Normalize one value as mariadb-binlog printed it: unquote and unescape
 * strings, turn b'0101' into a number, and for integers printed as
 * "signed (unsigned)" keep the unsigned form when want_unsigned.
 */
static void
parse_expected_value(const char *s, bool want_unsigned, char *out,
					 size_t outlen)
{
	size_t		o = 0;

	if (s[0] == '\'')
	{
		size_t		len = strlen(s);

		/* the value runs to the last quote */
		while (len > 1 && s[len - 1] != '\'')
			len--;
		for (size_t i = 1; i + 1 < len && o + 1 < outlen; i++)
		{
			if (s[i] == '\\' && s[i + 1] == 'x' && i + 3 < len &&
				isxdigit((unsigned char) s[i + 2]) &&
				isxdigit((unsigned char) s[i + 3]))
			{
				char		hex[3] = {s[i + 2], s[i + 3], 0};

				out[o++] = (char) strtol(hex, NULL, 16);
				i += 3;
			}
			else
				out[o++] = s[i];
		}
		out[o] = '\0';
		return;
	}
	if (s[0] == 'b' && s[1] == '\'')
	{
		unsigned long long v = 0;

		for (const char *p = s + 2; *p == '0' || *p == '1'; p++)
			v = v * 2 + (*p - '0');
		snprintf(out, outlen, "%llu", v);
		return;
	}
	snprintf(out, outlen, "%s", s);
	/* "signed (unsigned)" */
	{
		char	   *paren = strchr(out, '(');

		if (paren && want_unsigned)
		{
			char	   *close = strchr(paren, ')');

			if (close)
			{
				*close = '\0';
				memmove(out, paren + 1, strlen(paren + 1) + 1);
			}
		}
		else if (paren)
		{
			while (paren > out && paren[-1] == ' ')
				paren--;
			*paren = '\0';
		}
	}
}

/*
 * Read the images mariadb-binlog printed for a file.  Each cell is kept
 * raw (quotes and all); normalization happens when comparing, once the
 * decoded kind is known.
 */
static bool
read_expected(const char *path, ImageList *list)
{
	FILE	   *fp = fopen(path, "r");
	char	   *line = NULL;
	size_t		cap = 0;
	Image	   *cur = NULL;

	if (fp == NULL)
		return false;
	while (getline(&line, &cap, fp) > 0)
	{
		if (strncmp(line, "### SET", 7) == 0 ||
			strncmp(line, "### WHERE", 9) == 0)
			cur = image_add(list);
		else if (strncmp(line, "###   @", 7) != 0)
			cur = NULL;
		else if (strncmp(line, "###   @", 7) == 0 && cur)
		{
			int			col = atoi(line + 7);
			char	   *eq = strchr(line, '=');
			char	   *comment = strstr(line, "/* ");
			char	   *last;

			if (eq == NULL || comment == NULL)
				continue;
			/* the type comment is the last one on the line */
			while ((last = strstr(comment + 3, "/* ")) != NULL)
				comment = last;
			*comment = '\0';
			eq++;
			{
				size_t		n = strlen(eq);

				while (n > 0 && eq[n - 1] == ' ')
					eq[--n] = '\0';
			}
			cell_add(cur, col, eq);
		}
	}
	/*
	 * The stored outputs are cut off at a size limit; an image still open
	 * at the end of the file may have lost cells, so it is not compared.
	 */
	if (cur != NULL)
	{
		for (int k = 0; k < cur->ncells; k++)
			free(cur->cells[k].text);
		list->n--;
	}
	free(line);
	fclose(fp);
	return true;
}

/* Compare two numbers given as text within a relative tolerance. */
static bool
same_number(const char *a, const char *b, double tolerance)
{
	double		x = strtod(a, NULL);
	double		y = strtod(b, NULL);

	if (x == y)
		return true;
	return fabs(x - y) <= tolerance * fmax(fabs(x), fabs(y));
}

/* ---- reading whole files ---- */

typedef struct FileResult
{
	bool		failed;
	char		error[600];
	int			events;
	int			rows;
	ImageList	images;			/* decoded images as raw values */
	/* kinds of the decoded cells, parallel to images */
	int			nkinds;
	uint8_t    *kinds;
	/* the distinct sql_modes of the QUERY events, and events without one */
	int			nsql_modes;
	uint64_t	sql_modes[32];
	int			queries_without_sql_mode;
} FileResult;

static void
note_sql_mode(FileResult *res, const BinlogQuery *q)
{
	if (!q->has_sql_mode)
	{
		res->queries_without_sql_mode++;
		return;
	}
	for (int i = 0; i < res->nsql_modes; i++)
		if (res->sql_modes[i] == q->sql_mode)
			return;
	if (res->nsql_modes < 32)
		res->sql_modes[res->nsql_modes++] = q->sql_mode;
}

/*
 * Check the sql_modes decoded from a file against the ones mariadb-binlog
 * printed for it ("SET @@session.sql_mode=N" at each change): every value
 * it printed was decoded.  It stops printing at events it cannot read
 * (MySQL 9's), so the decoder may find more.
 */
static void
compare_sql_modes(const char *name, const char *expected, const FileResult *res)
{
	FILE	   *f = fopen(expected, "r");
	char		line[8192];
	uint64_t	printed[32];
	int			nprinted = 0;
	bool		same = true;

	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL)
	{
		const char *p = strstr(line, "SET @@session.sql_mode=");
		uint64_t	v;
		bool		seen = false;

		if (p == NULL)
			continue;
		v = strtoull(p + strlen("SET @@session.sql_mode="), NULL, 10);
		for (int i = 0; i < nprinted; i++)
			seen |= printed[i] == v;
		if (!seen && nprinted < 32)
			printed[nprinted++] = v;
	}
	fclose(f);
	if (nprinted == 0)
		return;
	same = res->queries_without_sql_mode == 0;
	for (int i = 0; same && i < nprinted; i++)
	{
		bool		found = false;

		for (int j = 0; j < res->nsql_modes; j++)
			found |= res->sql_modes[j] == printed[i];
		same = found;
	}
	check(same, "%s: the QUERY events' sql_modes include mariadb-binlog's "
		  "%d (%d distinct, %d events without one)", name, nprinted,
		  res->nsql_modes, res->queries_without_sql_mode);
}

static BinlogTableMap *
find_map(BinlogTableMap **maps, int nmaps, uint64_t id)
{
	for (int i = 0; i < nmaps; i++)
		if (maps[i]->table_id == id)
			return maps[i];
	return NULL;
}

/* Remember a decoded image as text, kind by kind, for comparison. */
static void
keep_image(FileResult *res, const BinlogTableMap *map, const BinlogValue *vals)
{
	Image	   *img = image_add(&res->images);

	if (img == NULL)
		return;
	for (int i = 0; i < map->ncols && i < MAX_CELLS; i++)
	{
		char		text[4096];
		char		tagged[4200];

		if (vals[i].kind == BINLOG_VALUE_ABSENT)
			continue;
		render_value(&vals[i], text, sizeof(text));
		/* prefix the kind so the comparison knows how to normalize */
		snprintf(tagged, sizeof(tagged), "%c%s",
				 'A' + (int) vals[i].kind, text);
		cell_add(img, i + 1, tagged);
	}
}

/*
 * Read one binlog file to its end, decoding every event of the kinds the
 * decoder handles.  Events inside compressed payloads (MySQL
 * TRANSACTION_PAYLOAD, MariaDB compressed events) are skipped by type.
 */
static void
read_file(const char *path, FileResult *res)
{
	BinlogFileReader reader;
	BinlogError err;
	BinlogEvent ev;
	BinlogTableMap *maps[MAX_TABLES];
	int			nmaps = 0;

	memset(res, 0, sizeof(*res));
	if (!binlog_file_open(&reader, path, &err))
	{
		res->failed = true;
		snprintf(res->error, sizeof(res->error), "%s", err.message);
		return;
	}
	for (;;)
	{
		uint64_t	off = reader.offset;
		const BinlogFormat *fmt = &reader.format;
		int			rc = binlog_file_next(&reader, &ev, &err);
		bool		ok = true;

		if (rc == 0)
			break;
		if (rc < 0)
		{
			res->failed = true;
			snprintf(res->error, sizeof(res->error), "%s", err.message);
			break;
		}
		res->events++;
		switch (ev.header.type)
		{
			case BINLOG_ROTATE_EVENT:
				{
					BinlogRotate rot;

					ok = binlog_decode_rotate(fmt, &ev, &rot, &err);
					break;
				}
			case BINLOG_QUERY_EVENT:
				{
					BinlogQuery q;

					ok = binlog_decode_query(fmt, &ev, &q, &err);
					if (ok)
						note_sql_mode(res, &q);
					break;
				}
			case BINLOG_XID_EVENT:
				{
					uint64_t	xid;

					ok = binlog_decode_xid(fmt, &ev, &xid, &err);
					break;
				}
			case BINLOG_GTID_EVENT:
			case BINLOG_ANONYMOUS_GTID_EVENT:
			case BINLOG_MARIADB_GTID_EVENT:
				{
					BinlogGtid g;

					ok = binlog_decode_gtid(fmt, &ev, &g, &err);
					break;
				}
			case BINLOG_TABLE_MAP_EVENT:
				{
					BinlogTableMap *map = binlog_decode_table_map(fmt, &ev, &err);
					BinlogTableMap *old;

					if (map == NULL)
					{
						ok = false;
						break;
					}
					old = find_map(maps, nmaps, map->table_id);
					if (old)
					{
						for (int i = 0; i < nmaps; i++)
							if (maps[i] == old)
								maps[i] = map;
						free(old);
					}
					else if (nmaps < MAX_TABLES)
						maps[nmaps++] = map;
					else
						free(map);
					break;
				}
			case BINLOG_WRITE_ROWS_EVENT_V1:
			case BINLOG_UPDATE_ROWS_EVENT_V1:
			case BINLOG_DELETE_ROWS_EVENT_V1:
			case BINLOG_WRITE_ROWS_EVENT:
			case BINLOG_UPDATE_ROWS_EVENT:
			case BINLOG_DELETE_ROWS_EVENT:
				{
					BinlogRowsEvent rows;
					BinlogRowsCursor cur;
					BinlogTableMap *map;
					BinlogValue *before,
							   *after;

					if (!binlog_decode_rows_header(fmt, &ev, &rows, &err))
					{
						ok = false;
						break;
					}
					map = find_map(maps, nmaps, rows.table_id);
					if (map == NULL)
					{
						snprintf(err.message, sizeof(err.message),
								 "no table map for table id %llu",
								 (unsigned long long) rows.table_id);
						ok = false;
						break;
					}
					before = calloc(map->ncols + 1, sizeof(BinlogValue));
					after = calloc(map->ncols + 1, sizeof(BinlogValue));
					binlog_rows_cursor_init(&cur, &rows, map);
					while (binlog_rows_next(&cur, before, after, &err))
					{
						res->rows++;
						keep_image(res, map, before);
						if (rows.kind == BINLOG_ROWS_UPDATE)
							keep_image(res, map, after);
					}
					if (err.message[0])
						ok = false;
					free(before);
					free(after);
					break;
				}
			default:
				/* compressed payloads and everything else: skipped */
				break;
		}
		if (!ok)
		{
			res->failed = true;
			snprintf(res->error, sizeof(res->error),
					 "%s event at offset %llu: %s",
					 binlog_event_type_name(ev.header.type),
					 (unsigned long long) off, err.message);
			break;
		}
	}
	for (int i = 0; i < nmaps; i++)
		free(maps[i]);
	binlog_file_close(&reader);
}

/* Does the file start with the binlog magic? */
static bool
has_magic(const char *path)
{
	FILE	   *fp = fopen(path, "rb");
	unsigned char b[4];
	bool		ok;

	if (fp == NULL)
		return false;
	ok = fread(b, 1, 4, fp) == 4 && b[0] == 0xfe && b[1] == 'b' &&
		b[2] == 'i' && b[3] == 'n';
	fclose(fp);
	return ok;
}

/*
 * Compare the decoded images of a file with the ones mariadb-binlog
 * printed: one check per image.  mariadb-binlog stops at rows it cannot
 * print (JSON, VECTOR), so only as many images as it printed are compared.
 */
static void
compare_with_expected(const char *rel, const char *expected_path,
					  FileResult *res)
{
	ImageList	exp = {0};

	if (!read_expected(expected_path, &exp))
		return;
	if (exp.n > res->images.n)
		check(false, "%s: mariadb-binlog printed %d row images, decoded %d",
			  rel, exp.n, res->images.n);
	for (int i = 0; i < exp.n && i < res->images.n; i++)
	{
		Image	   *e = &exp.images[i];
		Image	   *d = &res->images.images[i];
		char		why[600] = "";
		bool		ok = e->ncells == d->ncells;

		if (!ok)
			snprintf(why, sizeof(why), ": %d cells expected, %d decoded",
					 e->ncells, d->ncells);
		for (int k = 0; ok && k < e->ncells; k++)
		{
			int			kind = d->cells[k].text[0] - 'A';
			const char *got = d->cells[k].text + 1;
			char		want[4096];

			parse_expected_value(e->cells[k].text,
								 kind == BINLOG_VALUE_UINT, want,
								 sizeof(want));
			/* mariadb-binlog prints dates with colons */
			if (kind == BINLOG_VALUE_DATE)
				for (char *p = want; *p; p++)
					if (*p == ':')
						*p = '-';
			if (e->cells[k].col != d->cells[k].col)
				ok = false;
			else if (kind == BINLOG_VALUE_FLOAT)
				ok = same_number(want, got, 1e-6);
			else if (kind == BINLOG_VALUE_DOUBLE)
				ok = same_number(want, got, 1e-14);
			else
				ok = strcmp(want, got) == 0;
			if (!ok)
				snprintf(why, sizeof(why), ": @%d expected %.200s, decoded %.200s",
						 e->cells[k].col, want, got);
		}
		check(ok, "%s: row image %d matches mariadb-binlog (%d cells)%s",
			  rel, i + 1, e->ncells, why);
	}
	image_list_free(&exp);
}

/* Part (1) and the mariadb-binlog comparisons. */
static void
test_binlog_files(const char *data)
{
	char		root[1024];
	char	  **files = NULL;
	int			nfiles;

	snprintf(root, sizeof(root), "%s/mysql-binlogs", data);
	nfiles = list_data_files(root, &files);
	if (nfiles == 0)
	{
		printf("skip - no binlog files under %s\n", root);
		return;
	}
	for (int i = 0; i < nfiles; i++)
	{
		char		path[2048];
		char		expected[4096];
		char		flat[1024];
		FileResult res;
		bool		corrupt = is_corrupt_file(files[i]);

		snprintf(path, sizeof(path), "%s/%s", root, files[i]);
		if (!corrupt && !has_magic(path))
		{
			free(files[i]);
			continue;
		}
		read_file(path, &res);
		if (corrupt)
			check(res.failed && strstr(res.error, "offset") != NULL,
				  "%s is rejected: %s", files[i],
				  res.failed ? res.error : "no error");
		else
		{
			check(!res.failed, "%s: %d events, %d rows%s%s", files[i],
				  res.events, res.rows, res.failed ? ": " : "", res.error);
			snprintf(flat, sizeof(flat), "%s", files[i]);
			for (char *p = flat; *p; p++)
				if (*p == '/')
					*p = '_';
			snprintf(expected, sizeof(expected),
					 "%s/_decoded/%s.mariadb-binlog.txt", root, flat);
			if (!res.failed)
			{
				compare_with_expected(files[i], expected, &res);
				compare_sql_modes(files[i], expected, &res);
			}
		}
		image_list_free(&res.images);
		free(files[i]);
	}
	free(files);
}

/* ---- value vectors ---- */

/*
 * Decode the cells of one value-vector file.  "kind" selects the layout:
 * 'd' DECIMAL with consumed bytes, 'D' DECIMAL, 't' DATETIME2, 'T' TIME2,
 * 'u' unsigned integers.
 */
static void
test_vector_file(const char *data, const char *name, char kind)
{
	char		path[2048];
	FILE	   *fp;
	char	   *line = NULL;
	size_t		cap = 0;
	bool		header = true;

	snprintf(path, sizeof(path), "%s/value-vectors/%s", data, name);
	fp = fopen(path, "r");
	if (fp == NULL)
	{
		printf("skip - %s not found\n", path);
		return;
	}
	while (getline(&line, &cap, fp) > 0)
	{
		char	   *f[8];
		int			nf;
		uint8_t		bytes[128];
		size_t		nbytes,
					used = 0;
		int			type;
		uint16_t	meta = 0;
		bool		uns = false;
		const char *want;
		long		want_used = -1;
		BinlogValue v;
		BinlogError err;
		char		got[128] = "";
		bool		ok,
					zero;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		nf = split_tabs(line, f, 8);
		if (header)
		{
			header = false;
			continue;
		}
		if (kind == 'u')
		{
			if (nf < 3)
				continue;
			nbytes = parse_hex(f[1], bytes, sizeof(bytes));
			want = f[2];
			uns = true;
			type = strcmp(f[0], "TINY") == 0 ? BINLOG_TYPE_TINY :
				strcmp(f[0], "SHORT") == 0 ? BINLOG_TYPE_SHORT :
				strcmp(f[0], "INT24") == 0 ? BINLOG_TYPE_INT24 :
				strcmp(f[0], "LONG") == 0 ? BINLOG_TYPE_LONG :
				BINLOG_TYPE_LONGLONG;
		}
		else if (kind == 'd' || kind == 'D')
		{
			if (nf < 4)
				continue;
			nbytes = parse_hex(f[0], bytes, sizeof(bytes));
			type = BINLOG_TYPE_NEWDECIMAL;
			meta = (uint16_t) ((atoi(f[1]) << 8) | atoi(f[2]));
			want = f[3];
			if (kind == 'd' && nf >= 5)
				want_used = atol(f[4]);
		}
		else
		{
			if (nf < 3)
				continue;
			nbytes = parse_hex(f[0], bytes, sizeof(bytes));
			type = kind == 't' ? BINLOG_TYPE_DATETIME2 : BINLOG_TYPE_TIME2;
			meta = (uint16_t) atoi(f[1]);
			want = kind == 't' ? f[3] : f[2];
			if (kind == 't' && nf < 4)
				continue;
		}
		ok = binlog_decode_cell(type, meta, uns, -1, bytes, nbytes, &v,
								&used, &err);
		if (ok)
			ok = binlog_value_to_text(&v, got, sizeof(got), &zero);
		else
			snprintf(got, sizeof(got), "error: %.100s", err.message);
		if (ok && kind != 'd' && kind != 'u' && want_used < 0 &&
			(kind == 'D' || kind == 't' || kind == 'T'))
			want_used = (long) nbytes;
		check(ok && strcmp(got, want) == 0 &&
			  (want_used < 0 || (long) used == want_used),
			  "%s: %s cell %s (meta %u) is %s, decoded %s (%zu bytes)",
			  name, binlog_column_type_name(type),
			  kind == 'u' ? f[1] : f[0], meta, want, got, used);
	}
	free(line);
	fclose(fp);
}

/* ---- hand-made cells: the types the sample files lack ---- */

static void
test_cell(int type, uint16_t meta, bool uns, int coll, const char *hex,
		  const char *want)
{
	uint8_t		bytes[64];
	size_t		n = parse_hex(hex, bytes, sizeof(bytes));
	size_t		used = 0;
	BinlogValue v;
	BinlogError err;
	char		got[256];
	bool		zero;
	bool		ok = binlog_decode_cell(type, meta, uns, coll, bytes, n, &v,
										&used, &err);

	if (!ok)
		snprintf(got, sizeof(got), "error: %.100s", err.message);
	else if (v.kind == BINLOG_VALUE_STRING || v.kind == BINLOG_VALUE_BYTES ||
			 v.kind == BINLOG_VALUE_VECTOR || v.kind == BINLOG_VALUE_JSON ||
			 v.kind == BINLOG_VALUE_GEOMETRY)
		snprintf(got, sizeof(got), "%s:%.*s",
				 v.kind == BINLOG_VALUE_BYTES ? "bytes" : "string",
				 (int) v.str.len, (const char *) v.str.ptr);
	else if (v.kind == BINLOG_VALUE_NULL)
		snprintf(got, sizeof(got), "NULL");
	else if (!binlog_value_to_text(&v, got, sizeof(got), &zero))
		snprintf(got, sizeof(got), "(no text)");
	check(ok ? strcmp(got, want) == 0 && used == n :
		  strncmp(want, "error", 5) == 0,
		  "%s cell %s (meta %u) is %s, decoded %s",
		  binlog_column_type_name(type), hex, meta, want, got);
}

static void
test_cells(void)
{
	/* INT24 sign extension, signed and unsigned */
	test_cell(BINLOG_TYPE_INT24, 0, false, -1, "ffffff", "-1");
	test_cell(BINLOG_TYPE_INT24, 0, true, -1, "ffffff", "16777215");
	test_cell(BINLOG_TYPE_INT24, 0, false, -1, "000080", "-8388608");
	test_cell(BINLOG_TYPE_LONGLONG, 0, false, -1, "0000000000000080",
			  "-9223372036854775808");
	test_cell(BINLOG_TYPE_FLOAT, 4, false, -1, "0000c03f", "1.5");
	test_cell(BINLOG_TYPE_DOUBLE, 8, false, -1, "9a9999999999b93f",
			  "0.10000000000000001");
	test_cell(BINLOG_TYPE_YEAR, 0, false, -1, "7b", "2023");
	test_cell(BINLOG_TYPE_YEAR, 0, false, -1, "00", "0000");
	/* DATE 2024-02-29: 2024 << 9 | 2 << 5 | 29 */
	test_cell(BINLOG_TYPE_DATE, 0, false, -1, "5dd00f", "2024-02-29");
	/* old TIME -12:34:56 = -123456 */
	test_cell(BINLOG_TYPE_TIME, 0, false, -1, "c01dfe", "-12:34:56");
	/* old DATETIME 2001-02-03 04:05:06 = 20010203040506 */
	test_cell(BINLOG_TYPE_DATETIME, 0, false, -1, "fa4a0bfd32120000",
			  "2001-02-03 04:05:06");
	test_cell(BINLOG_TYPE_TIMESTAMP, 0, false, -1, "00000000",
			  "1970-01-01 00:00:00+00");
	test_cell(BINLOG_TYPE_TIMESTAMP, 0, false, -1, "ffffff7f",
			  "2038-01-19 03:14:07+00");
	/* TIMESTAMP2(3): 1700000000.123 */
	test_cell(BINLOG_TYPE_TIMESTAMP2, 3, false, -1, "6553f10004ce",
			  "2023-11-14 22:13:20.123+00");
	test_cell(BINLOG_TYPE_TIMESTAMP2, 6, false, -1, "6553f1000f423f",
			  "2023-11-14 22:13:20.999999+00");
	test_cell(BINLOG_TYPE_VARCHAR, 10, false, 45, "03616263", "string:abc");
	test_cell(BINLOG_TYPE_VARCHAR, 300, false, 63, "0300616263",
			  "bytes:abc");
	test_cell(BINLOG_TYPE_VARCHAR, 10, false, -1, "05616263", "error");
	/* CHAR(4) latin1: STRING real type 0xfe, length 4 */
	test_cell(BINLOG_TYPE_STRING, 0xfe04, false, 8, "026869", "string:hi");
	/* ENUM of two bytes, SET of three bytes */
	test_cell(BINLOG_TYPE_STRING, 0xf702, false, -1, "0201", "258");
	test_cell(BINLOG_TYPE_STRING, 0xf803, false, -1, "050000", "5");
	/* BIT(10): one full byte plus two bits, big-endian */
	test_cell(BINLOG_TYPE_BIT, 0x0102, false, -1, "0301", "769");
	test_cell(BINLOG_TYPE_BLOB, 1, false, 63, "03616263", "bytes:abc");
	test_cell(BINLOG_TYPE_BLOB, 3, false, -1, "0200006869", "string:hi");
	test_cell(BINLOG_TYPE_BLOB, 4, false, -1, "ffffffff00", "error");
	test_cell(BINLOG_TYPE_VECTOR, 4, false, -1, "040000000000803f",
			  "string:\x00\x00\x80\x3f");
	test_cell(BINLOG_TYPE_NULL, 0, false, -1, "", "NULL");
	test_cell(BINLOG_TYPE_NEWDECIMAL, (65 << 8) | 30, false, -1,
			  "80000000000000000000000000000000000000000000000000",
			  "error");
	test_cell(BINLOG_TYPE_NEWDECIMAL, (66 << 8) | 0, false, -1, "80", "error");
	test_cell(BINLOG_TYPE_DECIMAL, 0, false, -1, "00", "error");
	test_cell(BINLOG_TYPE_TIME2, 7, false, -1, "800000", "error");
}

/*
 * DECIMAL(65,30) of the largest magnitude, built digit group by digit
 * group, both signs: the widest value the text buffer must hold.
 */
static void
test_decimal_65_30(void)
{
	uint8_t		b[40];
	size_t		n = 0;
	BinlogValue v;
	BinlogError err;
	size_t		used;
	char		want[80];
	bool		ok;

	/* 35 integer digits: 8 leading (4 bytes) + 3 groups; 30 fraction: 3 */
	b[n++] = 0x05; b[n++] = 0xf5; b[n++] = 0xe0; b[n++] = 0xff;	/* 99999999 */
	for (int g = 0; g < 6; g++)
	{
		b[n++] = 0x3b; b[n++] = 0x9a; b[n++] = 0xc9; b[n++] = 0xff;	/* 999999999 */
	}
	b[n++] = 0x27; b[n++] = 0x0f;	/* 9999, the 3 leftover fraction digits */
	/* 3 fraction digits take 2 bytes: value 999 = 0x03e7 */
	b[n - 2] = 0x03;
	b[n - 1] = 0xe7;
	b[0] |= 0x80;
	memset(want, '9', 35);
	want[35] = '.';
	memset(want + 36, '9', 30);
	want[66] = '\0';
	ok = binlog_decode_cell(BINLOG_TYPE_NEWDECIMAL, (65 << 8) | 30, false, -1,
							b, n, &v, &used, &err);
	check(ok && used == n && strcmp(v.decimal, want) == 0,
		  "DECIMAL(65,30) maximum decodes as %s", ok ? v.decimal : err.message);
	for (size_t i = 0; i < n; i++)
		b[i] ^= 0xff;
	ok = binlog_decode_cell(BINLOG_TYPE_NEWDECIMAL, (65 << 8) | 30, false, -1,
							b, n, &v, &used, &err);
	check(ok && v.decimal[0] == '-' && strcmp(v.decimal + 1, want) == 0,
		  "DECIMAL(65,30) minimum decodes as %s", ok ? v.decimal : err.message);
}

/* Framing: checksum verification, truncation, and the CRC itself. */
static void
test_framing(void)
{
	BinlogFormat fmt;
	BinlogEvent ev;
	BinlogError err;
	uint8_t		e[19 + 8 + 4];
	uint32_t	crc;
	uint64_t	xid;

	check(binlog_crc32(0, (const uint8_t *) "123456789", 9) == 0xcbf43926,
		  "crc32 of \"123456789\" is 0xcbf43926");

	binlog_format_init(&fmt, BINLOG_CHECKSUM_CRC32);
	memset(e, 0, sizeof(e));
	e[4] = BINLOG_XID_EVENT;
	e[9] = sizeof(e);
	e[13] = 100;				/* log_pos */
	e[19] = 42;
	crc = binlog_crc32(0, e, sizeof(e) - 4);
	e[27] = crc & 0xff;
	e[28] = (crc >> 8) & 0xff;
	e[29] = (crc >> 16) & 0xff;
	e[30] = (crc >> 24) & 0xff;
	check(binlog_frame_event(&fmt, e, sizeof(e), true, &ev, &err) &&
		  ev.body_len == 8 && binlog_decode_xid(&fmt, &ev, &xid, &err) &&
		  xid == 42, "framed XID with CRC32 decodes as 42");
	e[20] ^= 1;
	check(!binlog_frame_event(&fmt, e, sizeof(e), true, &ev, &err) &&
		  strstr(err.message, "checksum") != NULL,
		  "corrupted XID fails its checksum: %s", err.message);
	check(!binlog_frame_event(&fmt, e, sizeof(e) - 1, true, &ev, &err),
		  "short buffer is refused: %s", err.message);
	check(!binlog_read_header(e, 10, &ev.header, &err),
		  "short header is refused: %s", err.message);
}

int
main(int argc, char **argv)
{
	const char *data = argc > 1 ? argv[1] : getenv("BINLOG_TEST_DATA");
	struct stat st;

	if (data == NULL)
		data = "../shared/data";

	test_framing();
	test_cells();
	test_decimal_65_30();

	if (stat(data, &st) != 0 || !S_ISDIR(st.st_mode))
		printf("skip - test data directory %s is absent\n", data);
	else
	{
		test_vector_file(data, "go-mysql_newdecimal_vectors.tsv", 'd');
		test_vector_file(data, "go-mysql_newdecimal_vectors_2.tsv", 'D');
		test_vector_file(data, "go-mysql_datetime2_vectors.tsv", 't');
		test_vector_file(data, "go-mysql_time2_vectors.tsv", 'T');
		test_vector_file(data, "go-mysql_unsigned_int_vectors.tsv", 'u');
		test_binlog_files(data);
	}
	return check_summary();
}
