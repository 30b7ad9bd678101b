/*-------------------------------------------------------------------------
 *
 * rows.c
 *	  Decoding of rows events (WRITE/UPDATE/DELETE_ROWS, v1 and v2) and of
 *	  the row images inside them, cell by cell.
 *
 * A row image is a bitmap of NULL columns followed by the non-NULL cells
 * of the columns present in the image, back to back, each in the packed
 * format of its column type.  Nothing in the image says how long a cell
 * is: that comes from the column type and metadata of the table map, so
 * one unknown type stops the decoding of the whole event.
 *
 *-------------------------------------------------------------------------
 */
#include "binlog_int.h"

#include <stdio.h>
#include <string.h>

/* Outcome of decoding one cell. */
typedef enum CellStatus
{
	CELL_OK,
	CELL_TRUNCATED,				/* fewer bytes left than the cell needs */
	CELL_INVALID,				/* bytes or metadata impossible for the type */
	CELL_UNSUPPORTED			/* a type whose cells cannot be located */
} CellStatus;

/*
 * Decode a rows event's post-header and the fixed parts of its body: the
 * table id, flags, the v2 extra data (skipped), the column count and the
 * column bitmaps.  The row images are left for binlog_rows_next.
 */
bool
binlog_decode_rows_header(const BinlogFormat *fmt, const BinlogEvent *ev,
						  BinlogRowsEvent *rows, BinlogError *err)
{
	int			type = ev->header.type;
	bool		v2 = false;
	int			id_size;
	size_t		fixed,
				phl,
				bitmap_len;
	uint64_t	ncols;
	BinlogReader r;
	unsigned long long off = binlog_event_offset(ev);
	const char *name = binlog_event_type_name(type);

	memset(rows, 0, sizeof(*rows));
	switch (type)
	{
		case BINLOG_WRITE_ROWS_EVENT:
			v2 = true;
			/* FALLTHROUGH */
		case BINLOG_WRITE_ROWS_EVENT_V1:
			rows->kind = BINLOG_ROWS_INSERT;
			break;
		case BINLOG_UPDATE_ROWS_EVENT:
			v2 = true;
			/* FALLTHROUGH */
		case BINLOG_UPDATE_ROWS_EVENT_V1:
			rows->kind = BINLOG_ROWS_UPDATE;
			break;
		case BINLOG_DELETE_ROWS_EVENT:
			v2 = true;
			/* FALLTHROUGH */
		case BINLOG_DELETE_ROWS_EVENT_V1:
			rows->kind = BINLOG_ROWS_DELETE;
			break;
		case BINLOG_PARTIAL_UPDATE_ROWS_EVENT:
			v2 = true;
			rows->partial = true;
			rows->kind = BINLOG_ROWS_UPDATE;
			break;
		default:
			binlog_set_error(err, "%s event at offset %llu cannot be decoded as a rows event",
							 name, off);
			return false;
	}

	id_size = binlog_table_id_size(fmt, type);
	fixed = id_size + 2 + (v2 ? 2 : 0);
	phl = fmt->post_header_len[type - 1];
	if (phl < fixed)
		phl = fixed;
	r.pos = ev->body;
	r.end = ev->body + ev->body_len;
	if (binlog_reader_left(&r) < phl)
	{
		binlog_set_error(err, "%s event at offset %llu is truncated in its post-header",
						 name, off);
		return false;
	}
	rows->table_id = binlog_le_n(r.pos, id_size);
	rows->flags = binlog_le16(r.pos + id_size);
	if (v2)
	{
		/* the extra data length counts its own two bytes */
		size_t		extra = binlog_le16(r.pos + id_size + 2);

		r.pos += phl;
		if (extra < 2 || !binlog_get_bytes(&r, extra - 2, NULL))
		{
			binlog_set_error(err, "%s event at offset %llu has extra data of impossible length %zu",
							 name, off, extra);
			return false;
		}
	}
	else
		r.pos += phl;

	if (!binlog_get_lenenc(&r, &ncols) || ncols > 0x7fffffff)
	{
		binlog_set_error(err, "%s event at offset %llu is truncated in its column count",
						 name, off);
		return false;
	}
	rows->ncols = (int) ncols;
	bitmap_len = ((size_t) ncols + 7) / 8;
	if (!binlog_get_bytes(&r, bitmap_len, &rows->columns_before) ||
		(rows->kind == BINLOG_ROWS_UPDATE &&
		 !binlog_get_bytes(&r, bitmap_len, &rows->columns_after)))
	{
		binlog_set_error(err, "%s event at offset %llu is truncated in its column bitmaps",
						 name, off);
		return false;
	}
	rows->rows = r.pos;
	rows->rows_len = binlog_reader_left(&r);
	return true;
}

/* Start reading the rows of a rows event, whose table map is map. */
void
binlog_rows_cursor_init(BinlogRowsCursor *cur, const BinlogRowsEvent *rows,
						const BinlogTableMap *map)
{
	cur->event = rows;
	cur->map = map;
	cur->offset = 0;
}

/* Sign-extend the low "bits" bits of v. */
static int64_t
sign_extend(uint64_t v, int bits)
{
	uint64_t	sign = (uint64_t) 1 << (bits - 1);

	v &= (sign << 1) - 1;
	return (int64_t) ((v ^ sign) - sign);
}

/*
 * Decode a packed DECIMAL(precision, scale) into text.  The format stores
 * groups of nine decimal digits in four big-endian bytes, with a shorter
 * group for leftover digits at both ends, the integer part first; the top
 * bit of the first byte is set for non-negative numbers, and negative
 * numbers have every byte inverted.
 */
static CellStatus
decode_decimal(const uint8_t *p, size_t left, int precision, int scale,
			   char *out, size_t *used)
{
	static const int dig2bytes[10] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
	static const uint32_t pow10[10] = {1, 10, 100, 1000, 10000, 100000,
	1000000, 10000000, 100000000, 1000000000};
	int			intg,
				intg0,
				intg0x,
				frac0,
				frac0x;
	size_t		size;
	uint8_t		buf[40];
	char		digits[80];
	int			nd = 0;
	bool		negative;
	size_t		pos = 0;
	int			first;
	char	   *o = out;

	if (precision < 1 || precision > 65 || scale > 30 || scale > precision)
		return CELL_INVALID;
	intg = precision - scale;
	intg0 = intg / 9;
	intg0x = intg % 9;
	frac0 = scale / 9;
	frac0x = scale % 9;
	size = intg0 * 4 + dig2bytes[intg0x] + frac0 * 4 + dig2bytes[frac0x];
	if (left < size)
		return CELL_TRUNCATED;

	memcpy(buf, p, size);
	negative = (buf[0] & 0x80) == 0;
	buf[0] ^= 0x80;
	if (negative)
		for (size_t i = 0; i < size; i++)
			buf[i] ^= 0xff;

	/* every digit of the number, zero-padded, integer part first */
	for (int g = -1; g < intg0 + frac0 + 1; g++)
	{
		int			ndig;
		int			nbytes;
		uint32_t	v;

		if (g == -1)
			ndig = intg0x;
		else if (g < intg0 + frac0)
			ndig = 9;
		else
			ndig = frac0x;
		if (ndig == 0)
			continue;
		nbytes = dig2bytes[ndig];
		v = (uint32_t) binlog_be_n(buf + pos, nbytes);
		pos += nbytes;
		if (v >= pow10[ndig])
			return CELL_INVALID;
		for (int d = ndig - 1; d >= 0; d--)
		{
			digits[nd + d] = (char) ('0' + v % 10);
			v /= 10;
		}
		nd += ndig;
	}

	/* strip leading zeros of the integer part, keeping one */
	first = 0;
	while (first < intg - 1 && digits[first] == '0')
		first++;
	if (negative)
	{
		bool		zero = true;

		for (int i = 0; i < nd; i++)
			if (digits[i] != '0')
				zero = false;
		/* the format can spell minus zero; print it as zero */
		if (!zero)
			*o++ = '-';
	}
	if (intg == 0)
		*o++ = '0';
	for (int i = first; i < intg; i++)
		*o++ = digits[i];
	if (scale > 0)
	{
		*o++ = '.';
		for (int i = intg; i < nd; i++)
			*o++ = digits[i];
	}
	*o = '\0';
	*used = size;
	return CELL_OK;
}

/*
 * Read the fractional part that follows TIME2, DATETIME2 and TIMESTAMP2:
 * (fsp + 1) / 2 big-endian bytes holding the fraction in units of
 * 10^-(2 * bytes) seconds.  Returned in raw units, sign as stored.
 */
static int
frac_bytes(int fsp)
{
	return (fsp + 1) / 2;
}

/* Fill a BinlogTime from MySQL's packed time-of-day representation. */
static void
time_from_packed(int64_t packed, BinlogTime *tm, bool with_date)
{
	uint64_t	hms;
	uint64_t	magnitude;

	/* in unsigned arithmetic, since a corrupt cell can hold INT64_MIN */
	tm->negative = packed < 0;
	magnitude = packed < 0 ? 0 - (uint64_t) packed : (uint64_t) packed;
	tm->usec = (int) (magnitude % (1 << 24));
	hms = magnitude >> 24;
	if (with_date)
	{
		uint64_t	ymd = hms >> 17;
		uint64_t	ym = ymd >> 5;

		hms %= (1 << 17);
		tm->day = (int) (ymd % 32);
		tm->month = (int) (ym % 13);
		tm->year = (int) (ym / 13);
		tm->second = (int) (hms % 64);
		tm->minute = (int) ((hms >> 6) % 64);
		tm->hour = (int) (hms >> 12);
	}
	else
	{
		tm->hour = (int) ((hms >> 12) % 1024);
		tm->minute = (int) ((hms >> 6) % 64);
		tm->second = (int) (hms % 64);
	}
}

/*
 * Decode TIME2 or DATETIME2 into a packed value: integer part times 2^24
 * plus microseconds.  Negative times borrow one second when they have a
 * fraction, so the fraction is stored as its complement.
 */
static CellStatus
decode_packed_temporal(const uint8_t *p, size_t left, int fsp, bool datetime,
					   int64_t *packed, size_t *used)
{
	int			ilen = datetime ? 5 : 3;
	int			flen;
	int64_t		intpart;
	int64_t		frac = 0;

	if (fsp > 6)
		return CELL_INVALID;
	flen = frac_bytes(fsp);
	if (left < (size_t) (ilen + flen))
		return CELL_TRUNCATED;
	*used = ilen + flen;

	if (!datetime && flen == 3)
	{
		/* TIME2(5..6): one 48-bit number offset by 2^47 */
		*packed = (int64_t) binlog_be_n(p, 6) - ((int64_t) 1 << 47);
		return CELL_OK;
	}
	intpart = (int64_t) binlog_be_n(p, ilen) -
		((int64_t) 1 << (ilen * 8 - 1));
	if (datetime)
	{
		if (flen == 1)
			frac = (int8_t) p[5] * 10000;
		else if (flen == 2)
			frac = (int16_t) binlog_be_n(p + 5, 2) * 100;
		else if (flen == 3)
			frac = sign_extend(binlog_be_n(p + 5, 3), 24);
	}
	else if (flen > 0)
	{
		frac = (int64_t) binlog_be_n(p + 3, flen);
		if (intpart < 0 && frac != 0)
		{
			intpart++;
			frac -= (int64_t) 1 << (8 * flen);
		}
		frac *= (flen == 1) ? 10000 : 100;
	}

	/*
	 * Valid cells are far from the int64 limits, but a corrupt DATETIME2
	 * reaches -2^63 before its fraction is added: wrap instead of
	 * overflowing, the value is garbage either way.
	 */
	*packed = (int64_t) ((uint64_t) intpart * ((uint64_t) 1 << 24) +
						 (uint64_t) frac);
	return CELL_OK;
}

/*
 * Decode one cell.  type and meta are the column's table map type and
 * metadata, is_unsigned and collation its optional metadata.  On success
 * *used is the number of bytes the cell took.
 */
static CellStatus
decode_cell(int type, uint16_t meta, bool is_unsigned, int collation,
			const uint8_t *p, size_t left, BinlogValue *v, size_t *used)
{
	int			n = 0;
	size_t		len = 0;

	memset(v, 0, sizeof(*v));
	v->column_type = (uint8_t) type;
	v->str.collation = -1;

	switch (type)
	{
		case BINLOG_TYPE_TINY:
			n = 1;
			goto integer;
		case BINLOG_TYPE_SHORT:
			n = 2;
			goto integer;
		case BINLOG_TYPE_INT24:
			n = 3;
			goto integer;
		case BINLOG_TYPE_LONG:
			n = 4;
			goto integer;
		case BINLOG_TYPE_LONGLONG:
			n = 8;
	integer:
			if (left < (size_t) n)
				return CELL_TRUNCATED;
			if (is_unsigned)
			{
				v->kind = BINLOG_VALUE_UINT;
				v->u = binlog_le_n(p, n);
			}
			else
			{
				v->kind = BINLOG_VALUE_INT;
				v->i = sign_extend(binlog_le_n(p, n), n * 8);
			}
			*used = n;
			return CELL_OK;

		case BINLOG_TYPE_FLOAT:
			{
				uint32_t	bits;
				float		f;

				if (left < 4)
					return CELL_TRUNCATED;
				bits = binlog_le32(p);
				memcpy(&f, &bits, sizeof(f));
				v->kind = BINLOG_VALUE_FLOAT;
				v->d = f;
				*used = 4;
				return CELL_OK;
			}
		case BINLOG_TYPE_DOUBLE:
			{
				uint64_t	bits;

				if (left < 8)
					return CELL_TRUNCATED;
				bits = binlog_le_n(p, 8);
				memcpy(&v->d, &bits, sizeof(v->d));
				v->kind = BINLOG_VALUE_DOUBLE;
				*used = 8;
				return CELL_OK;
			}

		case BINLOG_TYPE_NEWDECIMAL:
			v->kind = BINLOG_VALUE_DECIMAL;
			return decode_decimal(p, left, meta >> 8, meta & 0xff,
								  v->decimal, used);

		case BINLOG_TYPE_NULL:
			v->kind = BINLOG_VALUE_NULL;
			*used = 0;
			return CELL_OK;

		case BINLOG_TYPE_YEAR:
			if (left < 1)
				return CELL_TRUNCATED;
			v->kind = BINLOG_VALUE_YEAR;
			v->i = p[0] ? 1900 + p[0] : 0;
			*used = 1;
			return CELL_OK;

		case BINLOG_TYPE_DATE:
		case BINLOG_TYPE_NEWDATE:
			{
				uint32_t	d;

				if (left < 3)
					return CELL_TRUNCATED;
				d = binlog_le24(p);
				v->kind = BINLOG_VALUE_DATE;
				v->tm.day = d & 31;
				v->tm.month = (d >> 5) & 15;
				v->tm.year = d >> 9;
				*used = 3;
				return CELL_OK;
			}

		case BINLOG_TYPE_TIME:
			{
				/* HHMMSS as a signed decimal number in three bytes */
				int64_t		t;

				if (left < 3)
					return CELL_TRUNCATED;
				t = sign_extend(binlog_le24(p), 24);
				v->kind = BINLOG_VALUE_TIME;
				v->tm.negative = t < 0;
				if (t < 0)
					t = -t;
				v->tm.hour = (int) (t / 10000);
				v->tm.minute = (int) (t / 100 % 100);
				v->tm.second = (int) (t % 100);
				*used = 3;
				return CELL_OK;
			}

		case BINLOG_TYPE_DATETIME:
			{
				/* YYYYMMDDhhmmss as a decimal number in eight bytes */
				uint64_t	dt,
							date,
							time;

				if (left < 8)
					return CELL_TRUNCATED;
				dt = binlog_le_n(p, 8);
				date = dt / 1000000;
				time = dt % 1000000;
				v->kind = BINLOG_VALUE_DATETIME;
				v->tm.year = (int) (date / 10000 % 100000);
				v->tm.month = (int) (date / 100 % 100);
				v->tm.day = (int) (date % 100);
				v->tm.hour = (int) (time / 10000);
				v->tm.minute = (int) (time / 100 % 100);
				v->tm.second = (int) (time % 100);
				*used = 8;
				return CELL_OK;
			}

		case BINLOG_TYPE_TIMESTAMP:
			if (left < 4)
				return CELL_TRUNCATED;
			v->kind = BINLOG_VALUE_TIMESTAMP;
			v->ts.sec = binlog_le32(p);
			*used = 4;
			return CELL_OK;

		case BINLOG_TYPE_TIMESTAMP2:
			{
				int			flen;

				if (meta > 6)
					return CELL_INVALID;
				flen = frac_bytes(meta);
				if (left < (size_t) (4 + flen))
					return CELL_TRUNCATED;
				v->kind = BINLOG_VALUE_TIMESTAMP;
				v->ts.sec = (int64_t) binlog_be_n(p, 4);
				v->ts.fsp = meta;
				if (flen == 1)
					v->ts.usec = p[4] * 10000;
				else if (flen == 2)
					v->ts.usec = (int) binlog_be_n(p + 4, 2) * 100;
				else if (flen == 3)
					v->ts.usec = (int) binlog_be_n(p + 4, 3);
				if (v->ts.usec >= 1000000)
					return CELL_INVALID;
				*used = 4 + flen;
				return CELL_OK;
			}

		case BINLOG_TYPE_TIME2:
		case BINLOG_TYPE_DATETIME2:
			{
				bool		dt = (type == BINLOG_TYPE_DATETIME2);
				int64_t		packed;
				CellStatus	st;

				st = decode_packed_temporal(p, left, meta, dt, &packed, used);
				if (st != CELL_OK)
					return st;
				v->kind = dt ? BINLOG_VALUE_DATETIME : BINLOG_VALUE_TIME;
				time_from_packed(packed, &v->tm, dt);
				v->tm.fsp = meta;
				if (v->tm.usec >= 1000000)
					return CELL_INVALID;
				return CELL_OK;
			}

		case BINLOG_TYPE_VARCHAR:
		case BINLOG_TYPE_VAR_STRING:
			n = meta < 256 ? 1 : 2;
			goto counted_string;

		case BINLOG_TYPE_STRING:
		case BINLOG_TYPE_ENUM:
		case BINLOG_TYPE_SET:
			{
				int			real = type;
				size_t		maxlen = meta & 0xff;

				if (meta >= 256)
				{
					int			b0 = meta >> 8;

					/* long CHAR keeps two high length bits in 0x30 */
					if ((b0 & 0x30) != 0x30)
						maxlen |= (size_t) ((b0 & 0x30) ^ 0x30) << 4;
					real = b0 | 0x30;
				}
				if (real == BINLOG_TYPE_ENUM)
				{
					if (maxlen != 1 && maxlen != 2)
						return CELL_INVALID;
					if (left < maxlen)
						return CELL_TRUNCATED;
					v->column_type = BINLOG_TYPE_ENUM;
					v->kind = BINLOG_VALUE_ENUM;
					v->u = binlog_le_n(p, (int) maxlen);
					*used = maxlen;
					return CELL_OK;
				}
				if (real == BINLOG_TYPE_SET)
				{
					if (maxlen < 1 || maxlen > 8)
						return CELL_INVALID;
					if (left < maxlen)
						return CELL_TRUNCATED;
					v->column_type = BINLOG_TYPE_SET;
					v->kind = BINLOG_VALUE_SET;
					v->u = binlog_le_n(p, (int) maxlen);
					*used = maxlen;
					return CELL_OK;
				}
				v->column_type = BINLOG_TYPE_STRING;
				n = maxlen < 256 ? 1 : 2;
			}
	counted_string:
			if (left < (size_t) n)
				return CELL_TRUNCATED;
			len = binlog_le_n(p, n);
			if (left - n < len)
				return CELL_TRUNCATED;
			v->kind = collation == 63 ? BINLOG_VALUE_BYTES : BINLOG_VALUE_STRING;
			v->str.ptr = p + n;
			v->str.len = len;
			v->str.collation = collation;
			*used = n + len;
			return CELL_OK;

		case BINLOG_TYPE_BIT:
			{
				int			bits = meta & 0xff;
				int			bytes = meta >> 8;

				if (bits > 7)
					return CELL_INVALID;
				len = bytes + (bits ? 1 : 0);
				if (left < len)
					return CELL_TRUNCATED;
				v->kind = BINLOG_VALUE_BIT;
				/* BIT is at most 64 bits; keep the low eight bytes */
				v->u = len > 8 ? binlog_be_n(p + len - 8, 8)
					: binlog_be_n(p, (int) len);
				v->str.ptr = p;
				v->str.len = len;
				*used = len;
				return CELL_OK;
			}

		case BINLOG_TYPE_TINY_BLOB:
		case BINLOG_TYPE_MEDIUM_BLOB:
		case BINLOG_TYPE_LONG_BLOB:
		case BINLOG_TYPE_BLOB:
		case BINLOG_TYPE_JSON:
		case BINLOG_TYPE_GEOMETRY:
		case BINLOG_TYPE_VECTOR:
			if (meta < 1 || meta > 4)
				return CELL_INVALID;
			n = meta;
			if (left < (size_t) n)
				return CELL_TRUNCATED;
			len = binlog_le_n(p, n);
			if (left - n < len)
				return CELL_TRUNCATED;
			v->str.ptr = p + n;
			v->str.len = len;
			*used = n + len;
			if (type == BINLOG_TYPE_JSON)
				v->kind = BINLOG_VALUE_JSON;
			else if (type == BINLOG_TYPE_GEOMETRY)
				v->kind = BINLOG_VALUE_GEOMETRY;
			else if (type == BINLOG_TYPE_VECTOR)
				v->kind = BINLOG_VALUE_VECTOR;
			else
			{
				v->kind = collation == 63 ? BINLOG_VALUE_BYTES
					: BINLOG_VALUE_STRING;
				v->str.collation = collation;
			}
			return CELL_OK;
	}

	/*
	 * Old DECIMAL (type 0) has no metadata giving its length, and typed
	 * arrays and the internal types never reach a binlog; none of them can
	 * be skipped, so the row cannot be decoded.
	 */
	return CELL_UNSUPPORTED;
}

/*
 * Decode one cell outside any rows event, as binlog_rows_next would for a
 * column of this table map type and metadata.  For tests and tools.
 */
bool
binlog_decode_cell(int type, uint16_t meta, bool is_unsigned, int collation,
				   const uint8_t *buf, size_t len, BinlogValue *value,
				   size_t *consumed, BinlogError *err)
{
	size_t		used = 0;
	CellStatus	st = decode_cell(type, meta, is_unsigned, collation, buf, len,
								 value, &used);

	switch (st)
	{
		case CELL_OK:
			*consumed = used;
			return true;
		case CELL_TRUNCATED:
			binlog_set_error(err, "%s cell with metadata %u is truncated at %zu bytes",
							 binlog_column_type_name(type), meta, len);
			break;
		case CELL_INVALID:
			binlog_set_error(err, "%s cell with metadata %u is invalid",
							 binlog_column_type_name(type), meta);
			break;
		case CELL_UNSUPPORTED:
			binlog_set_error(err, "column type %s (%d) is not supported",
							 binlog_column_type_name(type), type);
			break;
	}
	return false;
}

/* "column 3 (\"c\")", or "column 3" without column names. */
static void
describe_column(const BinlogTableMap *map, int i, char *buf, size_t size)
{
	if (map->column_names && map->column_names[i])
		snprintf(buf, size, "column %d (\"%s\")", i + 1,
				 map->column_names[i]);
	else
		snprintf(buf, size, "column %d", i + 1);
}

/*
 * The start of a PARTIAL_UPDATE_ROWS after image: value_options, and when
 * it says PARTIAL_JSON, the bitmap (one bit per JSON column of the table)
 * of the cells written as diffs, which *partial receives (else NULL).
 */
static bool
decode_partial_header(const BinlogRowsCursor *cur, size_t *pos,
					  const uint8_t **partial, BinlogError *err)
{
	const BinlogRowsEvent *ev = cur->event;
	const BinlogTableMap *map = cur->map;
	BinlogReader r;
	uint64_t	options;
	int			njson = 0;

	r.pos = ev->rows + *pos;
	r.end = ev->rows + ev->rows_len;
	*partial = NULL;
	if (!binlog_get_lenenc(&r, &options))
	{
		binlog_set_error(err, "after image of table \"%s\".\"%s\" is truncated in its value options",
						 map->db, map->table);
		return false;
	}
	if (options & 1)
	{
		for (int i = 0; i < map->ncols; i++)
			if (map->types[i] == BINLOG_TYPE_JSON)
				njson++;
		if (!binlog_get_bytes(&r, ((size_t) njson + 7) / 8, partial))
		{
			binlog_set_error(err, "after image of table \"%s\".\"%s\" is truncated in its partial JSON bitmap",
							 map->db, map->table);
			return false;
		}
	}
	*pos = r.pos - ev->rows;
	return true;
}

/*
 * Decode one row image starting at *pos: the NULL bitmap of the present
 * columns, then their cells.  Columns not in "present" (or beyond the
 * event's column count) come out ABSENT.  "partial" marks the JSON
 * columns (counted among JSON columns only) whose cells are diffs.
 */
static bool
decode_image(const BinlogRowsCursor *cur, const uint8_t *present,
			 const uint8_t *partial, size_t *pos, BinlogValue *vals,
			 const char *which, BinlogError *err)
{
	int			json_col = 0;
	const BinlogRowsEvent *ev = cur->event;
	const BinlogTableMap *map = cur->map;
	const uint8_t *data = ev->rows;
	size_t		end = ev->rows_len;
	size_t		npresent = 0;
	size_t		null_len;
	const uint8_t *nulls;
	size_t		k = 0;
	char		col[128];

	for (int i = 0; i < ev->ncols; i++)
		if (binlog_bitmap_is_set(present, i))
			npresent++;
	null_len = (npresent + 7) / 8;
	if (end - *pos < null_len)
	{
		binlog_set_error(err, "%s row image of table \"%s\".\"%s\" is truncated in its null bitmap",
						 which, map->db, map->table);
		return false;
	}
	nulls = data + *pos;
	*pos += null_len;

	for (int i = 0; i < map->ncols; i++)
	{
		size_t		used = 0;
		CellStatus	st;
		bool		uns;
		int			coll;
		int			jidx = -1;

		/* the partial bitmap counts every JSON column of the table */
		if (map->types[i] == BINLOG_TYPE_JSON)
			jidx = json_col++;

		if (i >= ev->ncols || !binlog_bitmap_is_set(present, i))
		{
			memset(&vals[i], 0, sizeof(BinlogValue));
			vals[i].kind = BINLOG_VALUE_ABSENT;
			vals[i].column_type = map->real_types[i];
			vals[i].str.collation = -1;
			continue;
		}
		if (binlog_bitmap_is_set(nulls, (int) k++))
		{
			memset(&vals[i], 0, sizeof(BinlogValue));
			vals[i].kind = BINLOG_VALUE_NULL;
			vals[i].column_type = map->real_types[i];
			vals[i].str.collation = -1;
			continue;
		}
		/* A JSON cell written as diffs: a 4-byte length and the diffs. */
		if (map->types[i] == BINLOG_TYPE_JSON && partial != NULL &&
			binlog_bitmap_is_set(partial, jidx))
		{
			size_t		len;

			if (end - *pos < 4 || end - *pos - 4 < binlog_le32(data + *pos))
			{
				describe_column(map, i, col, sizeof(col));
				binlog_set_error(err, "%s row image of table \"%s\".\"%s\" is truncated in the JSON diffs of %s",
								 which, map->db, map->table, col);
				return false;
			}
			len = binlog_le32(data + *pos);
			memset(&vals[i], 0, sizeof(BinlogValue));
			vals[i].kind = BINLOG_VALUE_JSON_DIFF;
			vals[i].column_type = map->real_types[i];
			vals[i].str.ptr = data + *pos + 4;
			vals[i].str.len = len;
			vals[i].str.collation = -1;
			*pos += 4 + len;
			continue;
		}

		uns = map->is_unsigned ? map->is_unsigned[i] : false;
		coll = map->collation ? map->collation[i] : -1;
		st = decode_cell(map->types[i], map->meta[i], uns, coll,
						 data + *pos, end - *pos, &vals[i], &used);
		if (st != CELL_OK)
		{
			describe_column(map, i, col, sizeof(col));
			if (st == CELL_TRUNCATED)
				binlog_set_error(err, "%s row image of table \"%s\".\"%s\" is truncated at %s",
								 which, map->db, map->table, col);
			else if (st == CELL_INVALID)
				binlog_set_error(err, "%s row image of table \"%s\".\"%s\" has an invalid %s value (metadata %u) at %s",
								 which, map->db, map->table,
								 binlog_column_type_name(map->types[i]),
								 map->meta[i], col);
			else
				binlog_set_error(err, "row image of table \"%s\".\"%s\" has %s of unsupported type %s (%u)",
								 map->db, map->table, col,
								 binlog_column_type_name(map->types[i]),
								 map->types[i]);
			return false;
		}
		*pos += used;
	}
	return true;
}

/*
 * Decode the next row of the rows event; see binlog.h.  The cursor only
 * moves past a row that decoded completely, so after an error further
 * calls report the same error.
 */
bool
binlog_rows_next(BinlogRowsCursor *cur, BinlogValue *values_before,
				 BinlogValue *values_after, BinlogError *err)
{
	const BinlogRowsEvent *ev = cur->event;
	const BinlogTableMap *map = cur->map;
	size_t		pos = cur->offset;
	const uint8_t *partial = NULL;

	if (err)
		err->message[0] = '\0';
	if (ev == NULL || map == NULL)
	{
		binlog_set_error(err, "rows cursor has no rows event or table map");
		return false;
	}
	if (pos >= ev->rows_len)
		return false;
	if (ev->table_id != map->table_id)
	{
		binlog_set_error(err, "rows event of table id %llu cannot be decoded with the table map of table id %llu",
						 (unsigned long long) ev->table_id,
						 (unsigned long long) map->table_id);
		return false;
	}
	if (ev->ncols > map->ncols)
	{
		binlog_set_error(err, "rows event of table \"%s\".\"%s\" has %d columns, its table map only %d",
						 map->db, map->table, ev->ncols, map->ncols);
		return false;
	}

	if (!decode_image(cur, ev->columns_before, NULL, &pos, values_before,
					  ev->kind == BINLOG_ROWS_UPDATE ? "before" :
					  ev->kind == BINLOG_ROWS_INSERT ? "inserted" : "deleted",
					  err))
		return false;
	if (ev->kind == BINLOG_ROWS_UPDATE)
	{
		if (values_after == NULL)
		{
			binlog_set_error(err, "UPDATE rows of table \"%s\".\"%s\" need an array for the after image",
							 map->db, map->table);
			return false;
		}
		if (ev->partial && !decode_partial_header(cur, &pos, &partial, err))
			return false;
		if (!decode_image(cur, ev->columns_after, partial, &pos, values_after,
						  "after", err))
			return false;
	}
	cur->offset = pos;
	return true;
}
