/*-------------------------------------------------------------------------
 *
 * filter_test.c
 *	  Unit tests of the table filter: which database.table names a
 *	  channel's include and exclude patterns let through.
 *
 * Usage: filter_test
 *
 * It prints one line per check and ends with "N passed, N failed".
 *
 *-------------------------------------------------------------------------
 */
#define _POSIX_C_SOURCE 200809L

#include "filter.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A NULL-terminated list of patterns, and the empty one. */
#define PATTERNS(...) ((const char *const[]) {__VA_ARGS__, NULL})
#define NO_PATTERNS ((const char *const[]) {NULL})

static int
count_patterns(const char *const *patterns)
{
	int			n = 0;

	while (patterns[n] != NULL)
		n++;
	return n;
}

/* Build a filter from NULL-terminated lists; report a failure as a check. */
static TableFilter *
build(const char *const *include, const char *const *exclude)
{
	char		err[256];
	TableFilter *filter;

	err[0] = '\0';
	filter = table_filter_create(include, count_patterns(include),
								 exclude, count_patterns(exclude),
								 err, sizeof(err));
	if (filter == NULL)
		check(false, "building a filter failed: %s", err);
	return filter;
}

/* Check whether db.table passes the filter. */
static void
check_table(const TableFilter *filter, const char *what, const char *db,
			const char *table, bool expected)
{
	check(table_filter_matches(filter, db, table) == expected,
		  "%s: %s.%s is %s", what, db, table,
		  expected ? "replicated" : "not replicated");
}

/* Check whether statements on the database itself pass the filter. */
static void
check_database(const TableFilter *filter, const char *what, const char *db,
			   bool expected)
{
	check(table_filter_matches_database(filter, db) == expected,
		  "%s: database %s is %s", what, db,
		  expected ? "replicated" : "not replicated");
}

/* A pattern list that must be refused, with a message naming the pattern. */
static void
check_bad_pattern(const char *pattern, bool as_include)
{
	const char *const list[] = {pattern, NULL};
	char		err[256];
	TableFilter *filter;

	err[0] = '\0';
	filter = table_filter_create(as_include ? list : NO_PATTERNS,
								 as_include ? 1 : 0,
								 as_include ? NO_PATTERNS : list,
								 as_include ? 0 : 1, err, sizeof(err));
	check(filter == NULL && strstr(err, pattern) != NULL &&
		  strstr(err, "database.table") != NULL,
		  "%s pattern \"%s\" is refused: %s",
		  as_include ? "include" : "exclude", pattern, err);
	table_filter_free(filter);
}

static void
test_no_filter(void)
{
	TableFilter *empty = build(NO_PATTERNS, NO_PATTERNS);

	check_table(NULL, "no filter", "shop", "orders", true);
	check_database(NULL, "no filter", "shop", true);
	check_table(empty, "empty filter", "shop", "orders", true);
	check_table(empty, "empty filter", "", "", true);
	check_database(empty, "empty filter", "shop", true);
	table_filter_free(empty);
	table_filter_free(NULL);
}

static void
test_wildcards(void)
{
	TableFilter *f;

	f = build(PATTERNS("shop.orders"), NO_PATTERNS);
	check_table(f, "exact", "shop", "orders", true);
	check_table(f, "exact", "shop", "orders2", false);
	check_table(f, "exact", "shop", "order", false);
	check_table(f, "exact, names are case-sensitive", "shop", "Orders", false);
	check_table(f, "exact", "shop2", "orders", false);
	table_filter_free(f);

	f = build(PATTERNS("shop.%"), NO_PATTERNS);
	check_table(f, "% alone", "shop", "orders", true);
	check_table(f, "% alone", "shop", "x", true);
	check_table(f, "% alone", "shopping", "orders", false);
	table_filter_free(f);

	f = build(PATTERNS("s%p.ord%s%"), NO_PATTERNS);
	check_table(f, "% inside", "sp", "ords", true);
	check_table(f, "% inside", "shop", "orders", true);
	check_table(f, "% inside", "ship", "ordinals_2024", true);
	check_table(f, "% inside", "shops", "orders", false);
	check_table(f, "% inside", "shop", "order", false);
	table_filter_free(f);

	f = build(PATTERNS("%%a%%.%"), NO_PATTERNS);
	check_table(f, "runs of %", "a", "t", true);
	check_table(f, "runs of %", "banana", "t", true);
	check_table(f, "runs of %", "xyz", "t", false);
	table_filter_free(f);

	f = build(PATTERNS("db_.t_"), NO_PATTERNS);
	check_table(f, "_", "db1", "t2", true);
	check_table(f, "_", "db_", "t_", true);
	check_table(f, "_", "db", "t2", false);
	check_table(f, "_", "db12", "t2", false);
	check_table(f, "_", "db1", "t", false);
	table_filter_free(f);

	/* _ stands for one byte, so a two-byte character needs two. */
	f = build(PATTERNS("caf__.%"), NO_PATTERNS);
	check_table(f, "_ is a byte", "caf\xc3\xa9", "t", true);
	check_table(f, "_ is a byte", "cafe", "t", false);
	table_filter_free(f);
}

static void
test_escapes(void)
{
	TableFilter *f;

	f = build(PATTERNS("my\\_db.t\\%"), NO_PATTERNS);
	check_table(f, "escaped _ and %", "my_db", "t%", true);
	check_table(f, "escaped _ and %", "myXdb", "t%", false);
	check_table(f, "escaped _ and %", "my_db", "tx", false);
	table_filter_free(f);

	/* an escaped dot belongs to the database name */
	f = build(PATTERNS("a\\.b.c"), NO_PATTERNS);
	check_table(f, "escaped dot", "a.b", "c", true);
	check_table(f, "escaped dot", "a", "b.c", false);
	table_filter_free(f);

	/* a dot after the first one belongs to the table name */
	f = build(PATTERNS("a.b.c"), NO_PATTERNS);
	check_table(f, "second dot", "a", "b.c", true);
	check_table(f, "second dot", "a.b", "c", false);
	table_filter_free(f);

	/* an escaped backslash, then the separating dot */
	f = build(PATTERNS("a\\\\.t"), NO_PATTERNS);
	check_table(f, "escaped backslash", "a\\", "t", true);
	check_table(f, "escaped backslash", "a", "t", false);
	table_filter_free(f);

	/* a backslash before an ordinary character is just dropped */
	f = build(PATTERNS("\\d\\b.t"), NO_PATTERNS);
	check_table(f, "escaped letter", "db", "t", true);
	table_filter_free(f);

	/* a trailing backslash is literal */
	f = build(PATTERNS("db.t\\"), NO_PATTERNS);
	check_table(f, "trailing backslash", "db", "t\\", true);
	check_table(f, "trailing backslash", "db", "t", false);
	table_filter_free(f);
}

static void
test_include_exclude(void)
{
	TableFilter *f;

	f = build(PATTERNS("shop.%", "crm.contacts"), NO_PATTERNS);
	check_table(f, "include only", "shop", "orders", true);
	check_table(f, "include only", "crm", "contacts", true);
	check_table(f, "include only", "crm", "notes", false);
	check_table(f, "include only", "hr", "people", false);
	table_filter_free(f);

	f = build(NO_PATTERNS, PATTERNS("%.tmp\\_%", "audit.%"));
	check_table(f, "exclude only", "shop", "orders", true);
	check_table(f, "exclude only", "shop", "tmp_orders", false);
	check_table(f, "exclude only", "shop", "tmpx", true);
	check_table(f, "exclude only", "audit", "log", false);
	check_table(f, "exclude only", "audits", "log", true);
	table_filter_free(f);

	f = build(PATTERNS("shop.%", "crm.%"),
			  PATTERNS("shop.%\\_old", "crm.secrets"));
	check_table(f, "both", "shop", "orders", true);
	check_table(f, "both", "shop", "orders_old", false);
	check_table(f, "both", "crm", "contacts", true);
	check_table(f, "both", "crm", "secrets", false);
	check_table(f, "both: excluded but not included", "hr", "orders_old",
				false);
	check_table(f, "both: neither", "hr", "people", false);
	table_filter_free(f);

	/* an exclude pattern wins over an include pattern of the same table */
	f = build(PATTERNS("shop.orders"), PATTERNS("shop.orders"));
	check_table(f, "included and excluded", "shop", "orders", false);
	table_filter_free(f);
}

static void
test_databases(void)
{
	TableFilter *f;

	f = build(PATTERNS("shop.orders", "crm%.%"), NO_PATTERNS);
	check_database(f, "include", "shop", true);
	check_database(f, "include", "crm", true);
	check_database(f, "include", "crm_eu", true);
	check_database(f, "include", "hr", false);
	table_filter_free(f);

	f = build(NO_PATTERNS, PATTERNS("audit.%", "logs.%%", "shop.tmp%",
									"arch%.%"));
	check_database(f, "exclude", "audit", false);
	check_database(f, "exclude, runs of %", "logs", false);
	check_database(f, "exclude of some tables only", "shop", true);
	check_database(f, "exclude by database pattern", "archive", false);
	check_database(f, "exclude", "hr", true);
	table_filter_free(f);

	/* only an unescaped % covers every table */
	f = build(NO_PATTERNS, PATTERNS("odd.\\%"));
	check_database(f, "exclude of a table named %", "odd", true);
	check_table(f, "exclude of a table named %", "odd", "%", false);
	check_table(f, "exclude of a table named %", "odd", "t", true);
	table_filter_free(f);

	f = build(PATTERNS("shop.%"), PATTERNS("shop.%"));
	check_database(f, "included and excluded whole", "shop", false);
	table_filter_free(f);
}

static void
test_bad_patterns(void)
{
	check_bad_pattern("orders", true);
	check_bad_pattern("orders", false);
	check_bad_pattern(".orders", true);
	check_bad_pattern("shop.", true);
	check_bad_pattern("shop\\.orders", true);
	check_bad_pattern("", false);

	/* a bad pattern after good ones is still refused */
	{
		char		err[256];
		TableFilter *f;

		f = table_filter_create(PATTERNS("a.b", "c.d", "nodot"), 3,
								PATTERNS("e.f"), 1, err, sizeof(err));
		check(f == NULL && strstr(err, "\"nodot\"") != NULL,
			  "third include pattern without a dot is refused: %s", err);
		table_filter_free(f);
	}
}

int
main(void)
{
	test_no_filter();
	test_wildcards();
	test_escapes();
	test_include_exclude();
	test_databases();
	test_bad_patterns();
	return check_summary();
}
