# shellcheck shell=bash
# bench/lib.sh
#
# Shell helpers for the benchmarks, on top of test/setup.sh; source it
# (after test/setup.sh), do not run it.  As root on Debian 12:
#
#   bench_maria_start DIR NAME PORT [MARIADBD_OPTION...]
#                            init DIR/NAME and start a MariaDB listening on
#                            127.0.0.1:PORT only, with the given server
#                            options (server id, binlog, buffer pool...:
#                            nothing is implied but the paths)
#   bench_maria_stop DIR NAME
#   bench_now                seconds since the epoch, microseconds
#   bench_median             the median of the numbers on stdin ("-" if none)
#   bench_max                the largest number on stdin ("-" if none)
#   bench_pos_reached FILE POS END_FILE END_POS
#                            true when binlog coordinates FILE:POS are at or
#                            after END_FILE:END_POS (files compared by their
#                            numeric suffix)
#   bench_mem PID            "hwm anon" of a process in kB: VmHWM (kernel
#                            peak RSS, which counts touched shared memory)
#                            and RssAnon (current private memory); "0 0" when
#                            the process is gone
#
# The MariaDB servers run as the postgres OS user in directories that user
# owns, like test/setup.sh's.

bench_maria_start() {
	local dir=$1 name=$2 port=$3 i
	shift 3
	local home=$dir/$name
	mkdir -p "$home" && chown "$MR_OS_USER:$MR_OS_USER" "$home"
	mr_as_pg mariadb-install-db --no-defaults --skip-test-db \
		--auth-root-authentication-method=normal --skip-name-resolve \
		--datadir="$home/data" >"$home/install.log" 2>&1 || {
		cat "$home/install.log"
		return 1
	}
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
	echo "MariaDB $name did not start; log tail:" >&2
	tail -n 30 "$home/error.log" >&2
	return 1
}

bench_maria_stop() {
	local dir=$1 name=$2 pid i
	[ -f "$dir/$name/mariadbd.pid" ] || return 0
	pid=$(cat "$dir/$name/mariadbd.pid" 2>/dev/null) || return 0
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for i in $(seq 1 600); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
}

bench_now() {
	printf '%s\n' "$EPOCHREALTIME"
}

bench_median() {
	sort -g | awk '{ v[NR] = $1 }
		END {
			if (NR == 0) { print "-"; exit }
			print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		}'
}

bench_max() {
	awk 'NR == 1 || $1 > m { m = $1 } END { print (NR ? m : "-") }'
}

bench_pos_reached() {
	local file=$1 pos=$2 end_file=$3 end_pos=$4
	[ -n "$file" ] && [ -n "$pos" ] || return 1
	local n=$((10#${file##*.})) end_n=$((10#${end_file##*.}))
	((n > end_n || (n == end_n && pos >= end_pos)))
}

bench_mem() {
	awk '/^VmHWM:/ { h = $2 } /^RssAnon:/ { a = $2 }
		END { print h + 0, a + 0 }' "/proc/$1/status" 2>/dev/null ||
		echo "0 0"
}
