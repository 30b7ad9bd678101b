/*-------------------------------------------------------------------------
 *
 * apply.h
 *	  The applier: turns binlog events into PostgreSQL transactions.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MYSQL_REPLICA_APPLY_H
#define MYSQL_REPLICA_APPLY_H

#include "mysql_replica.h"

#include "binlog/binlog.h"
#include "fmgr.h"
#include "lib/stringinfo.h"

typedef struct Applier Applier;

/* A column of a target table, as values for it are converted. */
typedef struct TargetColumn
{
	int			attnum;			/* in the PostgreSQL table, 0 if unmapped */
	char	   *attname;
	Oid			typid;
	int32		typmod;
	Oid			typioparam;
	FmgrInfo	typinput;
	bool		is_bytea;
	char		category;		/* pg_type.typcategory of the base type */
	char		typname[NAMEDATALEN];	/* name of the base type */
	int			binary_length;	/* BINARY(n): n, to restore the padding */
	bool		generated;		/* computed by PostgreSQL: left out of
								 * writes */
} TargetColumn;

extern Applier *applier_create(ChannelSlot *slot, const char *channel);
extern void applier_load_position(Applier *applier);
extern const char *applier_log_file(Applier *applier);
extern uint64 applier_log_pos(Applier *applier);
extern void applier_start_stream(Applier *applier, int checksum_alg,
								 const char *log_file, uint64 log_pos,
								 const char *gtid_start);
extern const char *applier_gtid_executed(Applier *applier);
extern void applier_handle_event(Applier *applier, const uint8 *data,
								 size_t len, bool checksum_verified);
extern bool applier_in_transaction(Applier *applier);
extern void applier_set_options(Applier *applier, bool idempotent,
								bool (*should_stop) (void));
extern void applier_set_skip_statements(Applier *applier, bool skip);
extern void applier_set_ddl_policy(Applier *applier, bool replicate_ddl,
								   bool skip_unsupported, int drop_database);
extern void applier_totals(Applier *applier, uint64 *transactions,
						   uint64 *rows);
extern void applier_abort(Applier *applier);
extern void applier_set_grouping(Applier *applier, bool (*more_waiting) (void));

/* convert.c */
extern Datum convert_binlog_value(const BinlogValue *value,
								  TargetColumn *column,
								  const BinlogTableMap *map, int col,
								  bool *isnull);
extern char *binlog_value_describe(const BinlogValue *value);
extern bool mysql_is_zero_date_text(const char *p, size_t len);
extern char *mysql_zero_date_text(const char *text, const char *attname,
								  bool *isnull);
extern StringInfo mysql_geometry_ewkb(const uint8 *p, size_t len,
									  const char *attname);
extern char *convert_mysql_json(const BinlogValue *value,
								TargetColumn *column);

/* rowwriter.c: rows written without SPI, into a plain table */
typedef struct RowWriter RowWriter;

/*
 * A writer for the table relid, or NULL when its rows must go through SPI
 * (the table has triggers, rules or stored generated columns, or is not a
 * plain table).  columns are those of the MySQL table in its order;
 * key_index is the primary key, needed for updates and deletes.  The
 * writer lives in the current memory context and may serve the rest of
 * the transaction, outside subtransactions it did not start in; end it
 * before the transaction commits.
 */
extern RowWriter *row_writer_begin(Oid relid, const TargetColumn *columns,
								   int ncols, Oid key_index);

/*
 * Use the writer for the rows of one event, whose table map is map, and
 * pause it (flushing its rows) at the event's end.
 */
extern void row_writer_resume(RowWriter *writer, const BinlogTableMap *map);
extern void row_writer_pause(RowWriter *writer);
/* Insert a row; it may wait in a buffer until row_writer_flush(). */
extern void row_writer_insert(RowWriter *writer, const BinlogValue *image);
extern void row_writer_flush(RowWriter *writer);

/*
 * Change or delete the row whose primary key the before image holds
 * (key_columns are MySQL column numbers); false when there is no such row.
 */
extern bool row_writer_update(RowWriter *writer, const int *key_columns,
							  int nkeys, const BinlogValue *before,
							  const BinlogValue *after);
extern bool row_writer_delete(RowWriter *writer, const int *key_columns,
							  int nkeys, const BinlogValue *before);
/* Free a paused writer; the table stays locked. */
extern void row_writer_end(RowWriter *writer);

/* json_diff.c: the partial JSON updates of one cell */
typedef struct JsonDiffList
{
	char	   *ops;			/* one letter per operation: the shape */
	int			nparams;
	Datum	   *params;			/* paths and values, in statement order */
	Oid		   *types;
} JsonDiffList;

extern JsonDiffList *json_diffs_decode(const BinlogValue *value,
									   TargetColumn *column);
extern void json_diffs_append_sql(StringInfo sql, TargetColumn *column,
								  const char *ops, Oid *argtypes, int *nargs);

#endif							/* MYSQL_REPLICA_APPLY_H */
