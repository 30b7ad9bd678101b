/*-------------------------------------------------------------------------
 *
 * producer.c
 *	  The producer thread of a channel: connects to the MySQL or MariaDB
 *	  source, requests its binlog and queues every event for the applier.
 *
 * Everything here runs outside PostgreSQL's control, in a thread of the
 * worker process, so it may call nothing of PostgreSQL: errors become
 * plain strings in a SOURCE_MSG_ERROR message, memory comes from malloc.
 *
 * Every blocking operation must be interruptible, because stop_replica()
 * promises an answer within milliseconds.  The client library calls our
 * io_wait hook whenever a socket operation would block (connecting,
 * reading, writing), and the hook polls the socket together with a stop
 * eventfd; a stop request therefore ends any wait at once.  A full queue
 * is waited out on a condition variable that the stop request signals.
 *
 * The queue, the thread's start and end, the connection and a few queries
 * on the source serve the snapshot reader (snapshot.c) as well; what they
 * share is declared in source_int.h.
 *
 * The binlog is requested with COM_BINLOG_DUMP sent through the
 * connection's command method, and read packet by packet with
 * mysql_net_read_packet.  We do not use Connector/C's own binlog API
 * (mariadb_rpl_*): its event decoding is not reliable for the row formats
 * we need, and the raw packets are all we want anyway.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mysql.h>
#include <mysqld_error.h>
#include <errmsg.h>

#include "binlog/binlog.h"
#include "source_int.h"

/* COM_BINLOG_DUMP_GTID, which Connector/C's command enum does not name. */
#define COM_BINLOG_DUMP_GTID_CODE 0x1e
/* Its flag saying that a GTID set follows. */
#define BINLOG_THROUGH_GTID 0x04

/* Where the first event of a binlog file starts, after its magic. */
#define BINLOG_FIRST_EVENT_POS 4

/* MariaDB replica capability that makes the source send GTID events. */
#define MARIA_SLAVE_CAPABILITY_GTID 4

/* Read timeout when heartbeats are off: reconnect after an hour's silence. */
#define SILENT_SOURCE_TIMEOUT 3600

/*
 * The client library's io_wait hook has no argument of ours, so the thread
 * finds its producer through a thread-local variable.
 */
static __thread Producer *current_producer = NULL;

static void *producer_thread_main(void *arg);
static bool stream_binlog(Producer *producer, MYSQL *mysql, char *err,
						  size_t errlen, bool *fatal);


/*
 * Allocate a message with room for len bytes of payload.  Returns NULL when
 * out of memory; the callers treat that as a lost connection.
 */
SourceMessage *
source_message_alloc(SourceMessageKind kind, size_t len)
{
	SourceMessage *msg = malloc(offsetof(SourceMessage, data) + len + 1);

	if (msg == NULL)
		return NULL;
	memset(msg, 0, offsetof(SourceMessage, data));
	msg->kind = kind;
	msg->len = len;
	msg->data[len] = '\0';
	return msg;
}

SourceMessage *
source_message_with_data(const SourceMessage *msg, const char *data,
						 size_t len)
{
	SourceMessage *copy = source_message_alloc(msg->kind, len);

	if (copy == NULL)
		return NULL;
	memcpy(copy, msg, offsetof(SourceMessage, len));
	memcpy(copy->data, data, len);
	return copy;
}

bool
producer_has_pending(Producer *producer)
{
	bool		pending;

	pthread_mutex_lock(&producer->lock);
	pending = producer->head != NULL;
	pthread_mutex_unlock(&producer->lock);
	return pending;
}

void
source_message_free(SourceMessage *msg)
{
	free(msg);
}

/*
 * The memory a queued message takes, which is what the queue's bound is
 * about: binlog events of an OLTP source are often smaller than the fixed
 * part of a message.
 */
static size_t
message_size(const SourceMessage *msg)
{
	return offsetof(SourceMessage, data) + msg->len;
}

/* Tell the applier that there is something to take. */
static void
wake_applier(Producer *producer)
{
	uint64_t	one = 1;
	ssize_t		rc;

	/* An eventfd counter cannot overflow in practice; ignore the result. */
	rc = write(producer->wakeup_fd, &one, sizeof(one));
	(void) rc;
}

/*
 * Append a message to the queue, waiting while the queue is over its byte
 * bound so that a slow applier slows the reader instead of growing memory.
 * An empty queue always accepts a message, however large, so that a single
 * big event cannot block forever.  Returns false (and frees the message)
 * if a stop was requested while waiting.
 *
 * A push that finds the queue full waits until the applier has taken half
 * of it, and the applier is woken only when its queue was empty: while the
 * applier is the slower side, the two threads then trade places once per
 * half queue rather than once per event, which costs a pair of context
 * switches each time.
 */
bool
producer_push(Producer *producer, SourceMessage *msg, bool bounded)
{
	size_t		max_bytes = producer->config.queue_max_bytes;
	size_t		size = message_size(msg);
	bool		was_empty;

	pthread_mutex_lock(&producer->lock);
	if (bounded && producer->head != NULL &&
		producer->queued_bytes + size > max_bytes)
	{
		producer->push_waiting = true;
		while (producer->head != NULL &&
			   (producer->queued_bytes > max_bytes / 2 ||
				producer->queued_bytes + size > max_bytes) &&
			   !atomic_load(&producer->stop_requested))
			pthread_cond_wait(&producer->space_available, &producer->lock);
		producer->push_waiting = false;
	}

	if (bounded && atomic_load(&producer->stop_requested))
	{
		pthread_mutex_unlock(&producer->lock);
		free(msg);
		return false;
	}

	was_empty = producer->head == NULL;
	msg->next = NULL;
	if (producer->tail)
		producer->tail->next = msg;
	else
		producer->head = msg;
	producer->tail = msg;
	producer->queued_bytes += size;
	pthread_mutex_unlock(&producer->lock);

	/*
	 * The applier waits only after finding the queue empty (under the
	 * lock), so a push onto a non-empty queue needs no wake-up.
	 */
	if (was_empty)
		wake_applier(producer);
	return true;
}

/* Queue the final error message of this thread. */
static void
push_error(Producer *producer, bool fatal, const char *message)
{
	size_t		len = strlen(message);
	SourceMessage *msg = source_message_alloc(SOURCE_MSG_ERROR, len);

	if (msg == NULL)
		return;
	msg->fatal = fatal;
	memcpy(msg->data, message, len);
	producer_push(producer, msg, false);
}

/*
 * The client library's wait for socket readiness.  Waits for the socket or
 * for a stop request, whichever comes first.  Returns >0 when the socket is
 * ready, 0 on timeout and -1 when stopping or on error, which makes the
 * library's operation fail with a lost-connection error.
 */
static int
producer_io_wait(my_socket handle, my_bool is_read, int timeout)
{
	Producer   *producer = current_producer;
	struct pollfd fds[2];
	int			rc;

	fds[0].fd = handle;
	fds[0].events = is_read ? POLLIN : POLLOUT;
	fds[0].revents = 0;
	fds[1].fd = producer ? producer->stop_fd : -1;
	fds[1].events = POLLIN;
	fds[1].revents = 0;

	do
		rc = poll(fds, 2, timeout > 0 ? timeout : -1);
	while (rc < 0 && errno == EINTR);

	if (rc > 0 && fds[1].revents != 0)
	{
		errno = EINTR;
		return -1;
	}
	return rc;
}

void
source_library_init(void)
{
	mysql_library_init(0, NULL, NULL);
}

Producer *
producer_alloc(const SourceConfig *config, char *errbuf, size_t errlen)
{
	Producer   *producer;

	producer = calloc(1, sizeof(Producer));
	if (producer == NULL)
	{
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	producer->config = *config;
	producer->socket = -1;
	producer->wakeup_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	producer->stop_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (producer->wakeup_fd < 0 || producer->stop_fd < 0)
	{
		snprintf(errbuf, errlen, "could not create eventfd: %s",
				 strerror(errno));
		if (producer->wakeup_fd >= 0)
			close(producer->wakeup_fd);
		if (producer->stop_fd >= 0)
			close(producer->stop_fd);
		free(producer);
		return NULL;
	}
	pthread_mutex_init(&producer->lock, NULL);
	pthread_cond_init(&producer->space_available, NULL);
	atomic_init(&producer->stop_requested, false);
	return producer;
}

bool
producer_launch(Producer *producer, ProducerBody body, char *errbuf,
				size_t errlen)
{
	sigset_t	all_signals;
	sigset_t	old_signals;
	int			rc;

	producer->body = body;

	/*
	 * The thread must never run a PostgreSQL signal handler, so it starts
	 * with every signal blocked: a new thread inherits the creator's mask.
	 */
	sigfillset(&all_signals);
	pthread_sigmask(SIG_SETMASK, &all_signals, &old_signals);
	rc = pthread_create(&producer->thread, NULL, producer_thread_main,
						producer);
	pthread_sigmask(SIG_SETMASK, &old_signals, NULL);
	if (rc != 0)
	{
		snprintf(errbuf, errlen, "could not create producer thread: %s",
				 strerror(rc));
		pthread_cond_destroy(&producer->space_available);
		pthread_mutex_destroy(&producer->lock);
		close(producer->wakeup_fd);
		close(producer->stop_fd);
		free(producer);
		return false;
	}
	return true;
}

Producer *
producer_start(const SourceConfig *config, char *errbuf, size_t errlen)
{
	Producer   *producer = producer_alloc(config, errbuf, errlen);

	if (producer == NULL ||
		!producer_launch(producer, stream_binlog, errbuf, errlen))
		return NULL;
	return producer;
}

int
producer_wakeup_fd(Producer *producer)
{
	return producer->wakeup_fd;
}

SourceMessage *
producer_next(Producer *producer)
{
	SourceMessage *msg;

	pthread_mutex_lock(&producer->lock);
	msg = producer->head;
	if (msg != NULL)
	{
		producer->head = msg->next;
		if (producer->head == NULL)
			producer->tail = NULL;
		producer->queued_bytes -= message_size(msg);
		if (producer->push_waiting &&
			(producer->head == NULL ||
			 producer->queued_bytes <= producer->config.queue_max_bytes / 2))
			pthread_cond_signal(&producer->space_available);
	}
	else
	{
		uint64_t	count;
		ssize_t		rc;

		/*
		 * Empty: consume the wake-ups.  Every push writes the eventfd after
		 * adding its message, so nothing queued can be missed.
		 */
		rc = read(producer->wakeup_fd, &count, sizeof(count));
		(void) rc;
	}
	pthread_mutex_unlock(&producer->lock);
	return msg;
}

void
producer_request_stop(Producer *producer)
{
	uint64_t	one = 1;
	ssize_t		rc;

	atomic_store(&producer->stop_requested, true);
	rc = write(producer->stop_fd, &one, sizeof(one));
	(void) rc;

	/*
	 * Wake a full-queue wait, and shut the socket down so that a read that
	 * is not going through io_wait returns as well.
	 */
	pthread_mutex_lock(&producer->lock);
	pthread_cond_broadcast(&producer->space_available);
	if (producer->socket >= 0)
		shutdown(producer->socket, SHUT_RDWR);
	pthread_mutex_unlock(&producer->lock);
}

void
producer_destroy(Producer *producer)
{
	SourceMessage *msg;

	producer_request_stop(producer);
	pthread_join(producer->thread, NULL);

	while ((msg = producer->head) != NULL)
	{
		producer->head = msg->next;
		free(msg);
	}
	pthread_cond_destroy(&producer->space_available);
	pthread_mutex_destroy(&producer->lock);
	close(producer->wakeup_fd);
	close(producer->stop_fd);
	free(producer);
}

bool
producer_stopping(Producer *producer)
{
	return atomic_load(&producer->stop_requested);
}

/*
 * Is this client error one that retrying cannot fix?  Server errors about
 * the binlog request (purged or unknown file, bad position) are; network
 * errors and authentication failures are retried, as MySQL's own replica
 * does, because a source being set up or restarted produces them too.
 */
static bool
error_is_fatal(unsigned int err)
{
	switch (err)
	{
		case ER_MASTER_FATAL_ERROR_READING_BINLOG:
		case ER_UNKNOWN_TARGET_BINLOG:
		case ER_MASTER_HAS_PURGED_REQUIRED_GTIDS:
			return true;
		default:
			return false;
	}
}

bool
source_error_is_privilege(unsigned int err)
{
	switch (err)
	{
		case ER_DBACCESS_DENIED_ERROR:
		case ER_TABLEACCESS_DENIED_ERROR:
		case ER_COLUMNACCESS_DENIED_ERROR:
		case ER_SPECIFIC_ACCESS_DENIED_ERROR:
			return true;
		default:
			return false;
	}
}

bool
source_run(MYSQL *mysql, const char *sql, char *err, size_t errlen)
{
	if (mysql_query(mysql, sql) != 0)
	{
		snprintf(err, errlen, "could not run \"%s\" on the source: %s",
				 sql, mysql_error(mysql));
		return false;
	}
	return true;
}

/*
 * A source is MariaDB when its version says so; a MariaDB built with
 * another version string still names itself in version_comment.
 */
bool
source_check_settings(MYSQL *mysql, SourceMessage *info, bool for_snapshot,
					  char *err, size_t errlen, bool *fatal)
{
	MYSQL_RES  *res;
	MYSQL_ROW	row;

	if (mysql_query(mysql,
					"SELECT @@global.log_bin, @@global.binlog_format, "
					"@@global.binlog_checksum, @@version, "
					"@@version_comment") != 0 ||
		(res = mysql_store_result(mysql)) == NULL)
	{
		snprintf(err, errlen, "could not read the source's binlog settings: %s",
				 mysql_error(mysql));
		return false;
	}
	row = mysql_fetch_row(res);
	if (row == NULL || row[0] == NULL || row[1] == NULL || row[2] == NULL)
	{
		mysql_free_result(res);
		snprintf(err, errlen, "could not read the source's binlog settings");
		return false;
	}
	if (strcmp(row[0], "1") != 0)
	{
		snprintf(err, errlen, "%s", for_snapshot ?
				 "the source's binary log is off: a snapshot needs a binlog "
				 "position to stream from" :
				 "binary logging is not enabled on the source (log_bin is off)");
		*fatal = true;
	}
	else if (strcasecmp(row[1], "ROW") != 0)
	{
		snprintf(err, errlen,
				 "the source's binlog_format is %s, but row-based replication "
				 "needs binlog_format=ROW", row[1]);
		*fatal = true;
	}
	info->checksum_alg = strcasecmp(row[2], "CRC32") == 0 ? 1 : 0;
	snprintf(info->server_version, sizeof(info->server_version),
			 "%s", row[3] ? row[3] : "");
	info->is_mariadb = (row[3] && strstr(row[3], "MariaDB") != NULL) ||
		(row[4] && strstr(row[4], "MariaDB") != NULL);
	mysql_free_result(res);
	return !*fatal;
}

bool
source_binlog_end(MYSQL *mysql, SourceMessage *msg, char **gtid_set,
				  char *err, size_t errlen, bool *fatal)
{
	MYSQL_RES  *res;
	MYSQL_ROW	row;

	if (mysql_query(mysql, "SHOW MASTER STATUS") != 0 &&
		(mysql_errno(mysql) != ER_PARSE_ERROR ||
		 mysql_query(mysql, "SHOW BINARY LOG STATUS") != 0))
	{
		snprintf(err, errlen, "could not read the source's binlog position "
				 "(the user needs the BINLOG MONITOR or REPLICATION CLIENT "
				 "privilege): %s", mysql_error(mysql));

		/* retried: the privilege can be granted while the channel waits */
		*fatal = false;
		return false;
	}
	res = mysql_store_result(mysql);
	row = res ? mysql_fetch_row(res) : NULL;
	if (row == NULL || row[0] == NULL || row[1] == NULL)
	{
		if (res)
			mysql_free_result(res);
		snprintf(err, errlen,
				 "the source reports no binlog position; is binary logging "
				 "enabled and does the user have the REPLICATION CLIENT or "
				 "BINLOG MONITOR privilege?");
		return false;
	}
	snprintf(msg->log_file, sizeof(msg->log_file), "%s", row[0]);
	msg->log_pos = strtoull(row[1], NULL, 10);

	/* Executed_Gtid_Set is the fifth column, where there is one. */
	if (gtid_set != NULL)
	{
		*gtid_set = strdup(mysql_num_fields(res) >= 5 && row[4] ? row[4] : "");
		if (*gtid_set == NULL)
		{
			mysql_free_result(res);
			snprintf(err, errlen, "out of memory");
			return false;
		}
	}
	mysql_free_result(res);
	return true;
}

char *
source_query_value(MYSQL *mysql, const char *sql, char *err, size_t errlen)
{
	MYSQL_RES  *res;
	MYSQL_ROW	row;
	char	   *value;

	if (mysql_query(mysql, sql) != 0 || (res = mysql_store_result(mysql)) == NULL)
	{
		snprintf(err, errlen, "could not run \"%s\" on the source: %s",
				 sql, mysql_error(mysql));
		return NULL;
	}
	row = mysql_fetch_row(res);
	value = strdup(row && row[0] ? row[0] : "");
	mysql_free_result(res);
	if (value == NULL)
		snprintf(err, errlen, "out of memory");
	return value;
}

/*
 * Prepare a MariaDB source to stream by GTID: the state to start after
 * goes into the connection's @slave_connect_state, and strict mode makes
 * the source refuse a state it cannot continue (purged or diverged)
 * instead of guessing.  An empty state means the source's current one.
 * *gtid_start receives the state used (malloc'd).
 */
static bool
prepare_mariadb_gtid(Producer *producer, MYSQL *mysql, char **gtid_start,
					 char *err, size_t errlen)
{
	const char *state = producer->config.gtid_executed;
	char	   *escaped;
	char	   *sql;
	bool		ok;

	if (state[0] != '\0')
		*gtid_start = strdup(state);
	else
		*gtid_start = source_query_value(mysql,
										 "SELECT @@global.gtid_binlog_pos",
										 err, errlen);
	if (*gtid_start == NULL)
		return false;

	escaped = malloc(strlen(*gtid_start) * 2 + 1);
	sql = malloc(strlen(*gtid_start) * 2 + 64);
	if (escaped == NULL || sql == NULL)
	{
		free(escaped);
		free(sql);
		snprintf(err, errlen, "out of memory");
		return false;
	}
	mysql_real_escape_string(mysql, escaped, *gtid_start, strlen(*gtid_start));
	sprintf(sql, "SET @slave_connect_state = '%s'", escaped);
	ok = source_run(mysql, sql, err, errlen) &&
		source_run(mysql, "SET @slave_gtid_strict_mode = 1, "
					  "@slave_gtid_ignore_duplicates = 0", err, errlen);
	free(escaped);
	free(sql);
	return ok;
}

/*
 * Ask a MySQL source for everything after a GTID set
 * (COM_BINLOG_DUMP_GTID): the set goes in its binary encoding.  An empty
 * gtid_executed means the source's current one.  *gtid_start receives the
 * set used, as text (malloc'd).
 */
static bool
request_mysql_gtid(Producer *producer, MYSQL *mysql, char **gtid_start,
				   char *err, size_t errlen)
{
	const char *state = producer->config.gtid_executed;
	BinlogGtidSet *set;
	BinlogError berr;
	uint8_t    *data = NULL;
	size_t		data_len = 0;
	uint8_t    *packet;
	size_t		len;
	int			rc;

	if (state[0] != '\0')
		*gtid_start = strdup(state);
	else
		*gtid_start = source_query_value(mysql,
										 "SELECT @@global.gtid_executed",
										 err, errlen);
	if (*gtid_start == NULL)
		return false;

	set = binlog_gtid_set_parse(*gtid_start, &berr);
	if (set == NULL && (*gtid_start)[0] != '\0')
	{
		snprintf(err, errlen, "invalid GTID set \"%s\": %s", *gtid_start,
				 berr.message);
		return false;
	}
	if (!binlog_gtid_set_encode(set, &data, &data_len, &berr))
	{
		binlog_gtid_set_free(set);
		snprintf(err, errlen, "could not encode GTID set: %s", berr.message);
		return false;
	}
	binlog_gtid_set_free(set);

	/* flags, server id, empty file name, position 4, then the set */
	len = 2 + 4 + 4 + 8 + 4 + data_len;
	packet = malloc(len);
	if (packet == NULL)
	{
		free(data);
		snprintf(err, errlen, "out of memory");
		return false;
	}
	put_uint16(packet, BINLOG_THROUGH_GTID);
	put_uint32(packet + 2, producer->config.server_id);
	put_uint32(packet + 6, 0);
	put_uint32(packet + 10, BINLOG_FIRST_EVENT_POS);
	put_uint32(packet + 14, 0);
	put_uint32(packet + 18, (uint32_t) data_len);
	memcpy(packet + 22, data, data_len);
	free(data);

	rc = mysql->methods->db_command(mysql,
									(enum enum_server_command) COM_BINLOG_DUMP_GTID_CODE,
									(const char *) packet, len, 1, NULL);
	free(packet);
	if (rc != 0)
	{
		snprintf(err, errlen, "could not request the binlog by GTID: %s",
				 mysql_error(mysql));
		return false;
	}
	return true;
}

/*
 * Register as a replica (COM_REGISTER_SLAVE), so that the source lists us
 * in SHOW REPLICA HOSTS with our server id.
 */
static bool
register_replica(Producer *producer, MYSQL *mysql, char *err, size_t errlen)
{
	uint8_t		reg[4 + 3 + 2 + 4 + 4];
	uint8_t    *p = reg;

	put_uint32(p, producer->config.server_id);
	p += 4;
	*p++ = 0;					/* hostname */
	*p++ = 0;					/* user */
	*p++ = 0;					/* password */
	put_uint16(p, 0);			/* port */
	p += 2;
	put_uint32(p, 0);			/* replication rank */
	p += 4;
	put_uint32(p, 0);			/* source id */
	p += 4;
	if (mysql->methods->db_command(mysql, COM_REGISTER_SLAVE,
								   (const char *) reg, p - reg, 0, NULL) != 0)
	{
		snprintf(err, errlen, "could not register as a replica (the user "
				 "needs the REPLICATION SLAVE privilege): %s",
				 mysql_error(mysql));
		return false;
	}
	return true;
}

/* Request the binlog from a file and position (COM_BINLOG_DUMP). */
static bool
request_binlog(Producer *producer, MYSQL *mysql, const char *log_file,
			   uint64_t log_pos, char *err, size_t errlen)
{
	uint8_t    *dump;
	size_t		file_len = strlen(log_file);

	/* COM_BINLOG_DUMP has room for 32-bit positions only. */
	if (log_pos > UINT32_MAX)
	{
		snprintf(err, errlen, "binlog position %llu is out of range",
				 (unsigned long long) log_pos);
		return false;
	}
	dump = malloc(10 + file_len);
	if (dump == NULL)
	{
		snprintf(err, errlen, "out of memory");
		return false;
	}
	put_uint32(dump, (uint32_t) log_pos);
	put_uint16(dump + 4, 0);	/* flags: block at the end of the binlog */
	put_uint32(dump + 6, producer->config.server_id);
	memcpy(dump + 10, log_file, file_len);
	if (mysql->methods->db_command(mysql, COM_BINLOG_DUMP,
								   (const char *) dump, 10 + file_len,
								   1, NULL) != 0)
	{
		free(dump);
		snprintf(err, errlen, "could not request the binlog: %s",
				 mysql_error(mysql));
		return false;
	}
	free(dump);
	return true;
}

/* Set the connection options; all waits go through producer_io_wait. */
static void
set_options(Producer *producer, MYSQL *mysql)
{
	const SourceConfig *config = &producer->config;
	unsigned int connect_timeout = config->connect_timeout;
	unsigned int read_timeout;
	unsigned long max_packet = 1024UL * 1024 * 1024;
	my_bool		on = 1;

	/*
	 * With heartbeats, a silence of twice the period means the connection
	 * is dead; without, only a very long silence does.
	 */
	if (config->heartbeat_period > 0)
	{
		read_timeout = (unsigned int) (config->heartbeat_period * 2 + 0.999);
		if (read_timeout < 1)
			read_timeout = 1;
	}
	else
		read_timeout = SILENT_SOURCE_TIMEOUT;

	mysql_optionsv(mysql, MARIADB_OPT_IO_WAIT, producer_io_wait);
	mysql_optionsv(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
	mysql_optionsv(mysql, MYSQL_OPT_READ_TIMEOUT, &read_timeout);
	mysql_optionsv(mysql, MYSQL_OPT_WRITE_TIMEOUT, &read_timeout);
	mysql_optionsv(mysql, MYSQL_OPT_MAX_ALLOWED_PACKET, &max_packet);
	mysql_optionsv(mysql, MYSQL_SET_CHARSET_NAME, "utf8mb4");

	if (config->ssl_mode != SOURCE_SSL_DISABLED)
		mysql_ssl_set(mysql, NULL, NULL, NULL, NULL, NULL);
	if (config->ssl_mode >= SOURCE_SSL_REQUIRED)
		mysql_optionsv(mysql, MYSQL_OPT_SSL_ENFORCE, &on);
	if (config->ssl_mode >= SOURCE_SSL_VERIFY_CA)
		mysql_optionsv(mysql, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &on);
}

/*
 * The thread of either kind of producer: connect, run the producer's body,
 * and queue the body's error as the thread's last message unless a stop
 * was requested.
 */
static void *
producer_thread_main(void *arg)
{
	Producer   *producer = arg;
	const SourceConfig *config = &producer->config;
	MYSQL	   *mysql;
	char		err[1024];
	bool		fatal = false;

	current_producer = producer;
	err[0] = '\0';

	mysql = mysql_init(NULL);
	if (mysql == NULL)
	{
		push_error(producer, false, "could not allocate a MySQL connection");
		return NULL;
	}
	set_options(producer, mysql);

	if (mysql_real_connect(mysql, config->host, config->username,
						   config->password, NULL, config->port, NULL,
						   0) == NULL)
	{
		snprintf(err, sizeof(err), "could not connect to source \"%s:%d\": %s",
				 config->host, config->port, mysql_error(mysql));
		goto done;
	}

	/* Publish the socket so that a stop request can shut it down. */
	pthread_mutex_lock(&producer->lock);
	producer->socket = mysql_get_socket(mysql);
	pthread_mutex_unlock(&producer->lock);
	if (producer_stopping(producer))
		goto done;

	if (producer->body(producer, mysql, err, sizeof(err), &fatal))
		goto done;
	if (err[0] == '\0')
		snprintf(err, sizeof(err), "the connection to the source ended");

done:
	if (!producer_stopping(producer) && err[0] != '\0')
		push_error(producer, fatal, err);

	/* Unpublish the socket before closing it, so no one shuts down a
	 * reused descriptor. */
	pthread_mutex_lock(&producer->lock);
	producer->socket = -1;
	pthread_mutex_unlock(&producer->lock);
	mysql_close(mysql);
	mysql_thread_end();
	return NULL;
}

/*
 * Check a binlog event's checksum on this thread, so that the applier,
 * the busier of the two, need not: every byte of the stream is checked.
 * format follows the stream's format description events as the applier's
 * does.  False when the event carries no checksum or fails the check; the
 * applier then checks it itself, and reports a failure with the event's
 * position.
 */
static bool
verify_checksum(BinlogFormat *format, const uint8_t *data, size_t len)
{
	BinlogEvent ev;
	BinlogError err;

	if (!binlog_frame_event(format, data, len, true, &ev, &err))
		return false;

	/* A format description event describes itself, and what follows. */
	if (ev.header.type == BINLOG_FORMAT_DESCRIPTION_EVENT &&
		!binlog_decode_format_description(&ev, format, &err))
	{
		binlog_format_init(format, BINLOG_CHECKSUM_UNDEFINED);
		return false;
	}
	return format->checksum_alg == BINLOG_CHECKSUM_CRC32;
}

/*
 * The binlog streamer's body: check the source, request the binlog, then
 * queue events until the connection ends or a stop is requested.  It
 * never ends well, so it always returns false.
 */
static bool
stream_binlog(Producer *producer, MYSQL *mysql, char *err, size_t errlen,
			  bool *fatal)
{
	const SourceConfig *config = &producer->config;
	SourceMessage *connected = NULL;
	BinlogFormat format;
	char		sql[128];
	char		connected_file[512];
	uint64_t	connected_pos = 0;
	char	   *gtid_start = NULL;

	connected = source_message_alloc(SOURCE_MSG_CONNECTED, 0);
	if (connected == NULL)
	{
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	if (!source_check_settings(mysql, connected, false, err, errlen, fatal))
		goto done;

	/*
	 * Announce that we understand checksums (without this MariaDB sends
	 * nothing after the first rotate event), ask MariaDB for GTID events,
	 * and ask for heartbeats while the source is idle.
	 */
	if (!source_run(mysql,
					"SET @master_binlog_checksum = @@global.binlog_checksum, "
					"@source_binlog_checksum = @@global.binlog_checksum",
					err, errlen))
		goto done;
	snprintf(sql, sizeof(sql), "SET @mariadb_slave_capability = %d",
			 MARIA_SLAVE_CAPABILITY_GTID);
	if (!source_run(mysql, sql, err, errlen))
		goto done;
	if (config->heartbeat_period > 0)
	{
		snprintf(sql, sizeof(sql),
				 "SET @master_heartbeat_period = %llu, "
				 "@source_heartbeat_period = %llu",
				 (unsigned long long) (config->heartbeat_period * 1e9),
				 (unsigned long long) (config->heartbeat_period * 1e9));
		if (!source_run(mysql, sql, err, errlen))
			goto done;
	}

	if (config->auto_position && !connected->is_mariadb)
	{
		/* MySQL: one command carries the GTID set. */
		if (!register_replica(producer, mysql, err, errlen) ||
			!request_mysql_gtid(producer, mysql, &gtid_start, err,
								errlen))
		{
			*fatal = error_is_fatal(mysql_errno(mysql));
			goto done;
		}
		connected->log_file[0] = '\0';
		connected->log_pos = BINLOG_FIRST_EVENT_POS;
		goto requested;
	}
	if (config->auto_position)
	{
		if (!prepare_mariadb_gtid(producer, mysql, &gtid_start, err,
								  errlen))
			goto done;

		/* The GTID state decides; the file and position are ignored. */
		connected->log_file[0] = '\0';
		connected->log_pos = BINLOG_FIRST_EVENT_POS;
	}
	else if (config->log_file[0] != '\0')
	{
		snprintf(connected->log_file, sizeof(connected->log_file), "%s",
				 config->log_file);
		connected->log_pos = config->log_pos;
	}
	else if (!source_binlog_end(mysql, connected, NULL, err, errlen, fatal))
		goto done;

	if (!register_replica(producer, mysql, err, errlen) ||
		!request_binlog(producer, mysql, connected->log_file,
						connected->log_pos, err, errlen))
	{
		*fatal = error_is_fatal(mysql_errno(mysql));
		goto done;
	}

requested:
	/* The CONNECTED message carries the GTID state streaming starts at. */
	if (gtid_start != NULL)
	{
		SourceMessage *with_gtid;

		with_gtid = source_message_with_data(connected, gtid_start,
											 strlen(gtid_start));

		if (with_gtid == NULL)
		{
			snprintf(err, errlen, "out of memory");
			goto done;
		}
		free(connected);
		connected = with_gtid;
	}
	snprintf(connected_file, sizeof(connected_file), "%s",
			 connected->log_file);
	connected_pos = connected->log_pos;
	binlog_format_init(&format, (BinlogChecksumAlg) connected->checksum_alg);
	if (!producer_push(producer, connected, false))
		goto done;
	connected = NULL;

	/* Stream: each packet is an OK byte followed by one binlog event. */
	for (;;)
	{
		unsigned long len = mysql_net_read_packet(mysql);
		const uint8_t *packet;
		SourceMessage *msg;

		if (producer_stopping(producer))
			break;
		if (len == packet_error || len == 0)
		{
			*fatal = error_is_fatal(mysql_errno(mysql));
			if (*fatal && gtid_start != NULL)
				snprintf(err, errlen,
						 "the source \"%s:%d\" cannot continue after GTID "
						 "position %s: %s (error %u); it has purged "
						 "transactions the channel has not applied, or the "
						 "channel has applied transactions the source never "
						 "had: compare the channel's gtid_executed with the "
						 "source's gtid_binlog_pos, then copy the tables "
						 "anew and set gtid_executed with change_source()",
						 config->host, config->port, gtid_start,
						 mysql_error(mysql), mysql_errno(mysql));
			else if (*fatal)
				snprintf(err, errlen,
						 "the source \"%s:%d\" cannot send the binlog from "
						 "%s:%llu: %s (error %u); if the source has purged "
						 "that binlog, the changes in it are lost to this "
						 "channel: copy the tables anew and set the "
						 "channel's position with change_source()",
						 config->host, config->port, connected_file,
						 (unsigned long long) connected_pos,
						 mysql_error(mysql), mysql_errno(mysql));
			else
				snprintf(err, errlen,
						 "lost the binlog stream from source \"%s:%d\": %s",
						 config->host, config->port, mysql_error(mysql));
			break;
		}
		packet = mysql->net.read_pos;
		if (packet[0] == 0xfe && len < 8)
		{
			snprintf(err, errlen,
					 "the source \"%s:%d\" ended the binlog stream",
					 config->host, config->port);
			break;
		}
		if (packet[0] != 0x00)
		{
			snprintf(err, errlen,
					 "unexpected packet of %lu bytes starting with 0x%02x "
					 "in the binlog stream", len, packet[0]);
			break;
		}
		msg = source_message_alloc(SOURCE_MSG_EVENT, len - 1);
		if (msg == NULL)
		{
			snprintf(err, errlen, "out of memory for a binlog event "
					 "of %lu bytes", len - 1);
			break;
		}
		memcpy(msg->data, packet + 1, len - 1);
		msg->checksum_verified = verify_checksum(&format, msg->data,
												 msg->len);
		if (!producer_push(producer, msg, true))
			break;
	}

done:
	free(connected);
	free(gtid_start);
	return false;
}
