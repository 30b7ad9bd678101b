/*-------------------------------------------------------------------------
 *
 * binlog_int.h
 *	  Helpers shared by the files of the binlog decoder, not part of its
 *	  interface.
 *
 * Every read of event bytes goes through the little readers below, which
 * check the bounds before touching memory, so that malformed input can
 * only ever produce an error message.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MYSQL_REPLICA_BINLOG_INT_H
#define MYSQL_REPLICA_BINLOG_INT_H

#include "binlog.h"

#if defined(__GNUC__) || defined(__clang__)
#define BINLOG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define BINLOG_PRINTF(f, a)
#endif

/*
 * Write a message into err (which may be NULL).  The message is truncated
 * to fit; it never overflows.
 */
extern void binlog_set_error(BinlogError *err, const char *fmt, ...)
			BINLOG_PRINTF(2, 3);

/*
 * File offset at which an event started, as far as the event itself can
 * tell: its end position minus its size, or 0 when the server left the
 * position out (artificial events, some relay logs).
 */
static inline uint64_t
binlog_event_offset(const BinlogEvent *ev)
{
	if (ev->header.log_pos >= ev->header.event_size)
		return ev->header.log_pos - ev->header.event_size;
	return 0;
}

/* Little-endian and big-endian loads; the caller has checked the bounds. */
static inline uint16_t
binlog_le16(const uint8_t *p)
{
	return (uint16_t) (p[0] | (p[1] << 8));
}

static inline uint32_t
binlog_le24(const uint8_t *p)
{
	return (uint32_t) p[0] | ((uint32_t) p[1] << 8) | ((uint32_t) p[2] << 16);
}

static inline uint32_t
binlog_le32(const uint8_t *p)
{
	return (uint32_t) p[0] | ((uint32_t) p[1] << 8) |
		((uint32_t) p[2] << 16) | ((uint32_t) p[3] << 24);
}

static inline uint64_t
binlog_le_n(const uint8_t *p, int n)
{
	uint64_t	v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static inline uint64_t
binlog_be_n(const uint8_t *p, int n)
{
	uint64_t	v = 0;

	for (int i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

/*
 * A bounded reader over a byte range.  Each get function returns false
 * instead of reading past "end"; the position is then left unchanged.
 */
typedef struct BinlogReader
{
	const uint8_t *pos;
	const uint8_t *end;
} BinlogReader;

static inline size_t
binlog_reader_left(const BinlogReader *r)
{
	return (size_t) (r->end - r->pos);
}

static inline bool
binlog_get_bytes(BinlogReader *r, size_t n, const uint8_t **out)
{
	if (binlog_reader_left(r) < n)
		return false;
	if (out)
		*out = r->pos;
	r->pos += n;
	return true;
}

static inline bool
binlog_get_uint(BinlogReader *r, int n, uint64_t *out)
{
	if (binlog_reader_left(r) < (size_t) n)
		return false;
	*out = binlog_le_n(r->pos, n);
	r->pos += n;
	return true;
}

/*
 * A length-encoded integer as the client/server protocol and the table map
 * use it: one byte below 251, or 0xfc/0xfd/0xfe followed by 2, 3 or 8
 * bytes.  0xfb (the protocol's NULL) and 0xff are rejected.
 */
static inline bool
binlog_get_lenenc(BinlogReader *r, uint64_t *out)
{
	uint8_t		first;
	int			n;

	if (binlog_reader_left(r) < 1)
		return false;
	first = r->pos[0];
	if (first < 0xfb)
	{
		*out = first;
		r->pos++;
		return true;
	}
	if (first == 0xfc)
		n = 2;
	else if (first == 0xfd)
		n = 3;
	else if (first == 0xfe)
		n = 8;
	else
		return false;
	if (binlog_reader_left(r) < (size_t) n + 1)
		return false;
	*out = binlog_le_n(r->pos + 1, n);
	r->pos += n + 1;
	return true;
}

/*
 * A variable-length integer of MySQL's serialization library (tagged GTID
 * events, GTID tags): the number of trailing one bits of the first byte,
 * plus one, is the total number of bytes (1..9), little-endian; the value
 * starts after the first zero bit, or fills all eight following bytes
 * when the first byte is 0xff.
 */
static inline bool
binlog_get_varlen(BinlogReader *r, uint64_t *out)
{
	uint8_t		first;
	int			n = 1;
	uint64_t	v;

	if (binlog_reader_left(r) < 1)
		return false;
	first = r->pos[0];
	while (n < 9 && (first >> (n - 1)) & 1)
		n++;
	if (binlog_reader_left(r) < (size_t) n)
		return false;
	if (n == 9)
		v = binlog_le_n(r->pos + 1, 8);
	else if (n == 1)
		v = first >> 1;
	else
		v = ((uint64_t) first >> n) |
			(binlog_le_n(r->pos + 1, n - 1) << (8 - n));
	*out = v;
	r->pos += n;
	return true;
}

/* The signed flavour: the lowest bit is the sign of the magnitude. */
static inline bool
binlog_get_varlen_signed(BinlogReader *r, int64_t *out)
{
	uint64_t	v;

	if (!binlog_get_varlen(r, &v))
		return false;
	*out = (int64_t) ((v >> 1) ^ (0 - (v & 1)));
	return true;
}

/* Is tag[0..len) a valid GTID tag (letters, digits, '_'; 1..32 bytes)? */
extern bool binlog_valid_gtid_tag(const uint8_t *tag, size_t len);

/* Size of the table id in rows and table map events of this format. */
static inline int
binlog_table_id_size(const BinlogFormat *fmt, int type)
{
	return fmt->post_header_len[type - 1] == 6 ? 4 : 6;
}

#endif							/* MYSQL_REPLICA_BINLOG_INT_H */
