#!/bin/sh
#
# mariadb_compressed.sh OUTFILE
#
# Make a binlog with MariaDB's compressed events (log_bin_compress=ON):
# start a throwaway mariadbd in a temporary directory, run a few DDL and
# DML statements, stop it and copy its binlog to OUTFILE.  payload_test
# runs this when mariadbd is installed; the binlog is never committed.
#
# Exits 77 when no MariaDB server is installed, non-zero on any failure.

set -eu

out=$1
shift
MARIADBD=${MARIADBD:-$(command -v mariadbd || echo /usr/sbin/mariadbd)}
INSTALL_DB=$(command -v mariadb-install-db || true)
CLIENT=$(command -v mariadb || command -v mysql || true)
ADMIN=$(command -v mariadb-admin || command -v mysqladmin || true)

if [ ! -x "$MARIADBD" ] || [ -z "$INSTALL_DB" ] || [ -z "$CLIENT" ] ||
	[ -z "$ADMIN" ]; then
	echo "mariadbd, mariadb-install-db or the client is not installed" >&2
	exit 77
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/mariadb_compressed.XXXXXX")
pid=

cleanup() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM

# mariadbd refuses to run as root: use an unprivileged account then.
as=
if [ "$(id -u)" = 0 ]; then
	if id postgres >/dev/null 2>&1; then
		as="runuser -u postgres --"
		chown postgres "$dir"
	else
		as=
		set -- --user=root
	fi
fi

$as "$INSTALL_DB" --no-defaults --datadir="$dir/data" --auth-root-authentication-method=normal \
	--skip-test-db >"$dir/install.log" 2>&1 ||
	{ cat "$dir/install.log" >&2; exit 1; }

$as "$MARIADBD" --no-defaults --datadir="$dir/data" --socket="$dir/sock" \
	--skip-networking --log-bin="$dir/data/mariadb-bin" \
	--log-bin-compress=ON --log-bin-compress-min-len=10 \
	--binlog-format=ROW --server-id=1 --pid-file="$dir/pid" \
	--log-error="$dir/error.log" --innodb-buffer-pool-size=8M \
	--skip-grant-tables "$@" 2>"$dir/stderr.log" &
pid=$!

i=0
until $as "$ADMIN" --no-defaults --socket="$dir/sock" -uroot ping \
	>/dev/null 2>&1; do
	i=$((i + 1))
	if [ $i -gt 300 ] || ! kill -0 "$pid" 2>/dev/null; then
		cat "$dir/error.log" >&2
		exit 1
	fi
	sleep 0.1
done

$as "$CLIENT" --no-defaults --socket="$dir/sock" -uroot <<'EOF'
CREATE DATABASE ctest;
USE ctest;
CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(200), amount DECIMAL(10,2),
                note TEXT, created DATETIME(6));
INSERT INTO t VALUES (1, 'first row of the compressed binlog test', 12.50,
                      REPEAT('abc', 100), '2024-01-02 03:04:05.123456');
INSERT INTO t VALUES (2, 'second row', -7.25, NULL, '1999-12-31 23:59:59.5'),
                     (3, 'third row', 0.00, 'x', NULL);
UPDATE t SET name = CONCAT(name, ' updated'), amount = amount * 2
  WHERE id <= 2;
DELETE FROM t WHERE id = 3;
ALTER TABLE t ADD COLUMN extra INT DEFAULT 42;
INSERT INTO t (id, name) VALUES (4, 'after the alter table statement');
FLUSH BINARY LOGS;
EOF

$as "$ADMIN" --no-defaults --socket="$dir/sock" -uroot shutdown
wait "$pid" || true
pid=

cp "$dir/data/mariadb-bin.000001" "$out"
