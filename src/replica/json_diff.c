/*-------------------------------------------------------------------------
 *
 * json_diff.c
 *	  Partial JSON updates: MySQL's JSON diffs as jsonb expressions.
 *
 * With binlog_row_value_options=PARTIAL_JSON, MySQL logs an UPDATE that
 * changed a JSON document with JSON_SET, JSON_REPLACE or JSON_REMOVE as
 * the list of changes instead of the new document.  Each change becomes a
 * jsonb function applied to the column's current value:
 *
 *	REPLACE			jsonb_set(doc, path, value, false)
 *	INSERT member	jsonb_set(doc, path, value, true)
 *	INSERT element	jsonb_insert(doc, path, value)
 *	REMOVE			doc #- path
 *
 * with the MySQL path ($.a[1]."b c", $[last]) turned into a text[] path
 * ({a,1,"b c"}, {-1}).  Paths and values are statement parameters; only
 * the shape of the expression (the sequence of operations) is in the SQL
 * text, so statements can be prepared once per shape.
 *
 *-------------------------------------------------------------------------
 */
#include "replica/apply.h"

#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"

/* Operation letters, as they appear in a statement's shape. */
#define OP_REPLACE		'R'
#define OP_INSERT_MEMBER 'M'
#define OP_INSERT_ELEMENT 'E'
#define OP_REMOVE		'D'
#define OP_WHOLE		'W'		/* REPLACE of the whole document ($) */

static void
bad_path(const char *path, size_t len)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("cannot apply JSON diff at path \"%.*s\"", (int) len, path)));
}

/*
 * Turn a MySQL JSON path into the elements of a jsonb text[] path.
 * Returns the number of elements; *last_is_index tells whether the last
 * leg is an array index.
 */
static int
parse_mysql_path(const char *path, size_t len, Datum **elems,
				 bool *last_is_index)
{
	const char *p = path;
	const char *end = path + len;
	int			n = 0;
	int			cap = 8;

	*elems = palloc(sizeof(Datum) * cap);
	*last_is_index = false;
	if (p == end || *p != '$')
		bad_path(path, len);
	p++;

	while (p < end)
	{
		StringInfoData leg;

		initStringInfo(&leg);
		if (*p == '.')
		{
			p++;
			if (p < end && *p == '"')
			{
				/* a quoted member name, with backslash escapes */
				for (p++; p < end && *p != '"'; p++)
				{
					if (*p == '\\' && p + 1 < end)
						p++;
					appendStringInfoChar(&leg, *p);
				}
				if (p == end)
					bad_path(path, len);
				p++;
			}
			else
			{
				while (p < end && *p != '.' && *p != '[')
					appendStringInfoChar(&leg, *p++);
			}
			if (leg.len == 0 || strcmp(leg.data, "*") == 0)
				bad_path(path, len);
			*last_is_index = false;
		}
		else if (*p == '[')
		{
			const char *close = memchr(p, ']', end - p);
			char	   *index;

			if (close == NULL)
				bad_path(path, len);
			index = pnstrdup(p + 1, close - p - 1);

			/* [last] is the last element, [last-N] N before it */
			if (strncmp(index, "last", 4) == 0)
			{
				long		back = 0;

				if (index[4] == '-')
					back = strtol(index + 5, NULL, 10);
				else if (index[4] != '\0')
					bad_path(path, len);
				appendStringInfo(&leg, "%ld", -1 - back);
			}
			else if (index[0] >= '0' && index[0] <= '9' &&
					 strspn(index, "0123456789") == strlen(index))
				appendStringInfoString(&leg, index);
			else
				bad_path(path, len);
			p = close + 1;
			*last_is_index = true;
		}
		else
			bad_path(path, len);

		if (n == cap)
		{
			cap *= 2;
			*elems = repalloc(*elems, sizeof(Datum) * cap);
		}
		(*elems)[n++] = CStringGetTextDatum(leg.data);
	}
	return n;
}

/*
 * Decode the diffs of one JSON cell: the sequence of operations (the
 * statement's shape) and, in statement order, their parameters.
 */
JsonDiffList *
json_diffs_decode(const BinlogValue *value, TargetColumn *column)
{
	JsonDiffList *list = palloc0(sizeof(JsonDiffList));
	BinlogJsonDiffCursor cursor;
	BinlogJsonDiff diff;
	BinlogError err;
	StringInfoData ops;
	int			cap = 4;

	initStringInfo(&ops);
	list->params = palloc(sizeof(Datum) * cap * 2);
	list->types = palloc(sizeof(Oid) * cap * 2);
	binlog_json_diff_cursor_init(&cursor, value->str.ptr, value->str.len);

	for (;;)
	{
		Datum	   *elems;
		int			nelems;
		bool		is_index;
		char		op;

		err.message[0] = '\0';
		if (!binlog_json_diff_next(&cursor, &diff, &err))
		{
			if (err.message[0] != '\0')
				ereport(ERROR,
						(errcode(ERRCODE_DATA_CORRUPTED),
						 errmsg("could not decode JSON diff of column \"%s\": %s",
								column->attname, err.message)));
			break;
		}
		if (list->nparams + 2 > cap * 2)
		{
			cap *= 2;
			list->params = repalloc(list->params, sizeof(Datum) * cap * 2);
			list->types = repalloc(list->types, sizeof(Oid) * cap * 2);
		}

		nelems = parse_mysql_path(diff.path, diff.path_len, &elems, &is_index);
		if (nelems == 0 && diff.op != BINLOG_JSON_DIFF_REPLACE)
			bad_path(diff.path, diff.path_len);

		switch (diff.op)
		{
			case BINLOG_JSON_DIFF_REPLACE:
				op = nelems == 0 ? OP_WHOLE : OP_REPLACE;
				break;
			case BINLOG_JSON_DIFF_INSERT:
				op = is_index ? OP_INSERT_ELEMENT : OP_INSERT_MEMBER;
				break;
			case BINLOG_JSON_DIFF_REMOVE:
				op = OP_REMOVE;
				break;
			default:
				ereport(ERROR,
						(errcode(ERRCODE_DATA_CORRUPTED),
						 errmsg("unknown JSON diff operation %d in column \"%s\"",
								(int) diff.op, column->attname)));
		}
		appendStringInfoChar(&ops, op);

		if (op != OP_WHOLE)
		{
			list->params[list->nparams] =
				PointerGetDatum(construct_array(elems, nelems, TEXTOID, -1,
												false, TYPALIGN_INT));
			list->types[list->nparams++] = TEXTARRAYOID;
		}
		if (op != OP_REMOVE)
		{
			BinlogValue json;

			memset(&json, 0, sizeof(json));
			json.kind = BINLOG_VALUE_JSON;
			json.str.ptr = diff.value;
			json.str.len = diff.value_len;
			list->params[list->nparams] =
				DirectFunctionCall1(jsonb_in,
									CStringGetDatum(convert_mysql_json(&json, column)));
			list->types[list->nparams++] = JSONBOID;
		}
	}
	list->ops = ops.data;
	return list;
}

/*
 * Append the expression that applies the operations "ops" to the column
 * "attname", numbering its parameters from *nargs + 1 and recording their
 * types.  The result is cast back to the column's type.
 */
void
json_diffs_append_sql(StringInfo sql, TargetColumn *column, const char *ops,
					  Oid *argtypes, int *nargs)
{
	StringInfoData expr;

	initStringInfo(&expr);
	appendStringInfo(&expr, "CAST(%s AS jsonb)", quote_identifier(column->attname));
	for (const char *op = ops; *op != '\0'; op++)
	{
		StringInfoData next;
		int			path = 0;
		int			value = 0;

		if (*op != OP_WHOLE)
		{
			argtypes[*nargs] = TEXTARRAYOID;
			path = ++(*nargs);
		}
		if (*op != OP_REMOVE)
		{
			argtypes[*nargs] = JSONBOID;
			value = ++(*nargs);
		}

		initStringInfo(&next);
		switch (*op)
		{
			case OP_REPLACE:
				appendStringInfo(&next, "jsonb_set(%s, $%d, $%d, false)",
								 expr.data, path, value);
				break;
			case OP_INSERT_MEMBER:
				appendStringInfo(&next, "jsonb_set(%s, $%d, $%d, true)",
								 expr.data, path, value);
				break;
			case OP_INSERT_ELEMENT:
				appendStringInfo(&next, "jsonb_insert(%s, $%d, $%d)",
								 expr.data, path, value);
				break;
			case OP_REMOVE:
				appendStringInfo(&next, "(%s #- $%d)", expr.data, path);
				break;
			case OP_WHOLE:
				appendStringInfo(&next, "$%d", value);
				break;
		}
		pfree(expr.data);
		expr = next;
	}
	appendStringInfo(sql, "CAST(%s AS %s)", expr.data,
					 format_type_be(column->typid));
}
