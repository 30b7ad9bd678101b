/*-------------------------------------------------------------------------
 *
 * binlog.h
 *	  Decoding of MySQL and MariaDB binary log events from raw bytes.
 *
 * This layer knows the binlog format and nothing else: it includes no
 * PostgreSQL and no MySQL client headers, does no I/O except reading a
 * binlog file from disk, and never allocates behind the caller's back
 * except where a function says it returns malloc'd memory.  That keeps it
 * usable from the producer thread, from the applier, from unit tests and
 * from a fuzzer alike.
 *
 * Errors are reported as a false return value plus a message written into
 * a caller-supplied BinlogError; nothing here aborts or longjmps.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MYSQL_REPLICA_BINLOG_H
#define MYSQL_REPLICA_BINLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Event type codes, as numbered by MySQL and MariaDB. */
typedef enum BinlogEventType
{
	BINLOG_UNKNOWN_EVENT = 0,
	BINLOG_START_EVENT_V3 = 1,
	BINLOG_QUERY_EVENT = 2,
	BINLOG_STOP_EVENT = 3,
	BINLOG_ROTATE_EVENT = 4,
	BINLOG_INTVAR_EVENT = 5,
	BINLOG_RAND_EVENT = 13,
	BINLOG_USER_VAR_EVENT = 14,
	BINLOG_FORMAT_DESCRIPTION_EVENT = 15,
	BINLOG_XID_EVENT = 16,
	BINLOG_BEGIN_LOAD_QUERY_EVENT = 17,
	BINLOG_EXECUTE_LOAD_QUERY_EVENT = 18,
	BINLOG_TABLE_MAP_EVENT = 19,
	BINLOG_WRITE_ROWS_EVENT_V1 = 23,
	BINLOG_UPDATE_ROWS_EVENT_V1 = 24,
	BINLOG_DELETE_ROWS_EVENT_V1 = 25,
	BINLOG_INCIDENT_EVENT = 26,
	BINLOG_HEARTBEAT_EVENT = 27,
	BINLOG_IGNORABLE_EVENT = 28,
	BINLOG_ROWS_QUERY_EVENT = 29,
	BINLOG_WRITE_ROWS_EVENT = 30,
	BINLOG_UPDATE_ROWS_EVENT = 31,
	BINLOG_DELETE_ROWS_EVENT = 32,
	BINLOG_GTID_EVENT = 33,
	BINLOG_ANONYMOUS_GTID_EVENT = 34,
	BINLOG_PREVIOUS_GTIDS_EVENT = 35,
	BINLOG_TRANSACTION_CONTEXT_EVENT = 36,
	BINLOG_VIEW_CHANGE_EVENT = 37,
	BINLOG_XA_PREPARE_EVENT = 38,
	BINLOG_PARTIAL_UPDATE_ROWS_EVENT = 39,
	BINLOG_TRANSACTION_PAYLOAD_EVENT = 40,
	BINLOG_HEARTBEAT_EVENT_V2 = 41,
	BINLOG_GTID_TAGGED_EVENT = 42,
	/* MariaDB's own event types */
	BINLOG_MARIADB_ANNOTATE_ROWS_EVENT = 160,
	BINLOG_MARIADB_BINLOG_CHECKPOINT_EVENT = 161,
	BINLOG_MARIADB_GTID_EVENT = 162,
	BINLOG_MARIADB_GTID_LIST_EVENT = 163,
	BINLOG_MARIADB_START_ENCRYPTION_EVENT = 164,
	BINLOG_MARIADB_QUERY_COMPRESSED_EVENT = 165,
	BINLOG_MARIADB_WRITE_ROWS_COMPRESSED_EVENT_V1 = 166,
	BINLOG_MARIADB_UPDATE_ROWS_COMPRESSED_EVENT_V1 = 167,
	BINLOG_MARIADB_DELETE_ROWS_COMPRESSED_EVENT_V1 = 168,
	BINLOG_MARIADB_WRITE_ROWS_COMPRESSED_EVENT = 169,
	BINLOG_MARIADB_UPDATE_ROWS_COMPRESSED_EVENT = 170,
	BINLOG_MARIADB_DELETE_ROWS_COMPRESSED_EVENT = 171
} BinlogEventType;

/* Column type codes of a table map event (enum_field_types). */
typedef enum BinlogColumnType
{
	BINLOG_TYPE_DECIMAL = 0,
	BINLOG_TYPE_TINY = 1,
	BINLOG_TYPE_SHORT = 2,
	BINLOG_TYPE_LONG = 3,
	BINLOG_TYPE_FLOAT = 4,
	BINLOG_TYPE_DOUBLE = 5,
	BINLOG_TYPE_NULL = 6,
	BINLOG_TYPE_TIMESTAMP = 7,
	BINLOG_TYPE_LONGLONG = 8,
	BINLOG_TYPE_INT24 = 9,
	BINLOG_TYPE_DATE = 10,
	BINLOG_TYPE_TIME = 11,
	BINLOG_TYPE_DATETIME = 12,
	BINLOG_TYPE_YEAR = 13,
	BINLOG_TYPE_NEWDATE = 14,
	BINLOG_TYPE_VARCHAR = 15,
	BINLOG_TYPE_BIT = 16,
	BINLOG_TYPE_TIMESTAMP2 = 17,
	BINLOG_TYPE_DATETIME2 = 18,
	BINLOG_TYPE_TIME2 = 19,
	BINLOG_TYPE_TYPED_ARRAY = 20,
	BINLOG_TYPE_VECTOR = 242,
	BINLOG_TYPE_INVALID = 243,
	BINLOG_TYPE_BOOL = 244,
	BINLOG_TYPE_JSON = 245,
	BINLOG_TYPE_NEWDECIMAL = 246,
	BINLOG_TYPE_ENUM = 247,
	BINLOG_TYPE_SET = 248,
	BINLOG_TYPE_TINY_BLOB = 249,
	BINLOG_TYPE_MEDIUM_BLOB = 250,
	BINLOG_TYPE_LONG_BLOB = 251,
	BINLOG_TYPE_BLOB = 252,
	BINLOG_TYPE_VAR_STRING = 253,
	BINLOG_TYPE_STRING = 254,
	BINLOG_TYPE_GEOMETRY = 255
} BinlogColumnType;

/* Checksum algorithm announced by the format description event. */
typedef enum BinlogChecksumAlg
{
	BINLOG_CHECKSUM_OFF = 0,
	BINLOG_CHECKSUM_CRC32 = 1,
	BINLOG_CHECKSUM_UNDEFINED = 255
} BinlogChecksumAlg;

/* Common header flag: the event was made up by the server for the dump. */
#define BINLOG_EVENT_ARTIFICIAL_F	0x0020

/* Rows event flag: last rows event of a statement. */
#define BINLOG_ROWS_STMT_END_F		0x0001

/* MariaDB GTID event flags (flags2). */
#define BINLOG_MARIADB_GTID_STANDALONE	0x01
#define BINLOG_MARIADB_GTID_GROUP_COMMIT_ID 0x02
#define BINLOG_MARIADB_GTID_TRANSACTIONAL 0x04

#define BINLOG_HEADER_LEN		19		/* common header of binlog v4 */
#define BINLOG_CHECKSUM_LEN		4
#define BINLOG_MAGIC_LEN		4		/* "\xfe" "bin" at the start of a file */
#define BINLOG_MAX_FILE_NAME	512

typedef struct BinlogError
{
	char		message[512];
} BinlogError;

/* The 19-byte header that starts every event. */
typedef struct BinlogEventHeader
{
	uint32_t	timestamp;		/* seconds since the Unix epoch */
	uint8_t		type;			/* BinlogEventType */
	uint32_t	server_id;
	uint32_t	event_size;		/* header + body + checksum */
	uint32_t	log_pos;		/* end of this event in its file; 0 if
								 * artificial */
	uint16_t	flags;
} BinlogEventHeader;

/*
 * What a format description event says about the events that follow it:
 * the header and post-header lengths and the checksum algorithm.  Before
 * the first format description event is seen, binlog_format_init gives
 * the binlog v4 defaults.
 */
typedef struct BinlogFormat
{
	uint16_t	binlog_version;
	char		server_version[51];
	bool		is_mariadb;		/* server_version mentions MariaDB */
	uint8_t		header_len;
	int			n_post_header_len;
	uint8_t		post_header_len[256];	/* indexed by event type - 1 */
	BinlogChecksumAlg checksum_alg;
} BinlogFormat;

/*
 * One event, framed: the header plus the body without the checksum.
 * "body" points into the caller's buffer.
 */
typedef struct BinlogEvent
{
	BinlogEventHeader header;
	const uint8_t *data;		/* the whole event, header included */
	const uint8_t *body;		/* after the common header */
	size_t		body_len;		/* excluding the checksum, if any */
} BinlogEvent;

typedef struct BinlogRotate
{
	uint64_t	position;
	char		file[BINLOG_MAX_FILE_NAME];
} BinlogRotate;

/* A QUERY event; the strings point into the event and are not terminated. */
typedef struct BinlogQuery
{
	uint32_t	thread_id;
	uint32_t	exec_time;
	uint16_t	error_code;
	const char *db;
	size_t		db_len;
	const char *query;
	size_t		query_len;
	bool		has_sql_mode;	/* the status variables gave the session's */
	uint64_t	sql_mode;		/* sql_mode, which changes how the text reads */
} BinlogQuery;

/* A GTID event of either flavor. */
typedef struct BinlogGtid
{
	bool		is_mariadb;
	/* MariaDB: domain-server-sequence */
	uint32_t	domain_id;
	uint32_t	server_id;		/* from the event header */
	uint64_t	seq_no;
	uint8_t		flags2;
	bool		standalone;		/* MariaDB: no BEGIN/COMMIT follows (DDL) */
	/* MySQL: source UUID and transaction number */
	uint8_t		uuid[16];
	int64_t		gno;
	bool		anonymous;
	char		tag[33];		/* MySQL 8.3+ GTID tag, "" when untagged */
} BinlogGtid;

/*
 * A GTID set as a PREVIOUS_GTIDS event carries it: one entry per source
 * UUID and tag, each with its intervals of transaction numbers.
 */
typedef struct BinlogGtidInterval
{
	int64_t		start;			/* first transaction number */
	int64_t		end;			/* one past the last */
} BinlogGtidInterval;

typedef struct BinlogGtidSource
{
	uint8_t		uuid[16];
	char		tag[33];		/* "" when untagged */
	int			n_intervals;
	BinlogGtidInterval *intervals;
} BinlogGtidSource;

typedef struct BinlogGtidSet
{
	bool		tagged;			/* written in the MySQL 8.3+ tagged format */
	int			n_sources;
	BinlogGtidSource *sources;
} BinlogGtidSet;

/*
 * A MariaDB compressed event (QUERY_COMPRESSED, *_ROWS_COMPRESSED v1 and
 * v2) turned back into the plain event: buf is a malloc'd copy of the
 * event with its data uncompressed, the type in its header changed to the
 * plain type, its size updated and no checksum; event is framed over buf.
 * The header keeps the log position of the compressed event, so the
 * offsets that decoders name in errors about the plain event (log
 * position minus size) come out too low by the growth in size.  Release
 * with binlog_decompressed_free.
 */
typedef struct BinlogDecompressed
{
	uint8_t    *buf;
	size_t		len;
	BinlogEvent event;
} BinlogDecompressed;

/* Compression types of a TRANSACTION_PAYLOAD event. */
#define BINLOG_PAYLOAD_ZSTD		0
#define BINLOG_PAYLOAD_NONE		255

/* The fields of a TRANSACTION_PAYLOAD event (MySQL 8.0.20+). */
typedef struct BinlogPayload
{
	uint64_t	compression_type;	/* BINLOG_PAYLOAD_ZSTD or _NONE */
	uint64_t	payload_size;	/* bytes of payload in the event */
	bool		has_uncompressed_size;
	uint64_t	uncompressed_size;
	const uint8_t *payload;		/* points into the event */
} BinlogPayload;

/*
 * Iterator over the events inside a TRANSACTION_PAYLOAD event.  The inner
 * events are framed with "format", the format of the enclosing binlog
 * without checksums; pass it to the decoders of the inner events.  They
 * point into memory owned by the cursor and stay valid until
 * binlog_payload_close.
 */
typedef struct BinlogPayloadCursor
{
	BinlogFormat format;
	BinlogPayload payload;
	uint8_t    *buf;			/* malloc'd uncompressed payload, or NULL
								 * when it is not compressed */
	const uint8_t *data;		/* the inner events */
	size_t		len;
	size_t		offset;			/* of the next inner event in data */
	uint64_t	event_offset;	/* file offset of the enclosing event */
} BinlogPayloadCursor;

/*
 * No event is decompressed beyond this size (1 GiB); a bigger one is an
 * error.  The fuzzer builds with a lower bound.
 */
#ifndef BINLOG_MAX_UNCOMPRESSED
#define BINLOG_MAX_UNCOMPRESSED ((size_t) 1 << 30)
#endif

/*
 * A table map event, decoded.  Allocated by binlog_decode_table_map as one
 * malloc'd block; release it with free().  Arrays have ncols entries.
 */
typedef struct BinlogTableMap
{
	uint64_t	table_id;
	uint16_t	flags;
	char	   *db;
	char	   *table;
	int			ncols;
	uint8_t    *types;			/* BinlogColumnType as written in the event */
	uint16_t   *meta;			/* per-type metadata, see binlog_column_meta */
	bool	   *nullable;

	/* optional metadata; NULL/false when the source did not send it */
	bool		has_signedness;
	bool	   *is_unsigned;	/* numeric columns only */
	int		   *collation;		/* character columns: MySQL collation id,
								 * -1 when unknown */
	char	  **column_names;	/* binlog_row_metadata=FULL */
	int		   *enum_count;		/* ENUM/SET columns: number of names */
	char	 ***enum_names;		/* ENUM/SET columns: the names */
	int			n_primary_key;
	int		   *primary_key;	/* column indexes of the primary key */
	uint8_t    *real_types;		/* type after resolving STRING's real type
								 * (ENUM, SET, STRING) */

	/* added by the decoder; NULL when the source did not send them */
	bool	   *visible;		/* COLUMN_VISIBILITY: false for invisible
								 * columns */
	int		   *geometry_type;	/* GEOMETRY columns: GEOMETRY_TYPE value,
								 * -1 for other columns */
	int		   *primary_key_prefix;	/* per primary_key entry: key prefix
										 * length, 0 for the whole column */
} BinlogTableMap;

typedef enum BinlogRowsKind
{
	BINLOG_ROWS_INSERT,
	BINLOG_ROWS_UPDATE,
	BINLOG_ROWS_DELETE
} BinlogRowsKind;

/* A rows event before its rows are decoded; pointers into the event. */
typedef struct BinlogRowsEvent
{
	BinlogRowsKind kind;
	uint64_t	table_id;
	uint16_t	flags;
	int			ncols;
	const uint8_t *columns_before;	/* bitmap: columns in the before image
									 * (or the only image of INSERT) */
	bool		partial;		/* PARTIAL_UPDATE_ROWS: after images may
								 * hold JSON diffs */
	const uint8_t *columns_after;	/* bitmap: columns in the after image
									 * (UPDATE only, else NULL) */
	const uint8_t *rows;		/* first row image */
	size_t		rows_len;
} BinlogRowsEvent;

/* The kind of a decoded cell. */
typedef enum BinlogValueKind
{
	BINLOG_VALUE_ABSENT,		/* column not in this row image */
	BINLOG_VALUE_NULL,
	BINLOG_VALUE_INT,			/* signed integer, in .i */
	BINLOG_VALUE_UINT,			/* unsigned integer, in .u */
	BINLOG_VALUE_FLOAT,			/* FLOAT, in .d */
	BINLOG_VALUE_DOUBLE,		/* DOUBLE, in .d */
	BINLOG_VALUE_DECIMAL,		/* DECIMAL as text, in .decimal */
	BINLOG_VALUE_STRING,		/* character data, in .str with collation */
	BINLOG_VALUE_BYTES,			/* BINARY/VARBINARY/BLOB, in .str */
	BINLOG_VALUE_DATE,			/* in .tm (year, month, day) */
	BINLOG_VALUE_TIME,			/* in .tm (negative, hour, minute, second,
								 * usec); hour may exceed 23 */
	BINLOG_VALUE_DATETIME,		/* in .tm, all fields but negative */
	BINLOG_VALUE_TIMESTAMP,		/* UTC, in .ts */
	BINLOG_VALUE_YEAR,			/* in .i; 0 is the zero year */
	BINLOG_VALUE_BIT,			/* in .u, plus .str for the raw bytes */
	BINLOG_VALUE_ENUM,			/* 1-based index in .u, 0 is the empty
								 * value */
	BINLOG_VALUE_SET,			/* bitmask in .u */
	BINLOG_VALUE_JSON,			/* raw bytes in .str (MySQL binary JSON, or
								 * text from MariaDB) */
	BINLOG_VALUE_GEOMETRY,		/* raw bytes in .str: 4-byte SRID + WKB */
	BINLOG_VALUE_VECTOR,		/* raw bytes in .str: float32 LE array */
	BINLOG_VALUE_JSON_DIFF		/* PARTIAL_UPDATE_ROWS after image: the
								 * diffs of a JSON column in .str, to read
								 * with binlog_json_diff_cursor_init */
} BinlogValueKind;

typedef struct BinlogTime
{
	bool		negative;
	int			year;
	int			month;
	int			day;
	int			hour;
	int			minute;
	int			second;
	int			usec;
	int			fsp;			/* fractional second precision, 0..6 */
} BinlogTime;

typedef struct BinlogValue
{
	BinlogValueKind kind;
	uint8_t		column_type;	/* real BinlogColumnType of the column */
	union
	{
		int64_t		i;
		uint64_t	u;
		double		d;
		BinlogTime	tm;
		struct
		{
			int64_t		sec;
			int			usec;
			int			fsp;
		}			ts;
	};
	struct
	{
		const uint8_t *ptr;		/* points into the event */
		size_t		len;
		int			collation;	/* MySQL collation id, -1 unknown, 63 is
								 * binary */
	}			str;
	char		decimal[72];	/* sign, 65 digits, point, NUL */
} BinlogValue;

/* Cursor over the row images of a rows event. */
typedef struct BinlogRowsCursor
{
	const BinlogRowsEvent *event;
	const BinlogTableMap *map;
	size_t		offset;			/* into event->rows */
} BinlogRowsCursor;

/* ---- framing and format ---- */
extern void binlog_format_init(BinlogFormat *fmt, BinlogChecksumAlg alg);
extern bool binlog_read_header(const uint8_t *buf, size_t len,
							   BinlogEventHeader *hdr, BinlogError *err);
extern bool binlog_frame_event(const BinlogFormat *fmt, const uint8_t *buf,
							   size_t len, bool verify_checksum,
							   BinlogEvent *ev, BinlogError *err);
extern bool binlog_decode_format_description(const BinlogEvent *ev,
											 BinlogFormat *fmt,
											 BinlogError *err);
extern uint32_t binlog_crc32(uint32_t crc, const uint8_t *buf, size_t len);
extern const char *binlog_event_type_name(int type);
extern const char *binlog_column_type_name(int type);

/*
 * binlog_column_meta: the per-column metadata of a table map, as kept in
 * BinlogTableMap.meta, is
 *	FLOAT, DOUBLE			pack length (4 or 8)
 *	BLOB family, JSON,		number of bytes of the length prefix (1..4)
 *	GEOMETRY, VECTOR
 *	TIMESTAMP2, DATETIME2,	fractional second precision (0..6)
 *	TIME2
 *	VARCHAR, VAR_STRING		maximum length in bytes
 *	BIT						(bytes << 8) | bits, i.e. length / 8 and
 *							length % 8
 *	NEWDECIMAL				(precision << 8) | scale
 *	STRING, ENUM, SET		(real type << 8) | length, as in the event
 *							(long CHAR borrows bits 0x30 of the real type)
 *	other types				0
 * binlog_column_meta_length gives the number of metadata bytes a column
 * type has in the event, or -1 for a type the decoder does not know.
 */
extern int	binlog_column_meta_length(int type);

/* ---- individual events ---- */
extern bool binlog_decode_rotate(const BinlogFormat *fmt,
								 const BinlogEvent *ev, BinlogRotate *rot,
								 BinlogError *err);
extern bool binlog_decode_query(const BinlogFormat *fmt, const BinlogEvent *ev,
								BinlogQuery *q, BinlogError *err);
extern bool binlog_decode_xid(const BinlogFormat *fmt, const BinlogEvent *ev,
							  uint64_t *xid, BinlogError *err);
extern bool binlog_decode_gtid(const BinlogFormat *fmt, const BinlogEvent *ev,
							   BinlogGtid *gtid, BinlogError *err);
extern BinlogTableMap *binlog_decode_table_map(const BinlogFormat *fmt,
											   const BinlogEvent *ev,
											   BinlogError *err);
extern bool binlog_decode_rows_header(const BinlogFormat *fmt,
									  const BinlogEvent *ev,
									  BinlogRowsEvent *rows,
									  BinlogError *err);

/*
 * Decode a PREVIOUS_GTIDS event, untagged or in the MySQL 8.3+ tagged
 * format, into *set: one malloc'd block, release it with free().
 */
extern bool binlog_decode_previous_gtids(const BinlogFormat *fmt,
										 const BinlogEvent *ev,
										 BinlogGtidSet **set,
										 BinlogError *err);

/* ---- GTID sets (MySQL) and GTID positions (MariaDB) ---- */

/*
 * MySQL GTID sets, for GTID auto-positioning.  Every set these functions
 * return is one malloc'd block, like the sets of
 * binlog_decode_previous_gtids: release it with binlog_gtid_set_free or
 * free().  A NULL set argument stands for the empty set.
 *
 * The sets they return are canonical: sources sorted by UUID (as bytes,
 * which is also the order of the text form) and then by tag, each source
 * once, tags in lowercase, every source with at least one interval and
 * its intervals ascending, neither overlapping nor touching.  As input
 * they also take sets straight from binlog_decode_previous_gtids, whose
 * sources may come in any order or repeat; the intervals of each source
 * must be ascending and disjoint, as the decoder checks.
 *
 * A tag argument of NULL or "" means an untagged GTID; tags compare
 * without regard to case.  Transaction numbers run from 1 to 2^63 - 2.
 */

/*
 * Parse MySQL's text form: comma-separated "uuid:interval[:interval...]"
 * with intervals "N" or "N-M", and MySQL 8.3+ tags, "uuid:tag:1-5:tag2:7"
 * or "uuid:1-3:tag:1-2", a tag applying to the intervals after it until
 * the next one.  Whitespace and newlines may surround every element.  The
 * empty string (or only whitespace) is the empty set.  Stricter than
 * MySQL: empty elements (",,", a trailing comma), a UUID or tag without
 * intervals and reversed intervals ("5-3") are errors.  Returns NULL with
 * err set on malformed text or when out of memory.
 */
extern BinlogGtidSet *binlog_gtid_set_parse(const char *text,
											BinlogError *err);

/*
 * The canonical text of a set, malloc'd: "uuid:1-5:7:tag:1-2,uuid2:3", as
 * MySQL prints it but with "," instead of ",\n" between UUIDs; "" for the
 * empty set.  NULL when out of memory or when the set holds an empty or
 * out-of-range interval.
 */
extern char *binlog_gtid_set_format(const BinlogGtidSet *set);

/*
 * Add one GTID to *set (NULL for an empty set), merging it into the
 * intervals.  *set may be replaced by a new block (the old one is freed);
 * on failure (invalid tag or transaction number, out of memory) it is
 * left as it was and err says why.
 */
extern bool binlog_gtid_set_add(BinlogGtidSet **set, const uint8_t uuid[16],
								const char *tag, int64_t gno,
								BinlogError *err);

/* Does the set hold this GTID? */
extern bool binlog_gtid_set_contains(const BinlogGtidSet *set,
									 const uint8_t uuid[16], const char *tag,
									 int64_t gno);

/* Is every GTID of a also in b (a is a subset of b)? */
extern bool binlog_gtid_set_is_subset(const BinlogGtidSet *a,
									  const BinlogGtidSet *b);

/*
 * The GTIDs of a that are not in b, as a new canonical set (with b NULL,
 * a canonical copy of a); NULL when out of memory or when a set holds an
 * empty or out-of-range interval.
 */
extern BinlogGtidSet *binlog_gtid_set_subtract(const BinlogGtidSet *a,
											   const BinlogGtidSet *b);

/*
 * Encode a set as MySQL sends it in COM_BINLOG_DUMP_GTID and writes it in
 * the body of a PREVIOUS_GTIDS event: canonical order, in the classic
 * format when no source has a tag (and the set was not decoded from the
 * tagged format), else in the MySQL 8.3+ tagged one.  *out is malloc'd.
 */
extern bool binlog_gtid_set_encode(const BinlogGtidSet *set, uint8_t **out,
								   size_t *out_len, BinlogError *err);

/* Release a set; the same as free(). */
extern void binlog_gtid_set_free(BinlogGtidSet *set);

/*
 * A MariaDB GTID position (gtid_slave_pos, gtid_binlog_pos): at most one
 * domain-server-sequence triple per replication domain, kept sorted by
 * domain.  One malloc'd block: release it with free().  NULL stands for
 * the empty position.
 */
typedef struct BinlogMariadbGtid
{
	uint32_t	domain_id;
	uint32_t	server_id;
	uint64_t	seq_no;
} BinlogMariadbGtid;

typedef struct BinlogMariadbGtidList
{
	int			n_gtids;
	BinlogMariadbGtid gtids[];	/* sorted by domain_id, each domain once */
} BinlogMariadbGtidList;

/*
 * Parse "0-1-100,1-2-5" (whitespace allowed around the commas; "" is the
 * empty position).  Two triples of one domain are an error, as they are
 * for MariaDB.  Returns NULL with err set on malformed text.
 */
extern BinlogMariadbGtidList *binlog_mariadb_gtid_list_parse(const char *text,
															 BinlogError *err);

/* "domain-server-seq" triples sorted by domain, comma-separated; malloc'd. */
extern char *binlog_mariadb_gtid_list_format(const BinlogMariadbGtidList *list);

/*
 * Record that the transaction domain-server-seq was applied: set the
 * triple of its domain, adding the domain if new.  *list may be NULL and
 * may be replaced by a new block; on failure it is left as it was.
 */
extern bool binlog_mariadb_gtid_list_advance(BinlogMariadbGtidList **list,
											 uint32_t domain_id,
											 uint32_t server_id,
											 uint64_t seq_no,
											 BinlogError *err);

/*
 * Is position a behind position b: does b have a domain that a lacks or
 * has with a lower sequence number?  Server ids are not compared: within
 * a domain, MariaDB orders transactions by sequence number alone.
 */
extern bool binlog_mariadb_gtid_list_is_behind(const BinlogMariadbGtidList *a,
											   const BinlogMariadbGtidList *b);

/* ---- compressed events ---- */

/* Is this a MariaDB compressed event type (165..171)? */
extern bool binlog_is_compressed_event(int type);

/*
 * Uncompress a MariaDB compressed event into *out (see
 * BinlogDecompressed); the result decodes with binlog_decode_query or
 * binlog_decode_rows_header and binlog_rows_next like the plain event.
 */
extern bool binlog_decompress_event(const BinlogFormat *fmt,
									const BinlogEvent *ev,
									BinlogDecompressed *out,
									BinlogError *err);
extern void binlog_decompressed_free(BinlogDecompressed *out);

/* Decode the fields of a TRANSACTION_PAYLOAD event, without its payload. */
extern bool binlog_decode_transaction_payload(const BinlogFormat *fmt,
											  const BinlogEvent *ev,
											  BinlogPayload *payload,
											  BinlogError *err);

/*
 * Start iterating over the events of a TRANSACTION_PAYLOAD event,
 * uncompressing its payload.  On failure the cursor holds nothing to
 * release; on success call binlog_payload_close when done.
 */
extern bool binlog_payload_open(BinlogPayloadCursor *cur,
								const BinlogFormat *fmt,
								const BinlogEvent *ev, BinlogError *err);

/*
 * Frame the next inner event into *inner.  Returns false at the end of
 * the payload (err->message empty) or on error (err->message set).
 */
extern bool binlog_payload_next(BinlogPayloadCursor *cur, BinlogEvent *inner,
								BinlogError *err);
extern void binlog_payload_close(BinlogPayloadCursor *cur);

/* ---- row images ---- */
extern void binlog_rows_cursor_init(BinlogRowsCursor *cur,
									const BinlogRowsEvent *rows,
									const BinlogTableMap *map);

/*
 * Decode the next row of a rows event.  values_before and values_after are
 * arrays of map->ncols entries filled by the call; for INSERT and DELETE
 * only values_before is used (it receives the only image), for UPDATE both.
 * Returns false at the end of the rows (err->message empty) or on error
 * (err->message set).
 */
extern bool binlog_rows_next(BinlogRowsCursor *cur, BinlogValue *values_before,
							 BinlogValue *values_after, BinlogError *err);

/*
 * Decode a single cell of a column with the given table map type and
 * metadata (plus signedness and collation from optional metadata), as
 * binlog_rows_next does for each cell; *consumed receives its size.  For
 * tests, tools and fuzzers.
 */
extern bool binlog_decode_cell(int type, uint16_t meta, bool is_unsigned,
							   int collation, const uint8_t *buf, size_t len,
							   BinlogValue *value, size_t *consumed,
							   BinlogError *err);

/*
 * Format a non-string value as text in the syntax PostgreSQL's input
 * functions accept: integers in decimal, FLOAT with 9 and DOUBLE with 17
 * significant digits, DECIMAL as is, DATE as YYYY-MM-DD, TIME as
 * [-]HH:MM:SS[.ffffff] (HH may exceed 23), DATETIME as
 * YYYY-MM-DD HH:MM:SS[.ffffff], TIMESTAMP as the same in UTC followed by
 * "+00", YEAR as four digits, BIT/ENUM/SET as their integer.  Returns false
 * for kinds that have no text form of their own (strings, bytes, JSON,
 * geometry, vectors, NULL, absent).  *zero_date is set when a DATE or
 * DATETIME has a zero year, month or day, which PostgreSQL cannot hold.
 */
extern bool binlog_value_to_text(const BinlogValue *value, char *buf,
								 size_t buflen, bool *zero_date);

/* ---- binlog files on disk ---- */
typedef struct BinlogFileReader
{
	void	   *fp;				/* FILE * */
	char		path[1024];
	uint64_t	offset;			/* file offset of the next event */
	uint8_t    *buf;			/* malloc'd; holds the current event */
	size_t		bufsize;
	BinlogFormat format;		/* from the file's format description */
} BinlogFileReader;

/* Open a file and check its magic; false with err set on failure. */
extern bool binlog_file_open(BinlogFileReader *reader, const char *path,
							 BinlogError *err);

/*
 * Read and frame the next event (verifying its checksum when the format
 * has one); the event stays valid until the next call.  A format
 * description event updates reader->format.  Returns 1 for an event, 0 at
 * a clean end of file, -1 on error with err naming the file offset.
 */
extern int	binlog_file_next(BinlogFileReader *reader, BinlogEvent *ev,
							 BinlogError *err);
extern void binlog_file_close(BinlogFileReader *reader);

/* ---- MySQL binary JSON ---- */

/*
 * A growable text buffer, malloc'd and realloc'd as needed.  Start from
 * all zeroes; set len to 0 to reuse the buffer for the next value, and
 * release it with binlog_json_output_free.  After a successful call of
 * binlog_json_to_text, data is NUL-terminated (the NUL is not counted in
 * len).
 */
typedef struct BinlogJsonOutput
{
	char	   *data;
	size_t		len;
	size_t		cap;
} BinlogJsonOutput;

extern void binlog_json_output_free(BinlogJsonOutput *out);

/*
 * Convert a value in MySQL's binary JSON format (a JSON column's bytes in
 * a row image, or the value of a partial update diff) into JSON text,
 * appended to out.  The text is what PostgreSQL's json and jsonb input
 * functions accept and means the same value:
 *	- objects and arrays (small and large), true, false, null;
 *	- integers in decimal; doubles in the shortest form that reads back
 *	  as the same double (at most 17 significant digits), with ".0" added
 *	  to integral ones as MySQL prints them; infinity and NaN, which JSON
 *	  cannot spell, are an error;
 *	- strings escaped per RFC 8259 (control characters as \u and four
 *	  hex digits, or their short escapes); they must be valid UTF-8, and
 *	  U+0000, which jsonb cannot hold, is an error;
 *	- opaque values the way MySQL prints them: DECIMAL as a number, DATE
 *	  as "YYYY-MM-DD", TIME as "[-]HH:MM:SS.ffffff", DATETIME and
 *	  TIMESTAMP as "YYYY-MM-DD HH:MM:SS.ffffff", VAR_STRING as the string,
 *	  anything else (BLOB, BIT, geometry, YEAR, ...) as the string
 *	  "base64:type<N>:<base64 of the bytes>" with N the MySQL column type
 *	  and a newline after every 76 base64 characters, as MySQL does;
 *	- an empty value (zero bytes) is null, as for MySQL.
 * Containers may nest at most 100 deep, as in MySQL.  Every offset and
 * length is checked against len; malformed input gives false with err
 * naming the offset in data, and out->len is then as it was before the
 * call.  A value whose text would exceed 16 times its size (possible only
 * when elements share bytes, which MySQL never writes) and running out of
 * memory are errors too.
 */
extern bool binlog_json_to_text(const uint8_t *data, size_t len,
								BinlogJsonOutput *out, BinlogError *err);

/*
 * Partial JSON updates.  With binlog_row_value_options=PARTIAL_JSON, MySQL
 * logs an UPDATE that changed a JSON column with JSON_SET, JSON_REPLACE or
 * JSON_REMOVE as a PARTIAL_UPDATE_ROWS event whose after image may carry,
 * instead of the column's whole new value, the list of changes.  Such a
 * cell is a 4-byte little-endian length followed by that many bytes of
 * diffs, each
 *	1 byte				operation (BinlogJsonDiffOp)
 *	length-encoded int	length of the path, then the path as text in
 *						MySQL's JSON path syntax, e.g. $.a[1] or $."a b"
 *	for REPLACE and INSERT only:
 *	length-encoded int	length of the value, then the value in binary
 *						JSON
 * where a length-encoded int is the client protocol's (one byte below
 * 251, else 0xfc, 0xfd or 0xfe and 2, 3 or 8 bytes).  The diffs are meant
 * to be applied in order to the before image's value.  The 4-byte length
 * does not depend on the column's metadata.  In the event, each after
 * image starts with a length-encoded value_options; when its bit 1
 * (PARTIAL_JSON) is set, a bitmap with one bit per JSON column of the
 * table (in table order, present in the image or not) follows and marks
 * the cells written as diffs; then come the null bitmap and cells as
 * usual.
 */
typedef enum BinlogJsonDiffOp
{
	BINLOG_JSON_DIFF_REPLACE = 0,	/* JSON_REPLACE(col, path, value) */
	BINLOG_JSON_DIFF_INSERT = 1,	/* JSON_ARRAY_INSERT for an array cell,
									 * JSON_INSERT for an object member */
	BINLOG_JSON_DIFF_REMOVE = 2		/* JSON_REMOVE(col, path) */
} BinlogJsonDiffOp;

/* One diff; the pointers point into the cursor's bytes. */
typedef struct BinlogJsonDiff
{
	BinlogJsonDiffOp op;
	const char *path;			/* not NUL-terminated */
	size_t		path_len;
	const uint8_t *value;		/* binary JSON for binlog_json_to_text;
								 * NULL for REMOVE */
	size_t		value_len;
} BinlogJsonDiff;

/*
 * Cursor over the diffs of one cell: data and len are the bytes after the
 * cell's 4-byte length (len being that length).
 */
typedef struct BinlogJsonDiffCursor
{
	const uint8_t *data;
	size_t		len;
	size_t		offset;			/* of the next diff in data */
} BinlogJsonDiffCursor;

static inline void
binlog_json_diff_cursor_init(BinlogJsonDiffCursor *cur, const uint8_t *data,
							 size_t len)
{
	cur->data = data;
	cur->len = len;
	cur->offset = 0;
}

/*
 * Decode the next diff into *diff.  Returns false at the end of the diffs
 * (err->message empty) or on malformed bytes (err->message set, naming
 * the offset); the cursor only moves past a diff that decoded completely.
 * The value is not checked here: binlog_json_to_text does that.
 */
extern bool binlog_json_diff_next(BinlogJsonDiffCursor *cur,
								  BinlogJsonDiff *diff, BinlogError *err);

/* Is the column i present in the bitmap? */
static inline bool
binlog_bitmap_is_set(const uint8_t *bitmap, int i)
{
	return (bitmap[i / 8] >> (i % 8)) & 1;
}

#endif							/* MYSQL_REPLICA_BINLOG_H */
