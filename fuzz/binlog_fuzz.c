/*-------------------------------------------------------------------------
 *
 * binlog_fuzz.c
 *	  libFuzzer target for the binlog decoder.
 *
 * The input is read as a binlog: an optional "\xfe" "bin" magic, then
 * events back to back.  Each event is framed with the format of the last
 * format description event (or the v4 defaults) and handed to every
 * decoder that applies: rotate, query, XID, GTID, PREVIOUS_GTIDS, table
 * map, rows with every row image decoded against the last table map
 * (whatever its table id, to reach more of the row decoder), each value
 * formatted as text and JSON values converted when the JSON decoder is
 * built in, MariaDB compressed events uncompressed and decoded again,
 * TRANSACTION_PAYLOAD events iterated and their inner events decoded.
 * Checksums are not verified, so that mutated events get past framing.
 *
 * The GTID set library gets the same input as text (MySQL GTID sets and
 * MariaDB positions), and every decoded PREVIOUS_GTIDS set goes through
 * it; a set that does not print, parse back and compare equal to itself,
 * or does not encode, aborts.
 *
 *-------------------------------------------------------------------------
 */
#include "binlog.h"

#include <stdlib.h>
#include <string.h>

/*
 * Put a GTID set through the library: it must encode, print, parse back
 * to an equal set, and take one more GTID.  A broken invariant aborts, so
 * that the fuzzer reports it.
 */
static void
fuzz_gtid_set(const BinlogGtidSet *set)
{
	BinlogError err;
	BinlogGtidSet *copy;
	BinlogGtidSet *diff;
	BinlogGtidSet *grown = NULL;
	uint8_t    *bytes = NULL;
	size_t		len;
	char	   *text;
	char	   *again;

	if (!binlog_gtid_set_encode(set, &bytes, &len, &err))
		abort();
	free(bytes);
	text = binlog_gtid_set_format(set);
	if (text == NULL)
		abort();
	copy = binlog_gtid_set_parse(text, &err);
	if (copy == NULL)
		abort();
	again = binlog_gtid_set_format(copy);
	diff = binlog_gtid_set_subtract(set, copy);
	if (again == NULL || strcmp(text, again) != 0 || diff == NULL ||
		diff->n_sources != 0 || !binlog_gtid_set_is_subset(set, copy) ||
		!binlog_gtid_set_is_subset(copy, set))
		abort();
	if (set->n_sources > 0)
	{
		const BinlogGtidSource *src = &set->sources[0];
		int64_t		gno = src->n_intervals > 0 ?
			src->intervals[src->n_intervals - 1].end : 1;

		grown = binlog_gtid_set_subtract(set, NULL);
		if (gno < INT64_MAX &&
			(!binlog_gtid_set_add(&grown, src->uuid, src->tag, gno, &err) ||
			 !binlog_gtid_set_contains(grown, src->uuid, src->tag, gno) ||
			 !binlog_gtid_set_is_subset(set, grown)))
			abort();
	}
	free(text);
	free(again);
	free(copy);
	free(diff);
	free(grown);
}

/* The input as the text of a GTID set and of a MariaDB position. */
static void
fuzz_gtid_text(const uint8_t *data, size_t size)
{
	BinlogError err;
	BinlogGtidSet *set;
	BinlogMariadbGtidList *list;
	char	   *text;

	/* long texts add nothing the first few kilobytes do not */
	if (size > 4096)
		size = 4096;
	text = malloc(size + 1);
	if (text == NULL)
		return;
	memcpy(text, data, size);
	text[size] = '\0';
	set = binlog_gtid_set_parse(text, &err);
	if (set != NULL)
		fuzz_gtid_set(set);
	free(set);
	list = binlog_mariadb_gtid_list_parse(text, &err);
	if (list != NULL)
	{
		char	   *printed = binlog_mariadb_gtid_list_format(list);
		BinlogMariadbGtidList *copy;

		if (printed == NULL)
			abort();
		copy = binlog_mariadb_gtid_list_parse(printed, &err);
		if (copy == NULL || copy->n_gtids != list->n_gtids ||
			binlog_mariadb_gtid_list_is_behind(list, copy) ||
			binlog_mariadb_gtid_list_is_behind(copy, list))
			abort();
		free(printed);
		free(copy);
	}
	free(list);
	free(text);
}

/* Decode the row images of a rows event with map. */
static void
fuzz_rows(const BinlogFormat *fmt, const BinlogEvent *ev,
		  const BinlogTableMap *map)
{
	BinlogRowsEvent rows;
	BinlogRowsCursor cur;
	BinlogValue *before;
	BinlogValue *after;
	BinlogError err;
	int			n = 0;

	if (!binlog_decode_rows_header(fmt, ev, &rows, &err) || map == NULL)
		return;
	before = calloc((size_t) map->ncols + 1, sizeof(BinlogValue));
	after = calloc((size_t) map->ncols + 1, sizeof(BinlogValue));
	if (before == NULL || after == NULL)
		goto done;
	binlog_rows_cursor_init(&cur, &rows, map);
	while (n++ < 100000 && binlog_rows_next(&cur, before, after, &err))
	{
		for (int image = 0; image < 2; image++)
		{
			const BinlogValue *vals = image ? after : before;

			if (image && rows.kind != BINLOG_ROWS_UPDATE)
				break;
			for (int i = 0; i < map->ncols; i++)
			{
				char		text[128];
				char		tiny[4];
				bool		zero;

				binlog_value_to_text(&vals[i], text, sizeof(text), &zero);
				binlog_value_to_text(&vals[i], tiny, sizeof(tiny), &zero);
				if (vals[i].kind == BINLOG_VALUE_JSON)
				{
					BinlogJsonOutput out;

					memset(&out, 0, sizeof(out));
					binlog_json_to_text(vals[i].str.ptr, vals[i].str.len,
										&out, &err);
					binlog_json_output_free(&out);
				}
			}
		}
	}
done:
	free(before);
	free(after);
}

/*
 * Run the decoders that fit an event.  *map is the last table map, owned
 * by the caller; depth limits recursion into payloads and compressed
 * events.
 */
static void
fuzz_event(BinlogFormat *fmt, const BinlogEvent *ev, BinlogTableMap **map,
		   int depth)
{
	BinlogError err;

	switch (ev->header.type)
	{
		case BINLOG_FORMAT_DESCRIPTION_EVENT:
			{
				BinlogFormat nf = *fmt;

				if (binlog_decode_format_description(ev, &nf, &err))
					*fmt = nf;
				break;
			}
		case BINLOG_ROTATE_EVENT:
			{
				BinlogRotate rot;

				binlog_decode_rotate(fmt, ev, &rot, &err);
				break;
			}
		case BINLOG_QUERY_EVENT:
		case BINLOG_EXECUTE_LOAD_QUERY_EVENT:
			{
				BinlogQuery q;

				binlog_decode_query(fmt, ev, &q, &err);
				break;
			}
		case BINLOG_XID_EVENT:
			{
				uint64_t	xid;

				binlog_decode_xid(fmt, ev, &xid, &err);
				break;
			}
		case BINLOG_GTID_EVENT:
		case BINLOG_ANONYMOUS_GTID_EVENT:
		case BINLOG_GTID_TAGGED_EVENT:
		case BINLOG_MARIADB_GTID_EVENT:
			{
				BinlogGtid g;

				binlog_decode_gtid(fmt, ev, &g, &err);
				break;
			}
		case BINLOG_PREVIOUS_GTIDS_EVENT:
			{
				BinlogGtidSet *set;

				if (binlog_decode_previous_gtids(fmt, ev, &set, &err))
				{
					fuzz_gtid_set(set);
					free(set);
				}
				break;
			}
		case BINLOG_TABLE_MAP_EVENT:
			{
				BinlogTableMap *m = binlog_decode_table_map(fmt, ev, &err);

				if (m != NULL)
				{
					free(*map);
					*map = m;
				}
				break;
			}
		case BINLOG_WRITE_ROWS_EVENT_V1:
		case BINLOG_UPDATE_ROWS_EVENT_V1:
		case BINLOG_DELETE_ROWS_EVENT_V1:
		case BINLOG_WRITE_ROWS_EVENT:
		case BINLOG_UPDATE_ROWS_EVENT:
		case BINLOG_DELETE_ROWS_EVENT:
			fuzz_rows(fmt, ev, *map);
			break;
		case BINLOG_TRANSACTION_PAYLOAD_EVENT:
			{
				BinlogPayloadCursor cur;
				BinlogEvent inner;

				if (depth > 0 || !binlog_payload_open(&cur, fmt, ev, &err))
					break;
				while (binlog_payload_next(&cur, &inner, &err))
					fuzz_event(&cur.format, &inner, map, depth + 1);
				binlog_payload_close(&cur);
				break;
			}
		default:
			if (binlog_is_compressed_event(ev->header.type) && depth == 0)
			{
				BinlogDecompressed d;

				if (binlog_decompress_event(fmt, ev, &d, &err))
				{
					fuzz_event(fmt, &d.event, map, depth + 1);
					binlog_decompressed_free(&d);
				}
			}
			break;
	}
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	BinlogFormat fmt;
	BinlogTableMap *map = NULL;
	size_t		pos = 0;

	fuzz_gtid_text(data, size);
	binlog_format_init(&fmt, BINLOG_CHECKSUM_OFF);
	if (size >= BINLOG_MAGIC_LEN && memcmp(data, "\xfe" "bin", 4) == 0)
		pos = BINLOG_MAGIC_LEN;

	while (pos < size)
	{
		BinlogEvent ev;
		BinlogError err;

		if (!binlog_frame_event(&fmt, data + pos, size - pos, false, &ev,
								&err))
			break;
		fuzz_event(&fmt, &ev, &map, 0);
		pos += ev.header.event_size;
	}
	free(map);
	return 0;
}
