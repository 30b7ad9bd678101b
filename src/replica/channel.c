/*-------------------------------------------------------------------------
 *
 * channel.c
 *	  Channel slots in shared memory: starting a channel's worker, asking it
 *	  to stop and waiting for it, and the state and counters it publishes.
 *
 * A slot belongs to a channel name while the channel runs and keeps its
 * state, counters and last error after the worker exits, so the status
 * view can still show why a channel stopped.  Slot allocation is protected
 * by an LWLock; everything a worker changes while it runs is protected by
 * the slot's spinlock, which is also safe to take in the worker's exit
 * callback.  A generation number tells a worker that was started for an
 * earlier use of the slot that it is stale.
 *
 *-------------------------------------------------------------------------
 */
#include "mysql_replica.h"

#include <signal.h>

#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"
#include "utils/timestamp.h"

typedef struct ChannelShared
{
	LWLock	   *lock;			/* protects slot allocation */
	int			nslots;
	ChannelSlot slots[FLEXIBLE_ARRAY_MEMBER];
} ChannelShared;

static ChannelShared *Shared = NULL;

const char *const ChannelStateNames[] = {
	"stopped",
	"connecting",
	"waiting to reconnect",
	"streaming",
	"applying",
	"snapshot",
	"error"
};

/* How often a waiting backend looks at a worker it is starting or stopping. */
#define CHANNEL_POLL_MS 5

/* How long a stop waits before it cancels the worker's current statement. */
#define CHANNEL_CANCEL_AFTER_MS 20

static Size
channel_shmem_size(void)
{
	return add_size(offsetof(ChannelShared, slots),
					mul_size(mysql_replica_max_channels, sizeof(ChannelSlot)));
}

/* Ask for our shared memory and lock; called from the shmem_request_hook. */
void
channel_shmem_request(void)
{
	RequestAddinShmemSpace(channel_shmem_size());
	RequestNamedLWLockTranche("mysql_replica", 1);
}

/* Create or attach to the slot array; called from the shmem_startup_hook. */
void
channel_shmem_startup(void)
{
	bool		found;

	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	Shared = ShmemInitStruct("mysql_replica channels", channel_shmem_size(),
							 &found);
	if (!found)
	{
		memset(Shared, 0, channel_shmem_size());
		Shared->lock = &(GetNamedLWLockTranche("mysql_replica"))->lock;
		Shared->nslots = mysql_replica_max_channels;
		for (int i = 0; i < Shared->nslots; i++)
			SpinLockInit(&Shared->slots[i].mutex);
	}
	LWLockRelease(AddinShmemInitLock);
}

static void
check_shared(void)
{
	if (Shared == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("mysql_replica must be loaded via shared_preload_libraries"),
				 errhint("Add mysql_replica to shared_preload_libraries and restart the server.")));
}

ChannelSlot *
channel_slot(int slotno)
{
	Assert(slotno >= 0 && slotno < Shared->nslots);
	return &Shared->slots[slotno];
}

int
channel_slot_count(void)
{
	check_shared();
	return Shared->nslots;
}

void
channel_lock_shared(void)
{
	check_shared();
	LWLockAcquire(Shared->lock, LW_SHARED);
}

void
channel_unlock(void)
{
	LWLockRelease(Shared->lock);
}

/* The slot that holds this channel, or NULL.  Caller holds the lock. */
static ChannelSlot *
find_slot(const char *name)
{
	for (int i = 0; i < Shared->nslots; i++)
	{
		ChannelSlot *slot = &Shared->slots[i];

		if (slot->in_use && strcmp(slot->name, name) == 0)
			return slot;
	}
	return NULL;
}

/* Does the slot have a worker, running or about to run? */
static bool
slot_is_running(ChannelSlot *slot)
{
	bool		running;

	SpinLockAcquire(&slot->mutex);
	running = slot->pid != 0 || slot->starting;
	SpinLockRelease(&slot->mutex);
	return running;
}

/*
 * A slot for a channel that has none: a free one, or else one whose
 * channel is not running (its remembered state is lost).  Caller holds the
 * lock exclusively.
 */
static ChannelSlot *
allocate_slot(const char *name)
{
	ChannelSlot *victim = NULL;

	for (int i = 0; i < Shared->nslots; i++)
	{
		ChannelSlot *slot = &Shared->slots[i];

		if (!slot->in_use)
		{
			victim = slot;
			break;
		}
		if (victim == NULL && !slot_is_running(slot))
			victim = slot;
	}
	if (victim == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED),
				 errmsg("cannot start channel \"%s\": all %d channel slots are in use",
						name, Shared->nslots),
				 errhint("Stop another channel, or raise mysql_replica.max_channels.")));

	victim->in_use = true;
	strlcpy(victim->name, name, NAMEDATALEN);
	return victim;
}

/*
 * Register the worker of a channel whose slot is marked starting, and wait
 * until it has attached to the slot.
 */
static void
start_worker(const char *name, int slotno, uint64 generation)
{
	ChannelSlot *slot = channel_slot(slotno);
	BackgroundWorker worker;
	BackgroundWorkerHandle *handle;
	BgwHandleStatus status;
	pid_t		pid;
	bool		attached;

	mysql_replica_worker_init(&worker, "mysql_replica_worker_main",
							  "mysql_replica worker", true);
	snprintf(worker.bgw_name, BGW_MAXLEN,
			 "mysql_replica worker for channel \"%s\"", name);
	worker.bgw_main_arg = Int32GetDatum(slotno);
	memcpy(worker.bgw_extra, &generation, sizeof(generation));
	worker.bgw_notify_pid = MyProcPid;

	if (!RegisterDynamicBackgroundWorker(&worker, &handle))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_RESOURCES),
				 errmsg("could not start a worker for channel \"%s\"", name),
				 errdetail("All background worker slots are in use."),
				 errhint("Raise max_worker_processes.")));

	status = WaitForBackgroundWorkerStartup(handle, &pid);
	if (status != BGWH_STARTED)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_RESOURCES),
				 errmsg("could not start a worker for channel \"%s\"", name),
				 errhint("See the server log for the reason.")));

	/* Wait until the worker has attached to its slot, or has died. */
	for (;;)
	{
		SpinLockAcquire(&slot->mutex);
		attached = slot->generation != generation || !slot->starting;
		SpinLockRelease(&slot->mutex);
		if (attached)
			break;
		if (GetBackgroundWorkerPid(handle, &pid) == BGWH_STOPPED)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("the worker of channel \"%s\" exited during startup",
							name),
					 errhint("See the server log for the reason.")));

		(void) WaitLatch(MyLatch,
						 WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 CHANNEL_POLL_MS, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
	}
}

/*
 * Start the worker of a channel and return once it runs.  A channel that
 * is already running is left alone, with a notice if asked for.
 */
void
channel_launch(const char *name, bool notice_if_running)
{
	ChannelSlot *slot;
	uint64		generation;
	int			slotno;

	check_shared();

	/* Claim the slot and mark it starting, so no one else starts it. */
	LWLockAcquire(Shared->lock, LW_EXCLUSIVE);
	slot = find_slot(name);
	if (slot != NULL && slot_is_running(slot))
	{
		LWLockRelease(Shared->lock);
		if (notice_if_running)
			ereport(NOTICE,
					(errmsg("channel \"%s\" is already running", name)));
		return;
	}
	if (slot == NULL)
		slot = allocate_slot(name);

	SpinLockAcquire(&slot->mutex);
	slot->generation++;
	generation = slot->generation;
	slot->starting = true;
	slot->pid = 0;
	slot->latch = NULL;
	slot->stop_requested = false;
	slot->state = CHANNEL_CONNECTING;
	slot->event_time = 0;
	slot->events_received = 0;
	slot->transactions_applied = 0;
	slot->rows_applied = 0;
	slot->rows_skipped = 0;
	slot->connect_attempts = 0;
	slot->skipped_statements = 0;
	slot->last_skipped_statement[0] = '\0';
	slot->snapshot_table[0] = '\0';
	slot->snapshot_rows = 0;
	slot->last_error[0] = '\0';
	slot->last_error_time = 0;
	SpinLockRelease(&slot->mutex);
	slotno = slot - Shared->slots;
	LWLockRelease(Shared->lock);

	/*
	 * From here on, an error must not leave the slot marked starting
	 * forever, or the channel could be neither started nor stopped.
	 */
	PG_TRY();
	{
		start_worker(name, slotno, generation);
	}
	PG_CATCH();
	{
		ChannelSlot *failed = channel_slot(slotno);

		SpinLockAcquire(&failed->mutex);
		if (failed->generation == generation && failed->starting)
		{
			failed->starting = false;
			failed->state = CHANNEL_STOPPED;
		}
		SpinLockRelease(&failed->mutex);
		PG_RE_THROW();
	}
	PG_END_TRY();
}

/*
 * Ask the channel's worker to stop and wait until it has exited.  Returns
 * false if the channel was not running.
 */
bool
channel_stop(const char *name)
{
	ChannelSlot *slot;
	uint64		generation;
	TimestampTz start;
	bool		cancelled = false;

	check_shared();
	LWLockAcquire(Shared->lock, LW_SHARED);
	slot = find_slot(name);
	LWLockRelease(Shared->lock);
	if (slot == NULL)
		return false;

	SpinLockAcquire(&slot->mutex);
	if (slot->pid == 0 && !slot->starting)
	{
		/* Not running; a channel stopped by an error is now just stopped. */
		if (slot->state == CHANNEL_ERROR)
			slot->state = CHANNEL_STOPPED;
		SpinLockRelease(&slot->mutex);
		return false;
	}
	slot->stop_requested = true;
	generation = slot->generation;
	SpinLockRelease(&slot->mutex);

	/*
	 * Set the worker's latch on every round: a worker that was still
	 * starting had no latch to set at first.  A worker that has not gone
	 * after a short while is inside a long statement (a slow trigger, an
	 * UPDATE of many rows): cancel the statement, which the worker takes
	 * as the stop it is.
	 */
	start = GetCurrentTimestamp();
	for (;;)
	{
		Latch	   *latch;
		bool		done;
		pid_t		pid;

		SpinLockAcquire(&slot->mutex);
		done = slot->generation != generation ||
			(slot->pid == 0 && !slot->starting);
		latch = slot->latch;
		pid = slot->pid;
		SpinLockRelease(&slot->mutex);
		if (done)
			break;
		if (latch != NULL)
			SetLatch(latch);
		if (!cancelled && pid != 0 &&
			TimestampDifferenceExceeds(start, GetCurrentTimestamp(),
									   CHANNEL_CANCEL_AFTER_MS))
		{
			kill(pid, SIGINT);
			cancelled = true;
		}

		(void) WaitLatch(MyLatch,
						 WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 CHANNEL_POLL_MS, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
	}
	return true;
}

bool
channel_is_running(const char *name)
{
	ChannelSlot *slot;
	bool		running;

	check_shared();
	LWLockAcquire(Shared->lock, LW_SHARED);
	slot = find_slot(name);
	running = slot != NULL && slot_is_running(slot);
	LWLockRelease(Shared->lock);
	return running;
}

/* Release the slot of a channel that is not running, with its state. */
void
channel_forget(const char *name)
{
	ChannelSlot *slot;

	check_shared();
	LWLockAcquire(Shared->lock, LW_EXCLUSIVE);
	slot = find_slot(name);
	if (slot != NULL && !slot_is_running(slot))
	{
		SpinLockAcquire(&slot->mutex);
		slot->state = CHANNEL_STOPPED;
		slot->last_error[0] = '\0';
		slot->last_error_time = 0;
		SpinLockRelease(&slot->mutex);
		slot->in_use = false;
	}
	LWLockRelease(Shared->lock);
}

/* Exit callback of a worker: the slot no longer has a worker. */
static void
channel_detach(int code, Datum arg)
{
	ChannelSlot *slot = channel_slot(DatumGetInt32(arg));

	SpinLockAcquire(&slot->mutex);
	if (slot->pid == MyProcPid)
	{
		slot->pid = 0;
		slot->latch = NULL;
		if (slot->state != CHANNEL_ERROR)
			slot->state = CHANNEL_STOPPED;
	}
	SpinLockRelease(&slot->mutex);
}

/*
 * Called by a worker at startup: take over the slot it was started for.
 * Returns NULL if the slot has been reused since (the start is stale).
 */
ChannelSlot *
channel_attach(int slotno, uint64 generation)
{
	ChannelSlot *slot;

	check_shared();
	if (slotno < 0 || slotno >= Shared->nslots)
		return NULL;
	slot = channel_slot(slotno);

	SpinLockAcquire(&slot->mutex);
	if (slot->generation != generation || !slot->starting)
	{
		SpinLockRelease(&slot->mutex);
		return NULL;
	}
	slot->pid = MyProcPid;
	slot->latch = MyLatch;
	slot->starting = false;
	SpinLockRelease(&slot->mutex);

	before_shmem_exit(channel_detach, Int32GetDatum(slotno));
	return slot;
}

void
channel_set_state(ChannelSlot *slot, ChannelState state)
{
	SpinLockAcquire(&slot->mutex);
	slot->state = state;
	SpinLockRelease(&slot->mutex);
}

/*
 * Record an error for the status view (the caller also logs it); an empty
 * message clears it.
 */
void
channel_set_error(ChannelSlot *slot, const char *message)
{
	TimestampTz now = GetCurrentTimestamp();

	SpinLockAcquire(&slot->mutex);
	strlcpy(slot->last_error, message, MAX_LAST_ERROR_LEN);
	slot->last_error_time = message[0] != '\0' ? now : 0;
	SpinLockRelease(&slot->mutex);
}

/* Show the table the snapshot copies (empty: none) and its rows so far. */
void
channel_snapshot_progress(ChannelSlot *slot, const char *table, uint64 rows)
{
	SpinLockAcquire(&slot->mutex);
	if (table != NULL)
		strlcpy(slot->snapshot_table, table, sizeof(slot->snapshot_table));
	slot->snapshot_rows = rows;
	SpinLockRelease(&slot->mutex);
}

/* Count a statement the channel passed over, and keep its text. */
void
channel_note_skipped_statement(ChannelSlot *slot, const char *statement)
{
	SpinLockAcquire(&slot->mutex);
	slot->skipped_statements++;
	strlcpy(slot->last_skipped_statement, statement, MAX_LAST_ERROR_LEN);
	SpinLockRelease(&slot->mutex);
}

void
channel_count(ChannelSlot *slot, uint64 events, uint64 transactions,
			  uint64 rows, uint64 skipped_rows)
{
	SpinLockAcquire(&slot->mutex);
	slot->events_received += events;
	slot->transactions_applied += transactions;
	slot->rows_applied += rows;
	slot->rows_skipped += skipped_rows;
	SpinLockRelease(&slot->mutex);
}
