/*-------------------------------------------------------------------------
 *
 * event.c
 *	  Framing of binlog events and decoding of the events that are not row
 *	  images: format description, rotate, query, XID, GTID and table map.
 *
 * Everything here works on bytes the caller already holds; nothing reads
 * from a file or a socket.  Every read is bounds-checked, so that a
 * malformed or hostile event can only produce an error message.
 *
 *-------------------------------------------------------------------------
 */
#include "binlog_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

/*
 * Write a formatted message into err.  err may be NULL for callers that do
 * not care about the text.
 */
void
binlog_set_error(BinlogError *err, const char *fmt, ...)
{
	va_list		ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
}

/*
 * Continue a CRC-32 (zlib flavour) over len more bytes.  Start with crc 0;
 * the value returned for a whole event is what the server stores in its
 * last four bytes.
 */
uint32_t
binlog_crc32(uint32_t crc, const uint8_t *buf, size_t len)
{
	/*
	 * zlib's implementation works on several bytes per step, which matters
	 * here: every byte of the stream is checked.  Its length argument is
	 * 32 bits wide, so feed it in pieces.
	 */
	while (len > 0)
	{
		uInt		n = len > (1U << 30) ? (1U << 30) : (uInt) len;

		crc = (uint32_t) crc32((uLong) crc, buf, n);
		buf += n;
		len -= n;
	}
	return crc;
}

/*
 * Post-header lengths written by MySQL 9.x for event types 1..42 and by
 * MariaDB 10.x for its own types 160..171, which are what any v4 server
 * of the last decade announces.  Index is event type - 1.
 */
static const uint8_t default_post_header_len[42] = {
	56, 13, 0, 8, 0, 18, 0, 4, 4, 4,	/* 1..10 */
	4, 18, 0, 0, 99, 0, 4, 26, 8, 0,	/* 11..20 */
	0, 0, 8, 8, 8, 2, 0, 0, 0, 10,	/* 21..30 */
	10, 10, 42, 42, 0, 18, 52, 0, 10, 40,	/* 31..40 */
	0, 0						/* 41..42 */
};

static const uint8_t default_mariadb_post_header_len[12] = {
	0, 4, 19, 4, 0, 13, 8, 8, 8, 10, 10, 10	/* 160..171 */
};

/*
 * Set up a format for the events that come before any format description
 * event: binlog v4, 19-byte header, the post-header lengths of current
 * servers and the checksum algorithm the caller learned elsewhere (for a
 * dump connection, from @@binlog_checksum).
 */
void
binlog_format_init(BinlogFormat *fmt, BinlogChecksumAlg alg)
{
	memset(fmt, 0, sizeof(*fmt));
	fmt->binlog_version = 4;
	fmt->is_mariadb = false;
	fmt->header_len = BINLOG_HEADER_LEN;
	memcpy(fmt->post_header_len, default_post_header_len,
		   sizeof(default_post_header_len));
	memcpy(fmt->post_header_len + BINLOG_MARIADB_ANNOTATE_ROWS_EVENT - 1,
		   default_mariadb_post_header_len,
		   sizeof(default_mariadb_post_header_len));
	fmt->n_post_header_len = BINLOG_MARIADB_DELETE_ROWS_COMPRESSED_EVENT;
	fmt->checksum_alg = alg;
}

/*
 * Decode the 19-byte common header at buf.  Fails when fewer than 19 bytes
 * are available or when the announced size cannot even hold the header.
 */
bool
binlog_read_header(const uint8_t *buf, size_t len, BinlogEventHeader *hdr,
				   BinlogError *err)
{
	if (buf == NULL || len < BINLOG_HEADER_LEN)
	{
		binlog_set_error(err, "event header is truncated: %zu of %d bytes",
						 buf ? len : 0, BINLOG_HEADER_LEN);
		return false;
	}
	hdr->timestamp = binlog_le32(buf);
	hdr->type = buf[4];
	hdr->server_id = binlog_le32(buf + 5);
	hdr->event_size = binlog_le32(buf + 9);
	hdr->log_pos = binlog_le32(buf + 13);
	hdr->flags = binlog_le16(buf + 17);
	if (hdr->event_size < BINLOG_HEADER_LEN)
	{
		binlog_set_error(err, "%s event has impossible size %u",
						 binlog_event_type_name(hdr->type), hdr->event_size);
		return false;
	}
	return true;
}

/*
 * Parse the leading "major.minor.patch" of a server version string into
 * one comparable number (major * 10000 + minor * 100 + patch).  Anything
 * unparsable gives 0, which is treated as an old server.
 */
static long
server_version_number(const char *version)
{
	long		parts[3] = {0, 0, 0};
	const char *p = version;

	for (int i = 0; i < 3; i++)
	{
		long		n = 0;
		int			digits = 0;

		while (*p >= '0' && *p <= '9' && digits < 6)
		{
			n = n * 10 + (*p - '0');
			p++;
			digits++;
		}
		if (digits == 0)
			break;
		parts[i] = n;
		if (*p != '.')
			break;
		p++;
	}
	return parts[0] * 10000 + parts[1] * 100 + parts[2];
}

/*
 * Does a server of this version end its format description event with a
 * checksum algorithm byte and a checksum?  MySQL added both in 5.6.1 and
 * MariaDB in 5.3; all later versions of either always write them, even
 * with binlog_checksum=NONE.
 */
static bool
version_has_checksum(const char *version)
{
	long		v = server_version_number(version);

	if (strstr(version, "MariaDB") != NULL)
		return v >= 50300;
	return v >= 50601;
}

/*
 * The server version of a format description event body, copied into a
 * terminated buffer of at least 51 bytes.  The caller has checked that
 * the body holds the 2-byte binlog version plus the 50-byte field.
 */
static void
fde_server_version(const uint8_t *body, char *out)
{
	memcpy(out, body + 2, 50);
	out[50] = '\0';
}

/* Flag of a file's FDE: the server has not closed the file yet. */
#define BINLOG_FDE_IN_USE_F		0x0001

/* Offset of the server version and the fixed part of an FDE body. */
#define FDE_FIXED_LEN	(2 + 50 + 4 + 1)

/*
 * Frame one event: decode its header, check that the buffer holds all of
 * it, and locate the body without the checksum.  When verify_checksum is
 * set and the format says CRC32, the checksum is verified.
 *
 * A format description event is framed from its own contents instead of
 * fmt, because it announces the checksum algorithm itself: servers that
 * know about checksums always end it with the algorithm byte and four
 * checksum bytes, whatever the setting.  Its body then keeps the algorithm
 * byte and loses the four checksum bytes.
 */
bool
binlog_frame_event(const BinlogFormat *fmt, const uint8_t *buf, size_t len,
				   bool verify_checksum, BinlogEvent *ev, BinlogError *err)
{
	BinlogEventHeader *hdr = &ev->header;
	size_t		header_len;
	size_t		trailer = 0;
	bool		check = false;

	memset(ev, 0, sizeof(*ev));
	if (!binlog_read_header(buf, len, hdr, err))
		return false;
	if (hdr->event_size > len)
	{
		binlog_set_error(err,
						 "%s event is truncated: %zu of %u bytes available",
						 binlog_event_type_name(hdr->type), len,
						 hdr->event_size);
		return false;
	}

	if (hdr->type == BINLOG_FORMAT_DESCRIPTION_EVENT)
	{
		char		version[51];

		/* an FDE is always laid out as binlog v4, whatever came before */
		header_len = BINLOG_HEADER_LEN;
		if (hdr->event_size < header_len + FDE_FIXED_LEN)
		{
			binlog_set_error(err,
							 "FORMAT_DESCRIPTION event is too short: %u bytes",
							 hdr->event_size);
			return false;
		}
		fde_server_version(buf + header_len, version);
		if (version_has_checksum(version))
		{
			uint8_t		alg;

			if (hdr->event_size < header_len + FDE_FIXED_LEN + 1 +
				BINLOG_CHECKSUM_LEN)
			{
				binlog_set_error(err,
								 "FORMAT_DESCRIPTION event of server %s is too short for its checksum: %u bytes",
								 version, hdr->event_size);
				return false;
			}
			trailer = BINLOG_CHECKSUM_LEN;
			alg = buf[hdr->event_size - BINLOG_CHECKSUM_LEN - 1];
			check = (alg == BINLOG_CHECKSUM_CRC32);
		}
	}
	else
	{
		header_len = fmt->header_len;
		if (fmt->checksum_alg == BINLOG_CHECKSUM_CRC32)
		{
			trailer = BINLOG_CHECKSUM_LEN;
			check = true;
		}
		if (hdr->event_size < header_len + trailer)
		{
			binlog_set_error(err,
							 "%s event is too short for its header%s: %u bytes",
							 binlog_event_type_name(hdr->type),
							 trailer ? " and checksum" : "", hdr->event_size);
			return false;
		}
	}

	if (check && verify_checksum)
	{
		size_t		n = hdr->event_size - BINLOG_CHECKSUM_LEN;
		uint32_t	stored = binlog_le32(buf + n);
		uint32_t	computed;

		/*
		 * The server sets the "binlog in use" flag of a file's FDE while
		 * the file is open and clears it in place on close, without
		 * updating the checksum, which is computed with the flag clear.
		 */
		if (hdr->type == BINLOG_FORMAT_DESCRIPTION_EVENT)
		{
			uint8_t		flags[2];

			flags[0] = buf[17] & ~BINLOG_FDE_IN_USE_F;
			flags[1] = buf[18];
			computed = binlog_crc32(0, buf, 17);
			computed = binlog_crc32(computed, flags, 2);
			computed = binlog_crc32(computed, buf + 19, n - 19);
		}
		else
			computed = binlog_crc32(0, buf, n);

		if (stored != computed)
		{
			binlog_set_error(err,
							 "%s event fails its checksum: stored 0x%08x, computed 0x%08x",
							 binlog_event_type_name(hdr->type),
							 stored, computed);
			return false;
		}
	}

	ev->data = buf;
	ev->body = buf + header_len;
	ev->body_len = hdr->event_size - header_len - trailer;
	return true;
}

/*
 * Decode a format description event into fmt: binlog version, server
 * version, header length, the post-header length of each event type and
 * the checksum algorithm.  Types the event does not list keep the v4
 * defaults of binlog_format_init.
 */
bool
binlog_decode_format_description(const BinlogEvent *ev, BinlogFormat *fmt,
								 BinlogError *err)
{
	const uint8_t *b = ev->body;
	size_t		n;
	BinlogFormat new_fmt;
	bool		has_alg;

	if (ev->header.type != BINLOG_FORMAT_DESCRIPTION_EVENT)
	{
		binlog_set_error(err, "%s event at offset %llu is not a FORMAT_DESCRIPTION event",
						 binlog_event_type_name(ev->header.type),
						 (unsigned long long) binlog_event_offset(ev));
		return false;
	}
	if (ev->body_len < FDE_FIXED_LEN)
	{
		binlog_set_error(err, "FORMAT_DESCRIPTION event at offset %llu is truncated: body of %zu bytes",
						 (unsigned long long) binlog_event_offset(ev),
						 ev->body_len);
		return false;
	}

	binlog_format_init(&new_fmt, BINLOG_CHECKSUM_OFF);
	new_fmt.binlog_version = binlog_le16(b);
	fde_server_version(b, new_fmt.server_version);
	new_fmt.is_mariadb = strstr(new_fmt.server_version, "MariaDB") != NULL;
	new_fmt.header_len = b[2 + 50 + 4];

	if (new_fmt.binlog_version != 4)
	{
		binlog_set_error(err, "FORMAT_DESCRIPTION event at offset %llu announces binlog version %u, only version 4 is supported",
						 (unsigned long long) binlog_event_offset(ev),
						 new_fmt.binlog_version);
		return false;
	}
	if (new_fmt.header_len < BINLOG_HEADER_LEN)
	{
		binlog_set_error(err, "FORMAT_DESCRIPTION event at offset %llu announces a header length of %u bytes, less than %d",
						 (unsigned long long) binlog_event_offset(ev),
						 new_fmt.header_len, BINLOG_HEADER_LEN);
		return false;
	}

	/* the algorithm byte, when present, is the last byte of the body */
	has_alg = version_has_checksum(new_fmt.server_version);
	n = ev->body_len - FDE_FIXED_LEN;
	if (has_alg)
	{
		uint8_t		alg;

		if (n < 1)
		{
			binlog_set_error(err, "FORMAT_DESCRIPTION event at offset %llu has no checksum algorithm byte",
							 (unsigned long long) binlog_event_offset(ev));
			return false;
		}
		n--;
		alg = b[ev->body_len - 1];
		if (alg == BINLOG_CHECKSUM_OFF || alg == BINLOG_CHECKSUM_CRC32)
			new_fmt.checksum_alg = (BinlogChecksumAlg) alg;
		else if (alg == BINLOG_CHECKSUM_UNDEFINED)
			new_fmt.checksum_alg = BINLOG_CHECKSUM_UNDEFINED;
		else
		{
			binlog_set_error(err, "FORMAT_DESCRIPTION event at offset %llu announces unknown checksum algorithm %u",
							 (unsigned long long) binlog_event_offset(ev),
							 alg);
			return false;
		}
	}
	if (n > sizeof(new_fmt.post_header_len))
		n = sizeof(new_fmt.post_header_len);
	memcpy(new_fmt.post_header_len, b + FDE_FIXED_LEN, n);
	new_fmt.n_post_header_len = (int) n;
	*fmt = new_fmt;
	return true;
}

/*
 * Name of an event type as MySQL/MariaDB spell it, without "_EVENT";
 * "UNKNOWN" for numbers neither server uses.
 */
const char *
binlog_event_type_name(int type)
{
	switch (type)
	{
		case BINLOG_UNKNOWN_EVENT: return "UNKNOWN";
		case BINLOG_START_EVENT_V3: return "START_V3";
		case BINLOG_QUERY_EVENT: return "QUERY";
		case BINLOG_STOP_EVENT: return "STOP";
		case BINLOG_ROTATE_EVENT: return "ROTATE";
		case BINLOG_INTVAR_EVENT: return "INTVAR";
		case 6: return "LOAD";
		case 7: return "SLAVE";
		case 8: return "CREATE_FILE";
		case 9: return "APPEND_BLOCK";
		case 10: return "EXEC_LOAD";
		case 11: return "DELETE_FILE";
		case 12: return "NEW_LOAD";
		case BINLOG_RAND_EVENT: return "RAND";
		case BINLOG_USER_VAR_EVENT: return "USER_VAR";
		case BINLOG_FORMAT_DESCRIPTION_EVENT: return "FORMAT_DESCRIPTION";
		case BINLOG_XID_EVENT: return "XID";
		case BINLOG_BEGIN_LOAD_QUERY_EVENT: return "BEGIN_LOAD_QUERY";
		case BINLOG_EXECUTE_LOAD_QUERY_EVENT: return "EXECUTE_LOAD_QUERY";
		case BINLOG_TABLE_MAP_EVENT: return "TABLE_MAP";
		case 20: return "PRE_GA_WRITE_ROWS";
		case 21: return "PRE_GA_UPDATE_ROWS";
		case 22: return "PRE_GA_DELETE_ROWS";
		case BINLOG_WRITE_ROWS_EVENT_V1: return "WRITE_ROWS_V1";
		case BINLOG_UPDATE_ROWS_EVENT_V1: return "UPDATE_ROWS_V1";
		case BINLOG_DELETE_ROWS_EVENT_V1: return "DELETE_ROWS_V1";
		case BINLOG_INCIDENT_EVENT: return "INCIDENT";
		case BINLOG_HEARTBEAT_EVENT: return "HEARTBEAT";
		case BINLOG_IGNORABLE_EVENT: return "IGNORABLE";
		case BINLOG_ROWS_QUERY_EVENT: return "ROWS_QUERY";
		case BINLOG_WRITE_ROWS_EVENT: return "WRITE_ROWS";
		case BINLOG_UPDATE_ROWS_EVENT: return "UPDATE_ROWS";
		case BINLOG_DELETE_ROWS_EVENT: return "DELETE_ROWS";
		case BINLOG_GTID_EVENT: return "GTID";
		case BINLOG_ANONYMOUS_GTID_EVENT: return "ANONYMOUS_GTID";
		case BINLOG_PREVIOUS_GTIDS_EVENT: return "PREVIOUS_GTIDS";
		case BINLOG_TRANSACTION_CONTEXT_EVENT: return "TRANSACTION_CONTEXT";
		case BINLOG_VIEW_CHANGE_EVENT: return "VIEW_CHANGE";
		case BINLOG_XA_PREPARE_EVENT: return "XA_PREPARE";
		case BINLOG_PARTIAL_UPDATE_ROWS_EVENT: return "PARTIAL_UPDATE_ROWS";
		case BINLOG_TRANSACTION_PAYLOAD_EVENT: return "TRANSACTION_PAYLOAD";
		case BINLOG_HEARTBEAT_EVENT_V2: return "HEARTBEAT_V2";
		case BINLOG_GTID_TAGGED_EVENT: return "GTID_TAGGED";
		case BINLOG_MARIADB_ANNOTATE_ROWS_EVENT: return "ANNOTATE_ROWS";
		case BINLOG_MARIADB_BINLOG_CHECKPOINT_EVENT: return "BINLOG_CHECKPOINT";
		case BINLOG_MARIADB_GTID_EVENT: return "MARIADB_GTID";
		case BINLOG_MARIADB_GTID_LIST_EVENT: return "GTID_LIST";
		case BINLOG_MARIADB_START_ENCRYPTION_EVENT: return "START_ENCRYPTION";
		case BINLOG_MARIADB_QUERY_COMPRESSED_EVENT: return "QUERY_COMPRESSED";
		case BINLOG_MARIADB_WRITE_ROWS_COMPRESSED_EVENT_V1: return "WRITE_ROWS_COMPRESSED_V1";
		case BINLOG_MARIADB_UPDATE_ROWS_COMPRESSED_EVENT_V1: return "UPDATE_ROWS_COMPRESSED_V1";
		case BINLOG_MARIADB_DELETE_ROWS_COMPRESSED_EVENT_V1: return "DELETE_ROWS_COMPRESSED_V1";
		case BINLOG_MARIADB_WRITE_ROWS_COMPRESSED_EVENT: return "WRITE_ROWS_COMPRESSED";
		case BINLOG_MARIADB_UPDATE_ROWS_COMPRESSED_EVENT: return "UPDATE_ROWS_COMPRESSED";
		case BINLOG_MARIADB_DELETE_ROWS_COMPRESSED_EVENT: return "DELETE_ROWS_COMPRESSED";
	}
	return "UNKNOWN";
}

/* Name of a column type as it appears in CREATE TABLE, roughly. */
const char *
binlog_column_type_name(int type)
{
	switch (type)
	{
		case BINLOG_TYPE_DECIMAL: return "DECIMAL(old)";
		case BINLOG_TYPE_TINY: return "TINYINT";
		case BINLOG_TYPE_SHORT: return "SMALLINT";
		case BINLOG_TYPE_LONG: return "INT";
		case BINLOG_TYPE_FLOAT: return "FLOAT";
		case BINLOG_TYPE_DOUBLE: return "DOUBLE";
		case BINLOG_TYPE_NULL: return "NULL";
		case BINLOG_TYPE_TIMESTAMP: return "TIMESTAMP";
		case BINLOG_TYPE_LONGLONG: return "BIGINT";
		case BINLOG_TYPE_INT24: return "MEDIUMINT";
		case BINLOG_TYPE_DATE: return "DATE";
		case BINLOG_TYPE_TIME: return "TIME";
		case BINLOG_TYPE_DATETIME: return "DATETIME";
		case BINLOG_TYPE_YEAR: return "YEAR";
		case BINLOG_TYPE_NEWDATE: return "NEWDATE";
		case BINLOG_TYPE_VARCHAR: return "VARCHAR";
		case BINLOG_TYPE_BIT: return "BIT";
		case BINLOG_TYPE_TIMESTAMP2: return "TIMESTAMP2";
		case BINLOG_TYPE_DATETIME2: return "DATETIME2";
		case BINLOG_TYPE_TIME2: return "TIME2";
		case BINLOG_TYPE_TYPED_ARRAY: return "TYPED_ARRAY";
		case BINLOG_TYPE_VECTOR: return "VECTOR";
		case BINLOG_TYPE_INVALID: return "INVALID";
		case BINLOG_TYPE_BOOL: return "BOOL";
		case BINLOG_TYPE_JSON: return "JSON";
		case BINLOG_TYPE_NEWDECIMAL: return "DECIMAL";
		case BINLOG_TYPE_ENUM: return "ENUM";
		case BINLOG_TYPE_SET: return "SET";
		case BINLOG_TYPE_TINY_BLOB: return "TINYBLOB";
		case BINLOG_TYPE_MEDIUM_BLOB: return "MEDIUMBLOB";
		case BINLOG_TYPE_LONG_BLOB: return "LONGBLOB";
		case BINLOG_TYPE_BLOB: return "BLOB";
		case BINLOG_TYPE_VAR_STRING: return "VAR_STRING";
		case BINLOG_TYPE_STRING: return "CHAR";
		case BINLOG_TYPE_GEOMETRY: return "GEOMETRY";
	}
	return "UNKNOWN";
}

/*
 * Check that ev is of one of the expected types; the error names what
 * the caller tried to decode.
 */
static bool
check_type(const BinlogEvent *ev, int t1, int t2, const char *what,
		   BinlogError *err)
{
	if (ev->header.type == t1 || ev->header.type == t2)
		return true;
	binlog_set_error(err, "%s event at offset %llu cannot be decoded as %s",
					 binlog_event_type_name(ev->header.type),
					 (unsigned long long) binlog_event_offset(ev), what);
	return false;
}

static bool
truncated(const BinlogEvent *ev, BinlogError *err, const char *part)
{
	binlog_set_error(err, "%s event at offset %llu is truncated in its %s",
					 binlog_event_type_name(ev->header.type),
					 (unsigned long long) binlog_event_offset(ev), part);
	return false;
}

/*
 * Decode a ROTATE event: the position and name of the next binlog file.
 * Servers of binlog v4 write an 8-byte position first; the name fills the
 * rest of the body and is not terminated in the event.
 */
bool
binlog_decode_rotate(const BinlogFormat *fmt, const BinlogEvent *ev,
					 BinlogRotate *rot, BinlogError *err)
{
	size_t		phl = fmt->post_header_len[BINLOG_ROTATE_EVENT - 1];
	size_t		name_len;

	if (!check_type(ev, BINLOG_ROTATE_EVENT, -1, "ROTATE", err))
		return false;
	if (ev->body_len < phl)
		return truncated(ev, err, "post-header");
	rot->position = phl >= 8 ? binlog_le_n(ev->body, 8) : 4;
	name_len = ev->body_len - phl;
	if (name_len >= sizeof(rot->file))
	{
		binlog_set_error(err, "ROTATE event at offset %llu names a file of %zu bytes, more than %d",
						 (unsigned long long) binlog_event_offset(ev),
						 name_len, BINLOG_MAX_FILE_NAME - 1);
		return false;
	}
	memcpy(rot->file, ev->body + phl, name_len);
	rot->file[name_len] = '\0';
	return true;
}

/*
 * Find the session's sql_mode among a QUERY event's status variables.
 *
 * Each variable is a one-byte code followed by a value whose length the
 * code implies; a code this function does not know ends the walk, since
 * the length of what follows is then unknown.  Servers write sql_mode
 * second, after the flags, so the walk reaches it before any code that a
 * newer server might have added.
 */
static void
find_sql_mode(const uint8_t *vars, size_t len, BinlogQuery *q)
{
	size_t		pos = 0;

	q->has_sql_mode = false;
	q->sql_mode = 0;
	while (pos < len)
	{
		uint8_t		code = vars[pos++];
		size_t		skip;

		switch (code)
		{
			case 0:				/* Q_FLAGS2_CODE */
				skip = 4;
				break;
			case 1:				/* Q_SQL_MODE_CODE */
				if (len - pos < 8)
					return;
				q->sql_mode = binlog_le_n(vars + pos, 8);
				q->has_sql_mode = true;
				return;
			case 2:				/* Q_CATALOG_CODE: length, name, NUL */
				if (pos >= len)
					return;
				skip = (size_t) vars[pos] + 2;
				break;
			case 3:				/* Q_AUTO_INCREMENT */
				skip = 4;
				break;
			case 4:				/* Q_CHARSET_CODE */
				skip = 6;
				break;
			case 5:				/* Q_TIME_ZONE_CODE: length, name */
			case 6:				/* Q_CATALOG_NZ_CODE: length, name */
				if (pos >= len)
					return;
				skip = (size_t) vars[pos] + 1;
				break;
			default:
				return;
		}
		if (len - pos < skip)
			return;
		pos += skip;
	}
}

/*
 * Decode a QUERY event (or the query part of an EXECUTE_LOAD_QUERY
 * event).  Of the status variables only sql_mode is read; the database
 * name and the query text point into the event.
 */
bool
binlog_decode_query(const BinlogFormat *fmt, const BinlogEvent *ev,
					BinlogQuery *q, BinlogError *err)
{
	size_t		phl;
	size_t		status_len = 0;
	size_t		db_len;
	size_t		pos;

	if (!check_type(ev, BINLOG_QUERY_EVENT, BINLOG_EXECUTE_LOAD_QUERY_EVENT,
					"QUERY", err))
		return false;
	phl = fmt->post_header_len[ev->header.type - 1];
	/* the fixed fields up to the status variable length need 11 bytes */
	if (phl < 11)
		phl = 11;
	if (ev->body_len < phl)
		return truncated(ev, err, "post-header");
	q->thread_id = binlog_le32(ev->body);
	q->exec_time = binlog_le32(ev->body + 4);
	db_len = ev->body[8];
	q->error_code = binlog_le16(ev->body + 9);
	if (phl >= 13)
		status_len = binlog_le16(ev->body + 11);

	/* status variables, database name, a NUL, then the query */
	pos = phl;
	if (ev->body_len - pos < status_len)
		return truncated(ev, err, "status variables");
	find_sql_mode(ev->body + pos, status_len, q);
	pos += status_len;
	if (ev->body_len - pos < db_len + 1)
		return truncated(ev, err, "database name");
	if (ev->body[pos + db_len] != '\0')
	{
		binlog_set_error(err, "QUERY event at offset %llu has no terminator after its database name",
						 (unsigned long long) binlog_event_offset(ev));
		return false;
	}
	q->db = (const char *) ev->body + pos;
	q->db_len = db_len;
	pos += db_len + 1;
	q->query = (const char *) ev->body + pos;
	q->query_len = ev->body_len - pos;
	return true;
}

/* Decode an XID event: the storage engine's transaction id. */
bool
binlog_decode_xid(const BinlogFormat *fmt, const BinlogEvent *ev,
				  uint64_t *xid, BinlogError *err)
{
	size_t		phl;

	if (!check_type(ev, BINLOG_XID_EVENT, -1, "XID", err))
		return false;
	phl = fmt->post_header_len[BINLOG_XID_EVENT - 1];

	/*
	 * Every server writes XID events with no post-header and an 8-byte
	 * body; a format that says otherwise numbers its events differently
	 * (pre-GA 5.1 trees did), and this is not an XID event at all.
	 */
	if (phl != 0)
	{
		binlog_set_error(err, "XID event at offset %llu has a post-header of %zu bytes in this binlog format, which does not number its events like MySQL 5.1 and later",
						 (unsigned long long) binlog_event_offset(ev), phl);
		return false;
	}
	if (ev->body_len < 8)
		return truncated(ev, err, "transaction id");
	*xid = binlog_le_n(ev->body + phl, 8);
	return true;
}

/* Field numbers of the GTID_TAGGED event's message, in MySQL's order. */
#define GTID_FIELD_FLAGS		0
#define GTID_FIELD_UUID			1
#define GTID_FIELD_GNO			2
#define GTID_FIELD_TAG			3
#define GTID_FIELD_LAST_KNOWN	11	/* commit group ticket */

static bool
gtid_tagged_error(const BinlogEvent *ev, BinlogError *err, const char *what)
{
	binlog_set_error(err, "GTID_TAGGED event at offset %llu %s",
					 (unsigned long long) binlog_event_offset(ev), what);
	return false;
}

/*
 * Is this a valid GTID tag: 1..32 letters, digits and underscores, not
 * starting with a digit?  The server folds tags to lower case before
 * writing them, but upper case is accepted here.
 */
bool
binlog_valid_gtid_tag(const uint8_t *tag, size_t len)
{
	if (len == 0 || len > 32 || (tag[0] >= '0' && tag[0] <= '9'))
		return false;
	for (size_t i = 0; i < len; i++)
	{
		uint8_t		c = tag[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '_'))
			return false;
	}
	return true;
}

/*
 * Decode a GTID_TAGGED event (MySQL 8.3+), written with MySQL's
 * serialization library: a format version, the size of the whole message,
 * the id of the last field a reader must understand, then fields as
 * (field id, value) pairs in increasing id order, every integer a
 * variable-length integer (see binlog_get_varlen).  Fields 0..3 are the
 * flags, the UUID as 16 integers, the transaction number (signed) and the
 * tag as a length plus bytes; the later ones (commit group, timestamps,
 * transaction length, server versions) are checked to be well-formed and
 * skipped.  Fields beyond those are ignored: the message size says where
 * it ends.
 */
static bool
decode_gtid_tagged(const BinlogEvent *ev, BinlogGtid *gtid, BinlogError *err)
{
	BinlogReader r;
	const uint8_t *start = ev->body;
	uint64_t	version;
	uint64_t	size;
	uint64_t	last_required;
	int64_t		prev_id = -1;
	bool		have_uuid = false;
	bool		have_gno = false;

	r.pos = ev->body;
	r.end = ev->body + ev->body_len;
	if (!binlog_get_varlen(&r, &version) || !binlog_get_varlen(&r, &size) ||
		!binlog_get_varlen(&r, &last_required))
		return truncated(ev, err, "message header");
	if (size > ev->body_len || size < (uint64_t) (r.pos - start))
		return gtid_tagged_error(ev, err, "has a message size that does not fit the event");
	r.end = start + size;

	while (binlog_reader_left(&r) > 0)
	{
		uint64_t	id;
		uint64_t	v;
		int64_t		sv;

		if (!binlog_get_varlen(&r, &id))
			return truncated(ev, err, "field id");
		if ((int64_t) id <= prev_id || id > INT32_MAX)
			return gtid_tagged_error(ev, err, "has its fields out of order");
		prev_id = (int64_t) id;
		if (id > GTID_FIELD_LAST_KNOWN)
			break;				/* a field of a later server version */
		switch (id)
		{
			case GTID_FIELD_FLAGS:
				if (!binlog_get_varlen(&r, &v))
					return truncated(ev, err, "flags");
				if (v > 0xff)
					return gtid_tagged_error(ev, err, "has flags beyond one byte");
				gtid->flags2 = (uint8_t) v;
				break;
			case GTID_FIELD_UUID:
				for (int i = 0; i < 16; i++)
				{
					if (!binlog_get_varlen(&r, &v))
						return truncated(ev, err, "UUID");
					if (v > 0xff)
						return gtid_tagged_error(ev, err, "has a UUID byte beyond 255");
					gtid->uuid[i] = (uint8_t) v;
				}
				have_uuid = true;
				break;
			case GTID_FIELD_GNO:
				if (!binlog_get_varlen_signed(&r, &sv))
					return truncated(ev, err, "transaction number");
				gtid->gno = sv;
				have_gno = true;
				break;
			case GTID_FIELD_TAG:
				{
					const uint8_t *tag;

					if (!binlog_get_varlen(&r, &v) ||
						v > binlog_reader_left(&r))
						return truncated(ev, err, "tag");
					if (v > 32)
						return gtid_tagged_error(ev, err, "has a tag longer than 32 bytes");
					binlog_get_bytes(&r, (size_t) v, &tag);
					if (v > 0 && !binlog_valid_gtid_tag(tag, (size_t) v))
						return gtid_tagged_error(ev, err, "has a tag with characters a tag cannot have");
					memcpy(gtid->tag, tag, (size_t) v);
					gtid->tag[v] = '\0';
				}
				break;
			default:
				/* integers we skip; still, they must be complete */
				if (!binlog_get_varlen(&r, &v))
					return truncated(ev, err, "commit fields");
				break;
		}
	}
	if (!have_uuid || !have_gno)
		return gtid_tagged_error(ev, err, "lacks its UUID or transaction number");
	(void) version;
	(void) last_required;
	gtid->is_mariadb = false;
	return true;
}

/*
 * Decode a GTID event of MySQL (GTID or ANONYMOUS_GTID: flags, source
 * UUID, transaction number; GTID_TAGGED: the same plus the tag) or of
 * MariaDB (sequence number, domain id, flags).  The rest of either event
 * (commit group, timestamps) is skipped.
 */
bool
binlog_decode_gtid(const BinlogFormat *fmt, const BinlogEvent *ev,
				   BinlogGtid *gtid, BinlogError *err)
{
	int			type = ev->header.type;

	(void) fmt;
	memset(gtid, 0, sizeof(*gtid));
	gtid->server_id = ev->header.server_id;

	if (type == BINLOG_MARIADB_GTID_EVENT)
	{
		if (ev->body_len < 8 + 4 + 1)
			return truncated(ev, err, "GTID");
		gtid->is_mariadb = true;
		gtid->seq_no = binlog_le_n(ev->body, 8);
		gtid->domain_id = binlog_le32(ev->body + 8);
		gtid->flags2 = ev->body[12];
		gtid->standalone = (gtid->flags2 & BINLOG_MARIADB_GTID_STANDALONE) != 0;
		return true;
	}
	if (type == BINLOG_GTID_EVENT || type == BINLOG_ANONYMOUS_GTID_EVENT)
	{
		if (ev->body_len < 1 + 16 + 8)
			return truncated(ev, err, "GTID");
		gtid->is_mariadb = false;
		gtid->flags2 = ev->body[0];
		memcpy(gtid->uuid, ev->body + 1, 16);
		gtid->gno = (int64_t) binlog_le_n(ev->body + 17, 8);
		gtid->anonymous = (type == BINLOG_ANONYMOUS_GTID_EVENT);
		return true;
	}
	if (type == BINLOG_GTID_TAGGED_EVENT)
		return decode_gtid_tagged(ev, gtid, err);
	return check_type(ev, BINLOG_GTID_EVENT, BINLOG_MARIADB_GTID_EVENT,
					  "GTID", err);
}

/*
 * Number of metadata bytes a column of this type has in a table map
 * event, or -1 for a type whose layout is unknown (so that nothing after
 * it can be located).
 */
int
binlog_column_meta_length(int type)
{
	switch (type)
	{
		case BINLOG_TYPE_DECIMAL:
		case BINLOG_TYPE_TINY:
		case BINLOG_TYPE_SHORT:
		case BINLOG_TYPE_LONG:
		case BINLOG_TYPE_NULL:
		case BINLOG_TYPE_TIMESTAMP:
		case BINLOG_TYPE_LONGLONG:
		case BINLOG_TYPE_INT24:
		case BINLOG_TYPE_DATE:
		case BINLOG_TYPE_TIME:
		case BINLOG_TYPE_DATETIME:
		case BINLOG_TYPE_YEAR:
		case BINLOG_TYPE_NEWDATE:
			return 0;
		case BINLOG_TYPE_FLOAT:
		case BINLOG_TYPE_DOUBLE:
		case BINLOG_TYPE_TIMESTAMP2:
		case BINLOG_TYPE_DATETIME2:
		case BINLOG_TYPE_TIME2:
		case BINLOG_TYPE_VECTOR:
		case BINLOG_TYPE_JSON:
		case BINLOG_TYPE_TINY_BLOB:
		case BINLOG_TYPE_MEDIUM_BLOB:
		case BINLOG_TYPE_LONG_BLOB:
		case BINLOG_TYPE_BLOB:
		case BINLOG_TYPE_GEOMETRY:
			return 1;
		case BINLOG_TYPE_VARCHAR:
		case BINLOG_TYPE_VAR_STRING:
		case BINLOG_TYPE_BIT:
		case BINLOG_TYPE_NEWDECIMAL:
		case BINLOG_TYPE_ENUM:
		case BINLOG_TYPE_SET:
		case BINLOG_TYPE_STRING:
			return 2;
	}
	return -1;
}

/*
 * Resolve the real type of a column: CHAR, ENUM and SET are all written
 * as STRING with the real type in the first metadata byte.  The two bits
 * 0x30 of that byte are borrowed to extend the length of long CHAR
 * columns, so they are forced on before comparing.
 */
static uint8_t
column_real_type(uint8_t type, uint16_t meta)
{
	if (type == BINLOG_TYPE_STRING && meta >= 256)
	{
		uint8_t		real = (uint8_t) ((meta >> 8) | 0x30);

		if (real == BINLOG_TYPE_ENUM || real == BINLOG_TYPE_SET)
			return real;
		return BINLOG_TYPE_STRING;
	}
	return type;
}

/* Columns that count in SIGNEDNESS metadata. */
static bool
is_numeric_column(uint8_t real)
{
	switch (real)
	{
		case BINLOG_TYPE_TINY:
		case BINLOG_TYPE_SHORT:
		case BINLOG_TYPE_INT24:
		case BINLOG_TYPE_LONG:
		case BINLOG_TYPE_LONGLONG:
		case BINLOG_TYPE_NEWDECIMAL:
		case BINLOG_TYPE_FLOAT:
		case BINLOG_TYPE_DOUBLE:
			return true;
	}
	return false;
}

/*
 * Columns that count in DEFAULT_CHARSET and COLUMN_CHARSET metadata.
 * Geometry columns are blobs inside the server and are counted; so are
 * the VECTOR columns of MySQL 9.
 */
static bool
is_character_column(uint8_t real)
{
	switch (real)
	{
		case BINLOG_TYPE_STRING:
		case BINLOG_TYPE_VAR_STRING:
		case BINLOG_TYPE_VARCHAR:
		case BINLOG_TYPE_BLOB:
		case BINLOG_TYPE_TINY_BLOB:
		case BINLOG_TYPE_MEDIUM_BLOB:
		case BINLOG_TYPE_LONG_BLOB:
		case BINLOG_TYPE_GEOMETRY:
		case BINLOG_TYPE_VECTOR:
			return true;
	}
	return false;
}

static bool
is_enum_or_set_column(uint8_t real)
{
	return real == BINLOG_TYPE_ENUM || real == BINLOG_TYPE_SET;
}

/*
 * A bump allocator over the single block a table map lives in.  The block
 * is sized from an upper bound computed from the event length, so running
 * out means the bound is wrong, which is reported as an error rather than
 * trusted.
 */
typedef struct TableMapArena
{
	uint8_t    *base;
	size_t		size;
	size_t		used;
} TableMapArena;

static void *
arena_alloc(TableMapArena *a, size_t n, size_t align)
{
	size_t		start = (a->used + align - 1) & ~(align - 1);

	if (start > a->size || a->size - start < n)
		return NULL;
	a->used = start + n;
	return a->base + start;
}

static char *
arena_strdup(TableMapArena *a, const uint8_t *s, size_t len)
{
	char	   *p = arena_alloc(a, len + 1, 1);

	if (p == NULL)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/* Optional metadata field types of a table map event. */
enum
{
	TM_SIGNEDNESS = 1,
	TM_DEFAULT_CHARSET = 2,
	TM_COLUMN_CHARSET = 3,
	TM_COLUMN_NAME = 4,
	TM_SET_STR_VALUE = 5,
	TM_ENUM_STR_VALUE = 6,
	TM_GEOMETRY_TYPE = 7,
	TM_SIMPLE_PRIMARY_KEY = 8,
	TM_PRIMARY_KEY_WITH_PREFIX = 9,
	TM_ENUM_AND_SET_DEFAULT_CHARSET = 10,
	TM_ENUM_AND_SET_COLUMN_CHARSET = 11,
	TM_COLUMN_VISIBILITY = 12
};

/* Is bit i of a most-significant-bit-first bitmap set? */
static bool
msb_bit(const uint8_t *bits, int i)
{
	return (bits[i / 8] >> (7 - i % 8)) & 1;
}

/* Index of the k-th column (0-based) selected by want, or -1. */
static int
nth_selected_column(const BinlogTableMap *map, bool (*want) (uint8_t),
					uint64_t k)
{
	for (int i = 0; i < map->ncols; i++)
	{
		if (!want(map->real_types[i]))
			continue;
		if (k == 0)
			return i;
		k--;
	}
	return -1;
}

/*
 * Apply a DEFAULT_CHARSET or COLUMN_CHARSET style field to the columns
 * selected by "want": either one default plus (index, collation) pairs
 * for the exceptions, or one collation per selected column.  Indexes
 * count selected columns only.
 */
static bool
apply_charset_field(BinlogTableMap *map, TableMapArena *a, BinlogReader *f,
					bool is_default, bool (*want) (uint8_t))
{
	if (map->collation == NULL)
	{
		map->collation = arena_alloc(a, sizeof(int) * (map->ncols + 1),
									 sizeof(int));
		if (map->collation == NULL)
			return false;
		for (int i = 0; i < map->ncols; i++)
			map->collation[i] = -1;
	}

	if (is_default)
	{
		uint64_t	dflt;

		if (!binlog_get_lenenc(f, &dflt))
			return false;
		for (int i = 0; i < map->ncols; i++)
			if (want(map->real_types[i]))
				map->collation[i] = (int) (dflt & 0x7fffffff);
		while (binlog_reader_left(f) > 0)
		{
			uint64_t	idx,
						coll;
			int			col;

			if (!binlog_get_lenenc(f, &idx) || !binlog_get_lenenc(f, &coll))
				return false;
			col = nth_selected_column(map, want, idx);
			if (col < 0)
				return false;
			map->collation[col] = (int) (coll & 0x7fffffff);
		}
	}
	else
	{
		for (int i = 0; i < map->ncols && binlog_reader_left(f) > 0; i++)
		{
			uint64_t	coll;

			if (!want(map->real_types[i]))
				continue;
			if (!binlog_get_lenenc(f, &coll))
				return false;
			map->collation[i] = (int) (coll & 0x7fffffff);
		}
	}
	return true;
}

/*
 * Decode the string lists of SET_STR_VALUE or ENUM_STR_VALUE: for each
 * column of the wanted real type, a count and that many strings.
 */
static bool
apply_enum_names_field(BinlogTableMap *map, TableMapArena *a, BinlogReader *f,
					   uint8_t want)
{
	if (map->enum_count == NULL)
	{
		map->enum_count = arena_alloc(a, sizeof(int) * (map->ncols + 1),
									  sizeof(int));
		map->enum_names = arena_alloc(a, sizeof(char **) * (map->ncols + 1),
									  sizeof(char **));
		if (map->enum_count == NULL || map->enum_names == NULL)
			return false;
	}
	for (int i = 0; i < map->ncols && binlog_reader_left(f) > 0; i++)
	{
		uint64_t	count;

		if (map->real_types[i] != want)
			continue;
		if (!binlog_get_lenenc(f, &count))
			return false;
		/* every name takes at least its length byte */
		if (count > binlog_reader_left(f))
			return false;
		map->enum_count[i] = (int) count;
		map->enum_names[i] = arena_alloc(a, sizeof(char *) * (count + 1),
										 sizeof(char *));
		if (map->enum_names[i] == NULL)
			return false;
		for (uint64_t k = 0; k < count; k++)
		{
			uint64_t	len;
			const uint8_t *s;

			if (!binlog_get_lenenc(f, &len) || len > binlog_reader_left(f) ||
				!binlog_get_bytes(f, (size_t) len, &s))
				return false;
			map->enum_names[i][k] = arena_strdup(a, s, (size_t) len);
			if (map->enum_names[i][k] == NULL)
				return false;
		}
	}
	return true;
}

/*
 * Decode one optional metadata field into map.  Unknown field types are
 * skipped: newer servers add fields, and ignoring them loses nothing we
 * rely on.
 */
static bool
apply_optional_field(BinlogTableMap *map, TableMapArena *a, int type,
					 BinlogReader *f)
{
	switch (type)
	{
		case TM_SIGNEDNESS:
			{
				int			k = 0;

				map->is_unsigned = arena_alloc(a, map->ncols + 1, 1);
				if (map->is_unsigned == NULL)
					return false;
				map->has_signedness = true;
				for (int i = 0; i < map->ncols; i++)
				{
					if (!is_numeric_column(map->real_types[i]))
						continue;
					if ((size_t) (k / 8) >= binlog_reader_left(f))
						return false;
					map->is_unsigned[i] = msb_bit(f->pos, k);
					k++;
				}
				return true;
			}
		case TM_DEFAULT_CHARSET:
			return apply_charset_field(map, a, f, true, is_character_column);
		case TM_COLUMN_CHARSET:
			return apply_charset_field(map, a, f, false, is_character_column);
		case TM_ENUM_AND_SET_DEFAULT_CHARSET:
			return apply_charset_field(map, a, f, true, is_enum_or_set_column);
		case TM_ENUM_AND_SET_COLUMN_CHARSET:
			return apply_charset_field(map, a, f, false, is_enum_or_set_column);
		case TM_COLUMN_NAME:
			map->column_names = arena_alloc(a, sizeof(char *) * (map->ncols + 1),
											sizeof(char *));
			if (map->column_names == NULL)
				return false;
			for (int i = 0; i < map->ncols; i++)
			{
				uint64_t	len;
				const uint8_t *s;

				if (!binlog_get_lenenc(f, &len) ||
					len > binlog_reader_left(f) ||
					!binlog_get_bytes(f, (size_t) len, &s))
					return false;
				map->column_names[i] = arena_strdup(a, s, (size_t) len);
				if (map->column_names[i] == NULL)
					return false;
			}
			return true;
		case TM_SET_STR_VALUE:
			return apply_enum_names_field(map, a, f, BINLOG_TYPE_SET);
		case TM_ENUM_STR_VALUE:
			return apply_enum_names_field(map, a, f, BINLOG_TYPE_ENUM);
		case TM_GEOMETRY_TYPE:
			map->geometry_type = arena_alloc(a, sizeof(int) * (map->ncols + 1),
											 sizeof(int));
			if (map->geometry_type == NULL)
				return false;
			for (int i = 0; i < map->ncols; i++)
			{
				uint64_t	g;

				map->geometry_type[i] = -1;
				if (map->real_types[i] != BINLOG_TYPE_GEOMETRY)
					continue;
				if (!binlog_get_lenenc(f, &g))
					return false;
				map->geometry_type[i] = (int) (g & 0x7fffffff);
			}
			return true;
		case TM_SIMPLE_PRIMARY_KEY:
		case TM_PRIMARY_KEY_WITH_PREFIX:
			{
				/* each entry takes at least one byte (two with a prefix) */
				size_t		max = binlog_reader_left(f);
				int			n = 0;

				map->primary_key = arena_alloc(a, sizeof(int) * (max + 1),
											   sizeof(int));
				map->primary_key_prefix = arena_alloc(a, sizeof(int) * (max + 1),
													  sizeof(int));
				if (map->primary_key == NULL || map->primary_key_prefix == NULL)
					return false;
				while (binlog_reader_left(f) > 0)
				{
					uint64_t	col,
								prefix = 0;

					if (!binlog_get_lenenc(f, &col))
						return false;
					if (type == TM_PRIMARY_KEY_WITH_PREFIX &&
						!binlog_get_lenenc(f, &prefix))
						return false;
					if (col >= (uint64_t) map->ncols)
						return false;
					map->primary_key[n] = (int) col;
					map->primary_key_prefix[n] = (int) (prefix & 0x7fffffff);
					n++;
				}
				map->n_primary_key = n;
				return true;
			}
		case TM_COLUMN_VISIBILITY:
			map->visible = arena_alloc(a, map->ncols + 1, 1);
			if (map->visible == NULL)
				return false;
			if (binlog_reader_left(f) < ((size_t) map->ncols + 7) / 8)
				return false;
			for (int i = 0; i < map->ncols; i++)
				map->visible[i] = msb_bit(f->pos, i);
			return true;
	}
	return true;
}

/*
 * Decode a TABLE_MAP event, optional metadata included, into one malloc'd
 * block (free it with free()).  Returns NULL with err set on malformed
 * input or when a column has a type whose metadata length is unknown.
 */
BinlogTableMap *
binlog_decode_table_map(const BinlogFormat *fmt, const BinlogEvent *ev,
						BinlogError *err)
{
	BinlogReader r;
	int			id_size;
	size_t		phl;
	uint64_t	table_id,
				flags,
				ncols,
				meta_len;
	uint8_t		db_len,
				tbl_len;
	const uint8_t *db,
			   *tbl,
			   *types,
			   *meta,
			   *nulls;
	size_t		opt_len,
				bound;
	TableMapArena arena;
	BinlogTableMap *map;
	BinlogReader mr;
	unsigned long long off = binlog_event_offset(ev);

	if (!check_type(ev, BINLOG_TABLE_MAP_EVENT, -1, "TABLE_MAP", err))
		return NULL;
	phl = fmt->post_header_len[BINLOG_TABLE_MAP_EVENT - 1];
	id_size = binlog_table_id_size(fmt, BINLOG_TABLE_MAP_EVENT);
	r.pos = ev->body;
	r.end = ev->body + ev->body_len;

	if (phl < (size_t) id_size + 2)
		phl = id_size + 2;
	if (binlog_reader_left(&r) < phl)
	{
		truncated(ev, err, "post-header");
		return NULL;
	}
	table_id = binlog_le_n(r.pos, id_size);
	flags = binlog_le16(r.pos + id_size);
	r.pos += phl;

	/* database and table names, each with a length byte and a NUL */
	if (binlog_reader_left(&r) < 1)
		goto trunc_names;
	db_len = *r.pos++;
	if (!binlog_get_bytes(&r, (size_t) db_len + 1, &db))
		goto trunc_names;
	if (binlog_reader_left(&r) < 1)
		goto trunc_names;
	tbl_len = *r.pos++;
	if (!binlog_get_bytes(&r, (size_t) tbl_len + 1, &tbl))
		goto trunc_names;

	if (!binlog_get_lenenc(&r, &ncols) || ncols > binlog_reader_left(&r) ||
		!binlog_get_bytes(&r, (size_t) ncols, &types))
	{
		binlog_set_error(err, "TABLE_MAP event for \"%.*s\".\"%.*s\" at offset %llu is truncated in its column types",
						 db_len, db, tbl_len, tbl, off);
		return NULL;
	}
	if (!binlog_get_lenenc(&r, &meta_len) || meta_len > binlog_reader_left(&r) ||
		!binlog_get_bytes(&r, (size_t) meta_len, &meta) ||
		!binlog_get_bytes(&r, ((size_t) ncols + 7) / 8, &nulls))
	{
		binlog_set_error(err, "TABLE_MAP event for \"%.*s\".\"%.*s\" at offset %llu is truncated in its column metadata",
						 db_len, db, tbl_len, tbl, off);
		return NULL;
	}
	opt_len = binlog_reader_left(&r);

	/*
	 * Upper bound of the block: the struct, a dozen arrays of ncols, and
	 * for the optional metadata at most one string byte, one NUL, one
	 * pointer and two ints per byte of it, plus alignment slack.
	 */
	bound = sizeof(BinlogTableMap) + (size_t) db_len + tbl_len + 2 +
		((size_t) ncols + 1) * (3 * sizeof(void *) + 6 * sizeof(int) + 8) +
		opt_len * (2 + sizeof(void *) + 2 * sizeof(int)) +
		((size_t) ncols + 40) * 2 * sizeof(void *);
	arena.base = calloc(1, bound);
	if (arena.base == NULL)
	{
		binlog_set_error(err, "out of memory decoding TABLE_MAP event at offset %llu",
						 off);
		return NULL;
	}
	arena.size = bound;
	arena.used = 0;

	map = arena_alloc(&arena, sizeof(BinlogTableMap), sizeof(void *));
	map->table_id = table_id;
	map->flags = (uint16_t) flags;
	map->ncols = (int) ncols;
	map->db = arena_strdup(&arena, db, db_len);
	map->table = arena_strdup(&arena, tbl, tbl_len);
	map->types = arena_alloc(&arena, ncols + 1, 1);
	map->real_types = arena_alloc(&arena, ncols + 1, 1);
	map->nullable = arena_alloc(&arena, ncols + 1, 1);
	map->meta = arena_alloc(&arena, sizeof(uint16_t) * (ncols + 1),
							sizeof(uint16_t));
	if (!map->db || !map->table || !map->types || !map->real_types ||
		!map->nullable || !map->meta)
		goto arena_full;

	mr.pos = meta;
	mr.end = meta + meta_len;
	for (int i = 0; i < map->ncols; i++)
	{
		int			mlen = binlog_column_meta_length(types[i]);
		uint16_t	m = 0;

		map->types[i] = types[i];
		map->nullable[i] = binlog_bitmap_is_set(nulls, i);
		if (mlen < 0)
		{
			binlog_set_error(err, "TABLE_MAP event for \"%s\".\"%s\" at offset %llu has column %d of unknown type %u",
							 map->db, map->table, off, i + 1, types[i]);
			free(map);
			return NULL;
		}
		if (binlog_reader_left(&mr) < (size_t) mlen)
		{
			binlog_set_error(err, "TABLE_MAP event for \"%s\".\"%s\" at offset %llu is truncated in the metadata of column %d",
							 map->db, map->table, off, i + 1);
			free(map);
			return NULL;
		}
		/*
		 * Keep two-byte metadata in the byte order the server's own
		 * decoders use: little-endian for lengths (VARCHAR, BIT), first
		 * byte high for (precision, scale) and (real type, length).
		 */
		if (mlen == 1)
			m = mr.pos[0];
		else if (mlen == 2)
		{
			if (types[i] == BINLOG_TYPE_VARCHAR ||
				types[i] == BINLOG_TYPE_VAR_STRING ||
				types[i] == BINLOG_TYPE_BIT)
				m = binlog_le16(mr.pos);
			else
				m = (uint16_t) ((mr.pos[0] << 8) | mr.pos[1]);
		}
		mr.pos += mlen;
		map->meta[i] = m;
		map->real_types[i] = column_real_type(types[i], m);
	}

	/* optional metadata: type byte, length, value; until the end */
	while (binlog_reader_left(&r) > 0)
	{
		int			ftype = *r.pos++;
		uint64_t	flen;
		BinlogReader f;

		if (!binlog_get_lenenc(&r, &flen) || flen > binlog_reader_left(&r))
		{
			binlog_set_error(err, "TABLE_MAP event for \"%s\".\"%s\" at offset %llu is truncated in optional metadata field %d",
							 map->db, map->table, off, ftype);
			free(map);
			return NULL;
		}
		f.pos = r.pos;
		f.end = r.pos + flen;
		r.pos += flen;
		if (!apply_optional_field(map, &arena, ftype, &f))
		{
			binlog_set_error(err, "TABLE_MAP event for \"%s\".\"%s\" at offset %llu has malformed optional metadata field %d",
							 map->db, map->table, off, ftype);
			free(map);
			return NULL;
		}
	}
	return map;

arena_full:
	binlog_set_error(err, "TABLE_MAP event at offset %llu needs more memory than its size allows",
					 off);
	free(arena.base);
	return NULL;

trunc_names:
	truncated(ev, err, "database or table name");
	return NULL;
}
