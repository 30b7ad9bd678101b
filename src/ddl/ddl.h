/*-------------------------------------------------------------------------
 *
 * ddl.h
 *	  MySQL's data definition statements, parsed into a tree.
 *
 * The binlog carries DDL as the text the client sent, in MySQL's dialect.
 * This layer turns that text into a tree the PostgreSQL side translates;
 * like the binlog decoder it includes no PostgreSQL and no MySQL headers,
 * so it can be unit-tested and fuzzed on its own.
 *
 * Every node of a parsed statement lives in one arena owned by the
 * DdlStatement and is freed with it by ddl_free().  Strings are
 * NUL-terminated copies with quotes and escapes already removed, in the
 * statement's own character set (the bytes are passed through).
 *
 * The parser understands the statements that change a table's shape or
 * its data as a whole (databases, tables, columns, indexes, renames,
 * truncation).  Statements that cannot change either on a source that logs
 * rows (accounts, grants, views, routines, triggers, events, maintenance)
 * are recognised from their first words and returned as DDL_SKIP, so the
 * caller can log and pass over them.  Anything else is an error with the
 * byte offset where parsing stopped.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MYSQL_REPLICA_DDL_H
#define MYSQL_REPLICA_DDL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bits of the source session's sql_mode that change how text is read. */
#define DDL_MODE_PIPES_AS_CONCAT		((uint64_t) 1 << 1)
#define DDL_MODE_ANSI_QUOTES			((uint64_t) 1 << 2)
#define DDL_MODE_NO_BACKSLASH_ESCAPES	((uint64_t) 1 << 21)

/* A parse error: what went wrong and the byte offset it was found at. */
typedef struct DdlError
{
	size_t		offset;
	char		message[256];
} DdlError;

/*
 * One token of an expression (a DEFAULT, a generated column, a CHECK, a
 * functional index part), kept as tokens so the translator can rewrite
 * identifiers and reject what PostgreSQL cannot express.
 */
typedef enum DdlTokenKind
{
	DDL_TOKEN_WORD,				/* unquoted identifier or keyword, as written */
	DDL_TOKEN_IDENT,			/* quoted identifier, unquoted */
	DDL_TOKEN_STRING,			/* string literal, unescaped */
	DDL_TOKEN_NUMBER,			/* numeric literal, as written */
	DDL_TOKEN_HEX,				/* X'0A1B' or 0x0A1B: the hex digits only */
	DDL_TOKEN_BITS,				/* B'0101' or 0b0101: the binary digits only */
	DDL_TOKEN_OPERATOR			/* punctuation and operators: ( ) , . + - ||
								 * <= etc. */
} DdlTokenKind;

typedef struct DdlToken
{
	DdlTokenKind kind;
	char	   *text;
	size_t		len;			/* of text; a string may hold NUL bytes */
	char	   *introducer;		/* string literal: _utf8mb4 etc., or NULL */
} DdlToken;

/*
 * The parentheses around DEFAULT (expr), AS (expr), CHECK (expr) and a
 * functional key part ((expr)) are not part of the expression.
 */
typedef struct DdlExpr
{
	int			ntokens;
	DdlToken   *tokens;
	char	   *source;			/* the expression's text as written */
} DdlExpr;

/* A possibly qualified table name; schema is NULL when not written. */
typedef struct DdlName
{
	char	   *schema;
	char	   *name;
} DdlName;

/* MySQL column types, synonyms resolved (INTEGER is INT, DEC is DECIMAL). */
typedef enum DdlTypeId
{
	DDL_TYPE_TINYINT,			/* BOOL and BOOLEAN are TINYINT(1) */
	DDL_TYPE_SMALLINT,
	DDL_TYPE_MEDIUMINT,
	DDL_TYPE_INT,
	DDL_TYPE_BIGINT,
	DDL_TYPE_DECIMAL,			/* also NUMERIC, DEC, FIXED */
	DDL_TYPE_FLOAT,
	DDL_TYPE_DOUBLE,			/* also REAL, DOUBLE PRECISION */
	DDL_TYPE_BIT,
	DDL_TYPE_DATE,
	DDL_TYPE_DATETIME,
	DDL_TYPE_TIMESTAMP,
	DDL_TYPE_TIME,
	DDL_TYPE_YEAR,
	DDL_TYPE_CHAR,				/* also NATIONAL CHAR, NCHAR, CHARACTER */
	DDL_TYPE_VARCHAR,			/* also NVARCHAR, CHARACTER VARYING */
	DDL_TYPE_BINARY,
	DDL_TYPE_VARBINARY,
	DDL_TYPE_TINYTEXT,
	DDL_TYPE_TEXT,
	DDL_TYPE_MEDIUMTEXT,		/* also LONG, LONG VARCHAR */
	DDL_TYPE_LONGTEXT,
	DDL_TYPE_TINYBLOB,
	DDL_TYPE_BLOB,
	DDL_TYPE_MEDIUMBLOB,		/* also LONG VARBINARY */
	DDL_TYPE_LONGBLOB,
	DDL_TYPE_ENUM,
	DDL_TYPE_SET,
	DDL_TYPE_JSON,
	DDL_TYPE_GEOMETRY,			/* every spatial type; see geometry */
	DDL_TYPE_VECTOR,
	DDL_TYPE_UUID,				/* MariaDB 10.7+ */
	DDL_TYPE_INET4,				/* MariaDB 10.10+ */
	DDL_TYPE_INET6				/* MariaDB 10.5+ */
} DdlTypeId;

typedef struct DdlType
{
	DdlTypeId	id;
	int			length;			/* (n) or (p,s)'s p; -1 when not written */
	int			scale;			/* (p,s)'s s; -1 when not written */
	bool		is_unsigned;
	bool		zerofill;
	char	   *charset;		/* CHARACTER SET x, or NULL */
	char	   *collation;		/* COLLATE x, or NULL */
	bool		binary;			/* BINARY attribute: the binary collation of
								 * the character set (CHAR(10) BINARY) */
	int			nvalues;		/* ENUM and SET: the names, unescaped */
	char	  **values;
	char	   *geometry;		/* GEOMETRY: "geometry", "point", "polygon",
								 * ... lower case */
} DdlType;

typedef enum DdlNullability
{
	DDL_NULL_UNSPECIFIED,
	DDL_NULL,
	DDL_NOT_NULL
} DdlNullability;

/* A column definition, in CREATE TABLE or ALTER TABLE ADD/MODIFY/CHANGE. */
typedef struct DdlColumn
{
	char	   *name;
	DdlType		type;
	DdlNullability nullability;
	DdlExpr    *default_value;	/* NULL when there is no DEFAULT */
	bool		on_update_now;	/* ON UPDATE CURRENT_TIMESTAMP */
	bool		auto_increment;
	bool		primary_key;	/* PRIMARY KEY written on the column */
	bool		unique_key;		/* UNIQUE [KEY] written on the column */
	bool		invisible;
	char	   *comment;
	DdlExpr    *generated;		/* GENERATED ALWAYS AS (expr), or NULL */
	bool		generated_stored;	/* STORED/PERSISTENT rather than VIRTUAL */
	DdlExpr    *check;			/* CHECK (expr) on the column, or NULL */
} DdlColumn;

typedef enum DdlIndexKind
{
	DDL_INDEX_PLAIN,			/* INDEX, KEY */
	DDL_INDEX_UNIQUE,
	DDL_INDEX_PRIMARY,
	DDL_INDEX_FULLTEXT,
	DDL_INDEX_SPATIAL,
	DDL_INDEX_FOREIGN,			/* FOREIGN KEY ... REFERENCES */
	DDL_INDEX_CHECK				/* CHECK (expr) as a table constraint */
} DdlIndexKind;

typedef struct DdlIndexPart
{
	char	   *column;			/* NULL for an expression part */
	DdlExpr    *expr;			/* MySQL 8 functional key part, or NULL */
	int			prefix_length;	/* col(10): 10; -1 for the whole column */
	bool		descending;
} DdlIndexPart;

typedef enum DdlReferenceAction
{
	DDL_REF_UNSPECIFIED,
	DDL_REF_RESTRICT,
	DDL_REF_CASCADE,
	DDL_REF_SET_NULL,
	DDL_REF_SET_DEFAULT,
	DDL_REF_NO_ACTION
} DdlReferenceAction;

/* An index or a table constraint. */
typedef struct DdlIndex
{
	DdlIndexKind kind;
	char	   *name;			/* index or CONSTRAINT name, or NULL */
	int			nparts;
	DdlIndexPart *parts;
	char	   *comment;
	bool		if_not_exists;	/* MariaDB: ADD INDEX IF NOT EXISTS */

	/* FOREIGN KEY */
	DdlName		ref_table;
	int			nref_columns;
	char	  **ref_columns;
	DdlReferenceAction on_delete;
	DdlReferenceAction on_update;

	/* CHECK */
	DdlExpr    *check;
	bool		not_enforced;	/* CHECK (...) NOT ENFORCED: MySQL does not
								 * check it */
} DdlIndex;

/* Table options that matter to the replica; the others are ignored. */
typedef struct DdlTableOptions
{
	char	   *comment;		/* COMMENT = 'x', or NULL */
	uint64_t	auto_increment; /* AUTO_INCREMENT = n, or 0 */
	char	   *charset;		/* [DEFAULT] CHARACTER SET x, or NULL */
	char	   *collation;
} DdlTableOptions;

typedef enum DdlAlterKind
{
	DDL_ALTER_ADD_COLUMN,		/* column, first, after, if_not_exists */
	DDL_ALTER_DROP_COLUMN,		/* name, if_exists */
	DDL_ALTER_MODIFY_COLUMN,	/* column (same name), first, after */
	DDL_ALTER_CHANGE_COLUMN,	/* name (old), column (new definition),
								 * first, after */
	DDL_ALTER_RENAME_COLUMN,	/* name, new_name */
	DDL_ALTER_SET_DEFAULT,		/* name, expr */
	DDL_ALTER_DROP_DEFAULT,		/* name */
	DDL_ALTER_ADD_INDEX,		/* index: keys and constraints of every kind */
	DDL_ALTER_DROP_INDEX,		/* name, if_exists */
	DDL_ALTER_DROP_PRIMARY_KEY,
	DDL_ALTER_DROP_FOREIGN_KEY, /* name, if_exists */
	DDL_ALTER_DROP_CHECK,		/* name (DROP CHECK or DROP CONSTRAINT) */
	DDL_ALTER_RENAME_INDEX,		/* name, new_name */
	DDL_ALTER_RENAME_TABLE,		/* new_table */
	DDL_ALTER_CONVERT_CHARSET,	/* options.charset, options.collation */
	DDL_ALTER_OPTIONS,			/* options: COMMENT=, AUTO_INCREMENT=, ... */
	DDL_ALTER_IGNORED			/* ALGORITHM=, LOCK=, FORCE, ORDER BY, ENABLE
								 * KEYS, partition maintenance, ...: what in
								 * name */
} DdlAlterKind;

typedef struct DdlAlterClause
{
	DdlAlterKind kind;
	DdlColumn  *column;
	char	   *name;
	char	   *new_name;
	DdlName		new_table;
	bool		first;			/* FIRST */
	char	   *after;			/* AFTER col, or NULL */
	bool		if_exists;
	bool		if_not_exists;
	DdlExpr    *expr;
	DdlIndex   *index;
	DdlTableOptions options;
} DdlAlterClause;

typedef enum DdlStatementKind
{
	DDL_SKIP,					/* changes neither data nor table shape;
								 * what says what it is ("GRANT") */
	DDL_CREATE_SCHEMA,			/* CREATE DATABASE|SCHEMA: schema,
								 * if_not_exists, or_replace */
	DDL_DROP_SCHEMA,			/* schema, if_exists */
	DDL_CREATE_TABLE,			/* table, columns, indexes, options,
								 * if_not_exists, or_replace, temporary */
	DDL_CREATE_TABLE_LIKE,		/* table, like, if_not_exists, or_replace */
	DDL_ALTER_TABLE,			/* table, clauses */
	DDL_RENAME_TABLE,			/* names: from, to, from, to, ... */
	DDL_DROP_TABLE,				/* names, if_exists, temporary */
	DDL_TRUNCATE,				/* table */
	DDL_CREATE_INDEX,			/* table, index */
	DDL_DROP_INDEX				/* table, index_name, if_exists */
} DdlStatementKind;

typedef struct DdlStatement
{
	DdlStatementKind kind;
	const char *what;			/* DDL_SKIP: the statement's kind in upper
								 * case, "CREATE VIEW", "GRANT", ... */
	bool		if_exists;
	bool		if_not_exists;
	bool		or_replace;
	bool		temporary;
	char	   *schema;			/* CREATE/DROP DATABASE */
	DdlName		table;
	DdlName		like;			/* CREATE TABLE ... LIKE */

	int			ncolumns;
	DdlColumn  *columns;
	int			nindexes;
	DdlIndex   *indexes;		/* keys and constraints of CREATE TABLE */
	DdlTableOptions options;
	bool		partitioned;	/* PARTITION BY was given (and ignored) */

	int			nclauses;
	DdlAlterClause *clauses;

	int			nnames;
	DdlName    *names;

	DdlIndex   *index;			/* CREATE INDEX */
	char	   *index_name;		/* DROP INDEX */

	struct DdlArena *arena;		/* owns everything above */
} DdlStatement;

/*
 * Parse one statement of len bytes, read under the given sql_mode bits
 * (DDL_MODE_*).  Returns a tree to free with ddl_free(), or NULL with err
 * filled in when the statement is not one this parser knows or is not
 * well formed.  A trailing semicolon and comments are allowed; versioned
 * comments (slash-star-bang-version) are read as the server of that version
 * would, that is as part of the statement.
 */
extern DdlStatement *ddl_parse(const char *sql, size_t len, uint64_t sql_mode,
							   DdlError *err);
extern void ddl_free(DdlStatement *stmt);

/* Name of a type id in MySQL's spelling, "INT", "VARCHAR" ... */
extern const char *ddl_type_name(DdlTypeId id);

#endif							/* MYSQL_REPLICA_DDL_H */
