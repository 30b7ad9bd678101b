/*-------------------------------------------------------------------------
 *
 * filter.h
 *	  Which source tables a channel replicates.
 *
 * A channel lists patterns of the form database.table, where % matches
 * any run of characters and _ any one character, and a backslash makes
 * the next character literal (MySQL's replicate-wild-do-table and
 * replicate-wild-ignore-table).  A table is replicated when it matches an
 * include pattern, or there are none, and matches no exclude pattern.
 * Names are compared exactly, as on a MySQL server with
 * lower_case_table_names=0.
 *
 * Plain C without PostgreSQL or MySQL headers: the snapshot reader thread
 * uses it as well as the applier.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MYSQL_REPLICA_FILTER_H
#define MYSQL_REPLICA_FILTER_H

#include <stdbool.h>
#include <stddef.h>

typedef struct TableFilter TableFilter;

/*
 * Build a filter from the patterns (copied).  Returns NULL with a message
 * in errbuf for a pattern without a dot between database and table, or
 * when out of memory.
 */
extern TableFilter *table_filter_create(const char *const *include,
										int ninclude,
										const char *const *exclude,
										int nexclude,
										char *errbuf, size_t errlen);
extern void table_filter_free(TableFilter *filter);

/* Whether the table db.table is replicated. */
extern bool table_filter_matches(const TableFilter *filter, const char *db,
								 const char *table);

/*
 * Whether statements on the database itself (CREATE and DROP DATABASE)
 * are replicated: some table of it may be included, and no exclude
 * pattern covers all its tables.
 */
extern bool table_filter_matches_database(const TableFilter *filter,
										  const char *db);

#endif							/* MYSQL_REPLICA_FILTER_H */
