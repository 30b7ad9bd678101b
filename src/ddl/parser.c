/*-------------------------------------------------------------------------
 *
 * parser.c
 *	  Recursive-descent parser of MySQL's and MariaDB's data definition
 *	  statements, into the tree of ddl.h.
 *
 * Each parse function reads one production of MySQL's grammar, named after
 * it, from the tokens of lexer.c, and returns false with the parser's
 * error set when the text does not fit.  Keywords are matched without
 * regard to case and only as unquoted words, so a quoted identifier is
 * never a keyword; unquoted words are accepted as names wherever a name
 * may stand, without checking MySQL's list of reserved words.
 *
 * Tokens are read on demand and kept, so that a production can look a few
 * tokens ahead and an expression can be captured as the tokens between
 * two parentheses.  The parser holds no state outside its Parser struct.
 *
 *-------------------------------------------------------------------------
 */
#include "ddl_int.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Tokens are kept in arena chunks of this many, so pointers stay valid. */
#define TOKEN_CHUNK		256

typedef struct Parser
{
	const char *sql;
	size_t		len;
	DdlArena   *arena;
	DdlLexer	lexer;
	DdlLexToken **chunks;		/* the tokens read so far */
	int			nchunks;
	int			capchunks;
	int			ntoks;
	bool		lexed_eof;		/* the last token read is the end */
	int			pos;			/* index of the next token */
	DdlError   *err;
	bool		failed;			/* err is set */
	bool		skipped;		/* a DDL_SKIP statement: stop reading */
	DdlLexToken eof_token;		/* what peek returns after an error */
} Parser;

/* ---- errors ---- */

static bool fail(Parser *p, size_t offset, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));

/*
 * Set the error, unless one is set already: the first error is the one
 * that explains the others.  Returns false for the caller to return.
 */
static bool
fail(Parser *p, size_t offset, const char *fmt,...)
{
	va_list		ap;

	if (p->failed)
		return false;
	p->failed = true;
	p->err->offset = offset;
	va_start(ap, fmt);
	vsnprintf(p->err->message, sizeof(p->err->message), fmt, ap);
	va_end(ap);
	return false;
}

static bool
out_of_memory(Parser *p)
{
	return fail(p, p->lexer.pos, "out of memory");
}

/* ---- tokens ---- */

static DdlLexToken *
token_at(Parser *p, int i)
{
	return &p->chunks[i / TOKEN_CHUNK][i % TOKEN_CHUNK];
}

/*
 * The token k places after the next one, reading tokens as needed.  After
 * an error (of the lexer, or earlier) it is an end-of-statement token, so
 * that every production stops; the error is already set.
 */
static DdlLexToken *
peek_at(Parser *p, int k)
{
	while (p->ntoks <= p->pos + k)
	{
		DdlLexToken *tok;

		if (p->failed)
			return &p->eof_token;
		if (p->lexed_eof)
			return token_at(p, p->ntoks - 1);
		if (p->ntoks == p->nchunks * TOKEN_CHUNK)
		{
			/* a new chunk, and room for its pointer */
			if (p->nchunks == p->capchunks)
			{
				int			cap = p->capchunks ? p->capchunks * 2 : 8;
				DdlLexToken **chunks;

				chunks = ddl_arena_alloc(p->arena, sizeof(*chunks) * cap);
				if (chunks == NULL)
				{
					out_of_memory(p);
					return &p->eof_token;
				}
				if (p->nchunks > 0)
					memcpy(chunks, p->chunks, sizeof(*chunks) * p->nchunks);
				p->chunks = chunks;
				p->capchunks = cap;
			}
			p->chunks[p->nchunks] =
				ddl_arena_alloc(p->arena, sizeof(DdlLexToken) * TOKEN_CHUNK);
			if (p->chunks[p->nchunks] == NULL)
			{
				out_of_memory(p);
				return &p->eof_token;
			}
			p->nchunks++;
		}
		tok = token_at(p, p->ntoks);
		if (!ddl_lexer_next(&p->lexer, tok, p->err))
		{
			p->failed = true;
			return &p->eof_token;
		}
		p->ntoks++;
		if (tok->eof)
			p->lexed_eof = true;
	}
	return token_at(p, p->pos + k);
}

static DdlLexToken *
peek(Parser *p)
{
	return peek_at(p, 0);
}

/* Consume the next token and return it; the end is never consumed. */
static DdlLexToken *
next(Parser *p)
{
	DdlLexToken *t = peek(p);

	if (!t->eof)
		p->pos++;
	return t;
}

static bool
is_kw(const DdlLexToken *t, const char *kw)
{
	return !t->eof && t->tok.kind == DDL_TOKEN_WORD &&
		ddl_word_equals(t->tok.text, t->tok.len, kw);
}

static bool
is_op(const DdlLexToken *t, const char *op)
{
	return !t->eof && t->tok.kind == DDL_TOKEN_OPERATOR &&
		strcmp(t->tok.text, op) == 0;
}

/* A name may be an unquoted word or a quoted identifier. */
static bool
is_name(const DdlLexToken *t)
{
	return !t->eof && (t->tok.kind == DDL_TOKEN_WORD ||
					   t->tok.kind == DDL_TOKEN_IDENT);
}

static bool
peek_kw(Parser *p, int k, const char *kw)
{
	return is_kw(peek_at(p, k), kw);
}

static bool
accept_kw(Parser *p, const char *kw)
{
	if (!is_kw(peek(p), kw))
		return false;
	p->pos++;
	return true;
}

static bool
accept_op(Parser *p, const char *op)
{
	if (!is_op(peek(p), op))
		return false;
	p->pos++;
	return true;
}

/* The end of the statement: nothing more, or its semicolon. */
static bool
at_end(Parser *p)
{
	DdlLexToken *t = peek(p);

	return t->eof || is_op(t, ";");
}

/*
 * A syntax error at the next token, naming it as written (at most 40
 * bytes of it).  Returns false.
 */
static bool
syntax_error(Parser *p)
{
	DdlLexToken *t = peek(p);
	size_t		n;

	if (p->failed)
		return false;
	if (t->eof)
		return fail(p, t->start, "syntax error at end of statement");
	n = t->end - t->start;
	if (n > 40)
		n = 40;
	return fail(p, t->start, "syntax error at or near \"%.*s\"", (int) n,
				p->sql + t->start);
}

static bool
expect_kw(Parser *p, const char *kw)
{
	return accept_kw(p, kw) || syntax_error(p);
}

static bool
expect_op(Parser *p, const char *op)
{
	return accept_op(p, op) || syntax_error(p);
}

/* IF EXISTS, when it comes next; *flag tells whether it did. */
static bool
parse_if_exists(Parser *p, bool *flag)
{
	if (peek_kw(p, 0, "IF") && peek_kw(p, 1, "EXISTS"))
	{
		p->pos += 2;
		*flag = true;
	}
	return true;
}

/* IF NOT EXISTS, when it comes next. */
static bool
parse_if_not_exists(Parser *p, bool *flag)
{
	if (peek_kw(p, 0, "IF") && peek_kw(p, 1, "NOT") &&
		peek_kw(p, 2, "EXISTS"))
	{
		p->pos += 3;
		*flag = true;
	}
	return true;
}

/* ---- memory ---- */

static void *
palloc_node(Parser *p, size_t size)
{
	void	   *mem = ddl_arena_alloc(p->arena, size);

	if (mem == NULL)
		out_of_memory(p);
	return mem;
}

static char *
pstrdup_node(Parser *p, const char *s)
{
	char	   *copy = ddl_arena_strndup(p->arena, s, strlen(s));

	if (copy == NULL)
		out_of_memory(p);
	return copy;
}

/*
 * Make room for element n of an array of elsize-byte elements that holds
 * *cap: returns the (possibly moved) array, or NULL when out of memory.
 * The new slots are zeroed.
 */
static void *
grow_array(Parser *p, void *array, int n, int *cap, size_t elsize)
{
	void	   *bigger;
	int			newcap;

	if (n < *cap)
		return array;
	if (*cap > INT_MAX / 2)
	{
		out_of_memory(p);
		return NULL;
	}
	newcap = *cap ? *cap * 2 : 4;
	bigger = palloc_node(p, elsize * (size_t) newcap);
	if (bigger == NULL)
		return NULL;
	if (n > 0)
		memcpy(bigger, array, elsize * (size_t) n);
	*cap = newcap;
	return bigger;
}

/* Append a zeroed element to array (of *n, room for *cap); NULL on OOM. */
#define APPEND(p, array, n, cap) \
	((((array) = grow_array((p), (array), (n), &(cap), sizeof(*(array)))) \
	  != NULL) ? &(array)[(n)++] : NULL)

/* ---- names and literals ---- */

/* An identifier: an unquoted word or a quoted identifier. */
static bool
parse_ident(Parser *p, char **out)
{
	DdlLexToken *t = peek(p);

	if (!is_name(t))
		return syntax_error(p);
	p->pos++;
	*out = t->tok.text;
	return true;
}

/* An identifier or a string, as for a character set or engine name. */
static bool
parse_ident_or_text(Parser *p, char **out)
{
	DdlLexToken *t = peek(p);

	if (!is_name(t) && (t->eof || t->tok.kind != DDL_TOKEN_STRING))
		return syntax_error(p);
	p->pos++;
	*out = t->tok.text;
	return true;
}

/* table_ident: name or schema.name */
static bool
parse_table_name(Parser *p, DdlName *out)
{
	char	   *first;

	if (!parse_ident(p, &first))
		return false;
	if (accept_op(p, "."))
	{
		out->schema = first;
		return parse_ident(p, &out->name);
	}
	out->schema = NULL;
	out->name = first;
	return true;
}

/* A string literal. */
static bool
parse_text(Parser *p, char **out)
{
	DdlLexToken *t = peek(p);

	if (t->eof || t->tok.kind != DDL_TOKEN_STRING)
		return syntax_error(p);
	p->pos++;
	*out = t->tok.text;
	return true;
}

/* An unsigned integer literal of at most max. */
static bool
parse_uint(Parser *p, uint64_t max, uint64_t *out)
{
	DdlLexToken *t = peek(p);
	uint64_t	v = 0;
	size_t		i;

	if (t->eof || t->tok.kind != DDL_TOKEN_NUMBER)
		return syntax_error(p);
	for (i = 0; i < t->tok.len; i++)
	{
		unsigned	d = (unsigned char) t->tok.text[i] - '0';

		if (d > 9)
			return syntax_error(p);
		if (v > (max - d) / 10)
			return fail(p, t->start, "number \"%s\" is out of range",
						t->tok.text);
		v = v * 10 + d;
	}
	p->pos++;
	*out = v;
	return true;
}

static bool
parse_int(Parser *p, int *out)
{
	uint64_t	v;

	if (!parse_uint(p, INT_MAX, &v))
		return false;
	*out = (int) v;
	return true;
}

/* ---- skipping what is ignored ---- */

/*
 * Skip a parenthesized list starting at '(' up to its matching ')',
 * whatever is inside.
 */
static bool
skip_parens(Parser *p)
{
	int			depth = 0;

	if (!is_op(peek(p), "("))
		return syntax_error(p);
	for (;;)
	{
		DdlLexToken *t = next(p);

		if (t->eof)
			return p->failed ? false :
				fail(p, t->start, "unbalanced parentheses");
		if (is_op(t, "("))
			depth++;
		else if (is_op(t, ")") && --depth == 0)
			return true;
	}
}

/*
 * Skip everything up to the end of the statement, checking that
 * parentheses balance: what the parser ignores whole, such as partition
 * definitions.
 */
static bool
skip_to_end(Parser *p)
{
	int			depth = 0;

	for (;;)
	{
		DdlLexToken *t = peek(p);

		if (t->eof || (depth == 0 && is_op(t, ";")))
			break;
		if (is_op(t, "("))
			depth++;
		else if (is_op(t, ")") && --depth < 0)
			return syntax_error(p);
		p->pos++;
	}
	if (p->failed)
		return false;
	if (depth > 0)
		return fail(p, peek(p)->start, "unbalanced parentheses");
	return true;
}

/*
 * The value of an option that is read and ignored: [=] and one literal,
 * word or identifier, a signed number, or a parenthesized list.
 */
static bool
skip_option_value(Parser *p)
{
	DdlLexToken *t;

	accept_op(p, "=");
	t = peek(p);
	if (is_op(t, "("))
		return skip_parens(p);
	if ((is_op(t, "-") || is_op(t, "+")) &&
		peek_at(p, 1)->tok.kind == DDL_TOKEN_NUMBER && !peek_at(p, 1)->eof)
	{
		p->pos += 2;
		return true;
	}
	if (t->eof || t->tok.kind == DDL_TOKEN_OPERATOR)
		return syntax_error(p);
	p->pos++;
	return true;
}

/* An option of the form "word = value" that the parser does not know. */
static bool
at_unknown_option(Parser *p)
{
	return is_name(peek(p)) && is_op(peek_at(p, 1), "=");
}

/* MariaDB's WAIT n or NOWAIT after a table name. */
static bool
parse_wait(Parser *p)
{
	uint64_t	n;

	if (accept_kw(p, "NOWAIT"))
		return true;
	if (peek_kw(p, 0, "WAIT") && peek_at(p, 1)->tok.kind == DDL_TOKEN_NUMBER)
	{
		p->pos++;
		return parse_uint(p, UINT64_MAX, &n);
	}
	return true;
}

/* ---- expressions ---- */

/*
 * An expression of the tokens [from, to): a copy of the tokens and the
 * text they were read from.
 */
static DdlExpr *
make_expr(Parser *p, int from, int to)
{
	DdlExpr    *e = palloc_node(p, sizeof(DdlExpr));
	int			i;
	size_t		start;
	size_t		end;

	if (e == NULL)
		return NULL;
	e->ntokens = to - from;
	e->tokens = palloc_node(p, sizeof(DdlToken) * (size_t) e->ntokens);
	if (e->tokens == NULL)
		return NULL;
	for (i = from; i < to; i++)
		e->tokens[i - from] = token_at(p, i)->tok;
	start = token_at(p, from)->start;
	end = token_at(p, to - 1)->end;
	e->source = ddl_arena_strndup(p->arena, p->sql + start, end - start);
	if (e->source == NULL)
	{
		out_of_memory(p);
		return NULL;
	}
	return e;
}

/*
 * '(' expr ')': the tokens between the parentheses, which must not be
 * empty, as an expression; the parentheses themselves are not part of it.
 */
static bool
parse_paren_expr(Parser *p, DdlExpr **out)
{
	int			depth = 1;
	int			from;

	if (!expect_op(p, "("))
		return false;
	from = p->pos;
	for (;;)
	{
		DdlLexToken *t = peek(p);

		if (t->eof)
			return p->failed ? false :
				fail(p, t->start, "unbalanced parentheses");
		if (is_op(t, "("))
			depth++;
		else if (is_op(t, ")") && --depth == 0)
			break;
		p->pos++;
	}
	if (p->pos == from)
		return syntax_error(p);
	*out = make_expr(p, from, p->pos);
	p->pos++;
	return *out != NULL;
}

/* Words that may stand alone as a DEFAULT: constants and niladic calls. */
static const char *const default_words[] = {
	"NULL", "TRUE", "FALSE", "CURRENT_TIMESTAMP", "CURRENT_DATE",
	"CURRENT_TIME", "LOCALTIME", "LOCALTIMESTAMP", "CURRENT_USER",
	"CURRENT_ROLE", "UTC_DATE", "UTC_TIME", "UTC_TIMESTAMP"
};

/*
 * What follows DEFAULT (or SET DEFAULT): a parenthesized expression; a
 * literal with an optional sign, a signed number becoming one NUMBER
 * token ("-1"); a temporal literal (DATE '2000-01-01'); a function call
 * such as current_timestamp(6) or uuid(), as MariaDB writes them without
 * parentheses; a constant word (NULL, CURRENT_TIMESTAMP); or, in MariaDB,
 * a quoted column name.
 */
static bool
parse_default(Parser *p, DdlExpr **out)
{
	DdlLexToken *t = peek(p);
	int			from = p->pos;
	size_t		i;

	if (is_op(t, "("))
		return parse_paren_expr(p, out);

	if (is_op(t, "-") || is_op(t, "+"))
	{
		DdlLexToken *num = peek_at(p, 1);
		DdlExpr    *e;
		size_t		n;
		char	   *text;

		if (num->eof || num->tok.kind != DDL_TOKEN_NUMBER)
		{
			p->pos++;
			return syntax_error(p);
		}
		/* one token holding the sign and the digits */
		e = make_expr(p, from + 1, from + 2);
		if (e == NULL)
			return false;
		if (is_op(t, "-"))
		{
			n = num->tok.len + 1;
			text = palloc_node(p, n + 1);
			if (text == NULL)
				return false;
			text[0] = '-';
			memcpy(text + 1, num->tok.text, num->tok.len + 1);
			e->tokens[0].text = text;
			e->tokens[0].len = n;
		}
		e->source = ddl_arena_strndup(p->arena, p->sql + t->start,
									  num->end - t->start);
		if (e->source == NULL)
			return out_of_memory(p);
		p->pos += 2;
		*out = e;
		return true;
	}

	if (t->eof)
		return syntax_error(p);
	switch (t->tok.kind)
	{
		case DDL_TOKEN_STRING:
		case DDL_TOKEN_NUMBER:
		case DDL_TOKEN_HEX:
		case DDL_TOKEN_BITS:
			p->pos++;
			break;
		case DDL_TOKEN_WORD:
		case DDL_TOKEN_IDENT:
			if (is_op(peek_at(p, 1), "("))
			{
				/* a function call, arguments and all */
				p->pos++;
				if (!skip_parens(p))
					return false;
				break;
			}
			if ((is_kw(t, "DATE") || is_kw(t, "TIME") ||
				 is_kw(t, "TIMESTAMP")) &&
				peek_at(p, 1)->tok.kind == DDL_TOKEN_STRING &&
				!peek_at(p, 1)->eof)
			{
				p->pos += 2;
				break;
			}
			if (t->tok.kind == DDL_TOKEN_IDENT)
			{
				p->pos++;
				break;
			}
			for (i = 0; i < sizeof(default_words) / sizeof(default_words[0]);
				 i++)
				if (is_kw(t, default_words[i]))
					break;
			if (i == sizeof(default_words) / sizeof(default_words[0]))
				return syntax_error(p);
			p->pos++;
			break;
		case DDL_TOKEN_OPERATOR:
			return syntax_error(p);
	}
	*out = make_expr(p, from, p->pos);
	return *out != NULL;
}

/*
 * ON UPDATE's value, which MySQL limits to the current time:
 * CURRENT_TIMESTAMP, NOW(), LOCALTIME, LOCALTIMESTAMP, with an optional
 * precision.
 */
static bool
parse_on_update_now(Parser *p)
{
	DdlLexToken *t = peek(p);
	int			fsp;

	if (!is_kw(t, "CURRENT_TIMESTAMP") && !is_kw(t, "NOW") &&
		!is_kw(t, "LOCALTIME") && !is_kw(t, "LOCALTIMESTAMP"))
		return syntax_error(p);
	p->pos++;
	if (accept_op(p, "("))
	{
		if (!is_op(peek(p), ")") && !parse_int(p, &fsp))
			return false;
		return expect_op(p, ")");
	}
	return true;
}

/* ---- data types ---- */

/* How a type word sets up a type beyond its id. */
#define TW_NATIONAL		0x01	/* NCHAR etc.: character set utf8mb3 */
#define TW_BOOL			0x02	/* BOOL: TINYINT(1) */
#define TW_SERIAL		0x04	/* SERIAL: BIGINT UNSIGNED NOT NULL ... */

typedef struct TypeWord
{
	const char *word;
	DdlTypeId	id;
	int			flags;
	const char *geometry;
} TypeWord;

/*
 * Type names that are one word; CHAR, CHARACTER, NATIONAL, NCHAR, DOUBLE
 * and LONG may begin longer names and are read in parse_data_type.
 */
static const TypeWord type_words[] = {
	{"TINYINT", DDL_TYPE_TINYINT, 0, NULL},
	{"INT1", DDL_TYPE_TINYINT, 0, NULL},
	{"BOOL", DDL_TYPE_TINYINT, TW_BOOL, NULL},
	{"BOOLEAN", DDL_TYPE_TINYINT, TW_BOOL, NULL},
	{"SMALLINT", DDL_TYPE_SMALLINT, 0, NULL},
	{"INT2", DDL_TYPE_SMALLINT, 0, NULL},
	{"MEDIUMINT", DDL_TYPE_MEDIUMINT, 0, NULL},
	{"INT3", DDL_TYPE_MEDIUMINT, 0, NULL},
	{"MIDDLEINT", DDL_TYPE_MEDIUMINT, 0, NULL},
	{"INT", DDL_TYPE_INT, 0, NULL},
	{"INTEGER", DDL_TYPE_INT, 0, NULL},
	{"INT4", DDL_TYPE_INT, 0, NULL},
	{"BIGINT", DDL_TYPE_BIGINT, 0, NULL},
	{"INT8", DDL_TYPE_BIGINT, 0, NULL},
	{"SERIAL", DDL_TYPE_BIGINT, TW_SERIAL, NULL},
	{"DECIMAL", DDL_TYPE_DECIMAL, 0, NULL},
	{"DEC", DDL_TYPE_DECIMAL, 0, NULL},
	{"NUMERIC", DDL_TYPE_DECIMAL, 0, NULL},
	{"FIXED", DDL_TYPE_DECIMAL, 0, NULL},
	{"FLOAT", DDL_TYPE_FLOAT, 0, NULL},
	{"FLOAT4", DDL_TYPE_FLOAT, 0, NULL},
	{"REAL", DDL_TYPE_DOUBLE, 0, NULL},
	{"FLOAT8", DDL_TYPE_DOUBLE, 0, NULL},
	{"BIT", DDL_TYPE_BIT, 0, NULL},
	{"DATE", DDL_TYPE_DATE, 0, NULL},
	{"DATETIME", DDL_TYPE_DATETIME, 0, NULL},
	{"TIMESTAMP", DDL_TYPE_TIMESTAMP, 0, NULL},
	{"TIME", DDL_TYPE_TIME, 0, NULL},
	{"YEAR", DDL_TYPE_YEAR, 0, NULL},
	{"VARCHAR", DDL_TYPE_VARCHAR, 0, NULL},
	{"NVARCHAR", DDL_TYPE_VARCHAR, TW_NATIONAL, NULL},
	{"VARCHARACTER", DDL_TYPE_VARCHAR, 0, NULL},
	{"BINARY", DDL_TYPE_BINARY, 0, NULL},
	{"VARBINARY", DDL_TYPE_VARBINARY, 0, NULL},
	{"TINYTEXT", DDL_TYPE_TINYTEXT, 0, NULL},
	{"TEXT", DDL_TYPE_TEXT, 0, NULL},
	{"MEDIUMTEXT", DDL_TYPE_MEDIUMTEXT, 0, NULL},
	{"LONGTEXT", DDL_TYPE_LONGTEXT, 0, NULL},
	{"TINYBLOB", DDL_TYPE_TINYBLOB, 0, NULL},
	{"BLOB", DDL_TYPE_BLOB, 0, NULL},
	{"MEDIUMBLOB", DDL_TYPE_MEDIUMBLOB, 0, NULL},
	{"LONGBLOB", DDL_TYPE_LONGBLOB, 0, NULL},
	{"ENUM", DDL_TYPE_ENUM, 0, NULL},
	{"SET", DDL_TYPE_SET, 0, NULL},
	{"JSON", DDL_TYPE_JSON, 0, NULL},
	{"GEOMETRY", DDL_TYPE_GEOMETRY, 0, "geometry"},
	{"POINT", DDL_TYPE_GEOMETRY, 0, "point"},
	{"LINESTRING", DDL_TYPE_GEOMETRY, 0, "linestring"},
	{"POLYGON", DDL_TYPE_GEOMETRY, 0, "polygon"},
	{"MULTIPOINT", DDL_TYPE_GEOMETRY, 0, "multipoint"},
	{"MULTILINESTRING", DDL_TYPE_GEOMETRY, 0, "multilinestring"},
	{"MULTIPOLYGON", DDL_TYPE_GEOMETRY, 0, "multipolygon"},
	{"GEOMETRYCOLLECTION", DDL_TYPE_GEOMETRY, 0, "geometrycollection"},
	{"GEOMCOLLECTION", DDL_TYPE_GEOMETRY, 0, "geometrycollection"},
	{"VECTOR", DDL_TYPE_VECTOR, 0, NULL},
	{"UUID", DDL_TYPE_UUID, 0, NULL},
	{"INET4", DDL_TYPE_INET4, 0, NULL},
	{"INET6", DDL_TYPE_INET6, 0, NULL}
};

/* ENUM or SET's ('a', 'b', ...). */
static bool
parse_enum_values(Parser *p, DdlType *type)
{
	int			cap = 0;

	if (!expect_op(p, "("))
		return false;
	do
	{
		char	  **slot;
		char	   *value = NULL;

		if (!parse_text(p, &value))
			return false;
		slot = APPEND(p, type->values, type->nvalues, cap);
		if (slot == NULL)
			return false;
		*slot = value;
	} while (accept_op(p, ","));
	return expect_op(p, ")");
}

/*
 * The character set and collation attributes of a type:
 * CHARACTER SET x, CHARSET x, COLLATE x, BINARY, ASCII, UNICODE, BYTE.
 * Returns true with *matched false when the next token is none of them.
 */
static bool
parse_charset_attribute(Parser *p, DdlType *type, bool *matched)
{
	*matched = true;
	if (peek_kw(p, 0, "CHARACTER") && peek_kw(p, 1, "SET"))
	{
		p->pos += 2;
		return parse_ident_or_text(p, &type->charset);
	}
	if (accept_kw(p, "CHARSET"))
		return parse_ident_or_text(p, &type->charset);
	if (accept_kw(p, "COLLATE"))
		return parse_ident_or_text(p, &type->collation);
	if (accept_kw(p, "BINARY"))
	{
		type->binary = true;
		return true;
	}
	if (accept_kw(p, "ASCII"))
		return (type->charset = pstrdup_node(p, "latin1")) != NULL;
	if (accept_kw(p, "UNICODE"))
		return (type->charset = pstrdup_node(p, "ucs2")) != NULL;
	if (accept_kw(p, "BYTE"))
		return (type->charset = pstrdup_node(p, "binary")) != NULL;
	*matched = false;
	return true;
}

/*
 * data_type: a type name with its synonyms resolved, its length or
 * precision and scale, and its attributes (UNSIGNED, ZEROFILL, character
 * set, collation).  SERIAL also sets the column's flags it implies.
 */
static bool
parse_data_type(Parser *p, DdlColumn *col)
{
	DdlType    *type = &col->type;
	DdlLexToken *t = peek(p);
	const TypeWord *tw = NULL;
	size_t		i;
	bool		national = false;

	type->length = -1;
	type->scale = -1;
	if (!is_name(t) || t->tok.kind != DDL_TOKEN_WORD)
		return syntax_error(p);
	p->pos++;

	/* names of more than one word */
	if (is_kw(t, "NATIONAL") || is_kw(t, "NCHAR"))
	{
		national = true;
		type->id = DDL_TYPE_CHAR;
		if (is_kw(t, "NATIONAL") && !accept_kw(p, "CHAR") &&
			!accept_kw(p, "CHARACTER"))
		{
			if (!expect_kw(p, "VARCHAR"))
				return false;
			type->id = DDL_TYPE_VARCHAR;
		}
		else if (accept_kw(p, "VARYING") || accept_kw(p, "VARCHAR"))
			type->id = DDL_TYPE_VARCHAR;
	}
	else if (is_kw(t, "CHAR") || is_kw(t, "CHARACTER"))
		type->id = accept_kw(p, "VARYING") ? DDL_TYPE_VARCHAR : DDL_TYPE_CHAR;
	else if (is_kw(t, "DOUBLE"))
	{
		accept_kw(p, "PRECISION");
		type->id = DDL_TYPE_DOUBLE;
	}
	else if (is_kw(t, "LONG"))
	{
		/* LONG VARBINARY is MEDIUMBLOB; LONG [VARCHAR] is MEDIUMTEXT */
		if (accept_kw(p, "VARBINARY"))
			type->id = DDL_TYPE_MEDIUMBLOB;
		else
		{
			type->id = DDL_TYPE_MEDIUMTEXT;
			if (!accept_kw(p, "VARCHAR") && peek_kw(p, 0, "CHAR") &&
				peek_kw(p, 1, "VARYING"))
				p->pos += 2;
		}
	}
	else
	{
		for (i = 0; i < sizeof(type_words) / sizeof(type_words[0]); i++)
			if (is_kw(t, type_words[i].word))
			{
				tw = &type_words[i];
				break;
			}
		if (tw == NULL)
			return fail(p, t->start, "unknown data type \"%s\"",
						t->tok.text);
		type->id = tw->id;
		national = (tw->flags & TW_NATIONAL) != 0;
		if (tw->geometry != NULL &&
			(type->geometry = pstrdup_node(p, tw->geometry)) == NULL)
			return false;
		if (tw->flags & TW_BOOL)
			type->length = 1;
		if (tw->flags & TW_SERIAL)
		{
			type->is_unsigned = true;
			col->nullability = DDL_NOT_NULL;
			col->auto_increment = true;
			col->unique_key = true;
		}
	}
	if (national && (type->charset = pstrdup_node(p, "utf8mb3")) == NULL)
		return false;

	/* (values), (length) or (precision, scale) */
	if (type->id == DDL_TYPE_ENUM || type->id == DDL_TYPE_SET)
	{
		if (!parse_enum_values(p, type))
			return false;
	}
	else if (accept_op(p, "("))
	{
		if (!parse_int(p, &type->length))
			return false;
		if (accept_op(p, ",") && !parse_int(p, &type->scale))
			return false;
		if (!expect_op(p, ")"))
			return false;

		/*
		 * FLOAT(p) is a FLOAT without precision for p up to 24, and a
		 * DOUBLE beyond, as MySQL stores it.
		 */
		if (type->id == DDL_TYPE_FLOAT && type->scale < 0)
		{
			if (type->length > 53)
				return fail(p, t->start,
							"precision %d is too large for FLOAT",
							type->length);
			if (type->length > 24)
				type->id = DDL_TYPE_DOUBLE;
			type->length = -1;
		}
	}

	/* attributes of the type */
	for (;;)
	{
		bool		matched;

		if (accept_kw(p, "UNSIGNED"))
			type->is_unsigned = true;
		else if (accept_kw(p, "SIGNED"))
			type->is_unsigned = false;
		else if (accept_kw(p, "ZEROFILL"))
		{
			type->zerofill = true;
			type->is_unsigned = true;
		}
		else
		{
			if (!parse_charset_attribute(p, type, &matched))
				return false;
			if (!matched)
				break;
		}
	}
	return !p->failed;
}

/* ---- references ---- */

/* RESTRICT | CASCADE | SET NULL | SET DEFAULT | NO ACTION */
static bool
parse_ref_action(Parser *p, DdlReferenceAction *out)
{
	if (accept_kw(p, "RESTRICT"))
		*out = DDL_REF_RESTRICT;
	else if (accept_kw(p, "CASCADE"))
		*out = DDL_REF_CASCADE;
	else if (accept_kw(p, "SET"))
	{
		if (accept_kw(p, "NULL"))
			*out = DDL_REF_SET_NULL;
		else if (expect_kw(p, "DEFAULT"))
			*out = DDL_REF_SET_DEFAULT;
		else
			return false;
	}
	else if (accept_kw(p, "NO"))
	{
		if (!expect_kw(p, "ACTION"))
			return false;
		*out = DDL_REF_NO_ACTION;
	}
	else
		return syntax_error(p);
	return true;
}

/* Does ON DELETE or ON UPDATE with a referential action come next? */
static bool
at_ref_trigger(Parser *p)
{
	DdlLexToken *a = peek_at(p, 2);

	return peek_kw(p, 0, "ON") &&
		(peek_kw(p, 1, "DELETE") || peek_kw(p, 1, "UPDATE")) &&
		(is_kw(a, "RESTRICT") || is_kw(a, "CASCADE") || is_kw(a, "SET") ||
		 is_kw(a, "NO"));
}

/*
 * references: REFERENCES table [(columns)] [MATCH FULL|PARTIAL|SIMPLE]
 * [ON DELETE action] [ON UPDATE action], into idx.
 */
static bool
parse_references(Parser *p, DdlIndex *idx)
{
	int			cap = 0;

	if (!expect_kw(p, "REFERENCES") || !parse_table_name(p, &idx->ref_table))
		return false;
	if (accept_op(p, "("))
	{
		do
		{
			char	  **slot = APPEND(p, idx->ref_columns, idx->nref_columns,
									  cap);

			if (slot == NULL || !parse_ident(p, slot))
				return false;
		} while (accept_op(p, ","));
		if (!expect_op(p, ")"))
			return false;
	}
	if (accept_kw(p, "MATCH") &&
		!accept_kw(p, "FULL") && !accept_kw(p, "PARTIAL") &&
		!accept_kw(p, "SIMPLE"))
		return syntax_error(p);
	while (at_ref_trigger(p))
	{
		bool		on_delete;

		p->pos++;
		on_delete = is_kw(next(p), "DELETE");
		if (!parse_ref_action(p, on_delete ? &idx->on_delete :
							  &idx->on_update))
			return false;
	}
	return true;
}

/* ---- column definitions ---- */

/* [NOT] ENFORCED after a CHECK; *enforced tells which. */
static void
parse_enforced(Parser *p, bool *enforced)
{
	*enforced = true;
	if (peek_kw(p, 0, "NOT") && peek_kw(p, 1, "ENFORCED"))
	{
		p->pos += 2;
		*enforced = false;
	}
	else
		accept_kw(p, "ENFORCED");
}

/*
 * The attributes of a column, in any order, after its type.  Stops at the
 * first token that begins none (a comma, a parenthesis, FIRST, AFTER, the
 * end), for the caller to check.
 */
static bool
parse_column_attributes(Parser *p, DdlColumn *col)
{
	for (;;)
	{
		DdlLexToken *t = peek(p);
		bool		matched;

		if (p->failed)
			return false;
		if (accept_kw(p, "NULL"))
			col->nullability = DDL_NULL;
		else if (is_kw(t, "NOT"))
		{
			p->pos++;
			if (accept_kw(p, "NULL"))
				col->nullability = DDL_NOT_NULL;
			else if (!expect_kw(p, "SECONDARY"))
				return false;
		}
		else if (accept_kw(p, "DEFAULT"))
		{
			if (!parse_default(p, &col->default_value))
				return false;
		}
		else if (accept_kw(p, "ON"))
		{
			if (!expect_kw(p, "UPDATE") || !parse_on_update_now(p))
				return false;
			col->on_update_now = true;
		}
		else if (accept_kw(p, "AUTO_INCREMENT"))
			col->auto_increment = true;
		else if (is_kw(t, "SERIAL"))
		{
			/* SERIAL DEFAULT VALUE: NOT NULL AUTO_INCREMENT UNIQUE */
			p->pos++;
			if (!expect_kw(p, "DEFAULT") || !expect_kw(p, "VALUE"))
				return false;
			col->nullability = DDL_NOT_NULL;
			col->auto_increment = true;
			col->unique_key = true;
		}
		else if (accept_kw(p, "PRIMARY"))
		{
			accept_kw(p, "KEY");
			col->primary_key = true;
		}
		else if (accept_kw(p, "KEY"))
			col->primary_key = true;
		else if (accept_kw(p, "UNIQUE"))
		{
			accept_kw(p, "KEY");
			col->unique_key = true;
		}
		else if (accept_kw(p, "COMMENT"))
		{
			if (!parse_text(p, &col->comment))
				return false;
		}
		else if (is_kw(t, "GENERATED") || is_kw(t, "AS"))
		{
			/* [GENERATED ALWAYS] AS (expr), or MariaDB's AS ROW START */
			if (accept_kw(p, "GENERATED") && !expect_kw(p, "ALWAYS"))
				return false;
			if (!expect_kw(p, "AS"))
				return false;
			if (accept_kw(p, "ROW"))
			{
				/*
				 * A system-versioned table's period column; its values come
				 * in the row events like any other's.
				 */
				if (!accept_kw(p, "START") && !expect_kw(p, "END"))
					return false;
			}
			else if (!parse_paren_expr(p, &col->generated))
				return false;
		}
		else if (accept_kw(p, "VIRTUAL"))
			col->generated_stored = false;
		else if (accept_kw(p, "STORED") || accept_kw(p, "PERSISTENT"))
			col->generated_stored = true;
		else if (accept_kw(p, "INVISIBLE"))
			col->invisible = true;
		else if (accept_kw(p, "VISIBLE"))
			col->invisible = false;
		else if (is_kw(t, "CONSTRAINT") || is_kw(t, "CHECK"))
		{
			DdlExpr    *check;
			bool		enforced;
			char	   *ignored;

			/* the name of a column's check constraint is not kept */
			if (accept_kw(p, "CONSTRAINT") && !peek_kw(p, 0, "CHECK") &&
				!parse_ident(p, &ignored))
				return false;
			if (!expect_kw(p, "CHECK") || !parse_paren_expr(p, &check))
				return false;
			parse_enforced(p, &enforced);
			if (enforced && col->check != NULL)
				return fail(p, t->start,
							"more than one CHECK constraint on column \"%s\" "
							"is not supported", col->name);
			if (enforced)
				col->check = check;
		}
		else if (is_kw(t, "REFERENCES"))
		{
			DdlIndex	ignored;

			/* MySQL parses a column's REFERENCES and ignores it */
			memset(&ignored, 0, sizeof(ignored));
			if (!parse_references(p, &ignored))
				return false;
		}
		else if (accept_kw(p, "COLUMN_FORMAT") || accept_kw(p, "STORAGE") ||
				 accept_kw(p, "SRID") || accept_kw(p, "ENGINE_ATTRIBUTE") ||
				 accept_kw(p, "SECONDARY_ENGINE_ATTRIBUTE"))
		{
			if (!skip_option_value(p))
				return false;
		}
		else if ((is_kw(t, "WITH") || is_kw(t, "WITHOUT")) &&
				 peek_kw(p, 1, "SYSTEM"))
		{
			p->pos += 2;
			if (!expect_kw(p, "VERSIONING"))
				return false;
		}
		else if (accept_kw(p, "COMPRESSED"))
		{
			if (is_op(peek(p), "=") && !skip_option_value(p))
				return false;
		}
		else if (at_unknown_option(p))
		{
			/* an engine-defined attribute, such as MariaDB's x=y */
			p->pos++;
			if (!skip_option_value(p))
				return false;
		}
		else
		{
			if (!parse_charset_attribute(p, &col->type, &matched))
				return false;
			if (!matched)
				return true;
		}
	}
}

/* column_def: name data_type attributes */
static bool
parse_column_def(Parser *p, DdlColumn *col)
{
	return parse_ident(p, &col->name) &&
		parse_data_type(p, col) &&
		parse_column_attributes(p, col);
}

/* ---- keys and constraints ---- */

/* Does a key or table constraint (rather than a column) begin here? */
static bool
at_index_def(Parser *p)
{
	static const char *const words[] = {
		"CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK", "INDEX",
		"KEY", "FULLTEXT", "SPATIAL"
	};
	DdlLexToken *t = peek(p);
	size_t		i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (is_kw(t, words[i]))
			return true;
	return false;
}

/* key_part list: (col, col(10) DESC, (expr), ...) */
static bool
parse_index_parts(Parser *p, DdlIndex *idx)
{
	int			cap = 0;

	if (!expect_op(p, "("))
		return false;
	do
	{
		DdlIndexPart *part = APPEND(p, idx->parts, idx->nparts, cap);

		if (part == NULL)
			return false;
		part->prefix_length = -1;
		if (is_op(peek(p), "("))
		{
			if (!parse_paren_expr(p, &part->expr))
				return false;
		}
		else
		{
			if (!parse_ident(p, &part->column))
				return false;
			if (accept_op(p, "(") &&
				(!parse_int(p, &part->prefix_length) || !expect_op(p, ")")))
				return false;
		}
		if (accept_kw(p, "DESC"))
			part->descending = true;
		else
			accept_kw(p, "ASC");
	} while (accept_op(p, ","));
	return expect_op(p, ")");
}

/* USING BTREE|HASH|RTREE, or the older TYPE BTREE */
static bool
parse_index_type(Parser *p)
{
	char	   *ignored;

	if (accept_kw(p, "USING") || accept_kw(p, "TYPE"))
		return parse_ident(p, &ignored);
	return true;
}

/*
 * index_option list after the key parts: USING, KEY_BLOCK_SIZE, COMMENT,
 * VISIBLE/INVISIBLE, IGNORED/NOT IGNORED, WITH PARSER, CLUSTERING,
 * ENGINE_ATTRIBUTE and engine-defined word=value options.
 */
static bool
parse_index_options(Parser *p, DdlIndex *idx)
{
	char	   *ignored;

	for (;;)
	{
		DdlLexToken *t = peek(p);

		if (p->failed)
			return false;
		if (is_kw(t, "USING") || is_kw(t, "TYPE"))
		{
			if (!parse_index_type(p))
				return false;
		}
		else if (accept_kw(p, "COMMENT"))
		{
			accept_op(p, "=");
			if (!parse_text(p, &idx->comment))
				return false;
		}
		else if (accept_kw(p, "VISIBLE") || accept_kw(p, "INVISIBLE") ||
				 accept_kw(p, "IGNORED"))
			continue;
		else if (is_kw(t, "NOT") && peek_kw(p, 1, "IGNORED"))
			p->pos += 2;
		else if (is_kw(t, "WITH") && peek_kw(p, 1, "PARSER"))
		{
			p->pos += 2;
			if (!parse_ident(p, &ignored))
				return false;
		}
		else if (accept_kw(p, "KEY_BLOCK_SIZE") ||
				 accept_kw(p, "CLUSTERING") ||
				 accept_kw(p, "ENGINE_ATTRIBUTE") ||
				 accept_kw(p, "SECONDARY_ENGINE_ATTRIBUTE"))
		{
			if (!skip_option_value(p))
				return false;
		}
		else if (at_unknown_option(p))
		{
			p->pos++;
			if (!skip_option_value(p))
				return false;
		}
		else
			return true;
	}
}

/*
 * An optional index name before the key parts: present unless what comes
 * next is the parts or the index type.
 */
static bool
parse_opt_index_name(Parser *p, char **name)
{
	DdlLexToken *t = peek(p);

	if (!is_name(t) || is_kw(t, "USING") || is_kw(t, "TYPE"))
		return true;
	return parse_ident(p, name);
}

/*
 * A key or table constraint of a table's element list or of ALTER TABLE
 * ADD: [CONSTRAINT [name]] PRIMARY KEY | UNIQUE | FOREIGN KEY | CHECK, or
 * INDEX | KEY | FULLTEXT | SPATIAL, each with MariaDB's IF NOT EXISTS.
 */
static bool
parse_index_def(Parser *p, DdlIndex *idx)
{
	char	   *constraint = NULL;
	char	   *name = NULL;
	DdlLexToken *t;

	if (accept_kw(p, "CONSTRAINT"))
	{
		parse_if_not_exists(p, &idx->if_not_exists);
		t = peek(p);
		if (is_name(t) && !is_kw(t, "PRIMARY") && !is_kw(t, "UNIQUE") &&
			!is_kw(t, "FOREIGN") && !is_kw(t, "CHECK") &&
			!parse_ident(p, &constraint))
			return false;
		t = peek(p);
		if (!is_kw(t, "PRIMARY") && !is_kw(t, "UNIQUE") &&
			!is_kw(t, "FOREIGN") && !is_kw(t, "CHECK"))
			return syntax_error(p);
	}
	t = next(p);

	if (is_kw(t, "CHECK"))
	{
		bool		enforced;

		idx->kind = DDL_INDEX_CHECK;
		idx->name = constraint;
		if (!parse_paren_expr(p, &idx->check))
			return false;
		parse_enforced(p, &enforced);
		idx->not_enforced = !enforced;
		return true;
	}

	if (is_kw(t, "FOREIGN"))
	{
		idx->kind = DDL_INDEX_FOREIGN;
		if (!expect_kw(p, "KEY"))
			return false;
		parse_if_not_exists(p, &idx->if_not_exists);
		if (!parse_opt_index_name(p, &name) ||
			!parse_index_parts(p, idx) ||
			!parse_references(p, idx))
			return false;
		/* the constraint's name wins over the index's */
		idx->name = constraint ? constraint : name;
		return true;
	}

	if (is_kw(t, "PRIMARY"))
	{
		idx->kind = DDL_INDEX_PRIMARY;
		if (!expect_kw(p, "KEY"))
			return false;
	}
	else if (is_kw(t, "UNIQUE"))
	{
		idx->kind = DDL_INDEX_UNIQUE;
		if (!accept_kw(p, "INDEX"))
			accept_kw(p, "KEY");
	}
	else if (is_kw(t, "FULLTEXT") || is_kw(t, "SPATIAL"))
	{
		idx->kind = is_kw(t, "FULLTEXT") ? DDL_INDEX_FULLTEXT :
			DDL_INDEX_SPATIAL;
		if (!accept_kw(p, "INDEX"))
			accept_kw(p, "KEY");
	}
	else if (is_kw(t, "INDEX") || is_kw(t, "KEY"))
		idx->kind = DDL_INDEX_PLAIN;
	else
	{
		p->pos--;
		return syntax_error(p);
	}

	parse_if_not_exists(p, &idx->if_not_exists);
	if (!parse_opt_index_name(p, &name) ||
		!parse_index_type(p) ||
		!parse_index_parts(p, idx) ||
		!parse_index_options(p, idx))
		return false;
	/* an index's own name wins over its constraint's */
	idx->name = name ? name : constraint;
	return true;
}

/* ---- table options ---- */

/*
 * Table options that take [=] and one value and are ignored.  (ENGINE is
 * here too: the replica's tables are PostgreSQL's whatever the engine.)
 */
static const char *const ignored_table_options[] = {
	"ENGINE", "TYPE", "ROW_FORMAT", "KEY_BLOCK_SIZE", "AVG_ROW_LENGTH",
	"MAX_ROWS", "MIN_ROWS", "CHECKSUM", "TABLE_CHECKSUM", "DELAY_KEY_WRITE",
	"PACK_KEYS", "STATS_AUTO_RECALC", "STATS_PERSISTENT",
	"STATS_SAMPLE_PAGES", "ENCRYPTION", "COMPRESSION", "INSERT_METHOD",
	"CONNECTION", "PASSWORD", "PAGE_CHECKSUM", "TRANSACTIONAL", "SEQUENCE",
	"ENCRYPTED", "ENCRYPTION_KEY_ID", "PAGE_COMPRESSED",
	"PAGE_COMPRESSION_LEVEL", "IETF_QUOTES", "SECONDARY_ENGINE",
	"ENGINE_ATTRIBUTE", "SECONDARY_ENGINE_ATTRIBUTE", "AUTOEXTEND_SIZE"
};

/*
 * One table option (also the options of CREATE DATABASE).  Returns true
 * with *matched false when the next token begins none, having consumed
 * nothing.
 */
static bool
parse_table_option(Parser *p, DdlTableOptions *o, bool *matched)
{
	DdlLexToken *t = peek(p);
	char	   *ignored;
	size_t		i;

	*matched = true;

	/* DEFAULT is a noise word before a character set or collation */
	if (is_kw(t, "DEFAULT"))
	{
		DdlLexToken *n = peek_at(p, 1);

		if (!is_kw(n, "CHARACTER") && !is_kw(n, "CHARSET") &&
			!is_kw(n, "COLLATE") && !is_kw(n, "ENCRYPTION"))
		{
			*matched = false;
			return true;
		}
		p->pos++;
		t = peek(p);
	}

	if (is_kw(t, "CHARACTER") && peek_kw(p, 1, "SET"))
	{
		p->pos += 2;
		accept_op(p, "=");
		return parse_ident_or_text(p, &o->charset);
	}
	if (accept_kw(p, "CHARSET"))
	{
		accept_op(p, "=");
		return parse_ident_or_text(p, &o->charset);
	}
	if (accept_kw(p, "COLLATE"))
	{
		accept_op(p, "=");
		return parse_ident_or_text(p, &o->collation);
	}
	if (accept_kw(p, "COMMENT"))
	{
		accept_op(p, "=");
		return parse_text(p, &o->comment);
	}
	if (accept_kw(p, "AUTO_INCREMENT"))
	{
		accept_op(p, "=");
		return parse_uint(p, UINT64_MAX, &o->auto_increment);
	}
	if (accept_kw(p, "TABLESPACE"))
	{
		accept_op(p, "=");
		if (!parse_ident(p, &ignored))
			return false;
		if (accept_kw(p, "STORAGE") && !parse_ident(p, &ignored))
			return false;
		return true;
	}
	if (accept_kw(p, "STORAGE"))
		return parse_ident(p, &ignored);
	if ((is_kw(t, "DATA") || is_kw(t, "INDEX")) &&
		peek_kw(p, 1, "DIRECTORY"))
	{
		p->pos += 2;
		accept_op(p, "=");
		return parse_text(p, &ignored);
	}
	if (accept_kw(p, "UNION"))
	{
		accept_op(p, "=");
		return skip_parens(p);
	}
	if (is_kw(t, "WITH") && peek_kw(p, 1, "SYSTEM"))
	{
		p->pos += 2;
		return expect_kw(p, "VERSIONING");
	}
	if (is_kw(t, "START") && peek_kw(p, 1, "TRANSACTION"))
	{
		/* MySQL 8 logs CREATE TABLE ... SELECT as CREATE TABLE with this */
		p->pos += 2;
		return true;
	}
	for (i = 0; i < sizeof(ignored_table_options) /
		 sizeof(ignored_table_options[0]); i++)
		if (is_kw(t, ignored_table_options[i]))
		{
			p->pos++;
			return skip_option_value(p);
		}
	if (at_unknown_option(p))
	{
		/* options both vendors add with every release */
		p->pos++;
		return skip_option_value(p);
	}
	*matched = false;
	return true;
}

/* ---- statements ---- */

/* What the partition options of CREATE or ALTER TABLE begin with. */
static bool
at_partition_options(Parser *p)
{
	return peek_kw(p, 0, "PARTITION") && peek_kw(p, 1, "BY");
}

/* CREATE TABLE ... SELECT is refused wherever the SELECT begins. */
static bool
at_create_select(Parser *p)
{
	DdlLexToken *t = peek(p);

	return is_kw(t, "AS") || is_kw(t, "SELECT") || is_kw(t, "IGNORE") ||
		is_kw(t, "REPLACE") || is_kw(t, "VALUES") || is_kw(t, "TABLE") ||
		(is_kw(t, "WITH") && !peek_kw(p, 1, "SYSTEM"));
}

static bool
create_select_error(Parser *p)
{
	return fail(p, peek(p)->start,
				"CREATE TABLE ... SELECT is not supported");
}

/*
 * The element list of CREATE TABLE, after its '(': columns, keys and
 * constraints, MariaDB's PERIOD FOR (ignored), up to the ')'.
 */
static bool
parse_table_elements(Parser *p, DdlStatement *st)
{
	int			colcap = 0;
	int			idxcap = 0;

	do
	{
		if (peek_kw(p, 0, "PERIOD") && peek_kw(p, 1, "FOR"))
		{
			char	   *ignored;

			p->pos += 2;
			if (!parse_ident(p, &ignored) || !skip_parens(p))
				return false;
		}
		else if (at_index_def(p))
		{
			DdlIndex   *idx = APPEND(p, st->indexes, st->nindexes, idxcap);

			if (idx == NULL || !parse_index_def(p, idx))
				return false;
		}
		else
		{
			DdlColumn  *col = APPEND(p, st->columns, st->ncolumns, colcap);

			if (col == NULL || !parse_column_def(p, col))
				return false;
		}
	} while (accept_op(p, ","));
	return expect_op(p, ")");
}

/*
 * CREATE [OR REPLACE] TABLE [IF NOT EXISTS] name, from the name on:
 * LIKE other, (LIKE other), or (elements) [options] [partitioning].
 */
static bool
parse_create_table(Parser *p, DdlStatement *st)
{
	parse_if_not_exists(p, &st->if_not_exists);
	if (!parse_table_name(p, &st->table))
		return false;

	if (accept_kw(p, "LIKE"))
	{
		st->kind = DDL_CREATE_TABLE_LIKE;
		return parse_table_name(p, &st->like);
	}
	if (is_op(peek(p), "(") && peek_kw(p, 1, "LIKE"))
	{
		p->pos += 2;
		st->kind = DDL_CREATE_TABLE_LIKE;
		return parse_table_name(p, &st->like) && expect_op(p, ")");
	}

	st->kind = DDL_CREATE_TABLE;
	if (!is_op(peek(p), "("))
		return at_create_select(p) ? create_select_error(p) :
			syntax_error(p);
	if (peek_kw(p, 1, "SELECT") || peek_kw(p, 1, "WITH") ||
		is_op(peek_at(p, 1), "("))
	{
		p->pos++;
		return create_select_error(p);
	}
	p->pos++;
	if (!parse_table_elements(p, st))
		return false;

	/* table options, with or without commas, then partitioning */
	while (!at_end(p))
	{
		bool		matched;

		accept_op(p, ",");
		if (at_partition_options(p))
		{
			st->partitioned = true;
			return skip_to_end(p);
		}
		if (at_create_select(p))
			return create_select_error(p);
		if (!parse_table_option(p, &st->options, &matched))
			return false;
		if (!matched)
			return syntax_error(p);
	}
	return !p->failed;
}

/* CREATE {DATABASE|SCHEMA} [IF NOT EXISTS] name [options] */
static bool
parse_create_schema(Parser *p, DdlStatement *st)
{
	DdlTableOptions ignored;

	st->kind = DDL_CREATE_SCHEMA;
	memset(&ignored, 0, sizeof(ignored));
	parse_if_not_exists(p, &st->if_not_exists);
	if (!parse_ident(p, &st->schema))
		return false;
	while (!at_end(p))
	{
		bool		matched;

		accept_op(p, ",");
		if (!parse_table_option(p, &ignored, &matched))
			return false;
		if (!matched)
			return syntax_error(p);
	}
	return !p->failed;
}

/* ALGORITHM [=] x and LOCK [=] x, as CREATE and DROP INDEX end with. */
static bool
parse_algorithm_lock(Parser *p)
{
	while (peek_kw(p, 0, "ALGORITHM") || peek_kw(p, 0, "LOCK") ||
		   peek_kw(p, 0, "WAIT") || peek_kw(p, 0, "NOWAIT"))
	{
		if (peek_kw(p, 0, "WAIT") || peek_kw(p, 0, "NOWAIT"))
		{
			if (!parse_wait(p))
				return false;
			if (peek_kw(p, 0, "WAIT"))
				return syntax_error(p);
			continue;
		}
		p->pos++;
		if (!skip_option_value(p))
			return false;
	}
	return true;
}

/*
 * CREATE [ONLINE|OFFLINE] [UNIQUE|FULLTEXT|SPATIAL] INDEX, from the kind
 * on: [IF NOT EXISTS] name [USING x] ON table (parts) [options]
 * [ALGORITHM/LOCK].
 */
static bool
parse_create_index(Parser *p, DdlStatement *st)
{
	DdlIndex   *idx = palloc_node(p, sizeof(DdlIndex));

	if (idx == NULL)
		return false;
	st->kind = DDL_CREATE_INDEX;
	st->index = idx;
	if (accept_kw(p, "UNIQUE"))
		idx->kind = DDL_INDEX_UNIQUE;
	else if (accept_kw(p, "FULLTEXT"))
		idx->kind = DDL_INDEX_FULLTEXT;
	else if (accept_kw(p, "SPATIAL"))
		idx->kind = DDL_INDEX_SPATIAL;
	else
		idx->kind = DDL_INDEX_PLAIN;
	if (!expect_kw(p, "INDEX"))
		return false;
	parse_if_not_exists(p, &idx->if_not_exists);
	st->if_not_exists = idx->if_not_exists;
	return parse_ident(p, &idx->name) &&
		parse_index_type(p) &&
		expect_kw(p, "ON") &&
		parse_table_name(p, &st->table) &&
		parse_wait(p) &&
		parse_index_parts(p, idx) &&
		parse_index_options(p, idx) &&
		parse_algorithm_lock(p);
}

/* [FIRST | AFTER col] after a column of ALTER TABLE */
static bool
parse_column_position(Parser *p, DdlAlterClause *c)
{
	if (accept_kw(p, "FIRST"))
		c->first = true;
	else if (accept_kw(p, "AFTER"))
		return parse_ident(p, &c->after);
	return true;
}

/* Append an ALTER TABLE clause of kind to st. */
static DdlAlterClause *
add_clause(Parser *p, DdlStatement *st, int *cap, DdlAlterKind kind)
{
	DdlAlterClause *c = APPEND(p, st->clauses, st->nclauses, *cap);

	if (c != NULL)
		c->kind = kind;
	return c;
}

/*
 * An ignored clause named what; when to_end, it takes the rest of the
 * statement, as partition maintenance does.
 */
static bool
add_ignored(Parser *p, DdlStatement *st, int *cap, const char *what,
			bool to_end)
{
	DdlAlterClause *c = add_clause(p, st, cap, DDL_ALTER_IGNORED);

	if (c == NULL || (c->name = pstrdup_node(p, what)) == NULL)
		return false;
	return to_end ? skip_to_end(p) : true;
}

/* A column definition, new, for ADD [COLUMN] (clause c). */
static bool
parse_add_column(Parser *p, DdlAlterClause *c)
{
	c->column = palloc_node(p, sizeof(DdlColumn));
	return c->column != NULL && parse_column_def(p, c->column) &&
		parse_column_position(p, c);
}

/*
 * ALTER TABLE ... ADD, from after ADD: a column, a parenthesized list of
 * columns (and keys), a key or constraint, or what is ignored.
 */
static bool
parse_alter_add(Parser *p, DdlStatement *st, int *cap)
{
	bool		column = accept_kw(p, "COLUMN");
	bool		if_not_exists = false;
	DdlAlterClause *c;

	if (!column)
	{
		if (peek_kw(p, 0, "PARTITION"))
			return add_ignored(p, st, cap, "ADD PARTITION", true);
		if (peek_kw(p, 0, "SYSTEM") && peek_kw(p, 1, "VERSIONING"))
		{
			p->pos += 2;
			return add_ignored(p, st, cap, "ADD SYSTEM VERSIONING", false);
		}
		if (peek_kw(p, 0, "PERIOD") && peek_kw(p, 1, "FOR"))
		{
			char	   *ignored;

			p->pos += 2;
			if (!parse_ident(p, &ignored) || !skip_parens(p))
				return false;
			return add_ignored(p, st, cap, "ADD PERIOD", false);
		}
		if (at_index_def(p))
		{
			c = add_clause(p, st, cap, DDL_ALTER_ADD_INDEX);
			if (c == NULL ||
				(c->index = palloc_node(p, sizeof(DdlIndex))) == NULL ||
				!parse_index_def(p, c->index))
				return false;
			c->if_not_exists = c->index->if_not_exists;
			return true;
		}
	}
	parse_if_not_exists(p, &if_not_exists);

	if (accept_op(p, "("))
	{
		/* ADD (col, col, key ...): one clause each */
		do
		{
			if (at_index_def(p))
			{
				c = add_clause(p, st, cap, DDL_ALTER_ADD_INDEX);
				if (c == NULL ||
					(c->index = palloc_node(p, sizeof(DdlIndex))) == NULL ||
					!parse_index_def(p, c->index))
					return false;
				continue;
			}
			c = add_clause(p, st, cap, DDL_ALTER_ADD_COLUMN);
			if (c == NULL ||
				(c->column = palloc_node(p, sizeof(DdlColumn))) == NULL ||
				!parse_column_def(p, c->column))
				return false;
			c->if_not_exists = if_not_exists;
		} while (accept_op(p, ","));
		return expect_op(p, ")");
	}

	c = add_clause(p, st, cap, DDL_ALTER_ADD_COLUMN);
	if (c == NULL)
		return false;
	c->if_not_exists = if_not_exists;
	return parse_add_column(p, c);
}

/* Refuse a partition operation that changes rows without logging them. */
static bool
partition_data_error(Parser *p, const char *what)
{
	return fail(p, peek(p)->start,
				"ALTER TABLE ... %s is not supported: the rows it removes or "
				"moves are not in the binary log", what);
}

/* ALTER TABLE ... DROP, from after DROP. */
static bool
parse_alter_drop(Parser *p, DdlStatement *st, int *cap)
{
	DdlAlterClause *c;

	if (peek_kw(p, 0, "PARTITION"))
		return partition_data_error(p, "DROP PARTITION");
	if (peek_kw(p, 0, "SYSTEM") && peek_kw(p, 1, "VERSIONING"))
	{
		p->pos += 2;
		return add_ignored(p, st, cap, "DROP SYSTEM VERSIONING", false);
	}
	if (peek_kw(p, 0, "PERIOD") && peek_kw(p, 1, "FOR"))
	{
		char	   *ignored;

		p->pos += 2;
		if (!parse_ident(p, &ignored))
			return false;
		return add_ignored(p, st, cap, "DROP PERIOD", false);
	}
	if (peek_kw(p, 0, "PRIMARY"))
	{
		p->pos++;
		if (!expect_kw(p, "KEY"))
			return false;
		return add_clause(p, st, cap, DDL_ALTER_DROP_PRIMARY_KEY) != NULL;
	}

	c = add_clause(p, st, cap, DDL_ALTER_DROP_COLUMN);
	if (c == NULL)
		return false;
	if (accept_kw(p, "INDEX") || accept_kw(p, "KEY"))
		c->kind = DDL_ALTER_DROP_INDEX;
	else if (peek_kw(p, 0, "FOREIGN"))
	{
		p->pos++;
		if (!expect_kw(p, "KEY"))
			return false;
		c->kind = DDL_ALTER_DROP_FOREIGN_KEY;
	}
	else if (accept_kw(p, "CHECK") || accept_kw(p, "CONSTRAINT"))
		c->kind = DDL_ALTER_DROP_CHECK;
	else
		accept_kw(p, "COLUMN");
	parse_if_exists(p, &c->if_exists);
	if (!parse_ident(p, &c->name))
		return false;
	if (c->kind == DDL_ALTER_DROP_COLUMN &&
		!accept_kw(p, "RESTRICT"))
		accept_kw(p, "CASCADE");
	return true;
}

/* ALTER TABLE ... ALTER, from after ALTER. */
static bool
parse_alter_alter(Parser *p, DdlStatement *st, int *cap)
{
	DdlAlterClause *c;
	char	   *ignored;

	if (peek_kw(p, 0, "INDEX") || peek_kw(p, 0, "KEY"))
	{
		/* ALTER INDEX x VISIBLE|INVISIBLE|IGNORED|NOT IGNORED */
		p->pos++;
		if (!parse_ident(p, &ignored))
			return false;
		if (accept_kw(p, "NOT"))
		{
			if (!expect_kw(p, "IGNORED"))
				return false;
		}
		else if (!accept_kw(p, "VISIBLE") && !accept_kw(p, "INVISIBLE") &&
				 !expect_kw(p, "IGNORED"))
			return false;
		return add_ignored(p, st, cap, "ALTER INDEX", false);
	}
	if (peek_kw(p, 0, "CHECK") || peek_kw(p, 0, "CONSTRAINT"))
	{
		bool		enforced;

		p->pos++;
		if (!parse_ident(p, &ignored))
			return false;
		if (!peek_kw(p, 0, "ENFORCED") &&
			!(peek_kw(p, 0, "NOT") && peek_kw(p, 1, "ENFORCED")))
			return syntax_error(p);
		parse_enforced(p, &enforced);
		return add_ignored(p, st, cap, "ALTER CHECK", false);
	}

	/* ALTER [COLUMN] c SET DEFAULT x | DROP DEFAULT | SET [IN]VISIBLE */
	accept_kw(p, "COLUMN");
	c = add_clause(p, st, cap, DDL_ALTER_SET_DEFAULT);
	if (c == NULL)
		return false;
	parse_if_exists(p, &c->if_exists);
	if (!parse_ident(p, &c->name))
		return false;
	if (accept_kw(p, "DROP"))
	{
		c->kind = DDL_ALTER_DROP_DEFAULT;
		return expect_kw(p, "DEFAULT");
	}
	if (!expect_kw(p, "SET"))
		return false;
	if (accept_kw(p, "VISIBLE") || accept_kw(p, "INVISIBLE"))
	{
		c->kind = DDL_ALTER_IGNORED;
		return (c->name = pstrdup_node(p, "ALTER COLUMN SET VISIBLE")) != NULL;
	}
	return expect_kw(p, "DEFAULT") && parse_default(p, &c->expr);
}

/* ALTER TABLE ... RENAME, from after RENAME. */
static bool
parse_alter_rename(Parser *p, DdlStatement *st, int *cap)
{
	DdlAlterClause *c = add_clause(p, st, cap, DDL_ALTER_RENAME_TABLE);

	if (c == NULL)
		return false;
	if (accept_kw(p, "COLUMN"))
		c->kind = DDL_ALTER_RENAME_COLUMN;
	else if (accept_kw(p, "INDEX") || accept_kw(p, "KEY"))
		c->kind = DDL_ALTER_RENAME_INDEX;
	else
	{
		if (!accept_kw(p, "TO") && !accept_kw(p, "AS"))
			accept_op(p, "=");
		return parse_table_name(p, &c->new_table);
	}
	return parse_ident(p, &c->name) && expect_kw(p, "TO") &&
		parse_ident(p, &c->new_name);
}

/* Words that begin an ALTER TABLE clause rather than an ORDER BY item. */
static bool
at_alter_clause_word(Parser *p)
{
	static const char *const words[] = {
		"ADD", "DROP", "MODIFY", "CHANGE", "RENAME", "ALTER", "CONVERT",
		"ALGORITHM", "LOCK", "FORCE", "ORDER", "ENABLE", "DISABLE",
		"DISCARD", "IMPORT", "WITH", "WITHOUT", "PARTITION"
	};
	DdlLexToken *t = peek(p);
	size_t		i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (is_kw(t, words[i]))
			return true;
	return false;
}

/* Partition maintenance words followed by PARTITION, all ignored. */
static const char *const partition_operations[] = {
	"COALESCE", "REORGANIZE", "ANALYZE", "CHECK", "OPTIMIZE", "REBUILD",
	"REPAIR", "DISCARD", "IMPORT"
};

/* One clause of ALTER TABLE's list; several for ADD (col, col). */
static bool
parse_alter_clause(Parser *p, DdlStatement *st, int *cap)
{
	DdlLexToken *t = peek(p);
	DdlAlterClause *c;
	size_t		i;

	/* partition operations, which stand alone and end the statement */
	if (at_partition_options(p))
	{
		st->partitioned = true;
		return add_ignored(p, st, cap, "PARTITION BY", true);
	}
	if ((is_kw(t, "REMOVE") || is_kw(t, "UPGRADE")) &&
		peek_kw(p, 1, "PARTITIONING"))
		return add_ignored(p, st, cap, is_kw(t, "REMOVE") ?
						   "REMOVE PARTITIONING" : "UPGRADE PARTITIONING",
						   true);
	if (peek_kw(p, 1, "PARTITION"))
	{
		if (is_kw(t, "TRUNCATE"))
			return partition_data_error(p, "TRUNCATE PARTITION");
		if (is_kw(t, "EXCHANGE"))
			return partition_data_error(p, "EXCHANGE PARTITION");
		if (is_kw(t, "CONVERT"))
			return partition_data_error(p, "CONVERT PARTITION");
		for (i = 0; i < sizeof(partition_operations) /
			 sizeof(partition_operations[0]); i++)
			if (is_kw(t, partition_operations[i]))
				return add_ignored(p, st, cap, "PARTITION MAINTENANCE", true);
	}
	if (is_kw(t, "CONVERT") && peek_kw(p, 1, "TABLE"))
		return partition_data_error(p, "CONVERT TABLE");

	if (accept_kw(p, "ADD"))
		return parse_alter_add(p, st, cap);
	if (accept_kw(p, "DROP"))
		return parse_alter_drop(p, st, cap);
	if (accept_kw(p, "ALTER"))
		return parse_alter_alter(p, st, cap);
	if (accept_kw(p, "RENAME"))
		return parse_alter_rename(p, st, cap);
	if (is_kw(t, "MODIFY") || is_kw(t, "CHANGE"))
	{
		p->pos++;
		accept_kw(p, "COLUMN");
		c = add_clause(p, st, cap, is_kw(t, "MODIFY") ?
					   DDL_ALTER_MODIFY_COLUMN : DDL_ALTER_CHANGE_COLUMN);
		if (c == NULL)
			return false;
		parse_if_exists(p, &c->if_exists);
		if (c->kind == DDL_ALTER_CHANGE_COLUMN && !parse_ident(p, &c->name))
			return false;
		if (!parse_add_column(p, c))
			return false;
		if (c->kind == DDL_ALTER_MODIFY_COLUMN)
			c->name = c->column->name;
		return true;
	}
	if (accept_kw(p, "CONVERT"))
	{
		c = add_clause(p, st, cap, DDL_ALTER_CONVERT_CHARSET);
		if (c == NULL || !expect_kw(p, "TO"))
			return false;
		if (accept_kw(p, "CHARACTER"))
		{
			if (!expect_kw(p, "SET"))
				return false;
		}
		else if (!expect_kw(p, "CHARSET"))
			return false;
		accept_op(p, "=");
		if (!parse_ident_or_text(p, &c->options.charset))
			return false;
		if (accept_kw(p, "COLLATE"))
		{
			accept_op(p, "=");
			return parse_ident_or_text(p, &c->options.collation);
		}
		return true;
	}
	if (is_kw(t, "ALGORITHM") || is_kw(t, "LOCK"))
	{
		p->pos++;
		if (!skip_option_value(p))
			return false;
		return add_ignored(p, st, cap, is_kw(t, "LOCK") ? "LOCK" :
						   "ALGORITHM", false);
	}
	if (accept_kw(p, "FORCE"))
		return add_ignored(p, st, cap, "FORCE", false);
	if (is_kw(t, "ORDER") && peek_kw(p, 1, "BY"))
	{
		/*
		 * ORDER BY col [ASC|DESC], ...: its commas are its own, up to one
		 * followed by a word that begins another clause
		 */
		p->pos += 2;
		for (;;)
		{
			char	   *ignored;

			if (!parse_ident(p, &ignored))
				return false;
			if (!accept_kw(p, "ASC"))
				accept_kw(p, "DESC");
			if (!is_op(peek(p), ",") || !is_name(peek_at(p, 1)))
				break;
			p->pos++;
			if (at_alter_clause_word(p))
			{
				p->pos--;
				break;
			}
		}
		return add_ignored(p, st, cap, "ORDER BY", false);
	}
	if ((is_kw(t, "ENABLE") || is_kw(t, "DISABLE")) && peek_kw(p, 1, "KEYS"))
	{
		p->pos += 2;
		return add_ignored(p, st, cap, is_kw(t, "ENABLE") ? "ENABLE KEYS" :
						   "DISABLE KEYS", false);
	}
	if ((is_kw(t, "DISCARD") || is_kw(t, "IMPORT")) &&
		peek_kw(p, 1, "TABLESPACE"))
	{
		p->pos += 2;
		return add_ignored(p, st, cap, is_kw(t, "DISCARD") ?
						   "DISCARD TABLESPACE" : "IMPORT TABLESPACE", false);
	}
	if ((is_kw(t, "WITH") || is_kw(t, "WITHOUT")) &&
		peek_kw(p, 1, "VALIDATION"))
	{
		p->pos += 2;
		return add_ignored(p, st, cap, "VALIDATION", false);
	}
	if (accept_kw(p, "SECONDARY_LOAD") || accept_kw(p, "SECONDARY_UNLOAD"))
		return add_ignored(p, st, cap, "SECONDARY_LOAD", false);

	/* table options, as many as come without commas, are one clause */
	c = add_clause(p, st, cap, DDL_ALTER_OPTIONS);
	if (c == NULL)
		return false;
	for (i = 0;; i++)
	{
		bool		matched;

		if (!parse_table_option(p, &c->options, &matched))
			return false;
		if (!matched)
			return i > 0 ? true : syntax_error(p);
	}
}

/*
 * ALTER [ONLINE|OFFLINE] [IGNORE] TABLE, from after TABLE:
 * [IF EXISTS] name [WAIT n] clause, clause, ... [partitioning]
 */
static bool
parse_alter_table(Parser *p, DdlStatement *st)
{
	int			cap = 0;

	st->kind = DDL_ALTER_TABLE;
	parse_if_exists(p, &st->if_exists);
	if (!parse_table_name(p, &st->table) || !parse_wait(p))
		return false;
	if (at_end(p))
		return true;
	for (;;)
	{
		if (!parse_alter_clause(p, st, &cap))
			return false;
		if (accept_op(p, ","))
			continue;
		if (at_end(p))
			return !p->failed;
		if (!at_partition_options(p))
			return syntax_error(p);
	}
}

/* RENAME TABLE[S] [IF EXISTS] a TO b [, c TO d ...] */
static bool
parse_rename_table(Parser *p, DdlStatement *st)
{
	int			cap = 0;

	st->kind = DDL_RENAME_TABLE;
	parse_if_exists(p, &st->if_exists);
	do
	{
		DdlName    *from = APPEND(p, st->names, st->nnames, cap);
		DdlName    *to;

		if (from == NULL || !parse_table_name(p, from) || !parse_wait(p) ||
			!expect_kw(p, "TO"))
			return false;
		to = APPEND(p, st->names, st->nnames, cap);
		if (to == NULL || !parse_table_name(p, to))
			return false;
	} while (accept_op(p, ","));
	return true;
}

/* DROP TABLE[S] [IF EXISTS] a, b [WAIT n] [RESTRICT|CASCADE] */
static bool
parse_drop_table(Parser *p, DdlStatement *st)
{
	int			cap = 0;

	st->kind = DDL_DROP_TABLE;
	parse_if_exists(p, &st->if_exists);
	do
	{
		DdlName    *name = APPEND(p, st->names, st->nnames, cap);

		if (name == NULL || !parse_table_name(p, name))
			return false;
	} while (accept_op(p, ","));
	if (!parse_wait(p))
		return false;
	if (!accept_kw(p, "RESTRICT"))
		accept_kw(p, "CASCADE");
	return true;
}

/* ---- statements recognised from their first words ---- */

/*
 * Objects whose statements are skipped, with what CREATE, ALTER and DROP
 * of each is called (NULL where the statement does not exist).
 */
typedef struct SkipObject
{
	const char *word;
	const char *word2;			/* a second word, or NULL */
	const char *create;
	const char *alter;
	const char *drop;
} SkipObject;

static const SkipObject skip_objects[] = {
	{"USER", NULL, "CREATE USER", "ALTER USER", "DROP USER"},
	{"ROLE", NULL, "CREATE ROLE", NULL, "DROP ROLE"},
	{"VIEW", NULL, "CREATE VIEW", "ALTER VIEW", "DROP VIEW"},
	{"PROCEDURE", NULL, "CREATE PROCEDURE", "ALTER PROCEDURE",
	"DROP PROCEDURE"},
	{"FUNCTION", NULL, "CREATE FUNCTION", "ALTER FUNCTION", "DROP FUNCTION"},
	{"TRIGGER", NULL, "CREATE TRIGGER", NULL, "DROP TRIGGER"},
	{"EVENT", NULL, "CREATE EVENT", "ALTER EVENT", "DROP EVENT"},
	{"PACKAGE", NULL, "CREATE PACKAGE", NULL, "DROP PACKAGE"},
	{"SERVER", NULL, "CREATE SERVER", "ALTER SERVER", "DROP SERVER"},
	{"TABLESPACE", NULL, "CREATE TABLESPACE", "ALTER TABLESPACE",
	"DROP TABLESPACE"},
	{"UNDO", "TABLESPACE", "CREATE TABLESPACE", "ALTER TABLESPACE",
	"DROP TABLESPACE"},
	{"LOGFILE", "GROUP", "CREATE LOGFILE GROUP", "ALTER LOGFILE GROUP",
	"DROP LOGFILE GROUP"},
	{"RESOURCE", "GROUP", "CREATE RESOURCE GROUP", "ALTER RESOURCE GROUP",
	"DROP RESOURCE GROUP"}
};

/*
 * The skipped object the next words name, for verb 'C'reate, 'A'lter or
 * 'D'rop; NULL when they name none.  Also reads the clauses that may come
 * before a view, routine or event: ALGORITHM = x, DEFINER = user,
 * SQL SECURITY x, AGGREGATE.
 */
static const char *
skip_object_what(Parser *p, char verb)
{
	size_t		i;

	for (;;)
	{
		if (peek_kw(p, 0, "ALGORITHM") && is_op(peek_at(p, 1), "="))
			p->pos += 3;
		else if (peek_kw(p, 0, "SQL") && peek_kw(p, 1, "SECURITY"))
			p->pos += 3;
		else if (accept_kw(p, "AGGREGATE"))
			continue;
		else if (peek_kw(p, 0, "DEFINER") && is_op(peek_at(p, 1), "="))
		{
			/* a user in any of its spellings, up to the next keyword */
			p->pos += 2;
			while (!at_end(p) && !peek_kw(p, 0, "SQL") &&
				   !peek_kw(p, 0, "VIEW") && !peek_kw(p, 0, "FUNCTION") &&
				   !peek_kw(p, 0, "PROCEDURE") && !peek_kw(p, 0, "TRIGGER") &&
				   !peek_kw(p, 0, "EVENT") && !peek_kw(p, 0, "AGGREGATE") &&
				   !peek_kw(p, 0, "PACKAGE") && !peek_kw(p, 0, "ALGORITHM"))
				p->pos++;
		}
		else
			break;
	}
	for (i = 0; i < sizeof(skip_objects) / sizeof(skip_objects[0]); i++)
	{
		const SkipObject *o = &skip_objects[i];

		if (peek_kw(p, 0, o->word) &&
			(o->word2 == NULL || peek_kw(p, 1, o->word2)))
			return verb == 'C' ? o->create : verb == 'A' ? o->alter : o->drop;
	}
	return NULL;
}

static bool
skip_statement(Parser *p, DdlStatement *st, const char *what)
{
	st->kind = DDL_SKIP;
	st->what = what;
	p->skipped = true;
	return true;
}

/*
 * An error for a statement this parser does not handle, named by its
 * first word, or first two for the verbs that take an object.
 */
static bool
unsupported(Parser *p)
{
	static const char *const verbs[] = {
		"CREATE", "ALTER", "DROP", "RENAME", "SET", "XA", "LOCK", "LOAD"
	};
	char		name[100];
	size_t		n = 0;
	int			words = 1;
	int			skip = 0;
	int			k;
	size_t		i;

	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (is_kw(token_at(p, 0), verbs[i]))
			words = 2;
	/* the words are read from the statement's start */
	p->pos = 0;
	if (peek_kw(p, 1, "OR") && peek_kw(p, 2, "REPLACE"))
		skip = 2;				/* CREATE OR REPLACE x is named CREATE x */
	for (k = 0; k < words; k++)
	{
		DdlLexToken *t = peek_at(p, k == 0 ? 0 : k + skip);

		if (t->tok.kind != DDL_TOKEN_WORD || t->eof)
			break;
		if (k > 0 && n < sizeof(name) - 1)
			name[n++] = ' ';
		for (i = 0; i < t->tok.len && n < sizeof(name) - 1 && i < 40; i++)
		{
			char		c = t->tok.text[i];

			name[n++] = (c >= 'a' && c <= 'z') ? (char) (c - 'a' + 'A') : c;
		}
	}
	name[n] = '\0';
	return fail(p, 0, "unsupported statement \"%s\"", name);
}

/* CREATE, from after it. */
static bool
parse_create(Parser *p, DdlStatement *st)
{
	const char *what;

	if (peek_kw(p, 0, "OR"))
	{
		p->pos++;
		if (!expect_kw(p, "REPLACE"))
			return false;
		st->or_replace = true;
	}
	if (accept_kw(p, "DATABASE") || accept_kw(p, "SCHEMA"))
		return parse_create_schema(p, st);
	if (accept_kw(p, "TEMPORARY"))
	{
		if (!peek_kw(p, 0, "TABLE"))
			return syntax_error(p);
		return skip_statement(p, st, "CREATE TEMPORARY TABLE");
	}
	if (accept_kw(p, "TABLE"))
		return parse_create_table(p, st);
	if (!accept_kw(p, "ONLINE"))
		accept_kw(p, "OFFLINE");
	if (peek_kw(p, 0, "INDEX") || peek_kw(p, 0, "UNIQUE") ||
		peek_kw(p, 0, "FULLTEXT") || peek_kw(p, 0, "SPATIAL"))
		return parse_create_index(p, st);
	what = skip_object_what(p, 'C');
	if (what == NULL)
		return unsupported(p);
	return skip_statement(p, st, what);
}

/* ALTER, from after it. */
static bool
parse_alter(Parser *p, DdlStatement *st)
{
	const char *what;

	if (accept_kw(p, "DATABASE") || accept_kw(p, "SCHEMA"))
		return skip_statement(p, st, "ALTER DATABASE");
	if (!accept_kw(p, "ONLINE"))
		accept_kw(p, "OFFLINE");
	accept_kw(p, "IGNORE");
	if (accept_kw(p, "TABLE"))
		return parse_alter_table(p, st);
	what = skip_object_what(p, 'A');
	if (what == NULL)
		return unsupported(p);
	return skip_statement(p, st, what);
}

/* DROP, from after it. */
static bool
parse_drop(Parser *p, DdlStatement *st)
{
	const char *what;

	if (accept_kw(p, "DATABASE") || accept_kw(p, "SCHEMA"))
	{
		st->kind = DDL_DROP_SCHEMA;
		parse_if_exists(p, &st->if_exists);
		return parse_ident(p, &st->schema);
	}
	if (accept_kw(p, "TEMPORARY"))
	{
		/* temporary tables are not replicated when the source logs rows */
		if (!peek_kw(p, 0, "TABLE") && !peek_kw(p, 0, "TABLES"))
			return syntax_error(p);
		return skip_statement(p, st, "DROP TEMPORARY TABLE");
	}
	if (accept_kw(p, "TABLE") || accept_kw(p, "TABLES"))
		return parse_drop_table(p, st);
	if (!accept_kw(p, "ONLINE"))
		accept_kw(p, "OFFLINE");
	if (accept_kw(p, "INDEX"))
	{
		st->kind = DDL_DROP_INDEX;
		parse_if_exists(p, &st->if_exists);
		return parse_ident(p, &st->index_name) &&
			expect_kw(p, "ON") &&
			parse_table_name(p, &st->table) &&
			parse_algorithm_lock(p);
	}
	what = skip_object_what(p, 'D');
	if (what == NULL)
		return unsupported(p);
	return skip_statement(p, st, what);
}

/* The statement: dispatch on its first words. */
static bool
parse_statement(Parser *p, DdlStatement *st)
{
	DdlLexToken *t = peek(p);

	if (p->failed)
		return false;
	if (t->eof || is_op(t, ";"))
		return fail(p, t->start, "empty statement");
	if (t->tok.kind != DDL_TOKEN_WORD)
		return syntax_error(p);
	p->pos++;

	if (is_kw(t, "CREATE"))
		return parse_create(p, st);
	if (is_kw(t, "ALTER"))
		return parse_alter(p, st);
	if (is_kw(t, "DROP"))
		return parse_drop(p, st);
	if (is_kw(t, "RENAME"))
	{
		if (accept_kw(p, "TABLE") || accept_kw(p, "TABLES"))
			return parse_rename_table(p, st);
		if (peek_kw(p, 0, "USER"))
			return skip_statement(p, st, "RENAME USER");
		return unsupported(p);
	}
	if (is_kw(t, "TRUNCATE"))
	{
		st->kind = DDL_TRUNCATE;
		accept_kw(p, "TABLE");
		return parse_table_name(p, &st->table) && parse_wait(p);
	}

	/* statements that change neither data nor a table's shape */
	if (is_kw(t, "GRANT"))
		return skip_statement(p, st, "GRANT");
	if (is_kw(t, "REVOKE"))
		return skip_statement(p, st, "REVOKE");
	if (is_kw(t, "FLUSH"))
		return skip_statement(p, st, "FLUSH");
	if (is_kw(t, "SAVEPOINT"))
		return skip_statement(p, st, "SAVEPOINT");
	if (is_kw(t, "RELEASE") && peek_kw(p, 0, "SAVEPOINT"))
		return skip_statement(p, st, "RELEASE SAVEPOINT");
	if (is_kw(t, "ANALYZE"))
		return skip_statement(p, st, "ANALYZE TABLE");
	if (is_kw(t, "OPTIMIZE"))
		return skip_statement(p, st, "OPTIMIZE TABLE");
	if (is_kw(t, "REPAIR"))
		return skip_statement(p, st, "REPAIR TABLE");
	if (is_kw(t, "CHECK") && peek_kw(p, 0, "TABLE"))
		return skip_statement(p, st, "CHECK TABLE");
	if (is_kw(t, "CHECKSUM") && peek_kw(p, 0, "TABLE"))
		return skip_statement(p, st, "CHECKSUM TABLE");
	if (is_kw(t, "SET") && peek_kw(p, 0, "PASSWORD"))
		return skip_statement(p, st, "SET PASSWORD");
	if (is_kw(t, "SET") && peek_kw(p, 0, "DEFAULT") && peek_kw(p, 1, "ROLE"))
		return skip_statement(p, st, "SET DEFAULT ROLE");
	if (is_kw(t, "INSTALL") || is_kw(t, "UNINSTALL"))
	{
		bool		install = is_kw(t, "INSTALL");

		if (peek_kw(p, 0, "PLUGIN"))
			return skip_statement(p, st, install ? "INSTALL PLUGIN" :
								  "UNINSTALL PLUGIN");
		if (peek_kw(p, 0, "SONAME"))
			return skip_statement(p, st, install ? "INSTALL SONAME" :
								  "UNINSTALL SONAME");
		if (peek_kw(p, 0, "COMPONENT"))
			return skip_statement(p, st, install ? "INSTALL COMPONENT" :
								  "UNINSTALL COMPONENT");
	}
	return unsupported(p);
}

DdlStatement *
ddl_parse(const char *sql, size_t len, uint64_t sql_mode, DdlError *err)
{
	DdlArena   *arena;
	DdlStatement *st;
	Parser		p;
	bool		ok;

	err->offset = 0;
	err->message[0] = '\0';
	if (sql == NULL)
	{
		sql = "";
		len = 0;
	}
	arena = ddl_arena_create();
	st = arena ? ddl_arena_alloc(arena, sizeof(DdlStatement)) : NULL;
	if (st == NULL)
	{
		ddl_arena_destroy(arena);
		snprintf(err->message, sizeof(err->message), "out of memory");
		return NULL;
	}

	memset(&p, 0, sizeof(p));
	p.sql = sql;
	p.len = len;
	p.arena = arena;
	p.err = err;
	p.eof_token.eof = true;
	p.eof_token.tok.kind = DDL_TOKEN_OPERATOR;
	p.eof_token.tok.text = "";
	p.eof_token.start = p.eof_token.end = len;
	ddl_lexer_init(&p.lexer, sql, len, sql_mode, arena);

	ok = parse_statement(&p, st);

	/* after all but a skipped statement: an optional ';', then nothing */
	if (ok && !p.skipped)
	{
		accept_op(&p, ";");
		if (!peek(&p)->eof)
			ok = syntax_error(&p);
	}
	if (!ok || p.failed)
	{
		if (!p.failed)
			fail(&p, peek(&p)->start, "syntax error");
		ddl_arena_destroy(arena);
		return NULL;
	}
	st->arena = arena;
	return st;
}

void
ddl_free(DdlStatement *stmt)
{
	/* the statement lives in its own arena */
	if (stmt != NULL)
		ddl_arena_destroy(stmt->arena);
}

const char *
ddl_type_name(DdlTypeId id)
{
	switch (id)
	{
		case DDL_TYPE_TINYINT:
			return "TINYINT";
		case DDL_TYPE_SMALLINT:
			return "SMALLINT";
		case DDL_TYPE_MEDIUMINT:
			return "MEDIUMINT";
		case DDL_TYPE_INT:
			return "INT";
		case DDL_TYPE_BIGINT:
			return "BIGINT";
		case DDL_TYPE_DECIMAL:
			return "DECIMAL";
		case DDL_TYPE_FLOAT:
			return "FLOAT";
		case DDL_TYPE_DOUBLE:
			return "DOUBLE";
		case DDL_TYPE_BIT:
			return "BIT";
		case DDL_TYPE_DATE:
			return "DATE";
		case DDL_TYPE_DATETIME:
			return "DATETIME";
		case DDL_TYPE_TIMESTAMP:
			return "TIMESTAMP";
		case DDL_TYPE_TIME:
			return "TIME";
		case DDL_TYPE_YEAR:
			return "YEAR";
		case DDL_TYPE_CHAR:
			return "CHAR";
		case DDL_TYPE_VARCHAR:
			return "VARCHAR";
		case DDL_TYPE_BINARY:
			return "BINARY";
		case DDL_TYPE_VARBINARY:
			return "VARBINARY";
		case DDL_TYPE_TINYTEXT:
			return "TINYTEXT";
		case DDL_TYPE_TEXT:
			return "TEXT";
		case DDL_TYPE_MEDIUMTEXT:
			return "MEDIUMTEXT";
		case DDL_TYPE_LONGTEXT:
			return "LONGTEXT";
		case DDL_TYPE_TINYBLOB:
			return "TINYBLOB";
		case DDL_TYPE_BLOB:
			return "BLOB";
		case DDL_TYPE_MEDIUMBLOB:
			return "MEDIUMBLOB";
		case DDL_TYPE_LONGBLOB:
			return "LONGBLOB";
		case DDL_TYPE_ENUM:
			return "ENUM";
		case DDL_TYPE_SET:
			return "SET";
		case DDL_TYPE_JSON:
			return "JSON";
		case DDL_TYPE_GEOMETRY:
			return "GEOMETRY";
		case DDL_TYPE_VECTOR:
			return "VECTOR";
		case DDL_TYPE_UUID:
			return "UUID";
		case DDL_TYPE_INET4:
			return "INET4";
		case DDL_TYPE_INET6:
			return "INET6";
	}
	return "UNKNOWN";
}
