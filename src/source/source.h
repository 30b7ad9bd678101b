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
	SOURCE_MSG_ERROR			/* data holds the message; the thread ends */
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
extern void source_message_free(SourceMessage *msg);

/*
 * Ask the thread to end: it is woken from any blocking read, connect or
 * full-queue wait.  Returns at once.
 */
extern void producer_request_stop(Producer *producer);

/* Request a stop if needed, join the thread and free everything. */
extern void producer_destroy(Producer *producer);

#endif							/* MYSQL_REPLICA_SOURCE_H */
