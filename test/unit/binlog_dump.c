/*-------------------------------------------------------------------------
 *
 * binlog_dump.c
 *	  Print every event and every row of a binlog file in readable text,
 *	  for debugging the decoder.  Usage: binlog_dump FILE...
 *
 *-------------------------------------------------------------------------
 */
#include "binlog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TABLES 64

/* Print one decoded cell. */
static void
print_value(const BinlogValue *v)
{
	char		text[128];
	bool		zero;

	switch (v->kind)
	{
		case BINLOG_VALUE_ABSENT:
			printf("(absent)");
			return;
		case BINLOG_VALUE_NULL:
			printf("NULL");
			return;
		case BINLOG_VALUE_STRING:
			printf("'%.*s' (collation %d)", (int) v->str.len,
				   (const char *) v->str.ptr, v->str.collation);
			return;
		case BINLOG_VALUE_BYTES:
		case BINLOG_VALUE_JSON:
		case BINLOG_VALUE_GEOMETRY:
		case BINLOG_VALUE_VECTOR:
			printf("%s x'",
				   v->kind == BINLOG_VALUE_BYTES ? "bytes" :
				   v->kind == BINLOG_VALUE_JSON ? "json" :
				   v->kind == BINLOG_VALUE_GEOMETRY ? "geometry" : "vector");
			for (size_t i = 0; i < v->str.len && i < 64; i++)
				printf("%02x", v->str.ptr[i]);
			printf("%s'", v->str.len > 64 ? "..." : "");
			return;
		default:
			break;
	}
	if (binlog_value_to_text(v, text, sizeof(text), &zero))
		printf("%s%s", text, zero ? " (zero date)" : "");
	else
		printf("(kind %d)", v->kind);
}

static void
print_row(const BinlogTableMap *map, const char *label, const BinlogValue *vals)
{
	printf("    %s:", label);
	for (int i = 0; i < map->ncols; i++)
	{
		printf(" @%d=", i + 1);
		print_value(&vals[i]);
	}
	printf("\n");
}

static int
dump_file(const char *path)
{
	BinlogFileReader reader;
	BinlogError err;
	BinlogEvent ev;
	BinlogTableMap *maps[MAX_TABLES] = {0};
	int			nmaps = 0;
	int			rc;
	int			status = 0;

	if (!binlog_file_open(&reader, path, &err))
	{
		fprintf(stderr, "%s\n", err.message);
		return 1;
	}
	printf("# %s\n", path);
	for (;;)
	{
		uint64_t	off = reader.offset;
		const BinlogFormat *fmt = &reader.format;

		rc = binlog_file_next(&reader, &ev, &err);
		if (rc == 0)
			break;
		if (rc < 0)
		{
			printf("ERROR: %s\n", err.message);
			status = 1;
			break;
		}
		printf("%llu %s size=%u server=%u\n", (unsigned long long) off,
			   binlog_event_type_name(ev.header.type), ev.header.event_size,
			   ev.header.server_id);

		switch (ev.header.type)
		{
			case BINLOG_FORMAT_DESCRIPTION_EVENT:
				printf("  server %s, checksum %d, %d post-header lengths\n",
					   fmt->server_version, fmt->checksum_alg,
					   fmt->n_post_header_len);
				break;
			case BINLOG_ROTATE_EVENT:
				{
					BinlogRotate rot;

					if (binlog_decode_rotate(fmt, &ev, &rot, &err))
						printf("  %s:%llu\n", rot.file,
							   (unsigned long long) rot.position);
					else
						printf("  ERROR: %s\n", err.message);
					break;
				}
			case BINLOG_QUERY_EVENT:
				{
					BinlogQuery q;

					if (binlog_decode_query(fmt, &ev, &q, &err))
						printf("  db=%.*s query=%.*s\n", (int) q.db_len, q.db,
							   (int) (q.query_len > 200 ? 200 : q.query_len),
							   q.query);
					else
						printf("  ERROR: %s\n", err.message);
					break;
				}
			case BINLOG_XID_EVENT:
				{
					uint64_t	xid;

					if (binlog_decode_xid(fmt, &ev, &xid, &err))
						printf("  xid=%llu\n", (unsigned long long) xid);
					else
						printf("  ERROR: %s\n", err.message);
					break;
				}
			case BINLOG_GTID_EVENT:
			case BINLOG_ANONYMOUS_GTID_EVENT:
			case BINLOG_MARIADB_GTID_EVENT:
				{
					BinlogGtid g;

					if (!binlog_decode_gtid(fmt, &ev, &g, &err))
						printf("  ERROR: %s\n", err.message);
					else if (g.is_mariadb)
						printf("  %u-%u-%llu flags2=%u\n", g.domain_id,
							   g.server_id, (unsigned long long) g.seq_no,
							   g.flags2);
					else
					{
						printf("  ");
						for (int i = 0; i < 16; i++)
							printf("%02x%s", g.uuid[i],
								   (i == 3 || i == 5 || i == 7 || i == 9) ? "-" : "");
						printf(":%lld\n", (long long) g.gno);
					}
					break;
				}
			case BINLOG_TABLE_MAP_EVENT:
				{
					BinlogTableMap *map = binlog_decode_table_map(fmt, &ev, &err);
					int			slot = -1;

					if (map == NULL)
					{
						printf("  ERROR: %s\n", err.message);
						break;
					}
					printf("  table %llu \"%s\".\"%s\"\n",
						   (unsigned long long) map->table_id, map->db,
						   map->table);
					for (int i = 0; i < map->ncols; i++)
					{
						printf("    @%d %s meta=%u%s", i + 1,
							   binlog_column_type_name(map->real_types[i]),
							   map->meta[i],
							   map->nullable[i] ? " null" : "");
						if (map->column_names)
							printf(" name=%s", map->column_names[i]);
						if (map->is_unsigned && map->is_unsigned[i])
							printf(" unsigned");
						if (map->collation && map->collation[i] >= 0)
							printf(" collation=%d", map->collation[i]);
						if (map->visible && !map->visible[i])
							printf(" invisible");
						if (map->enum_names && map->enum_names[i])
						{
							printf(" values=");
							for (int k = 0; k < map->enum_count[i]; k++)
								printf("%s%s", k ? "," : "",
									   map->enum_names[i][k]);
						}
						printf("\n");
					}
					for (int i = 0; i < map->n_primary_key; i++)
						printf("    primary key part @%d\n",
							   map->primary_key[i] + 1);
					for (int i = 0; i < nmaps; i++)
						if (maps[i]->table_id == map->table_id)
							slot = i;
					if (slot >= 0)
					{
						free(maps[slot]);
						maps[slot] = map;
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
					BinlogTableMap *map = NULL;
					BinlogValue *before,
							   *after;

					if (!binlog_decode_rows_header(fmt, &ev, &rows, &err))
					{
						printf("  ERROR: %s\n", err.message);
						break;
					}
					for (int i = 0; i < nmaps; i++)
						if (maps[i]->table_id == rows.table_id)
							map = maps[i];
					if (map == NULL)
					{
						printf("  no table map for table id %llu\n",
							   (unsigned long long) rows.table_id);
						break;
					}
					before = calloc(map->ncols + 1, sizeof(BinlogValue));
					after = calloc(map->ncols + 1, sizeof(BinlogValue));
					binlog_rows_cursor_init(&cur, &rows, map);
					while (binlog_rows_next(&cur, before, after, &err))
					{
						print_row(map, rows.kind == BINLOG_ROWS_UPDATE ? "before" : "row", before);
						if (rows.kind == BINLOG_ROWS_UPDATE)
							print_row(map, "after", after);
					}
					if (err.message[0])
						printf("  ERROR: %s\n", err.message);
					free(before);
					free(after);
					break;
				}
			default:
				break;
		}
	}
	for (int i = 0; i < nmaps; i++)
		free(maps[i]);
	binlog_file_close(&reader);
	return status;
}

int
main(int argc, char **argv)
{
	int			status = 0;

	if (argc < 2)
	{
		fprintf(stderr, "usage: %s FILE...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++)
		status |= dump_file(argv[i]);
	return status;
}
