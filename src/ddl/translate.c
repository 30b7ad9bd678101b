/*-------------------------------------------------------------------------
 *
 * translate.c
 *	  Replaying MySQL's data definition statements as PostgreSQL DDL.
 *
 * A statement is handled in two passes.  The first walks the parsed tree
 * and finds anything this file cannot translate (a type without a
 * PostgreSQL counterpart, a DEFAULT expression PostgreSQL cannot
 * evaluate); such a statement is reported as unsupported with nothing
 * executed, and the caller's policy decides whether the channel stops.
 * The second pass executes the statement step by step through SPI, so that
 * each step sees the effects of the previous ones (an index on a column
 * added by the same ALTER TABLE).  An error in the second pass means the
 * PostgreSQL tables are not what the source's statement expects, and it
 * stops the channel like any other apply error.
 *
 * Names: MySQL database d becomes schema "d", and table and column names
 * keep the source's spelling, always quoted.  MySQL compares column and
 * index names without regard to case, so statements find them that way
 * here too; database and table names are compared exactly, as on a MySQL
 * server with lower_case_table_names=0.
 *
 * What is created for what is listed in the README's type mapping; the
 * choices a reader may wonder about are commented where they are made.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "ddl/translate.h"
#include "ddl/ddl.h"
#include "ddl/filter.h"
#include "mysql_replica.h"
#include "replica/apply.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/dependency.h"
#include "catalog/namespace.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_index.h"
#include "catalog/pg_type.h"
#include "commands/comment.h"
#include "commands/defrem.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "parser/parse_coerce.h"
#include "parser/parse_type.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"

/* MySQL's collation id of the binary pseudo character set. */
#define BINARY_COLLATION 63

/* State of the statement being replayed. */
typedef struct Translation
{
	const char *db;				/* the statement's current database, or
								 * NULL */
	uint64		sql_mode;
	time_t		event_time;
	DdlDropDatabase drop_database;
	bool		has_postgis;	/* type "geometry" exists */
	bool		has_vector;		/* type "vector" (pgvector) exists */
} Translation;

/* The columns an expression may name, spelled as in PostgreSQL. */
typedef struct ColumnNames
{
	int			n;
	const char **names;
	const bool *generated;		/* NULL when none is */
} ColumnNames;

static void run_sql(const char *sql);

/*
 * The channel's scope, set once by its worker: which tables it replicates
 * and the PostgreSQL schema of each MySQL database.  Unset, everything is
 * replicated into schemas named like the databases.
 */
static const TableFilter *scope_filter = NULL;
static int	scope_nmapped = 0;
static char **scope_databases = NULL;
static char **scope_schemas = NULL;

/*
 * Set the channel's scope.  The filter is kept (not copied); the names are
 * copied into TopMemoryContext.
 */
void
ddl_set_scope(const TableFilter *filter, int nmapped, char **databases,
			  char **schemas)
{
	scope_filter = filter;
	scope_nmapped = nmapped;
	scope_databases = MemoryContextAlloc(TopMemoryContext,
										 sizeof(char *) * Max(nmapped, 1));
	scope_schemas = MemoryContextAlloc(TopMemoryContext,
									   sizeof(char *) * Max(nmapped, 1));
	for (int i = 0; i < nmapped; i++)
	{
		scope_databases[i] = MemoryContextStrdup(TopMemoryContext, databases[i]);
		scope_schemas[i] = MemoryContextStrdup(TopMemoryContext, schemas[i]);
	}
}

/* The PostgreSQL schema of a MySQL database. */
const char *
ddl_schema_for(const char *db)
{
	for (int i = 0; i < scope_nmapped; i++)
		if (strcmp(scope_databases[i], db) == 0)
			return scope_schemas[i];
	return db;
}

/* Whether the channel replicates table db.table. */
bool
ddl_table_included(const char *db, const char *table)
{
	return table_filter_matches(scope_filter, db, table);
}

/* ---------------------------------------------------------------------
 * Names
 * ---------------------------------------------------------------------
 */

/* The schema a table name lives in: its own, else the current database. */
static const char *
schema_of(Translation *tr, const DdlName *name)
{
	if (name->schema != NULL)
		return ddl_schema_for(name->schema);
	if (tr->db == NULL || tr->db[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_SCHEMA_NAME),
				 errmsg("statement names table \"%s\" without a database and has no current database",
						name->name)));
	return ddl_schema_for(tr->db);
}

static char *
qualified_name(Translation *tr, const DdlName *name)
{
	return psprintf("%s.%s", quote_identifier(schema_of(tr, name)),
					quote_identifier(name->name));
}

static void
check_name_length(const char *name)
{
	if (strlen(name) >= NAMEDATALEN)
		ereport(ERROR,
				(errcode(ERRCODE_NAME_TOO_LONG),
				 errmsg("MySQL name \"%s\" is too long for PostgreSQL", name),
				 errdetail("PostgreSQL names have at most %d bytes.",
						   NAMEDATALEN - 1)));
}

/* The table's oid, or InvalidOid when it does not exist. */
static Oid
table_oid(Translation *tr, const DdlName *name)
{
	Oid			nspid = get_namespace_oid(schema_of(tr, name), true);

	if (!OidIsValid(nspid))
		return InvalidOid;
	return get_relname_relid(name->name, nspid);
}

static Oid
existing_table(Translation *tr, const DdlName *name)
{
	Oid			relid = table_oid(tr, name);

	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("table \"%s\".\"%s\" does not exist in PostgreSQL",
						schema_of(tr, name), name->name)));
	return relid;
}

/*
 * The attribute number of a column, found the way MySQL finds it: exactly,
 * else ignoring case.  0 when there is no such column.
 */
static AttrNumber
column_attnum(Oid relid, const char *name)
{
	Relation	rel = table_open(relid, AccessShareLock);
	TupleDesc	desc = RelationGetDescr(rel);
	AttrNumber	found = 0;

	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (att->attisdropped)
			continue;
		if (strcmp(NameStr(att->attname), name) == 0)
		{
			found = att->attnum;
			break;
		}
		if (found == 0 && pg_strcasecmp(NameStr(att->attname), name) == 0)
			found = att->attnum;
	}
	table_close(rel, AccessShareLock);
	return found;
}

static char *
existing_column(Oid relid, const char *name)
{
	AttrNumber	attnum = column_attnum(relid, name);

	if (attnum == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of table \"%s\" does not exist in PostgreSQL",
						name, get_rel_name(relid))));
	return get_attname(relid, attnum, false);
}

/* The live columns of a table in PostgreSQL's order, as expression names. */
static ColumnNames *
table_columns(Oid relid)
{
	Relation	rel = table_open(relid, AccessShareLock);
	TupleDesc	desc = RelationGetDescr(rel);
	ColumnNames *cols = palloc0(sizeof(ColumnNames));
	bool	   *generated = palloc0(sizeof(bool) * desc->natts);

	cols->names = palloc(sizeof(char *) * desc->natts);
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (att->attisdropped)
			continue;
		generated[cols->n] = att->attgenerated != '\0';
		cols->names[cols->n++] = pstrdup(NameStr(att->attname));
	}
	cols->generated = generated;
	table_close(rel, AccessShareLock);
	return cols;
}

/* ---------------------------------------------------------------------
 * Executing
 * ---------------------------------------------------------------------
 */

static void
run_sql(const char *sql)
{
	int			rc;

	elog(DEBUG1, "mysql_replica executes: %s", sql);
	rc = SPI_execute(sql, false, 0);
	if (rc < 0)
		elog(ERROR, "SPI_execute failed with %s: %s",
			 SPI_result_code_string(rc), sql);
}

/* Run a statement of the replica's own catalog, with text parameters. */
static void
run_catalog_sql(const char *sql, int nargs, const char **args)
{
	Oid			types[4];
	Datum		values[4];
	int			rc;

	Assert(nargs <= 4);
	for (int i = 0; i < nargs; i++)
	{
		types[i] = TEXTOID;
		values[i] = CStringGetTextDatum(args[i]);
	}
	rc = SPI_execute_with_args(sql, nargs, types, values, NULL, false, 0);
	if (rc < 0)
		elog(ERROR, "SPI_execute_with_args failed with %s: %s",
			 SPI_result_code_string(rc), sql);
}

static bool
type_exists(const char *name)
{
	return OidIsValid(TypenameGetTypid(name));
}

/* ---------------------------------------------------------------------
 * Types
 * ---------------------------------------------------------------------
 */

static bool
is_binary_charset(const DdlType *type)
{
	return type->charset != NULL && pg_strcasecmp(type->charset, "binary") == 0;
}

static bool
is_text_type(const DdlType *type)
{
	switch (type->id)
	{
		case DDL_TYPE_CHAR:
		case DDL_TYPE_VARCHAR:
		case DDL_TYPE_TINYTEXT:
		case DDL_TYPE_TEXT:
		case DDL_TYPE_MEDIUMTEXT:
		case DDL_TYPE_LONGTEXT:
			return !is_binary_charset(type);
		case DDL_TYPE_ENUM:
		case DDL_TYPE_SET:
			return true;
		default:
			return false;
	}
}

static bool
is_bytea_type(const DdlType *type)
{
	switch (type->id)
	{
		case DDL_TYPE_BINARY:
		case DDL_TYPE_VARBINARY:
		case DDL_TYPE_TINYBLOB:
		case DDL_TYPE_BLOB:
		case DDL_TYPE_MEDIUMBLOB:
		case DDL_TYPE_LONGBLOB:
			return true;
		case DDL_TYPE_CHAR:
		case DDL_TYPE_VARCHAR:
		case DDL_TYPE_TINYTEXT:
		case DDL_TYPE_TEXT:
		case DDL_TYPE_MEDIUMTEXT:
		case DDL_TYPE_LONGTEXT:
			return is_binary_charset(type);
		default:
			return false;
	}
}

static bool
is_integer_type(const DdlType *type)
{
	return type->id == DDL_TYPE_TINYINT || type->id == DDL_TYPE_SMALLINT ||
		type->id == DDL_TYPE_MEDIUMINT || type->id == DDL_TYPE_INT ||
		type->id == DDL_TYPE_BIGINT || type->id == DDL_TYPE_YEAR;
}

static bool
is_temporal_type(const DdlType *type)
{
	return type->id == DDL_TYPE_DATE || type->id == DDL_TYPE_DATETIME ||
		type->id == DDL_TYPE_TIMESTAMP;
}

static int
fsp_of(const DdlType *type)
{
	return type->length < 0 ? 0 : Min(type->length, 6);
}

/* PostGIS's spelling of a MySQL spatial type. */
static const char *
postgis_subtype(const char *geometry)
{
	static const char *const names[][2] = {
		{"point", "Point"},
		{"linestring", "LineString"},
		{"polygon", "Polygon"},
		{"multipoint", "MultiPoint"},
		{"multilinestring", "MultiLineString"},
		{"multipolygon", "MultiPolygon"},
		{"geometrycollection", "GeometryCollection"},
		{"geomcollection", "GeometryCollection"},
	};

	if (geometry == NULL)
		return NULL;
	for (int i = 0; i < lengthof(names); i++)
		if (pg_strcasecmp(geometry, names[i][0]) == 0)
			return names[i][1];
	return NULL;
}

/*
 * The PostgreSQL type of a MySQL column type, appended to buf.  Returns
 * false with *why set for the types that have none.
 *
 * An AUTO_INCREMENT BIGINT UNSIGNED becomes bigint rather than
 * numeric(20,0), because an identity column must be an integer; its values
 * above 9223372036854775807, which no counter reaches in practice, are an
 * out-of-range error when they arrive.
 */
static bool
append_pg_type(Translation *tr, const DdlType *type, bool auto_increment,
			   StringInfo buf, char **why)
{
	switch (type->id)
	{
		case DDL_TYPE_TINYINT:
		case DDL_TYPE_YEAR:
			appendStringInfoString(buf, "smallint");
			break;
		case DDL_TYPE_SMALLINT:
			appendStringInfoString(buf, type->is_unsigned ? "integer" : "smallint");
			break;
		case DDL_TYPE_MEDIUMINT:
			appendStringInfoString(buf, "integer");
			break;
		case DDL_TYPE_INT:
			appendStringInfoString(buf, type->is_unsigned ? "bigint" : "integer");
			break;
		case DDL_TYPE_BIGINT:
			appendStringInfoString(buf, type->is_unsigned && !auto_increment
								   ? "numeric(20,0)" : "bigint");
			break;
		case DDL_TYPE_DECIMAL:
			appendStringInfo(buf, "numeric(%d,%d)",
							 type->length < 0 ? 10 : Max(type->length, 1),
							 type->scale < 0 ? 0 : type->scale);
			break;
		case DDL_TYPE_FLOAT:
			/* FLOAT(p) is a DOUBLE from p = 25 on; FLOAT(m,d) stays single */
			appendStringInfoString(buf, type->scale < 0 && type->length > 24
								   ? "double precision" : "real");
			break;
		case DDL_TYPE_DOUBLE:
			appendStringInfoString(buf, "double precision");
			break;
		case DDL_TYPE_BIT:
			appendStringInfo(buf, "bit(%d)", type->length < 1 ? 1 : type->length);
			break;
		case DDL_TYPE_DATE:
			appendStringInfoString(buf, "date");
			break;
		case DDL_TYPE_DATETIME:
			appendStringInfo(buf, "timestamp(%d) without time zone", fsp_of(type));
			break;
		case DDL_TYPE_TIMESTAMP:
			appendStringInfo(buf, "timestamp(%d) with time zone", fsp_of(type));
			break;
		case DDL_TYPE_TIME:
			/* TIME spans -838:59:59 to 838:59:59, beyond PostgreSQL's time */
			appendStringInfo(buf, "interval(%d)", fsp_of(type));
			break;
		case DDL_TYPE_CHAR:
			if (is_binary_charset(type))
				appendStringInfoString(buf, "bytea");
			else if (type->length == 0)
				appendStringInfoString(buf, "text");	/* CHAR(0) holds '' */
			else
				appendStringInfo(buf, "character(%d)",
								 type->length < 0 ? 1 : type->length);
			break;
		case DDL_TYPE_VARCHAR:
			if (is_binary_charset(type))
				appendStringInfoString(buf, "bytea");
			else if (type->length <= 0)
				appendStringInfoString(buf, "text");
			else
				appendStringInfo(buf, "character varying(%d)", type->length);
			break;
		case DDL_TYPE_TINYTEXT:
		case DDL_TYPE_TEXT:
		case DDL_TYPE_MEDIUMTEXT:
		case DDL_TYPE_LONGTEXT:
			appendStringInfoString(buf, is_binary_charset(type) ? "bytea" : "text");
			break;
		case DDL_TYPE_BINARY:
		case DDL_TYPE_VARBINARY:
		case DDL_TYPE_TINYBLOB:
		case DDL_TYPE_BLOB:
		case DDL_TYPE_MEDIUMBLOB:
		case DDL_TYPE_LONGBLOB:
			appendStringInfoString(buf, "bytea");
			break;
		case DDL_TYPE_ENUM:
		case DDL_TYPE_SET:
			/*
			 * Not a PostgreSQL enum: MySQL stores '' for an invalid value
			 * outside strict mode, and ALTERs reorder the names freely.
			 */
			appendStringInfoString(buf, "text");
			break;
		case DDL_TYPE_JSON:
			appendStringInfoString(buf, "jsonb");
			break;
		case DDL_TYPE_GEOMETRY:
			if (tr->has_postgis)
			{
				const char *sub = postgis_subtype(type->geometry);

				if (sub != NULL)
					appendStringInfo(buf, "geometry(%s)", sub);
				else
					appendStringInfoString(buf, "geometry");
			}
			else
				appendStringInfoString(buf, "bytea");
			break;
		case DDL_TYPE_VECTOR:
			if (tr->has_vector && type->length > 0)
				appendStringInfo(buf, "vector(%d)", type->length);
			else
				appendStringInfoString(buf, "real[]");
			break;
		case DDL_TYPE_UUID:
		case DDL_TYPE_INET4:
		case DDL_TYPE_INET6:
			*why = psprintf("MariaDB type %s has no PostgreSQL mapping in mysql_replica",
							ddl_type_name(type->id));
			return false;
	}
	return true;
}

static char *
pg_type_of(Translation *tr, const DdlType *type, bool auto_increment)
{
	StringInfoData buf;
	char	   *why = NULL;

	initStringInfo(&buf);
	if (!append_pg_type(tr, type, auto_increment, &buf, &why))
		elog(ERROR, "%s", why);	/* the first pass rejected these */
	return buf.data;
}

/* ---------------------------------------------------------------------
 * Expressions
 * ---------------------------------------------------------------------
 */

/* The column an identifier names, spelled as in PostgreSQL, or -1. */
static int
find_column_name(const ColumnNames *cols, const char *name)
{
	int			found = -1;

	if (cols == NULL)
		return -1;
	for (int i = 0; i < cols->n; i++)
	{
		if (strcmp(cols->names[i], name) == 0)
			return i;
		if (found < 0 && pg_strcasecmp(cols->names[i], name) == 0)
			found = i;
	}
	return found;
}

static bool
token_is(const DdlToken *tok, const char *text)
{
	return (tok->kind == DDL_TOKEN_WORD || tok->kind == DDL_TOKEN_OPERATOR) &&
		pg_strcasecmp(tok->text, text) == 0;
}

static void
append_string_literal(StringInfo buf, const DdlToken *tok)
{
	appendStringInfoString(buf, quote_literal_cstr(tok->text));
}

/*
 * Translate an expression of the few forms whose value is the same in both
 * systems: column references, numeric and string literals, + - *, unary
 * minus, parentheses, CONCAT() (NULL when an argument is NULL, like ||) and
 * || under PIPES_AS_CONCAT.  Division is not among them (MySQL divides
 * integers into decimals), nor are functions whose results depend on
 * collations or time zones.  Returns false for anything else.
 *
 * A reference to a generated column is refused when refuse_generated, as
 * PostgreSQL's generated columns cannot use one another.
 */
static bool
translate_expr(const DdlExpr *expr, const ColumnNames *cols, uint64 sql_mode,
			   bool refuse_generated, StringInfo buf)
{
	/* per open parenthesis: whether it belongs to CONCAT( */
	bool		concat_depth[64];
	int			depth = 0;

	for (int i = 0; i < expr->ntokens; i++)
	{
		const DdlToken *tok = &expr->tokens[i];

		switch (tok->kind)
		{
			case DDL_TOKEN_NUMBER:
				appendStringInfoString(buf, tok->text);
				break;
			case DDL_TOKEN_STRING:
				if (memchr(tok->text, '\0', tok->len) != NULL)
					return false;
				append_string_literal(buf, tok);
				break;
			case DDL_TOKEN_WORD:
			case DDL_TOKEN_IDENT:
				{
					int			col;

					if (tok->kind == DDL_TOKEN_WORD &&
						pg_strcasecmp(tok->text, "concat") == 0 &&
						i + 1 < expr->ntokens && token_is(&expr->tokens[i + 1], "("))
					{
						if (depth >= lengthof(concat_depth))
							return false;
						concat_depth[depth++] = true;
						appendStringInfoChar(buf, '(');
						i++;
						break;
					}
					col = find_column_name(cols, tok->text);
					if (col < 0)
						return false;
					if (refuse_generated && cols->generated != NULL &&
						cols->generated[col])
						return false;
					appendStringInfoString(buf, quote_identifier(cols->names[col]));
				}
				break;
			case DDL_TOKEN_OPERATOR:
				if (strcmp(tok->text, "(") == 0)
				{
					if (depth >= lengthof(concat_depth))
						return false;
					concat_depth[depth++] = false;
					appendStringInfoChar(buf, '(');
				}
				else if (strcmp(tok->text, ")") == 0)
				{
					if (depth == 0)
						return false;
					depth--;
					appendStringInfoChar(buf, ')');
				}
				else if (strcmp(tok->text, ",") == 0)
				{
					if (depth == 0 || !concat_depth[depth - 1])
						return false;
					appendStringInfoString(buf, " || ");
				}
				else if (strcmp(tok->text, "+") == 0 ||
						 strcmp(tok->text, "-") == 0 ||
						 strcmp(tok->text, "*") == 0)
					appendStringInfo(buf, " %s ", tok->text);
				else if (strcmp(tok->text, "||") == 0 &&
						 (sql_mode & DDL_MODE_PIPES_AS_CONCAT) != 0)
					appendStringInfoString(buf, " || ");
				else
					return false;
				break;
			default:
				return false;
		}
	}
	return depth == 0;
}

/* Whether the expression is MySQL's current time, and its precision. */
static bool
is_current_timestamp(const DdlExpr *expr, int *precision)
{
	static const char *const names[] = {
		"current_timestamp", "now", "localtime", "localtimestamp"
	};
	const DdlToken *t = expr->tokens;
	int			n = expr->ntokens;
	bool		found = false;

	if (n == 0 || t[0].kind != DDL_TOKEN_WORD)
		return false;
	for (int i = 0; i < lengthof(names); i++)
		if (pg_strcasecmp(t[0].text, names[i]) == 0)
			found = true;
	if (!found)
		return false;
	*precision = -1;
	if (n == 1)
		return true;
	if (n == 3 && token_is(&t[1], "(") && token_is(&t[2], ")"))
		return true;
	if (n == 4 && token_is(&t[1], "(") && t[2].kind == DDL_TOKEN_NUMBER &&
		token_is(&t[3], ")"))
	{
		*precision = atoi(t[2].text);
		return true;
	}
	return false;
}

/*
 * The digits of a MySQL hex or bit literal (the lexer keeps only the
 * digits) as an unsigned number; false when it does not fit 64 bits.
 */
static bool
literal_value(const DdlToken *tok, uint64 *value)
{
	char	   *end;

	errno = 0;
	*value = strtoull(tok->text, &end, tok->kind == DDL_TOKEN_HEX ? 16 : 2);
	return errno == 0 && *end == '\0';
}

/* B'...' of a BIT(n) column's value. */
static void
append_bit_literal(StringInfo buf, uint64 value, int nbits)
{
	appendStringInfoString(buf, "B'");
	for (int i = nbits - 1; i >= 0; i--)
		appendStringInfoChar(buf, i < 64 && (value >> i) & 1 ? '1' : '0');
	appendStringInfoChar(buf, '\'');
}

/*
 * The PostgreSQL DEFAULT expression of a column, appended to buf.
 * Returns false with *why set when there is none.  *none is set when the
 * column is to have no default although MySQL gives one: a zero date,
 * which the replica stores as the mysql_replica.zero_date policy says.
 */
static bool
append_default(Translation *tr, const DdlColumn *col, const ColumnNames *cols,
			   StringInfo buf, bool *none, char **why)
{
	const DdlExpr *expr = col->default_value;
	const DdlType *type = &col->type;
	const DdlToken *tok = &expr->tokens[0];
	int			precision;
	uint64		value;

	*none = false;
	if (expr->ntokens == 0)
		goto unsupported;

	if (is_current_timestamp(expr, &precision))
	{
		const char *fn = type->id == DDL_TYPE_TIMESTAMP ? "CURRENT_TIMESTAMP"
			: type->id == DDL_TYPE_DATE ? "CURRENT_DATE" : "LOCALTIMESTAMP";

		if (precision >= 0 && type->id != DDL_TYPE_DATE)
			appendStringInfo(buf, "%s(%d)", fn, precision);
		else
			appendStringInfoString(buf, fn);
		return true;
	}

	/* An expression in parentheses, MySQL 8.0.13 and MariaDB 10.2 */
	if (token_is(tok, "("))
	{
		if (translate_expr(expr, cols, tr->sql_mode, false, buf))
			return true;
		goto unsupported;
	}

	if (expr->ntokens != 1)
		goto unsupported;

	switch (tok->kind)
	{
		case DDL_TOKEN_WORD:
			if (pg_strcasecmp(tok->text, "null") == 0)
				*none = true;	/* no default is a NULL default */
			else if (pg_strcasecmp(tok->text, "true") == 0)
				appendStringInfoString(buf, "1");
			else if (pg_strcasecmp(tok->text, "false") == 0)
				appendStringInfoString(buf, "0");
			else
				goto unsupported;
			return true;

		case DDL_TOKEN_NUMBER:
			if (type->id == DDL_TYPE_BIT)
			{
				char	   *end;

				errno = 0;
				value = strtoull(tok->text, &end, 10);
				if (errno != 0 || *end != '\0')
					goto unsupported;
				append_bit_literal(buf, value, Max(type->length, 1));
			}
			else
				appendStringInfoString(buf, quote_literal_cstr(tok->text));
			return true;

		case DDL_TOKEN_STRING:
			if (memchr(tok->text, '\0', tok->len) != NULL && !is_bytea_type(type))
				goto unsupported;
			if (is_temporal_type(type) &&
				mysql_is_zero_date_text(tok->text, tok->len))
			{
				*none = true;
				return true;
			}
			if (is_bytea_type(type) || type->id == DDL_TYPE_GEOMETRY)
			{
				appendStringInfoString(buf, "'\\x");
				for (size_t i = 0; i < tok->len; i++)
					appendStringInfo(buf, "%02x", (unsigned char) tok->text[i]);
				appendStringInfoString(buf, "'::bytea");
			}
			else
				append_string_literal(buf, tok);
			return true;

		case DDL_TOKEN_HEX:
		case DDL_TOKEN_BITS:
			if (is_bytea_type(type) && tok->kind == DDL_TOKEN_HEX)
			{
				appendStringInfo(buf, "'\\x%s%s'::bytea",
								 tok->len % 2 ? "0" : "", tok->text);
				return true;
			}
			if (!literal_value(tok, &value))
				goto unsupported;
			if (type->id == DDL_TYPE_BIT)
				append_bit_literal(buf, value, Max(type->length, 1));
			else if (is_integer_type(type) || type->id == DDL_TYPE_DECIMAL)
				appendStringInfo(buf, "'" UINT64_FORMAT "'", value);
			else
				goto unsupported;
			return true;

		default:
			break;
	}

unsupported:
	*why = psprintf("DEFAULT %s of column \"%s\" cannot be expressed in PostgreSQL",
					expr->source, col->name);
	return false;
}

/*
 * The value MySQL gives existing rows for a NOT NULL column added without
 * a DEFAULT, or NULL when the column is to be added as nullable (the
 * implicit default of a date is a zero date, which the replica does not
 * store as a date).
 */
static char *
implicit_default(const DdlType *type)
{
	if (is_integer_type(type) || type->id == DDL_TYPE_DECIMAL ||
		type->id == DDL_TYPE_FLOAT || type->id == DDL_TYPE_DOUBLE)
		return "0";
	if (type->id == DDL_TYPE_BIT)
		return psprintf("B'%0*d'", Max(type->length, 1), 0);
	if (type->id == DDL_TYPE_TIME)
		return "'00:00:00'";
	if (type->id == DDL_TYPE_ENUM && type->nvalues > 0)
		return quote_literal_cstr(type->values[0]);
	if (type->id == DDL_TYPE_BINARY && type->length > 0)
		return psprintf("decode(repeat('00', %d), 'hex')", type->length);
	if (is_bytea_type(type))
		return "'\\x'::bytea";
	if (is_text_type(type))
		return "''";
	if (type->id == DDL_TYPE_JSON)
		return "'null'";
	return NULL;
}

/* ---------------------------------------------------------------------
 * The first pass: can the statement be translated?
 * ---------------------------------------------------------------------
 */

/*
 * Whether a column definition translates: its type, and its DEFAULT with
 * the columns it may name (those of the table, or NULL when unknown).
 */
static bool
column_supported(Translation *tr, const DdlColumn *col,
				 const ColumnNames *cols, char **why)
{
	StringInfoData buf;
	bool		none;

	initStringInfo(&buf);
	if (!append_pg_type(tr, &col->type, col->auto_increment, &buf, why))
		return false;
	check_name_length(col->name);
	resetStringInfo(&buf);
	if (col->default_value != NULL &&
		!append_default(tr, col, cols, &buf, &none, why))
		return false;
	return true;
}

/*
 * MariaDB's JSON is LONGTEXT with CHECK (json_valid(col)), and SHOW CREATE
 * TABLE writes it so: such a column is JSON here too, as when the source
 * wrote JSON.
 */
static void
recognize_mariadb_json(DdlColumn *col)
{
	const DdlExpr *check = col->check;

	if (check == NULL || col->type.id < DDL_TYPE_TINYTEXT ||
		col->type.id > DDL_TYPE_LONGTEXT)
		return;
	if (check->ntokens == 4 &&
		check->tokens[0].kind == DDL_TOKEN_WORD &&
		pg_strcasecmp(check->tokens[0].text, "json_valid") == 0 &&
		token_is(&check->tokens[1], "(") &&
		(check->tokens[2].kind == DDL_TOKEN_WORD ||
		 check->tokens[2].kind == DDL_TOKEN_IDENT) &&
		pg_strcasecmp(check->tokens[2].text, col->name) == 0 &&
		token_is(&check->tokens[3], ")"))
		col->type.id = DDL_TYPE_JSON;
}

static void
recognize_statement_json(DdlStatement *stmt)
{
	for (int i = 0; i < stmt->ncolumns; i++)
		recognize_mariadb_json(&stmt->columns[i]);
	for (int i = 0; i < stmt->nclauses; i++)
		if (stmt->clauses[i].column != NULL)
			recognize_mariadb_json(stmt->clauses[i].column);
}

static bool
statement_supported(Translation *tr, const DdlStatement *stmt, char **why)
{
	ColumnNames cols;
	ColumnNames *table_cols = NULL;
	Oid			relid;

	switch (stmt->kind)
	{
		case DDL_CREATE_TABLE:
			/* a DEFAULT may name the statement's own columns */
			cols.n = stmt->ncolumns;
			cols.names = palloc(sizeof(char *) * Max(cols.n, 1));
			cols.generated = NULL;
			for (int i = 0; i < cols.n; i++)
				cols.names[i] = stmt->columns[i].name;
			for (int i = 0; i < stmt->ncolumns; i++)
				if (!column_supported(tr, &stmt->columns[i], &cols, why))
					return false;
			break;
		case DDL_ALTER_TABLE:
			/* ... or the table's, when it exists */
			relid = table_oid(tr, &stmt->table);
			if (OidIsValid(relid))
				table_cols = table_columns(relid);
			for (int i = 0; i < stmt->nclauses; i++)
			{
				const DdlAlterClause *cl = &stmt->clauses[i];

				if (cl->column != NULL &&
					!column_supported(tr, cl->column, table_cols, why))
					return false;
			}
			break;
		default:
			break;
	}
	return true;
}

/* ---------------------------------------------------------------------
 * The replica's own catalog: index names and column order
 *
 * Reads of these tables go through SPI as not read-only, which takes a new
 * snapshot, so that they see what earlier steps of the same statement
 * wrote (an index dropped, then added again under its name).
 * ---------------------------------------------------------------------
 */

/* Forget what the catalog says of tables and indexes that are gone. */
static void
forget_dropped_objects(void)
{
	run_sql("DELETE FROM mysql_replica.source_indexes s WHERE NOT EXISTS "
			"(SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = s.indexrelid)");
	run_sql("DELETE FROM mysql_replica.source_columns s WHERE NOT EXISTS "
			"(SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = s.relid)");
}

/* The index on relid that MySQL calls name, or InvalidOid. */
static Oid
find_index(Oid relid, const char *name)
{
	Oid			found = InvalidOid;
	Oid			types[2] = {OIDOID, TEXTOID};
	Datum		values[2] = {ObjectIdGetDatum(relid), CStringGetTextDatum(name)};
	int			rc;

	/*
	 * Indexes the replica created are found by their MySQL name, an exact
	 * spelling first; indexes someone created by hand, by their PostgreSQL
	 * name.
	 */
	rc = SPI_execute_with_args("SELECT i.indexrelid FROM pg_catalog.pg_index i "
							   "JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid "
							   "LEFT JOIN mysql_replica.source_indexes s "
							   "ON s.indexrelid = i.indexrelid "
							   "WHERE i.indrelid = $1 AND NOT i.indisprimary "
							   "AND lower(coalesce(s.name, c.relname)) = lower($2) "
							   "ORDER BY coalesce(s.name, c.relname) = $2 DESC, "
							   "s.name IS NULL LIMIT 1",
							   2, types, values, NULL, false, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "could not look up index: %s", SPI_result_code_string(rc));
	if (SPI_processed > 0)
	{
		bool		isnull;

		found = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0],
											   SPI_tuptable->tupdesc, 1,
											   &isnull));
	}
	return found;
}

static void
forget_index(Oid indexrelid)
{
	Oid			types[1] = {OIDOID};
	Datum		values[1] = {ObjectIdGetDatum(indexrelid)};

	if (SPI_execute_with_args("DELETE FROM mysql_replica.source_indexes "
							  "WHERE indexrelid = $1", 1, types, values,
							  NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "could not forget index %u", indexrelid);
}

static void
remember_index(Oid indexrelid, Oid relid, const char *name)
{
	Oid			types[3] = {OIDOID, OIDOID, TEXTOID};
	Datum		values[3] = {ObjectIdGetDatum(indexrelid),
	ObjectIdGetDatum(relid), CStringGetTextDatum(name)};
	int			rc;

	rc = SPI_execute_with_args("INSERT INTO mysql_replica.source_indexes "
							   "(indexrelid, relid, name) VALUES ($1, $2, $3) "
							   "ON CONFLICT (indexrelid) DO UPDATE SET name = $3",
							   3, types, values, NULL, false, 0);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "could not remember index: %s", SPI_result_code_string(rc));
}

/*
 * The MySQL order of a table's columns as PostgreSQL attribute numbers,
 * or NULL when the replica never had to record it (the orders agree).
 * Called inside the applier's SPI connection; the result is allocated in
 * the caller's memory context.
 */
int16 *
ddl_source_column_order(Oid relid, int *ncolumns)
{
	MemoryContext cxt = CurrentMemoryContext;
	Oid			types[1] = {OIDOID};
	Datum		values[1] = {ObjectIdGetDatum(relid)};
	int16	   *result = NULL;
	int			rc;

	rc = SPI_execute_with_args("SELECT attnums FROM mysql_replica.source_columns "
							   "WHERE relid = $1",
							   1, types, values, NULL, false, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "could not read column order: %s", SPI_result_code_string(rc));
	if (SPI_processed > 0)
	{
		bool		isnull;
		ArrayType  *arr;
		Datum	   *elems;
		int			n;

		arr = DatumGetArrayTypeP(SPI_getbinval(SPI_tuptable->vals[0],
											   SPI_tuptable->tupdesc, 1,
											   &isnull));
		deconstruct_array(arr, INT2OID, 2, true, TYPALIGN_SHORT,
						  &elems, NULL, &n);
		result = MemoryContextAlloc(cxt, sizeof(int16) * Max(n, 1));
		for (int i = 0; i < n; i++)
			result[i] = DatumGetInt16(elems[i]);
		*ncolumns = n;
	}
	MemoryContextSwitchTo(cxt);
	return result;
}

static void
save_column_order(Oid relid, const int16 *attnums, int n)
{
	Datum	   *elems = palloc(sizeof(Datum) * Max(n, 1));
	ArrayType  *arr;
	Oid			types[2] = {OIDOID, INT2ARRAYOID};
	Datum		values[2];
	int			rc;

	for (int i = 0; i < n; i++)
		elems[i] = Int16GetDatum(attnums[i]);
	arr = construct_array(elems, n, INT2OID, 2, true, TYPALIGN_SHORT);
	values[0] = ObjectIdGetDatum(relid);
	values[1] = PointerGetDatum(arr);
	rc = SPI_execute_with_args("INSERT INTO mysql_replica.source_columns "
							   "(relid, attnums) VALUES ($1, $2) "
							   "ON CONFLICT (relid) DO UPDATE SET attnums = $2",
							   2, types, values, NULL, false, 0);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "could not save column order: %s", SPI_result_code_string(rc));
}

/* The live attributes of a table in PostgreSQL's order. */
static int16 *
live_attnums(Oid relid, int *n)
{
	Relation	rel = table_open(relid, AccessShareLock);
	TupleDesc	desc = RelationGetDescr(rel);
	int16	   *attnums = palloc(sizeof(int16) * Max(desc->natts, 1));

	*n = 0;
	for (int i = 0; i < desc->natts; i++)
		if (!TupleDescAttr(desc, i)->attisdropped)
			attnums[(*n)++] = TupleDescAttr(desc, i)->attnum;
	table_close(rel, AccessShareLock);
	return attnums;
}

/*
 * Put a column where FIRST or AFTER placed it in the MySQL table.
 * PostgreSQL cannot move a column, so the MySQL order is recorded in
 * mysql_replica.source_columns; nothing is recorded while the two orders
 * agree.  A column placed nowhere in particular goes last in both.
 */
static void
place_column(Oid relid, AttrNumber attnum, bool first, const char *after)
{
	int			n;
	int16	   *order = ddl_source_column_order(relid, &n);
	int16	   *placed;
	int			pos;
	int			k = 0;

	if (order == NULL && !first && after == NULL)
		return;
	if (order == NULL)
		order = live_attnums(relid, &n);

	/* where it goes, counted among the other columns */
	pos = n;
	if (first)
		pos = 0;
	else if (after != NULL)
	{
		AttrNumber	after_attnum = column_attnum(relid, after);
		int			j = 0;

		if (after_attnum == 0)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("column \"%s\" named in AFTER does not exist in table \"%s\"",
							after, get_rel_name(relid))));
		for (int i = 0; i < n; i++)
		{
			if (order[i] == attnum)
				continue;
			j++;
			if (order[i] == after_attnum)
				pos = j;
		}
	}

	placed = palloc(sizeof(int16) * (n + 1));
	for (int i = 0; i < n; i++)
	{
		if (order[i] == attnum)
			continue;
		if (k == pos)
			placed[k++] = attnum;
		placed[k++] = order[i];
	}
	if (k == pos)
		placed[k++] = attnum;
	save_column_order(relid, placed, k);
}

/* Take a dropped column out of a recorded column order. */
static void
forget_column(Oid relid, AttrNumber attnum)
{
	int			n;
	int			k = 0;
	int16	   *order = ddl_source_column_order(relid, &n);

	if (order == NULL)
		return;
	for (int i = 0; i < n; i++)
		if (order[i] != attnum)
			order[k++] = order[i];
	save_column_order(relid, order, k);
}

/* ---------------------------------------------------------------------
 * Columns
 * ---------------------------------------------------------------------
 */

/*
 * A column definition for CREATE TABLE or ADD COLUMN.  A generated column
 * whose expression translates (see translate_expr) is a PostgreSQL
 * generated column, which the applier then leaves to PostgreSQL; any other
 * is a plain column that receives the values the source computed, which
 * the binlog carries for VIRTUAL columns too.
 */
static void
append_column_definition(Translation *tr, StringInfo buf, const DdlColumn *col,
						 const ColumnNames *cols, uint64 start_with)
{
	bool		none;
	char	   *why;

	appendStringInfo(buf, "%s %s", quote_identifier(col->name),
					 pg_type_of(tr, &col->type, col->auto_increment));

	if (col->generated != NULL)
	{
		StringInfoData expr;

		initStringInfo(&expr);
		if (translate_expr(col->generated, cols, tr->sql_mode, true, &expr))
			appendStringInfo(buf, " GENERATED ALWAYS AS (%s) STORED", expr.data);
		else
			ereport(LOG,
					(errmsg("mysql_replica creates generated column \"%s\" as a plain column",
							col->name),
					 errdetail("PostgreSQL cannot compute \"%s\" the way MySQL does; the column receives the values the source computed.",
							   col->generated->source)));
	}
	else if (col->auto_increment && is_integer_type(&col->type))
	{
		appendStringInfoString(buf, " GENERATED BY DEFAULT AS IDENTITY");
		if (start_with > 1)
			appendStringInfo(buf, " (START WITH " UINT64_FORMAT ")", start_with);
	}
	else if (col->default_value != NULL)
	{
		StringInfoData def;

		initStringInfo(&def);
		if (!append_default(tr, col, cols, &def, &none, &why))
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("%s", why)));
		if (!none)
			appendStringInfo(buf, " DEFAULT %s", def.data);
	}

	if (col->nullability == DDL_NOT_NULL || col->primary_key ||
		(col->auto_increment && is_integer_type(&col->type)))
		appendStringInfoString(buf, " NOT NULL");
}

static void
comment_on_column(Translation *tr, const char *table, const char *column,
				  const char *comment)
{
	run_sql(psprintf("COMMENT ON COLUMN %s.%s IS %s", table,
					 quote_identifier(column),
					 comment && comment[0] ? quote_literal_cstr(comment) : "NULL"));
}

/* ---------------------------------------------------------------------
 * Indexes
 * ---------------------------------------------------------------------
 */

/* The name MySQL gives an unnamed index: its first column, made unique. */
static char *
default_index_name(Oid relid, const char *column)
{
	char	   *name = pstrdup(column);

	for (int n = 2; OidIsValid(find_index(relid, name)); n++)
		name = psprintf("%s_%d", column, n);
	return name;
}

/* A free PostgreSQL name for the index table_name in the table's schema. */
static char *
choose_index_name(Oid relid, const char *name)
{
	Oid			nspid = get_rel_namespace(relid);
	char	   *table = get_rel_name(relid);
	char	   *pgname = makeObjectName(table, name, NULL);

	for (int pass = 1; OidIsValid(get_relname_relid(pgname, nspid)); pass++)
		pgname = makeObjectName(table, name, psprintf("%d", pass));
	return pgname;
}

/*
 * Create an index or constraint of the MySQL table relid.  Foreign keys
 * and CHECK constraints are not created: the source enforced them on every
 * row it logged, and foreign keys would make the replica depend on the
 * order of tables in loads the source ran with foreign_key_checks=0.
 * FULLTEXT indexes have no PostgreSQL counterpart with MySQL's semantics;
 * SPATIAL ones become GiST indexes when the column is a PostGIS geometry.
 * Prefix parts, col(10), index left(col, 10) so that long values fit a
 * B-tree, and a unique prefix is exactly as unique as in MySQL.
 */
static void
create_index(Translation *tr, Oid relid, const DdlIndex *index)
{
	char	   *table = psprintf("%s.%s",
								 quote_identifier(get_namespace_name(get_rel_namespace(relid))),
								 quote_identifier(get_rel_name(relid)));
	StringInfoData parts;
	char	   *name;
	char	   *pgname;
	const char *method = NULL;
	ColumnNames *cols = NULL;

	switch (index->kind)
	{
		case DDL_INDEX_FOREIGN:
		case DDL_INDEX_CHECK:
			ereport(LOG,
					(errmsg("mysql_replica does not create %s \"%s\" on table \"%s\"",
							index->kind == DDL_INDEX_FOREIGN ? "foreign key" : "check constraint",
							index->name ? index->name : "", get_rel_name(relid)),
					 errdetail("The source enforces it on the rows it replicates.")));
			return;
		case DDL_INDEX_FULLTEXT:
			ereport(LOG,
					(errmsg("mysql_replica does not create FULLTEXT index \"%s\" on table \"%s\"",
							index->name ? index->name : "", get_rel_name(relid))));
			return;
		default:
			break;
	}

	/* the parts */
	initStringInfo(&parts);
	for (int i = 0; i < index->nparts; i++)
	{
		const DdlIndexPart *part = &index->parts[i];

		if (i > 0)
			appendStringInfoString(&parts, ", ");
		if (part->column != NULL)
		{
			AttrNumber	attnum;
			char	   *column = existing_column(relid, part->column);
			Oid			typid;

			attnum = column_attnum(relid, column);
			typid = getBaseType(get_atttype(relid, attnum));
			if (index->kind == DDL_INDEX_SPATIAL)
			{
				if (!tr->has_postgis || typid != TypenameGetTypid("geometry"))
				{
					ereport(LOG,
							(errmsg("mysql_replica does not create SPATIAL index \"%s\" on table \"%s\"",
									index->name ? index->name : "", get_rel_name(relid)),
							 errdetail("Column \"%s\" is not a PostGIS geometry.", column)));
					return;
				}
				method = "gist";
			}
			if (part->prefix_length > 0 && index->kind != DDL_INDEX_PRIMARY &&
				typid == BYTEAOID)
				appendStringInfo(&parts, "(substring(%s from 1 for %d))",
								 quote_identifier(column), part->prefix_length);
			else if (part->prefix_length > 0 && index->kind != DDL_INDEX_PRIMARY &&
					 TypeCategory(typid) == TYPCATEGORY_STRING)
				appendStringInfo(&parts, "(left(%s, %d))",
								 quote_identifier(column), part->prefix_length);
			else
				appendStringInfoString(&parts, quote_identifier(column));
		}
		else
		{
			StringInfoData expr;

			if (cols == NULL)
				cols = table_columns(relid);
			initStringInfo(&expr);
			if (index->kind == DDL_INDEX_PRIMARY ||
				!translate_expr(part->expr, cols, tr->sql_mode, false, &expr))
			{
				ereport(LOG,
						(errmsg("mysql_replica does not create index \"%s\" on table \"%s\"",
								index->name ? index->name : "", get_rel_name(relid)),
						 errdetail("Its key part %s cannot be expressed in PostgreSQL.",
								   part->expr->source)));
				return;
			}
			appendStringInfo(&parts, "(%s)", expr.data);
		}
		if (part->descending)
			appendStringInfoString(&parts, " DESC");
	}

	if (index->kind == DDL_INDEX_PRIMARY)
	{
		run_sql(psprintf("ALTER TABLE %s ADD PRIMARY KEY (%s)", table, parts.data));
		return;
	}

	name = index->name ? pstrdup(index->name) :
		default_index_name(relid, index->parts[0].column ?
						   index->parts[0].column : "functional_index");
	if (OidIsValid(find_index(relid, name)))
	{
		if (index->if_not_exists)
			return;
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_OBJECT),
				 errmsg("index \"%s\" of table \"%s\" already exists in PostgreSQL",
						name, get_rel_name(relid))));
	}
	pgname = choose_index_name(relid, name);
	run_sql(psprintf("CREATE %sINDEX %s ON %s%s%s (%s)",
					 index->kind == DDL_INDEX_UNIQUE ? "UNIQUE " : "",
					 quote_identifier(pgname), table,
					 method ? " USING " : "", method ? method : "",
					 parts.data));
	remember_index(get_relname_relid(pgname, get_rel_namespace(relid)),
				   relid, name);
	if (index->comment != NULL && index->comment[0] != '\0')
		run_sql(psprintf("COMMENT ON INDEX %s.%s IS %s",
						 quote_identifier(get_namespace_name(get_rel_namespace(relid))),
						 quote_identifier(pgname),
						 quote_literal_cstr(index->comment)));
}

/* The index MySQL calls name on relid, dropped; false if there is none. */
static bool
drop_index(Oid relid, const char *name)
{
	Oid			indexrelid = find_index(relid, name);

	if (!OidIsValid(indexrelid))
		return false;
	forget_index(indexrelid);
	run_sql(psprintf("DROP INDEX %s.%s",
					 quote_identifier(get_namespace_name(get_rel_namespace(indexrelid))),
					 quote_identifier(get_rel_name(indexrelid))));
	return true;
}

static void
drop_index_or_log(Oid relid, const char *name, bool if_exists)
{
	if (drop_index(relid, name) || if_exists)
		return;

	/* FULLTEXT, foreign keys and the like were never created */
	ereport(LOG,
			(errmsg("mysql_replica found no index \"%s\" on table \"%s\" to drop",
					name, get_rel_name(relid)),
			 errdetail("The replica does not create FULLTEXT indexes, foreign keys and CHECK constraints.")));
}

/* The name of the table's primary key constraint, or NULL. */
static char *
primary_key_name(Oid relid)
{
	Oid			indexrelid;
	Relation	rel = table_open(relid, AccessShareLock);

	indexrelid = RelationGetPrimaryKeyIndex(rel);
	table_close(rel, AccessShareLock);
	if (!OidIsValid(indexrelid))
		return NULL;
	/* a constraint's index has the constraint's name */
	return get_rel_name(indexrelid);
}

/* ---------------------------------------------------------------------
 * Statements
 * ---------------------------------------------------------------------
 */

/*
 * The schema of a MySQL database, created (and remembered as the
 * replica's own) when it does not exist yet.
 */
static void
ensure_schema(const char *schema)
{
	const char *args[1] = {schema};

	check_name_length(schema);
	if (OidIsValid(get_namespace_oid(schema, true)))
		return;
	run_sql(psprintf("CREATE SCHEMA %s", quote_identifier(schema)));
	run_catalog_sql("INSERT INTO mysql_replica.source_schemas (nspname) "
					"VALUES ($1) ON CONFLICT DO NOTHING", 1, args);
}

static void
drop_schema(Translation *tr, const DdlStatement *stmt)
{
	const char *schema = ddl_schema_for(stmt->schema);
	const char *args[1] = {schema};
	bool		created;
	Oid			types[1] = {TEXTOID};
	Datum		values[1] = {CStringGetTextDatum(schema)};

	if (!OidIsValid(get_namespace_oid(schema, true)))
		return;
	if (SPI_execute_with_args("SELECT 1 FROM mysql_replica.source_schemas "
							  "WHERE nspname = $1", 1, types, values, NULL,
							  false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read mysql_replica.source_schemas");
	created = SPI_processed > 0;

	if (tr->drop_database == DDL_DROP_NEVER ||
		(tr->drop_database == DDL_DROP_CREATED && !created))
	{
		ereport(LOG,
				(errmsg("mysql_replica keeps schema \"%s\" although the source dropped its database",
						schema),
				 errdetail(tr->drop_database == DDL_DROP_NEVER
						   ? "The channel's drop_database setting is \"never\"."
						   : "The schema existed before the replica created it; the channel's drop_database setting is \"created\".")));
		return;
	}
	run_sql(psprintf("DROP SCHEMA %s CASCADE", quote_identifier(schema)));
	run_catalog_sql("DELETE FROM mysql_replica.source_schemas WHERE nspname = $1",
					1, args);
}

/* The primary key columns of a CREATE TABLE, as an index, or NULL. */
static const DdlIndex *
inline_primary_key(const DdlStatement *stmt)
{
	for (int i = 0; i < stmt->nindexes; i++)
		if (stmt->indexes[i].kind == DDL_INDEX_PRIMARY)
			return &stmt->indexes[i];
	return NULL;
}

static void
create_table(Translation *tr, const DdlStatement *stmt)
{
	const char *schema = schema_of(tr, &stmt->table);
	char	   *table = qualified_name(tr, &stmt->table);
	StringInfoData sql;
	ColumnNames cols;
	bool	   *generated;
	const DdlIndex *pkey = inline_primary_key(stmt);
	Oid			relid;
	int			npkey = 0;

	check_name_length(stmt->table.name);
	ensure_schema(schema);
	if (stmt->or_replace)
		run_sql(psprintf("DROP TABLE IF EXISTS %s", table));
	else if (OidIsValid(table_oid(tr, &stmt->table)))
	{
		if (stmt->if_not_exists)
		{
			ereport(LOG,
					(errmsg("mysql_replica leaves existing table \"%s\".\"%s\" alone",
							schema, stmt->table.name),
					 errdetail("The statement was CREATE TABLE IF NOT EXISTS.")));
			return;
		}
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_TABLE),
				 errmsg("table \"%s\".\"%s\" already exists in PostgreSQL",
						schema, stmt->table.name),
				 errhint("Drop or rename the PostgreSQL table, then start the channel again; or skip the statement with mysql_replica.skip_transaction().")));
	}

	/* the statement's columns are what its expressions may name */
	cols.n = stmt->ncolumns;
	cols.names = palloc(sizeof(char *) * Max(cols.n, 1));
	generated = palloc0(sizeof(bool) * Max(cols.n, 1));
	for (int i = 0; i < cols.n; i++)
	{
		cols.names[i] = stmt->columns[i].name;
		generated[i] = stmt->columns[i].generated != NULL;
	}
	cols.generated = generated;

	initStringInfo(&sql);
	appendStringInfo(&sql, "CREATE TABLE %s (", table);
	for (int i = 0; i < stmt->ncolumns; i++)
	{
		if (i > 0)
			appendStringInfoString(&sql, ", ");
		append_column_definition(tr, &sql, &stmt->columns[i], &cols,
								 stmt->options.auto_increment);
	}

	/* PRIMARY KEY on a column or as a table constraint */
	for (int i = 0; i < stmt->ncolumns; i++)
		if (stmt->columns[i].primary_key)
		{
			appendStringInfo(&sql, "%sPRIMARY KEY (%s)", npkey++ ? "" : ", ",
							 quote_identifier(stmt->columns[i].name));
			break;
		}
	if (pkey != NULL && npkey == 0)
	{
		appendStringInfoString(&sql, ", PRIMARY KEY (");
		for (int i = 0; i < pkey->nparts; i++)
		{
			int			col = pkey->parts[i].column ?
				find_column_name(&cols, pkey->parts[i].column) : -1;

			if (col < 0)
				ereport(ERROR,
						(errcode(ERRCODE_UNDEFINED_COLUMN),
						 errmsg("primary key of table \"%s\".\"%s\" names no column of the table",
								schema, stmt->table.name)));
			appendStringInfo(&sql, "%s%s", i ? ", " : "",
							 quote_identifier(cols.names[col]));
		}
		appendStringInfoChar(&sql, ')');
	}
	appendStringInfoChar(&sql, ')');
	run_sql(sql.data);
	relid = existing_table(tr, &stmt->table);

	/* keys after the table, comments last */
	for (int i = 0; i < stmt->ncolumns; i++)
		if (stmt->columns[i].unique_key)
		{
			DdlIndex	index = {0};
			DdlIndexPart part = {0};

			part.column = stmt->columns[i].name;
			part.prefix_length = -1;
			index.kind = DDL_INDEX_UNIQUE;
			index.nparts = 1;
			index.parts = &part;
			create_index(tr, relid, &index);
		}
	for (int i = 0; i < stmt->nindexes; i++)
		if (stmt->indexes[i].kind != DDL_INDEX_PRIMARY)
			create_index(tr, relid, &stmt->indexes[i]);
	for (int i = 0; i < stmt->ncolumns; i++)
		if (stmt->columns[i].comment != NULL && stmt->columns[i].comment[0])
			comment_on_column(tr, table, stmt->columns[i].name,
							  stmt->columns[i].comment);
	if (stmt->options.comment != NULL && stmt->options.comment[0])
		run_sql(psprintf("COMMENT ON TABLE %s IS %s", table,
						 quote_literal_cstr(stmt->options.comment)));
}

/*
 * CREATE TABLE a LIKE b: the same columns, defaults, identity and
 * generated columns, comments and indexes, with the MySQL names of b's
 * indexes and b's recorded column order carried over.
 */
static void
create_table_like(Translation *tr, const DdlStatement *stmt)
{
	Oid			like = existing_table(tr, &stmt->like);
	Oid			relid;
	List	   *old_indexes;
	List	   *new_indexes;
	Relation	rel;
	int			n;
	int16	   *order;

	check_name_length(stmt->table.name);
	ensure_schema(schema_of(tr, &stmt->table));
	if (stmt->or_replace)
		run_sql(psprintf("DROP TABLE IF EXISTS %s", qualified_name(tr, &stmt->table)));
	else if (OidIsValid(table_oid(tr, &stmt->table)))
	{
		if (stmt->if_not_exists)
			return;
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_TABLE),
				 errmsg("table \"%s\".\"%s\" already exists in PostgreSQL",
						schema_of(tr, &stmt->table), stmt->table.name)));
	}
	run_sql(psprintf("CREATE TABLE %s (LIKE %s INCLUDING DEFAULTS "
					 "INCLUDING IDENTITY INCLUDING GENERATED INCLUDING COMMENTS "
					 "INCLUDING INDEXES)",
					 qualified_name(tr, &stmt->table),
					 qualified_name(tr, &stmt->like)));
	relid = existing_table(tr, &stmt->table);

	/* LIKE creates the indexes in the order of their oids: pair them up */
	rel = table_open(like, AccessShareLock);
	old_indexes = list_copy(RelationGetIndexList(rel));
	table_close(rel, AccessShareLock);
	rel = table_open(relid, AccessShareLock);
	new_indexes = list_copy(RelationGetIndexList(rel));
	table_close(rel, AccessShareLock);
	list_sort(old_indexes, list_oid_cmp);
	list_sort(new_indexes, list_oid_cmp);
	for (int i = 0; i < list_length(old_indexes) && i < list_length(new_indexes); i++)
	{
		Oid			old_index = list_nth_oid(old_indexes, i);
		Oid			types[1] = {OIDOID};
		Datum		values[1] = {ObjectIdGetDatum(old_index)};

		if (SPI_execute_with_args("SELECT name FROM mysql_replica.source_indexes "
								  "WHERE indexrelid = $1", 1, types, values,
								  NULL, false, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not read mysql_replica.source_indexes");
		if (SPI_processed > 0)
			remember_index(list_nth_oid(new_indexes, i), relid,
						   SPI_getvalue(SPI_tuptable->vals[0],
										SPI_tuptable->tupdesc, 1));
	}

	/* INCLUDING COMMENTS copies the columns' comments, not the table's */
	{
		char	   *comment = GetComment(like, RelationRelationId, 0);

		if (comment != NULL)
			run_sql(psprintf("COMMENT ON TABLE %s IS %s",
							 qualified_name(tr, &stmt->table),
							 quote_literal_cstr(comment)));
	}

	/* dropped columns are not copied: map b's order by name */
	order = ddl_source_column_order(like, &n);
	if (order != NULL)
	{
		for (int i = 0; i < n; i++)
			order[i] = column_attnum(relid, get_attname(like, order[i], false));
		save_column_order(relid, order, n);
	}
}

/*
 * The MySQL names of a table's indexes, as pairs of PostgreSQL and MySQL
 * name.  A column type change rebuilds the indexes on the column under new
 * oids, keeping their names; reattach_index_names() then finds them again.
 */
static List *
index_names_of(Oid relid)
{
	Oid			types[1] = {OIDOID};
	Datum		values[1] = {ObjectIdGetDatum(relid)};
	List	   *pairs = NIL;

	if (SPI_execute_with_args("SELECT c.relname::text, s.name "
							  "FROM mysql_replica.source_indexes s "
							  "JOIN pg_catalog.pg_class c ON c.oid = s.indexrelid "
							  "WHERE s.relid = $1",
							  1, types, values, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read mysql_replica.source_indexes");
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		pairs = lappend(pairs, SPI_getvalue(SPI_tuptable->vals[i],
											SPI_tuptable->tupdesc, 1));
		pairs = lappend(pairs, SPI_getvalue(SPI_tuptable->vals[i],
											SPI_tuptable->tupdesc, 2));
	}
	return pairs;
}

static void
reattach_index_names(Oid relid, List *pairs)
{
	Oid			nspid = get_rel_namespace(relid);

	for (int i = 0; i + 1 < list_length(pairs); i += 2)
	{
		Oid			indexrelid = get_relname_relid(list_nth(pairs, i), nspid);

		if (OidIsValid(indexrelid))
			remember_index(indexrelid, relid, list_nth(pairs, i + 1));
	}
}

/*
 * Make the generated columns computed from a column plain ones, before
 * that column's type changes: PostgreSQL cannot change the type under a
 * generation expression, and MySQL recomputes the values, which then
 * arrive in the binlog.
 */
static void
detach_generated_columns(Oid relid, AttrNumber attnum, const char *table)
{
	Oid			types[2] = {OIDOID, INT4OID};
	Datum		values[2] = {ObjectIdGetDatum(relid), Int32GetDatum(attnum)};
	List	   *names = NIL;
	ListCell   *lc;

	if (SPI_execute_with_args("SELECT a.attname::text FROM pg_catalog.pg_attrdef ad "
							  "JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_attrdef'::regclass "
							  "AND d.objid = ad.oid "
							  "JOIN pg_catalog.pg_attribute a ON a.attrelid = ad.adrelid "
							  "AND a.attnum = ad.adnum "
							  "WHERE ad.adrelid = $1 AND d.refobjid = $1 "
							  "AND d.refobjsubid = $2 AND a.attgenerated <> ''",
							  2, types, values, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not look up generated columns");
	for (uint64 i = 0; i < SPI_processed; i++)
		names = lappend(names, SPI_getvalue(SPI_tuptable->vals[i],
											SPI_tuptable->tupdesc, 1));
	foreach(lc, names)
		run_sql(psprintf("ALTER TABLE %s ALTER COLUMN %s DROP EXPRESSION",
						 table, quote_identifier(lfirst(lc))));
}

/*
 * MODIFY and CHANGE: the column becomes what the new definition says, in
 * full, as in MySQL; a DEFAULT, NOT NULL or COMMENT the definition leaves
 * out is removed.
 */
static void
modify_column(Translation *tr, Oid relid, const char *table,
			  const char *old_name, const DdlAlterClause *cl)
{
	const DdlColumn *col = cl->column;
	char	   *column = existing_column(relid, old_name);
	AttrNumber	attnum = column_attnum(relid, column);
	const char *qcol;
	Oid			old_typid;
	int32		old_typmod;
	Oid			new_typid;
	int32		new_typmod;
	char	   *new_type = pg_type_of(tr, &col->type, col->auto_increment);
	HeapTuple	atttup;
	Form_pg_attribute att;
	char		identity;
	char		generated;
	bool		is_pkey_column = false;
	Relation	rel;
	Oid			pkey;
	List	   *mysql_names;

	/* CHANGE renames first */
	if (strcmp(column, col->name) != 0)
	{
		check_name_length(col->name);
		run_sql(psprintf("ALTER TABLE %s RENAME COLUMN %s TO %s", table,
						 quote_identifier(column), quote_identifier(col->name)));
		column = col->name;
	}
	qcol = quote_identifier(column);

	atttup = SearchSysCacheCopyAttNum(relid, attnum);
	if (!HeapTupleIsValid(atttup))
		elog(ERROR, "cache lookup failed for attribute %d of relation %u",
			 attnum, relid);
	att = (Form_pg_attribute) GETSTRUCT(atttup);
	old_typid = att->atttypid;
	old_typmod = att->atttypmod;
	identity = att->attidentity;
	generated = att->attgenerated;

	rel = table_open(relid, AccessShareLock);
	pkey = RelationGetPrimaryKeyIndex(rel);
	table_close(rel, AccessShareLock);
	if (OidIsValid(pkey))
	{
		HeapTuple	indtup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(pkey));
		Form_pg_index index = (Form_pg_index) GETSTRUCT(indtup);

		for (int k = 0; k < index->indnkeyatts; k++)
			if (index->indkey.values[k] == attnum)
				is_pkey_column = true;
		ReleaseSysCache(indtup);
	}

	/*
	 * PostgreSQL 15 cannot change a generation expression: the column
	 * becomes a plain one and receives the source's values from here on.
	 */
	if (generated != '\0')
		run_sql(psprintf("ALTER TABLE %s ALTER COLUMN %s DROP EXPRESSION",
						 table, qcol));
	if (identity != '\0' && !(col->auto_increment && is_integer_type(&col->type)))
		run_sql(psprintf("ALTER TABLE %s ALTER COLUMN %s DROP IDENTITY",
						 table, qcol));
	else if (identity == '\0')
		run_sql(psprintf("ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT",
						 table, qcol));

	/* the type, converting text and bytea by their bytes in UTF-8 */
	parseTypeString(new_type, &new_typid, &new_typmod, false);
	if (new_typid != old_typid || new_typmod != old_typmod)
	{
		const char *using;

		if (old_typid == BYTEAOID && TypeCategory(new_typid) == TYPCATEGORY_STRING)
			using = psprintf("convert_from(%s, 'UTF8')::%s", qcol, new_type);
		else if (new_typid == BYTEAOID && TypeCategory(old_typid) == TYPCATEGORY_STRING)
			using = psprintf("convert_to(%s, 'UTF8')", qcol);
		else
			using = psprintf("%s::%s", qcol, new_type);
		detach_generated_columns(relid, attnum, table);
		mysql_names = index_names_of(relid);
		run_sql(psprintf("ALTER TABLE %s ALTER COLUMN %s TYPE %s USING %s",
						 table, qcol, new_type, using));
		reattach_index_names(relid, mysql_names);
	}

	if (col->nullability == DDL_NOT_NULL || col->primary_key || col->auto_increment)
		run_sql(psprintf("ALTER TABLE %s ALTER COLUMN %s SET NOT NULL", table, qcol));
	else if (!is_pkey_column)
		run_sql(psprintf("ALTER TABLE %s ALTER COLUMN %s DROP NOT NULL", table, qcol));

	if (col->auto_increment && is_integer_type(&col->type) && identity == '\0')
	{
		/* a new counter starts after the rows already there */
		run_sql(psprintf("ALTER TABLE %s ALTER COLUMN %s ADD GENERATED BY DEFAULT AS IDENTITY",
						 table, qcol));
		run_sql(psprintf("SELECT setval(pg_get_serial_sequence(%s, %s), "
						 "max(%s)) FROM %s HAVING max(%s) > 0",
						 quote_literal_cstr(table), quote_literal_cstr(qcol),
						 qcol, table, qcol));
	}
	else if (col->default_value != NULL)
	{
		StringInfoData def;
		bool		none;
		char	   *why;
		ColumnNames *cols = table_columns(relid);

		initStringInfo(&def);
		if (!append_default(tr, col, cols, &def, &none, &why))
			ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
							errmsg("%s", why)));
		if (!none)
			run_sql(psprintf("ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s",
							 table, qcol, def.data));
	}

	comment_on_column(tr, table, column, col->comment);
	if (cl->first || cl->after != NULL)
		place_column(relid, attnum, cl->first, cl->after);
	if (col->primary_key)
	{
		DdlIndex	index = {0};
		DdlIndexPart part = {0};

		part.column = column;
		part.prefix_length = -1;
		index.kind = DDL_INDEX_PRIMARY;
		index.nparts = 1;
		index.parts = &part;
		create_index(tr, relid, &index);
	}
	if (col->unique_key)
	{
		DdlIndex	index = {0};
		DdlIndexPart part = {0};

		part.column = column;
		part.prefix_length = -1;
		index.kind = DDL_INDEX_UNIQUE;
		index.nparts = 1;
		index.parts = &part;
		create_index(tr, relid, &index);
	}
}

/*
 * ADD COLUMN.  Rows already in the table get what MySQL gives them: the
 * DEFAULT, else NULL, else (NOT NULL without DEFAULT) the type's implicit
 * default, else (DEFAULT CURRENT_TIMESTAMP on a TIMESTAMP) the time of the
 * statement on the source.
 */
static void
add_column(Translation *tr, Oid relid, const char *table,
		   const DdlAlterClause *cl)
{
	const DdlColumn *col = cl->column;
	ColumnNames *cols;
	StringInfoData sql;
	char	   *fill = NULL;
	int			precision;
	AttrNumber	attnum;
	DdlColumn	adjusted = *col;

	check_name_length(col->name);
	if (column_attnum(relid, col->name) != 0)
	{
		if (cl->if_not_exists)
			return;
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_COLUMN),
				 errmsg("column \"%s\" of table \"%s\" already exists in PostgreSQL",
						col->name, get_rel_name(relid))));
	}

	if (col->generated == NULL && !col->auto_increment)
	{
		if (col->default_value == NULL && col->nullability == DDL_NOT_NULL)
		{
			fill = implicit_default(&col->type);
			if (fill == NULL)
				adjusted.nullability = DDL_NULL_UNSPECIFIED;
		}
		else if (col->default_value != NULL &&
				 col->type.id == DDL_TYPE_TIMESTAMP &&
				 is_current_timestamp(col->default_value, &precision))
			fill = psprintf("to_timestamp(%ld)", (long) tr->event_time);
	}

	cols = table_columns(relid);
	initStringInfo(&sql);
	appendStringInfo(&sql, "ALTER TABLE %s ADD COLUMN ", table);
	if (fill != NULL)
	{
		/* add with the fill as default, then put the real default */
		adjusted.default_value = NULL;
		append_column_definition(tr, &sql, &adjusted, cols, 0);
		appendStringInfo(&sql, " DEFAULT %s", fill);
		run_sql(sql.data);
		run_sql(psprintf("ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT",
						 table, quote_identifier(col->name)));
		if (col->default_value != NULL)
		{
			StringInfoData def;
			bool		none;
			char	   *why;

			initStringInfo(&def);
			if (!append_default(tr, col, cols, &def, &none, &why))
				ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
								errmsg("%s", why)));
			run_sql(psprintf("ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s",
							 table, quote_identifier(col->name), def.data));
		}
	}
	else
	{
		append_column_definition(tr, &sql, &adjusted, cols, 0);
		run_sql(sql.data);
	}

	attnum = column_attnum(relid, col->name);
	place_column(relid, attnum, cl->first, cl->after);
	if (col->comment != NULL && col->comment[0])
		comment_on_column(tr, table, col->name, col->comment);
	if (col->primary_key || col->unique_key)
	{
		DdlIndex	index = {0};
		DdlIndexPart part = {0};

		part.column = col->name;
		part.prefix_length = -1;
		index.kind = col->primary_key ? DDL_INDEX_PRIMARY : DDL_INDEX_UNIQUE;
		index.nparts = 1;
		index.parts = &part;
		create_index(tr, relid, &index);
	}
}

/* Move a table to another name, and schema if MySQL moved its database. */
static Oid
rename_table(Translation *tr, Oid relid, const DdlName *to)
{
	const char *schema = schema_of(tr, to);
	char	   *nspname = get_namespace_name(get_rel_namespace(relid));
	char	   *relname = get_rel_name(relid);

	check_name_length(to->name);
	if (strcmp(nspname, schema) != 0)
	{
		ensure_schema(schema);
		run_sql(psprintf("ALTER TABLE %s.%s SET SCHEMA %s",
						 quote_identifier(nspname), quote_identifier(relname),
						 quote_identifier(schema)));
	}
	if (strcmp(relname, to->name) != 0)
		run_sql(psprintf("ALTER TABLE %s.%s RENAME TO %s",
						 quote_identifier(schema), quote_identifier(relname),
						 quote_identifier(to->name)));
	return relid;
}

/* Keep a table's counter at least at MySQL's AUTO_INCREMENT = n. */
static void
set_auto_increment(Oid relid, uint64 next)
{
	List	   *seqs = getOwnedSequences(relid);

	if (seqs == NIL || next == 0)
		return;
	run_sql(psprintf("SELECT setval(%u, " UINT64_FORMAT ", false) "
					 "WHERE " UINT64_FORMAT " > (SELECT last_value FROM %s.%s)",
					 linitial_oid(seqs), next, next,
					 quote_identifier(get_namespace_name(get_rel_namespace(linitial_oid(seqs)))),
					 quote_identifier(get_rel_name(linitial_oid(seqs)))));
}

static void
alter_table(Translation *tr, const DdlStatement *stmt)
{
	Oid			relid = table_oid(tr, &stmt->table);
	char	   *table;
	const DdlAlterClause *rename = NULL;

	if (!OidIsValid(relid))
	{
		if (stmt->if_exists)
			return;
		existing_table(tr, &stmt->table);
	}
	table = qualified_name(tr, &stmt->table);

	for (int i = 0; i < stmt->nclauses; i++)
	{
		const DdlAlterClause *cl = &stmt->clauses[i];
		AttrNumber	attnum;

		switch (cl->kind)
		{
			case DDL_ALTER_ADD_COLUMN:
				add_column(tr, relid, table, cl);
				break;
			case DDL_ALTER_DROP_COLUMN:
				attnum = column_attnum(relid, cl->name);
				if (attnum == 0 && cl->if_exists)
					break;
				run_sql(psprintf("ALTER TABLE %s DROP COLUMN %s", table,
								 quote_identifier(existing_column(relid, cl->name))));
				forget_column(relid, attnum);
				break;
			case DDL_ALTER_MODIFY_COLUMN:
				if (cl->if_exists && column_attnum(relid, cl->column->name) == 0)
					break;
				modify_column(tr, relid, table, cl->column->name, cl);
				break;
			case DDL_ALTER_CHANGE_COLUMN:
				if (cl->if_exists && column_attnum(relid, cl->name) == 0)
					break;
				modify_column(tr, relid, table, cl->name, cl);
				break;
			case DDL_ALTER_RENAME_COLUMN:
				check_name_length(cl->new_name);
				run_sql(psprintf("ALTER TABLE %s RENAME COLUMN %s TO %s", table,
								 quote_identifier(existing_column(relid, cl->name)),
								 quote_identifier(cl->new_name)));
				break;
			case DDL_ALTER_SET_DEFAULT:
				{
					DdlColumn	col = {0};
					AttrNumber	a = column_attnum(relid, existing_column(relid, cl->name));
					StringInfoData def;
					bool		none;
					char	   *why;

					col.name = cl->name;
					col.default_value = cl->expr;
					col.type.id = DDL_TYPE_TEXT;
					col.type.length = col.type.scale = -1;

					/* the default's shape depends on the column's type */
					if (get_atttype(relid, a) == BYTEAOID)
						col.type.id = DDL_TYPE_BLOB;
					else if (TypeCategory(get_atttype(relid, a)) == TYPCATEGORY_DATETIME)
						col.type.id = get_atttype(relid, a) == TIMESTAMPTZOID
							? DDL_TYPE_TIMESTAMP : DDL_TYPE_DATETIME;
					initStringInfo(&def);
					if (!append_default(tr, &col, table_columns(relid), &def, &none, &why))
						ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
										errmsg("%s", why)));
					run_sql(psprintf("ALTER TABLE %s ALTER COLUMN %s %s", table,
									 quote_identifier(get_attname(relid, a, false)),
									 none ? "DROP DEFAULT" :
									 psprintf("SET DEFAULT %s", def.data)));
				}
				break;
			case DDL_ALTER_DROP_DEFAULT:
				run_sql(psprintf("ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT", table,
								 quote_identifier(existing_column(relid, cl->name))));
				break;
			case DDL_ALTER_ADD_INDEX:
				create_index(tr, relid, cl->index);
				break;
			case DDL_ALTER_DROP_INDEX:
				drop_index_or_log(relid, cl->name, cl->if_exists);
				break;
			case DDL_ALTER_DROP_PRIMARY_KEY:
				{
					char	   *name = primary_key_name(relid);

					if (name == NULL)
						ereport(ERROR,
								(errcode(ERRCODE_UNDEFINED_OBJECT),
								 errmsg("table \"%s\" has no primary key in PostgreSQL",
										get_rel_name(relid))));
					run_sql(psprintf("ALTER TABLE %s DROP CONSTRAINT %s", table,
									 quote_identifier(name)));
				}
				break;
			case DDL_ALTER_DROP_FOREIGN_KEY:
				ereport(LOG,
						(errmsg("mysql_replica has no foreign key \"%s\" on table \"%s\" to drop",
								cl->name, get_rel_name(relid))));
				break;
			case DDL_ALTER_DROP_CHECK:
				/* DROP CONSTRAINT may name a unique key too */
				if (!drop_index(relid, cl->name))
					ereport(LOG,
							(errmsg("mysql_replica has no constraint \"%s\" on table \"%s\" to drop",
									cl->name, get_rel_name(relid))));
				break;
			case DDL_ALTER_RENAME_INDEX:
				{
					Oid			indexrelid = find_index(relid, cl->name);

					if (!OidIsValid(indexrelid))
						ereport(LOG,
								(errmsg("mysql_replica found no index \"%s\" on table \"%s\" to rename",
										cl->name, get_rel_name(relid))));
					else
						remember_index(indexrelid, relid, cl->new_name);
				}
				break;
			case DDL_ALTER_RENAME_TABLE:
				rename = cl;	/* last, as MySQL does */
				break;
			case DDL_ALTER_OPTIONS:
				if (cl->options.comment != NULL)
					run_sql(psprintf("COMMENT ON TABLE %s IS %s", table,
									 cl->options.comment[0]
									 ? quote_literal_cstr(cl->options.comment)
									 : "NULL"));
				set_auto_increment(relid, cl->options.auto_increment);
				break;
			case DDL_ALTER_CONVERT_CHARSET:
				/* text is in the database encoding whatever MySQL's charset */
			case DDL_ALTER_IGNORED:
				break;
		}
	}
	if (rename != NULL)
		rename_table(tr, relid, &rename->new_table);
}

static void
drop_tables(Translation *tr, const DdlStatement *stmt)
{
	for (int i = 0; i < stmt->nnames; i++)
	{
		Oid			relid = table_oid(tr, &stmt->names[i]);

		if (!OidIsValid(relid))
		{
			if (!stmt->if_exists)
				ereport(LOG,
						(errmsg("mysql_replica found no table \"%s\".\"%s\" to drop",
								schema_of(tr, &stmt->names[i]), stmt->names[i].name)));
			continue;
		}
		run_sql(psprintf("DROP TABLE %s", qualified_name(tr, &stmt->names[i])));
	}
}

static void
rename_tables(Translation *tr, const DdlStatement *stmt)
{
	/* pairs, one after the other: a swap through a third name works */
	for (int i = 0; i + 1 < stmt->nnames; i += 2)
		rename_table(tr, existing_table(tr, &stmt->names[i]), &stmt->names[i + 1]);
}

/* ---------------------------------------------------------------------
 * Entry points
 * ---------------------------------------------------------------------
 */

/* Whether a table name is in the channel's scope. */
static bool
name_in_scope(Translation *tr, const DdlName *name)
{
	const char *db = name->schema != NULL ? name->schema : tr->db;

	return db == NULL || table_filter_matches(scope_filter, db, name->name);
}

/*
 * Whether a statement concerns tables the channel replicates.  DROP TABLE
 * and RENAME TABLE keep just the tables in scope (a rename is judged by
 * the table's old name), and are out of scope when none is left.
 */
static bool
statement_in_scope(Translation *tr, DdlStatement *stmt)
{
	int			kept = 0;

	switch (stmt->kind)
	{
		case DDL_SKIP:
			return true;
		case DDL_CREATE_SCHEMA:
		case DDL_DROP_SCHEMA:
			return table_filter_matches_database(scope_filter, stmt->schema);
		case DDL_DROP_TABLE:
			for (int i = 0; i < stmt->nnames; i++)
				if (name_in_scope(tr, &stmt->names[i]))
					stmt->names[kept++] = stmt->names[i];
			stmt->nnames = kept;
			return kept > 0;
		case DDL_RENAME_TABLE:
			for (int i = 0; i + 1 < stmt->nnames; i += 2)
				if (name_in_scope(tr, &stmt->names[i]))
				{
					stmt->names[kept++] = stmt->names[i];
					stmt->names[kept++] = stmt->names[i + 1];
				}
			stmt->nnames = kept;
			return kept > 0;
		default:
			return name_in_scope(tr, &stmt->table);
	}
}

/*
 * Replay one statement of the source.  Must be called inside a
 * transaction with SPI connected.  Returns DDL_OUTCOME_UNSUPPORTED, with a
 * message and nothing executed, for a statement that cannot be parsed or
 * translated; DDL_OUTCOME_IGNORED, with the statement's kind as message,
 * for one that changes neither data nor tables; DDL_OUTCOME_OUT_OF_SCOPE
 * for one about tables the channel does not replicate;
 * DDL_OUTCOME_APPLIED otherwise.  Errors while executing are raised.
 */
DdlOutcome
ddl_replicate(const char *db, const char *query, size_t query_len,
			  uint64 sql_mode, time_t event_time,
			  DdlDropDatabase drop_database, char **message)
{
	Translation tr;
	DdlStatement *stmt;
	DdlError	err;
	char	   *why = NULL;
	DdlStatementKind kind;

	*message = NULL;
	stmt = ddl_parse(query, query_len, sql_mode, &err);
	if (stmt == NULL)
	{
		*message = psprintf("%s (at byte %zu)", err.message, err.offset);
		return DDL_OUTCOME_UNSUPPORTED;
	}
	kind = stmt->kind;

	/* the parse tree is malloc'd: free it on error too */
	PG_TRY();
	{
		memset(&tr, 0, sizeof(tr));
		tr.db = db;
		tr.sql_mode = sql_mode;
		tr.event_time = event_time;
		tr.drop_database = drop_database;
		tr.has_postgis = type_exists("geometry");
		tr.has_vector = type_exists("vector");

		recognize_statement_json(stmt);
		if (stmt->kind == DDL_SKIP)
			*message = pstrdup(stmt->what);
		else if (!statement_in_scope(&tr, stmt))
			kind = DDL_SKIP;	/* reported as out of scope below */
		else if (!statement_supported(&tr, stmt, &why))
			*message = why;
		else
		{
			forget_dropped_objects();
			switch (stmt->kind)
			{
				case DDL_SKIP:
					break;
				case DDL_CREATE_SCHEMA:
					if (stmt->or_replace &&
						OidIsValid(get_namespace_oid(ddl_schema_for(stmt->schema), true)))
					{
						/* OR REPLACE drops the database first */
						DdlStatement drop = *stmt;

						drop.kind = DDL_DROP_SCHEMA;
						drop_schema(&tr, &drop);
					}
					ensure_schema(ddl_schema_for(stmt->schema));
					break;
				case DDL_DROP_SCHEMA:
					drop_schema(&tr, stmt);
					break;
				case DDL_CREATE_TABLE:
					if (stmt->temporary)
						break;
					create_table(&tr, stmt);
					break;
				case DDL_CREATE_TABLE_LIKE:
					if (stmt->temporary)
						break;
					create_table_like(&tr, stmt);
					break;
				case DDL_ALTER_TABLE:
					alter_table(&tr, stmt);
					break;
				case DDL_RENAME_TABLE:
					rename_tables(&tr, stmt);
					break;
				case DDL_DROP_TABLE:
					if (stmt->temporary)
						break;
					drop_tables(&tr, stmt);
					break;
				case DDL_TRUNCATE:
					/* MySQL's TRUNCATE restarts AUTO_INCREMENT too */
					run_sql(psprintf("TRUNCATE %s RESTART IDENTITY",
									 qualified_name(&tr, &stmt->table)));
					break;
				case DDL_CREATE_INDEX:
					create_index(&tr, existing_table(&tr, &stmt->table), stmt->index);
					break;
				case DDL_DROP_INDEX:
					drop_index_or_log(existing_table(&tr, &stmt->table),
									  stmt->index_name, stmt->if_exists);
					break;
			}
		}
	}
	PG_FINALLY();
	{
		ddl_free(stmt);
	}
	PG_END_TRY();

	if (kind == DDL_SKIP && *message == NULL)
		return DDL_OUTCOME_OUT_OF_SCOPE;
	if (kind == DDL_SKIP)
		return DDL_OUTCOME_IGNORED;
	return *message != NULL ? DDL_OUTCOME_UNSUPPORTED : DDL_OUTCOME_APPLIED;
}

/*
 * Bytes per character of a MySQL collation's character set, for turning
 * the byte lengths of a table map into character lengths: 4 for utf8mb4,
 * 3 for utf8mb3, 1 for the single-byte sets.  Other multi-byte sets give
 * 1, so their columns get the byte length, which is never too short.
 */
static int
collation_bytes_per_char(int collation)
{
	if (collation >= 2048)
		return 4;				/* MariaDB's UCA 14.0 collations */
	if (collation >= 1024)
		collation -= 1024;		/* MariaDB's NO PAD variants */
	if (collation == 45 || collation == 46 || (collation >= 224 && collation <= 247) ||
		(collation >= 255 && collation <= 323))
		return 4;
	if (collation == 33 || collation == 76 || collation == 83 ||
		collation == 223 || (collation >= 192 && collation <= 215))
		return 3;
	return 1;
}

/* The MySQL type of a table map's column, as CREATE TABLE would spell it. */
static void
table_map_column_type(const BinlogTableMap *map, int col, DdlType *t)
{
	int			type = map->real_types ? map->real_types[col] : map->types[col];
	uint16		meta = map->meta[col];
	int			collation = map->collation ? map->collation[col] : -1;
	bool		binary = collation == BINARY_COLLATION;
	int			per_char = collation_bytes_per_char(collation);
	static const DdlTypeId blobs[2][4] = {
		{DDL_TYPE_TINYTEXT, DDL_TYPE_TEXT, DDL_TYPE_MEDIUMTEXT, DDL_TYPE_LONGTEXT},
		{DDL_TYPE_TINYBLOB, DDL_TYPE_BLOB, DDL_TYPE_MEDIUMBLOB, DDL_TYPE_LONGBLOB}
	};
	static const char *const geometries[] = {
		"geometry", "point", "linestring", "polygon", "multipoint",
		"multilinestring", "multipolygon", "geometrycollection"
	};

	memset(t, 0, sizeof(*t));
	t->length = t->scale = -1;
	t->is_unsigned = map->has_signedness && map->is_unsigned &&
		map->is_unsigned[col];
	switch (type)
	{
		case BINLOG_TYPE_TINY:
			t->id = DDL_TYPE_TINYINT;
			break;
		case BINLOG_TYPE_SHORT:
			t->id = DDL_TYPE_SMALLINT;
			break;
		case BINLOG_TYPE_INT24:
			t->id = DDL_TYPE_MEDIUMINT;
			break;
		case BINLOG_TYPE_LONG:
			t->id = DDL_TYPE_INT;
			break;
		case BINLOG_TYPE_LONGLONG:
			t->id = DDL_TYPE_BIGINT;
			break;
		case BINLOG_TYPE_FLOAT:
			t->id = DDL_TYPE_FLOAT;
			break;
		case BINLOG_TYPE_DOUBLE:
			t->id = DDL_TYPE_DOUBLE;
			break;
		case BINLOG_TYPE_NEWDECIMAL:
			t->id = DDL_TYPE_DECIMAL;
			t->length = meta >> 8;
			t->scale = meta & 0xff;
			break;
		case BINLOG_TYPE_DATE:
		case BINLOG_TYPE_NEWDATE:
			t->id = DDL_TYPE_DATE;
			break;
		case BINLOG_TYPE_TIME:
		case BINLOG_TYPE_TIME2:
			t->id = DDL_TYPE_TIME;
			t->length = type == BINLOG_TYPE_TIME2 ? meta : 0;
			break;
		case BINLOG_TYPE_DATETIME:
		case BINLOG_TYPE_DATETIME2:
			t->id = DDL_TYPE_DATETIME;
			t->length = type == BINLOG_TYPE_DATETIME2 ? meta : 0;
			break;
		case BINLOG_TYPE_TIMESTAMP:
		case BINLOG_TYPE_TIMESTAMP2:
			t->id = DDL_TYPE_TIMESTAMP;
			t->length = type == BINLOG_TYPE_TIMESTAMP2 ? meta : 0;
			break;
		case BINLOG_TYPE_YEAR:
			t->id = DDL_TYPE_YEAR;
			break;
		case BINLOG_TYPE_BIT:
			t->id = DDL_TYPE_BIT;
			t->length = (meta >> 8) * 8 + (meta & 0xff);
			break;
		case BINLOG_TYPE_VARCHAR:
		case BINLOG_TYPE_VAR_STRING:
			t->id = binary ? DDL_TYPE_VARBINARY : DDL_TYPE_VARCHAR;
			t->length = binary ? meta : Max(meta / per_char, 1);
			break;
		case BINLOG_TYPE_STRING:
			{
				int			bytes = (((meta >> 4) & 0x300) ^ 0x300) + (meta & 0xff);

				t->id = binary ? DDL_TYPE_BINARY : DDL_TYPE_CHAR;
				t->length = binary ? bytes : bytes / per_char;
			}
			break;
		case BINLOG_TYPE_ENUM:
		case BINLOG_TYPE_SET:
			t->id = type == BINLOG_TYPE_ENUM ? DDL_TYPE_ENUM : DDL_TYPE_SET;
			if (map->enum_names != NULL)
			{
				t->nvalues = map->enum_count[col];
				t->values = map->enum_names[col];
			}
			break;
		case BINLOG_TYPE_TINY_BLOB:
		case BINLOG_TYPE_MEDIUM_BLOB:
		case BINLOG_TYPE_LONG_BLOB:
		case BINLOG_TYPE_BLOB:
			t->id = blobs[binary][Min(Max(meta, 1), 4) - 1];
			break;
		case BINLOG_TYPE_JSON:
			t->id = DDL_TYPE_JSON;
			break;
		case BINLOG_TYPE_GEOMETRY:
			t->id = DDL_TYPE_GEOMETRY;
			t->geometry = (char *) "geometry";
			if (map->geometry_type != NULL && map->geometry_type[col] >= 0 &&
				map->geometry_type[col] < lengthof(geometries))
				t->geometry = (char *) geometries[map->geometry_type[col]];
			break;
		case BINLOG_TYPE_VECTOR:
			t->id = DDL_TYPE_VECTOR;
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("cannot create table \"%s\".\"%s\" from its table map",
							map->db, map->table),
					 errdetail("Column \"%s\" has binlog type %s, which has no PostgreSQL mapping.",
							   map->column_names[col],
							   binlog_column_type_name(type))));
	}
}

/*
 * Create the table of a table map whose table does not exist, for rows of
 * a table the source created before the channel's start position.  Needs
 * the column names of binlog_row_metadata=FULL; gives columns, types,
 * nullability and the primary key, which is all a table map says.
 * Returns the new table's oid.
 */
Oid
ddl_create_table_from_map(const BinlogTableMap *map)
{
	Translation tr;
	DdlStatement stmt;
	DdlIndex	pkey;

	if (map->column_names == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("table \"%s\".\"%s\" does not exist in PostgreSQL",
						map->db, map->table),
				 errdetail("Its CREATE TABLE came before the channel's start position, and the table map carries no column names to create it from."),
				 errhint("Set binlog_row_metadata=FULL on the source, or create the table in schema \"%s\" with the columns of the MySQL table, then start the channel again.",
						 map->db)));

	memset(&tr, 0, sizeof(tr));
	tr.db = map->db;
	tr.has_postgis = type_exists("geometry");
	tr.has_vector = type_exists("vector");

	memset(&stmt, 0, sizeof(stmt));
	stmt.kind = DDL_CREATE_TABLE;
	stmt.table.schema = map->db;
	stmt.table.name = map->table;
	stmt.ncolumns = map->ncols;
	stmt.columns = palloc0(sizeof(DdlColumn) * Max(map->ncols, 1));
	for (int col = 0; col < map->ncols; col++)
	{
		DdlColumn  *c = &stmt.columns[col];
		char	   *why;
		StringInfoData buf;

		c->name = map->column_names[col];
		table_map_column_type(map, col, &c->type);
		c->nullability = map->nullable[col] ? DDL_NULL : DDL_NOT_NULL;
		initStringInfo(&buf);
		if (!append_pg_type(&tr, &c->type, false, &buf, &why))
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("cannot create table \"%s\".\"%s\" from its table map",
							map->db, map->table),
					 errdetail("%s.", why)));
	}
	if (map->n_primary_key > 0)
	{
		memset(&pkey, 0, sizeof(pkey));
		pkey.kind = DDL_INDEX_PRIMARY;
		pkey.nparts = map->n_primary_key;
		pkey.parts = palloc0(sizeof(DdlIndexPart) * map->n_primary_key);
		for (int k = 0; k < map->n_primary_key; k++)
		{
			pkey.parts[k].column = map->column_names[map->primary_key[k]];
			pkey.parts[k].prefix_length = -1;
		}
		stmt.nindexes = 1;
		stmt.indexes = &pkey;
	}

	create_table(&tr, &stmt);
	ereport(LOG,
			(errmsg("mysql_replica created table \"%s\".\"%s\" from its table map",
					map->db, map->table),
			 errdetail("Rows arrived for a table whose CREATE TABLE came before the channel's start position.")));
	return existing_table(&tr, &stmt.table);
}

/*
 * A table of the initial snapshot whose keys are still to be made: the
 * rows go in first, because building indexes once over all rows is much
 * faster than maintaining them row by row.
 */
struct DdlDeferredKeys
{
	Translation tr;
	Oid			relid;
	DdlStatement *stmt;			/* the parsed SHOW CREATE TABLE */
};

/*
 * Create the table of an initial snapshot from the source's SHOW CREATE
 * TABLE text, without its primary key and indexes, which
 * ddl_snapshot_create_keys() makes once the rows are in.  A table that
 * already exists in PostgreSQL is used as it is if it is empty (*keys is
 * then NULL) and is an error if it is not: the snapshot never mixes its
 * rows with others.  Returns InvalidOid with *why set when the statement
 * cannot be translated.
 */
Oid
ddl_snapshot_create_table(const char *db, const char *sql, size_t len,
						  DdlDeferredKeys **keys, bool *created, char **why)
{
	DdlDeferredKeys *deferred;
	DdlStatement *stmt;
	DdlStatement copy;
	DdlError	err;
	Oid			relid;

	*keys = NULL;
	*created = false;
	stmt = ddl_parse(sql, len, 0, &err);
	if (stmt == NULL)
	{
		*why = psprintf("%s (at byte %zu)", err.message, err.offset);
		return InvalidOid;
	}
	if (stmt->kind != DDL_CREATE_TABLE)
	{
		ddl_free(stmt);
		*why = pstrdup("SHOW CREATE TABLE did not give a CREATE TABLE statement");
		return InvalidOid;
	}

	recognize_statement_json(stmt);
	deferred = palloc0(sizeof(DdlDeferredKeys));
	deferred->tr.db = pstrdup(db);
	deferred->tr.has_postgis = type_exists("geometry");
	deferred->tr.has_vector = type_exists("vector");
	deferred->stmt = stmt;

	PG_TRY();
	{
		relid = table_oid(&deferred->tr, &stmt->table);
		if (OidIsValid(relid))
		{
			/* an existing table must be empty */
			run_sql(psprintf("SELECT 1 FROM %s LIMIT 1",
							 qualified_name(&deferred->tr, &stmt->table)));
			if (SPI_processed > 0)
				ereport(ERROR,
						(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
						 errmsg("table \"%s\".\"%s\" already holds rows",
								schema_of(&deferred->tr, &stmt->table),
								stmt->table.name),
						 errdetail("The initial snapshot copies a source table only into a new or empty PostgreSQL table."),
						 errhint("Empty or drop the table, or exclude it with change_source(exclude_tables => ...), or start the channel without a snapshot with change_source(initial_snapshot => false).")));
		}
		else if (!statement_supported(&deferred->tr, stmt, why))
			relid = InvalidOid;
		else
		{
			/* the columns now, every key after the rows */
			copy = *stmt;
			copy.nindexes = 0;
			copy.columns = palloc(sizeof(DdlColumn) * Max(stmt->ncolumns, 1));
			for (int i = 0; i < stmt->ncolumns; i++)
			{
				copy.columns[i] = stmt->columns[i];
				if (copy.columns[i].primary_key)
					copy.columns[i].nullability = DDL_NOT_NULL;
				copy.columns[i].primary_key = false;
				copy.columns[i].unique_key = false;
			}
			create_table(&deferred->tr, &copy);
			relid = existing_table(&deferred->tr, &stmt->table);
			deferred->relid = relid;
			*keys = deferred;
			*created = true;
		}
	}
	PG_CATCH();
	{
		ddl_free(stmt);
		PG_RE_THROW();
	}
	PG_END_TRY();

	if (*keys == NULL)
		ddl_free(stmt);
	return relid;
}

static void
make_snapshot_keys(DdlDeferredKeys *keys)
{
	DdlStatement *stmt = keys->stmt;

	for (int i = 0; i < stmt->ncolumns; i++)
	{
		DdlIndex	index = {0};
		DdlIndexPart part = {0};

		if (!stmt->columns[i].primary_key && !stmt->columns[i].unique_key)
			continue;
		part.column = stmt->columns[i].name;
		part.prefix_length = -1;
		index.kind = stmt->columns[i].primary_key ? DDL_INDEX_PRIMARY
			: DDL_INDEX_UNIQUE;
		index.nparts = 1;
		index.parts = &part;
		create_index(&keys->tr, keys->relid, &index);
	}
	for (int i = 0; i < stmt->nindexes; i++)
		create_index(&keys->tr, keys->relid, &stmt->indexes[i]);
}

/*
 * Make the primary key and indexes of a snapshot table created by
 * ddl_snapshot_create_table(), and release what it kept.
 */
void
ddl_snapshot_create_keys(DdlDeferredKeys *keys)
{
	DdlStatement *stmt = keys->stmt;

	PG_TRY();
	{
		make_snapshot_keys(keys);
	}
	PG_CATCH();
	{
		ddl_free(stmt);
		keys->stmt = NULL;
		PG_RE_THROW();
	}
	PG_END_TRY();
	ddl_free(stmt);
	keys->stmt = NULL;
}

/*
 * Forget a snapshot table's deferred keys without making them, when its
 * copy failed.
 */
void
ddl_snapshot_forget_keys(DdlDeferredKeys *keys)
{
	if (keys != NULL && keys->stmt != NULL)
	{
		ddl_free(keys->stmt);
		keys->stmt = NULL;
	}
}
