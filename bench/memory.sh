#!/bin/bash
#
# bench/memory.sh: how much memory a channel's worker uses for one very
# large source transaction.  A single INSERT ... SELECT of ROWS rows with
# a 1000-byte column (about 1 GB of binlog with the default 1,000,000
# rows) is written on MariaDB while the channel is stopped; then the
# channel is started and streams and applies it.  While it does, the
# worker's VmRSS and VmHWM (from /proc/<worker_pid>/status) are sampled
# every 100 ms.  Prints figures, not pass/fail:
#
#   the worker's RSS before the transaction, its peak RSS while applying
#   it, the transaction's size in the binlog, the time from start_replica()
#   to caught up, and rows and MB per second.
#
#   bash bench/memory.sh [ROWS]      (as root, default 1000000)
#
# It starts a throwaway MariaDB and PostgreSQL like the tests do and stops
# them at the end.

set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/test/setup.sh"

ROWS=${1:-1000000}

[ "$(id -u)" -eq 0 ] || { echo "run as root" >&2; exit 1; }
mr_install_packages >/dev/null
mr_build_extension >/dev/null

DIR=$(mr_make_workdir)
PGPORT_=$(mr_free_port)
MYPORT=$(mr_free_port)

cleanup() {
	mr_pg_stop "$DIR"
	mr_maria_stop "$DIR"
	rm -rf "$DIR"
}
trap cleanup EXIT

mr_maria_start "$DIR" "$MYPORT"
mr_maria_create_repl_user "$MYPORT"
mr_maria "$MYPORT" -e "
	CREATE DATABASE bench;
	CREATE TABLE bench.wide (id int PRIMARY KEY, pad varchar(1000) NOT NULL)
		DEFAULT CHARSET = latin1;"

# A transaction this large must fit the binlog caches (the defaults are
# unlimited in MariaDB 10.11; set them so that a changed default does not
# make the benchmark fail half-way).
mr_maria "$MYPORT" -e "
	SET GLOBAL max_binlog_cache_size = 4294967296;
	SET GLOBAL max_binlog_stmt_cache_size = 4294967296;"

mr_pg_start "$DIR" "$PGPORT_" \
	"shared_preload_libraries = 'mysql_replica'" \
	"mysql_replica.database = 'postgres'" \
	"max_wal_size = '4GB'"

psql_() {
	PGOPTIONS="-c client_min_messages=warning" \
		psql -X -q -At -h "$DIR" -p "$PGPORT_" -U postgres -d postgres "$@"
}

psql_ -c "CREATE EXTENSION mysql_replica" \
	-c "CREATE SCHEMA bench" \
	-c "CREATE TABLE bench.wide (id int PRIMARY KEY, pad varchar(1000) NOT NULL)"

# Wait until the channel's state is one of the given ones (60 s at most).
wait_state() {
	local want=$1 i state
	for i in $(seq 1 600); do
		state=$(psql_ -c "SELECT state FROM mysql_replica.status")
		if [[ "$state" =~ ^($want)$ ]]; then
			return 0
		fi
		sleep 0.1
	done
	echo "channel never reached state '$want' (is '$state')" >&2
	return 1
}

# VmRSS, VmHWM and RssAnon of a process, in kB, as "rss hwm anon".
# VmRSS counts the shared buffers the worker has touched (RssShmem);
# RssAnon is its private memory, where buffered events would show.
mem_of() {
	awk '/^VmRSS:/ { r = $2 } /^VmHWM:/ { h = $2 } /^RssAnon:/ { a = $2 }
		END { print r + 0, h + 0, a + 0 }' \
		"/proc/$1/status" 2>/dev/null || echo "0 0 0"
}

# Start the channel at the current end of the binlog, then stop it: the
# big transaction is written while it is stopped, so that everything after
# start_replica() is the channel's own work.
psql_ -c "SELECT mysql_replica.change_source(host => '127.0.0.1',
	port => $MYPORT, username => 'repl', password => 'replpass',
	initial_snapshot => false)" >/dev/null
psql_ -c "SELECT mysql_replica.start_replica()" >/dev/null
wait_state streaming
psql_ -c "SELECT mysql_replica.stop_replica()" >/dev/null
read -r FILE POS <<<"$(psql_ -F' ' -c \
	"SELECT source_log_file, source_log_pos FROM mysql_replica.status")"

echo "writing one transaction of $ROWS rows on MariaDB ..." >&2
t0=$(date +%s.%N)
mr_maria "$MYPORT" -e "
	USE bench;
	INSERT INTO bench.wide SELECT seq, REPEAT('x', 1000) FROM seq_1_to_$ROWS;"
t1=$(date +%s.%N)
read -r END_FILE END_POS <<<"$(mr_maria "$MYPORT" -N -e "SHOW MASTER STATUS" |
	awk '{ print $1, $2 }')"
# The transaction is in FILE after POS; a rotate may follow it.
FILE_SIZE=$(mr_maria "$MYPORT" -N -e "SHOW BINARY LOGS" |
	awk -v f="$FILE" '$1 == f { print $2 }')
TXN_BYTES=$((FILE_SIZE - POS))

echo "streaming it through the channel ..." >&2
start=$(date +%s.%N)
psql_ -c "SELECT mysql_replica.start_replica()" >/dev/null
WPID=$(psql_ -c "SELECT worker_pid FROM mysql_replica.status")
read -r RSS0 _ ANON0 <<<"$(mem_of "$WPID")"

peak_rss=0
peak_hwm=0
peak_anon=0
samples=0
while :; do
	read -r rss hwm anon <<<"$(mem_of "$WPID")"
	((rss > peak_rss)) && peak_rss=$rss
	((hwm > peak_hwm)) && peak_hwm=$hwm
	((anon > peak_anon)) && peak_anon=$anon
	samples=$((samples + 1))
	row=$(psql_ -F' ' -c "SELECT state, coalesce(source_log_file, ''),
		coalesce(source_log_pos, -1) FROM mysql_replica.status")
	read -r state f p <<<"${row/waiting to reconnect/waiting}"
	if [ "$f" = "$END_FILE" ] && [ "$p" = "$END_POS" ]; then
		break
	fi
	if [ "$state" = error ]; then
		psql_ -c "SELECT last_error FROM mysql_replica.status" >&2
		exit 1
	fi
	sleep 0.1
done
end=$(date +%s.%N)
read -r rss_end hwm_end anon_end <<<"$(mem_of "$WPID")"
((hwm_end > peak_hwm)) && peak_hwm=$hwm_end
shared_buffers=$(psql_ -c "SHOW shared_buffers")
queue_size=$(psql_ -c "SHOW mysql_replica.queue_size")
applied=$(psql_ -c "SELECT count(*) FROM bench.wide")

awk -v rows="$ROWS" -v applied="$applied" -v bytes="$TXN_BYTES" \
	-v w0="$t0" -v w1="$t1" -v s0="$start" -v s1="$end" \
	-v rss0="$RSS0" -v peak="$peak_rss" -v hwm="$peak_hwm" \
	-v rss_end="$rss_end" -v samples="$samples" -v anon0="$ANON0" \
	-v peak_anon="$peak_anon" -v anon_end="$anon_end" \
	-v sb="$shared_buffers" -v qs="$queue_size" 'BEGIN {
	secs = s1 - s0
	printf "rows in the transaction      %d (applied %d)\n", rows, applied
	printf "transaction size in binlog   %d bytes (%.1f MB)\n", bytes, bytes / 1048576
	printf "written on MariaDB in        %.1f s\n", w1 - w0
	printf "start_replica to caught up   %.1f s\n", secs
	printf "rows per second              %.0f\n", rows / secs
	printf "binlog MB per second         %.1f\n", bytes / 1048576 / secs
	printf "worker RSS at start          %.1f MB\n", rss0 / 1024
	printf "worker peak RSS (sampled)    %.1f MB (%d samples every 100 ms)\n", peak / 1024, samples
	printf "worker VmHWM (kernel peak)   %.1f MB\n", hwm / 1024
	printf "worker RSS when caught up    %.1f MB\n", rss_end / 1024
	printf "worker RssAnon start/peak/end %.1f / %.1f / %.1f MB (private memory)\n", anon0 / 1024, peak_anon / 1024, anon_end / 1024
	printf "shared_buffers %s (counted in RSS once touched), queue_size %s\n", sb, qs
}'
