/*-------------------------------------------------------------------------
 *
 * snapshot.h
 *	  The initial snapshot of a channel: the source's existing tables
 *	  copied into PostgreSQL, then streaming from the point of the copy.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MYSQL_REPLICA_SNAPSHOT_H
#define MYSQL_REPLICA_SNAPSHOT_H

#include "replica/apply.h"
#include "source/source.h"

typedef enum SnapshotResult
{
	SNAPSHOT_DONE,				/* copied; the channel's position is the
								 * snapshot's point */
	SNAPSHOT_STOPPED,			/* a stop was requested */
	SNAPSHOT_RETRY,				/* the connection failed: try again later */
	SNAPSHOT_FATAL				/* the source cannot give a snapshot */
} SnapshotResult;

extern SnapshotResult snapshot_run(Applier *applier, Producer *reader,
								   ChannelSlot *slot, const char *channel,
								   bool (*should_stop) (void),
								   char *errbuf, size_t errlen);

#endif							/* MYSQL_REPLICA_SNAPSHOT_H */
