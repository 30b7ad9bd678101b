/*-------------------------------------------------------------------------
 *
 * lexer.c
 *	  Tokenizer of MySQL's SQL text, and the arena the DDL parser allocates
 *	  from.
 *
 * The lexer follows MySQL's rules for what it reads: backquoted
 * identifiers (and double-quoted ones under ANSI_QUOTES), single- and
 * double-quoted strings with backslash escapes (unless
 * NO_BACKSLASH_ESCAPES) and doubled quotes, adjacent string literals
 * joined into one, character set introducers, N'', X'' and 0x, B'' and
 * 0b literals, numbers, identifiers that begin with a digit, and the three
 * kinds of comment.  Versioned comments, slash-star-bang with an optional
 * version number (and MariaDB's slash-star-M-bang), are read as part of
 * the statement whatever their version, as a server recent enough would.
 *
 * Strings in a character set whose multibyte characters may contain the
 * byte of a backslash or a quote (big5, cp932, gbk, sjis) are not
 * supported: such a byte is read as the ASCII character it looks like.
 *
 *-------------------------------------------------------------------------
 */
#include "ddl_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- arena ---- */

/* Every piece handed out is aligned to this, enough for any C type. */
#define ARENA_ALIGN		16
#define ARENA_BLOCK		8192

typedef struct DdlArenaBlock
{
	struct DdlArenaBlock *next;
	size_t		size;			/* bytes usable after the header */
	size_t		used;
} DdlArenaBlock;

struct DdlArena
{
	DdlArenaBlock *blocks;		/* the newest first */
};

#define ALIGN_UP(n)	(((n) + ARENA_ALIGN - 1) & ~((size_t) ARENA_ALIGN - 1))
#define BLOCK_DATA(b)	((char *) (b) + ALIGN_UP(sizeof(DdlArenaBlock)))

/* A new, empty arena; NULL when out of memory. */
DdlArena *
ddl_arena_create(void)
{
	return calloc(1, sizeof(DdlArena));
}

/* Free the arena and everything allocated from it. */
void
ddl_arena_destroy(DdlArena *arena)
{
	DdlArenaBlock *b;

	if (arena == NULL)
		return;
	b = arena->blocks;
	while (b != NULL)
	{
		DdlArenaBlock *next = b->next;

		free(b);
		b = next;
	}
	free(arena);
}

/*
 * size zeroed bytes from the arena.  Pieces come from the newest block
 * while it has room; a request larger than a block gets a block of its
 * own, put behind the newest so that the newest keeps its free space.
 */
void *
ddl_arena_alloc(DdlArena *arena, size_t size)
{
	DdlArenaBlock *b = arena->blocks;
	size_t		need = ALIGN_UP(size == 0 ? 1 : size);
	char	   *mem;

	if (need < size)
		return NULL;
	if (b == NULL || b->size - b->used < need)
	{
		size_t		data = need > ARENA_BLOCK / 2 ? need : ARENA_BLOCK;
		size_t		total = ALIGN_UP(sizeof(DdlArenaBlock)) + data;

		if (total < data)
			return NULL;
		b = malloc(total);
		if (b == NULL)
			return NULL;
		b->size = data;
		b->used = 0;
		if (data > ARENA_BLOCK && arena->blocks != NULL)
		{
			b->next = arena->blocks->next;
			arena->blocks->next = b;
		}
		else
		{
			b->next = arena->blocks;
			arena->blocks = b;
		}
	}
	mem = BLOCK_DATA(b) + b->used;
	b->used += need;
	memset(mem, 0, size);
	return mem;
}

/* A NUL-terminated copy of len bytes of s. */
char *
ddl_arena_strndup(DdlArena *arena, const char *s, size_t len)
{
	char	   *copy;

	if (len + 1 == 0)
		return NULL;
	copy = ddl_arena_alloc(arena, len + 1);
	if (copy == NULL)
		return NULL;
	if (len > 0)
		memcpy(copy, s, len);
	copy[len] = '\0';
	return copy;
}

/* ---- character classes ---- */

static int
ascii_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

bool
ddl_word_equals(const char *word, size_t len, const char *s)
{
	size_t		i;

	for (i = 0; i < len; i++)
	{
		if (s[i] == '\0' ||
			ascii_lower((unsigned char) word[i]) !=
			ascii_lower((unsigned char) s[i]))
			return false;
	}
	return s[len] == '\0';
}

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool
is_hex_digit(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/*
 * Bytes an unquoted identifier is made of: letters, digits, '_', '$' and
 * every byte of a multibyte UTF-8 (or other) character.
 */
static bool
is_ident_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		is_digit(c) || c == '_' || c == '$' || c >= 0x80;
}

static bool
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
		c == '\v';
}

/*
 * Character sets an introducer may name (_utf8mb4'x'), from the union of
 * MySQL's and MariaDB's lists.  A word that starts with '_' and names none
 * of them is an identifier, as it is for the server.
 */
static const char *const charsets[] = {
	"armscii8", "ascii", "big5", "binary", "cp1250", "cp1251", "cp1256",
	"cp1257", "cp850", "cp852", "cp866", "cp932", "dec8", "eucjpms",
	"euckr", "filename", "gb18030", "gb2312", "gbk", "geostd8", "greek",
	"hebrew", "hp8", "keybcs2", "koi8r", "koi8u", "latin1", "latin2",
	"latin5", "latin7", "macce", "macroman", "sjis", "swe7", "tis620",
	"ucs2", "ujis", "utf16", "utf16le", "utf32", "utf8", "utf8mb3",
	"utf8mb4"
};

static bool
is_charset_name(const char *s, size_t len)
{
	size_t		i;

	for (i = 0; i < sizeof(charsets) / sizeof(charsets[0]); i++)
		if (ddl_word_equals(s, len, charsets[i]))
			return true;
	return false;
}

/* ---- lexer ---- */

void
ddl_lexer_init(DdlLexer *lexer, const char *sql, size_t len,
			   uint64_t sql_mode, DdlArena *arena)
{
	memset(lexer, 0, sizeof(*lexer));
	lexer->sql = sql;
	lexer->len = len;
	lexer->sql_mode = sql_mode;
	lexer->arena = arena;
}

static bool
lex_error(DdlError *err, size_t offset, const char *message)
{
	err->offset = offset;
	strncpy(err->message, message, sizeof(err->message) - 1);
	err->message[sizeof(err->message) - 1] = '\0';
	return false;
}

static bool
out_of_memory(DdlLexer *lexer, DdlError *err)
{
	return lex_error(err, lexer->pos, "out of memory");
}

/*
 * Skip white space and comments, and step into and out of versioned
 * comments, whose markers count as white space.  Returns false with err
 * set for a comment that does not end.
 */
static bool
skip_space(DdlLexer *lx, DdlError *err)
{
	const char *s = lx->sql;

	while (lx->pos < lx->len)
	{
		unsigned char c = (unsigned char) s[lx->pos];
		size_t		rest = lx->len - lx->pos;

		if (is_space(c))
			lx->pos++;
		else if (c == '#' ||
				 (c == '-' && rest >= 2 && s[lx->pos + 1] == '-' &&
				  (rest == 2 || (unsigned char) s[lx->pos + 2] <= ' ')))
		{
			/* a comment to the end of the line */
			while (lx->pos < lx->len && s[lx->pos] != '\n')
				lx->pos++;
		}
		else if (c == '/' && rest >= 2 && s[lx->pos + 1] == '*')
		{
			size_t		start = lx->pos;
			size_t		marker = 0;

			if (rest >= 3 && s[lx->pos + 2] == '!')
				marker = 3;
			else if (rest >= 4 && s[lx->pos + 2] == 'M' &&
					 s[lx->pos + 3] == '!')
				marker = 4;

			if (marker > 0 && !lx->in_versioned)
			{
				/*
				 * A versioned comment: its text is part of the statement.
				 * Skip the marker and the version (five digits in MySQL,
				 * six in MariaDB).
				 */
				int			digits = 0;

				lx->pos += marker;
				while (digits < 6 && lx->pos < lx->len &&
					   is_digit((unsigned char) s[lx->pos]))
				{
					lx->pos++;
					digits++;
				}
				lx->in_versioned = true;
				lx->versioned_start = start;
				continue;
			}

			/* an ordinary comment, also inside a versioned one */
			lx->pos += 2;
			for (;;)
			{
				if (lx->len - lx->pos < 2)
					return lex_error(err, start, "unterminated comment");
				if (s[lx->pos] == '*' && s[lx->pos + 1] == '/')
					break;
				lx->pos++;
			}
			lx->pos += 2;
		}
		else if (c == '*' && lx->in_versioned && rest >= 2 &&
				 s[lx->pos + 1] == '/')
		{
			/* the end of a versioned comment */
			lx->pos += 2;
			lx->in_versioned = false;
		}
		else
			break;
	}
	return true;
}

/*
 * Read a quoted text starting at the quote character at lx->pos into buf
 * (which has room for the raw length), unescaping a doubled quote and,
 * when escapes is true, backslash sequences.  Sets *outlen and moves pos
 * past the closing quote; false if there is none.
 */
static bool
read_quoted(DdlLexer *lx, bool escapes, char *buf, size_t *outlen)
{
	const char *s = lx->sql;
	char		quote = s[lx->pos];
	size_t		n = 0;
	size_t		i = lx->pos + 1;

	while (i < lx->len)
	{
		char		c = s[i];

		if (c == quote)
		{
			if (i + 1 < lx->len && s[i + 1] == quote)
			{
				buf[n++] = quote;
				i += 2;
				continue;
			}
			lx->pos = i + 1;
			*outlen = n;
			buf[n] = '\0';
			return true;
		}
		if (c == '\\' && escapes && i + 1 < lx->len)
		{
			char		e = s[i + 1];

			switch (e)
			{
				case '0':
					buf[n++] = '\0';
					break;
				case 'b':
					buf[n++] = '\b';
					break;
				case 'n':
					buf[n++] = '\n';
					break;
				case 'r':
					buf[n++] = '\r';
					break;
				case 't':
					buf[n++] = '\t';
					break;
				case 'Z':
					buf[n++] = '\032';
					break;
				case '%':
				case '_':
					/* kept escaped: they are LIKE patterns' escapes */
					buf[n++] = '\\';
					buf[n++] = e;
					break;
				default:
					buf[n++] = e;
					break;
			}
			i += 2;
			continue;
		}
		buf[n++] = c;
		i++;
	}
	return false;
}

/* Is the character at pos the start of a string literal? */
static bool
at_string_quote(const DdlLexer *lx)
{
	if (lx->pos >= lx->len)
		return false;
	if (lx->sql[lx->pos] == '\'')
		return true;
	return lx->sql[lx->pos] == '"' &&
		!(lx->sql_mode & DDL_MODE_ANSI_QUOTES);
}

/*
 * Find the quote that closes the quoted text whose opening quote is at
 * pos, skipping doubled quotes and, when escapes is true, backslash
 * sequences.  Sets *close to its offset; false if there is none.
 */
static bool
find_close_quote(const DdlLexer *lx, size_t pos, bool escapes, size_t *close)
{
	const char *s = lx->sql;
	char		quote = s[pos];
	size_t		i = pos + 1;

	while (i < lx->len)
	{
		if (s[i] == quote)
		{
			if (i + 1 < lx->len && s[i + 1] == quote)
			{
				i += 2;
				continue;
			}
			*close = i;
			return true;
		}
		if (s[i] == '\\' && escapes && i + 1 < lx->len)
			i++;
		i++;
	}
	return false;
}

/*
 * Step from a string literal's end past white space to the next literal
 * adjacent to it ('a' 'b' is 'ab'); false, with the position unchanged,
 * when there is none.
 */
static bool
next_adjacent_string(DdlLexer *lx)
{
	size_t		save_pos = lx->pos;
	bool		save_versioned = lx->in_versioned;
	DdlError	ignored;

	if (skip_space(lx, &ignored) && at_string_quote(lx))
		return true;
	lx->pos = save_pos;
	lx->in_versioned = save_versioned;
	return false;
}

/*
 * Read a string literal at pos and every literal adjacent to it, joined,
 * into out.  A first pass finds the literals and sizes the text, a second
 * unescapes them into it.
 */
static bool
lex_string(DdlLexer *lx, DdlLexToken *out, DdlError *err)
{
	bool		escapes = !(lx->sql_mode & DDL_MODE_NO_BACKSLASH_ESCAPES);
	size_t		start = lx->pos;
	bool		start_versioned = lx->in_versioned;
	size_t		raw = 0;
	size_t		total = 0;
	char	   *buf;

	do
	{
		size_t		close;

		if (!find_close_quote(lx, lx->pos, escapes, &close))
			return lex_error(err, lx->pos, "unterminated quoted string");
		raw += close - lx->pos;
		lx->pos = close + 1;
	} while (next_adjacent_string(lx));

	buf = ddl_arena_alloc(lx->arena, raw + 1);
	if (buf == NULL)
		return out_of_memory(lx, err);
	lx->pos = start;
	lx->in_versioned = start_versioned;
	do
	{
		size_t		n = 0;

		read_quoted(lx, escapes, buf + total, &n);
		total += n;
		out->end = lx->pos;
	} while (next_adjacent_string(lx));

	out->tok.kind = DDL_TOKEN_STRING;
	out->tok.text = buf;
	out->tok.len = total;
	out->start = start;
	return true;
}

/*
 * Read X'..' or B'..' with the quote at pos: the digits only, checked.
 * A hex literal in quotes must have an even number of digits.
 */
static bool
lex_quoted_digits(DdlLexer *lx, bool hex, size_t start, DdlLexToken *out,
				  DdlError *err)
{
	const char *s = lx->sql;
	size_t		i = lx->pos + 1;
	size_t		from = i;

	while (i < lx->len && s[i] != '\'')
	{
		int			c = (unsigned char) s[i];

		if (hex ? !is_hex_digit(c) : (c != '0' && c != '1'))
			return lex_error(err, start, hex ?
							 "invalid hexadecimal literal" :
							 "invalid bit literal");
		i++;
	}
	if (i >= lx->len)
		return lex_error(err, start, "unterminated quoted string");
	if (hex && (i - from) % 2 != 0)
		return lex_error(err, start, "invalid hexadecimal literal");
	out->tok.kind = hex ? DDL_TOKEN_HEX : DDL_TOKEN_BITS;
	out->tok.text = ddl_arena_strndup(lx->arena, s + from, i - from);
	if (out->tok.text == NULL)
		return out_of_memory(lx, err);
	out->tok.len = i - from;
	lx->pos = i + 1;
	out->start = start;
	out->end = lx->pos;
	return true;
}

/*
 * Read a number starting at pos (a digit, or a '.' before a digit) whose
 * leading run of identifier bytes ends at run_end and is all digits, or
 * empty: digits, an optional fraction, an optional exponent.
 */
static void
scan_number(DdlLexer *lx, size_t run_end)
{
	const char *s = lx->sql;
	size_t		i = run_end;

	if (i < lx->len && s[i] == '.')
	{
		i++;
		while (i < lx->len && is_digit((unsigned char) s[i]))
			i++;
	}
	if (i < lx->len && (s[i] == 'e' || s[i] == 'E'))
	{
		size_t		j = i + 1;

		if (j < lx->len && (s[j] == '+' || s[j] == '-'))
			j++;
		if (j < lx->len && is_digit((unsigned char) s[j]))
		{
			while (j < lx->len && is_digit((unsigned char) s[j]))
				j++;
			i = j;
		}
	}
	lx->pos = i;
}

/*
 * A run of identifier bytes from pos to end that starts with a digit: a
 * number, 0x or 0b literal, or an identifier such as 1abc.  Fills the kind
 * and moves pos; the caller copies the text.
 */
static void
classify_digit_run(DdlLexer *lx, size_t end, DdlLexToken *out)
{
	const char *s = lx->sql;
	size_t		start = lx->pos;
	size_t		n = end - start;
	size_t		i;
	bool		all = true;

	for (i = start; i < end && all; i++)
		all = is_digit((unsigned char) s[i]);
	if (all)
	{
		out->tok.kind = DDL_TOKEN_NUMBER;
		scan_number(lx, end);
		return;
	}
	if (n > 2 && s[start] == '0' && (s[start + 1] == 'x' || s[start + 1] == 'b'))
	{
		bool		hex = s[start + 1] == 'x';

		all = true;
		for (i = start + 2; i < end && all; i++)
			all = hex ? is_hex_digit((unsigned char) s[i]) :
				(s[i] == '0' || s[i] == '1');
		if (all)
		{
			out->tok.kind = hex ? DDL_TOKEN_HEX : DDL_TOKEN_BITS;
			lx->pos = end;
			return;
		}
	}

	/* 1e10, 2E5: digits, an e and digits make a number */
	for (i = start; i < end && is_digit((unsigned char) s[i]); i++)
		;
	if (i < end && (s[i] == 'e' || s[i] == 'E'))
	{
		size_t		j = i + 1;
		bool		digits_after = j < end;

		for (; j < end && digits_after; j++)
			digits_after = is_digit((unsigned char) s[j]);
		if (digits_after ||
			(i + 1 == end && end + 1 < lx->len &&
			 (s[end] == '+' || s[end] == '-') &&
			 is_digit((unsigned char) s[end + 1])))
		{
			out->tok.kind = DDL_TOKEN_NUMBER;
			lx->pos = i;
			scan_number(lx, i);
			return;
		}
	}
	out->tok.kind = DDL_TOKEN_WORD;
	lx->pos = end;
}

/*
 * After an introducer word (_utf8mb4) from start to end, read the literal
 * it introduces: a string, X'', B'', 0x or 0b.  Returns 1 with the literal
 * in out, 0 when no literal follows (the word is then an identifier, and
 * pos is left at start), -1 with err set when the literal is malformed.
 */
static int
lex_introduced(DdlLexer *lx, size_t start, size_t end, DdlLexToken *out,
			   DdlError *err)
{
	const char *s = lx->sql;
	DdlError	ignored;
	bool		was_versioned = lx->in_versioned;
	size_t		at;
	unsigned char d;

	lx->pos = end;
	if (!skip_space(lx, &ignored) || lx->pos >= lx->len)
		goto not_literal;
	at = lx->pos;
	d = (unsigned char) s[at];
	if (at_string_quote(lx))
	{
		if (!lex_string(lx, out, err))
			return -1;
	}
	else if ((d == 'x' || d == 'X' || d == 'b' || d == 'B') &&
			 at + 1 < lx->len && s[at + 1] == '\'')
	{
		lx->pos++;
		if (!lex_quoted_digits(lx, d == 'x' || d == 'X', at, out, err))
			return -1;
	}
	else if (d == '0')
	{
		size_t		e = at;

		while (e < lx->len && is_ident_char((unsigned char) s[e]))
			e++;
		classify_digit_run(lx, e, out);
		if (out->tok.kind != DDL_TOKEN_HEX && out->tok.kind != DDL_TOKEN_BITS)
			goto not_literal;
		out->tok.len = lx->pos - at - 2;
		out->tok.text = ddl_arena_strndup(lx->arena, s + at + 2,
										  out->tok.len);
		if (out->tok.text == NULL)
		{
			out_of_memory(lx, err);
			return -1;
		}
		out->end = lx->pos;
	}
	else
		goto not_literal;

	out->tok.introducer = ddl_arena_strndup(lx->arena, s + start,
											end - start);
	if (out->tok.introducer == NULL)
	{
		out_of_memory(lx, err);
		return -1;
	}
	out->start = start;
	return 1;

not_literal:
	memset(out, 0, sizeof(*out));
	out->start = start;
	lx->pos = start;
	lx->in_versioned = was_versioned;
	return 0;
}

/* Operators of more than one character, longest first. */
static const char *const operators[] = {
	"<=>", "->>", "<=", ">=", "<>", "!=", "||", "&&", "<<", ">>", ":=", "->"
};

bool
ddl_lexer_next(DdlLexer *lx, DdlLexToken *out, DdlError *err)
{
	const char *s = lx->sql;
	size_t		start;
	unsigned char c;
	size_t		i;

	memset(out, 0, sizeof(*out));
	if (!skip_space(lx, err))
		return false;
	start = lx->pos;
	out->start = start;

	/* the end, which must not be inside a versioned comment */
	if (lx->pos >= lx->len)
	{
		if (lx->in_versioned)
			return lex_error(err, lx->versioned_start, "unterminated comment");
		out->eof = true;
		out->tok.kind = DDL_TOKEN_OPERATOR;
		out->tok.text = "";
		out->end = start;
		return true;
	}
	c = (unsigned char) s[start];

	/* quoted identifiers */
	if (c == '`' || (c == '"' && (lx->sql_mode & DDL_MODE_ANSI_QUOTES)))
	{
		char	   *buf;
		size_t		close;
		size_t		n;

		if (!find_close_quote(lx, start, false, &close))
			return lex_error(err, start, "unterminated quoted identifier");
		buf = ddl_arena_alloc(lx->arena, close - start);
		if (buf == NULL)
			return out_of_memory(lx, err);
		read_quoted(lx, false, buf, &n);
		out->tok.kind = DDL_TOKEN_IDENT;
		out->tok.text = buf;
		out->tok.len = n;
		out->end = lx->pos;
		return true;
	}

	/* strings */
	if (at_string_quote(lx))
	{
		return lex_string(lx, out, err);
	}

	/* N'x', X'hex', B'bits' */
	if (lx->len - start >= 2 && s[start + 1] == '\'')
	{
		if (c == 'n' || c == 'N')
		{
			/* a national string is a string in utf8; no introducer kept */
			lx->pos++;
			if (!lex_string(lx, out, err))
				return false;
			out->start = start;
			return true;
		}
		if (c == 'x' || c == 'X' || c == 'b' || c == 'B')
		{
			lx->pos++;
			return lex_quoted_digits(lx, c == 'x' || c == 'X', start, out,
									 err);
		}
	}

	/*
	 * numbers that start with a point, unless the point qualifies the name
	 * written right before it (db.1t)
	 */
	if (c == '.' && lx->len - start >= 2 &&
		is_digit((unsigned char) s[start + 1]) &&
		(start == 0 || (!is_ident_char((unsigned char) s[start - 1]) &&
						s[start - 1] != '`' &&
						!(s[start - 1] == '"' &&
						  (lx->sql_mode & DDL_MODE_ANSI_QUOTES)))))
	{
		scan_number(lx, start);
		out->tok.kind = DDL_TOKEN_NUMBER;
		goto copy_text;
	}

	/* words, identifiers, numbers, 0x and 0b literals */
	if (is_ident_char(c))
	{
		size_t		end = start;

		while (end < lx->len && is_ident_char((unsigned char) s[end]))
			end++;
		if (is_digit(c))
		{
			classify_digit_run(lx, end, out);
			if (out->tok.kind == DDL_TOKEN_HEX ||
				out->tok.kind == DDL_TOKEN_BITS)
			{
				/* keep the digits only */
				out->tok.text = ddl_arena_strndup(lx->arena, s + start + 2,
												  lx->pos - start - 2);
				if (out->tok.text == NULL)
					return out_of_memory(lx, err);
				out->tok.len = lx->pos - start - 2;
				out->end = lx->pos;
				return true;
			}
			goto copy_text;
		}

		/* a character set introducer before a literal */
		if (c == '_' && is_charset_name(s + start + 1, end - start - 1))
		{
			int			r = lex_introduced(lx, start, end, out, err);

			if (r < 0)
				return false;
			if (r > 0)
				return true;
		}
		out->tok.kind = DDL_TOKEN_WORD;
		lx->pos = end;
		goto copy_text;
	}

	/* operators */
	out->tok.kind = DDL_TOKEN_OPERATOR;
	lx->pos = start + 1;
	for (i = 0; i < sizeof(operators) / sizeof(operators[0]); i++)
	{
		size_t		n = strlen(operators[i]);

		if (lx->len - start >= n && memcmp(s + start, operators[i], n) == 0)
		{
			lx->pos = start + n;
			break;
		}
	}

copy_text:
	out->tok.len = lx->pos - start;
	out->tok.text = ddl_arena_strndup(lx->arena, s + start, out->tok.len);
	if (out->tok.text == NULL)
		return out_of_memory(lx, err);
	out->end = lx->pos;
	return true;
}
