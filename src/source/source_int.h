/*-------------------------------------------------------------------------
 *
 * source_int.h
 *	  What the two kinds of producer thread share: the binlog streamer of
 *	  producer.c and the snapshot reader of snapshot.c.
 *
 * Both own one MySQL connection in a thread of their own and hand what
 * they read to the applier through the same queue, so the queue, the
 * thread's start and end, the interruptible connection and a few queries
 * on the source live in producer.c and are declared here.  Like the rest
 * of src/source/, this is plain C with the MySQL client headers: nothing
 * of PostgreSQL.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MYSQL_REPLICA_SOURCE_INT_H
#define MYSQL_REPLICA_SOURCE_INT_H

#include <pthread.h>
#include <stdatomic.h>

#include <mysql.h>

#include "source.h"

struct TableFilter;

/* Little-endian integers, as the MySQL protocol and our messages use. */
static inline void
put_uint16(uint8_t *p, uint16_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
}

static inline void
put_uint32(uint8_t *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = (v >> 24) & 0xff;
}

/*
 * What a thread does once connected: read from the source and queue
 * messages until done or until producer_stopping says to give up.  On
 * failure it returns false with a message in err and sets *fatal when
 * retrying cannot help; returning false with an empty message means the
 * connection ended without a reason to give.
 */
typedef bool (*ProducerBody) (Producer *producer, MYSQL *mysql,
							  char *err, size_t errlen, bool *fatal);

struct Producer
{
	SourceConfig config;
	ProducerBody body;
	pthread_t	thread;

	/* the snapshot reader's settings; unused by the binlog streamer */
	size_t		batch_bytes;
	const struct TableFilter *filter;

	/* the queue; everything below is protected by lock */
	pthread_mutex_t lock;
	pthread_cond_t space_available;
	SourceMessage *head;
	SourceMessage *tail;
	size_t		queued_bytes;
	bool		push_waiting;	/* a push waits for the queue to drain */
	int			socket;			/* the source connection's socket, or -1 */

	atomic_bool stop_requested;
	int			wakeup_fd;		/* applier waits on it: messages queued */
	int			stop_fd;		/* io_wait polls it: stop requested */
};

/*
 * Allocate a producer for the given source, with its queue and eventfds
 * but no thread yet, so that the caller can fill in its own settings.
 * Returns NULL with a message in errbuf on failure.
 */
extern Producer *producer_alloc(const SourceConfig *config, char *errbuf,
								size_t errlen);

/*
 * Start the thread of a producer from producer_alloc: it connects, runs
 * body and queues body's error, if any, as the last message.  The thread
 * starts with every signal blocked.  On failure the producer is freed and
 * false returned with a message in errbuf.
 */
extern bool producer_launch(Producer *producer, ProducerBody body,
							char *errbuf, size_t errlen);

/* Whether a stop was requested: the thread should end without a message. */
extern bool producer_stopping(Producer *producer);

/*
 * Allocate a message with room for len bytes of payload (plus a NUL after
 * them); returns NULL when out of memory.
 */
extern SourceMessage *source_message_alloc(SourceMessageKind kind,
										   size_t len);

/*
 * A copy of msg's fixed fields with data as its payload, or NULL when out
 * of memory.  msg is left alone.
 */
extern SourceMessage *source_message_with_data(const SourceMessage *msg,
											   const char *data, size_t len);

/*
 * Queue a message for the applier, which then owns it.  When bounded, wait
 * while the queue is over its byte bound; returns false (and frees the
 * message) if a stop was requested meanwhile.
 */
extern bool producer_push(Producer *producer, SourceMessage *msg,
						  bool bounded);

/* Run a statement whose result is not needed; false with err on failure. */
extern bool source_run(MYSQL *mysql, const char *sql, char *err,
					   size_t errlen);

/* The first column of the first row of a query (malloc'd), or NULL. */
extern char *source_query_value(MYSQL *mysql, const char *sql, char *err,
								size_t errlen);

/*
 * Whether a server error says that the user lacks a privilege: retrying
 * cannot help until someone grants it.
 */
extern bool source_error_is_privilege(unsigned int err);

/*
 * Check that the source writes a binlog that we can stream, and fill in
 * info's server_version, is_mariadb and checksum_alg.  for_snapshot words
 * the message for a disabled binlog for the snapshot reader.
 */
extern bool source_check_settings(MYSQL *mysql, SourceMessage *info,
								  bool for_snapshot, char *err,
								  size_t errlen, bool *fatal);

/*
 * The source's current end of binlog into msg's log_file and log_pos,
 * from SHOW MASTER STATUS or its MySQL 8.4 name SHOW BINARY LOG STATUS.
 * When gtid_set is not NULL, it receives MySQL's Executed_Gtid_Set there
 * (malloc'd, empty when the source reports none).
 */
extern bool source_binlog_end(MYSQL *mysql, SourceMessage *msg,
							  char **gtid_set, char *err, size_t errlen,
							  bool *fatal);

#endif							/* MYSQL_REPLICA_SOURCE_INT_H */
