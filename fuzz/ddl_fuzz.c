/*-------------------------------------------------------------------------
 *
 * ddl_fuzz.c
 *	  libFuzzer target for the parser of MySQL's DDL.
 *
 * The input is parsed as one statement under several sql_mode values
 * (none, ANSI_QUOTES, NO_BACKSLASH_ESCAPES, both) and the tree freed.  A
 * parsed tree is walked so that the sanitizers see every string and array
 * it points to; a failure must come with a message and an offset inside
 * the input, or the target aborts.
 *
 *-------------------------------------------------------------------------
 */
#include "ddl.h"

#include <stdlib.h>
#include <string.h>

static size_t sink;

static void
touch_str(const char *s)
{
	if (s != NULL)
		sink += strlen(s);
}

static void
touch_expr(const DdlExpr *e)
{
	if (e == NULL)
		return;
	touch_str(e->source);
	for (int i = 0; i < e->ntokens; i++)
	{
		const DdlToken *t = &e->tokens[i];

		if (t->len > 0)
			sink += (unsigned char) t->text[t->len - 1];
		touch_str(t->introducer);
	}
}

static void
touch_column(const DdlColumn *c)
{
	if (c == NULL)
		return;
	touch_str(c->name);
	touch_str(c->type.charset);
	touch_str(c->type.collation);
	touch_str(c->type.geometry);
	touch_str(ddl_type_name(c->type.id));
	for (int i = 0; i < c->type.nvalues; i++)
		touch_str(c->type.values[i]);
	touch_str(c->comment);
	touch_expr(c->default_value);
	touch_expr(c->generated);
	touch_expr(c->check);
}

static void
touch_index(const DdlIndex *x)
{
	if (x == NULL)
		return;
	touch_str(x->name);
	touch_str(x->comment);
	for (int i = 0; i < x->nparts; i++)
	{
		touch_str(x->parts[i].column);
		touch_expr(x->parts[i].expr);
	}
	touch_str(x->ref_table.schema);
	touch_str(x->ref_table.name);
	for (int i = 0; i < x->nref_columns; i++)
		touch_str(x->ref_columns[i]);
	touch_expr(x->check);
}

static void
touch_statement(const DdlStatement *st)
{
	touch_str(st->what);
	touch_str(st->schema);
	touch_str(st->table.schema);
	touch_str(st->table.name);
	touch_str(st->like.name);
	for (int i = 0; i < st->ncolumns; i++)
		touch_column(&st->columns[i]);
	for (int i = 0; i < st->nindexes; i++)
		touch_index(&st->indexes[i]);
	touch_str(st->options.comment);
	touch_str(st->options.charset);
	touch_str(st->options.collation);
	for (int i = 0; i < st->nclauses; i++)
	{
		const DdlAlterClause *c = &st->clauses[i];

		touch_column(c->column);
		touch_str(c->name);
		touch_str(c->new_name);
		touch_str(c->new_table.name);
		touch_str(c->after);
		touch_expr(c->expr);
		touch_index(c->index);
		touch_str(c->options.charset);
	}
	for (int i = 0; i < st->nnames; i++)
		touch_str(st->names[i].name);
	touch_index(st->index);
	touch_str(st->index_name);
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t modes[] = {
		0,
		DDL_MODE_ANSI_QUOTES,
		DDL_MODE_NO_BACKSLASH_ESCAPES,
		DDL_MODE_ANSI_QUOTES | DDL_MODE_NO_BACKSLASH_ESCAPES
	};

	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
	{
		DdlError	err;
		DdlStatement *st = ddl_parse((const char *) data, size, modes[m],
									 &err);

		if (st != NULL)
		{
			touch_statement(st);
			ddl_free(st);
		}
		else if (err.message[0] == '\0' || err.offset > size)
			abort();
	}
	return 0;
}
