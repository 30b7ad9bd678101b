/*-------------------------------------------------------------------------
 *
 * mysql_replica.h
 *	  Declarations shared by the PostgreSQL side of mysql_replica: settings,
 *	  the channel slots in shared memory, and the worker entry points.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MYSQL_REPLICA_H
#define MYSQL_REPLICA_H

#include "postgres.h"

#include "datatype/timestamp.h"
#include "storage/latch.h"
#include "storage/spin.h"

#define MYSQL_REPLICA_DEFAULT_CHANNEL "default"
#define MAX_LAST_ERROR_LEN	1024

/* settings (GUCs) */
extern char *mysql_replica_database;
extern int	mysql_replica_max_channels;
extern int	mysql_replica_queue_size_kb;
extern bool mysql_replica_loaded_at_startup;
extern int	mysql_replica_zero_date;
extern int	mysql_replica_invalid_text;

/* mysql_replica.zero_date: what a zero date becomes */
typedef enum ZeroDatePolicy
{
	ZERO_DATE_NULL,
	ZERO_DATE_ERROR,
	ZERO_DATE_INFINITY
} ZeroDatePolicy;

/* mysql_replica.invalid_text: what invalid bytes in text become */
typedef enum InvalidTextPolicy
{
	INVALID_TEXT_ERROR,
	INVALID_TEXT_REPLACE
} InvalidTextPolicy;

/*
 * What a channel is doing, as the status view shows it.  The order matters
 * only for ChannelStateNames.
 */
typedef enum ChannelState
{
	CHANNEL_STOPPED,
	CHANNEL_CONNECTING,
	CHANNEL_WAITING_TO_RECONNECT,
	CHANNEL_STREAMING,
	CHANNEL_APPLYING,
	CHANNEL_SNAPSHOT,
	CHANNEL_ERROR
} ChannelState;

extern const char *const ChannelStateNames[];

/*
 * A channel's slot in shared memory.  The lock of the slot array protects
 * in_use, name, generation, starting, pid, latch and stop_requested; the
 * slot's spinlock protects the state, counters and last error, which the
 * worker updates often.
 */
typedef struct ChannelSlot
{
	bool		in_use;
	char		name[NAMEDATALEN];
	uint64		generation;		/* bumped at each start */
	bool		starting;		/* worker registered, not yet attached */
	pid_t		pid;			/* worker's pid, 0 when no worker runs */
	Latch	   *latch;			/* worker's latch */
	bool		stop_requested;

	slock_t		mutex;
	ChannelState state;
	TimestampTz event_time;		/* source time of the event being applied */
	uint64		events_received;
	uint64		transactions_applied;
	uint64		rows_applied;
	uint64		rows_skipped;	/* idempotent mode: changes found moot */
	uint64		connect_attempts;
	uint64		skipped_statements; /* unsupported_ddl 'skip' passed over */
	char		last_skipped_statement[MAX_LAST_ERROR_LEN];
	char		last_error[MAX_LAST_ERROR_LEN];
	TimestampTz last_error_time;

	/* the table the initial snapshot is copying, and its rows so far */
	char		snapshot_table[2 * NAMEDATALEN + 1];
	uint64		snapshot_rows;
} ChannelSlot;

/* channel.c */
extern void channel_shmem_request(void);
extern void channel_shmem_startup(void);
extern ChannelSlot *channel_slot(int slotno);
extern void channel_launch(const char *name, bool notice_if_running);
extern bool channel_stop(const char *name);
extern bool channel_is_running(const char *name);
extern void channel_forget(const char *name);
extern ChannelSlot *channel_attach(int slotno, uint64 generation);
extern void channel_set_state(ChannelSlot *slot, ChannelState state);
extern void channel_set_error(ChannelSlot *slot, const char *message);
extern void channel_snapshot_progress(ChannelSlot *slot, const char *table,
									  uint64 rows);
extern void channel_note_skipped_statement(ChannelSlot *slot,
										   const char *statement);
extern void channel_count(ChannelSlot *slot, uint64 events, uint64 transactions,
						  uint64 rows, uint64 skipped_rows);
extern void channel_lock_shared(void);
extern void channel_unlock(void);
extern int	channel_slot_count(void);

/* worker.c */
struct BackgroundWorker;
extern void mysql_replica_worker_init(struct BackgroundWorker *worker,
									  const char *function_name,
									  const char *type, bool database);
extern PGDLLEXPORT void mysql_replica_worker_main(Datum main_arg);
extern PGDLLEXPORT void mysql_replica_launcher_main(Datum main_arg);
extern PGDLLEXPORT void mysql_replica_starter_main(Datum main_arg);

/* replay.c */
extern PGDLLEXPORT void mysql_replica_replay_main(Datum main_arg);
extern void mysql_replica_register_launcher(void);

#endif							/* MYSQL_REPLICA_H */
