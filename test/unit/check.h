/*-------------------------------------------------------------------------
 *
 * check.h
 *	  The reporting shared by the unit test programs: one line per check,
 *	  and a last line "N passed, N failed" that the test runner reads.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MYSQL_REPLICA_CHECK_H
#define MYSQL_REPLICA_CHECK_H

#include <stdbool.h>

/*
 * Record and print the outcome of one check.  Newlines and tabs in the
 * message are printed escaped, so that each check stays on one line.
 */
extern void check(bool ok, const char *fmt,...)
			__attribute__((format(printf, 2, 3)));

/*
 * The regular files below root (relative paths, sorted), leaving out
 * hidden entries and the "_decoded" folder of the shared binlog data.
 * Returns the count; *files is malloc'd, as is each name.
 */
extern int	list_data_files(const char *root, char ***files);

/* Print the closing line; returns the program's exit status. */
extern int	check_summary(void);

#endif							/* MYSQL_REPLICA_CHECK_H */
