#!/bin/bash
#
# demo/demo.sh: a live demonstration of mysql_replica.
#
# Run as root on Debian 12:   bash demo/demo.sh
#
# It installs what it needs, builds and installs the extension, then starts
# a throwaway MariaDB and a throwaway PostgreSQL (as the postgres OS user,
# in a temporary directory, reachable on 127.0.0.1 / a Unix socket only),
# creates a small shop database with customers on MariaDB, starts a
# replication channel on an empty PostgreSQL (which copies the existing
# tables, then streams), runs a few thousand inserts, updates and deletes
# with a schema migration in the middle on MariaDB while showing the
# channel's status, compares both sides, and shuts everything down.
#
# Set MR_SKIP_BUILD=1 to skip the package and build steps.

set -euo pipefail

# shellcheck source=test/setup.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../test/setup.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "demo/demo.sh must run as root (it installs, builds and switches user)" >&2
	exit 1
fi

if [ "${MR_SKIP_BUILD:-}" != 1 ]; then
	mr_install_packages
fi

WORK=$(mr_make_workdir)
WORKLOAD_PID=

cleanup() {
	local rc=$?
	set +e
	if [ -n "$WORKLOAD_PID" ]; then
		kill "$WORKLOAD_PID" 2>/dev/null
		wait "$WORKLOAD_PID" 2>/dev/null
	fi
	mr_log "shutting down"
	mr_pg_stop "$WORK/pg"
	mr_maria_stop "$WORK"
	rm -rf "$WORK"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "${MR_SKIP_BUILD:-}" != 1 ]; then
	mr_build_extension >"$WORK/build.log" 2>&1 || {
		tail -n 40 "$WORK/build.log"
		exit 1
	}
fi

MARIA_PORT=$(mr_free_port)
PG_PORT=$(mr_free_port)

maria() {
	mr_maria "$MARIA_PORT" --batch --skip-column-names "$@"
}

pg() {
	"$MR_PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$WORK/pg" -p "$PG_PORT" \
		-U postgres -d postgres "$@"
}

# --- servers --------------------------------------------------------------
mr_log "starting MariaDB on 127.0.0.1:$MARIA_PORT"
mr_maria_start "$WORK" "$MARIA_PORT"

mr_log "starting PostgreSQL 15 (Unix socket in $WORK/pg, port $PG_PORT)"
mkdir "$WORK/pg" && chown "$MR_OS_USER:$MR_OS_USER" "$WORK/pg"
mr_pg_start "$WORK/pg" "$PG_PORT" \
	"shared_preload_libraries = 'mysql_replica'" \
	"mysql_replica.database = 'postgres'"

# --- the source's existing data -------------------------------------------
# The shop exists on MariaDB before the channel starts; PostgreSQL has
# nothing but the extension.  The channel's initial snapshot creates the
# tables and copies the rows, then streams from the snapshot's point.
mr_log "creating the shop database on MariaDB"
maria <<'SQL'
CREATE USER 'repl'@'%' IDENTIFIED BY 'demo_password';
GRANT REPLICATION SLAVE, BINLOG MONITOR, SELECT ON *.* TO 'repl'@'%';
CREATE DATABASE shop;
CREATE TABLE shop.customers (
  id int PRIMARY KEY,
  name varchar(100) NOT NULL,
  email varchar(100),
  balance decimal(12,2) NOT NULL DEFAULT 0,
  created datetime NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE shop.orders (
  id bigint PRIMARY KEY,
  customer_id int NOT NULL,
  amount decimal(10,2) NOT NULL,
  status varchar(20) NOT NULL,
  note text
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
SQL

# 200 customers already in the shop
perl -e '
	my @names = ("Ana", "Björn", "Chloé", "Dmitri", "Eun-ji", "Farah", "Zoë");
	print "BEGIN;\n";
	for my $c (1 .. 200) {
		my $n = $names[$c % @names] . " #$c";
		printf "INSERT INTO shop.customers VALUES (%d, %s, %s, 0, %s);\n",
		  $c, "\x27$n\x27", ($c % 5 ? "\x27c$c\@example.com\x27" : "NULL"),
		  "\x272024-01-01 00:00:00\x27" ;
	}
	print "COMMIT;\n";
' | maria

pg -c 'CREATE EXTENSION mysql_replica'

# --- channel ------------------------------------------------------------------
mr_log "configuring and starting the replication channel"
pg >/dev/null <<SQL
SELECT mysql_replica.change_source(
  host => '127.0.0.1', port => $MARIA_PORT,
  username => 'repl', password => 'demo_password',
  server_id => 4242, connect_retry => 1);
SELECT mysql_replica.start_replica();
SQL

mr_log "waiting for the initial snapshot"
for _ in $(seq 1 120); do
	state=$(pg -At -c "SELECT state FROM mysql_replica.status")
	[ "$state" = streaming ] || [ "$state" = error ] && break
	sleep 0.5
done
pg -c "SELECT source_database, source_table, target_table, state, rows_copied
	FROM mysql_replica.snapshot_progress ORDER BY 1, 2"

# --- workload -----------------------------------------------------------------
# 800 transactions: each places an order and charges the customer; every
# 4th also ships an older order, every 10th cancels (deletes) one; half-way
# the shop adds a column, an index and a table of reviews.  That is a
# little over 3000 row changes.

perl -e '
	my $seed = 42;
	sub rnd { $seed = ($seed * 1103515245 + 12345) % 2147483648; $seed % $_[0] }
	for my $o (1 .. 800) {
		my $c = 1 + rnd(200);
		my $amount = sprintf("%d.%02d", 1 + rnd(300), rnd(100));
		print "BEGIN;\n";
		print "INSERT INTO shop.orders (id, customer_id, amount, status, note) VALUES ($o, $c, $amount, \x27new\x27, \x27order $o\x27);\n";
		print "UPDATE shop.customers SET balance = balance - $amount WHERE id = $c;\n";
		print "UPDATE shop.orders SET status = \x27shipped\x27 WHERE id = ", $o - 3, ";\n"
		  if $o % 4 == 0;
		print "DELETE FROM shop.orders WHERE id = ", $o - 5, ";\n"
		  if $o % 10 == 0;
		print "COMMIT;\n";
		print "DO SLEEP(0.1);\n" if $o % 20 == 0;

		# a migration half-way: a column, an index and a new table
		if ($o == 400) {
			print "ALTER TABLE shop.orders ADD COLUMN shipped_at datetime NULL AFTER status, ADD INDEX idx_customer (customer_id);\n";
			print "CREATE TABLE shop.reviews (id int AUTO_INCREMENT PRIMARY KEY, order_id bigint NOT NULL, stars tinyint NOT NULL, body text) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n";
		}
		if ($o > 400 && $o % 4 == 0) {
			print "UPDATE shop.orders SET shipped_at = \x272024-02-01 10:00:00\x27 WHERE id = ", $o - 3, ";\n";
			print "INSERT INTO shop.reviews (order_id, stars, body) VALUES (", $o - 3, ", ", 1 + rnd(5), ", \x27review of order ", $o - 3, " ✓\x27);\n";
		}
	}
' >"$WORK/workload.sql"

mr_log "running the workload on MariaDB ($(grep -c '^COMMIT' "$WORK/workload.sql") transactions)"
maria <"$WORK/workload.sql" &
WORKLOAD_PID=$!

STATUS_SQL="SELECT channel, state, source_log_file AS file, source_log_pos AS pos,
  events_received AS events, transactions_applied AS txns,
  rows_applied AS rows, seconds_behind_source AS lag
  FROM mysql_replica.status"

while kill -0 "$WORKLOAD_PID" 2>/dev/null; do
	pg -c "$STATUS_SQL"
	sleep 1
done
wait "$WORKLOAD_PID"
WORKLOAD_PID=
mr_log "workload finished on MariaDB"

# --- wait until caught up -------------------------------------------------------
read -r src_file src_pos < <(maria -e 'SHOW MASTER STATUS' | cut -f1,2)
mr_log "waiting for the channel to reach $src_file:$src_pos"
caught_up=0
for _ in $(seq 1 240); do
	got=$(pg -At -F' ' -c "SELECT state, source_log_file, source_log_pos
		FROM mysql_replica.status WHERE channel = 'default'")
	if [ "$got" = "streaming $src_file $src_pos" ] ||
		[ "$got" = "applying $src_file $src_pos" ]; then
		caught_up=1
		break
	fi
	case "$got" in error*)
		break ;;
	esac
	sleep 0.5
done
pg -c "$STATUS_SQL"
if [ "$caught_up" != 1 ]; then
	pg -x -c "SELECT * FROM mysql_replica.status"
	mr_log "the channel did not catch up"
	exit 1
fi

# --- compare both sides -----------------------------------------------------------
mr_log "comparing row counts and checksums"
maria_sum() {
	maria -e "SET SESSION group_concat_max_len = 1073741824;
		SELECT COUNT(*), IFNULL(MD5(GROUP_CONCAT($2 ORDER BY id SEPARATOR '\n')), '')
		FROM shop.$1" | tr '\t' ' '
}
pg_sum() {
	pg -At -F' ' -c "SELECT count(*), coalesce(md5(string_agg($2, E'\n' ORDER BY id)), '')
		FROM shop.$1"
}
ok=1
compare() {
	local table=$1 my_expr=$2 pg_expr=$3 m p
	m=$(maria_sum "$table" "$my_expr")
	p=$(pg_sum "$table" "$pg_expr")
	printf '  %-10s MariaDB: %-45s PostgreSQL: %s\n' "$table" "$m" "$p"
	[ "$m" = "$p" ] || ok=0
}
compare customers \
	"CONCAT_WS('|', id, name, email, balance, DATE_FORMAT(created, '%Y-%m-%d %H:%i:%s'))" \
	"concat_ws('|', id, name, email, balance, to_char(created, 'YYYY-MM-DD HH24:MI:SS'))"
compare orders \
	"CONCAT_WS('|', id, customer_id, amount, status, note, DATE_FORMAT(shipped_at, '%Y-%m-%d %H:%i:%s'))" \
	"concat_ws('|', id, customer_id, amount, status, note, to_char(shipped_at, 'YYYY-MM-DD HH24:MI:SS'))"
compare reviews \
	"CONCAT_WS('|', id, order_id, stars, body)" \
	"concat_ws('|', id, order_id, stars, body)"
pg -c '\d shop.orders'

mr_log "stopping the channel"
pg -c "SELECT mysql_replica.stop_replica()" >/dev/null
pg -c "SELECT channel, state, worker_pid, transactions_applied, rows_applied FROM mysql_replica.status"

if [ "$ok" = 1 ]; then
	mr_log "both sides match"
else
	mr_log "MISMATCH between MariaDB and PostgreSQL"
	exit 1
fi
