/*-------------------------------------------------------------------------
 *
 * rowwriter.c
 *	  Writing row images straight into a table with the executor's table
 *	  and index routines, without a statement per row.
 *
 * Planning and starting an executor for every row change costs more than
 * the change itself when rows come one or a few per binlog event, which is
 * how an OLTP source writes them.  For a plain table (no triggers, no
 * rules, not partitioned) the applier instead writes the decoded rows
 * here: inserts go in with table_multi_insert() and their index entries
 * one by one, as COPY does; an UPDATE or DELETE finds its row through the
 * primary key index and changes it as PostgreSQL's own logical replication
 * worker does.  Constraints and column defaults behave as for an INSERT or
 * UPDATE statement.  Tables with triggers or rules, whose effects depend
 * on statements, and tables with stored generated columns, which an
 * UPDATE recomputes from the columns the statement names, keep going
 * through SPI.
 *
 * The worker runs as a superuser, so no permission checks are made here.
 *
 * A writer is kept for a whole PostgreSQL transaction, which may hold many
 * small source transactions, and used for one rows event at a time
 * between row_writer_resume() and row_writer_pause().  Every UPDATE or
 * DELETE still starts its own index scan and locks the row it finds
 * before changing it, as the logical replication worker does: a cost per
 * row that one index scan rescanned for each row would save.
 *
 *-------------------------------------------------------------------------
 */
#include "replica/apply.h"

#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_class.h"
#include "executor/executor.h"
#include "nodes/makefuncs.h"
#include "optimizer/optimizer.h"
#include "rewrite/rewriteHandler.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

/*
 * Inserted rows are buffered and written together, at most this many or
 * this many bytes of converted values at a time (the limits COPY uses).
 */
#define WRITER_MAX_ROWS		1000
#define WRITER_MAX_BYTES	65535

struct RowWriter
{
	Relation	rel;
	EState	   *estate;
	ResultRelInfo *rri;
	EPQState	epqstate;
	MemoryContext batch_context;	/* converted values of buffered rows */
	const TargetColumn *columns;	/* one per MySQL column */
	int			ncols;
	const BinlogTableMap *map;
	Oid			key_index;

	/* column defaults, prepared when a row first lacks the column */
	ExprState **defaults;
	bool	   *default_built;

	/* inserts waiting for table_multi_insert() */
	TupleTableSlot **slots;
	int			nbuffered;
	Size		buffered_bytes;

	/* UPDATE and DELETE: the key to look for, the row found, the new row */
	TupleTableSlot *search_slot;
	TupleTableSlot *old_slot;
	TupleTableSlot *new_slot;
};

/*
 * Whether rows of this relation can be written here: a plain table whose
 * writes have no side effects that only a statement would bring about.
 * Identity columns GENERATED ALWAYS are left to SPI, which refuses
 * explicit values for them as an INSERT does.
 */
static bool
writer_usable(Relation rel)
{
	TupleDesc	desc = RelationGetDescr(rel);

	if (rel->rd_rel->relkind != RELKIND_RELATION ||
		rel->trigdesc != NULL || rel->rd_rules != NULL ||
		(desc->constr != NULL && desc->constr->has_generated_stored))
		return false;
	for (int i = 0; i < desc->natts; i++)
		if (TupleDescAttr(desc, i)->attidentity == ATTRIBUTE_IDENTITY_ALWAYS)
			return false;
	return true;
}

RowWriter *
row_writer_begin(Oid relid, const TargetColumn *columns, int ncols,
				 Oid key_index)
{
	Relation	rel;
	RowWriter  *w;
	RangeTblEntry *rte;
	int			natts;

	/* The lock an INSERT takes, kept until the transaction ends. */
	rel = table_open(relid, RowExclusiveLock);
	if (!writer_usable(rel))
	{
		table_close(rel, NoLock);
		return NULL;
	}

	w = palloc0(sizeof(RowWriter));
	w->rel = rel;
	w->columns = columns;
	w->ncols = ncols;
	w->key_index = key_index;
	natts = RelationGetDescr(rel)->natts;
	w->defaults = palloc0(sizeof(ExprState *) * natts);
	w->default_built = palloc0(sizeof(bool) * natts);
	w->batch_context = AllocSetContextCreate(CurrentMemoryContext,
											 "mysql_replica row batch",
											 ALLOCSET_DEFAULT_SIZES);

	/*
	 * An executor state with the table as its only range table entry and
	 * result relation: constraint errors describe the failing row from
	 * it, and index insertion evaluates expressions in its contexts.
	 */
	w->estate = CreateExecutorState();
	rte = makeNode(RangeTblEntry);
	rte->rtekind = RTE_RELATION;
	rte->relid = relid;
	rte->relkind = rel->rd_rel->relkind;
	rte->rellockmode = RowExclusiveLock;
	ExecInitRangeTable(w->estate, list_make1(rte));
	w->rri = makeNode(ResultRelInfo);
	InitResultRelInfo(w->rri, rel, 1, NULL, 0);
	ExecOpenIndices(w->rri, false);
	EvalPlanQualInit(&w->epqstate, w->estate, NULL, NIL, -1);

	w->slots = palloc0(sizeof(TupleTableSlot *) * WRITER_MAX_ROWS);
	return w;
}

void
row_writer_resume(RowWriter *w, const BinlogTableMap *map)
{
	/* The table map of this event: the previous one may be gone. */
	w->map = map;

	/*
	 * This event's changes come after those of earlier ones (a command id
	 * of their own), and defaults and index expressions may run queries.
	 */
	w->estate->es_output_cid = GetCurrentCommandId(true);
	PushActiveSnapshot(GetTransactionSnapshot());
	w->estate->es_snapshot = GetActiveSnapshot();
}

void
row_writer_pause(RowWriter *w)
{
	row_writer_flush(w);
	w->estate->es_snapshot = InvalidSnapshot;
	PopActiveSnapshot();
	w->map = NULL;
}

/* A slot of the table's own kind, freed with the executor state. */
static TupleTableSlot *
writer_slot(RowWriter *w)
{
	MemoryContext oldcxt = MemoryContextSwitchTo(w->estate->es_query_cxt);
	TupleTableSlot *slot;

	slot = table_slot_create(w->rel, &w->estate->es_tupleTable);
	MemoryContextSwitchTo(oldcxt);
	return slot;
}

/*
 * The value of a column that a row image does not carry: the column's
 * default, as an INSERT that leaves the column out would give it.
 */
static Datum
column_default(RowWriter *w, int attno, bool *isnull)
{
	int			i = attno - 1;

	if (!w->default_built[i])
	{
		MemoryContext oldcxt;
		Node	   *expr;

		/*
		 * The expression's constants are used in place: keep the whole tree
		 * as long as the writer.
		 */
		oldcxt = MemoryContextSwitchTo(w->estate->es_query_cxt);
		expr = build_column_default(w->rel, attno);
		if (expr != NULL)
			w->defaults[i] = ExecInitExpr(expression_planner((Expr *) expr),
										  NULL);
		MemoryContextSwitchTo(oldcxt);
		w->default_built[i] = true;
	}
	if (w->defaults[i] == NULL)
	{
		*isnull = true;
		return (Datum) 0;
	}
	return ExecEvalExpr(w->defaults[i], GetPerTupleExprContext(w->estate),
						isnull);
}

/*
 * Put the columns an image carries into slot's values; others are left
 * as they are.
 */
static void
image_into_slot(RowWriter *w, const BinlogValue *image, TupleTableSlot *slot,
				bool *set)
{
	for (int col = 0; col < w->ncols; col++)
	{
		const TargetColumn *column = &w->columns[col];
		int			i = column->attnum - 1;

		if (image[col].kind == BINLOG_VALUE_ABSENT)
			continue;
		slot->tts_values[i] =
			convert_binlog_value(&image[col], (TargetColumn *) column,
								 w->map, col, &slot->tts_isnull[i]);
		if (set != NULL)
			set[i] = true;
	}
}

/* Check a new row as the executor checks one that INSERT writes. */
static void
check_new_row(RowWriter *w, TupleTableSlot *slot)
{
	if (w->rel->rd_att->constr != NULL)
		ExecConstraints(w->rri, slot, w->estate);
	if (w->rel->rd_rel->relispartition)
		ExecPartitionCheck(w->rri, slot, w->estate, true);
}

void
row_writer_insert(RowWriter *w, const BinlogValue *image)
{
	TupleDesc	desc = RelationGetDescr(w->rel);
	TupleTableSlot *slot;
	MemoryContext oldcxt;
	bool	   *set;

	if (w->slots[w->nbuffered] == NULL)
		w->slots[w->nbuffered] = writer_slot(w);
	slot = w->slots[w->nbuffered];
	ExecClearTuple(slot);

	oldcxt = MemoryContextSwitchTo(w->batch_context);
	set = palloc0(sizeof(bool) * desc->natts);
	image_into_slot(w, image, slot, set);

	/* Columns the image leaves out get their defaults. */
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (set[i])
			continue;
		if (att->attisdropped)
		{
			slot->tts_values[i] = (Datum) 0;
			slot->tts_isnull[i] = true;
		}
		else
			slot->tts_values[i] = column_default(w, i + 1,
												 &slot->tts_isnull[i]);
	}
	ExecStoreVirtualTuple(slot);
	check_new_row(w, slot);
	MemoryContextSwitchTo(oldcxt);

	w->buffered_bytes += slot->tts_nvalid * sizeof(Datum);
	for (int col = 0; col < w->ncols; col++)
		if (image[col].kind == BINLOG_VALUE_STRING ||
			image[col].kind == BINLOG_VALUE_BYTES ||
			image[col].kind == BINLOG_VALUE_JSON ||
			image[col].kind == BINLOG_VALUE_GEOMETRY ||
			image[col].kind == BINLOG_VALUE_VECTOR)
			w->buffered_bytes += image[col].str.len;
	w->nbuffered++;
	if (w->nbuffered == WRITER_MAX_ROWS ||
		w->buffered_bytes >= WRITER_MAX_BYTES)
		row_writer_flush(w);
}

void
row_writer_flush(RowWriter *w)
{
	EState	   *estate = w->estate;

	if (w->nbuffered == 0)
		return;

	table_multi_insert(w->rel, w->slots, w->nbuffered,
					   estate->es_output_cid, 0, NULL);

	/* Index entries, which also check the unique constraints. */
	if (w->rri->ri_NumIndices > 0)
		for (int i = 0; i < w->nbuffered; i++)
		{
			List	   *recheck;

			recheck = ExecInsertIndexTuples(w->rri, w->slots[i], estate,
											false, false, NULL, NIL);
			list_free(recheck);
			ResetPerTupleExprContext(estate);
		}

	for (int i = 0; i < w->nbuffered; i++)
		ExecClearTuple(w->slots[i]);
	w->nbuffered = 0;
	w->buffered_bytes = 0;
	MemoryContextReset(w->batch_context);

	/* Later changes of this transaction must see these rows. */
	CommandCounterIncrement();
	estate->es_output_cid = GetCurrentCommandId(true);
}

/*
 * Find the row whose primary key the before image holds, locked for
 * change, into w->old_slot.  False when there is none.
 */
static bool
find_row(RowWriter *w, const int *key_columns, int nkeys,
		 const BinlogValue *before)
{
	TupleTableSlot *search = w->search_slot;
	int			natts = RelationGetDescr(w->rel)->natts;

	if (search == NULL)
	{
		search = w->search_slot = writer_slot(w);
		w->old_slot = writer_slot(w);
		w->new_slot = writer_slot(w);
	}
	ExecClearTuple(search);
	for (int i = 0; i < natts; i++)
		search->tts_isnull[i] = true;
	for (int k = 0; k < nkeys; k++)
	{
		int			col = key_columns[k];
		const TargetColumn *column = &w->columns[col];
		int			i = column->attnum - 1;

		search->tts_values[i] =
			convert_binlog_value(&before[col], (TargetColumn *) column,
								 w->map, col, &search->tts_isnull[i]);
	}
	ExecStoreVirtualTuple(search);

	return RelationFindReplTupleByIndex(w->rel, w->key_index,
										LockTupleExclusive, search,
										w->old_slot);
}

/*
 * Run one change of an existing row, then let the rest of the
 * transaction see it.
 */
static void
finish_row_change(RowWriter *w)
{
	ResetPerTupleExprContext(w->estate);
	MemoryContextReset(w->batch_context);
	CommandCounterIncrement();
	w->estate->es_output_cid = GetCurrentCommandId(true);
}

bool
row_writer_update(RowWriter *w, const int *key_columns, int nkeys,
				  const BinlogValue *before, const BinlogValue *after)
{
	TupleTableSlot *old_slot;
	TupleTableSlot *new_slot;
	MemoryContext oldcxt;
	int			natts = RelationGetDescr(w->rel)->natts;
	bool		found;

	/* Buffered inserts go first: this row may be one of them. */
	row_writer_flush(w);

	oldcxt = MemoryContextSwitchTo(w->batch_context);
	found = find_row(w, key_columns, nkeys, before);
	if (found)
	{
		old_slot = w->old_slot;
		new_slot = w->new_slot;

		/* The row as it is, with the columns the after image carries. */
		slot_getallattrs(old_slot);
		ExecClearTuple(new_slot);
		memcpy(new_slot->tts_values, old_slot->tts_values,
			   sizeof(Datum) * natts);
		memcpy(new_slot->tts_isnull, old_slot->tts_isnull,
			   sizeof(bool) * natts);
		image_into_slot(w, after, new_slot, NULL);
		ExecStoreVirtualTuple(new_slot);

		EvalPlanQualSetSlot(&w->epqstate, new_slot);
		ExecSimpleRelationUpdate(w->rri, w->estate, &w->epqstate, old_slot,
								 new_slot);
	}
	MemoryContextSwitchTo(oldcxt);
	finish_row_change(w);
	return found;
}

bool
row_writer_delete(RowWriter *w, const int *key_columns, int nkeys,
				  const BinlogValue *before)
{
	MemoryContext oldcxt;
	bool		found;

	row_writer_flush(w);

	oldcxt = MemoryContextSwitchTo(w->batch_context);
	found = find_row(w, key_columns, nkeys, before);
	if (found)
	{
		EvalPlanQualSetSlot(&w->epqstate, w->old_slot);
		ExecSimpleRelationDelete(w->rri, w->estate, &w->epqstate,
								 w->old_slot);
	}
	MemoryContextSwitchTo(oldcxt);
	finish_row_change(w);
	return found;
}

void
row_writer_end(RowWriter *w)
{
	EvalPlanQualEnd(&w->epqstate);
	ExecCloseIndices(w->rri);
	ExecResetTupleTable(w->estate->es_tupleTable, false);
	FreeExecutorState(w->estate);
	MemoryContextDelete(w->batch_context);

	/* The lock stays until the end of the transaction. */
	table_close(w->rel, NoLock);
	pfree(w->slots);
	pfree(w->defaults);
	pfree(w->default_built);
	pfree(w);
}
