/*-------------------------------------------------------------------------
 *
 * filter.c
 *	  Which source tables a channel replicates: database.table patterns
 *	  with % and _ wildcards.
 *
 *-------------------------------------------------------------------------
 */
/* strdup and strndup are POSIX, not ISO C. */
#ifndef _GNU_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "filter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A pattern split at its first unescaped dot. */
typedef struct TablePattern
{
	char	   *db;
	char	   *table;
} TablePattern;

struct TableFilter
{
	int			ninclude;
	TablePattern *include;
	int			nexclude;
	TablePattern *exclude;
};

/*
 * Whether name matches pattern: % any run, _ any one character, a
 * backslash makes the next pattern character literal.  Characters are
 * bytes, so _ matches one byte of a multi-byte character.
 */
static bool
wild_match(const char *pattern, const char *name)
{
	while (*pattern != '\0')
	{
		if (*pattern == '%')
		{
			/* runs of % are one; try every suffix of the name */
			while (*pattern == '%')
				pattern++;
			if (*pattern == '\0')
				return true;
			for (; *name != '\0'; name++)
				if (wild_match(pattern, name))
					return true;
			return false;
		}
		if (*name == '\0')
			return false;
		if (*pattern == '\\' && pattern[1] != '\0')
			pattern++;
		else if (*pattern == '_')
		{
			pattern++;
			name++;
			continue;
		}
		if (*pattern != *name)
			return false;
		pattern++;
		name++;
	}
	return *name == '\0';
}

/* Split "db.table" at its first unescaped dot into a TablePattern. */
static bool
split_pattern(const char *text, TablePattern *out, char *errbuf, size_t errlen)
{
	const char *p;

	for (p = text; *p != '\0'; p++)
	{
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '.')
			break;
	}
	if (*p != '.' || p == text || p[1] == '\0')
	{
		snprintf(errbuf, errlen,
				 "table pattern \"%s\" is not of the form database.table",
				 text);
		return false;
	}
	out->db = strndup(text, p - text);
	out->table = strdup(p + 1);
	if (out->db == NULL || out->table == NULL)
	{
		free(out->db);
		free(out->table);
		out->db = out->table = NULL;
		snprintf(errbuf, errlen, "out of memory");
		return false;
	}
	return true;
}

/*
 * Split count pattern texts into a new array at *list, counting in *n the
 * entries that table_filter_free must release.
 */
static bool
add_patterns(TablePattern **list, int *n, const char *const *texts, int count,
			 char *errbuf, size_t errlen)
{
	*list = calloc(count > 0 ? count : 1, sizeof(TablePattern));
	if (*list == NULL)
	{
		snprintf(errbuf, errlen, "out of memory");
		return false;
	}
	for (int i = 0; i < count; i++)
	{
		if (!split_pattern(texts[i], &(*list)[i], errbuf, errlen))
			return false;
		(*n)++;
	}
	return true;
}

TableFilter *
table_filter_create(const char *const *include, int ninclude,
					const char *const *exclude, int nexclude,
					char *errbuf, size_t errlen)
{
	TableFilter *filter = calloc(1, sizeof(TableFilter));

	if (filter == NULL)
	{
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	if (!add_patterns(&filter->include, &filter->ninclude, include, ninclude,
					  errbuf, errlen) ||
		!add_patterns(&filter->exclude, &filter->nexclude, exclude, nexclude,
					  errbuf, errlen))
	{
		table_filter_free(filter);
		return NULL;
	}
	return filter;
}

void
table_filter_free(TableFilter *filter)
{
	if (filter == NULL)
		return;
	for (int i = 0; i < filter->ninclude; i++)
	{
		free(filter->include[i].db);
		free(filter->include[i].table);
	}
	for (int i = 0; i < filter->nexclude; i++)
	{
		free(filter->exclude[i].db);
		free(filter->exclude[i].table);
	}
	free(filter->include);
	free(filter->exclude);
	free(filter);
}

bool
table_filter_matches(const TableFilter *filter, const char *db,
					 const char *table)
{
	bool		included;

	if (filter == NULL)
		return true;
	included = filter->ninclude == 0;
	for (int i = 0; !included && i < filter->ninclude; i++)
		included = wild_match(filter->include[i].db, db) &&
			wild_match(filter->include[i].table, table);
	if (!included)
		return false;
	for (int i = 0; i < filter->nexclude; i++)
		if (wild_match(filter->exclude[i].db, db) &&
			wild_match(filter->exclude[i].table, table))
			return false;
	return true;
}

bool
table_filter_matches_database(const TableFilter *filter, const char *db)
{
	bool		included;

	if (filter == NULL)
		return true;
	included = filter->ninclude == 0;
	for (int i = 0; !included && i < filter->ninclude; i++)
		included = wild_match(filter->include[i].db, db);
	if (!included)
		return false;

	/* excluded whole: a pattern db.% */
	for (int i = 0; i < filter->nexclude; i++)
		if (wild_match(filter->exclude[i].db, db) &&
			strspn(filter->exclude[i].table, "%") ==
			strlen(filter->exclude[i].table))
			return false;
	return true;
}
