/*-------------------------------------------------------------------------
 *
 * source.h
 *	  The producer thread: the connection to a MySQL or MariaDB source and
 *	  the queue of binlog events it hands to the applier.
 *
 * This is the boundary between the two halves of a channel's worker.  The
 * producer side includes the MySQL client headers and runs in its own
 * thread, where nothing of PostgreSQL may be called; the applier side
 * includes postgres.h.  So this header uses neither: plain C types only.
 *
 * The producer connects, checks the source's settings, asks for the binlog
 * from a position and pushes every event it reads into a queue bounded in
 * bytes.  When the connection ends, for whatever reason, it pushes one
 * SOURCE_MSG_ERROR message (unless it was asked to stop) and its thread
 * ends; reconnecting is the applier's decision, so that the wait between
 * attempts is a latch wait that serves a stop request at once.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MYSQL_REPLICA_SOURCE_H
#define MYSQL_REPLICA_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum SourceSslMode
{
	SOURCE_SSL_DISABLED,
	SOURCE_SSL_PREFERRED,
	SOURCE_SSL_REQUIRED,
	SOURCE_SSL_VERIFY_CA,
	SOURCE_SSL_VERIFY_IDENTITY
} SourceSslMode;

/* What the producer needs to know; copied, so the caller may free it. */
typedef struct SourceConfig
{
	char		host[256];
	int			port;
	char		username[128];
	char		password[256];
	uint32_t	server_id;		/* our server id as a replica */
	double		heartbeat_period;	/* seconds, 0 disables heartbeats */
	int			connect_timeout;	/* seconds */
	SourceSslMode ssl_mode;
	char		log_file[512];	/* empty: start at the source's current end */
	uint64_t	log_pos;

	/*
	 * GTID auto-positioning: ask for everything after gtid_executed (in
	 * the source's own text form) instead of a file and position.  An
	 * empty gtid_executed starts at the source's current GTID state.
	 */
	bool		auto_position;
	char		gtid_executed[8192];
	size_t		queue_max_bytes;	/* bound of the event queue */
} SourceConfig;

typedef enum SourceMessageKind
{
	SOURCE_MSG_CONNECTED,		/* streaming starts at log_file:log_pos */
	SOURCE_MSG_EVENT,			/* data holds one binlog event */
	SOURCE_MSG_ERROR,			/* data holds the message; the thread ends */

	/* from a snapshot reader (snapshot_start), in this order: */
	SOURCE_MSG_SNAPSHOT_POINT,	/* the consistent point: log_file:log_pos,
								 * data the GTID state there (source format,
								 * NUL-terminated, may be empty) */
	SOURCE_MSG_TABLE,			/* a table follows: see SNAPSHOT_NULL_FIELD */
	SOURCE_MSG_ROWS,			/* nrows rows of the current table: see
								 * SNAPSHOT_NULL_FIELD */
	SOURCE_MSG_TABLE_END,		/* nrows: the rows sent for the table */
	SOURCE_MSG_SNAPSHOT_END		/* every table was sent; the thread ends */
} SourceMessageKind;

typedef struct SourceMessage
{
	struct SourceMessage *next;
	SourceMessageKind kind;

	/* SOURCE_MSG_ERROR: retrying cannot help (bad settings, purged binlog) */
	bool		fatal;

	/* SOURCE_MSG_CONNECTED */
	char		log_file[512];	/* empty when streaming by GTID */
	uint64_t	log_pos;
	int			checksum_alg;	/* BinlogChecksumAlg of the source */
	char		server_version[64];
	bool		is_mariadb;

	/* SOURCE_MSG_EVENT: the reader has checked the event's checksum */
	bool		checksum_verified;

	/* SOURCE_MSG_TABLE: columns and estimated rows; SOURCE_MSG_ROWS and
	 * SOURCE_MSG_TABLE_END: rows */
	int			ncolumns;
	uint64_t	rows_estimate;
	uint64_t	nrows;

	/*
	 * SOURCE_MSG_EVENT: event bytes; SOURCE_MSG_ERROR: NUL-terminated
	 * message; SOURCE_MSG_CONNECTED: NUL-terminated GTID state streaming
	 * starts after, when auto-positioning.
	 */
	size_t		len;
	uint8_t		data[];
} SourceMessage;

typedef struct Producer Producer;

/*
 * Initialize the client library.  Call once per process, before the first
 * producer_start, while the process has a single thread.
 */
extern void source_library_init(void);

/*
 * Start a producer thread for the given source.  Returns NULL with a
 * message in errbuf if the thread or its resources could not be created.
 * The thread starts with every signal blocked.
 */
extern Producer *producer_start(const SourceConfig *config, char *errbuf,
								size_t errlen);

/* A file descriptor that becomes readable when messages are waiting. */
extern int	producer_wakeup_fd(Producer *producer);

/*
 * Take the oldest message, or NULL if the queue is empty.  The caller owns
 * the message and releases it with source_message_free.  Consumes pending
 * wake-ups, so call it until it returns NULL before waiting on the fd.
 */
extern SourceMessage *producer_next(Producer *producer);

/* Whether messages are queued, without taking one. */
extern bool producer_has_pending(Producer *producer);
extern void source_message_free(SourceMessage *msg);

/*
 * Ask the thread to end: it is woken from any blocking read, connect or
 * full-queue wait.  Returns at once.
 */
extern void producer_request_stop(Producer *producer);

/* Request a stop if needed, join the thread and free everything. */
extern void producer_destroy(Producer *producer);

/*
 * The snapshot reader: a second kind of producer thread, which copies the
 * source's existing tables instead of streaming its binlog.  It opens one
 * connection and takes a consistent snapshot: on MariaDB with START
 * TRANSACTION WITH CONSISTENT SNAPSHOT and the binlog_snapshot_file and
 * binlog_snapshot_position status variables, which need no lock; on MySQL
 * under a short FLUSH TABLES WITH READ LOCK.  It queues the binlog
 * position (and GTID state) of that point, then for every base table the
 * filter includes (system databases never are), a SOURCE_MSG_TABLE, its
 * rows as SOURCE_MSG_ROWS batches of about batch_bytes, and a
 * SOURCE_MSG_TABLE_END; then SOURCE_MSG_SNAPSHOT_END.  Every table is read
 * in the one snapshot transaction, so the rows are exactly the tables'
 * contents at the point, and streaming from the point loses and repeats
 * nothing.
 *
 * The session reads with character_set_results utf8mb4 and time_zone
 * '+00:00', so text arrives in UTF-8 and TIMESTAMP values in UTC.
 *
 * The same Producer functions apply: producer_wakeup_fd, producer_next,
 * producer_request_stop, producer_destroy.
 */

/*
 * SOURCE_MSG_TABLE's data: NUL-terminated strings, in order: the
 * database, the table, the text of SHOW CREATE TABLE, then for each of
 * ncolumns columns in table order its name, its information_schema
 * DATA_TYPE (lower case, "int", "varchar", "geometry"...) and COLUMN_TYPE
 * ("int(10) unsigned", "enum('a','b')"...).
 *
 * SOURCE_MSG_ROWS's data: nrows rows, each ncolumns fields in table order,
 * each field a 4-byte little-endian length then that many bytes of the
 * value as the text protocol gives it (numbers and dates as text, binary
 * strings and BIT as their bytes, spatial values in MySQL's internal
 * form: a 4-byte SRID then WKB), or the length SNAPSHOT_NULL_FIELD alone
 * for NULL.
 */
#define SNAPSHOT_NULL_FIELD 0xFFFFFFFFu

struct TableFilter;

typedef struct SnapshotConfig
{
	SourceConfig source;		/* connection settings and queue bound;
								 * the position fields are not used */
	size_t		batch_bytes;	/* size of a SOURCE_MSG_ROWS batch */
	const struct TableFilter *filter;	/* which tables; NULL for all.  Read
										 * by the thread: keep it until
										 * producer_destroy */
} SnapshotConfig;

extern Producer *snapshot_start(const SnapshotConfig *config, char *errbuf,
								size_t errlen);

#endif							/* MYSQL_REPLICA_SOURCE_H */
