/*-------------------------------------------------------------------------
 *
 * convert.c
 *	  Conversion of decoded binlog values into Datums of the target columns.
 *
 * Values reach PostgreSQL through the input function of the target
 * column's type, fed with a text form that the decoder produces (numbers,
 * dates and times) or with the column's characters converted from their
 * MySQL character set to the database encoding.  Binary data goes into
 * bytea directly.  So a value that does not fit the target type (300 into
 * a smallint, a string too long for varchar(n)) fails with PostgreSQL's own
 * error instead of being changed silently.
 *
 * Zero dates ('0000-00-00', '2020-00-15' and their DATETIME forms), which
 * PostgreSQL cannot represent, follow mysql_replica.zero_date: NULL (the
 * default), an error, or -infinity.  Invalid bytes in text follow
 * mysql_replica.invalid_text: an error (the default), or U+FFFD in their
 * place for UTF-8 text.
 *
 * Some MySQL types take the shape of the target column: ENUM and SET give
 * their names to text columns and their index or bitmask to numeric ones,
 * BIT gives a bit string to bit columns and an integer to others, GEOMETRY
 * gives PostGIS geometry or (E)WKB bytes, VECTOR gives real[] or pgvector.
 *
 *-------------------------------------------------------------------------
 */
#include "replica/apply.h"

#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

/* MySQL's collation id of the binary pseudo character set. */
#define MYSQL_BINARY_COLLATION 63

/*
 * The PostgreSQL encoding of a MySQL collation id, or -1 for character
 * sets PostgreSQL cannot convert from (UCS-2, UTF-16, UTF-32 and a few
 * rare ones).  MariaDB numbers its NO PAD variants 1024 above the PAD ones,
 * and its UCA 14.0 collations of utf8mb3 and utf8mb4 from 2048 on.
 */
static int
collation_encoding(int collation)
{
	if (collation < 0)
		return PG_UTF8;			/* no metadata: MySQL 8's default */
	if (collation >= 2048)
		return collation < 2560 ? PG_UTF8 : -1;
	if (collation >= 1024)
		collation -= 1024;

	switch (collation)
	{
		case 33: case 45: case 46: case 76: case 83: case 223:
			return PG_UTF8;
		case 5: case 8: case 15: case 31: case 47: case 48: case 49: case 94:
			/* MySQL's latin1 is really Windows-1252 */
			return PG_WIN1252;
		case 11: case 65:
			return PG_SQL_ASCII;
		case 2: case 9: case 21: case 27: case 77:
			return PG_LATIN2;
		case 26: case 34: case 44: case 66: case 99:
			return PG_WIN1250;
		case 14: case 23: case 50: case 51: case 52:
			return PG_WIN1251;
		case 25: case 70:
			return PG_ISO_8859_7;
		case 16: case 71:
			return PG_ISO_8859_8;
		case 30: case 78:
			return PG_LATIN5;
		case 20: case 41: case 42: case 79:
			return PG_LATIN7;
		case 57: case 67:
			return PG_WIN1256;
		case 29: case 58: case 59:
			return PG_WIN1257;
		case 7: case 74:
			return PG_KOI8R;
		case 22: case 75:
			return PG_KOI8U;
		case 13: case 88: case 95: case 96:
			return PG_SJIS;
		case 28: case 87:
			return PG_GBK;
		case 1: case 84:
			return PG_BIG5;
		case 12: case 91: case 97: case 98:
			return PG_EUC_JP;
		case 19: case 85:
			return PG_EUC_KR;
		case 24: case 86:
			return PG_EUC_CN;
		case 248: case 249: case 250:
			return PG_GB18030;
		default:
			break;
	}
	if ((collation >= 192 && collation <= 215))
		return PG_UTF8;			/* utf8mb3 Unicode collations */
	if ((collation >= 224 && collation <= 247) ||
		(collation >= 255 && collation <= 323))
		return PG_UTF8;			/* utf8mb4 Unicode collations */
	return -1;
}

/*
 * MySQL's latin1 is Windows-1252, except that the five bytes Windows-1252
 * leaves undefined stand for the C1 control characters of the same code.
 * These are the code points of bytes 0x80 to 0x9F; the others are Latin-1.
 */
static const uint16 latin1_c1[32] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178
};

static void
append_utf8(StringInfo out, pg_wchar code)
{
	unsigned char buf[8];
	int			len;

	unicode_to_utf8(code, buf);
	len = pg_utf_mblen(buf);
	appendBinaryStringInfo(out, (char *) buf, len);
}

/* MySQL latin1 bytes as UTF-8, exactly as MySQL maps them. */
static char *
latin1_to_utf8(const uint8 *p, size_t len)
{
	StringInfoData out;

	initStringInfo(&out);
	for (size_t i = 0; i < len; i++)
	{
		if (p[i] < 0x80)
			appendStringInfoChar(&out, (char) p[i]);
		else if (p[i] < 0xA0)
			append_utf8(&out, latin1_c1[p[i] - 0x80]);
		else
			append_utf8(&out, p[i]);
	}
	return out.data;
}

/*
 * UTF-8 with every invalid sequence (and NUL, which PostgreSQL text cannot
 * hold) replaced by U+FFFD.
 */
static char *
utf8_replace_invalid(const uint8 *p, size_t len)
{
	StringInfoData out;
	size_t		i = 0;

	initStringInfo(&out);
	while (i < len)
	{
		int			l = pg_utf_mblen(p + i);

		if (p[i] != 0 && i + l <= len && pg_utf8_islegal(p + i, l))
		{
			appendBinaryStringInfo(&out, (const char *) p + i, l);
			i += l;
		}
		else
		{
			append_utf8(&out, 0xFFFD);
			i++;
		}
	}
	return out.data;
}

/*
 * The characters of a string value in the database encoding, as a
 * palloc'd NUL-terminated string.  Invalid bytes are an error, or
 * replaced, as mysql_replica.invalid_text says.
 */
static char *
string_to_server(const BinlogValue *value)
{
	int			encoding = collation_encoding(value->str.collation);
	char	   *converted;

	if (encoding < 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot convert text in MySQL collation %d",
						value->str.collation),
				 errdetail("The character set of this collation has no PostgreSQL equivalent.")));

	/* Latin-1 has no invalid bytes but its own mapping of 0x80-0x9F. */
	if (encoding == PG_WIN1252 && GetDatabaseEncoding() == PG_UTF8 &&
		memchr(value->str.ptr, 0, value->str.len) == NULL)
		return latin1_to_utf8(value->str.ptr, value->str.len);

	if (encoding == PG_UTF8 &&
		mysql_replica_invalid_text == INVALID_TEXT_REPLACE &&
		!pg_verify_mbstr(PG_UTF8, (const char *) value->str.ptr,
						 (int) value->str.len, true))
	{
		converted = utf8_replace_invalid(value->str.ptr, value->str.len);
		return pg_any_to_server(converted, strlen(converted), PG_UTF8);
	}

	/*
	 * A NUL byte is valid in MySQL strings and impossible in PostgreSQL
	 * text; pg_any_to_server's verification rejects it with a clear error.
	 */
	converted = pg_any_to_server((const char *) value->str.ptr,
								 (int) value->str.len, encoding);
	if (converted == (const char *) value->str.ptr)
		converted = pnstrdup(converted, value->str.len);
	return converted;
}

static Datum
bytes_to_bytea(const uint8 *ptr, size_t len, int pad_to)
{
	size_t		total = Max(len, (size_t) Max(pad_to, 0));
	bytea	   *result = palloc(VARHDRSZ + total);

	SET_VARSIZE(result, VARHDRSZ + total);
	memcpy(VARDATA(result), ptr, len);

	/* BINARY(n) is padded with zero bytes to n, which the binlog omits. */
	if (total > len)
		memset(VARDATA(result) + len, 0, total - len);
	return PointerGetDatum(result);
}

/* Is the target column numeric (integers, numeric, floating point)? */
static bool
is_numeric_target(TargetColumn *column)
{
	return column->category == TYPCATEGORY_NUMERIC;
}

/* ENUM: the name for text targets, the index for numeric ones. */
static char *
enum_text(const BinlogValue *value, TargetColumn *column,
		  const BinlogTableMap *map, int col)
{
	if (is_numeric_target(column) || map->enum_names == NULL ||
		map->enum_names[col] == NULL)
		return psprintf(UINT64_FORMAT, value->u);
	if (value->u == 0)
		return pstrdup("");		/* MySQL's empty value for invalid input */
	if (value->u > (uint64) map->enum_count[col])
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("ENUM index " UINT64_FORMAT " of column \"%s\" is out of range",
						value->u, column->attname)));
	return pstrdup(map->enum_names[col][value->u - 1]);
}

/* SET: the names joined by commas for text, the bitmask for numbers. */
static char *
set_text(const BinlogValue *value, TargetColumn *column,
		 const BinlogTableMap *map, int col)
{
	StringInfoData out;

	if (is_numeric_target(column) || map->enum_names == NULL ||
		map->enum_names[col] == NULL)
		return psprintf(UINT64_FORMAT, value->u);

	initStringInfo(&out);
	for (int i = 0; i < map->enum_count[col] && i < 64; i++)
	{
		if (value->u & ((uint64) 1 << i))
			appendStringInfo(&out, "%s%s", out.len > 0 ? "," : "",
							 map->enum_names[col][i]);
	}
	return out.data;
}

/* BIT(n): a bit string for bit columns, an integer for the others. */
static char *
bit_text(const BinlogValue *value, TargetColumn *column,
		 const BinlogTableMap *map, int col)
{
	int			width = (map->meta[col] >> 8) * 8 + (map->meta[col] & 0xff);
	char	   *bits;

	if (column->category != TYPCATEGORY_BITSTRING)
		return psprintf(UINT64_FORMAT, value->u);

	bits = palloc(width + 1);
	for (int i = 0; i < width; i++)
		bits[i] = (value->u >> (width - 1 - i)) & 1 ? '1' : '0';
	bits[width] = '\0';
	return bits;
}

/*
 * MySQL keeps a geometry as a 4-byte little-endian SRID followed by WKB,
 * in the binlog and in what a SELECT returns.  Return WKB for SRID 0, else
 * EWKB: the WKB with PostGIS's SRID flag in
 * its type and the SRID after the type, which PostGIS reads directly.
 */
StringInfo
mysql_geometry_ewkb(const uint8 *p, size_t len, const char *attname)
{
	StringInfo	out = makeStringInfo();
	uint32		srid;
	uint32		type;
	bool		little;

	if (len < 4 + 5)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("geometry value of column \"%s\" is too short",
						attname)));
	srid = p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32) p[3] << 24);
	p += 4;
	if (srid == 0)
	{
		appendBinaryStringInfo(out, (const char *) p, len - 4);
		return out;
	}

	little = p[0] == 1;
	type = little ? (p[1] | (p[2] << 8) | (p[3] << 16) | ((uint32) p[4] << 24))
		: (((uint32) p[1] << 24) | (p[2] << 16) | (p[3] << 8) | p[4]);
	type |= 0x20000000;
	appendStringInfoChar(out, (char) p[0]);
	for (int i = 0; i < 4; i++)
		appendStringInfoChar(out, (char) (little ? type >> (8 * i)
										  : type >> (8 * (3 - i))));
	for (int i = 0; i < 4; i++)
		appendStringInfoChar(out, (char) (little ? srid >> (8 * i)
										  : srid >> (8 * (3 - i))));
	appendBinaryStringInfo(out, (const char *) p + 5, len - 9);
	return out;
}

/* A MySQL VECTOR (float32, little-endian) as real[] or pgvector text. */
static char *
vector_text(const BinlogValue *value, TargetColumn *column)
{
	StringInfoData out;
	bool		pgvector = strcmp(column->typname, "vector") == 0;

	if (value->str.len % 4 != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("vector value of column \"%s\" has %zu bytes, not a multiple of 4",
						column->attname, value->str.len)));
	initStringInfo(&out);
	appendStringInfoChar(&out, pgvector ? '[' : '{');
	for (size_t i = 0; i < value->str.len; i += 4)
	{
		const uint8 *p = value->str.ptr + i;
		uint32		bits = p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32) p[3] << 24);
		float		f;

		memcpy(&f, &bits, sizeof(f));
		appendStringInfo(&out, "%s%.9g", i > 0 ? "," : "", f);
	}
	appendStringInfoChar(&out, pgvector ? ']' : '}');
	return out.data;
}

/* MySQL's binary JSON as JSON text. */
char *
convert_mysql_json(const BinlogValue *value, TargetColumn *column)
{
	BinlogJsonOutput out = {0};
	BinlogError err;
	char	   *text;

	if (!binlog_json_to_text(value->str.ptr, value->str.len, &out, &err))
	{
		binlog_json_output_free(&out);
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("could not decode JSON of column \"%s\": %s",
						column->attname, err.message)));
	}
	text = pnstrdup(out.data, out.len);
	binlog_json_output_free(&out);
	return text;
}

/*
 * Whether the text of a DATE, DATETIME or TIMESTAMP (YYYY-MM-DD...) is one
 * of MySQL's zero or partial-zero dates: year, month or day zero.
 */
bool
mysql_is_zero_date_text(const char *p, size_t len)
{
	return len >= 10 &&
		(memcmp(p, "0000", 4) == 0 || memcmp(p + 5, "00", 2) == 0 ||
		 memcmp(p + 8, "00", 2) == 0);
}

/*
 * A zero date under mysql_replica.zero_date: NULL (*isnull set, NULL
 * returned), "-infinity", or an error naming the column.
 */
char *
mysql_zero_date_text(const char *text, const char *attname, bool *isnull)
{
	switch (mysql_replica_zero_date)
	{
		case ZERO_DATE_INFINITY:
			return pstrdup("-infinity");
		case ZERO_DATE_ERROR:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_DATETIME_FORMAT),
					 errmsg("zero date \"%s\" for column \"%s\" has no PostgreSQL value",
							text, attname),
					 errhint("Set mysql_replica.zero_date to \"null\" or \"infinity\" to replicate zero dates.")));
			break;
		default:
			break;
	}
	*isnull = true;
	return NULL;
}

/*
 * An integer for a smallint, integer or bigint column as a Datum, without
 * its text form: integers are most keys and counters.  False when the
 * value does not fit the column; the text way then raises the input
 * function's own error.
 */
static bool
integer_datum(const BinlogValue *value, Oid typid, Datum *result)
{
	int64		v;

	if (value->kind == BINLOG_VALUE_UINT)
	{
		if (value->u > (uint64) PG_INT64_MAX)
			return false;
		v = (int64) value->u;
	}
	else
		v = value->i;

	switch (typid)
	{
		case INT2OID:
			if (v < PG_INT16_MIN || v > PG_INT16_MAX)
				return false;
			*result = Int16GetDatum((int16) v);
			return true;
		case INT4OID:
			if (v < PG_INT32_MIN || v > PG_INT32_MAX)
				return false;
			*result = Int32GetDatum((int32) v);
			return true;
		case INT8OID:
			*result = Int64GetDatum(v);
			return true;
		default:
			return false;
	}
}

/*
 * Text in the database encoding for a text, varchar(n) or char(n) column
 * as a Datum, built as the input function would build it but without
 * counting characters where bytes tell enough: a string of at most n bytes
 * fits varchar(n), and one of ASCII only has as many characters as bytes,
 * which char(n) pads to n.  False in other cases (domains included), which
 * the input function handles.
 */
static bool
string_datum(const char *text, TargetColumn *column, Datum *result)
{
	size_t		len = strlen(text);
	int32		maxlen = column->typmod - VARHDRSZ;
	BpChar	   *padded;

	switch (column->typid)
	{
		case TEXTOID:
			*result = PointerGetDatum(cstring_to_text_with_len(text, len));
			return true;
		case VARCHAROID:
			if (column->typmod >= (int32) VARHDRSZ && len > (size_t) maxlen)
				return false;
			*result = PointerGetDatum(cstring_to_text_with_len(text, len));
			return true;
		case BPCHAROID:
			if (column->typmod < (int32) VARHDRSZ || len > (size_t) maxlen)
				return false;
			for (size_t i = 0; i < len; i++)
				if (IS_HIGHBIT_SET(text[i]))
					return false;
			padded = palloc(VARHDRSZ + maxlen);
			SET_VARSIZE(padded, VARHDRSZ + maxlen);
			memcpy(VARDATA(padded), text, len);
			memset(VARDATA(padded) + len, ' ', maxlen - len);
			*result = PointerGetDatum(padded);
			return true;
		default:
			return false;
	}
}

/*
 * Convert one decoded value for a target column (column number col of the
 * table map).  *isnull is set for NULL, and for zero dates by default.
 */
Datum
convert_binlog_value(const BinlogValue *value, TargetColumn *column,
					 const BinlogTableMap *map, int col, bool *isnull)
{
	char		buf[128];
	char	   *text;
	bool		zero_date = false;
	Datum		result;

	*isnull = false;
	if ((value->kind == BINLOG_VALUE_INT ||
		 value->kind == BINLOG_VALUE_UINT) &&
		integer_datum(value, column->typid, &result))
		return result;

	switch (value->kind)
	{
		case BINLOG_VALUE_ABSENT:
		case BINLOG_VALUE_NULL:
			*isnull = true;
			return (Datum) 0;

		case BINLOG_VALUE_JSON:
			text = convert_mysql_json(value, column);
			break;

		case BINLOG_VALUE_ENUM:
			text = enum_text(value, column, map, col);
			break;

		case BINLOG_VALUE_SET:
			text = set_text(value, column, map, col);
			break;

		case BINLOG_VALUE_BIT:
			text = bit_text(value, column, map, col);
			break;

		case BINLOG_VALUE_GEOMETRY:
			{
				StringInfo	ewkb = mysql_geometry_ewkb(value->str.ptr,
													   value->str.len,
													   column->attname);

				if (column->is_bytea)
					return bytes_to_bytea((const uint8 *) ewkb->data,
										  ewkb->len, 0);
				if (strcmp(column->typname, "geometry") != 0)
					ereport(ERROR,
							(errcode(ERRCODE_DATATYPE_MISMATCH),
							 errmsg("cannot store a MySQL geometry in column \"%s\" of type %s",
									column->attname, column->typname),
							 errhint("Use PostGIS geometry or bytea.")));
				/* PostGIS reads EWKB in hex. */
				text = palloc(ewkb->len * 2 + 1);
				hex_encode(ewkb->data, ewkb->len, text);
				text[ewkb->len * 2] = '\0';
				break;
			}

		case BINLOG_VALUE_VECTOR:
			if (column->is_bytea)
				return bytes_to_bytea(value->str.ptr, value->str.len, 0);
			text = vector_text(value, column);
			break;

		case BINLOG_VALUE_STRING:
			if (column->is_bytea)
				return bytes_to_bytea(value->str.ptr, value->str.len, 0);
			text = string_to_server(value);
			if (string_datum(text, column, &result))
				return result;
			break;

		case BINLOG_VALUE_BYTES:
			if (column->is_bytea)
				return bytes_to_bytea(value->str.ptr, value->str.len,
									  column->binary_length);

			/* Binary data into a text-like column: must be valid text. */
			text = pnstrdup((const char *) value->str.ptr, value->str.len);
			if (strlen(text) != value->str.len)
				ereport(ERROR,
						(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
						 errmsg("binary value for column \"%s\" contains a zero byte",
								column->attname),
						 errhint("Use a bytea column for binary MySQL columns.")));
			pg_verify_mbstr(GetDatabaseEncoding(), text, value->str.len, false);
			break;

		default:
			if (!binlog_value_to_text(value, buf, sizeof(buf), &zero_date))
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("cannot convert a MySQL %s value for column \"%s\"",
								binlog_column_type_name(value->column_type),
								column->attname)));
			text = buf;
			if (zero_date &&
				(text = mysql_zero_date_text(buf, column->attname,
											 isnull)) == NULL)
				return (Datum) 0;
			break;
	}

	/*
	 * With the column's typmod, so that the value is what assigning it to
	 * the column gives (padded, rounded, or refused as too long), also
	 * where it is stored without a statement's assignment cast.
	 */
	return InputFunctionCall(&column->typinput, text, column->typioparam,
							 column->typmod);
}

/*
 * A short printable form of a value for error messages, such as the key of
 * a row that was not found.
 */
char *
binlog_value_describe(const BinlogValue *value)
{
	char		buf[128];
	bool		zero_date;
	StringInfoData out;

	switch (value->kind)
	{
		case BINLOG_VALUE_ABSENT:
			return pstrdup("(absent)");
		case BINLOG_VALUE_NULL:
			return pstrdup("NULL");
		case BINLOG_VALUE_STRING:
		case BINLOG_VALUE_BYTES:
		case BINLOG_VALUE_JSON:
		case BINLOG_VALUE_GEOMETRY:
		case BINLOG_VALUE_VECTOR:
			initStringInfo(&out);
			for (size_t i = 0; i < value->str.len && i < 64; i++)
			{
				uint8		c = value->str.ptr[i];

				if (c >= 0x20 && c < 0x7f)
					appendStringInfoChar(&out, c);
				else
					appendStringInfo(&out, "\\x%02x", c);
			}
			if (value->str.len > 64)
				appendStringInfoString(&out, "...");
			return out.data;
		default:
			if (binlog_value_to_text(value, buf, sizeof(buf), &zero_date))
				return pstrdup(buf);
			return pstrdup("?");
	}
}
