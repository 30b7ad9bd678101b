/*-------------------------------------------------------------------------
 *
 * compress.c
 *	  Compressed events: MariaDB's compressed query and rows events
 *	  (log_bin_compress) and MySQL's TRANSACTION_PAYLOAD event
 *	  (binlog_transaction_compression).
 *
 * MariaDB compresses one part of an event in place: the query text of a
 * QUERY event, the row images of a rows event.  That part starts with a
 * header byte (high bit set, algorithm in bits 4..6 where 0 is zlib,
 * number of length bytes in bits 0..2), then the uncompressed length in
 * 1..4 big-endian bytes, then a zlib stream.  binlog_decompress_event
 * rebuilds the plain event so that the ordinary decoders apply.
 *
 * MySQL instead wraps a whole transaction: a TRANSACTION_PAYLOAD event
 * holds a few TLV fields and then the transaction's events, back to back
 * and without checksums, compressed with zstd or not at all.  The payload
 * cursor uncompresses them into one buffer and frames them one by one.
 *
 * Uncompressed sizes are bounded by BINLOG_MAX_UNCOMPRESSED, and no
 * buffer is allocated from a size the event merely claims beyond what its
 * compressed bytes could possibly produce.
 *
 *-------------------------------------------------------------------------
 */
#include "binlog_int.h"

#include <stdlib.h>
#include <string.h>

#include <zlib.h>
#include <zstd.h>

/* MariaDB's compression header: flag bit, algorithm, length bytes. */
#define MARIADB_COMPRESSED_FLAG		0x80
#define MARIADB_COMPRESSED_ALG(b)	(((b) >> 4) & 0x07)
#define MARIADB_COMPRESSED_LENLEN(b)	((b) & 0x07)
#define MARIADB_ALG_ZLIB			0

/*
 * zlib's deflate cannot expand data by more than about 1032 times (a
 * stored run of identical bytes); anything claiming more is corrupt.
 */
#define ZLIB_MAX_RATIO				1032

/* TLV field types of a TRANSACTION_PAYLOAD event. */
#define PAYLOAD_END_MARK			0
#define PAYLOAD_SIZE_FIELD			1
#define PAYLOAD_COMPRESSION_FIELD	2
#define PAYLOAD_UNCOMPRESSED_FIELD	3

/* First guess at the size of an uncompressed payload of unknown size. */
#define PAYLOAD_INITIAL_GUESS		65536

/*
 * Is this one of MariaDB's compressed event types?
 */
bool
binlog_is_compressed_event(int type)
{
	return type >= BINLOG_MARIADB_QUERY_COMPRESSED_EVENT &&
		type <= BINLOG_MARIADB_DELETE_ROWS_COMPRESSED_EVENT;
}

/* The plain event type a compressed one stands for, or -1. */
static int
plain_event_type(int type)
{
	switch (type)
	{
		case BINLOG_MARIADB_QUERY_COMPRESSED_EVENT:
			return BINLOG_QUERY_EVENT;
		case BINLOG_MARIADB_WRITE_ROWS_COMPRESSED_EVENT_V1:
			return BINLOG_WRITE_ROWS_EVENT_V1;
		case BINLOG_MARIADB_UPDATE_ROWS_COMPRESSED_EVENT_V1:
			return BINLOG_UPDATE_ROWS_EVENT_V1;
		case BINLOG_MARIADB_DELETE_ROWS_COMPRESSED_EVENT_V1:
			return BINLOG_DELETE_ROWS_EVENT_V1;
		case BINLOG_MARIADB_WRITE_ROWS_COMPRESSED_EVENT:
			return BINLOG_WRITE_ROWS_EVENT;
		case BINLOG_MARIADB_UPDATE_ROWS_COMPRESSED_EVENT:
			return BINLOG_UPDATE_ROWS_EVENT;
		case BINLOG_MARIADB_DELETE_ROWS_COMPRESSED_EVENT:
			return BINLOG_DELETE_ROWS_EVENT;
	}
	return -1;
}

/*
 * Inflate the zlib stream src[0..srclen) into exactly dstlen bytes at
 * dst.  Fails unless the stream ends exactly there, as the server's own
 * reader does.  On failure *why is set to a description.
 */
static bool
zlib_inflate_exact(const uint8_t *src, size_t srclen, uint8_t *dst,
				   size_t dstlen, const char **why)
{
	z_stream	zs;
	int			rc;
	bool		ok;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit(&zs) != Z_OK)
	{
		*why = "zlib cannot be initialized";
		return false;
	}
	/* both lengths are below BINLOG_MAX_UNCOMPRESSED, so they fit uInt */
	zs.next_in = (Bytef *) src;
	zs.avail_in = (uInt) srclen;
	zs.next_out = dst;
	zs.avail_out = (uInt) dstlen;

	/*
	 * A zero-length output buffer makes inflate report Z_BUF_ERROR even
	 * for an empty stream; a one-byte scratch buffer avoids that.
	 */
	if (dstlen == 0)
	{
		uint8_t		scratch[1];

		zs.next_out = scratch;
		zs.avail_out = sizeof(scratch);
		rc = inflate(&zs, Z_FINISH);
		ok = (rc == Z_STREAM_END && zs.total_out == 0);
	}
	else
	{
		rc = inflate(&zs, Z_FINISH);
		ok = (rc == Z_STREAM_END && zs.total_out == dstlen);
	}
	if (!ok)
	{
		if (rc == Z_STREAM_END)
			*why = "the zlib data is shorter than its announced length";
		else if (rc == Z_BUF_ERROR && zs.avail_out == 0)
			*why = "the zlib data is longer than its announced length";
		else if (rc == Z_BUF_ERROR)
			*why = "the zlib data is truncated";
		else
			*why = "the zlib data is corrupt";
	}
	inflateEnd(&zs);
	return ok;
}

/*
 * Uncompress the MariaDB compressed part of an event: src holds the
 * header byte, the length and the zlib stream, up to the end of the
 * event body.  The result is written after "prefix" bytes copied from
 * the start of the event, into a malloc'd buffer returned in *buf, *len.
 */
static bool
mariadb_uncompress(const BinlogEvent *ev, const uint8_t *src, size_t srclen,
				   size_t prefix, uint8_t **buf, size_t *len,
				   BinlogError *err)
{
	unsigned long long off = binlog_event_offset(ev);
	const char *name = binlog_event_type_name(ev->header.type);
	int			lenlen;
	uint64_t	rawlen;
	size_t		zlen;
	uint8_t    *out;
	const char *why;

	if (srclen < 1)
	{
		binlog_set_error(err, "%s event at offset %llu has no compressed data",
						 name, off);
		return false;
	}
	if ((src[0] & MARIADB_COMPRESSED_FLAG) == 0 ||
		MARIADB_COMPRESSED_ALG(src[0]) != MARIADB_ALG_ZLIB)
	{
		binlog_set_error(err, "%s event at offset %llu has an unknown compression header 0x%02x",
						 name, off, src[0]);
		return false;
	}
	lenlen = MARIADB_COMPRESSED_LENLEN(src[0]);
	if (lenlen < 1 || lenlen > 4)
	{
		binlog_set_error(err, "%s event at offset %llu announces an uncompressed length of %d bytes",
						 name, off, lenlen);
		return false;
	}
	if (srclen < 1 + (size_t) lenlen)
	{
		binlog_set_error(err, "%s event at offset %llu is truncated in its uncompressed length",
						 name, off);
		return false;
	}
	rawlen = binlog_be_n(src + 1, lenlen);
	zlen = srclen - 1 - lenlen;
	if (rawlen > BINLOG_MAX_UNCOMPRESSED - prefix)
	{
		binlog_set_error(err, "%s event at offset %llu uncompresses to %llu bytes, more than the limit of %zu",
						 name, off, (unsigned long long) rawlen,
						 (size_t) BINLOG_MAX_UNCOMPRESSED);
		return false;
	}
	/* refuse before allocating what the compressed bytes cannot hold */
	if (rawlen > (uint64_t) zlen * ZLIB_MAX_RATIO + 64)
	{
		binlog_set_error(err, "%s event at offset %llu claims %llu uncompressed bytes from %zu compressed bytes",
						 name, off, (unsigned long long) rawlen, zlen);
		return false;
	}

	out = malloc(prefix + (size_t) rawlen + 1);
	if (out == NULL)
	{
		binlog_set_error(err, "out of memory uncompressing %s event at offset %llu",
						 name, off);
		return false;
	}
	memcpy(out, ev->data, prefix);
	if (!zlib_inflate_exact(src + 1 + lenlen, zlen, out + prefix,
							(size_t) rawlen, &why))
	{
		binlog_set_error(err, "%s event at offset %llu cannot be uncompressed: %s",
						 name, off, why);
		free(out);
		return false;
	}
	*buf = out;
	*len = prefix + (size_t) rawlen;
	return true;
}

/*
 * Turn a MariaDB compressed event into its plain equivalent; see
 * binlog.h.  The decoders of the plain events locate the compressed part:
 * whatever they take for the query text or the row images is the
 * compressed data, and everything before it is copied unchanged.
 */
bool
binlog_decompress_event(const BinlogFormat *fmt, const BinlogEvent *ev,
						BinlogDecompressed *out, BinlogError *err)
{
	int			plain = plain_event_type(ev->header.type);
	BinlogEvent tmp;
	const uint8_t *zdata;
	size_t		prefix;
	uint8_t    *buf;
	size_t		len;

	memset(out, 0, sizeof(*out));
	if (plain < 0)
	{
		binlog_set_error(err, "%s event at offset %llu is not a compressed event",
						 binlog_event_type_name(ev->header.type),
						 (unsigned long long) binlog_event_offset(ev));
		return false;
	}

	/* decode the uncompressed parts as the plain event type */
	tmp = *ev;
	tmp.header.type = (uint8_t) plain;
	if (plain == BINLOG_QUERY_EVENT)
	{
		BinlogQuery q;

		if (!binlog_decode_query(fmt, &tmp, &q, err))
			return false;
		zdata = (const uint8_t *) q.query;
	}
	else
	{
		BinlogRowsEvent rows;

		if (!binlog_decode_rows_header(fmt, &tmp, &rows, err))
			return false;
		zdata = rows.rows;
	}
	prefix = (size_t) (zdata - ev->data);
	if (!mariadb_uncompress(ev, zdata, ev->body_len - (size_t) (zdata - ev->body),
							prefix, &buf, &len, err))
		return false;

	/* the header now describes a plain event without a checksum */
	buf[4] = (uint8_t) plain;
	buf[9] = (uint8_t) len;
	buf[10] = (uint8_t) (len >> 8);
	buf[11] = (uint8_t) (len >> 16);
	buf[12] = (uint8_t) (len >> 24);

	out->buf = buf;
	out->len = len;
	if (!binlog_read_header(buf, len, &out->event.header, err))
	{
		binlog_decompressed_free(out);
		return false;
	}
	out->event.data = buf;
	out->event.body = buf + (ev->body - ev->data);
	out->event.body_len = len - (size_t) (ev->body - ev->data);
	return true;
}

/* Release what binlog_decompress_event allocated; safe to call twice. */
void
binlog_decompressed_free(BinlogDecompressed *out)
{
	free(out->buf);
	memset(out, 0, sizeof(*out));
}

/*
 * Decode the TLV fields of a TRANSACTION_PAYLOAD event.  They follow the
 * common header directly, whatever post-header length the format
 * announces for the type.  Each is a type, a length and a value, all
 * length-encoded integers; unknown fields are skipped by their length;
 * type 0 ends them and the payload follows.  The payload size and the
 * compression type are required.
 */
bool
binlog_decode_transaction_payload(const BinlogFormat *fmt,
								  const BinlogEvent *ev,
								  BinlogPayload *p, BinlogError *err)
{
	unsigned long long off = binlog_event_offset(ev);
	BinlogReader r;
	bool		have_size = false;
	bool		have_type = false;

	(void) fmt;
	memset(p, 0, sizeof(*p));
	if (ev->header.type != BINLOG_TRANSACTION_PAYLOAD_EVENT)
	{
		binlog_set_error(err, "%s event at offset %llu cannot be decoded as TRANSACTION_PAYLOAD",
						 binlog_event_type_name(ev->header.type), off);
		return false;
	}
	r.pos = ev->body;
	r.end = ev->body + ev->body_len;
	for (;;)
	{
		uint64_t	type;
		uint64_t	length;
		uint64_t	value;
		BinlogReader field;

		if (!binlog_get_lenenc(&r, &type))
		{
			binlog_set_error(err, "TRANSACTION_PAYLOAD event at offset %llu ends before the end of its fields",
							 off);
			return false;
		}
		if (type == PAYLOAD_END_MARK)
			break;
		if (!binlog_get_lenenc(&r, &length) ||
			length > binlog_reader_left(&r))
		{
			binlog_set_error(err, "TRANSACTION_PAYLOAD event at offset %llu is truncated in field %llu",
							 off, (unsigned long long) type);
			return false;
		}
		field.pos = r.pos;
		field.end = r.pos + length;
		r.pos += length;
		if (type > PAYLOAD_UNCOMPRESSED_FIELD)
			continue;			/* a field of a later server version */
		if (!binlog_get_lenenc(&field, &value) ||
			binlog_reader_left(&field) != 0)
		{
			binlog_set_error(err, "TRANSACTION_PAYLOAD event at offset %llu has a malformed field %llu",
							 off, (unsigned long long) type);
			return false;
		}
		switch (type)
		{
			case PAYLOAD_SIZE_FIELD:
				p->payload_size = value;
				have_size = true;
				break;
			case PAYLOAD_COMPRESSION_FIELD:
				if (value != BINLOG_PAYLOAD_ZSTD &&
					value != BINLOG_PAYLOAD_NONE)
				{
					binlog_set_error(err, "TRANSACTION_PAYLOAD event at offset %llu has unknown compression type %llu",
									 off, (unsigned long long) value);
					return false;
				}
				p->compression_type = value;
				have_type = true;
				break;
			case PAYLOAD_UNCOMPRESSED_FIELD:
				p->uncompressed_size = value;
				p->has_uncompressed_size = true;
				break;
		}
	}
	if (!have_size || !have_type)
	{
		binlog_set_error(err, "TRANSACTION_PAYLOAD event at offset %llu lacks its %s",
						 off, have_size ? "compression type" : "payload size");
		return false;
	}
	if (p->payload_size != binlog_reader_left(&r))
	{
		binlog_set_error(err, "TRANSACTION_PAYLOAD event at offset %llu announces a payload of %llu bytes but holds %zu",
						 off, (unsigned long long) p->payload_size,
						 binlog_reader_left(&r));
		return false;
	}
	p->payload = r.pos;
	return true;
}

/*
 * Uncompress a zstd payload into a malloc'd buffer, streaming, so that
 * the output never grows beyond BINLOG_MAX_UNCOMPRESSED whatever the
 * frames claim.  The buffer starts at the announced size when there is
 * one (within what zstd could produce from the input) and doubles as
 * needed.  Several frames back to back are accepted.
 */
static bool
zstd_uncompress(const BinlogPayload *p, unsigned long long off,
				uint8_t **outbuf, size_t *outlen, BinlogError *err)
{
	ZSTD_DStream *ds;
	ZSTD_inBuffer in;
	ZSTD_outBuffer out;
	size_t		cap;
	size_t		rc = 0;
	uint8_t    *buf;
	bool		ok = false;

	/*
	 * zstd's densest encoding is a run-length block: 4 bytes for up to
	 * 128 KiB, so the announced size is trusted only that far.
	 */
	cap = PAYLOAD_INITIAL_GUESS;
	if (p->has_uncompressed_size && p->uncompressed_size > 0 &&
		p->uncompressed_size / 32768 <= p->payload_size &&
		p->uncompressed_size <= BINLOG_MAX_UNCOMPRESSED)
		cap = (size_t) p->uncompressed_size;

	ds = ZSTD_createDStream();
	if (ds == NULL)
	{
		binlog_set_error(err, "out of memory uncompressing TRANSACTION_PAYLOAD event at offset %llu",
						 off);
		return false;
	}
	buf = malloc(cap);
	if (buf == NULL)
	{
		ZSTD_freeDStream(ds);
		binlog_set_error(err, "out of memory uncompressing TRANSACTION_PAYLOAD event at offset %llu",
						 off);
		return false;
	}
	ZSTD_DCtx_reset(ds, ZSTD_reset_session_only);
	in.src = p->payload;
	in.size = (size_t) p->payload_size;
	in.pos = 0;
	out.dst = buf;
	out.size = cap;
	out.pos = 0;

	for (;;)
	{
		if (out.pos == out.size)
		{
			size_t		newcap;
			uint8_t    *nbuf;

			if (cap >= BINLOG_MAX_UNCOMPRESSED)
			{
				binlog_set_error(err, "TRANSACTION_PAYLOAD event at offset %llu uncompresses to more than the limit of %zu bytes",
								 off, (size_t) BINLOG_MAX_UNCOMPRESSED);
				goto done;
			}
			newcap = cap * 2;
			if (newcap > BINLOG_MAX_UNCOMPRESSED)
				newcap = BINLOG_MAX_UNCOMPRESSED;
			nbuf = realloc(buf, newcap);
			if (nbuf == NULL)
			{
				binlog_set_error(err, "out of memory uncompressing TRANSACTION_PAYLOAD event at offset %llu",
								 off);
				goto done;
			}
			buf = nbuf;
			cap = newcap;
			out.dst = buf;
			out.size = cap;
		}
		rc = ZSTD_decompressStream(ds, &out, &in);
		if (ZSTD_isError(rc))
		{
			binlog_set_error(err, "TRANSACTION_PAYLOAD event at offset %llu cannot be uncompressed: %s",
							 off, ZSTD_getErrorName(rc));
			goto done;
		}
		/* rc == 0: a frame is complete and flushed */
		if (in.pos == in.size && (rc == 0 || out.pos < out.size))
			break;
	}
	if (rc != 0)
	{
		binlog_set_error(err, "TRANSACTION_PAYLOAD event at offset %llu ends inside its zstd data",
						 off);
		goto done;
	}
	ok = true;

done:
	ZSTD_freeDStream(ds);
	if (!ok)
	{
		free(buf);
		return false;
	}
	*outbuf = buf;
	*outlen = out.pos;
	return true;
}

/*
 * Open a cursor over the events of a TRANSACTION_PAYLOAD event; see
 * binlog.h.  When the event announces its uncompressed size, the payload
 * must uncompress to exactly that size.
 */
bool
binlog_payload_open(BinlogPayloadCursor *cur, const BinlogFormat *fmt,
					const BinlogEvent *ev, BinlogError *err)
{
	unsigned long long off = binlog_event_offset(ev);

	memset(cur, 0, sizeof(*cur));
	if (!binlog_decode_transaction_payload(fmt, ev, &cur->payload, err))
		return false;
	cur->format = *fmt;
	cur->format.checksum_alg = BINLOG_CHECKSUM_OFF;
	cur->event_offset = off;

	if (cur->payload.compression_type == BINLOG_PAYLOAD_NONE)
	{
		cur->data = cur->payload.payload;
		cur->len = (size_t) cur->payload.payload_size;
	}
	else
	{
		if (!zstd_uncompress(&cur->payload, off, &cur->buf, &cur->len, err))
			return false;
		cur->data = cur->buf;
	}
	if (cur->payload.has_uncompressed_size &&
		cur->payload.uncompressed_size != cur->len)
	{
		binlog_set_error(err, "TRANSACTION_PAYLOAD event at offset %llu announces %llu uncompressed bytes but holds %zu",
						 off, (unsigned long long) cur->payload.uncompressed_size,
						 cur->len);
		binlog_payload_close(cur);
		return false;
	}
	return true;
}

/*
 * Frame the next inner event.  Inner events are never format description
 * events, nor payload events again: the server writes neither inside a
 * transaction, and either would change how the rest is read.
 */
bool
binlog_payload_next(BinlogPayloadCursor *cur, BinlogEvent *inner,
					BinlogError *err)
{
	BinlogError sub;
	uint8_t		type;

	if (err)
		err->message[0] = '\0';
	if (cur->data == NULL || cur->offset >= cur->len)
		return false;
	if (!binlog_frame_event(&cur->format, cur->data + cur->offset,
							cur->len - cur->offset, false, inner, &sub))
	{
		binlog_set_error(err, "TRANSACTION_PAYLOAD event at offset %llu, inner event at payload offset %zu: %s",
						 (unsigned long long) cur->event_offset, cur->offset,
						 sub.message);
		cur->offset = cur->len;
		return false;
	}
	type = inner->header.type;
	if (type == BINLOG_FORMAT_DESCRIPTION_EVENT ||
		type == BINLOG_TRANSACTION_PAYLOAD_EVENT)
	{
		binlog_set_error(err, "TRANSACTION_PAYLOAD event at offset %llu holds a %s event at payload offset %zu",
						 (unsigned long long) cur->event_offset,
						 binlog_event_type_name(type), cur->offset);
		cur->offset = cur->len;
		return false;
	}
	cur->offset += inner->header.event_size;
	return true;
}

/* Release the cursor's buffer; safe to call twice. */
void
binlog_payload_close(BinlogPayloadCursor *cur)
{
	free(cur->buf);
	cur->buf = NULL;
	cur->data = NULL;
	cur->len = 0;
	cur->offset = 0;
}
