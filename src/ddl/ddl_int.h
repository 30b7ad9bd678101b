/*-------------------------------------------------------------------------
 *
 * ddl_int.h
 *	  What the lexer and the parser of MySQL's DDL share: the arena every
 *	  node is allocated from, and the lexer's tokens.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MYSQL_REPLICA_DDL_INT_H
#define MYSQL_REPLICA_DDL_INT_H

#include "ddl.h"

/*
 * An arena: a list of malloc'd blocks handed out in aligned pieces and
 * freed all at once.  Allocation never aborts; it returns NULL when malloc
 * does.  The arena is private to one parse, so it needs no locking.
 */
typedef struct DdlArena DdlArena;

extern DdlArena *ddl_arena_create(void);
extern void ddl_arena_destroy(DdlArena *arena);

/* size zeroed bytes, aligned for any type; NULL when out of memory */
extern void *ddl_arena_alloc(DdlArena *arena, size_t size);

/* A NUL-terminated copy of len bytes; NULL when out of memory. */
extern char *ddl_arena_strndup(DdlArena *arena, const char *s, size_t len);

/*
 * A token as the lexer returns it: the public DdlToken (kind, unquoted and
 * unescaped text, introducer) plus where it was found.  start and end are
 * byte offsets into the statement; for a string that concatenates adjacent
 * literals they span all of them.  At the end of the statement eof is
 * set, kind is DDL_TOKEN_OPERATOR and text is "".
 */
typedef struct DdlLexToken
{
	DdlToken	tok;
	bool		eof;
	size_t		start;
	size_t		end;
} DdlLexToken;

/*
 * The lexer's state.  It reads the statement one token at a time, so that
 * statements recognised from their first words (routine bodies, say) are
 * never read further.
 */
typedef struct DdlLexer
{
	const char *sql;
	size_t		len;
	size_t		pos;			/* next byte to read */
	uint64_t	sql_mode;
	DdlArena   *arena;
	bool		in_versioned;	/* inside a versioned comment's text */
	size_t		versioned_start;	/* where that comment began */
} DdlLexer;

extern void ddl_lexer_init(DdlLexer *lexer, const char *sql, size_t len,
						   uint64_t sql_mode, DdlArena *arena);

/*
 * Read the next token into *out.  Returns false with err filled in when
 * the text cannot be tokenized (an unterminated string, identifier or
 * comment, a malformed hex or bit literal) or memory runs out.
 */
extern bool ddl_lexer_next(DdlLexer *lexer, DdlLexToken *out, DdlError *err);

/* ASCII case-insensitive comparison of a NUL-terminated s with len bytes. */
extern bool ddl_word_equals(const char *word, size_t len, const char *s);

#endif							/* MYSQL_REPLICA_DDL_INT_H */
