/*-------------------------------------------------------------------------
 *
 * translate.h
 *	  Replaying MySQL's data definition statements as PostgreSQL DDL.
 *
 * The applier hands every QUERY event that is not transaction control to
 * ddl_replicate(), inside the PostgreSQL transaction that will also save
 * the binlog position.  The statement is parsed (parser.c), checked for
 * anything that cannot be translated, and only then executed, so that a
 * statement is either replayed whole or not touched at all.
 *
 * Besides the tables themselves the replica keeps two facts PostgreSQL's
 * catalog cannot hold: the MySQL names of the indexes it created (MySQL
 * names indexes per table, PostgreSQL per schema) and, when a column was
 * placed with FIRST or AFTER, the MySQL order of a table's columns, which
 * the applier needs when the binlog carries no column names.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MYSQL_REPLICA_TRANSLATE_H
#define MYSQL_REPLICA_TRANSLATE_H

#include "binlog/binlog.h"

#include <time.h>

/* What DROP DATABASE does to the PostgreSQL schema of the same name. */
typedef enum DdlDropDatabase
{
	DDL_DROP_CREATED,			/* drop it if the replica created it */
	DDL_DROP_ALWAYS,			/* drop it with everything in it */
	DDL_DROP_NEVER				/* keep it and everything in it */
} DdlDropDatabase;

typedef enum DdlOutcome
{
	DDL_OUTCOME_APPLIED,		/* translated and executed */
	DDL_OUTCOME_IGNORED,		/* changes neither data nor tables */
	DDL_OUTCOME_OUT_OF_SCOPE,	/* about tables the channel does not
								 * replicate */
	DDL_OUTCOME_UNSUPPORTED		/* cannot be parsed or translated; nothing
								 * was executed */
} DdlOutcome;

extern DdlOutcome ddl_replicate(const char *db, const char *query,
								size_t query_len, uint64 sql_mode,
								time_t event_time,
								DdlDropDatabase drop_database,
								char **message);
extern Oid	ddl_create_table_from_map(const BinlogTableMap *map);

typedef struct DdlDeferredKeys DdlDeferredKeys;

extern Oid	ddl_snapshot_create_table(const char *db, const char *sql,
									  size_t len, DdlDeferredKeys **keys,
									  bool *created, char **why);
extern void ddl_snapshot_create_keys(DdlDeferredKeys *keys);
extern void ddl_snapshot_forget_keys(DdlDeferredKeys *keys);

struct TableFilter;
extern void ddl_set_scope(const struct TableFilter *filter, int nmapped,
						  char **databases, char **schemas);
extern const char *ddl_schema_for(const char *db);
extern bool ddl_table_included(const char *db, const char *table);
extern int16 *ddl_source_column_order(Oid relid, int *ncolumns);

#endif							/* MYSQL_REPLICA_TRANSLATE_H */
