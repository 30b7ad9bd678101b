#!/bin/bash
#
# bench/snapshot_speed.sh: how fast mysql_replica's initial snapshot copies
# a MariaDB database into PostgreSQL, next to pgloader copying the same
# database.  Prints a table of figures, not pass/fail; the goal it reports
# against is mysql_replica taking at most half of pgloader's time.
#
#   1. sysbench oltp_read_write prepare: 1 table sbtest.sbtest1 of
#      1,000,000 rows (id, k, c char(120), pad char(60), index on k) on a
#      MariaDB source
#   2. pgloader, with its defaults, copies database sbtest into the
#      PostgreSQL database "pgloader" (tables, rows, indexes), timed by the
#      wall clock of the command; its summary's row count is checked
#   3. mysql_replica's initial snapshot of the same database into the
#      PostgreSQL database "postgres" (the worker's): change_source with
#      include_tables => '{sbtest.%}', start_replica(), and the wall clock
#      until the channel's state is streaming (polled every 100 ms); also
#      snapshot_progress's finished_at - started_at
#   Then both copies are checked: the row count against the source's, and
#   the md5 of every row (id, k, c, pad, ordered by id) against the
#   source's.
#
#   bash bench/snapshot_speed.sh           (as root; a few minutes on 2 cores)
#   QUICK=1 bash bench/snapshot_speed.sh   (100,000 rows, under a minute)
#   BUILD=0 ...                            (use the installed extension as is)
#
# Servers (throwaway, loopback only, stopped and removed on exit):
#   source    MariaDB, log_bin, ROW, binlog_row_metadata=FULL,
#             innodb_buffer_pool_size=2G, innodb_flush_log_at_trx_commit=2
#   postgres  PostgreSQL 15, shared_buffers=2GB, max_wal_size=4GB, fsync=on,
#             wal_level left at replica (so neither tool's COPY skips WAL),
#             listening on a Unix socket and on 127.0.0.1 for pgloader
# Everything runs on the same machine: the source, PostgreSQL and the
# copying tool compete for its cores.

set -euo pipefail
BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$BENCH_ROOT/test/setup.sh"
source "$BENCH_ROOT/bench/lib.sh"

if [ "${QUICK:-0}" = 1 ]; then
	TABLE_SIZE=100000
else
	TABLE_SIZE=1000000
fi
WAIT_LIMIT=1800          # seconds either copy may take
GOAL=0.5                 # mysql_replica time / pgloader time, at most

[ "$(id -u)" -eq 0 ] || { echo "run as root" >&2; exit 1; }
mr_install_packages >/dev/null
for tool in sysbench pgloader; do
	if ! command -v "$tool" >/dev/null; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$tool" >/dev/null ||
			{ apt-get update -q >/dev/null &&
				DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$tool" >/dev/null; }
	fi
done
if [ "${BUILD:-1}" = 1 ]; then
	mr_build_extension >/dev/null
fi

DIR=$(mr_make_workdir)
PGPORT_=$(mr_free_port)
SRCPORT=$(mr_free_port)
while [ "$SRCPORT" = "$PGPORT_" ]; do SRCPORT=$(mr_free_port); done

cleanup() {
	mr_pg_stop "$DIR"
	mr_maria_stop_in "$DIR/source"
	rm -rf "$DIR"
}
trap cleanup EXIT

say() { printf '==> %s\n' "$*" >&2; }

die() {
	echo "snapshot_speed: $*" >&2
	echo "--- PostgreSQL log tail" >&2
	tail -n 20 "$DIR/postgresql.log" >&2 || true
	exit 1
}

# psql_ [-d DB] ARGS...: psql on the Unix socket, database postgres unless
# -d is given first.
psql_() {
	local db=postgres
	if [ "${1:-}" = -d ]; then
		db=$2
		shift 2
	fi
	PGOPTIONS="-c client_min_messages=warning" \
		psql -X -q -At -h "$DIR" -p "$PGPORT_" -U postgres -d "$db" "$@"
}
src() { mr_maria "$SRCPORT" "$@"; }
elapsed() { awk -v a="$1" -v b="$(bench_now)" 'BEGIN { printf "%.2f", b - a }'; }

# ---------------------------------------------------------------- servers

say "starting MariaDB and PostgreSQL in $DIR"
mr_maria_start_in "$DIR/source" "$SRCPORT" \
	--server-id=1 --log-bin="$DIR/source/data/binlog" --binlog-format=ROW \
	--binlog-row-metadata=FULL --innodb-buffer-pool-size=2G \
	--innodb-log-file-size=1G --innodb-flush-log-at-trx-commit=2 \
	--sync-binlog=0
mr_pg_start "$DIR" "$PGPORT_" \
	"shared_preload_libraries = 'mysql_replica'" \
	"mysql_replica.database = 'postgres'" \
	"listen_addresses = '127.0.0.1'" \
	"shared_buffers = '2GB'" \
	"max_wal_size = '4GB'" \
	"fsync = on"

# repl/replpass reads the binlog; the snapshot reads the tables too.
# loader/loaderpass is pgloader's.
mr_maria_create_repl_user "$SRCPORT"
src -e "
	GRANT SELECT ON *.* TO repl@'%';
	GRANT SELECT ON *.* TO repl@'localhost';
	CREATE USER loader@'%' IDENTIFIED BY 'loaderpass';
	CREATE USER loader@'localhost' IDENTIFIED BY 'loaderpass';
	GRANT SELECT, SHOW VIEW ON *.* TO loader@'%';
	GRANT SELECT, SHOW VIEW ON *.* TO loader@'localhost';
	CREATE DATABASE sbtest;"
psql_ -c "CREATE EXTENSION mysql_replica" -c "CREATE DATABASE pgloader"

# ---------------------------------------------------------------- source

say "sysbench prepare: $TABLE_SIZE rows"
sysbench oltp_read_write --db-driver=mysql --mysql-host=127.0.0.1 \
	--mysql-port="$SRCPORT" --mysql-user=root --mysql-db=sbtest \
	--tables=1 --table-size="$TABLE_SIZE" prepare >"$DIR/sb_prepare.out" 2>&1 ||
	{ cat "$DIR/sb_prepare.out" >&2; die "sysbench prepare failed"; }
SRC_ROWS=$(src -N -e "SELECT COUNT(*) FROM sbtest.sbtest1")
SRC_MB=$(src -N -e "SELECT ROUND((DATA_LENGTH + INDEX_LENGTH) / 1048576)
	FROM information_schema.TABLES
	WHERE TABLE_SCHEMA = 'sbtest' AND TABLE_NAME = 'sbtest1'")

# md5 of every row, ordered by id, in the same text form on both sides
# (CHAR columns without their trailing spaces, as MariaDB returns them).
src_md5() {
	src -N -B -e "SELECT CONCAT_WS(',', id, k, c, pad) FROM sbtest.sbtest1
		ORDER BY id" | md5sum | awk '{ print $1 }'
}
pg_md5() {
	psql_ -d "$1" -c "COPY (SELECT concat_ws(',', id, k, c::text, pad::text)
		FROM sbtest.sbtest1 ORDER BY id) TO STDOUT" | md5sum | awk '{ print $1 }'
}
SRC_MD5=$(src_md5)

# ---------------------------------------------------------------- pgloader

say "pgloader: sbtest into database pgloader"
psql_ -c "CHECKPOINT"
t0=$(bench_now)
pgloader --root-dir "$DIR/pgloader" \
	"mysql://loader:loaderpass@127.0.0.1:$SRCPORT/sbtest" \
	"postgresql://postgres@127.0.0.1:$PGPORT_/pgloader" \
	>"$DIR/pgloader.out" 2>&1 ||
	{ tail -n 40 "$DIR/pgloader.out" >&2; die "pgloader failed"; }
PGL_SECS=$(elapsed "$t0")
# pgloader's summary: the line of the table names its rows in the third
# column (the first is the schema-qualified name, the second its errors).
PGL_REPORTED=$(awk '$1 ~ /sbtest1"?$/ && $3 ~ /^[0-9]+$/ { n = $3 } END { print n + 0 }' \
	"$DIR/pgloader.out")
PGL_ROWS=$(psql_ -d pgloader -c "SELECT count(*) FROM sbtest.sbtest1") ||
	die "pgloader left no sbtest.sbtest1"
PGL_MD5=$(pg_md5 pgloader)

# ---------------------------------------------------------------- mysql_replica

say "mysql_replica: snapshot of sbtest into database postgres"
psql_ -c "SELECT mysql_replica.change_source(host => '127.0.0.1',
	port => $SRCPORT, username => 'repl', password => 'replpass',
	connect_retry => 1, initial_snapshot => true,
	include_tables => '{sbtest.%}')" >/dev/null
psql_ -c "CHECKPOINT"
deadline=$(($(date +%s) + WAIT_LIMIT))
t0=$(bench_now)
psql_ -c "SELECT mysql_replica.start_replica()" >/dev/null
while :; do
	row=$(psql_ -F'|' -c "SELECT state,
		replace(coalesce(last_error, ''), E'\n', ' ') FROM mysql_replica.status")
	IFS='|' read -r state err <<<"$row"
	[ "$state" != streaming ] || break
	[ "$state" != error ] || die "channel error: $err"
	[ "$(date +%s)" -lt "$deadline" ] ||
		die "no streaming after ${WAIT_LIMIT} s (state $state)"
	sleep 0.1
done
MR_SECS=$(elapsed "$t0")
read -r MR_PROGRESS_SECS MR_COPIED <<<"$(psql_ -F' ' -c "
	SELECT round(extract(epoch FROM max(finished_at) - min(started_at)), 2),
	       sum(rows_copied)
	FROM mysql_replica.snapshot_progress WHERE channel = 'default'")"
MR_ROWS=$(psql_ -c "SELECT count(*) FROM sbtest.sbtest1")
MR_MD5=$(pg_md5 postgres)
psql_ -c "SELECT mysql_replica.stop_replica()" >/dev/null

# ---------------------------------------------------------------- report

check() {
	local rows=$1 md5=$2 out
	if [ "$rows" = "$SRC_ROWS" ]; then out="count ok"; else out="COUNT $rows != $SRC_ROWS"; fi
	if [ "$md5" = "$SRC_MD5" ]; then out="$out, md5 ok"; else out="$out, MD5 DIFFERS"; fi
	printf '%s' "$out"
}
PGL_CHECK=$(check "$PGL_ROWS" "$PGL_MD5")
if [ "$PGL_REPORTED" != "$SRC_ROWS" ]; then
	PGL_CHECK="$PGL_CHECK, summary says $PGL_REPORTED rows"
fi
MR_CHECK=$(check "$MR_ROWS" "$MR_MD5")

echo
echo "snapshot_speed: $(nproc) cores; MariaDB $(src -N -e 'SELECT VERSION()'), $(psql_ -c 'SELECT version()' | awk '{ print $1, $2 }'), $(pgloader --version | head -n 1)$([ "${QUICK:-0}" != 1 ] || echo ' (QUICK=1)')"
echo "sbtest.sbtest1: $SRC_ROWS rows, $SRC_MB MB of data and indexes on MariaDB"
echo
awk -v rows="$SRC_ROWS" -v pgl="$PGL_SECS" -v mr="$MR_SECS" \
	-v mrp="$MR_PROGRESS_SECS" -v pglc="$PGL_CHECK" -v mrc="$MR_CHECK" \
	-v goal="$GOAL" 'BEGIN {
	printf "   %-44s %9s %10s   %s\n", "tool", "seconds", "rows/s", "check"
	printf "   %-44s %9.2f %10.0f   %s\n", "pgloader", pgl, rows / pgl, pglc
	printf "   %-44s %9.2f %10.0f   %s\n", "mysql_replica (start_replica to streaming)", mr, rows / mr, mrc
	printf "   %-44s %9.2f %10.0f\n", "mysql_replica (snapshot_progress start..end)", mrp, (mrp > 0 ? rows / mrp : 0)
	ratio = mr / pgl
	printf "   mysql_replica / pgloader time: %.2f (goal: at most %.2f: %s)\n",
		ratio, goal, (ratio <= goal ? "met" : "NOT met")
}'
echo "   (both include creating the table and its indexes; md5 over every row ordered by id)"
[ "$MR_COPIED" = "$SRC_ROWS" ] ||
	echo "   note: snapshot_progress rows_copied is $MR_COPIED, the source has $SRC_ROWS"

echo
pg_problems=$(grep -cE '(ERROR|FATAL|PANIC|WARNING):' "$DIR/postgresql.log" || true)
echo "PostgreSQL log: $pg_problems ERROR/FATAL/PANIC/WARNING lines"
grep -E '(ERROR|FATAL|PANIC|WARNING):' "$DIR/postgresql.log" | head -n 10 | sed 's/^/   /' || true
