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
 * PostgreSQL cannot represent, become NULL.
 *
 *-------------------------------------------------------------------------
 */
#include "replica/apply.h"

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
 * The characters of a string value in the database encoding, as a
 * palloc'd NUL-terminated string.  Invalid bytes are an error.
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

/*
 * Convert one decoded value for a target column.  *isnull is set for NULL
 * and for zero dates.
 */
Datum
convert_binlog_value(const BinlogValue *value, TargetColumn *column,
					 bool *isnull)
{
	char		buf[128];
	char	   *text;
	bool		zero_date = false;

	*isnull = false;
	switch (value->kind)
	{
		case BINLOG_VALUE_ABSENT:
		case BINLOG_VALUE_NULL:
			*isnull = true;
			return (Datum) 0;

		case BINLOG_VALUE_JSON:
			/* MySQL writes JSON in a binary form that we do not decode yet. */
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("cannot convert MySQL binary JSON for column \"%s\"",
							column->attname),
					 errdetail("Only MariaDB's JSON, which the binlog carries as text, is supported.")));
			break;

		case BINLOG_VALUE_STRING:
			if (column->is_bytea)
				return bytes_to_bytea(value->str.ptr, value->str.len, 0);
			text = string_to_server(value);
			break;

		case BINLOG_VALUE_BYTES:
		case BINLOG_VALUE_GEOMETRY:
		case BINLOG_VALUE_VECTOR:
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
			if (zero_date)
			{
				*isnull = true;
				return (Datum) 0;
			}
			text = buf;
			break;
	}

	return InputFunctionCall(&column->typinput, text, column->typioparam, -1);
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
