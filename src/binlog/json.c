/*-------------------------------------------------------------------------
 *
 * json.c
 *	  Decoding of MySQL's binary JSON format into JSON text, and of the
 *	  partial JSON update diffs of PARTIAL_UPDATE_ROWS events.
 *
 * MySQL 5.7 and later store a JSON column, and log it in row images, in a
 * binary form: a type byte followed by the value.  Objects and arrays come
 * in a "small" flavour with 2-byte counts and offsets and a "large" one
 * with 4-byte ones; their elements are found through a table of entries
 * holding either an offset (relative to the start of the container, after
 * its type byte) or, for small scalars, the value itself.  Offsets need
 * not be dense: after an in-place partial update a document may contain
 * unused bytes, so every element is read through its offset and never by
 * walking the bytes in order.
 *
 * The input comes straight from the network, so every count, offset and
 * length is checked against the bytes at hand before it is used.
 *
 *-------------------------------------------------------------------------
 */
#include "binlog_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Type bytes of binary JSON values. */
#define JSONB_SMALL_OBJECT	0x00
#define JSONB_LARGE_OBJECT	0x01
#define JSONB_SMALL_ARRAY	0x02
#define JSONB_LARGE_ARRAY	0x03
#define JSONB_LITERAL		0x04
#define JSONB_INT16			0x05
#define JSONB_UINT16		0x06
#define JSONB_INT32			0x07
#define JSONB_UINT32		0x08
#define JSONB_INT64			0x09
#define JSONB_UINT64		0x0a
#define JSONB_DOUBLE		0x0b
#define JSONB_STRING		0x0c
#define JSONB_OPAQUE		0x0f

/* Values of a JSONB_LITERAL. */
#define JSONB_NULL_LITERAL	0x00
#define JSONB_TRUE_LITERAL	0x01
#define JSONB_FALSE_LITERAL 0x02

/* MySQL's JSON_DOCUMENT_MAX_DEPTH: containers nest at most this deep. */
#define JSON_MAX_DEPTH		100

/* State of one conversion. */
typedef struct JsonCtx
{
	const uint8_t *base;		/* start of the document, for messages */
	size_t		doc_len;
	size_t		limit;			/* out->len may not grow beyond this */
	BinlogJsonOutput *out;
	BinlogError *err;
} JsonCtx;

/*
 * A well-formed document never turns into more than about six bytes of
 * text per byte (a control character in a string, an empty opaque value
 * at the top); this bound leaves room to spare.  Without it, a crafted
 * value whose elements all point at the same bytes would expand
 * exponentially with its depth.
 */
#define JSON_MAX_EXPANSION	16
#define JSON_MIN_LIMIT		64

static bool emit_value(JsonCtx *ctx, int type, const uint8_t *p, size_t len,
					   int depth);

/* Offset of p in the document, for error messages. */
static size_t
doc_offset(const JsonCtx *ctx, const uint8_t *p)
{
	return (size_t) (p - ctx->base);
}

/*
 * Release the buffer of out and reset it to empty.
 */
void
binlog_json_output_free(BinlogJsonOutput *out)
{
	if (out == NULL)
		return;
	free(out->data);
	out->data = NULL;
	out->len = 0;
	out->cap = 0;
}

/*
 * Make room for n more bytes plus a terminating NUL, refusing to grow the
 * text beyond ctx->limit.  Grows the buffer geometrically so that
 * appending byte by byte stays linear.
 */
static bool
out_reserve(JsonCtx *ctx, size_t n)
{
	BinlogJsonOutput *out = ctx->out;
	size_t		need;
	size_t		cap;
	char	   *data;

	if (n > ctx->limit - out->len)
	{
		binlog_set_error(ctx->err, "binary JSON value of %zu bytes expands to more than %d times its size in text, so its elements must overlap",
						 ctx->doc_len, JSON_MAX_EXPANSION);
		return false;
	}
	need = out->len + n + 1;
	if (need <= out->cap)
		return true;
	cap = out->cap < 64 ? 64 : out->cap;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	data = realloc(out->data, cap);
	if (data == NULL)
	{
		binlog_set_error(ctx->err, "out of memory for %zu bytes of JSON text",
						 cap);
		return false;
	}
	out->data = data;
	out->cap = cap;
	return true;
}

/* Append n bytes. */
static bool
out_append(JsonCtx *ctx, const char *s, size_t n)
{
	if (!out_reserve(ctx, n))
		return false;
	memcpy(ctx->out->data + ctx->out->len, s, n);
	ctx->out->len += n;
	ctx->out->data[ctx->out->len] = '\0';
	return true;
}

static bool
out_str(JsonCtx *ctx, const char *s)
{
	return out_append(ctx, s, strlen(s));
}

/*
 * Read the variable-length unsigned integer that gives the length of
 * strings and opaque values: seven bits per byte, least significant
 * first, the top bit set on every byte but the last, at most five bytes
 * and at most UINT32_MAX, as MySQL writes it.
 */
static bool
read_varlen(JsonCtx *ctx, const uint8_t *p, size_t len, uint32_t *value,
			size_t *used)
{
	uint64_t	v = 0;

	for (size_t i = 0; i < 5; i++)
	{
		if (i >= len)
		{
			binlog_set_error(ctx->err, "binary JSON is truncated in a length at offset %zu",
							 doc_offset(ctx, p));
			return false;
		}
		v |= (uint64_t) (p[i] & 0x7f) << (7 * i);
		if ((p[i] & 0x80) == 0)
		{
			if (v > UINT32_MAX)
				break;
			*value = (uint32_t) v;
			*used = i + 1;
			return true;
		}
	}
	binlog_set_error(ctx->err, "binary JSON has an invalid length at offset %zu",
					 doc_offset(ctx, p));
	return false;
}

/*
 * Length of the well-formed UTF-8 sequence at s (at most n bytes), or 0
 * if there is none: no overlong forms, no surrogates, nothing above
 * U+10FFFF.
 */
static size_t
utf8_sequence_length(const uint8_t *s, size_t n)
{
	uint8_t		c = s[0];
	size_t		len;
	uint32_t	cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
	{
		len = 2;
		cp = c & 0x1f;
	}
	else if (c >= 0xe0 && c <= 0xef)
	{
		len = 3;
		cp = c & 0x0f;
	}
	else if (c >= 0xf0 && c <= 0xf4)
	{
		len = 4;
		cp = c & 0x07;
	}
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++)
	{
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		(cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/*
 * Append s (n bytes of UTF-8) as a quoted JSON string.  Runs of characters
 * that need no escape are copied in one go.  "what" names the string in
 * error messages and p locates it in the document.
 */
static bool
emit_string(JsonCtx *ctx, const uint8_t *s, size_t n, const char *what,
			const uint8_t *p)
{
	size_t		i = 0;
	size_t		run = 0;

	if (!out_reserve(ctx, n + 2) || !out_append(ctx, "\"", 1))
		return false;
	while (i < n)
	{
		uint8_t		c = s[i];
		size_t		seq;
		char		esc[8];

		if (c >= 0x20 && c != '"' && c != '\\')
		{
			seq = utf8_sequence_length(s + i, n - i);
			if (seq == 0)
			{
				binlog_set_error(ctx->err, "%s at offset %zu is not valid UTF-8 at its byte %zu",
								 what, doc_offset(ctx, p), i);
				return false;
			}
			i += seq;
			continue;
		}
		if (c == 0)
		{
			/* jsonb rejects \u0000, so there is no way to pass it on */
			binlog_set_error(ctx->err, "%s at offset %zu contains U+0000, which PostgreSQL's jsonb cannot hold",
							 what, doc_offset(ctx, p));
			return false;
		}
		if (!out_append(ctx, (const char *) s + run, i - run))
			return false;
		switch (c)
		{
			case '"':
				strcpy(esc, "\\\"");
				break;
			case '\\':
				strcpy(esc, "\\\\");
				break;
			case '\b':
				strcpy(esc, "\\b");
				break;
			case '\f':
				strcpy(esc, "\\f");
				break;
			case '\n':
				strcpy(esc, "\\n");
				break;
			case '\r':
				strcpy(esc, "\\r");
				break;
			case '\t':
				strcpy(esc, "\\t");
				break;
			default:
				snprintf(esc, sizeof(esc), "\\u%04x", c);
				break;
		}
		if (!out_str(ctx, esc))
			return false;
		i++;
		run = i;
	}
	return out_append(ctx, (const char *) s + run, n - run) &&
		out_append(ctx, "\"", 1);
}

/*
 * Append a double in the shortest form that reads back as the same
 * double, as MySQL prints it: with ".0" when it would otherwise look like
 * an integer.  JSON has no spelling for infinity or NaN.
 */
static bool
emit_double(JsonCtx *ctx, double d, const uint8_t *p)
{
	char		buf[64];

	if (!isfinite(d))
	{
		binlog_set_error(ctx->err, "binary JSON double at offset %zu is %s, which JSON cannot represent",
						 doc_offset(ctx, p), isnan(d) ? "NaN" : "infinite");
		return false;
	}
	for (int digits = 15; digits <= 17; digits++)
	{
		snprintf(buf, sizeof(buf), "%.*g", digits, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	if (strpbrk(buf, ".e") == NULL)
		strcat(buf, ".0");
	return out_str(ctx, buf);
}

/*
 * Append bytes as MySQL shows an opaque value it has no text form for:
 * "base64:type<N>:" and the standard base64 of the bytes, with a newline
 * after every 76 characters as MySQL's base64_encode writes it, all as a
 * JSON string (the newlines escaped).
 */
static bool
emit_base64(JsonCtx *ctx, int field_type, const uint8_t *s, size_t n)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char		prefix[32];
	size_t		line = 0;

	snprintf(prefix, sizeof(prefix), "\"base64:type%d:", field_type);
	if (!out_str(ctx, prefix))
		return false;
	for (size_t i = 0; i < n; i += 3)
	{
		uint32_t	c = (uint32_t) s[i] << 16;
		char		quad[4];

		/* the newline, escaped, as it sits inside a JSON string */
		if (line == 76)
		{
			if (!out_append(ctx, "\\n", 2))
				return false;
			line = 0;
		}
		if (i + 1 < n)
			c |= (uint32_t) s[i + 1] << 8;
		if (i + 2 < n)
			c |= s[i + 2];
		quad[0] = alphabet[(c >> 18) & 0x3f];
		quad[1] = alphabet[(c >> 12) & 0x3f];
		quad[2] = i + 1 < n ? alphabet[(c >> 6) & 0x3f] : '=';
		quad[3] = i + 2 < n ? alphabet[c & 0x3f] : '=';
		if (!out_append(ctx, quad, 4))
			return false;
		line += 4;
	}
	return out_append(ctx, "\"", 1);
}

/*
 * Append an opaque DATE, TIME, DATETIME or TIMESTAMP.  MySQL stores them
 * as its 8-byte little-endian "packed" integer: the magnitude holds the
 * microseconds in its low 24 bits and above them, for TIME, hours (10
 * bits), minutes and seconds (6 bits each); for the others year * 13 +
 * month, day (5 bits), then hours (5 bits), minutes and seconds.  A
 * negative number is a negative TIME.  MySQL prints the time part with
 * six fractional digits.
 */
static bool
emit_temporal(JsonCtx *ctx, int field_type, const uint8_t *s, size_t n,
			  const uint8_t *p)
{
	int64_t		packed;
	uint64_t	mag;
	uint64_t	frac;
	uint64_t	intpart;
	char		buf[80];

	if (n != 8)
	{
		binlog_set_error(ctx->err, "binary JSON opaque %s at offset %zu has %zu bytes instead of 8",
						 binlog_column_type_name(field_type),
						 doc_offset(ctx, p), n);
		return false;
	}
	packed = (int64_t) binlog_le_n(s, 8);
	/* negate in unsigned arithmetic so that INT64_MIN is no overflow */
	mag = packed < 0 ? 0 - (uint64_t) packed : (uint64_t) packed;
	frac = mag & 0xffffff;
	intpart = mag >> 24;
	if (frac > 999999)
	{
		binlog_set_error(ctx->err, "binary JSON opaque %s at offset %zu has %llu microseconds",
						 binlog_column_type_name(field_type),
						 doc_offset(ctx, p), (unsigned long long) frac);
		return false;
	}
	if (field_type == BINLOG_TYPE_TIME)
	{
		snprintf(buf, sizeof(buf), "\"%s%02u:%02u:%02u.%06u\"",
				 packed < 0 ? "-" : "",
				 (unsigned) ((intpart >> 12) & 0x3ff),
				 (unsigned) ((intpart >> 6) & 0x3f),
				 (unsigned) (intpart & 0x3f), (unsigned) frac);
	}
	else
	{
		uint64_t	ymd = intpart >> 17;
		uint64_t	hms = intpart & 0x1ffff;
		uint64_t	ym = ymd >> 5;

		if (packed < 0)
		{
			binlog_set_error(ctx->err, "binary JSON opaque %s at offset %zu is negative",
							 binlog_column_type_name(field_type),
							 doc_offset(ctx, p));
			return false;
		}
		if (field_type == BINLOG_TYPE_DATE)
			snprintf(buf, sizeof(buf), "\"%04u-%02u-%02u\"",
					 (unsigned) (ym / 13), (unsigned) (ym % 13),
					 (unsigned) (ymd & 0x1f));
		else
			snprintf(buf, sizeof(buf),
					 "\"%04u-%02u-%02u %02u:%02u:%02u.%06u\"",
					 (unsigned) (ym / 13), (unsigned) (ym % 13),
					 (unsigned) (ymd & 0x1f), (unsigned) (hms >> 12),
					 (unsigned) ((hms >> 6) & 0x3f), (unsigned) (hms & 0x3f),
					 (unsigned) frac);
	}
	return out_str(ctx, buf);
}

/*
 * Append an opaque value: a MySQL column type byte, a variable-length
 * length and that many bytes, at p (len bytes available).
 */
static bool
emit_opaque(JsonCtx *ctx, const uint8_t *p, size_t len)
{
	int			field_type;
	uint32_t	n;
	size_t		used;
	const uint8_t *s;

	if (len < 1)
	{
		binlog_set_error(ctx->err, "binary JSON is truncated in an opaque value at offset %zu",
						 doc_offset(ctx, p));
		return false;
	}
	field_type = p[0];
	if (!read_varlen(ctx, p + 1, len - 1, &n, &used))
		return false;
	if (n > len - 1 - used)
	{
		binlog_set_error(ctx->err, "binary JSON opaque value at offset %zu has length %u, only %zu bytes left",
						 doc_offset(ctx, p), n, len - 1 - used);
		return false;
	}
	s = p + 1 + used;

	switch (field_type)
	{
		case BINLOG_TYPE_NEWDECIMAL:
			{
				BinlogValue v;
				BinlogError cell_err;
				size_t		consumed = 0;

				/* precision and scale bytes, then the packed decimal */
				if (n < 2)
				{
					binlog_set_error(ctx->err, "binary JSON opaque DECIMAL at offset %zu has only %u bytes",
									 doc_offset(ctx, p), n);
					return false;
				}
				if (!binlog_decode_cell(BINLOG_TYPE_NEWDECIMAL,
										(uint16_t) ((s[0] << 8) | s[1]),
										false, -1, s + 2, n - 2, &v,
										&consumed, &cell_err) ||
					consumed != n - 2)
				{
					binlog_set_error(ctx->err, "binary JSON opaque DECIMAL(%d,%d) at offset %zu is invalid or has the wrong length %u",
									 s[0], s[1], doc_offset(ctx, p), n);
					return false;
				}
				return out_str(ctx, v.decimal);
			}
		case BINLOG_TYPE_DATE:
		case BINLOG_TYPE_TIME:
		case BINLOG_TYPE_DATETIME:
		case BINLOG_TYPE_TIMESTAMP:
			return emit_temporal(ctx, field_type, s, n, p);
		case BINLOG_TYPE_VAR_STRING:
			/* MySQL prints these as plain strings */
			return emit_string(ctx, s, n, "binary JSON opaque string", p);
		default:
			return emit_base64(ctx, field_type, s, n);
	}
}

/* Is a value of this type stored in the entry itself, not at an offset? */
static bool
is_inlined(int type, bool large)
{
	switch (type)
	{
		case JSONB_LITERAL:
		case JSONB_INT16:
		case JSONB_UINT16:
			return true;
		case JSONB_INT32:
		case JSONB_UINT32:
			return large;
		default:
			return false;
	}
}

/*
 * Append an object or array at p (len bytes available from p to the end
 * of the enclosing value): element count and total size, then for objects
 * the key entries (offset, 2-byte length), then the value entries (type
 * byte, then offset or inlined value), then keys and values.  All offsets
 * are relative to p and must stay within the container's size.
 */
static bool
emit_container(JsonCtx *ctx, int type, const uint8_t *p, size_t len,
			   int depth)
{
	bool		large = (type == JSONB_LARGE_OBJECT ||
						 type == JSONB_LARGE_ARRAY);
	bool		object = (type == JSONB_SMALL_OBJECT ||
						  type == JSONB_LARGE_OBJECT);
	int			osz = large ? 4 : 2;	/* size of counts and offsets */
	uint64_t	count;
	uint64_t	size;
	uint64_t	header;
	size_t		key_entry = (size_t) osz + 2;
	size_t		value_entry = 1 + (size_t) osz;
	const char *kind = object ? "object" : "array";

	if (depth >= JSON_MAX_DEPTH)
	{
		binlog_set_error(ctx->err, "binary JSON at offset %zu nests deeper than %d levels",
						 doc_offset(ctx, p), JSON_MAX_DEPTH);
		return false;
	}
	if (len < (size_t) osz * 2)
	{
		binlog_set_error(ctx->err, "binary JSON is truncated in the header of an %s at offset %zu",
						 kind, doc_offset(ctx, p));
		return false;
	}
	count = binlog_le_n(p, osz);
	size = binlog_le_n(p + osz, osz);
	if (size > len)
	{
		binlog_set_error(ctx->err, "binary JSON %s at offset %zu has size %llu, only %zu bytes left",
						 kind, doc_offset(ctx, p),
						 (unsigned long long) size, len);
		return false;
	}
	/* count < 2^32 and entries are small, so this cannot overflow */
	header = (uint64_t) osz * 2 +
		count * ((object ? key_entry : 0) + value_entry);
	if (header > size)
	{
		binlog_set_error(ctx->err, "binary JSON %s at offset %zu has %llu elements, too many for its size %llu",
						 kind, doc_offset(ctx, p),
						 (unsigned long long) count,
						 (unsigned long long) size);
		return false;
	}

	if (!out_append(ctx, object ? "{" : "[", 1))
		return false;
	for (uint64_t i = 0; i < count; i++)
	{
		const uint8_t *entry;
		int			vtype;

		if (i > 0 && !out_append(ctx, ", ", 2))
			return false;
		if (object)
		{
			const uint8_t *k = p + 2 * osz + i * key_entry;
			uint64_t	key_off = binlog_le_n(k, osz);
			uint64_t	key_len = binlog_le16(k + osz);

			if (key_off > size || key_len > size - key_off)
			{
				binlog_set_error(ctx->err, "binary JSON object at offset %zu has key %llu at %llu+%llu, beyond its size %llu",
								 doc_offset(ctx, p),
								 (unsigned long long) i,
								 (unsigned long long) key_off,
								 (unsigned long long) key_len,
								 (unsigned long long) size);
				return false;
			}
			if (!emit_string(ctx, p + key_off, (size_t) key_len,
							 "binary JSON object key", p + key_off) ||
				!out_append(ctx, ": ", 2))
				return false;
			entry = p + 2 * osz + count * key_entry + i * value_entry;
		}
		else
			entry = p + 2 * osz + i * value_entry;

		vtype = entry[0];
		if (is_inlined(vtype, large))
		{
			/* the value sits in the entry's offset field */
			if (!emit_value(ctx, vtype, entry + 1, (size_t) osz, depth + 1))
				return false;
		}
		else
		{
			uint64_t	off = binlog_le_n(entry + 1, osz);

			if (off >= size)
			{
				binlog_set_error(ctx->err, "binary JSON %s at offset %zu has element %llu at offset %llu, beyond its size %llu",
								 kind, doc_offset(ctx, p),
								 (unsigned long long) i,
								 (unsigned long long) off,
								 (unsigned long long) size);
				return false;
			}
			if (!emit_value(ctx, vtype, p + off, (size_t) (size - off),
							depth + 1))
				return false;
		}
	}
	return out_append(ctx, object ? "}" : "]", 1);
}

/*
 * Append the value of the given type whose bytes start at p, with len
 * bytes available.  depth is the number of containers around it.
 */
static bool
emit_value(JsonCtx *ctx, int type, const uint8_t *p, size_t len, int depth)
{
	static const size_t scalar_size[] = {
		[JSONB_LITERAL] = 1,
		[JSONB_INT16] = 2,
		[JSONB_UINT16] = 2,
		[JSONB_INT32] = 4,
		[JSONB_UINT32] = 4,
		[JSONB_INT64] = 8,
		[JSONB_UINT64] = 8,
		[JSONB_DOUBLE] = 8,
	};
	char		buf[32];

	if (type >= JSONB_LITERAL && type <= JSONB_DOUBLE &&
		len < scalar_size[type])
	{
		binlog_set_error(ctx->err, "binary JSON is truncated in a scalar of type %d at offset %zu",
						 type, doc_offset(ctx, p));
		return false;
	}

	switch (type)
	{
		case JSONB_SMALL_OBJECT:
		case JSONB_LARGE_OBJECT:
		case JSONB_SMALL_ARRAY:
		case JSONB_LARGE_ARRAY:
			return emit_container(ctx, type, p, len, depth);
		case JSONB_LITERAL:
			switch (p[0])
			{
				case JSONB_NULL_LITERAL:
					return out_str(ctx, "null");
				case JSONB_TRUE_LITERAL:
					return out_str(ctx, "true");
				case JSONB_FALSE_LITERAL:
					return out_str(ctx, "false");
			}
			binlog_set_error(ctx->err, "binary JSON has an invalid literal %u at offset %zu",
							 p[0], doc_offset(ctx, p));
			return false;
		case JSONB_INT16:
			snprintf(buf, sizeof(buf), "%d", (int) (int16_t) binlog_le16(p));
			return out_str(ctx, buf);
		case JSONB_UINT16:
			snprintf(buf, sizeof(buf), "%u", (unsigned) binlog_le16(p));
			return out_str(ctx, buf);
		case JSONB_INT32:
			snprintf(buf, sizeof(buf), "%ld",
					 (long) (int32_t) binlog_le32(p));
			return out_str(ctx, buf);
		case JSONB_UINT32:
			snprintf(buf, sizeof(buf), "%lu", (unsigned long) binlog_le32(p));
			return out_str(ctx, buf);
		case JSONB_INT64:
			snprintf(buf, sizeof(buf), "%lld",
					 (long long) (int64_t) binlog_le_n(p, 8));
			return out_str(ctx, buf);
		case JSONB_UINT64:
			snprintf(buf, sizeof(buf), "%llu",
					 (unsigned long long) binlog_le_n(p, 8));
			return out_str(ctx, buf);
		case JSONB_DOUBLE:
			{
				uint64_t	bits = binlog_le_n(p, 8);
				double		d;

				memcpy(&d, &bits, sizeof(d));
				return emit_double(ctx, d, p);
			}
		case JSONB_STRING:
			{
				uint32_t	n;
				size_t		used;

				if (!read_varlen(ctx, p, len, &n, &used))
					return false;
				if (n > len - used)
				{
					binlog_set_error(ctx->err, "binary JSON string at offset %zu has length %u, only %zu bytes left",
									 doc_offset(ctx, p), n, len - used);
					return false;
				}
				return emit_string(ctx, p + used, n, "binary JSON string", p);
			}
		case JSONB_OPAQUE:
			return emit_opaque(ctx, p, len);
	}
	binlog_set_error(ctx->err, "binary JSON has an unknown value type %d before offset %zu",
					 type, doc_offset(ctx, p));
	return false;
}

/*
 * Convert a binary JSON document into JSON text appended to out; see
 * binlog.h.  On failure out->len is restored so that a caller can report
 * the error and go on with the same buffer.
 */
bool
binlog_json_to_text(const uint8_t *data, size_t len, BinlogJsonOutput *out,
					BinlogError *err)
{
	JsonCtx		ctx;
	size_t		start_len = out->len;
	bool		ok;

	if (err)
		err->message[0] = '\0';
	ctx.base = data;
	ctx.doc_len = len;
	ctx.out = out;
	ctx.err = err;
	/* the bound on the text, computed so that it cannot overflow */
	if (len > (SIZE_MAX - JSON_MIN_LIMIT - 1 - start_len) / JSON_MAX_EXPANSION)
		ctx.limit = SIZE_MAX - 1;
	else
		ctx.limit = start_len + len * JSON_MAX_EXPANSION + JSON_MIN_LIMIT;
	/* MySQL reads a JSON column of zero bytes as JSON null */
	if (len == 0)
		ok = out_str(&ctx, "null");
	else
		ok = emit_value(&ctx, data[0], data + 1, len - 1, 0);
	if (!ok)
	{
		out->len = start_len;
		if (out->data)
			out->data[start_len] = '\0';
	}
	return ok;
}

/*
 * Decode the next diff of a partial JSON update; see binlog.h for the
 * layout and the contract.
 */
bool
binlog_json_diff_next(BinlogJsonDiffCursor *cur, BinlogJsonDiff *diff,
					  BinlogError *err)
{
	BinlogReader r;
	size_t		start = cur->offset;
	uint64_t	path_len;
	uint64_t	value_len;
	const uint8_t *path;
	int			op;

	if (err)
		err->message[0] = '\0';
	if (cur->data == NULL || start >= cur->len)
		return false;
	r.pos = cur->data + start;
	r.end = cur->data + cur->len;

	op = *r.pos++;
	if (op > BINLOG_JSON_DIFF_REMOVE)
	{
		binlog_set_error(err, "JSON diff at offset %zu has unknown operation %d",
						 start, op);
		return false;
	}
	if (!binlog_get_lenenc(&r, &path_len))
	{
		binlog_set_error(err, "JSON diff at offset %zu is truncated or invalid in its path length",
						 start);
		return false;
	}
	if (path_len > binlog_reader_left(&r))
	{
		binlog_set_error(err, "JSON diff at offset %zu has a path of %llu bytes, only %zu left",
						 start, (unsigned long long) path_len,
						 binlog_reader_left(&r));
		return false;
	}
	path = r.pos;
	r.pos += path_len;
	/* every MySQL JSON path starts at the document, "$" */
	if (path_len == 0 || path[0] != '$')
	{
		binlog_set_error(err, "JSON diff at offset %zu has a path that does not start with \"$\"",
						 start);
		return false;
	}

	diff->op = (BinlogJsonDiffOp) op;
	diff->path = (const char *) path;
	diff->path_len = (size_t) path_len;
	diff->value = NULL;
	diff->value_len = 0;
	if (op != BINLOG_JSON_DIFF_REMOVE)
	{
		if (!binlog_get_lenenc(&r, &value_len))
		{
			binlog_set_error(err, "JSON diff at offset %zu is truncated or invalid in its value length",
							 start);
			return false;
		}
		if (value_len > binlog_reader_left(&r))
		{
			binlog_set_error(err, "JSON diff at offset %zu has a value of %llu bytes, only %zu left",
							 start, (unsigned long long) value_len,
							 binlog_reader_left(&r));
			return false;
		}
		diff->value = r.pos;
		diff->value_len = (size_t) value_len;
		r.pos += value_len;
	}
	cur->offset = (size_t) (r.pos - cur->data);
	return true;
}
