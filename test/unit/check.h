/*-------------------------------------------------------------------------
 *
 * check.h
 *	  What the unit test programs share: the reporting (one line per check,
 *	  and a last line "N passed, N failed" that the test runner reads), and
 *	  small readers of the shared test data.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MYSQL_REPLICA_CHECK_H
#define MYSQL_REPLICA_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* Bytes of a hex string, at most max of them; returns how many. */
extern size_t parse_hex(const char *hex, uint8_t *out, size_t max);

/* Split a TSV line in place; returns the number of fields. */
extern int	split_tabs(char *line, char **fields, int max);

/* Print the closing line; returns the program's exit status. */
extern int	check_summary(void);

#endif							/* MYSQL_REPLICA_CHECK_H */
