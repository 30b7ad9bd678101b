/*-------------------------------------------------------------------------
 *
 * gtid.c
 *	  Decoding of MySQL's PREVIOUS_GTIDS event: the set of transactions
 *	  written to the binlogs before this file.
 *
 * The set is encoded as a count of sources followed, per source, by its
 * 16-byte UUID, (tagged format only) its tag, a count of intervals and
 * the intervals as pairs of 8-byte little-endian transaction numbers, the
 * second one past the end.  The count's top byte says which format: 0 for
 * the classic one, 1 for the tagged one of MySQL 8.3+, which repeats the
 * format in the lowest byte and keeps the count in the six bytes between.
 * A tag is a length (a serialization-library variable-length integer)
 * and that many bytes; an empty tag stands for an untagged source.
 *
 *-------------------------------------------------------------------------
 */
#include "binlog_int.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#define GTID_FORMAT_UNTAGGED	0
#define GTID_FORMAT_TAGGED		1

/* Smallest encoding of a source: UUID and interval count. */
#define GTID_SOURCE_MIN_LEN		(16 + 8)
#define GTID_INTERVAL_LEN		16

static bool
gtid_set_error(const BinlogEvent *ev, BinlogError *err, const char *what)
{
	binlog_set_error(err, "PREVIOUS_GTIDS event at offset %llu %s",
					 (unsigned long long) binlog_event_offset(ev), what);
	return false;
}

/*
 * Walk the encoded set once.  With set NULL, only validate it and count
 * its intervals into *n_intervals; otherwise fill set, whose arrays were
 * sized by the first walk.
 */
static bool
walk_gtid_set(const BinlogEvent *ev, BinlogReader r, bool tagged,
			  uint64_t n_sources, BinlogGtidSet *set, size_t *n_intervals,
			  BinlogError *err)
{
	size_t		total = 0;

	for (uint64_t s = 0; s < n_sources; s++)
	{
		const uint8_t *uuid;
		const uint8_t *tag = NULL;
		uint64_t	tag_len = 0;
		uint64_t	n;
		int64_t		last_end = 0;
		BinlogGtidSource *src = set ? &set->sources[s] : NULL;

		if (!binlog_get_bytes(&r, 16, &uuid))
			return gtid_set_error(ev, err, "is truncated in a source UUID");
		if (tagged)
		{
			if (!binlog_get_varlen(&r, &tag_len) ||
				tag_len > binlog_reader_left(&r))
				return gtid_set_error(ev, err, "is truncated in a tag");
			if (tag_len > 32)
				return gtid_set_error(ev, err, "has a tag longer than 32 bytes");
			binlog_get_bytes(&r, (size_t) tag_len, &tag);
			if (tag_len > 0 && !binlog_valid_gtid_tag(tag, (size_t) tag_len))
				return gtid_set_error(ev, err, "has a tag with characters a tag cannot have");
		}
		if (!binlog_get_uint(&r, 8, &n))
			return gtid_set_error(ev, err, "is truncated in an interval count");
		if (n > binlog_reader_left(&r) / GTID_INTERVAL_LEN)
			return gtid_set_error(ev, err, "has more intervals than bytes to hold them");

		if (src)
		{
			memcpy(src->uuid, uuid, 16);
			if (tag_len > 0)
				memcpy(src->tag, tag, (size_t) tag_len);
			src->tag[tag_len] = '\0';
			src->n_intervals = (int) n;
			src->intervals = set->sources[0].intervals + total;
		}
		for (uint64_t i = 0; i < n; i++)
		{
			uint64_t	start = 0;
			uint64_t	end = 0;

			/* the count was checked against the bytes left */
			binlog_get_uint(&r, 8, &start);
			binlog_get_uint(&r, 8, &end);

			/*
			 * Transaction numbers are positive and below 2^63; intervals
			 * are non-empty and ascending, as the server writes them.
			 */
			if (start < 1 || end > INT64_MAX || start >= end ||
				(int64_t) start < last_end)
				return gtid_set_error(ev, err, "has an empty, overlapping or out-of-range interval");
			last_end = (int64_t) end;
			if (src)
			{
				src->intervals[i].start = (int64_t) start;
				src->intervals[i].end = (int64_t) end;
			}
		}
		total += (size_t) n;
	}
	if (binlog_reader_left(&r) != 0)
		return gtid_set_error(ev, err, "has bytes after its last source");
	if (n_intervals)
		*n_intervals = total;
	return true;
}

/*
 * Decode a PREVIOUS_GTIDS event into one malloc'd block holding the set,
 * its sources and all their intervals (the intervals of source i follow
 * those of source i - 1).  Trailing bytes, impossible counts and
 * intervals that are empty, overlapping or not ascending are errors.
 */
bool
binlog_decode_previous_gtids(const BinlogFormat *fmt, const BinlogEvent *ev,
							 BinlogGtidSet **setp, BinlogError *err)
{
	BinlogReader r;
	uint64_t	word;
	uint64_t	n_sources;
	bool		tagged;
	size_t		n_intervals;
	size_t		phl;
	size_t		size;
	size_t		sources_off;
	size_t		intervals_off;
	BinlogGtidSet *set;

	*setp = NULL;
	if (ev->header.type != BINLOG_PREVIOUS_GTIDS_EVENT)
	{
		binlog_set_error(err, "%s event at offset %llu cannot be decoded as PREVIOUS_GTIDS",
						 binlog_event_type_name(ev->header.type),
						 (unsigned long long) binlog_event_offset(ev));
		return false;
	}
	phl = fmt->post_header_len[BINLOG_PREVIOUS_GTIDS_EVENT - 1];
	if (ev->body_len < phl)
		return gtid_set_error(ev, err, "is truncated in its post-header");
	r.pos = ev->body + phl;
	r.end = ev->body + ev->body_len;
	if (!binlog_get_uint(&r, 8, &word))
		return gtid_set_error(ev, err, "is truncated in its source count");

	switch (word >> 56)
	{
		case GTID_FORMAT_UNTAGGED:
			tagged = false;
			n_sources = word;
			break;
		case GTID_FORMAT_TAGGED:
			tagged = true;
			n_sources = (word >> 8) & UINT64_C(0xffffffffffff);
			break;
		default:
			return gtid_set_error(ev, err, "has an unknown GTID set format");
	}
	if (n_sources > binlog_reader_left(&r) / GTID_SOURCE_MIN_LEN)
		return gtid_set_error(ev, err, "has more sources than bytes to hold them");

	if (!walk_gtid_set(ev, r, tagged, n_sources, NULL, &n_intervals, err))
		return false;

	/* both counts are bounded by the event size, so this cannot overflow */
	sources_off = sizeof(BinlogGtidSet);
	sources_off = (sources_off + alignof(BinlogGtidSource) - 1) &
		~(alignof(BinlogGtidSource) - 1);
	intervals_off = sources_off + (size_t) n_sources * sizeof(BinlogGtidSource);
	intervals_off = (intervals_off + alignof(BinlogGtidInterval) - 1) &
		~(alignof(BinlogGtidInterval) - 1);
	size = intervals_off + n_intervals * sizeof(BinlogGtidInterval);
	set = calloc(1, size);
	if (set == NULL)
		return gtid_set_error(ev, err, "cannot be decoded: out of memory");
	set->tagged = tagged;
	set->n_sources = (int) n_sources;
	set->sources = n_sources ? (BinlogGtidSource *) ((char *) set + sources_off) : NULL;

	/*
	 * The first source's interval pointer anchors the interval array for
	 * walk_gtid_set; with no sources there is nothing to anchor.
	 */
	if (n_sources > 0)
	{
		set->sources[0].intervals =
			(BinlogGtidInterval *) ((char *) set + intervals_off);
		if (!walk_gtid_set(ev, r, tagged, n_sources, set, NULL, err))
		{
			free(set);
			return false;
		}
	}
	*setp = set;
	return true;
}
