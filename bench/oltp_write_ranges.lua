#!/usr/bin/sysbench
-- bench/oltp_write_ranges.lua: the statement mix of sysbench's
-- oltp_write_only (an update of the indexed column k, an update of c, a
-- delete and an insert, in one transaction), with every statement
-- changing --rows_per_statement consecutive rows instead of one.  On a
-- small machine one client connection can then write tens of thousands of
-- row changes per second, which single-row statements cannot: each costs
-- a round trip to the server.
--
-- Each thread works on its own slice of the ids, so that no two
-- transactions wait for each other's row locks.  The table keeps its size:
-- the deleted rows are inserted again with new values.
--
--   sysbench bench/oltp_write_ranges.lua --tables=1 --table-size=N \
--       --rows_per_statement=10 --threads=4 --rate=TPS --time=S run
--
-- Tables come from `oltp_write_only prepare` (same options).

require("oltp_common")

sysbench.cmdline.options.rows_per_statement =
   {"Rows each statement changes", 10}

function prepare_statements()
   -- The statements are built per transaction: their ranges differ.
end

-- The first id of a range of n ids in this thread's slice.
local function range_start(n)
   local slice = math.floor(sysbench.opt.table_size / sysbench.opt.threads)
   local first = sysbench.tid * slice + 1
   return sysbench.rand.uniform(first, first + slice - n)
end

function event()
   local n = sysbench.opt.rows_per_statement
   local t = "sbtest" .. sysbench.rand.uniform(1, sysbench.opt.tables)
   local lo
   local values = {}

   con:query("BEGIN")

   lo = range_start(n)
   con:query(string.format(
      "UPDATE %s SET k = k + 1 WHERE id BETWEEN %d AND %d",
      t, lo, lo + n - 1))

   lo = range_start(n)
   con:query(string.format(
      "UPDATE %s SET c = '%s' WHERE id BETWEEN %d AND %d",
      t, get_c_value(), lo, lo + n - 1))

   lo = range_start(n)
   con:query(string.format("DELETE FROM %s WHERE id BETWEEN %d AND %d",
                           t, lo, lo + n - 1))
   for i = 0, n - 1 do
      values[#values + 1] = string.format("(%d, %d, '%s', '%s')", lo + i,
         sysbench.rand.default(1, sysbench.opt.table_size),
         get_c_value(), get_pad_value())
   end
   con:query(string.format("INSERT INTO %s (id, k, c, pad) VALUES %s", t,
                           table.concat(values, ", ")))

   con:query("COMMIT")
end
