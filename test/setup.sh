# test/setup.sh
#
# Shell helpers shared by test/run_all.sh and demo/demo.sh; source it, do
# not run it.  Everything here expects to run as root on Debian 12:
#
#   mr_install_packages      apt-get what building and testing need (only
#                            when something is missing)
#   mr_build_extension       make && make install at the repository root
#   mr_make_workdir          a fresh temporary directory owned by postgres
#   mr_as_pg CMD...          run a command as the postgres OS user
#   mr_free_port             a TCP port on 127.0.0.1 that nobody listens on
#   mr_pg_start DIR PORT [CONF_LINE...]
#                            initdb DIR/pgdata and start PostgreSQL 15 on a
#                            Unix socket in DIR only (no TCP)
#   mr_pg_stop DIR
#   mr_maria_start DIR PORT  init DIR/mariadb and start a MariaDB with a ROW
#                            binlog, listening on 127.0.0.1:PORT only
#   mr_maria_stop DIR
#   mr_maria_start_in HOME PORT [MARIADBD_OPTION...]
#   mr_maria_stop_in HOME    the same for a MariaDB in HOME with only the
#                            given server options (no binlog implied)
#   mr_maria_create_repl_user PORT
#                            the replication user repl/replpass
#   mr_maria PORT [ARGS...]  the mariadb client, as root, over TCP
#
# PostgreSQL and MariaDB both refuse to run as root, so the servers run as
# the postgres OS user in directories that user owns.

MR_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MR_PG_BINDIR=/usr/lib/postgresql/15/bin
MR_PG_CONFIG=$MR_PG_BINDIR/pg_config
MR_PGXS_PERL=/usr/lib/postgresql/15/lib/pgxs/src/test/perl
MR_PG_REGRESS=/usr/lib/postgresql/15/lib/pgxs/src/test/regress/pg_regress
MR_OS_USER=postgres

# Debian packages for building the extension and running every test.
MR_PACKAGES=(
	build-essential
	pkg-config
	postgresql-15
	postgresql-server-dev-15
	postgresql-15-postgis-3
	mariadb-server
	mariadb-client
	libmariadb-dev
	libzstd-dev
	libipc-run-perl
	zlib1g-dev
	clang
	libclang-rt-14-dev
	perl
	util-linux
)

mr_log() {
	printf '==> %s\n' "$*"
}

mr_install_packages() {
	local missing=() pkg
	for pkg in "${MR_PACKAGES[@]}"; do
		if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null |
			grep -q 'install ok installed'; then
			missing+=("$pkg")
		fi
	done
	if [ ${#missing[@]} -eq 0 ]; then
		mr_log "packages: all present"
		return 0
	fi
	mr_log "packages: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q &&
		apt-get install -y -q --no-install-recommends "${missing[@]}"
}

mr_build_extension() {
	mr_log "building the extension in $MR_ROOT"
	make -C "$MR_ROOT" PG_CONFIG="$MR_PG_CONFIG" -j"$(nproc)" &&
		make -C "$MR_ROOT" PG_CONFIG="$MR_PG_CONFIG" install
}

mr_make_workdir() {
	local dir
	dir=$(mktemp -d "${TMPDIR:-/tmp}/mysql_replica.XXXXXX") || return 1
	chmod 755 "$dir"
	chown "$MR_OS_USER:$MR_OS_USER" "$dir"
	printf '%s\n' "$dir"
}

mr_as_pg() {
	# From /, since the caller's directory may be closed to that user.
	(cd / && runuser -u "$MR_OS_USER" -- "$@")
}

mr_free_port() {
	# Ask the kernel for a free port, from the dynamic range.
	perl -MIO::Socket::INET -e '
		my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1",
			LocalPort => 0, Proto => "tcp", Listen => 1) or die "$!\n";
		print $s->sockport, "\n";'
}

mr_pg_start() {
	local dir=$1 port=$2
	shift 2
	local line
	mr_as_pg "$MR_PG_BINDIR/initdb" -D "$dir/pgdata" -A trust -U postgres \
		--encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log"
		return 1
	}
	{
		echo "port = $port"
		echo "listen_addresses = ''"
		echo "unix_socket_directories = '$dir'"
		echo "fsync = off"
		for line in "$@"; do
			echo "$line"
		done
	} >>"$dir/pgdata/postgresql.conf"
	mr_as_pg "$MR_PG_BINDIR/pg_ctl" -D "$dir/pgdata" -l "$dir/postgresql.log" \
		-w -t 120 start >/dev/null || {
		tail -n 30 "$dir/postgresql.log"
		return 1
	}
}

mr_pg_stop() {
	local dir=$1
	[ -f "$dir/pgdata/postmaster.pid" ] || return 0
	mr_as_pg "$MR_PG_BINDIR/pg_ctl" -D "$dir/pgdata" -m fast -w -t 60 \
		stop >/dev/null 2>&1 ||
		mr_as_pg "$MR_PG_BINDIR/pg_ctl" -D "$dir/pgdata" -m immediate \
			stop >/dev/null 2>&1 || true
}

mr_maria() {
	local port=$1
	shift
	mariadb --no-defaults --protocol=TCP --host=127.0.0.1 --port="$port" \
		--user=root --default-character-set=utf8mb4 "$@"
}

# Init HOME and start a MariaDB in it, listening on 127.0.0.1:PORT only,
# with the given server options on top of the paths and character set.
mr_maria_start_in() {
	local home=$1 port=$2 i
	shift 2
	mkdir -p "$home" && chown "$MR_OS_USER:$MR_OS_USER" "$home"
	mr_as_pg mariadb-install-db --no-defaults --skip-test-db \
		--auth-root-authentication-method=normal --skip-name-resolve \
		--datadir="$home/data" >"$home/install.log" 2>&1 || {
		cat "$home/install.log"
		return 1
	}
	# setsid: the server gets its own session and survives our shell's job
	# control; mr_maria_stop_in ends it by the pid it writes.
	mr_as_pg setsid mariadbd --no-defaults \
		--datadir="$home/data" \
		--socket="$home/mariadb.sock" \
		--port="$port" --bind-address=127.0.0.1 --skip-name-resolve \
		--pid-file="$home/mariadbd.pid" \
		--log-error="$home/error.log" \
		--character-set-server=utf8mb4 \
		--collation-server=utf8mb4_general_ci \
		--performance-schema=OFF \
		"$@" \
		</dev/null >>"$home/error.log" 2>&1 &
	for i in $(seq 1 600); do
		if mr_maria "$port" -e 'SELECT 1' >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.2
	done
	echo "MariaDB in $home did not start; log tail:" >&2
	tail -n 30 "$home/error.log" >&2
	return 1
}

mr_maria_stop_in() {
	local home=$1 pid i
	[ -f "$home/mariadbd.pid" ] || return 0
	pid=$(cat "$home/mariadbd.pid" 2>/dev/null) || return 0
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for i in $(seq 1 600); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
}

# The source the tests and benchmarks use: ROW binlog with full metadata.
mr_maria_start() {
	local dir=$1 port=$2
	mr_maria_start_in "$dir/mariadb" "$port" \
		--log-bin="$dir/mariadb/data/binlog" --binlog-format=ROW \
		--binlog-row-metadata=FULL --server-id=1 \
		--innodb-buffer-pool-size=128M --innodb-flush-log-at-trx-commit=2 \
		--sync-binlog=0
}

# The replication user repl (password replpass) that the benchmarks use,
# for TCP connections from anywhere and from localhost (a MariaDB set up
# by mariadb-install-db matches ''@localhost before repl@'%').
# The replication user: reads the binlog, and (SELECT) copies the tables of
# an initial snapshot.
mr_maria_create_repl_user() {
	local port=$1
	mr_maria "$port" -e "
		CREATE USER repl@'%' IDENTIFIED BY 'replpass';
		CREATE USER repl@'localhost' IDENTIFIED BY 'replpass';
		GRANT REPLICATION SLAVE, BINLOG MONITOR, SELECT ON *.* TO repl@'%';
		GRANT REPLICATION SLAVE, BINLOG MONITOR, SELECT ON *.* TO repl@'localhost';"
}

mr_maria_stop() {
	mr_maria_stop_in "$1/mariadb"
}
