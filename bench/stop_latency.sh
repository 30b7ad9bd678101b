#!/bin/bash
#
# bench/stop_latency.sh: how long stop_replica() takes in each state a
# channel can be in.  Prints, per state, the median and the worst of
# several tries, in milliseconds, as measured by the server (psql \timing:
# the round trip of the SELECT, without psql's own start-up).
#
#   bash bench/stop_latency.sh [TRIES]      (as root, default 7 tries)
#
# States:
#   streaming, idle        connected, the producer blocked in a read
#   waiting to reconnect   nothing listens on the port; connect_retry 60
#   connecting, no answer  a peer accepts TCP and never says a word
#   applying 1M rows       inside a one-million-row source transaction,
#                          which is rolled back
#   queue full             the applier is slowed by a trigger, the reader
#                          waits for room in the event queue
#   snapshot               the initial snapshot copying a 1M-row table
#
# It starts a throwaway MariaDB and PostgreSQL like the tests do and stops
# them at the end.

set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/test/setup.sh"

TRIES=${1:-7}

[ "$(id -u)" -eq 0 ] || { echo "run as root" >&2; exit 1; }
mr_install_packages >/dev/null
mr_build_extension >/dev/null

DIR=$(mr_make_workdir)
PGPORT_=$(mr_free_port)
MYPORT=$(mr_free_port)
NOPORT=$(mr_free_port)
HOLEPORT=$(mr_free_port)
HOLE_PID=

cleanup() {
	[ -n "$HOLE_PID" ] && kill "$HOLE_PID" 2>/dev/null
	mr_pg_stop "$DIR"
	mr_maria_stop "$DIR"
	rm -rf "$DIR"
}
trap cleanup EXIT

mr_maria_start "$DIR" "$MYPORT"
mr_maria_create_repl_user "$MYPORT"
mr_maria "$MYPORT" -e "
	CREATE DATABASE bench;
	CREATE TABLE bench.big (id int PRIMARY KEY, v int);
	CREATE TABLE bench.slow (id int PRIMARY KEY, v int);"

mr_pg_start "$DIR" "$PGPORT_" \
	"shared_preload_libraries = 'mysql_replica'" \
	"mysql_replica.database = 'postgres'" \
	"mysql_replica.queue_size = '1MB'"

psql_() {
	PGOPTIONS="-c client_min_messages=warning" \
		psql -X -q -At -h "$DIR" -p "$PGPORT_" -U postgres -d postgres "$@"
}

psql_ -c "CREATE EXTENSION mysql_replica" \
	-c "CREATE SCHEMA bench" \
	-c "CREATE TABLE bench.big (id int PRIMARY KEY, v int)" \
	-c "CREATE TABLE bench.slow (id int PRIMARY KEY, v int)" \
	-c "CREATE FUNCTION bench.crawl() RETURNS trigger LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM pg_sleep(0.0005); RETURN NEW; END\$\$" \
	-c "CREATE TRIGGER crawl BEFORE INSERT ON bench.slow
		FOR EACH ROW EXECUTE FUNCTION bench.crawl()"

# A peer that accepts connections and never answers.
perl -MIO::Socket::INET -e '
	my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1",
		LocalPort => $ARGV[0], Listen => 16, ReuseAddr => 1) or die $!;
	my @held;
	while (my $c = $s->accept) { push @held, $c }' "$HOLEPORT" &
HOLE_PID=$!

# Wait until the channel's state is one of the given ones (10 s at most).
wait_state() {
	local want=$1 i state
	for i in $(seq 1 1000); do
		state=$(psql_ -c "SELECT state FROM mysql_replica.status")
		if [[ "$state" =~ ^($want)$ ]]; then
			return 0
		fi
		sleep 0.01
	done
	echo "channel never reached state '$want' (is '$state')" >&2
	return 1
}

# Time one stop_replica() in milliseconds.
time_stop() {
	psql -X -h "$DIR" -p "$PGPORT_" -U postgres -d postgres \
		-c '\timing on' -c 'SELECT mysql_replica.stop_replica()' |
		sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'
}

# Run TRIES times: configure ($1), start, wait for state ($2), stop.
measure() {
	local label=$1 settings=$2 state=$3 i
	local -a times=()
	for i in $(seq 1 "$TRIES"); do
		psql_ -c "SELECT mysql_replica.change_source($settings)" >/dev/null
		psql_ -c "SELECT mysql_replica.start_replica()" >/dev/null
		wait_state "$state"
		sleep 0.2
		wait_state "$state"
		times+=("$(time_stop)")
	done
	printf '%s\n' "${times[@]}" | sort -n | awk -v label="$label" '
		{ t[NR] = $1 }
		END {
			median = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
			printf "%-26s %10.1f %10.1f %6d\n", label, median, t[NR], NR
		}'
}

SOURCE="host => '127.0.0.1', username => 'repl', password => 'replpass',
	initial_snapshot => false"
psql_ -c "SELECT mysql_replica.change_source($SOURCE, port => $MYPORT)" >/dev/null
psql_ -c "SELECT mysql_replica.start_replica()" >/dev/null
wait_state streaming
psql_ -c "SELECT mysql_replica.stop_replica()" >/dev/null
file_pos=$(psql_ -c "SELECT source_log_file || ' ' || source_log_pos FROM mysql_replica.status")
read -r FILE POS <<<"$file_pos"

# The one-million-row transaction and the slow one, once each on the
# source; every try starts the channel before them again.
mr_maria "$MYPORT" -e "
	USE bench;
	INSERT INTO bench.big SELECT seq, seq FROM seq_1_to_1000000;"
big_end=$(mr_maria "$MYPORT" -N -e "SHOW MASTER STATUS" | awk '{print $2}')
mr_maria "$MYPORT" -e "
	USE bench;
	INSERT INTO bench.slow SELECT seq, seq FROM seq_1_to_200000;"

all_end=$(mr_maria "$MYPORT" -N -e "SHOW MASTER STATUS" | awk '{print $2}')

AT_START="log_file => '$FILE', log_pos => $POS"
AT_END="log_file => '$FILE', log_pos => $all_end"
AT_SLOW="log_file => '$FILE', log_pos => $big_end"

echo
echo "stop_replica() latency, milliseconds ($TRIES tries each; $(nproc) cores)"
printf '%-26s %10s %10s %6s\n' state median worst tries
measure "streaming, idle" \
	"port => $MYPORT, connect_retry => 60, $AT_END" "streaming"
measure "waiting to reconnect" \
	"port => $NOPORT, connect_retry => 60" "waiting to reconnect"
measure "connecting, no answer" \
	"port => $HOLEPORT, connect_retry => 60" "connecting"
measure "applying 1M rows" \
	"port => $MYPORT, $AT_START" "applying"
measure "queue full" \
	"port => $MYPORT, $AT_SLOW" "applying"

# The initial snapshot of bench.big, into another schema; a snapshot
# stopped half-way is started over at the next start.
psql_ -c "SELECT mysql_replica.reset_replica()" >/dev/null
measure "snapshot, copying 1M rows" \
	"port => $MYPORT, initial_snapshot => true,
	 include_tables => '{bench.big}', schema_map => '{\"bench\": \"snapcopy\"}'" \
	"snapshot"
