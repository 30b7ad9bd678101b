#!/bin/bash
#
# bench/apply_speed.sh: how fast mysql_replica applies a binlog, next to
# MariaDB's own replica applying the same binlog and PostgreSQL's COPY
# loading the same final rows.  Prints tables of figures, not pass/fail:
#
#   1. sysbench oltp_write_only: `prepare` (1 table, 1,000,000 rows) and
#      `run` (20,000 transactions, 4 threads) on a MariaDB source, then the
#      whole binlog from right after sysbench's CREATE TABLE applied by
#        a) a MariaDB native replica, single-threaded
#           (slave_parallel_threads=0), then again with 2 parallel threads
#        b) mysql_replica
#        c) COPY of the final table (dumped from the source with
#           `mariadb -B -N` to a file, then timed: `\copy ... FROM file`)
#      each from START_SLAVE / start_replica() until the applied position
#      is the source's end of binlog (polled every 100 ms).  a) and b)
#      apply it RUNS times (3) in turns, each on an emptied table; the
#      medians are compared.  Before every timed step the servers write
#      out their dirty pages (InnoDB's buffer pools, a checkpoint, the
#      kernel's page cache), so that no step pays for the one before.
#   2. one 4,000,000-row INSERT ... SELECT transaction into bench.big, and
#      200 transactions each updating 5,000 rows of it: written while both
#      replicas are stopped, then applied by each; COPY of bench.big.
#   3. steady state: 5,000, 20,000 and 50,000 row changes per second for
#      30 s each while the channel replicates, written by
#      bench/oltp_write_ranges.lua (oltp_write_only's statements, 25 rows
#      each: 100 row changes per transaction) at a fixed transaction rate;
#      the lag (how long the channel takes to apply what the source has
#      written at a moment) and seconds_behind_source sampled every second.
#   The worker's VmHWM and its peak RssAnon (sampled) for each apply.
#
#   bash bench/apply_speed.sh            (as root; about 8 minutes on 2 cores)
#   QUICK=1 bash bench/apply_speed.sh    (everything 10x smaller, one run
#                                         each, about 1 minute)
#   RUNS=N ...                           (apply the sysbench binlog N times)
#   BUILD=0 ...                          (use the installed extension as is)
#
# Servers (all throwaway, loopback only, stopped on exit):
#   source   MariaDB, log_bin, ROW, binlog_row_metadata=FULL, server_id=1,
#            innodb_buffer_pool_size=2G, innodb_log_file_size=1G,
#            innodb_flush_log_at_trx_commit=2, sync_binlog=0
#   replica  MariaDB, server_id=2, no binlog, innodb_buffer_pool_size=2G,
#            innodb_log_file_size=1G, innodb_flush_log_at_trx_commit=2
#            (commits are written, fsync'd about once a second)
#   postgres PostgreSQL 15, shared_buffers=2GB, max_wal_size=4GB,
#            fsync=on (test/setup.sh turns it off; this turns it back on),
#            synchronous_commit left at its default: the worker sets it off
#            for itself, as innodb_flush_log_at_trx_commit=2 does; 1 GB of
#            WAL segments written once before the runs, as MariaDB's 1 GB
#            redo log is allocated when it starts
# Everything runs on the same machine: on few cores the source, the
# replicas and sysbench compete for CPU (the replicas run one at a time).

set -euo pipefail
BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$BENCH_ROOT/test/setup.sh"
source "$BENCH_ROOT/bench/lib.sh"

if [ "${QUICK:-0}" = 1 ]; then
	TABLE_SIZE=100000 EVENTS=2000 BIG_ROWS=400000 UPD_TXNS=20 STEADY_SECS=5
	RUNS=${RUNS:-1}
else
	TABLE_SIZE=1000000 EVENTS=20000 BIG_ROWS=4000000 UPD_TXNS=200 STEADY_SECS=30
	RUNS=${RUNS:-3}
fi
UPD_ROWS=5000            # rows per update transaction
STEADY_RATES="5000 20000 50000" # steady state: row changes per second
RANGE_ROWS=25            # steady state: rows per statement
WAIT_LIMIT=900           # seconds any one apply may take

[ "$(id -u)" -eq 0 ] || { echo "run as root" >&2; exit 1; }
mr_install_packages >/dev/null
if ! command -v sysbench >/dev/null; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q sysbench >/dev/null ||
		{ apt-get update -q >/dev/null &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q sysbench >/dev/null; }
fi
if [ "${BUILD:-1}" = 1 ]; then
	mr_build_extension >/dev/null
fi

DIR=$(mr_make_workdir)
PGPORT_=$(mr_free_port)
SRCPORT=$(mr_free_port)
REPPORT=$(mr_free_port)
while [ "$REPPORT" = "$SRCPORT" ]; do REPPORT=$(mr_free_port); done
SB_PID=

cleanup() {
	if [ -n "$SB_PID" ]; then kill "$SB_PID" 2>/dev/null || true; fi
	mr_pg_stop "$DIR"
	mr_maria_stop_in "$DIR/replica"
	mr_maria_stop_in "$DIR/source"
	rm -rf "$DIR"
}
trap cleanup EXIT

say() { printf '==> %s\n' "$*" >&2; }

die() {
	echo "apply_speed: $*" >&2
	echo "--- PostgreSQL log tail" >&2
	tail -n 20 "$DIR/postgresql.log" >&2 || true
	exit 1
}

psql_() {
	PGOPTIONS="-c client_min_messages=warning" \
		psql -X -q -At -h "$DIR" -p "$PGPORT_" -U postgres -d postgres "$@"
}
src() { mr_maria "$SRCPORT" "$@"; }
rep() { mr_maria "$REPPORT" "$@"; }

SB=(sysbench oltp_write_only --db-driver=mysql --mysql-host=127.0.0.1
	--mysql-port="$SRCPORT" --mysql-user=root --mysql-db=sbtest
	--tables=1 --table-size="$TABLE_SIZE")

# ---------------------------------------------------------------- servers

say "starting MariaDB source, MariaDB replica, PostgreSQL in $DIR"
mr_maria_start_in "$DIR/source" "$SRCPORT" \
	--server-id=1 --log-bin="$DIR/source/data/binlog" --binlog-format=ROW \
	--binlog-row-metadata=FULL --innodb-buffer-pool-size=2G \
	--innodb-log-file-size=1G --innodb-flush-log-at-trx-commit=2 \
	--sync-binlog=0 --max-binlog-cache-size=4G
mr_maria_start_in "$DIR/replica" "$REPPORT" \
	--server-id=2 --skip-log-bin --relay-log="$DIR/replica/data/relay" \
	--skip-slave-start --slave-parallel-threads=0 \
	--innodb-buffer-pool-size=2G --innodb-log-file-size=1G \
	--innodb-flush-log-at-trx-commit=2
mr_pg_start "$DIR" "$PGPORT_" \
	"shared_preload_libraries = 'mysql_replica'" \
	"mysql_replica.database = 'postgres'" \
	"shared_buffers = '2GB'" \
	"max_wal_size = '4GB'" \
	"fsync = on"

SBTEST_DDL="CREATE TABLE sbtest.sbtest1 (
	id INTEGER NOT NULL AUTO_INCREMENT,
	k INTEGER DEFAULT '0' NOT NULL,
	c CHAR(120) DEFAULT '' NOT NULL,
	pad CHAR(60) DEFAULT '' NOT NULL,
	PRIMARY KEY (id), KEY k_1 (k)) ENGINE = InnoDB"
BIG_DDL="CREATE TABLE bench.big (id int PRIMARY KEY, v int, s varchar(40))"

mr_maria_create_repl_user "$SRCPORT"
src -e "
	CREATE DATABASE sbtest;
	CREATE DATABASE bench;
	$BIG_DDL;"
rep -e "CREATE DATABASE sbtest; CREATE DATABASE bench; $SBTEST_DDL; $BIG_DDL;"

psql_ -c "CREATE EXTENSION mysql_replica" \
	-c "CREATE SCHEMA sbtest" \
	-c "CREATE TABLE sbtest.sbtest1 (id integer PRIMARY KEY,
		k integer NOT NULL DEFAULT 0, c char(120) NOT NULL DEFAULT '',
		pad char(60) NOT NULL DEFAULT '')" \
	-c "CREATE INDEX k_1 ON sbtest.sbtest1 (k)" \
	-c "CREATE SCHEMA bench" \
	-c "CREATE TABLE bench.big (id integer PRIMARY KEY, v integer, s varchar(40))" \
	-c "CREATE SCHEMA bench_copy" \
	-c "CREATE TABLE bench_copy.sbtest1 (LIKE sbtest.sbtest1 INCLUDING ALL)" \
	-c "CREATE TABLE bench_copy.big (LIKE bench.big INCLUDING ALL)"

# MariaDB allocates its whole redo log (1 GB here) when it starts.
# PostgreSQL creates a WAL segment, writing it full of zeros, when it first
# needs one, and recycles segments from then on, as a server that has run
# for a while does.  About 1 GB of throwaway WAL and two checkpoints leave
# it that many recycled segments before anything is timed.
say "PostgreSQL: writing 1 GB of WAL to have its segments"
psql_ -c "CREATE TABLE bench_copy.wal_seed AS
		SELECT g AS n, repeat('x', 500) AS pad
		FROM generate_series(1, 1800000) g" \
	-c "DROP TABLE bench_copy.wal_seed" -c "CHECKPOINT" -c "CHECKPOINT"

# ---------------------------------------------------------------- helpers

# "file pos" of the source's end of binlog.
src_end() { src -N -e "SHOW MASTER STATUS" | awk '{ print $1, $2 }'; }

# Binlog bytes from FILE:POS to END_FILE:END_POS.
binlog_bytes() {
	src -N -e "SHOW BINARY LOGS" | awk -v f="$1" -v p="$2" -v ef="$3" -v ep="$4" '
		$1 == f && $1 == ef { total = ep - p; exit }
		$1 == f { total = $2 - p; on = 1; next }
		on && $1 == ef { total += ep; exit }
		on { total += $2 }
		END { print total + 0 }'
}

# Native replica: wait until it has executed up to END_FILE END_POS; sets
# NAT_SECS (from T0, the bench_now before START SLAVE).
native_wait() {
	local end_file=$1 end_pos=$2 t0=$3 st f p sql io err deadline
	deadline=$(($(date +%s) + WAIT_LIMIT))
	while :; do
		st=$(rep -E -e "SHOW SLAVE STATUS")
		f=$(sed -n 's/^ *Relay_Master_Log_File: //p' <<<"$st")
		p=$(sed -n 's/^ *Exec_Master_Log_Pos: //p' <<<"$st")
		if bench_pos_reached "$f" "$p" "$end_file" "$end_pos"; then
			break
		fi
		sql=$(sed -n 's/^ *Slave_SQL_Running: //p' <<<"$st")
		io=$(sed -n 's/^ *Slave_IO_Running: //p' <<<"$st")
		if [ "$sql" = No ] || [ "$io" = No ]; then
			err=$(sed -n 's/^ *Last_\(SQL\|IO\)_Error: \(..*\)/\2/p' <<<"$st")
			die "MariaDB replica stopped at $f:$p: $err"
		fi
		[ "$(date +%s)" -lt "$deadline" ] ||
			die "MariaDB replica not at $end_file:$end_pos after ${WAIT_LIMIT} s (at $f:$p)"
		sleep 0.1
	done
	NAT_SECS=$(awk -v a="$t0" -v b="$(bench_now)" 'BEGIN { printf "%.2f", b - a }')
	rep -e "STOP SLAVE"
}

# Native replica from scratch: the replica's sbtest1 emptied, positioned
# at FILE POS, THREADS parallel applier threads.
native_from() {
	local file=$1 pos=$2 threads=$3 end_file=$4 end_pos=$5 t0
	rep -e "STOP SLAVE; RESET SLAVE; TRUNCATE sbtest.sbtest1;
		SET GLOBAL slave_parallel_threads = $threads;
		CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = $SRCPORT,
			MASTER_USER = 'repl', MASTER_PASSWORD = 'replpass',
			MASTER_LOG_FILE = '$file', MASTER_LOG_POS = $pos,
			MASTER_USE_GTID = no, MASTER_CONNECT_RETRY = 1"
	t0=$(bench_now)
	rep -e "START SLAVE"
	native_wait "$end_file" "$end_pos" "$t0"
}

# Native replica, continuing where it stopped.
native_resume() {
	local end_file=$1 end_pos=$2 t0
	t0=$(bench_now)
	rep -e "START SLAVE"
	native_wait "$end_file" "$end_pos" "$t0"
}

# mysql_replica: start the channel (as configured), wait until it has
# applied up to END_FILE END_POS.  Sets PG_SECS, PG_ROWS, PG_TXNS, PG_HWM
# and PG_ANON (kB: VmHWM at the end, peak RssAnon of the 100 ms samples).
pg_apply() {
	local end_file=$1 end_pos=$2 t0 row state pid f p rows txns err
	local hwm anon deadline
	psql_ -c "CHECKPOINT"
	PG_HWM=0 PG_ANON=0
	deadline=$(($(date +%s) + WAIT_LIMIT))
	t0=$(bench_now)
	psql_ -c "SELECT mysql_replica.start_replica()" >/dev/null
	while :; do
		row=$(psql_ -F'|' -c "SELECT state, coalesce(worker_pid, 0),
			coalesce(source_log_file, ''), coalesce(source_log_pos, 0),
			rows_applied, transactions_applied,
			replace(coalesce(last_error, ''), E'\n', ' ')
			FROM mysql_replica.status")
		IFS='|' read -r state pid f p rows txns err <<<"$row"
		if [ "$pid" != 0 ]; then
			read -r hwm anon <<<"$(bench_mem "$pid")"
			[ "$hwm" -le "$PG_HWM" ] || PG_HWM=$hwm
			[ "$anon" -le "$PG_ANON" ] || PG_ANON=$anon
		fi
		if bench_pos_reached "$f" "$p" "$end_file" "$end_pos"; then
			break
		fi
		[ "$state" != error ] || die "channel error at $f:$p: $err"
		[ "$(date +%s)" -lt "$deadline" ] ||
			die "channel not at $end_file:$end_pos after ${WAIT_LIMIT} s (at $f:$p, $state)"
		sleep 0.1
	done
	PG_SECS=$(awk -v a="$t0" -v b="$(bench_now)" 'BEGIN { printf "%.2f", b - a }')
	PG_ROWS=$rows PG_TXNS=$txns
	read -r hwm anon <<<"$(bench_mem "$pid")"
	[ "$hwm" -le "$PG_HWM" ] || PG_HWM=$hwm
	[ "$anon" -le "$PG_ANON" ] || PG_ANON=$anon
}

# COPY a TSV file into a table; sets COPY_SECS.
pg_copy() {
	local file=$1 table=$2 t0
	psql_ -c "CHECKPOINT"
	t0=$(bench_now)
	psql_ -c "\\copy $table FROM '$file'"
	COPY_SECS=$(awk -v a="$t0" -v b="$(bench_now)" 'BEGIN { printf "%.2f", b - a }')
}

# Let the servers write out what the previous step left dirty: InnoDB's
# buffer pools (the page cleaner flushes everything while
# innodb_max_dirty_pages_pct is 0), PostgreSQL's shared buffers (a
# checkpoint) and the kernel's page cache.  Otherwise each timed apply
# competes with the write-back of the one before it.
quiesce() {
	local port saved i dirty
	for port in "$SRCPORT" "$REPPORT"; do
		# The page cleaner's pace is innodb_io_capacity: raised meanwhile.
		saved=$(mr_maria "$port" -N -e "SELECT concat_ws(',',
			@@innodb_max_dirty_pages_pct, @@innodb_io_capacity,
			@@innodb_io_capacity_max)")
		mr_maria "$port" -e "SET GLOBAL innodb_io_capacity_max = 100000;
			SET GLOBAL innodb_io_capacity = 100000;
			SET GLOBAL innodb_max_dirty_pages_pct = 0"
		for ((i = 0; i < 1200; i++)); do
			dirty=$(mr_maria "$port" -N -e "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'" |
				awk '{ print $2 }')
			[ "${dirty:-0}" -gt 0 ] || break
			sleep 0.1
		done
		IFS=, read -r -a saved <<<"$saved"
		mr_maria "$port" -e "SET GLOBAL innodb_max_dirty_pages_pct = ${saved[0]};
			SET GLOBAL innodb_io_capacity = ${saved[1]};
			SET GLOBAL innodb_io_capacity_max = ${saved[2]}"
	done
	psql_ -c "CHECKPOINT"
	sync
	sleep 1
}

# ------------------------------------------------ 1. sysbench binlog

read -r F0 P0 <<<"$(src_end)"
say "sysbench prepare: $TABLE_SIZE rows"
"${SB[@]}" --create_secondary=off prepare >"$DIR/sb_prepare.out" 2>&1 ||
	{ cat "$DIR/sb_prepare.out" >&2; die "sysbench prepare failed"; }
# sysbench's CREATE TABLE is DDL: start right after it.  (Its CREATE
# INDEX, which would come after the inserts, is left out above and done
# here outside the binlog; the replicas have k_1 from the start.)
START_POS=$(src -B -N -e "SHOW BINLOG EVENTS IN '$F0' FROM $P0 LIMIT 20" |
	awk -F'\t' '$3 == "Query" && $6 ~ /CREATE TABLE sbtest1/ { print $5; exit }')
[ -n "$START_POS" ] || die "sysbench's CREATE TABLE not found in $F0 after $P0"
START_FILE=$F0
src -e "SET SESSION sql_log_bin = 0; CREATE INDEX k_1 ON sbtest.sbtest1 (k)"
say "sysbench run: $EVENTS transactions, 4 threads"
"${SB[@]}" --events="$EVENTS" --threads=4 --time=0 run >"$DIR/sb_run.out" 2>&1 ||
	{ cat "$DIR/sb_run.out" >&2; die "sysbench run failed"; }
read -r END_FILE END_POS <<<"$(src_end)"
SB_BYTES=$(binlog_bytes "$START_FILE" "$START_POS" "$END_FILE" "$END_POS")

# Each applier applies the whole binlog RUNS times, in turns, each time on
# an emptied table and a quiet machine; the medians are compared.
NAT1_ALL=() NAT2_ALL=() PG_ALL=()
for ((run = 1; run <= RUNS; run++)); do
	say "run $run of $RUNS: MariaDB replica, 1 thread, from $START_FILE:$START_POS to $END_FILE:$END_POS"
	quiesce
	native_from "$START_FILE" "$START_POS" 0 "$END_FILE" "$END_POS"
	NAT1_ALL+=("$NAT_SECS")
	say "run $run of $RUNS: MariaDB replica, 2 parallel threads"
	quiesce
	native_from "$START_FILE" "$START_POS" 2 "$END_FILE" "$END_POS"
	NAT2_ALL+=("$NAT_SECS")
	rep -e "SET GLOBAL slave_parallel_threads = 0"

	say "run $run of $RUNS: mysql_replica"
	if [ "$run" -gt 1 ]; then
		psql_ -c "SELECT mysql_replica.stop_replica()" \
			-c "SELECT mysql_replica.reset_replica()" \
			-c "TRUNCATE sbtest.sbtest1" >/dev/null
	fi
	psql_ -c "SELECT mysql_replica.change_source(host => '127.0.0.1',
		port => $SRCPORT, username => 'repl', password => 'replpass',
		connect_retry => 1, log_file => '$START_FILE', log_pos => $START_POS)" >/dev/null
	quiesce
	pg_apply "$END_FILE" "$END_POS"
	PG_ALL+=("$PG_SECS")
	[ "$PG_HWM" -le "${SB_HWM:-0}" ] || SB_HWM=$PG_HWM
	[ "$PG_ANON" -le "${SB_ANON:-0}" ] || SB_ANON=$PG_ANON
done
PAR_MODE=$(rep -N -e "SELECT @@slave_parallel_mode")
NAT1_SECS=$(printf '%s\n' "${NAT1_ALL[@]}" | bench_median)
NAT2_SECS=$(printf '%s\n' "${NAT2_ALL[@]}" | bench_median)
SB_PG_SECS=$(printf '%s\n' "${PG_ALL[@]}" | bench_median)
SB_ROWS=$PG_ROWS SB_TXNS=$PG_TXNS
psql_ -c "SELECT mysql_replica.stop_replica()" >/dev/null

say "COPY of the final sbtest1"
src -B -N -e "SELECT id, k, c, pad FROM sbtest.sbtest1" >"$DIR/sbtest1.tsv"
quiesce
pg_copy "$DIR/sbtest1.tsv" bench_copy.sbtest1
SB_COPY_SECS=$COPY_SECS
SB_COPY_ROWS=$(wc -l <"$DIR/sbtest1.tsv")

# count, sum(id), sum(k) and a checksum of every row: the sum of the first
# 32 bits of each row's MD5.
CHK_SQL="SELECT count(*), sum(id), sum(k),"
CHK_MARIA="sum(cast(conv(substr(md5(concat_ws(',', id, k, c, pad)), 1, 8), 16, 10) AS unsigned))"
CHK_PGSQL="sum(('x' || substr(md5(concat_ws(',', id, k, rtrim(c), rtrim(pad))), 1, 8))::bit(32)::bigint)"
CHK_SRC=$(src -N -e "$CHK_SQL $CHK_MARIA FROM sbtest.sbtest1" | tr '\t' ' ')
CHK_NAT=$(rep -N -e "$CHK_SQL $CHK_MARIA FROM sbtest.sbtest1" | tr '\t' ' ')
CHK_PG=$(psql_ -F' ' -c "$CHK_SQL $CHK_PGSQL FROM sbtest.sbtest1")

echo
echo "apply_speed: $(nproc) cores; MariaDB $(src -N -e 'SELECT VERSION()'), $(psql_ -c 'SELECT version()' | awk '{ print $1, $2 }')$([ "${QUICK:-0}" != 1 ] || echo ' (QUICK=1: 10x smaller)')"
echo
echo "1. sysbench oltp_write_only: prepare $TABLE_SIZE rows + run $EVENTS transactions (4 threads), binlog $START_FILE:$START_POS..$END_FILE:$END_POS"
printf '   binlog bytes %d, row changes %d (mysql_replica rows_applied), transactions %d\n' \
	"$SB_BYTES" "$SB_ROWS" "$SB_TXNS"
awk -v rows="$SB_ROWS" -v txns="$SB_TXNS" -v n1="$NAT1_SECS" -v n2="$NAT2_SECS" \
	-v pg="$SB_PG_SECS" -v cp="$SB_COPY_SECS" -v cprows="$SB_COPY_ROWS" \
	-v hwm="$SB_HWM" -v anon="$SB_ANON" -v mode="$PAR_MODE" -v runs="$RUNS" 'BEGIN {
	printf "   %-40s %9s %10s %9s %11s\n", "applier", "seconds", "rows/s", "txn/s", "vs COPY"
	printf "   %-40s %9.2f %10.0f %9.0f %10.1fx\n", "MariaDB replica, 1 thread", n1, rows / n1, txns / n1, n1 / cp
	printf "   %-40s %9.2f %10.0f %9.0f %10.1fx\n", "MariaDB replica, 2 threads (" mode ")", n2, rows / n2, txns / n2, n2 / cp
	printf "   %-40s %9.2f %10.0f %9.0f %10.1fx\n", "mysql_replica", pg, rows / pg, txns / pg, pg / cp
	printf "   %-40s %9.2f %10.0f %9s %10.1fx\n", "COPY of the final " cprows " rows", cp, cprows / cp, "-", 1
	printf "   (seconds: median of %d runs of each, taken in turns; rows/s and txn/s from it)\n", runs
	printf "   mysql_replica / MariaDB replica time: %.2f (1 thread), %.2f (2 threads)\n", pg / n1, pg / n2
	printf "   mysql_replica time / COPY time: %.1f\n", pg / cp
	printf "   worker VmHWM %.0f MB, peak RssAnon %.0f MB (sampled every 100 ms)\n", hwm / 1024, anon / 1024
}'
printf '   runs, seconds: MariaDB 1 thread %s | MariaDB 2 threads %s | mysql_replica %s\n' \
	"${NAT1_ALL[*]}" "${NAT2_ALL[*]}" "${PG_ALL[*]}"
printf '   check count,sum(id),sum(k),row checksum: source %s | MariaDB replica %s | mysql_replica %s\n' \
	"$CHK_SRC" "$CHK_NAT" "$CHK_PG"

# ------------------------------------------------ 2. big insert, updates

say "one $BIG_ROWS-row INSERT ... SELECT transaction on the source"
read -r BF BP <<<"$(src_end)"
t0=$(bench_now)
src bench -e "INSERT INTO bench.big SELECT seq, seq, md5(seq) FROM seq_1_to_$BIG_ROWS"
BIG_SRC_SECS=$(awk -v a="$t0" -v b="$(bench_now)" 'BEGIN { printf "%.2f", b - a }')
read -r BEF BEP <<<"$(src_end)"
BIG_BYTES=$(binlog_bytes "$BF" "$BP" "$BEF" "$BEP")
say "  MariaDB replica"
quiesce
native_resume "$BEF" "$BEP"
BIG_NAT_SECS=$NAT_SECS
say "  mysql_replica"
quiesce
pg_apply "$BEF" "$BEP"
BIG_ROWS_APPLIED=$PG_ROWS BIG_TXNS=$PG_TXNS BIG_PG_SECS=$PG_SECS
BIG_HWM=$PG_HWM BIG_ANON=$PG_ANON
psql_ -c "SELECT mysql_replica.stop_replica()" >/dev/null
say "  COPY"
src -B -N -e "SELECT id, v, s FROM bench.big" >"$DIR/big.tsv"
quiesce
pg_copy "$DIR/big.tsv" bench_copy.big
BIG_COPY_SECS=$COPY_SECS
rm -f "$DIR/big.tsv" "$DIR/sbtest1.tsv"

say "$UPD_TXNS transactions updating $UPD_ROWS rows each on the source"
read -r UF UP <<<"$(src_end)"
t0=$(bench_now)
for ((i = 0; i < UPD_TXNS; i++)); do
	lo=$((i * UPD_ROWS % BIG_ROWS + 1))
	echo "UPDATE bench.big SET v = v + 1 WHERE id BETWEEN $lo AND $((lo + UPD_ROWS - 1));"
done | src
UPD_SRC_SECS=$(awk -v a="$t0" -v b="$(bench_now)" 'BEGIN { printf "%.2f", b - a }')
read -r UEF UEP <<<"$(src_end)"
UPD_BYTES=$(binlog_bytes "$UF" "$UP" "$UEF" "$UEP")
say "  MariaDB replica"
quiesce
native_resume "$UEF" "$UEP"
UPD_NAT_SECS=$NAT_SECS
say "  mysql_replica"
quiesce
pg_apply "$UEF" "$UEP"
UPD_ROWS_APPLIED=$PG_ROWS UPD_TXNS_APPLIED=$PG_TXNS UPD_PG_SECS=$PG_SECS
UPD_HWM=$PG_HWM UPD_ANON=$PG_ANON

CHK_SQL="SELECT count(*), sum(v), sum(length(s)) FROM bench.big"
CHK_SRC=$(src -N -e "$CHK_SQL" | tr '\t' ' ')
CHK_NAT=$(rep -N -e "$CHK_SQL" | tr '\t' ' ')
CHK_PG=$(psql_ -F' ' -c "$CHK_SQL")

echo
echo "2. large transactions on bench.big (id int PRIMARY KEY, v int, s varchar(40))"
printf '   %-30s %9s %5s %11s %9s %10s %9s %10s %9s %10s %8s %8s\n' \
	workload rows txns "binlog B" "source s" "mr s" "mr rows/s" \
	"maria s" "maria r/s" "COPY r/s" "HWM MB" "anon MB"
awk -v label="1 x $BIG_ROWS-row INSERT" -v rows="$BIG_ROWS_APPLIED" \
	-v txns="$BIG_TXNS" -v bytes="$BIG_BYTES" -v s="$BIG_SRC_SECS" \
	-v pg="$BIG_PG_SECS" -v nat="$BIG_NAT_SECS" -v cp="$BIG_COPY_SECS" \
	-v hwm="$BIG_HWM" -v anon="$BIG_ANON" 'BEGIN {
	printf "   %-30s %9d %5d %11d %9.2f %10.2f %9.0f %10.2f %10.0f %9.0f %8.0f %8.0f\n",
		label, rows, txns, bytes, s, pg, rows / pg, nat, rows / nat,
		rows / cp, hwm / 1024, anon / 1024
	printf "   %-30s COPY %.2f s; mysql_replica / MariaDB replica %.2f; mysql_replica / COPY %.1f\n",
		"", cp, pg / nat, pg / cp
}'
awk -v label="$UPD_TXNS x $UPD_ROWS-row UPDATE" -v rows="$UPD_ROWS_APPLIED" \
	-v txns="$UPD_TXNS_APPLIED" -v bytes="$UPD_BYTES" -v s="$UPD_SRC_SECS" \
	-v pg="$UPD_PG_SECS" -v nat="$UPD_NAT_SECS" \
	-v hwm="$UPD_HWM" -v anon="$UPD_ANON" 'BEGIN {
	printf "   %-30s %9d %5d %11d %9.2f %10.2f %9.0f %10.2f %10.0f %9s %8.0f %8.0f\n",
		label, rows, txns, bytes, s, pg, rows / pg, nat, rows / nat,
		"-", hwm / 1024, anon / 1024
	printf "   %-30s mysql_replica / MariaDB replica %.2f\n", "", pg / nat
}'
echo "   (mr = mysql_replica; source s = time to write it on the source; HWM = worker VmHWM, counts"
echo "    touched shared_buffers; anon = worker peak RssAnon, sampled every 100 ms)"
printf '   check count,sum(v),sum(length(s)): source %s | MariaDB replica %s | mysql_replica %s\n' \
	"$CHK_SRC" "$CHK_NAT" "$CHK_PG"

# ------------------------------------------------ 3. steady state

# The channel is running and caught up.  The load is oltp_write_only's
# statement mix with RANGE_ROWS rows per statement (bench/
# oltp_write_ranges.lua), at a fixed transaction rate.  Every second the
# benchmark notes the time, reads the source's end of binlog, and waits
# until the channel has applied up to it: that wait is the replication
# lag of the moment, to a few milliseconds (it includes starting one
# mariadb and one psql client, about 10 ms here).
psql_ -c "CREATE FUNCTION bench_copy.applied_at(f text, p bigint)
	RETURNS float8 LANGUAGE plpgsql AS \$\$
	DECLARE
		t0 timestamptz := clock_timestamp();
		sf text;
		sp bigint;
	BEGIN
		LOOP
			SELECT source_log_file, source_log_pos INTO sf, sp
				FROM mysql_replica.status;
			EXIT WHEN sf > f OR (sf = f AND sp >= p);
			IF clock_timestamp() - t0 > interval '60 s' THEN
				RETURN NULL;
			END IF;
			PERFORM pg_sleep(0.002);
		END LOOP;
		RETURN extract(epoch FROM clock_timestamp());
	END \$\$"

echo
echo "3. steady state: $RANGE_ROWS-row statements of the oltp_write_only mix (bench/oltp_write_ranges.lua,"
echo "   $((4 * RANGE_ROWS)) row changes per transaction, 4 threads) at a fixed rate for $STEADY_SECS s, channel replicating"
printf '   %8s %7s %9s %9s %8s %8s %8s %8s %10s
' \
	"target" "rate" "achieved" "achieved" "lag med" "lag p95" "lag max" "behind" "catch-up"
printf '   %8s %7s %9s %9s %8s %8s %8s %8s %10s\n' \
	"rows/s" "txn/s" "txn/s" "rows/s" "ms" "ms" "ms" "max s" "s"
for target in $STEADY_RATES; do
	tps=$((target / (4 * RANGE_ROWS)))
	say "steady state: $tps transactions per second for $STEADY_SECS s"
	: >"$DIR/lag" && : >"$DIR/behind"
	sysbench "$BENCH_ROOT/bench/oltp_write_ranges.lua" "${SB[@]:2}" \
		--rows_per_statement="$RANGE_ROWS" --threads=4 --rate="$tps" \
		--time="$STEADY_SECS" --events=0 run >"$DIR/sb_rate.out" 2>&1 &
	SB_PID=$!
	sleep 1
	while kill -0 "$SB_PID" 2>/dev/null; do
		t_sample=$(bench_now)
		read -r sf sp <<<"$(src_end)"
		applied=$(psql_ -c "SELECT bench_copy.applied_at('$sf', $sp)")
		[ -n "$applied" ] || die "channel not at $sf:$sp after 60 s"
		awk -v a="$t_sample" -v b="$applied" \
			'BEGIN { printf "%.1f\n", (b - a) * 1000 }' >>"$DIR/lag"
		row=$(psql_ -F'|' -c "SELECT coalesce(seconds_behind_source::text, ''),
			state, replace(coalesce(last_error, ''), E'\n', ' ')
			FROM mysql_replica.status")
		IFS='|' read -r behind state err <<<"$row"
		[ "$state" != error ] || die "channel error: $err"
		[ -z "$behind" ] || echo "$behind" >>"$DIR/behind"
		sleep "$(awk -v a="$t_sample" -v b="$(bench_now)" \
			'BEGIN { d = a + 1 - b; printf "%.3f", (d > 0 ? d : 0) }')"
	done
	wait "$SB_PID" || { cat "$DIR/sb_rate.out" >&2; die "sysbench --rate=$tps failed"; }
	SB_PID=
	t_end=$(bench_now)
	read -r sf sp <<<"$(src_end)"
	applied=$(psql_ -c "SELECT bench_copy.applied_at('$sf', $sp)")
	[ -n "$applied" ] || die "channel did not catch up after the --rate=$tps run"
	achieved=$(awk '/transactions:/ { gsub(/\(/, "", $3); print $3; exit }' "$DIR/sb_rate.out")
	p95=$(sort -g "$DIR/lag" | awk '{ v[NR] = $1 }
		END { i = int(NR * 0.95 + 0.999); print (NR ? v[i < 1 ? 1 : i] : "-") }')
	awk -v target="$target" -v tps="$tps" -v ach="${achieved:-0}" \
		-v per="$((4 * RANGE_ROWS))" -v lmed="$(bench_median <"$DIR/lag")" \
		-v lp95="$p95" -v lmax="$(bench_max <"$DIR/lag")" \
		-v bmax="$(bench_max <"$DIR/behind")" -v a="$t_end" -v b="$applied" 'BEGIN {
		printf "   %8d %7d %9.0f %9.0f %8s %8s %8s %8s %10.2f\n",
			target, tps, ach, ach * per, lmed, lp95, lmax, bmax, b - a
	}'
done
echo "   (lag: sampled every second under load, from reading the source's end of binlog until the"
echo "    channel has applied it; behind: seconds_behind_source of the status view; catch-up: from"
echo "    the end of the load until the channel is at the source's end; achieved < rate: the source"
echo "    could not take the rate on this machine)"
psql_ -c "SELECT mysql_replica.stop_replica()" >/dev/null

# ------------------------------------------------ logs

echo
pg_problems=$(grep -cE '(ERROR|FATAL|PANIC|WARNING):' "$DIR/postgresql.log" || true)
echo "PostgreSQL log: $pg_problems ERROR/FATAL/PANIC/WARNING lines"
grep -E '(ERROR|FATAL|PANIC|WARNING):' "$DIR/postgresql.log" | head -n 10 | sed 's/^/   /' || true
for name in source replica; do
	n=$(grep -c '\[ERROR\]' "$DIR/$name/error.log" || true)
	echo "MariaDB $name error log: $n [ERROR] lines"
	grep '\[ERROR\]' "$DIR/$name/error.log" | head -n 5 | sed 's/^/   /' || true
done
