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
 * The rest of the file is a small GTID set library for auto-positioning:
 * MySQL's text form, its binary encoding (the same as the body of a
 * PREVIOUS_GTIDS event, and the data of COM_BINLOG_DUMP_GTID), adding
 * one GTID, membership, subset and difference; and MariaDB's GTID
 * positions, one domain-server-sequence triple per domain.  Every set is
 * one malloc'd block laid out as the decoder lays it out, so that free()
 * releases any of them; operations that change the shape of a set build
 * a new block.  Nothing here keeps state between calls.
 *
 *-------------------------------------------------------------------------
 */
#include "binlog_int.h"

#include <stdalign.h>
#include <stdio.h>
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

/* ----------------------------------------------------------------------
 * GTID sets
 * ----------------------------------------------------------------------
 */

#define GTID_UUID_TEXT_LEN	36
#define GTID_TAG_MAX_LEN	32
#define GTID_GNO_MAX		(INT64_MAX - 1)

/*
 * Per source of a printed set at most a comma, a UUID, a colon and a tag;
 * per interval a colon, two numbers of up to 19 digits and a dash.
 */
#define GTID_SOURCE_TEXT_MAX	(1 + GTID_UUID_TEXT_LEN + 1 + GTID_TAG_MAX_LEN)
#define GTID_INTERVAL_TEXT_MAX	(1 + 19 + 1 + 19)

/*
 * One interval of one source, with its UUID and tag by value: the unit
 * sets are built from.  Holding them by value lets the ranges outlive the
 * text or the set they came from.
 */
typedef struct GtidRange
{
	uint8_t		uuid[16];
	char		tag[GTID_TAG_MAX_LEN + 1];	/* lowercase; "" untagged */
	int64_t		start;
	int64_t		end;			/* one past the last */
} GtidRange;

/* A growable array of ranges; start from all zeroes, free ranges. */
typedef struct GtidRangeList
{
	GtidRange  *ranges;
	size_t		n;
	size_t		cap;
} GtidRangeList;

/* ASCII only, so that the locale of the calling process does not matter. */
static char
ascii_tolower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char) (c - 'A' + 'a') : c;
}

static bool
ascii_isspace(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
		c == '\v';
}

static bool
ascii_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
ascii_isalpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static const char *
skip_space(const char *p)
{
	while (ascii_isspace(*p))
		p++;
	return p;
}

/*
 * Compare two tags without regard to case; NULL is the empty tag, which
 * sorts first.  On lowercase tags this is the order of strcmp, which is
 * the order MySQL sorts tags in.
 */
static int
tag_cmp(const char *a, const char *b)
{
	if (a == NULL)
		a = "";
	if (b == NULL)
		b = "";
	for (;; a++, b++)
	{
		unsigned char ca = (unsigned char) ascii_tolower(*a);
		unsigned char cb = (unsigned char) ascii_tolower(*b);

		if (ca != cb)
			return ca < cb ? -1 : 1;
		if (ca == '\0')
			return 0;
	}
}

/* Order of sources: by UUID bytes, then by tag. */
static int
tsid_cmp(const uint8_t *uuid_a, const char *tag_a,
		 const uint8_t *uuid_b, const char *tag_b)
{
	int			c = memcmp(uuid_a, uuid_b, 16);

	return c != 0 ? c : tag_cmp(tag_a, tag_b);
}

/* qsort comparator of ranges: by source, then by start. */
static int
range_cmp(const void *a, const void *b)
{
	const GtidRange *ra = a;
	const GtidRange *rb = b;
	int			c = tsid_cmp(ra->uuid, ra->tag, rb->uuid, rb->tag);

	if (c != 0)
		return c;
	if (ra->start != rb->start)
		return ra->start < rb->start ? -1 : 1;
	return 0;
}

/*
 * Copy a tag argument (NULL or "" for untagged) into out in lowercase.
 * False when it is not a valid tag: 1 to 32 letters, digits and
 * underscores, not starting with a digit.
 */
static bool
tag_normalize(const char *tag, char out[GTID_TAG_MAX_LEN + 1])
{
	size_t		len;

	out[0] = '\0';
	if (tag == NULL || tag[0] == '\0')
		return true;
	/* bounded, so that a missing terminator is caught after 33 bytes */
	len = 0;
	while (len <= GTID_TAG_MAX_LEN && tag[len] != '\0')
		len++;
	if (len > GTID_TAG_MAX_LEN ||
		!binlog_valid_gtid_tag((const uint8_t *) tag, len))
		return false;
	for (size_t i = 0; i < len; i++)
		out[i] = ascii_tolower(tag[i]);
	out[len] = '\0';
	return true;
}

/* Can an interval [start, end) be part of a set? */
static bool
interval_valid(int64_t start, int64_t end)
{
	return start >= 1 && start < end && end <= GTID_GNO_MAX + 1;
}

/*
 * Append one range; the tag must be valid (see tag_normalize) and is
 * stored in lowercase.  False when out of memory.
 */
static bool
range_list_add(GtidRangeList *list, const uint8_t *uuid, const char *tag,
			   int64_t start, int64_t end)
{
	GtidRange  *r;

	if (list->n == list->cap)
	{
		size_t		cap = list->cap ? list->cap * 2 : 16;
		GtidRange  *ranges;

		if (cap > SIZE_MAX / sizeof(GtidRange))
			return false;
		ranges = realloc(list->ranges, cap * sizeof(GtidRange));
		if (ranges == NULL)
			return false;
		list->ranges = ranges;
		list->cap = cap;
	}
	r = &list->ranges[list->n++];
	memcpy(r->uuid, uuid, 16);
	tag_normalize(tag, r->tag);
	r->start = start;
	r->end = end;
	return true;
}

/*
 * Append every interval of set (NULL for none).  False when out of
 * memory or when the set holds an invalid tag or interval, which no
 * function here nor the decoder produces.
 */
static bool
range_list_add_set(GtidRangeList *list, const BinlogGtidSet *set)
{
	if (set == NULL)
		return true;
	for (int s = 0; s < set->n_sources; s++)
	{
		const BinlogGtidSource *src = &set->sources[s];
		char		tag[GTID_TAG_MAX_LEN + 1];

		if (memchr(src->tag, '\0', sizeof(src->tag)) == NULL ||
			!tag_normalize(src->tag, tag))
			return false;
		for (int i = 0; i < src->n_intervals; i++)
		{
			const BinlogGtidInterval *iv = &src->intervals[i];

			if (!interval_valid(iv->start, iv->end) ||
				!range_list_add(list, src->uuid, tag, iv->start, iv->end))
				return false;
		}
	}
	return true;
}

/*
 * Allocate a zeroed set with room for n_sources sources and n_intervals
 * intervals in one block, laid out as binlog_decode_previous_gtids lays
 * it out; *intervals receives the start of the interval array.  NULL when
 * out of memory.
 */
static BinlogGtidSet *
gtid_set_alloc(size_t n_sources, size_t n_intervals,
			   BinlogGtidInterval **intervals)
{
	size_t		sources_off;
	size_t		intervals_off;
	BinlogGtidSet *set;

	/* the counts are ints in the set; the bounds also keep sizes in range */
	if (n_sources > INT32_MAX || n_intervals > INT32_MAX ||
		n_sources > SIZE_MAX / 4 / sizeof(BinlogGtidSource) ||
		n_intervals > SIZE_MAX / 4 / sizeof(BinlogGtidInterval))
		return NULL;
	sources_off = sizeof(BinlogGtidSet);
	sources_off = (sources_off + alignof(BinlogGtidSource) - 1) &
		~(alignof(BinlogGtidSource) - 1);
	intervals_off = sources_off + n_sources * sizeof(BinlogGtidSource);
	intervals_off = (intervals_off + alignof(BinlogGtidInterval) - 1) &
		~(alignof(BinlogGtidInterval) - 1);
	set = calloc(1, intervals_off + n_intervals * sizeof(BinlogGtidInterval));
	if (set == NULL)
		return NULL;
	set->n_sources = (int) n_sources;
	set->sources = n_sources ?
		(BinlogGtidSource *) ((char *) set + sources_off) : NULL;
	*intervals = (BinlogGtidInterval *) ((char *) set + intervals_off);
	return set;
}

/*
 * Build a canonical set from n valid ranges, which are sorted here in
 * place: ranges of one source that overlap or touch become one interval.
 * The set is marked tagged when a source has a tag.  NULL when out of
 * memory.
 */
static BinlogGtidSet *
gtid_set_from_ranges(GtidRange *ranges, size_t n)
{
	size_t		n_sources = 0;
	size_t		n_intervals = 0;
	int64_t		end = 0;
	BinlogGtidInterval *iv;
	BinlogGtidSet *set;
	BinlogGtidSource *src = NULL;

	if (n > 1)
		qsort(ranges, n, sizeof(GtidRange), range_cmp);

	/* first count, with the same merging rule as the filling loop below */
	for (size_t i = 0; i < n; i++)
	{
		if (i == 0 || tsid_cmp(ranges[i - 1].uuid, ranges[i - 1].tag,
							   ranges[i].uuid, ranges[i].tag) != 0)
		{
			n_sources++;
			n_intervals++;
			end = ranges[i].end;
		}
		else if (ranges[i].start > end)
		{
			n_intervals++;
			end = ranges[i].end;
		}
		else if (ranges[i].end > end)
			end = ranges[i].end;
	}

	set = gtid_set_alloc(n_sources, n_intervals, &iv);
	if (set == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
	{
		const GtidRange *r = &ranges[i];

		if (src == NULL || tsid_cmp(src->uuid, src->tag, r->uuid, r->tag) != 0)
		{
			src = src ? src + 1 : set->sources;
			memcpy(src->uuid, r->uuid, 16);
			memcpy(src->tag, r->tag, sizeof(src->tag));
			src->intervals = iv;
			src->n_intervals = 0;
			if (r->tag[0] != '\0')
				set->tagged = true;
		}
		else if (r->start <= src->intervals[src->n_intervals - 1].end)
		{
			BinlogGtidInterval *last = &src->intervals[src->n_intervals - 1];

			if (r->end > last->end)
				last->end = r->end;
			continue;
		}
		iv->start = r->start;
		iv->end = r->end;
		iv++;
		src->n_intervals++;
	}
	return set;
}

/*
 * A canonical copy of set (NULL for the empty set); NULL when out of
 * memory or when the set holds an invalid tag or interval.
 */
static BinlogGtidSet *
gtid_set_normalize(const BinlogGtidSet *set)
{
	GtidRangeList list = {NULL, 0, 0};
	BinlogGtidSet *result = NULL;

	if (range_list_add_set(&list, set))
		result = gtid_set_from_ranges(list.ranges, list.n);
	free(list.ranges);
	return result;
}

/*
 * Index of the last interval of src that starts at or before gno, or -1;
 * the intervals are ascending.
 */
static int
find_interval(const BinlogGtidSource *src, int64_t gno)
{
	int			lo = 0;
	int			hi = src->n_intervals - 1;
	int			found = -1;

	while (lo <= hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (src->intervals[mid].start <= gno)
		{
			found = mid;
			lo = mid + 1;
		}
		else
			hi = mid - 1;
	}
	return found;
}

/*
 * Record a parse error naming the offending element: the text from p to
 * the next separator, at most 40 characters, and its offset in text.
 */
static void
parse_error(BinlogError *err, const char *text, const char *p,
			const char *what)
{
	int			len = 0;

	while (p[len] != '\0' && p[len] != ',' && p[len] != ':' &&
		   !ascii_isspace(p[len]) && len < 40)
		len++;
	binlog_set_error(err, "%s \"%.*s\" at character %zu", what, len, p,
					 (size_t) (p - text));
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Parse a UUID in its 36-character text form (32 hex digits in either
 * case, dashes after the 8th, 12th, 16th and 20th) at p.  It must be
 * followed by the end of the element.  Stops at the first bad character,
 * so it never reads past the string's terminator.
 */
static bool
parse_uuid(const char *p, uint8_t uuid[16])
{
	int			pos = 0;
	char		next;

	for (int i = 0; i < 16; i++)
	{
		int			hi;
		int			lo;

		if (i == 4 || i == 6 || i == 8 || i == 10)
		{
			if (p[pos] != '-')
				return false;
			pos++;
		}
		hi = hex_value(p[pos]);
		if (hi < 0)
			return false;
		lo = hex_value(p[pos + 1]);
		if (lo < 0)
			return false;
		uuid[i] = (uint8_t) (hi << 4 | lo);
		pos += 2;
	}
	next = p[pos];
	return next == '\0' || next == ':' || next == ',' || ascii_isspace(next);
}

/* Write the text form of a UUID, lowercase, 36 characters and a NUL. */
static void
format_uuid(const uint8_t uuid[16], char *out)
{
	static const char digits[] = "0123456789abcdef";
	int			pos = 0;

	for (int i = 0; i < 16; i++)
	{
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[pos++] = '-';
		out[pos++] = digits[uuid[i] >> 4];
		out[pos++] = digits[uuid[i] & 15];
	}
	out[pos] = '\0';
}

/*
 * Parse an unsigned decimal number of at most max at *pp, moving *pp past
 * it.  Returns 0 on success, -1 when there is no digit, -2 when the
 * number exceeds max.
 */
static int
parse_number(const char **pp, uint64_t max, uint64_t *out)
{
	const char *p = *pp;
	uint64_t	v = 0;

	if (!ascii_isdigit(*p))
		return -1;
	for (; ascii_isdigit(*p); p++)
	{
		uint64_t	d = (uint64_t) (*p - '0');

		if (v > (max - d) / 10)
			return -2;
		v = v * 10 + d;
	}
	*out = v;
	*pp = p;
	return 0;
}

/*
 * Parse an interval "N" or "N-M" (whitespace allowed around the dash) at
 * *pp into [*start, *end).  Transaction numbers must be positive and M
 * not below N.
 */
static bool
parse_interval(const char *text, const char **pp, int64_t *start,
			   int64_t *end, BinlogError *err)
{
	const char *begin = *pp;
	const char *p = *pp;
	const char *q;
	uint64_t	first;
	uint64_t	last;
	int			rc;

	rc = parse_number(&p, GTID_GNO_MAX, &first);
	if (rc == 0)
	{
		/* a dash may follow after whitespace; without one, N alone */
		q = skip_space(p);
		last = first;
		if (*q == '-')
		{
			q = skip_space(q + 1);
			rc = parse_number(&q, GTID_GNO_MAX, &last);
			if (rc == 0)
				p = q;
		}
	}
	if (rc == -2)
	{
		parse_error(err, text, begin, "transaction number out of range in interval");
		return false;
	}
	if (rc != 0 || (*p != '\0' && *p != ':' && *p != ',' && !ascii_isspace(*p)))
	{
		parse_error(err, text, begin, "invalid interval");
		return false;
	}
	if (first == 0 || last == 0)
	{
		parse_error(err, text, begin, "transaction number 0 in interval");
		return false;
	}
	if (last < first)
	{
		parse_error(err, text, begin, "reversed interval");
		return false;
	}
	*start = (int64_t) first;
	*end = (int64_t) last + 1;
	*pp = p;
	return true;
}

/*
 * Parse a tag at *pp into tag (lowercase), moving *pp past it.  The
 * caller has seen a letter or underscore.
 */
static bool
parse_tag(const char *text, const char **pp, char tag[GTID_TAG_MAX_LEN + 1],
		  BinlogError *err)
{
	const char *p = *pp;
	size_t		len = 0;
	char		next;

	while (ascii_isalpha(p[len]) || ascii_isdigit(p[len]) || p[len] == '_')
		len++;
	next = p[len];
	if (next != '\0' && next != ':' && next != ',' && !ascii_isspace(next))
	{
		parse_error(err, text, p, "invalid tag");
		return false;
	}
	if (len > GTID_TAG_MAX_LEN)
	{
		parse_error(err, text, p, "tag longer than 32 characters");
		return false;
	}
	for (size_t i = 0; i < len; i++)
		tag[i] = ascii_tolower(p[i]);
	tag[len] = '\0';
	*pp = p + len;
	return true;
}

/*
 * Parse MySQL's text form of a GTID set.  Every interval is collected as
 * a range and the set is built from them at the end, which merges,
 * sorts and joins repeated sources.
 */
BinlogGtidSet *
binlog_gtid_set_parse(const char *text, BinlogError *err)
{
	GtidRangeList list = {NULL, 0, 0};
	BinlogGtidSet *set = NULL;
	const char *p;

	p = skip_space(text);
	while (*p != '\0')
	{
		uint8_t		uuid[16];
		char		tag[GTID_TAG_MAX_LEN + 1];
		const char *owner = p;	/* the UUID or tag the next intervals
								 * belong to, for messages */
		int			n_owned = 0;	/* intervals since that UUID or tag */

		tag[0] = '\0';
		if (*p == ',')
		{
			binlog_set_error(err, "empty element before comma at character %zu",
							 (size_t) (p - text));
			goto done;
		}
		if (!parse_uuid(p, uuid))
		{
			parse_error(err, text, p, "invalid uuid");
			goto done;
		}
		p = skip_space(p + GTID_UUID_TEXT_LEN);
		while (*p == ':')
		{
			p = skip_space(p + 1);
			if (ascii_isalpha(*p) || *p == '_')
			{
				/* a UUID may have only tagged intervals, a tag may not */
				if (tag[0] != '\0' && n_owned == 0)
				{
					parse_error(err, text, owner, "no intervals after tag");
					goto done;
				}
				owner = p;
				if (!parse_tag(text, &p, tag, err))
					goto done;
				n_owned = 0;
			}
			else if (ascii_isdigit(*p))
			{
				int64_t		start;
				int64_t		end;

				if (!parse_interval(text, &p, &start, &end, err))
					goto done;
				if (!range_list_add(&list, uuid, tag, start, end))
				{
					binlog_set_error(err, "out of memory parsing a gtid set");
					goto done;
				}
				n_owned++;
			}
			else
			{
				if (*p == '\0' || *p == ',' || *p == ':')
					binlog_set_error(err, "missing tag or interval after \":\" at character %zu",
									 (size_t) (p - text));
				else
					parse_error(err, text, p, "expected a tag or an interval, found");
				goto done;
			}
			p = skip_space(p);
		}
		if (n_owned == 0)
		{
			parse_error(err, text, owner,
						tag[0] ? "no intervals after tag" : "no intervals after uuid");
			goto done;
		}
		if (*p == ',')
		{
			p = skip_space(p + 1);
			if (*p == '\0' || *p == ',')
			{
				binlog_set_error(err, "empty element after comma at character %zu",
								 (size_t) (p - text));
				goto done;
			}
		}
		else if (*p != '\0')
		{
			parse_error(err, text, p, "expected a comma or the end, found");
			goto done;
		}
	}
	set = gtid_set_from_ranges(list.ranges, list.n);
	if (set == NULL)
		binlog_set_error(err, "out of memory parsing a gtid set");
done:
	free(list.ranges);
	return set;
}

/*
 * Print a set in canonical form.  The buffer is sized from the counts of
 * the canonical copy, so the writes below cannot run out of room.
 */
char *
binlog_gtid_set_format(const BinlogGtidSet *set)
{
	BinlogGtidSet *norm = gtid_set_normalize(set);
	size_t		cap = 1;
	size_t		len = 0;
	char	   *buf;

	if (norm == NULL)
		return NULL;
	for (int s = 0; s < norm->n_sources; s++)
	{
		size_t		n = (size_t) norm->sources[s].n_intervals;

		/* cannot overflow: the counts are bounded by gtid_set_alloc */
		cap += GTID_SOURCE_TEXT_MAX + n * GTID_INTERVAL_TEXT_MAX;
	}
	buf = malloc(cap);
	if (buf == NULL)
	{
		free(norm);
		return NULL;
	}
	buf[0] = '\0';
	for (int s = 0; s < norm->n_sources; s++)
	{
		const BinlogGtidSource *src = &norm->sources[s];

		/* like MySQL, print a UUID once for all its tags */
		if (s == 0 || memcmp(src->uuid, norm->sources[s - 1].uuid, 16) != 0)
		{
			if (s > 0)
				buf[len++] = ',';
			format_uuid(src->uuid, buf + len);
			len += GTID_UUID_TEXT_LEN;
		}
		if (src->tag[0] != '\0')
			len += (size_t) snprintf(buf + len, cap - len, ":%s", src->tag);
		for (int i = 0; i < src->n_intervals; i++)
		{
			const BinlogGtidInterval *iv = &src->intervals[i];

			len += (size_t) snprintf(buf + len, cap - len, ":%lld",
									 (long long) iv->start);
			if (iv->end - iv->start > 1)
				len += (size_t) snprintf(buf + len, cap - len, "-%lld",
										 (long long) (iv->end - 1));
		}
	}
	free(norm);
	return buf;
}

/*
 * Add one GTID.  Most adds extend an interval by one at either end, which
 * is done in place; anything that changes the number of intervals or
 * sources rebuilds the set.
 */
bool
binlog_gtid_set_add(BinlogGtidSet **setp, const uint8_t uuid[16],
					const char *tag, int64_t gno, BinlogError *err)
{
	BinlogGtidSet *set = *setp;
	BinlogGtidSet *result = NULL;
	GtidRangeList list = {NULL, 0, 0};
	char		ltag[GTID_TAG_MAX_LEN + 1];

	if (gno < 1 || gno > GTID_GNO_MAX)
	{
		binlog_set_error(err, "gtid transaction number %lld is out of range",
						 (long long) gno);
		return false;
	}
	if (!tag_normalize(tag, ltag))
	{
		binlog_set_error(err, "invalid gtid tag \"%.40s\"", tag);
		return false;
	}
	for (int s = 0; set != NULL && s < set->n_sources; s++)
	{
		BinlogGtidSource *src = &set->sources[s];
		BinlogGtidInterval *prev;
		BinlogGtidInterval *next;
		int			i;

		if (tsid_cmp(src->uuid, src->tag, uuid, ltag) != 0)
			continue;
		i = find_interval(src, gno);
		prev = i >= 0 ? &src->intervals[i] : NULL;
		next = i + 1 < src->n_intervals ? &src->intervals[i + 1] : NULL;
		if (prev && gno < prev->end)
			return true;

		/*
		 * Grow a neighbour only when the intervals stay apart afterwards:
		 * filling the gap between two of them joins them, which takes a
		 * rebuild.
		 */
		if (prev && prev->end == gno && (next == NULL || next->start > gno + 1))
		{
			prev->end++;
			return true;
		}
		if (next && next->start == gno + 1 && (prev == NULL || prev->end < gno))
		{
			next->start--;
			return true;
		}
		break;
	}

	if (range_list_add_set(&list, set) &&
		range_list_add(&list, uuid, ltag, gno, gno + 1))
		result = gtid_set_from_ranges(list.ranges, list.n);
	free(list.ranges);
	if (result == NULL)
	{
		binlog_set_error(err, "cannot add a gtid: out of memory or the set holds an invalid interval");
		return false;
	}
	/* a set decoded in the tagged format stays in it */
	if (set != NULL && set->tagged)
		result->tagged = true;
	free(set);
	*setp = result;
	return true;
}

/* Membership: any source of the UUID and tag holding gno. */
bool
binlog_gtid_set_contains(const BinlogGtidSet *set, const uint8_t uuid[16],
						 const char *tag, int64_t gno)
{
	if (set == NULL || uuid == NULL)
		return false;
	for (int s = 0; s < set->n_sources; s++)
	{
		const BinlogGtidSource *src = &set->sources[s];
		int			i;

		if (tsid_cmp(src->uuid, src->tag, uuid, tag) != 0)
			continue;
		i = find_interval(src, gno);
		if (i >= 0 && gno < src->intervals[i].end)
			return true;
	}
	return false;
}

/*
 * How far from gno on the intervals of set for this UUID and tag cover
 * without a gap, as far as one interval goes: the largest end of an
 * interval holding gno, or gno itself when none holds it.
 */
static int64_t
covered_until(const BinlogGtidSet *set, const uint8_t *uuid, const char *tag,
			  int64_t gno)
{
	int64_t		until = gno;

	for (int s = 0; set != NULL && s < set->n_sources; s++)
	{
		const BinlogGtidSource *src = &set->sources[s];
		int			i;

		if (tsid_cmp(src->uuid, src->tag, uuid, tag) != 0)
			continue;
		i = find_interval(src, gno);
		if (i >= 0 && src->intervals[i].end > until)
			until = src->intervals[i].end;
	}
	return until;
}

/*
 * a is a subset of b when every interval of a is covered by b.  Walking
 * each interval of a from interval to interval of b needs no memory, so
 * this cannot fail; on canonical sets each step covers the rest of the
 * interval or finds the gap.
 */
bool
binlog_gtid_set_is_subset(const BinlogGtidSet *a, const BinlogGtidSet *b)
{
	for (int s = 0; a != NULL && s < a->n_sources; s++)
	{
		const BinlogGtidSource *src = &a->sources[s];

		for (int i = 0; i < src->n_intervals; i++)
		{
			int64_t		gno = src->intervals[i].start;

			while (gno < src->intervals[i].end)
			{
				int64_t		until = covered_until(b, src->uuid, src->tag, gno);

				if (until == gno)
					return false;
				gno = until;
			}
		}
	}
	return true;
}

/*
 * a minus b, walking canonical copies of both side by side: sources and
 * intervals are sorted in each, so one pass suffices.
 */
BinlogGtidSet *
binlog_gtid_set_subtract(const BinlogGtidSet *a, const BinlogGtidSet *b)
{
	BinlogGtidSet *na = gtid_set_normalize(a);
	BinlogGtidSet *nb = gtid_set_normalize(b);
	BinlogGtidSet *result = NULL;
	GtidRangeList list = {NULL, 0, 0};
	int			j = 0;

	if (na == NULL || nb == NULL)
		goto done;
	for (int s = 0; s < na->n_sources; s++)
	{
		const BinlogGtidSource *sa = &na->sources[s];
		const BinlogGtidSource *sb = NULL;
		int			k = 0;

		while (j < nb->n_sources &&
			   tsid_cmp(nb->sources[j].uuid, nb->sources[j].tag,
						sa->uuid, sa->tag) < 0)
			j++;
		if (j < nb->n_sources &&
			tsid_cmp(nb->sources[j].uuid, nb->sources[j].tag,
					 sa->uuid, sa->tag) == 0)
			sb = &nb->sources[j];

		for (int i = 0; i < sa->n_intervals; i++)
		{
			int64_t		start = sa->intervals[i].start;
			int64_t		end = sa->intervals[i].end;

			/* intervals of b that end before this one are done with */
			while (sb != NULL && k < sb->n_intervals &&
				   sb->intervals[k].end <= start)
				k++;
			for (int m = k; sb != NULL && m < sb->n_intervals &&
				 sb->intervals[m].start < end && start < end; m++)
			{
				if (sb->intervals[m].start > start &&
					!range_list_add(&list, sa->uuid, sa->tag, start,
									sb->intervals[m].start))
					goto done;
				if (sb->intervals[m].end > start)
					start = sb->intervals[m].end;
			}
			if (start < end &&
				!range_list_add(&list, sa->uuid, sa->tag, start, end))
				goto done;
		}
	}
	result = gtid_set_from_ranges(list.ranges, list.n);
done:
	free(na);
	free(nb);
	free(list.ranges);
	return result;
}

static uint8_t *
put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t) (v >> (8 * i));
	return p + 8;
}

/*
 * Encode a set in MySQL's binary form (see the top of the file).  The
 * tagged format's count word carries the format in its top and bottom
 * bytes and the count in the six between; a tag is written as a
 * serialization-library variable-length length, which for lengths below
 * 128 is one byte holding the length shifted left by one, then the
 * bytes.  Untagged sources of a tagged set have an empty tag.
 */
bool
binlog_gtid_set_encode(const BinlogGtidSet *set, uint8_t **out,
					   size_t *out_len, BinlogError *err)
{
	BinlogGtidSet *norm = gtid_set_normalize(set);
	bool		tagged;
	size_t		size = 8;
	uint64_t	word;
	uint8_t    *buf;
	uint8_t    *p;

	*out = NULL;
	*out_len = 0;
	if (norm == NULL)
	{
		binlog_set_error(err, "cannot encode a gtid set: out of memory or the set holds an invalid interval");
		return false;
	}
	tagged = norm->tagged || (set != NULL && set->tagged);
	for (int s = 0; s < norm->n_sources; s++)
	{
		const BinlogGtidSource *src = &norm->sources[s];

		/* cannot overflow: the counts are bounded by gtid_set_alloc */
		size += 16 + 8 + (size_t) src->n_intervals * GTID_INTERVAL_LEN;
		if (tagged)
			size += 1 + strlen(src->tag);
	}
	buf = malloc(size);
	if (buf == NULL)
	{
		free(norm);
		binlog_set_error(err, "cannot encode a gtid set: out of memory");
		return false;
	}
	if (tagged)
		word = ((uint64_t) GTID_FORMAT_TAGGED << 56) |
			((uint64_t) norm->n_sources << 8) | GTID_FORMAT_TAGGED;
	else
		word = (uint64_t) norm->n_sources;
	p = put_le64(buf, word);
	for (int s = 0; s < norm->n_sources; s++)
	{
		const BinlogGtidSource *src = &norm->sources[s];

		memcpy(p, src->uuid, 16);
		p += 16;
		if (tagged)
		{
			size_t		tag_len = strlen(src->tag);

			*p++ = (uint8_t) (tag_len << 1);
			memcpy(p, src->tag, tag_len);
			p += tag_len;
		}
		p = put_le64(p, (uint64_t) src->n_intervals);
		for (int i = 0; i < src->n_intervals; i++)
		{
			p = put_le64(p, (uint64_t) src->intervals[i].start);
			p = put_le64(p, (uint64_t) src->intervals[i].end);
		}
	}
	free(norm);
	*out = buf;
	*out_len = size;
	return true;
}

void
binlog_gtid_set_free(BinlogGtidSet *set)
{
	free(set);
}

/* ----------------------------------------------------------------------
 * MariaDB GTID positions
 * ----------------------------------------------------------------------
 */

/* "4294967295-4294967295-18446744073709551615" and a comma */
#define MARIADB_GTID_TEXT_MAX	(10 + 1 + 10 + 1 + 20 + 1)

/* A list with room for n triples, n_gtids 0; NULL when out of memory. */
static BinlogMariadbGtidList *
mariadb_list_alloc(size_t n)
{
	BinlogMariadbGtidList *list;

	if (n > INT32_MAX ||
		n > (SIZE_MAX - sizeof(BinlogMariadbGtidList)) /
		sizeof(BinlogMariadbGtid))
		return NULL;
	list = malloc(sizeof(BinlogMariadbGtidList) +
				  n * sizeof(BinlogMariadbGtid));
	if (list != NULL)
		list->n_gtids = 0;
	return list;
}

static int
mariadb_gtid_cmp(const void *a, const void *b)
{
	uint32_t	da = ((const BinlogMariadbGtid *) a)->domain_id;
	uint32_t	db = ((const BinlogMariadbGtid *) b)->domain_id;

	return da < db ? -1 : da > db ? 1 : 0;
}

/* Index of the triple of a domain in a sorted list, or -1. */
static int
mariadb_find_domain(const BinlogMariadbGtidList *list, uint32_t domain_id)
{
	int			lo = 0;
	int			hi = list ? list->n_gtids - 1 : -1;

	while (lo <= hi)
	{
		int			mid = lo + (hi - lo) / 2;
		uint32_t	d = list->gtids[mid].domain_id;

		if (d == domain_id)
			return mid;
		if (d < domain_id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/*
 * Parse one "domain-server-seq" triple at *pp into *g, moving *pp past it
 * only on success.  It must be followed by the end of the element.
 */
static bool
parse_mariadb_gtid(const char **pp, BinlogMariadbGtid *g)
{
	const char *p = *pp;
	uint64_t	domain_id;
	uint64_t	server_id;
	uint64_t	seq_no;

	if (parse_number(&p, UINT32_MAX, &domain_id) != 0 || *p != '-')
		return false;
	p++;
	if (parse_number(&p, UINT32_MAX, &server_id) != 0 || *p != '-')
		return false;
	p++;
	if (parse_number(&p, UINT64_MAX, &seq_no) != 0 ||
		(*p != '\0' && *p != ',' && !ascii_isspace(*p)))
		return false;
	g->domain_id = (uint32_t) domain_id;
	g->server_id = (uint32_t) server_id;
	g->seq_no = seq_no;
	*pp = p;
	return true;
}

/*
 * Parse "domain-server-seq" triples separated by commas.  The number of
 * commas bounds the number of triples, so the list is allocated once.
 */
BinlogMariadbGtidList *
binlog_mariadb_gtid_list_parse(const char *text, BinlogError *err)
{
	BinlogMariadbGtidList *list;
	size_t		n = 1;
	const char *p;

	for (p = text; *p != '\0'; p++)
		if (*p == ',')
			n++;
	list = mariadb_list_alloc(n);
	if (list == NULL)
	{
		binlog_set_error(err, "out of memory parsing a mariadb gtid position");
		return NULL;
	}
	p = skip_space(text);
	while (*p != '\0')
	{
		if (!parse_mariadb_gtid(&p, &list->gtids[list->n_gtids]))
		{
			parse_error(err, text, p, "invalid mariadb gtid");
			free(list);
			return NULL;
		}
		list->n_gtids++;
		p = skip_space(p);
		if (*p == ',')
		{
			p = skip_space(p + 1);
			if (*p == '\0' || *p == ',')
			{
				binlog_set_error(err, "empty element after comma at character %zu",
								 (size_t) (p - text));
				free(list);
				return NULL;
			}
		}
		else if (*p != '\0')
		{
			parse_error(err, text, p, "expected a comma or the end, found");
			free(list);
			return NULL;
		}
	}
	if (list->n_gtids > 1)
		qsort(list->gtids, (size_t) list->n_gtids, sizeof(BinlogMariadbGtid),
			  mariadb_gtid_cmp);
	for (int i = 1; i < list->n_gtids; i++)
	{
		if (list->gtids[i].domain_id == list->gtids[i - 1].domain_id)
		{
			binlog_set_error(err, "mariadb gtid position has two gtids in domain %u",
							 (unsigned) list->gtids[i].domain_id);
			free(list);
			return NULL;
		}
	}
	return list;
}

/* Print the triples of a position, sorted by domain. */
char *
binlog_mariadb_gtid_list_format(const BinlogMariadbGtidList *list)
{
	size_t		n = list ? (size_t) list->n_gtids : 0;
	size_t		cap;
	size_t		len = 0;
	char	   *buf;

	if (n > (SIZE_MAX - 1) / MARIADB_GTID_TEXT_MAX)
		return NULL;
	cap = n * MARIADB_GTID_TEXT_MAX + 1;
	buf = malloc(cap);
	if (buf == NULL)
		return NULL;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
	{
		const BinlogMariadbGtid *g = &list->gtids[i];

		len += (size_t) snprintf(buf + len, cap - len, "%s%u-%u-%llu",
								 i > 0 ? "," : "", (unsigned) g->domain_id,
								 (unsigned) g->server_id,
								 (unsigned long long) g->seq_no);
	}
	return buf;
}

/*
 * Set the triple of a domain.  A new domain grows the list by one,
 * inserted at its place in domain order.
 */
bool
binlog_mariadb_gtid_list_advance(BinlogMariadbGtidList **listp,
								 uint32_t domain_id, uint32_t server_id,
								 uint64_t seq_no, BinlogError *err)
{
	BinlogMariadbGtidList *list = *listp;
	BinlogMariadbGtidList *grown;
	int			i = mariadb_find_domain(list, domain_id);
	int			n = list ? list->n_gtids : 0;
	int			at = 0;

	if (i < 0)
	{
		grown = mariadb_list_alloc((size_t) n + 1);
		if (grown == NULL)
		{
			binlog_set_error(err, "out of memory advancing a mariadb gtid position");
			return false;
		}
		while (at < n && list->gtids[at].domain_id < domain_id)
			at++;
		if (n > 0)
		{
			memcpy(grown->gtids, list->gtids,
				   (size_t) at * sizeof(BinlogMariadbGtid));
			memcpy(grown->gtids + at + 1, list->gtids + at,
				   (size_t) (n - at) * sizeof(BinlogMariadbGtid));
		}
		grown->n_gtids = n + 1;
		grown->gtids[at].domain_id = domain_id;
		free(list);
		*listp = list = grown;
		i = at;
	}
	list->gtids[i].server_id = server_id;
	list->gtids[i].seq_no = seq_no;
	return true;
}

/* a is behind b when some domain of b is missing from a or further in b. */
bool
binlog_mariadb_gtid_list_is_behind(const BinlogMariadbGtidList *a,
								   const BinlogMariadbGtidList *b)
{
	for (int i = 0; b != NULL && i < b->n_gtids; i++)
	{
		int			j = mariadb_find_domain(a, b->gtids[i].domain_id);

		if (j < 0 || a->gtids[j].seq_no < b->gtids[i].seq_no)
			return true;
	}
	return false;
}
