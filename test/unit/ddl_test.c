/*-------------------------------------------------------------------------
 *
 * ddl_test.c
 *	  Unit tests of the parser of MySQL's DDL (src/ddl).
 *
 * Usage: ddl_test [CORPUS_DIR [DATA_DIR]]
 *
 * Hand-written statements check the values of the tree: names, types,
 * lengths, flags, the tokens of defaults, key parts, ALTER clauses.  Then
 * every file of CORPUS_DIR (default ddl_corpus) is parsed: files under
 * ok/ must parse, and each file under error/ must fail with the message
 * fragment its first line names ("-- error: fragment").  Last, every
 * query event of the binlogs under DATA_DIR/mysql-binlogs (default
 * ../../../shared/data) that begins with a DDL verb must either parse or
 * fail with "unsupported statement"; without the directory those checks
 * are skipped with a message.  It prints one line per check and ends with
 * "N passed, N failed".
 *
 *-------------------------------------------------------------------------
 */
#define _POSIX_C_SOURCE 200809L

#include "binlog.h"
#include "check.h"
#include "ddl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ANSI	DDL_MODE_ANSI_QUOTES
#define NOBS	DDL_MODE_NO_BACKSLASH_ESCAPES

/* Parse sql under mode; a failure is reported as a failed check. */
static DdlStatement *
parse_mode(const char *sql, uint64_t mode)
{
	DdlError	err;
	DdlStatement *st = ddl_parse(sql, strlen(sql), mode, &err);

	if (st == NULL)
		check(false, "parse \"%s\": %s at %zu", sql, err.message,
			  err.offset);
	return st;
}

static DdlStatement *
parse(const char *sql)
{
	return parse_mode(sql, 0);
}

/* Check that sql fails with a message containing part. */
static void
check_error(const char *sql, const char *part)
{
	DdlError	err;
	DdlStatement *st = ddl_parse(sql, strlen(sql), 0, &err);

	check(st == NULL && strstr(err.message, part) != NULL,
		  "\"%s\" fails with \"%s\": %s", sql, part,
		  st ? "(parsed)" : err.message);
	ddl_free(st);
}

/* Check that sql fails at byte offset. */
static void
check_error_at(const char *sql, size_t offset)
{
	DdlError	err;
	DdlStatement *st = ddl_parse(sql, strlen(sql), 0, &err);

	check(st == NULL && err.offset == offset,
		  "\"%s\" fails at offset %zu (got %zu: %s)", sql, offset,
		  err.offset, st ? "(parsed)" : err.message);
	ddl_free(st);
}

/*
 * The tokens of an expression, space-separated, strings in quotes and
 * their introducer before them, hex as x'..', bits as b'..'.
 */
static const char *
expr_text(const DdlExpr *e)
{
	static char buf[1024];
	size_t		n = 0;

	buf[0] = '\0';
	if (e == NULL)
		return "(null)";
	for (int i = 0; i < e->ntokens && n < sizeof(buf) - 1; i++)
	{
		const DdlToken *t = &e->tokens[i];
		const char *fmt = "%s%s%s";

		if (t->kind == DDL_TOKEN_STRING)
			fmt = "%s%s'%s'";
		else if (t->kind == DDL_TOKEN_HEX)
			fmt = "%s%sx'%s'";
		else if (t->kind == DDL_TOKEN_BITS)
			fmt = "%s%sb'%s'";
		else if (t->kind == DDL_TOKEN_IDENT)
			fmt = "%s%s`%s`";
		n += snprintf(buf + n, sizeof(buf) - n, fmt, i ? " " : "",
					  t->introducer ? t->introducer : "", t->text);
	}
	return buf;
}

static bool
streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static const char *
str(const char *s)
{
	return s ? s : "(null)";
}

/* ---- lexer ---- */

/* The default of a one-column table created from "CREATE TABLE t (c ...)". */
static void
check_default(const char *coldef, uint64_t mode, const char *expected)
{
	char		sql[512];
	DdlStatement *st;

	snprintf(sql, sizeof(sql), "CREATE TABLE t (c %s)", coldef);
	st = parse_mode(sql, mode);
	if (st == NULL)
		return;
	check(st->ncolumns == 1 &&
		  streq(expr_text(st->columns[0].default_value), expected),
		  "%s: default is %s (got %s)", coldef, expected,
		  expr_text(st->columns[0].default_value));
	ddl_free(st);
}

static void
test_lexer(void)
{
	DdlStatement *st;

	/* string escapes and quoting */
	check_default("text DEFAULT 'a\\nb\\tc\\\\d'", 0, "'a\nb\tc\\d'");
	check_default("text DEFAULT 'it''s'", 0, "'it's'");
	check_default("text DEFAULT 'x\\'y'", 0, "'x'y'");
	check_default("text DEFAULT '100\\%'", 0, "'100\\%'");
	check_default("text DEFAULT 'a\\_b'", 0, "'a\\_b'");
	check_default("text DEFAULT 'a\\qb'", 0, "'aqb'");
	check_default("text DEFAULT 'a\\nb'", NOBS, "'a\\nb'");
	check_default("text DEFAULT \"dq\"\"x\"", 0, "'dq\"x'");
	check_default("text DEFAULT 'a' 'b'  /* c */ 'c'", 0, "'abc'");
	check_default("text DEFAULT _utf8mb4'x'", 0, "_utf8mb4'x'");
	check_default("text DEFAULT _latin1 'y'", 0, "_latin1'y'");
	check_default("blob DEFAULT _binary 0x0aFF", 0, "_binaryx'0aFF'");
	check_default("text DEFAULT N'nat'", 0, "'nat'");
	check_default("blob DEFAULT X'0a1B'", 0, "x'0a1B'");
	check_default("blob DEFAULT 0xABC", 0, "x'ABC'");
	check_default("bit(4) DEFAULT B'0101'", 0, "b'0101'");
	check_default("bit(4) DEFAULT 0b11", 0, "b'11'");
	check_default("double DEFAULT 1.5e10", 0, "1.5e10");
	check_default("double DEFAULT .5", 0, ".5");
	check_default("double DEFAULT 2E-3", 0, "2E-3");
	check_default("int DEFAULT -1", 0, "-1");
	check_default("int DEFAULT - 7", 0, "-7");
	check_default("int DEFAULT +3", 0, "3");

	/* a NUL byte inside a string survives with its length */
	st = parse("CREATE TABLE t (c text DEFAULT 'a\\0b')");
	if (st)
	{
		const DdlToken *tk = &st->columns[0].default_value->tokens[0];

		check(tk->len == 3 && tk->text[1] == '\0' && tk->text[2] == 'b',
			  "\\0 is a NUL byte inside a string of length 3");
		ddl_free(st);
	}

	/* identifiers: backquotes, doubled backquotes, digits first, $, UTF-8 */
	st = parse("CREATE TABLE `my``db`.`tbl name` (1abc INT, a$b INT, "
			   "`é` INT, Ünï INT)");
	if (st)
	{
		check(streq(st->table.schema, "my`db") &&
			  streq(st->table.name, "tbl name"),
			  "backquoted qualified name: %s.%s", str(st->table.schema),
			  str(st->table.name));
		check(st->ncolumns == 4 && streq(st->columns[0].name, "1abc") &&
			  streq(st->columns[1].name, "a$b") &&
			  streq(st->columns[2].name, "é") &&
			  streq(st->columns[3].name, "Ünï"),
			  "identifiers with a leading digit, $ and UTF-8");
		ddl_free(st);
	}

	/* ANSI_QUOTES makes double quotes identifiers */
	st = parse_mode("CREATE TABLE \"s\".\"T\" (\"a b\" INT DEFAULT 1)", ANSI);
	if (st)
	{
		check(streq(st->table.schema, "s") && streq(st->table.name, "T") &&
			  streq(st->columns[0].name, "a b"),
			  "ANSI_QUOTES: double-quoted identifiers");
		ddl_free(st);
	}
	check_error("CREATE TABLE \"t\" (a INT)", "syntax error");

	/* comments of all kinds, and keywords in any case */
	st = parse("-- leading\n# hash\ncReAtE /* mid */ TaBlE t -- x\n"
			   "(a int)  # tail\n;  -- after\n");
	if (st)
	{
		check(st->kind == DDL_CREATE_TABLE && streq(st->table.name, "t"),
			  "comments are skipped, keywords in mixed case");
		ddl_free(st);
	}
	/* "--1" is no comment: 5, minus, minus, 1 is not a default */
	check_error("CREATE TABLE t (a int DEFAULT 5--1\n)", "near \"-\"");

	/* versioned comments are part of the statement */
	st = parse("CREATE DATABASE /*!32312 IF NOT EXISTS*/ `test_db` "
			   "/*!40100 DEFAULT CHARACTER SET utf8 */");
	if (st)
	{
		check(st->kind == DDL_CREATE_SCHEMA && st->if_not_exists &&
			  streq(st->schema, "test_db"),
			  "versioned comment: IF NOT EXISTS is read");
		ddl_free(st);
	}
	st = parse("DROP /*!40005 TEMPORARY */ TABLE IF EXISTS `t`");
	if (st)
	{
		check(st->kind == DDL_SKIP && streq(st->what, "DROP TEMPORARY TABLE"),
			  "versioned TEMPORARY: %s", str(st->what));
		ddl_free(st);
	}
	st = parse("CREATE TABLE t (a INT /*M!100301 INVISIBLE */)");
	if (st)
	{
		check(st->columns[0].invisible, "MariaDB versioned comment read");
		ddl_free(st);
	}
	st = parse("CREATE TABLE t (a INT /*!*/)");
	if (st)
	{
		check(st->ncolumns == 1, "empty versioned comment");
		ddl_free(st);
	}

	/* unterminated things fail at their start */
	check_error("CREATE TABLE t (a text DEFAULT 'abc)", "unterminated quoted string");
	check_error_at("CREATE TABLE t (a text DEFAULT 'abc)", 31);
	check_error("CREATE TABLE `t (a int)", "unterminated quoted identifier");
	check_error("CREATE TABLE t (a int) /* open", "unterminated comment");
	check_error("CREATE TABLE t (a int) /*!40101 ENGINE=x", "unterminated comment");
	check_error("CREATE TABLE t (a blob DEFAULT X'0G')", "invalid hexadecimal");
	check_error("CREATE TABLE t (a blob DEFAULT X'ABC')", "invalid hexadecimal");
	check_error("CREATE TABLE t (a bit DEFAULT B'012')", "invalid bit");
	check_error("CREATE TABLE t (a int", "end of statement");
	check_error("CREATE TABLE t (a int DEFAULT (1 + (2)", "unbalanced");
	check_error("CREATE TABLE t (a int) PARTITION BY HASH(a", "unbalanced");
	check_error("CREATE TABLE t (a int) PARTITION BY HASH(a))", "syntax error");
}

/* ---- types ---- */

typedef struct TypeCase
{
	const char *text;
	DdlTypeId	id;
	int			length;
	int			scale;
	bool		is_unsigned;
} TypeCase;

static const TypeCase type_cases[] = {
	{"int(11)", DDL_TYPE_INT, 11, -1, false},
	{"INTEGER UNSIGNED", DDL_TYPE_INT, -1, -1, true},
	{"int1", DDL_TYPE_TINYINT, -1, -1, false},
	{"INT2", DDL_TYPE_SMALLINT, -1, -1, false},
	{"int3", DDL_TYPE_MEDIUMINT, -1, -1, false},
	{"MIDDLEINT", DDL_TYPE_MEDIUMINT, -1, -1, false},
	{"int4", DDL_TYPE_INT, -1, -1, false},
	{"int8", DDL_TYPE_BIGINT, -1, -1, false},
	{"bigint(20) unsigned zerofill", DDL_TYPE_BIGINT, 20, -1, true},
	{"tinyint(1)", DDL_TYPE_TINYINT, 1, -1, false},
	{"BOOL", DDL_TYPE_TINYINT, 1, -1, false},
	{"boolean", DDL_TYPE_TINYINT, 1, -1, false},
	{"smallint signed", DDL_TYPE_SMALLINT, -1, -1, false},
	{"decimal(10,2)", DDL_TYPE_DECIMAL, 10, 2, false},
	{"DEC(5)", DDL_TYPE_DECIMAL, 5, -1, false},
	{"numeric(20, 6) unsigned", DDL_TYPE_DECIMAL, 20, 6, true},
	{"FIXED(4,1)", DDL_TYPE_DECIMAL, 4, 1, false},
	{"float", DDL_TYPE_FLOAT, -1, -1, false},
	{"float(7,3)", DDL_TYPE_FLOAT, 7, 3, false},
	{"float(10)", DDL_TYPE_FLOAT, -1, -1, false},
	{"float(30)", DDL_TYPE_DOUBLE, -1, -1, false},
	{"REAL", DDL_TYPE_DOUBLE, -1, -1, false},
	{"double precision(12,4)", DDL_TYPE_DOUBLE, 12, 4, false},
	{"double", DDL_TYPE_DOUBLE, -1, -1, false},
	{"bit(7)", DDL_TYPE_BIT, 7, -1, false},
	{"date", DDL_TYPE_DATE, -1, -1, false},
	{"datetime(6)", DDL_TYPE_DATETIME, 6, -1, false},
	{"timestamp(3)", DDL_TYPE_TIMESTAMP, 3, -1, false},
	{"time", DDL_TYPE_TIME, -1, -1, false},
	{"year(4)", DDL_TYPE_YEAR, 4, -1, false},
	{"char", DDL_TYPE_CHAR, -1, -1, false},
	{"CHARACTER(3)", DDL_TYPE_CHAR, 3, -1, false},
	{"varchar(255)", DDL_TYPE_VARCHAR, 255, -1, false},
	{"character varying(9)", DDL_TYPE_VARCHAR, 9, -1, false},
	{"char varying(8)", DDL_TYPE_VARCHAR, 8, -1, false},
	{"binary(16)", DDL_TYPE_BINARY, 16, -1, false},
	{"varbinary(64)", DDL_TYPE_VARBINARY, 64, -1, false},
	{"tinytext", DDL_TYPE_TINYTEXT, -1, -1, false},
	{"text(1000)", DDL_TYPE_TEXT, 1000, -1, false},
	{"mediumtext", DDL_TYPE_MEDIUMTEXT, -1, -1, false},
	{"longtext", DDL_TYPE_LONGTEXT, -1, -1, false},
	{"LONG", DDL_TYPE_MEDIUMTEXT, -1, -1, false},
	{"long varchar", DDL_TYPE_MEDIUMTEXT, -1, -1, false},
	{"long varbinary", DDL_TYPE_MEDIUMBLOB, -1, -1, false},
	{"tinyblob", DDL_TYPE_TINYBLOB, -1, -1, false},
	{"blob(10)", DDL_TYPE_BLOB, 10, -1, false},
	{"mediumblob", DDL_TYPE_MEDIUMBLOB, -1, -1, false},
	{"longblob", DDL_TYPE_LONGBLOB, -1, -1, false},
	{"json", DDL_TYPE_JSON, -1, -1, false},
	{"vector(3)", DDL_TYPE_VECTOR, 3, -1, false},
	{"uuid", DDL_TYPE_UUID, -1, -1, false},
	{"inet4", DDL_TYPE_INET4, -1, -1, false},
	{"INET6", DDL_TYPE_INET6, -1, -1, false},
};

static void
test_types(void)
{
	static const char *const spatial[][2] = {
		{"GEOMETRY", "geometry"}, {"point", "point"},
		{"LineString", "linestring"}, {"POLYGON", "polygon"},
		{"multipoint", "multipoint"}, {"MULTILINESTRING", "multilinestring"},
		{"multipolygon", "multipolygon"},
		{"geometrycollection", "geometrycollection"},
		{"GEOMCOLLECTION", "geometrycollection"}
	};
	DdlStatement *st;
	char		sql[256];

	for (size_t i = 0; i < sizeof(type_cases) / sizeof(type_cases[0]); i++)
	{
		const TypeCase *tc = &type_cases[i];
		const DdlType *ty;

		snprintf(sql, sizeof(sql), "CREATE TABLE t (c %s)", tc->text);
		st = parse(sql);
		if (st == NULL)
			continue;
		ty = &st->columns[0].type;
		check(ty->id == tc->id && ty->length == tc->length &&
			  ty->scale == tc->scale && ty->is_unsigned == tc->is_unsigned,
			  "type %s is %s(%d,%d)%s (got %s(%d,%d)%s)", tc->text,
			  ddl_type_name(tc->id), tc->length, tc->scale,
			  tc->is_unsigned ? " unsigned" : "", ddl_type_name(ty->id),
			  ty->length, ty->scale, ty->is_unsigned ? " unsigned" : "");
		ddl_free(st);
	}

	for (size_t i = 0; i < sizeof(spatial) / sizeof(spatial[0]); i++)
	{
		snprintf(sql, sizeof(sql), "CREATE TABLE t (g %s NOT NULL SRID 4326)",
				 spatial[i][0]);
		st = parse(sql);
		if (st == NULL)
			continue;
		check(st->columns[0].type.id == DDL_TYPE_GEOMETRY &&
			  streq(st->columns[0].type.geometry, spatial[i][1]),
			  "%s is GEOMETRY \"%s\" (got \"%s\")", spatial[i][0],
			  spatial[i][1], str(st->columns[0].type.geometry));
		ddl_free(st);
	}

	/* SERIAL and SERIAL DEFAULT VALUE */
	st = parse("CREATE TABLE t (id SERIAL, n INT SERIAL DEFAULT VALUE)");
	if (st)
	{
		const DdlColumn *c = &st->columns[0];

		check(c->type.id == DDL_TYPE_BIGINT && c->type.is_unsigned &&
			  c->nullability == DDL_NOT_NULL && c->auto_increment &&
			  c->unique_key,
			  "SERIAL is BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE");
		c = &st->columns[1];
		check(c->type.id == DDL_TYPE_INT && c->nullability == DDL_NOT_NULL &&
			  c->auto_increment && c->unique_key,
			  "SERIAL DEFAULT VALUE on INT");
		ddl_free(st);
	}

	/* character sets, collations, national types, shorthands */
	st = parse("CREATE TABLE t (a varchar(10) CHARACTER SET latin1 "
			   "COLLATE latin1_bin, b NATIONAL VARCHAR(5), c NCHAR(2), "
			   "d NVARCHAR(3), e char(4) BINARY, f text ASCII, "
			   "g text UNICODE, h text CHARSET utf8mb4 NOT NULL "
			   "COLLATE utf8mb4_unicode_ci, i NATIONAL CHARACTER VARYING(7), "
			   "j NCHAR VARCHAR(6))");
	if (st && st->ncolumns == 10)
	{
		DdlColumn  *c = st->columns;

		check(streq(c[0].type.charset, "latin1") &&
			  streq(c[0].type.collation, "latin1_bin"),
			  "CHARACTER SET and COLLATE on a column");
		check(c[1].type.id == DDL_TYPE_VARCHAR && c[1].type.length == 5 &&
			  streq(c[1].type.charset, "utf8mb3"),
			  "NATIONAL VARCHAR is VARCHAR in utf8mb3");
		check(c[2].type.id == DDL_TYPE_CHAR && c[2].type.length == 2 &&
			  streq(c[2].type.charset, "utf8mb3"), "NCHAR is CHAR in utf8mb3");
		check(c[3].type.id == DDL_TYPE_VARCHAR && c[3].type.length == 3,
			  "NVARCHAR is VARCHAR");
		check(c[4].type.binary && c[4].type.id == DDL_TYPE_CHAR,
			  "CHAR BINARY sets binary");
		check(streq(c[5].type.charset, "latin1") &&
			  streq(c[6].type.charset, "ucs2"), "ASCII and UNICODE");
		check(streq(c[7].type.charset, "utf8mb4") &&
			  streq(c[7].type.collation, "utf8mb4_unicode_ci") &&
			  c[7].nullability == DDL_NOT_NULL,
			  "CHARSET before and COLLATE after NOT NULL");
		check(c[8].type.id == DDL_TYPE_VARCHAR && c[8].type.length == 7,
			  "NATIONAL CHARACTER VARYING");
		check(c[9].type.id == DDL_TYPE_VARCHAR && c[9].type.length == 6,
			  "NCHAR VARCHAR");
	}
	else
		check(false, "character set columns parse into 10 columns");
	ddl_free(st);

	/* ENUM and SET values with escapes */
	st = parse("CREATE TABLE t (e enum('a','b''c','d\\\\e','') NOT NULL "
			   "DEFAULT 'a', s SET('x', 'y') CHARACTER SET ascii)");
	if (st)
	{
		const DdlType *e = &st->columns[0].type;
		const DdlType *s = &st->columns[1].type;

		check(e->id == DDL_TYPE_ENUM && e->nvalues == 4 &&
			  streq(e->values[0], "a") && streq(e->values[1], "b'c") &&
			  streq(e->values[2], "d\\e") && streq(e->values[3], ""),
			  "ENUM values unescaped");
		check(s->id == DDL_TYPE_SET && s->nvalues == 2 &&
			  streq(s->values[1], "y") && streq(s->charset, "ascii"),
			  "SET values and character set");
		ddl_free(st);
	}

	/* a long statement of many strings: each takes only its own size */
	{
		const int	n = 100000;
		size_t		cap = (size_t) n * 6 + 64;
		char	   *big = malloc(cap);
		size_t		len = 0;

		len += snprintf(big + len, cap - len, "CREATE TABLE t (e enum(");
		for (int i = 0; i < n; i++)
			len += snprintf(big + len, cap - len, "%s'%c'", i ? "," : "",
							'a' + i % 26);
		snprintf(big + len, cap - len, "))");
		st = parse(big);
		check(st != NULL && st->columns[0].type.nvalues == n &&
			  streq(st->columns[0].type.values[n - 1], "d"),
			  "ENUM of %d values in a %zu-byte statement", n, len);
		ddl_free(st);
		free(big);
	}

	check_error("CREATE TABLE t (a money)", "unknown data type \"money\"");
	check_error("CREATE TABLE t (a float(54))", "too large");
	check_error("CREATE TABLE t (a varchar(99999999999))", "out of range");
	check(strcmp(ddl_type_name(DDL_TYPE_MEDIUMBLOB), "MEDIUMBLOB") == 0 &&
		  strcmp(ddl_type_name(DDL_TYPE_INET6), "INET6") == 0,
		  "ddl_type_name spells MySQL's names");
}

/* ---- column attributes ---- */

static void
test_column_attributes(void)
{
	DdlStatement *st;

	check_default("timestamp DEFAULT CURRENT_TIMESTAMP", 0,
				  "CURRENT_TIMESTAMP");
	check_default("datetime(6) DEFAULT current_timestamp(6)", 0,
				  "current_timestamp ( 6 )");
	check_default("timestamp DEFAULT current_timestamp()", 0,
				  "current_timestamp ( )");
	check_default("datetime DEFAULT NOW()", 0, "NOW ( )");
	check_default("datetime DEFAULT LOCALTIMESTAMP", 0, "LOCALTIMESTAMP");
	check_default("int DEFAULT NULL", 0, "NULL");
	check_default("bool DEFAULT TRUE", 0, "TRUE");
	check_default("binary(16) DEFAULT (uuid_to_bin(uuid()))", 0,
				  "uuid_to_bin ( uuid ( ) )");
	check_default("char(36) DEFAULT uuid()", 0, "uuid ( )");
	check_default("int DEFAULT (`a` + 1)", 0, "`a` + 1");
	check_default("date DEFAULT DATE '2000-01-01'", 0, "DATE '2000-01-01'");
	check_default("int DEFAULT nextval(`s`)", 0, "nextval ( `s` )");
	check_error("CREATE TABLE t (a int DEFAULT)", "syntax error");
	check_error("CREATE TABLE t (a int DEFAULT NOT NULL)", "near \"NOT\"");
	check_error("CREATE TABLE t (a int DEFAULT ())", "near \")\"");

	st = parse("CREATE TABLE t (a int DEFAULT (1 +  2) NOT NULL)");
	if (st)
	{
		check(streq(st->columns[0].default_value->source, "1 +  2"),
			  "a default's source is its text: \"%s\"",
			  st->columns[0].default_value->source);
		ddl_free(st);
	}

	st = parse("CREATE TABLE t ("
			   "id int NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'the id', "
			   "u varchar(5) NULL UNIQUE KEY, "
			   "k int KEY, "
			   "ts timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP "
			   "ON UPDATE CURRENT_TIMESTAMP(3), "
			   "g int GENERATED ALWAYS AS (id * 2) STORED, "
			   "v int AS (id + 1) VIRTUAL INVISIBLE, "
			   "p int AS (id) PERSISTENT, "
			   "c int CHECK (c > 0) NOT NULL, "
			   "n int CONSTRAINT cc CHECK (n < 0) NOT ENFORCED, "
			   "r int REFERENCES other(id) ON DELETE CASCADE, "
			   "f int COLUMN_FORMAT FIXED STORAGE DISK, "
			   "e int ENGINE_ATTRIBUTE='{}' SECONDARY_ENGINE_ATTRIBUTE '{}', "
			   "w int WITHOUT SYSTEM VERSIONING, "
			   "z blob COMPRESSED, "
			   "o int ON UPDATE NOW() UNSIGNED_NOT_A_THING = 3)");
	if (st && st->ncolumns == 15)
	{
		DdlColumn  *c = st->columns;

		check(c[0].nullability == DDL_NOT_NULL && c[0].auto_increment &&
			  c[0].primary_key && streq(c[0].comment, "the id"),
			  "NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT");
		check(c[1].nullability == DDL_NULL && c[1].unique_key,
			  "NULL UNIQUE KEY");
		check(c[2].primary_key, "a column's KEY is PRIMARY KEY");
		check(c[3].on_update_now &&
			  streq(expr_text(c[3].default_value), "CURRENT_TIMESTAMP"),
			  "DEFAULT and ON UPDATE CURRENT_TIMESTAMP(3)");
		check(c[4].generated && c[4].generated_stored &&
			  streq(c[4].generated->source, "id * 2"),
			  "GENERATED ALWAYS AS (...) STORED: %s",
			  c[4].generated ? c[4].generated->source : "(null)");
		check(c[5].generated && !c[5].generated_stored && c[5].invisible &&
			  streq(expr_text(c[5].generated), "id + 1"),
			  "AS (...) VIRTUAL INVISIBLE");
		check(c[6].generated_stored, "PERSISTENT is stored");
		check(c[7].check && streq(expr_text(c[7].check), "c > 0") &&
			  c[7].nullability == DDL_NOT_NULL, "column CHECK");
		check(c[8].check == NULL, "a NOT ENFORCED column check is dropped");
		check(c[9].type.id == DDL_TYPE_INT && !c[9].primary_key,
			  "column REFERENCES is parsed and dropped");
		check(c[10].type.id == DDL_TYPE_INT && c[11].type.id == DDL_TYPE_INT,
			  "COLUMN_FORMAT, STORAGE, ENGINE_ATTRIBUTE ignored");
		check(c[12].type.id == DDL_TYPE_INT && c[13].type.id == DDL_TYPE_BLOB,
			  "WITHOUT SYSTEM VERSIONING and COMPRESSED ignored");
		check(c[14].on_update_now, "ON UPDATE NOW() and an unknown x=y");
	}
	else
		check(false, "column attributes parse into 15 columns (got %d)",
			  st ? st->ncolumns : -1);
	ddl_free(st);

	check_error("CREATE TABLE t (a timestamp ON UPDATE 5)", "near \"5\"");
	check_error("CREATE TABLE t (a int CHECK (a > 0) CHECK (a < 9))",
				"more than one CHECK");
}

/* ---- keys and constraints ---- */

static void
test_keys(void)
{
	DdlStatement *st;

	st = parse("CREATE TABLE t (a int, b varchar(100), c int, d json,"
			   " PRIMARY KEY USING BTREE (a, c),"
			   " UNIQUE KEY `uk` (b(10) DESC) COMMENT 'uniq',"
			   " CONSTRAINT `ck_name` UNIQUE (c),"
			   " KEY `ix` (c) USING HASH INVISIBLE,"
			   " INDEX (b ASC, c DESC) KEY_BLOCK_SIZE=8,"
			   " FULLTEXT KEY `ft` (b) WITH PARSER ngram,"
			   " SPATIAL INDEX sp (c),"
			   " KEY `fx` ((lower(b)), (c + 1) DESC),"
			   " CONSTRAINT `fk1` FOREIGN KEY `ix_fk` (c) REFERENCES `db2`.`p` (`id`)"
			   "   ON DELETE SET NULL ON UPDATE NO ACTION,"
			   " FOREIGN KEY (a, c) REFERENCES p (x, y) MATCH FULL"
			   "   ON UPDATE CASCADE ON DELETE RESTRICT,"
			   " CONSTRAINT chk CHECK (a > c),"
			   " CHECK (json_valid(d)) /*!80016 NOT ENFORCED */,"
			   " INDEX i2 (a) NOT IGNORED CLUSTERING=yes)");
	if (st == NULL)
		return;
	check(st->nindexes == 13, "13 keys and constraints (got %d)",
		  st->nindexes);
	if (st->nindexes == 13)
	{
		DdlIndex   *ix = st->indexes;

		check(ix[0].kind == DDL_INDEX_PRIMARY && ix[0].nparts == 2 &&
			  streq(ix[0].parts[0].column, "a") &&
			  streq(ix[0].parts[1].column, "c") &&
			  ix[0].parts[0].prefix_length == -1,
			  "PRIMARY KEY USING BTREE (a, c)");
		check(ix[1].kind == DDL_INDEX_UNIQUE && streq(ix[1].name, "uk") &&
			  ix[1].parts[0].prefix_length == 10 &&
			  ix[1].parts[0].descending && streq(ix[1].comment, "uniq"),
			  "UNIQUE KEY uk (b(10) DESC) COMMENT");
		check(ix[2].kind == DDL_INDEX_UNIQUE && streq(ix[2].name, "ck_name"),
			  "CONSTRAINT name UNIQUE takes the constraint's name");
		check(ix[3].kind == DDL_INDEX_PLAIN && streq(ix[3].name, "ix"),
			  "KEY ix (c) USING HASH INVISIBLE");
		check(ix[4].kind == DDL_INDEX_PLAIN && ix[4].name == NULL &&
			  ix[4].nparts == 2 && !ix[4].parts[0].descending &&
			  ix[4].parts[1].descending,
			  "unnamed INDEX (b ASC, c DESC)");
		check(ix[5].kind == DDL_INDEX_FULLTEXT && streq(ix[5].name, "ft"),
			  "FULLTEXT KEY WITH PARSER");
		check(ix[6].kind == DDL_INDEX_SPATIAL && streq(ix[6].name, "sp"),
			  "SPATIAL INDEX");
		check(ix[7].nparts == 2 && ix[7].parts[0].column == NULL &&
			  streq(expr_text(ix[7].parts[0].expr), "lower ( b )") &&
			  streq(ix[7].parts[1].expr->source, "c + 1") &&
			  ix[7].parts[1].descending,
			  "functional key parts");
		check(ix[8].kind == DDL_INDEX_FOREIGN && streq(ix[8].name, "fk1") &&
			  streq(ix[8].ref_table.schema, "db2") &&
			  streq(ix[8].ref_table.name, "p") && ix[8].nref_columns == 1 &&
			  streq(ix[8].ref_columns[0], "id") &&
			  ix[8].on_delete == DDL_REF_SET_NULL &&
			  ix[8].on_update == DDL_REF_NO_ACTION,
			  "CONSTRAINT fk1 FOREIGN KEY ... ON DELETE SET NULL ON UPDATE "
			  "NO ACTION");
		check(ix[9].kind == DDL_INDEX_FOREIGN && ix[9].name == NULL &&
			  ix[9].nparts == 2 && ix[9].nref_columns == 2 &&
			  streq(ix[9].ref_columns[1], "y") &&
			  ix[9].on_update == DDL_REF_CASCADE &&
			  ix[9].on_delete == DDL_REF_RESTRICT,
			  "FOREIGN KEY (a, c) REFERENCES p (x, y) MATCH FULL");
		check(ix[10].kind == DDL_INDEX_CHECK && streq(ix[10].name, "chk") &&
			  streq(ix[10].check->source, "a > c") && !ix[10].not_enforced,
			  "CONSTRAINT chk CHECK (a > c)");
		check(ix[11].kind == DDL_INDEX_CHECK && ix[11].not_enforced &&
			  streq(expr_text(ix[11].check), "json_valid ( d )"),
			  "CHECK ... NOT ENFORCED");
		check(ix[12].kind == DDL_INDEX_PLAIN && streq(ix[12].name, "i2"),
			  "NOT IGNORED and CLUSTERING=yes");
	}
	ddl_free(st);

	check_error("CREATE TABLE t (a int, PRIMARY (a))", "near \"(\"");
	check_error("CREATE TABLE t (a int, CONSTRAINT c KEY (a))", "near \"KEY\"");
	check_error("CREATE TABLE t (a int, KEY k ())", "near \")\"");
}

/* ---- CREATE TABLE as the servers write it ---- */

static void
test_create_table(void)
{
	DdlStatement *st;

	/* SHOW CREATE TABLE of MariaDB 10.11 */
	st = parse("CREATE TABLE `orders` (\n"
			   "  `id` int(11) NOT NULL AUTO_INCREMENT,\n"
			   "  `customer` varchar(64) NOT NULL DEFAULT '',\n"
			   "  `total` decimal(12,2) DEFAULT NULL,\n"
			   "  `created` timestamp NOT NULL DEFAULT current_timestamp() "
			   "ON UPDATE current_timestamp(),\n"
			   "  `doc` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin "
			   "DEFAULT NULL CHECK (json_valid(`doc`)),\n"
			   "  PRIMARY KEY (`id`),\n"
			   "  KEY `idx_customer` (`customer`)\n"
			   ") ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4 "
			   "COLLATE=utf8mb4_general_ci COMMENT='all orders'");
	if (st)
	{
		check(st->kind == DDL_CREATE_TABLE && st->ncolumns == 5 &&
			  st->nindexes == 2, "MariaDB SHOW CREATE: 5 columns, 2 keys");
		check(st->columns[0].type.id == DDL_TYPE_INT &&
			  st->columns[0].type.length == 11 &&
			  st->columns[0].auto_increment, "int(11) AUTO_INCREMENT");
		check(streq(expr_text(st->columns[1].default_value), "''"),
			  "DEFAULT ''");
		check(st->columns[3].on_update_now &&
			  streq(expr_text(st->columns[3].default_value),
					"current_timestamp ( )"),
			  "current_timestamp() default and on update");
		check(streq(expr_text(st->columns[4].check), "json_valid ( `doc` )"),
			  "JSON check of MariaDB");
		check(st->options.auto_increment == 5 &&
			  streq(st->options.charset, "utf8mb4") &&
			  streq(st->options.collation, "utf8mb4_general_ci") &&
			  streq(st->options.comment, "all orders"),
			  "table options: AUTO_INCREMENT, CHARSET, COLLATE, COMMENT");
		ddl_free(st);
	}

	/* SHOW CREATE TABLE of MySQL 8, partitioned */
	st = parse("CREATE TABLE `events` (\n"
			   "  `id` bigint unsigned NOT NULL AUTO_INCREMENT,\n"
			   "  `at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),\n"
			   "  `uid` binary(16) NOT NULL DEFAULT (uuid_to_bin(uuid())),\n"
			   "  `hidden` int DEFAULT NULL /*!80023 INVISIBLE */,\n"
			   "  PRIMARY KEY (`id`,`at`),\n"
			   "  KEY `k` ((cast(`at` as date)))\n"
			   ") ENGINE=InnoDB AUTO_INCREMENT=18446744073709551615 "
			   "DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci\n"
			   "/*!50100 PARTITION BY RANGE (year(`at`))\n"
			   "(PARTITION p0 VALUES LESS THAN (2020) ENGINE = InnoDB,\n"
			   " PARTITION p1 VALUES LESS THAN MAXVALUE ENGINE = InnoDB) */");
	if (st)
	{
		check(st->partitioned && st->ncolumns == 4 &&
			  st->columns[3].invisible,
			  "MySQL SHOW CREATE with partitions and INVISIBLE");
		check(st->options.auto_increment == UINT64_MAX &&
			  streq(st->options.collation, "utf8mb4_0900_ai_ci"),
			  "AUTO_INCREMENT of 2^64-1");
		check(streq(expr_text(st->columns[1].default_value),
					"CURRENT_TIMESTAMP ( 6 )") &&
			  streq(st->columns[2].default_value->source,
					"uuid_to_bin(uuid())"),
			  "MySQL 8 defaults");
		check(streq(expr_text(st->indexes[1].parts[0].expr),
					"cast ( `at` as date )"), "MySQL functional key");
		ddl_free(st);
	}

	/* variants of the head and of the options */
	st = parse("create or replace table if not exists db.t (a int) "
			   "engine innodb, row_format=DYNAMIC checksum=1 "
			   "data directory = '/x' index directory '/y' "
			   "tablespace ts storage disk union=(a,b) "
			   "ENCRYPTED=YES ENCRYPTION_KEY_ID=2 PAGE_CHECKSUM=1 "
			   "WITH SYSTEM VERSIONING new_option_2030 = 'x' "
			   "stats_persistent=default, default collate utf8mb4_bin");
	if (st)
	{
		check(st->or_replace && st->if_not_exists &&
			  streq(st->table.schema, "db") && streq(st->table.name, "t") &&
			  streq(st->options.collation, "utf8mb4_bin"),
			  "OR REPLACE, IF NOT EXISTS and many table options");
		ddl_free(st);
	}

	st = parse("CREATE TABLE a LIKE b.c");
	if (st)
	{
		check(st->kind == DDL_CREATE_TABLE_LIKE && streq(st->table.name, "a") &&
			  streq(st->like.schema, "b") && streq(st->like.name, "c"),
			  "CREATE TABLE a LIKE b.c");
		ddl_free(st);
	}
	st = parse("CREATE TABLE IF NOT EXISTS a (LIKE `b`)");
	if (st)
	{
		check(st->kind == DDL_CREATE_TABLE_LIKE && st->if_not_exists &&
			  streq(st->like.name, "b"), "CREATE TABLE a (LIKE b)");
		ddl_free(st);
	}
	st = parse("CREATE TABLE t (a int) START TRANSACTION");
	if (st)
	{
		check(st->kind == DDL_CREATE_TABLE, "CREATE TABLE ... START TRANSACTION");
		ddl_free(st);
	}
	st = parse("CREATE TABLE t (a int, row_start timestamp(6) GENERATED "
			   "ALWAYS AS ROW START, row_end timestamp(6) GENERATED ALWAYS "
			   "AS ROW END, PERIOD FOR SYSTEM_TIME(row_start, row_end)) "
			   "WITH SYSTEM VERSIONING");
	if (st)
	{
		check(st->ncolumns == 3 && st->nindexes == 0 &&
			  st->columns[1].generated == NULL,
			  "MariaDB system versioning columns and period");
		ddl_free(st);
	}

	check_error("CREATE TABLE t SELECT 1", "CREATE TABLE ... SELECT");
	check_error("CREATE TABLE t AS SELECT * FROM u", "CREATE TABLE ... SELECT");
	check_error("CREATE TABLE t (a int) SELECT a FROM u",
				"CREATE TABLE ... SELECT");
	check_error("CREATE TABLE t (a int) IGNORE SELECT a FROM u",
				"CREATE TABLE ... SELECT");
	check_error("CREATE TABLE t (SELECT 1)", "CREATE TABLE ... SELECT");
	check_error("CREATE TABLE t", "end of statement");
	check_error("CREATE TABLE t ()", "near \")\"");
	check_error("CREATE TABLE t (a int) ENGINE=InnoDB garbage",
				"near \"garbage\"");
	check_error("CREATE TABLE t (a int);  CREATE TABLE u (b int)",
				"near \"CREATE\"");
}

/* ---- ALTER TABLE ---- */

static void
test_alter_table(void)
{
	DdlStatement *st;
	const DdlAlterClause *c;

	st = parse("ALTER TABLE db.t ADD COLUMN IF NOT EXISTS x int NOT NULL "
			   "DEFAULT 0 AFTER a, ADD y text FIRST, "
			   "ADD (p int, q int, INDEX (p)), DROP COLUMN IF EXISTS z, "
			   "DROP w CASCADE, MODIFY COLUMN m bigint, "
			   "CHANGE COLUMN o n varchar(9) AFTER m, "
			   "RENAME COLUMN r TO s, ALTER COLUMN d SET DEFAULT 'x', "
			   "ALTER e DROP DEFAULT, ALTER f SET DEFAULT (now())");
	if (st && st->nclauses == 13)
	{
		c = st->clauses;
		check(st->kind == DDL_ALTER_TABLE && streq(st->table.schema, "db"),
			  "ALTER TABLE db.t");
		check(c[0].kind == DDL_ALTER_ADD_COLUMN && c[0].if_not_exists &&
			  streq(c[0].column->name, "x") && streq(c[0].after, "a") &&
			  streq(expr_text(c[0].column->default_value), "0"),
			  "ADD COLUMN IF NOT EXISTS ... AFTER a");
		check(c[1].kind == DDL_ALTER_ADD_COLUMN && c[1].first &&
			  c[1].column->type.id == DDL_TYPE_TEXT, "ADD y text FIRST");
		check(c[2].kind == DDL_ALTER_ADD_COLUMN &&
			  streq(c[2].column->name, "p") &&
			  c[3].kind == DDL_ALTER_ADD_COLUMN &&
			  streq(c[3].column->name, "q") &&
			  c[4].kind == DDL_ALTER_ADD_INDEX &&
			  c[4].index->kind == DDL_INDEX_PLAIN,
			  "ADD (p int, q int, INDEX (p)) is three clauses");
		check(c[5].kind == DDL_ALTER_DROP_COLUMN && c[5].if_exists &&
			  streq(c[5].name, "z"), "DROP COLUMN IF EXISTS z");
		check(c[6].kind == DDL_ALTER_DROP_COLUMN && streq(c[6].name, "w"),
			  "DROP w CASCADE");
		check(c[7].kind == DDL_ALTER_MODIFY_COLUMN &&
			  streq(c[7].column->name, "m") &&
			  c[7].column->type.id == DDL_TYPE_BIGINT, "MODIFY COLUMN");
		check(c[8].kind == DDL_ALTER_CHANGE_COLUMN && streq(c[8].name, "o") &&
			  streq(c[8].column->name, "n") && streq(c[8].after, "m") &&
			  c[8].column->type.length == 9, "CHANGE COLUMN o n ... AFTER m");
		check(c[9].kind == DDL_ALTER_RENAME_COLUMN && streq(c[9].name, "r") &&
			  streq(c[9].new_name, "s"), "RENAME COLUMN r TO s");
		check(c[10].kind == DDL_ALTER_SET_DEFAULT && streq(c[10].name, "d") &&
			  streq(expr_text(c[10].expr), "'x'"), "ALTER COLUMN SET DEFAULT");
		check(c[11].kind == DDL_ALTER_DROP_DEFAULT && streq(c[11].name, "e"),
			  "ALTER e DROP DEFAULT");
		check(c[12].kind == DDL_ALTER_SET_DEFAULT &&
			  streq(c[12].expr->source, "now()"), "SET DEFAULT (now())");
	}
	else
		check(false, "ALTER with 13 clauses (got %d)", st ? st->nclauses : -1);
	ddl_free(st);

	st = parse("ALTER TABLE t ADD INDEX IF NOT EXISTS ix (a), "
			   "ADD UNIQUE KEY uk (b), ADD PRIMARY KEY (id), "
			   "ADD CONSTRAINT fk FOREIGN KEY (c) REFERENCES p (id), "
			   "ADD FULLTEXT (d), ADD CHECK (e > 0), "
			   "DROP INDEX IF EXISTS i1, DROP KEY i2, DROP PRIMARY KEY, "
			   "DROP FOREIGN KEY IF EXISTS fk0, DROP CHECK ck, "
			   "DROP CONSTRAINT IF EXISTS c2, RENAME INDEX a TO b, "
			   "RENAME KEY c TO d");
	if (st && st->nclauses == 14)
	{
		c = st->clauses;
		check(c[0].kind == DDL_ALTER_ADD_INDEX && c[0].if_not_exists &&
			  c[0].index->if_not_exists && streq(c[0].index->name, "ix"),
			  "ADD INDEX IF NOT EXISTS");
		check(c[1].index->kind == DDL_INDEX_UNIQUE &&
			  c[2].index->kind == DDL_INDEX_PRIMARY &&
			  c[3].index->kind == DDL_INDEX_FOREIGN &&
			  streq(c[3].index->name, "fk") &&
			  c[4].index->kind == DDL_INDEX_FULLTEXT &&
			  c[5].index->kind == DDL_INDEX_CHECK,
			  "ADD UNIQUE, PRIMARY KEY, FOREIGN KEY, FULLTEXT, CHECK");
		check(c[6].kind == DDL_ALTER_DROP_INDEX && c[6].if_exists &&
			  streq(c[6].name, "i1") && c[7].kind == DDL_ALTER_DROP_INDEX &&
			  streq(c[7].name, "i2"), "DROP INDEX and DROP KEY");
		check(c[8].kind == DDL_ALTER_DROP_PRIMARY_KEY, "DROP PRIMARY KEY");
		check(c[9].kind == DDL_ALTER_DROP_FOREIGN_KEY && c[9].if_exists &&
			  streq(c[9].name, "fk0"), "DROP FOREIGN KEY IF EXISTS");
		check(c[10].kind == DDL_ALTER_DROP_CHECK && streq(c[10].name, "ck") &&
			  c[11].kind == DDL_ALTER_DROP_CHECK && c[11].if_exists &&
			  streq(c[11].name, "c2"), "DROP CHECK and DROP CONSTRAINT");
		check(c[12].kind == DDL_ALTER_RENAME_INDEX && streq(c[12].name, "a") &&
			  streq(c[12].new_name, "b") &&
			  c[13].kind == DDL_ALTER_RENAME_INDEX, "RENAME INDEX/KEY");
	}
	else
		check(false, "ALTER with 14 key clauses (got %d)",
			  st ? st->nclauses : -1);
	ddl_free(st);

	st = parse("ALTER TABLE t RENAME TO other.u, CONVERT TO CHARACTER SET "
			   "utf8mb4 COLLATE utf8mb4_bin, DEFAULT CHARACTER SET = latin1, "
			   "ENGINE=InnoDB COMMENT 'c' AUTO_INCREMENT 10, ALGORITHM=INPLACE, "
			   "LOCK NONE, FORCE, ORDER BY a, b DESC, ENABLE KEYS, "
			   "DISABLE KEYS, ALTER INDEX ix INVISIBLE, ALTER CHECK c NOT "
			   "ENFORCED, ALTER COLUMN v SET INVISIBLE, WITHOUT VALIDATION, "
			   "ADD SYSTEM VERSIONING, DISCARD TABLESPACE");
	if (st && st->nclauses == 16)
	{
		c = st->clauses;
		check(c[0].kind == DDL_ALTER_RENAME_TABLE &&
			  streq(c[0].new_table.schema, "other") &&
			  streq(c[0].new_table.name, "u"), "RENAME TO other.u");
		check(c[1].kind == DDL_ALTER_CONVERT_CHARSET &&
			  streq(c[1].options.charset, "utf8mb4") &&
			  streq(c[1].options.collation, "utf8mb4_bin"),
			  "CONVERT TO CHARACTER SET ... COLLATE");
		check(c[2].kind == DDL_ALTER_OPTIONS &&
			  streq(c[2].options.charset, "latin1"),
			  "DEFAULT CHARACTER SET = latin1 is an option");
		check(c[3].kind == DDL_ALTER_OPTIONS &&
			  streq(c[3].options.comment, "c") &&
			  c[3].options.auto_increment == 10,
			  "options without commas are one clause");
		check(c[4].kind == DDL_ALTER_IGNORED && streq(c[4].name, "ALGORITHM") &&
			  c[5].kind == DDL_ALTER_IGNORED && streq(c[5].name, "LOCK") &&
			  streq(c[6].name, "FORCE") && streq(c[7].name, "ORDER BY"),
			  "ALGORITHM, LOCK, FORCE, ORDER BY are ignored");
		check(streq(c[8].name, "ENABLE KEYS") &&
			  streq(c[9].name, "DISABLE KEYS") &&
			  streq(c[10].name, "ALTER INDEX") &&
			  streq(c[11].name, "ALTER CHECK") &&
			  c[12].kind == DDL_ALTER_IGNORED &&
			  c[13].kind == DDL_ALTER_IGNORED &&
			  streq(c[14].name, "ADD SYSTEM VERSIONING") &&
			  streq(c[15].name, "DISCARD TABLESPACE"),
			  "more ignored clauses, by name");
	}
	else
		check(false, "ALTER with 16 other clauses (got %d)",
			  st ? st->nclauses : -1);
	ddl_free(st);

	st = parse("ALTER ONLINE IGNORE TABLE IF EXISTS t NOWAIT "
			   "RENAME AS t2");
	if (st)
	{
		check(st->if_exists && st->nclauses == 1 &&
			  st->clauses[0].kind == DDL_ALTER_RENAME_TABLE &&
			  streq(st->clauses[0].new_table.name, "t2"),
			  "ALTER ONLINE IGNORE TABLE IF EXISTS ... NOWAIT RENAME AS");
		ddl_free(st);
	}
	st = parse("ALTER TABLE t ENGINE=InnoDB PARTITION BY HASH (id) "
			   "PARTITIONS 4");
	if (st)
	{
		check(st->nclauses == 2 && st->clauses[1].kind == DDL_ALTER_IGNORED &&
			  streq(st->clauses[1].name, "PARTITION BY") && st->partitioned,
			  "options then PARTITION BY");
		ddl_free(st);
	}
	st = parse("ALTER TABLE t REORGANIZE PARTITION p0 INTO "
			   "(PARTITION a VALUES LESS THAN (5), PARTITION b VALUES LESS "
			   "THAN (10))");
	if (st)
	{
		check(st->nclauses == 1 && st->clauses[0].kind == DDL_ALTER_IGNORED,
			  "REORGANIZE PARTITION is ignored");
		ddl_free(st);
	}
	st = parse("ALTER TABLE t COALESCE PARTITION 2");
	ddl_free(st);
	check(st != NULL, "COALESCE PARTITION parses");
	st = parse("ALTER TABLE t REMOVE PARTITIONING");
	ddl_free(st);
	check(st != NULL, "REMOVE PARTITIONING parses");
	st = parse("ALTER TABLE t");
	if (st)
	{
		check(st->kind == DDL_ALTER_TABLE && st->nclauses == 0,
			  "ALTER TABLE with no clause");
		ddl_free(st);
	}

	check_error("ALTER TABLE t TRUNCATE PARTITION p0",
				"TRUNCATE PARTITION is not supported");
	check_error("ALTER TABLE t DROP PARTITION p0, p1",
				"DROP PARTITION is not supported");
	check_error("ALTER TABLE t EXCHANGE PARTITION p WITH TABLE u",
				"EXCHANGE PARTITION is not supported");
	check_error("ALTER TABLE t ADD", "end of statement");
	check_error("ALTER TABLE t ADD COLUMN", "end of statement");
	check_error("ALTER TABLE t ADD a int b int", "near \"b\"");
	check_error("ALTER TABLE t RENAME COLUMN a b", "near \"b\"");
	check_error("ALTER TABLE t ALTER COLUMN a SET", "end of statement");
	check_error("ALTER TABLE t frobnicate", "near \"frobnicate\"");
	check_error("ALTER TABLE t, ADD a int", "near \",\"");
}

/* ---- the other statements ---- */

static void
test_other_statements(void)
{
	DdlStatement *st;

	st = parse("RENAME TABLE a TO b, db.c TO db2.d");
	if (st)
	{
		check(st->kind == DDL_RENAME_TABLE && st->nnames == 4 &&
			  streq(st->names[0].name, "a") && streq(st->names[1].name, "b") &&
			  streq(st->names[2].schema, "db") &&
			  streq(st->names[3].schema, "db2") &&
			  streq(st->names[3].name, "d"),
			  "RENAME TABLE pairs");
		ddl_free(st);
	}
	st = parse("rename tables x to y");
	if (st)
	{
		check(st->kind == DDL_RENAME_TABLE && st->nnames == 2,
			  "RENAME TABLES");
		ddl_free(st);
	}

	st = parse("DROP TABLE IF EXISTS `t` /* generated by server */");
	if (st)
	{
		check(st->kind == DDL_DROP_TABLE && st->if_exists &&
			  st->nnames == 1 && streq(st->names[0].name, "t") &&
			  !st->temporary, "MariaDB's DROP TABLE ... generated by server");
		ddl_free(st);
	}
	st = parse("DROP TABLES a, b.c RESTRICT;");
	if (st)
	{
		check(st->kind == DDL_DROP_TABLE && st->nnames == 2 &&
			  streq(st->names[1].schema, "b"), "DROP TABLES a, b.c");
		ddl_free(st);
	}
	st = parse("DROP TEMPORARY TABLE IF EXISTS t1");
	if (st)
	{
		check(st->kind == DDL_SKIP && streq(st->what, "DROP TEMPORARY TABLE"),
			  "DROP TEMPORARY TABLE is skipped");
		ddl_free(st);
	}
	st = parse("CREATE TEMPORARY TABLE tmp (a int)");
	if (st)
	{
		check(st->kind == DDL_SKIP &&
			  streq(st->what, "CREATE TEMPORARY TABLE"),
			  "CREATE TEMPORARY TABLE is skipped");
		ddl_free(st);
	}

	st = parse("TRUNCATE TABLE db.t");
	if (st)
	{
		check(st->kind == DDL_TRUNCATE && streq(st->table.schema, "db") &&
			  streq(st->table.name, "t"), "TRUNCATE TABLE db.t");
		ddl_free(st);
	}
	st = parse("truncate t");
	if (st)
	{
		check(st->kind == DDL_TRUNCATE && streq(st->table.name, "t"),
			  "TRUNCATE without TABLE");
		ddl_free(st);
	}

	st = parse("CREATE UNIQUE INDEX IF NOT EXISTS ux USING BTREE ON db.t "
			   "(a, b(4) DESC) COMMENT 'c' ALGORITHM=INPLACE LOCK=NONE");
	if (st)
	{
		check(st->kind == DDL_CREATE_INDEX && st->index &&
			  st->index->kind == DDL_INDEX_UNIQUE &&
			  streq(st->index->name, "ux") && st->index->if_not_exists &&
			  streq(st->table.schema, "db") && st->index->nparts == 2 &&
			  st->index->parts[1].prefix_length == 4 &&
			  st->index->parts[1].descending &&
			  streq(st->index->comment, "c"),
			  "CREATE UNIQUE INDEX ... ALGORITHM LOCK");
		ddl_free(st);
	}
	st = parse("CREATE INDEX ix ON t ((a + b))");
	if (st)
	{
		check(st->index->kind == DDL_INDEX_PLAIN &&
			  streq(st->index->parts[0].expr->source, "a + b"),
			  "CREATE INDEX on an expression");
		ddl_free(st);
	}
	st = parse("CREATE FULLTEXT INDEX f ON t (body)");
	if (st)
	{
		check(st->index->kind == DDL_INDEX_FULLTEXT, "CREATE FULLTEXT INDEX");
		ddl_free(st);
	}
	st = parse("DROP INDEX IF EXISTS `ix` ON `db`.`t` ALGORITHM = INPLACE "
			   "LOCK = DEFAULT");
	if (st)
	{
		check(st->kind == DDL_DROP_INDEX && st->if_exists &&
			  streq(st->index_name, "ix") && streq(st->table.schema, "db"),
			  "DROP INDEX IF EXISTS ... ON ... ALGORITHM LOCK");
		ddl_free(st);
	}

	st = parse("CREATE SCHEMA IF NOT EXISTS s DEFAULT CHARACTER SET utf8mb4 "
			   "COLLATE utf8mb4_bin /*!80016 DEFAULT ENCRYPTION='N' */");
	if (st)
	{
		check(st->kind == DDL_CREATE_SCHEMA && st->if_not_exists &&
			  streq(st->schema, "s"), "CREATE SCHEMA with options");
		ddl_free(st);
	}
	st = parse("CREATE OR REPLACE DATABASE d");
	if (st)
	{
		check(st->kind == DDL_CREATE_SCHEMA && st->or_replace,
			  "CREATE OR REPLACE DATABASE");
		ddl_free(st);
	}
	st = parse("DROP DATABASE IF EXISTS `d`");
	if (st)
	{
		check(st->kind == DDL_DROP_SCHEMA && st->if_exists &&
			  streq(st->schema, "d"), "DROP DATABASE IF EXISTS");
		ddl_free(st);
	}
}

/* ---- statements skipped from their first words ---- */

static void
test_skipped(void)
{
	static const char *const cases[][2] = {
		{"ALTER DATABASE d CHARACTER SET utf8", "ALTER DATABASE"},
		{"CREATE USER 'u'@'%' IDENTIFIED BY 'p'", "CREATE USER"},
		{"ALTER USER 'root'@'localhost' IDENTIFIED WITH "
		"'caching_sha2_password' AS '$A$005$x'", "ALTER USER"},
		{"DROP USER u", "DROP USER"},
		{"RENAME USER a TO b", "RENAME USER"},
		{"CREATE ROLE r", "CREATE ROLE"},
		{"DROP ROLE r", "DROP ROLE"},
		{"GRANT SELECT ON *.* TO u", "GRANT"},
		{"REVOKE ALL ON db.* FROM u", "REVOKE"},
		{"SET PASSWORD FOR u = 'x'", "SET PASSWORD"},
		{"SET DEFAULT ROLE r TO u", "SET DEFAULT ROLE"},
		{"CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL "
		"SECURITY DEFINER VIEW `v1` AS SELECT 1", "CREATE VIEW"},
		{"CREATE OR REPLACE VIEW v AS SELECT 1", "CREATE VIEW"},
		{"ALTER DEFINER=root@localhost VIEW v AS SELECT 2", "ALTER VIEW"},
		{"DROP VIEW IF EXISTS v", "DROP VIEW"},
		{"CREATE DEFINER=`root`@`localhost` PROCEDURE p1() BEGIN "
		"SELECT 'unbalanced ( is fine here'; END", "CREATE PROCEDURE"},
		{"CREATE DEFINER=`u`@`h` FUNCTION f1 (i int) RETURNS int "
		"RETURN i + 1", "CREATE FUNCTION"},
		{"CREATE AGGREGATE FUNCTION agg RETURNS STRING SONAME 'x.so'",
		"CREATE FUNCTION"},
		{"CREATE FUNCTION metaphon RETURNS STRING SONAME 'udf.so'",
		"CREATE FUNCTION"},
		{"CREATE DEFINER=CURRENT_USER() TRIGGER tr BEFORE INSERT ON t FOR "
		"EACH ROW SET @x = 1", "CREATE TRIGGER"},
		{"CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO DELETE FROM t",
		"CREATE EVENT"},
		{"ALTER EVENT e DISABLE", "ALTER EVENT"},
		{"DROP PROCEDURE IF EXISTS p", "DROP PROCEDURE"},
		{"DROP FUNCTION f", "DROP FUNCTION"},
		{"DROP TRIGGER tr", "DROP TRIGGER"},
		{"DROP EVENT e", "DROP EVENT"},
		{"ALTER PROCEDURE p COMMENT 'x'", "ALTER PROCEDURE"},
		{"CREATE SERVER s FOREIGN DATA WRAPPER mysql OPTIONS (USER 'u')",
		"CREATE SERVER"},
		{"ALTER SERVER s OPTIONS (USER 'v')", "ALTER SERVER"},
		{"DROP SERVER s", "DROP SERVER"},
		{"CREATE TABLESPACE ts ADD DATAFILE 'ts.ibd'", "CREATE TABLESPACE"},
		{"CREATE UNDO TABLESPACE u ADD DATAFILE 'u.ibu'", "CREATE TABLESPACE"},
		{"DROP TABLESPACE ts", "DROP TABLESPACE"},
		{"CREATE LOGFILE GROUP lg ADD UNDOFILE 'u'", "CREATE LOGFILE GROUP"},
		{"CREATE RESOURCE GROUP rg TYPE = USER", "CREATE RESOURCE GROUP"},
		{"DROP RESOURCE GROUP rg", "DROP RESOURCE GROUP"},
		{"FLUSH PRIVILEGES", "FLUSH"},
		{"ANALYZE NO_WRITE_TO_BINLOG TABLE t", "ANALYZE TABLE"},
		{"OPTIMIZE TABLE t", "OPTIMIZE TABLE"},
		{"REPAIR TABLE t", "REPAIR TABLE"},
		{"CHECK TABLE t", "CHECK TABLE"},
		{"CHECKSUM TABLE t", "CHECKSUM TABLE"},
		{"INSTALL PLUGIN p SONAME 'p.so'", "INSTALL PLUGIN"},
		{"INSTALL SONAME 'ha_x'", "INSTALL SONAME"},
		{"UNINSTALL COMPONENT 'file://c'", "UNINSTALL COMPONENT"},
		{"SAVEPOINT sp1", "SAVEPOINT"},
		{"RELEASE SAVEPOINT sp1", "RELEASE SAVEPOINT"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		DdlStatement *st = parse(cases[i][0]);

		if (st == NULL)
			continue;
		check(st->kind == DDL_SKIP && streq(st->what, cases[i][1]),
			  "skipped as %s: %s (got %s)", cases[i][1], cases[i][0],
			  str(st->what));
		ddl_free(st);
	}

	/* DEFINER with double quotes under ANSI_QUOTES */
	{
		DdlStatement *st = parse_mode("CREATE DEFINER=\"root\"@\"localhost\" "
									  "EVENT e_DB2 ON SCHEDULE EVERY 100 WEEK "
									  "DO SELECT 1", ANSI);

		if (st)
		{
			check(st->kind == DDL_SKIP && streq(st->what, "CREATE EVENT"),
				  "ANSI_QUOTES DEFINER before EVENT");
			ddl_free(st);
		}
	}
}

/* ---- what is refused ---- */

static void
test_unsupported(void)
{
	check_error("INSERT INTO t VALUES (1)", "unsupported statement \"INSERT\"");
	check_error("CREATE SEQUENCE s", "unsupported statement \"CREATE SEQUENCE\"");
	check_error("create or replace sequence s",
				"unsupported statement \"CREATE SEQUENCE\"");
	check_error("XA START 'x'", "unsupported statement \"XA START\"");
	check_error("/*!40101 SET NAMES utf8 */", "unsupported statement \"SET NAMES\"");
	check_error("UPDATE t SET a = 1", "unsupported statement \"UPDATE\"");
	check_error("", "empty statement");
	check_error("  -- nothing\n", "empty statement");
	check_error(";", "empty statement");
	check_error("(SELECT 1)", "syntax error at or near \"(\"");
	check_error_at("DROP TABLE t u", 13);
	check_error("DROP TABLE", "end of statement");
	check_error("RENAME TABLE a b", "near \"b\"");
	check_error("CREATE INDEX i ON t", "end of statement");
	check_error("DROP INDEX i", "end of statement");
	check_error("CREATE TEMPORARY VIEW v", "near \"VIEW\"");

	/* a statement of NUL bytes and of high bytes fails cleanly */
	{
		DdlError	err;
		DdlStatement *st = ddl_parse("\0\0\0", 3, 0, &err);

		check(st == NULL && strstr(err.message, "syntax error") != NULL,
			  "NUL bytes: %s", err.message);
		st = ddl_parse(NULL, 0, 0, &err);
		check(st == NULL && strstr(err.message, "empty") != NULL,
			  "NULL text is an empty statement");
	}
}

/* ---- statements of frameworks' migrations ---- */

static void
test_migrations(void)
{
	DdlStatement *st;

	/* Rails */
	st = parse("CREATE TABLE `users` (`id` bigint NOT NULL AUTO_INCREMENT "
			   "PRIMARY KEY, `email` varchar(255) DEFAULT '' NOT NULL, "
			   "`created_at` datetime(6) NOT NULL, `updated_at` datetime(6) "
			   "NOT NULL)");
	if (st)
	{
		check(st->ncolumns == 4 && st->columns[0].primary_key &&
			  st->columns[1].nullability == DDL_NOT_NULL &&
			  st->columns[3].type.length == 6, "Rails create_table");
		ddl_free(st);
	}
	st = parse("CREATE UNIQUE INDEX `index_users_on_email` ON `users` "
			   "(`email`)");
	if (st)
	{
		check(st->kind == DDL_CREATE_INDEX &&
			  streq(st->index->parts[0].column, "email"), "Rails add_index");
		ddl_free(st);
	}

	/* Django */
	st = parse("ALTER TABLE `polls_choice` ADD CONSTRAINT "
			   "`polls_choice_question_id_c5b4b260_fk_polls_question_id` "
			   "FOREIGN KEY (`question_id`) REFERENCES `polls_question` (`id`)");
	if (st)
	{
		const DdlIndex *ix = st->clauses[0].index;

		check(st->nclauses == 1 && ix->kind == DDL_INDEX_FOREIGN &&
			  streq(ix->name,
					"polls_choice_question_id_c5b4b260_fk_polls_question_id") &&
			  streq(ix->ref_table.name, "polls_question"),
			  "Django ADD CONSTRAINT ... FOREIGN KEY");
		ddl_free(st);
	}

	/* Laravel */
	st = parse("alter table `posts` add `user_id` bigint unsigned not null "
			   "after `id`, add index `posts_user_id_index`(`user_id`)");
	if (st)
	{
		check(st->nclauses == 2 && st->clauses[0].column->type.is_unsigned &&
			  streq(st->clauses[0].after, "id") &&
			  streq(st->clauses[1].index->name, "posts_user_id_index"),
			  "Laravel add column and index");
		ddl_free(st);
	}

	/* mysqldump */
	st = parse("DROP TABLE IF EXISTS `t1`;");
	if (st)
	{
		check(st->kind == DDL_DROP_TABLE && st->if_exists, "mysqldump DROP");
		ddl_free(st);
	}
	st = parse("CREATE TABLE `t1` (\n  `a` int(11) DEFAULT NULL\n) "
			   "ENGINE=MyISAM DEFAULT CHARSET=latin1;\n");
	if (st)
	{
		check(st->ncolumns == 1 && streq(st->options.charset, "latin1"),
			  "mysqldump CREATE");
		ddl_free(st);
	}
}

/* ---- the corpus ---- */

static char *
read_whole(const char *path, size_t *len)
{
	FILE	   *f = fopen(path, "rb");
	char	   *buf = NULL;
	long		n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
		fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t) n + 1)) != NULL)
	{
		*len = fread(buf, 1, (size_t) n, f);
		buf[*len] = '\0';
	}
	fclose(f);
	return buf;
}

static void
test_corpus(const char *dir)
{
	char	  **files = NULL;
	int			n = list_data_files(dir, &files);

	if (n == 0)
	{
		printf("skip - no corpus files under %s\n", dir);
		return;
	}
	for (int i = 0; i < n; i++)
	{
		char		path[2048];
		size_t		len = 0;
		char	   *text;
		DdlError	err;
		DdlStatement *st;

		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		text = read_whole(path, &len);
		if (text == NULL)
		{
			check(false, "read %s", path);
			free(files[i]);
			continue;
		}
		st = ddl_parse(text, len, 0, &err);
		if (strncmp(files[i], "error/", 6) == 0)
		{
			const char *mark = "-- error: ";
			char		part[256] = "";

			if (strncmp(text, mark, strlen(mark)) == 0)
				sscanf(text + strlen(mark), "%255[^\n]", part);
			check(st == NULL && part[0] != '\0' &&
				  strstr(err.message, part) != NULL,
				  "corpus %s fails with \"%s\": %s", files[i], part,
				  st ? "(parsed)" : err.message);
		}
		else
			check(st != NULL, "corpus %s parses%s%s", files[i],
				  st ? "" : ": ", st ? "" : err.message);
		ddl_free(st);
		free(text);
		free(files[i]);
	}
	free(files);
}

/* ---- the binlogs' query events ---- */

/* Does the query begin with a verb this parser knows? */
static bool
is_ddl_text(const char *q, size_t len)
{
	static const char *const verbs[] = {
		"CREATE", "ALTER", "DROP", "RENAME", "TRUNCATE"
	};

	while (len > 0 && (*q == ' ' || *q == '\n' || *q == '\t'))
		q++, len--;
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
	{
		size_t		n = strlen(verbs[i]);

		if (len > n && strncasecmp(q, verbs[i], n) == 0 &&
			(q[n] == ' ' || q[n] == '\n' || q[n] == '\t' || q[n] == '/'))
			return true;
	}
	return false;
}

static void
test_binlog_queries(const char *data)
{
	char		root[1024];
	char	  **files = NULL;
	int			nfiles;
	int			parsed = 0;
	int			total = 0;

	snprintf(root, sizeof(root), "%s/mysql-binlogs", data);
	nfiles = list_data_files(root, &files);
	if (nfiles == 0)
	{
		printf("skip - no binlog files under %s\n", root);
		return;
	}
	for (int i = 0; i < nfiles; i++)
	{
		char		path[2048];
		BinlogFileReader reader;
		BinlogError berr;
		BinlogEvent ev;

		snprintf(path, sizeof(path), "%s/%s", root, files[i]);
		if (binlog_file_open(&reader, path, &berr))
		{
			while (binlog_file_next(&reader, &ev, &berr) > 0)
			{
				BinlogQuery q;
				DdlError	err;
				DdlStatement *st;

				if (ev.header.type != BINLOG_QUERY_EVENT ||
					!binlog_decode_query(&reader.format, &ev, &q, &berr) ||
					!is_ddl_text(q.query, q.query_len))
					continue;
				total++;
				st = ddl_parse(q.query, q.query_len, 0, &err);
				if (st == NULL)
				{
					st = ddl_parse(q.query, q.query_len, ANSI, &err);
					if (st == NULL &&
						strstr(err.message, "unsupported statement") == NULL)
						check(false, "%s: query \"%.*s\": %s", files[i],
							  (int) (q.query_len > 200 ? 200 : q.query_len),
							  q.query, err.message);
				}
				if (st != NULL)
					parsed++;
				ddl_free(st);
			}
			binlog_file_close(&reader);
		}
		free(files[i]);
	}
	free(files);
	check(total > 0 && parsed > 0,
		  "binlog DDL queries: %d of %d parse, the rest are unsupported "
		  "statements", parsed, total);
}

int
main(int argc, char **argv)
{
	const char *corpus = argc > 1 ? argv[1] : "ddl_corpus";
	const char *data = argc > 2 ? argv[2] : "../../../shared/data";

	test_lexer();
	test_types();
	test_column_attributes();
	test_keys();
	test_create_table();
	test_alter_table();
	test_other_statements();
	test_skipped();
	test_unsupported();
	test_migrations();
	test_corpus(corpus);
	test_binlog_queries(data);
	return check_summary();
}
