#!/bin/bash
#
# test/run_all.sh: the one command that tests mysql_replica, locally and in CI.
#
# Run as root on Debian 12 (a fresh machine is fine), from any directory:
#
#   bash test/run_all.sh
#
# Steps, each counted in the final line:
#   1. install the Debian packages it needs (apt-get, only if missing)
#   2. build and install the extension (make; make install)
#   3. unit tests: make -C test/unit check (if test/unit/Makefile exists)
#   4. regression tests: make installcheck against a temporary PostgreSQL
#      started as the postgres OS user with the extension preloaded
#   5. TAP integration tests (test/t/*.pl) with prove, as the postgres OS
#      user, from a copy of test/ in a postgres-owned temporary directory
#
# The last line printed is "N passed, N failed".  The exit status is non-zero
# if anything failed.  Servers it started are stopped on any exit.
#
# Environment knobs:
#   MR_KEEP_TMP=1        keep the temporary directory (logs, data) afterwards
#   MR_TAP_TESTS="t/001_dml.pl ..."   run only these TAP files
#   MR_SKIP_INSTALL=1    skip the package step

set -uo pipefail

# shellcheck source=test/setup.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/setup.sh"

TOTAL_PASSED=0
TOTAL_FAILED=0
WORKDIR=
REGRESS_DIR=
STEP_PID=

# Run a command with its output written to a log and shown as it comes;
# returns its exit status.  It runs in the background and we wait for it, so
# that an interrupt reaches our trap at once instead of after the command.
run_logged() {
	local log=$1 rc tail_pid
	shift
	: >"$log"
	"$@" >"$log" 2>&1 </dev/null &
	STEP_PID=$!
	tail -n +1 -f --pid="$STEP_PID" "$log" &
	tail_pid=$!
	wait "$STEP_PID"
	rc=$?
	wait "$tail_pid"
	STEP_PID=
	return "$rc"
}

count() {
	TOTAL_PASSED=$((TOTAL_PASSED + $1))
	TOTAL_FAILED=$((TOTAL_FAILED + $2))
	mr_log "$3: $1 passed, $2 failed"
}

# Servers a TAP script left running (if it was killed before its END block
# ran) are found by their pid files under our own work directory.
stop_leftover_servers() {
	local pidfile pid
	while IFS= read -r pidfile; do
		mr_as_pg "$MR_PG_BINDIR/pg_ctl" -D "$(dirname "$pidfile")" \
			-m immediate stop >/dev/null 2>&1 || true
	done < <(find "$WORKDIR" -name postmaster.pid 2>/dev/null)
	while IFS= read -r pidfile; do
		pid=$(cat "$pidfile" 2>/dev/null)
		if [ -n "$pid" ] &&
			[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = mariadbd ]; then
			kill -KILL "$pid" 2>/dev/null
		fi
	done < <(find "$WORKDIR" -name mariadbd.pid 2>/dev/null)
	return 0
}

cleanup() {
	local rc=$?
	if [ -n "$STEP_PID" ]; then
		kill -TERM "$STEP_PID" 2>/dev/null
	fi
	if [ -n "$REGRESS_DIR" ]; then
		mr_pg_stop "$REGRESS_DIR"
	fi
	if [ -n "$WORKDIR" ]; then
		stop_leftover_servers
		if [ "${MR_KEEP_TMP:-}" != 1 ]; then
			rm -rf "$WORKDIR"
		fi
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

finish() {
	if [ "${MR_KEEP_TMP:-}" = 1 ] && [ -n "$WORKDIR" ]; then
		mr_log "logs and data kept in $WORKDIR"
	fi
	echo
	echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed"
	[ "$TOTAL_FAILED" -eq 0 ] && [ "$TOTAL_PASSED" -gt 0 ]
	exit $?
}

# Counts from a log of some test command: the sum of the "N passed, N
# failed" lines its test programs printed if there are any, else TAP
# "ok"/"not ok" lines, else the exit status.
count_from_log() {
	local log=$1 rc=$2 what=$3 lines p f
	lines=$(grep -E '^([A-Za-z]+: )?[0-9]+ passed, [0-9]+ failed' "$log")
	if [ -n "$lines" ]; then
		p=$(sed -E 's/^([A-Za-z]+: )?([0-9]+) passed.*/\2/' <<<"$lines" |
			awk '{ s += $1 } END { print s }')
		f=$(sed -E 's/^.* ([0-9]+) failed.*/\1/' <<<"$lines" |
			awk '{ s += $1 } END { print s }')
	else
		p=$(grep -cE '^ *ok [0-9]+' "$log")
		f=$(grep -cE '^ *not ok [0-9]+' "$log")
		if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
			if [ "$rc" -eq 0 ]; then p=1; else f=1; fi
		fi
	fi
	# A failing exit status with nothing counted as failed is one failure.
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	count "$p" "$f" "$what"
}

# --- 1. packages --------------------------------------------------------------
if [ "$(id -u)" -ne 0 ]; then
	echo "test/run_all.sh must run as root (it installs and builds)." >&2
	count 0 1 "setup"
	finish
fi
if [ "${MR_SKIP_INSTALL:-}" != 1 ]; then
	if ! mr_install_packages; then
		count 0 1 "package installation"
		finish
	fi
fi

WORKDIR=$(mr_make_workdir) || {
	count 0 1 "temporary directory"
	finish
}

# --- 2. build -----------------------------------------------------------------
if mr_build_extension >"$WORKDIR/build.log" 2>&1; then
	mr_log "build: ok"
else
	tail -n 60 "$WORKDIR/build.log"
	count 0 1 "build"
	finish
fi

# --- 3. unit tests ------------------------------------------------------------
if [ -f "$MR_ROOT/test/unit/Makefile" ]; then
	mr_log "unit tests"
	run_logged "$WORKDIR/unit.log" \
		timeout 900 make -C "$MR_ROOT/test/unit" PG_CONFIG="$MR_PG_CONFIG" check
	count_from_log "$WORKDIR/unit.log" "$?" "unit tests"
else
	mr_log "unit tests: none (no test/unit/Makefile)"
fi

# --- 3b. short, bounded fuzz runs of the binlog decoder and the DDL parser ---
# libFuzzer with ASan and UBSan, seeded with the real binlogs and the DDL
# corpus; any crash, leak or undefined behaviour fails the run.
# MR_FUZZ_SECONDS=0 skips them.
fuzz_seconds=${MR_FUZZ_SECONDS:-60}
if [ "$fuzz_seconds" -gt 0 ] && [ -f "$MR_ROOT/fuzz/Makefile" ]; then
	if [ -d "$MR_ROOT/../shared/data/mysql-binlogs" ]; then
		mr_log "fuzzing the binlog decoder for $fuzz_seconds s"
		if make -C "$MR_ROOT/fuzz" run SECONDS="$fuzz_seconds" \
			>"$WORKDIR/fuzz.log" 2>&1; then
			grep -E '^(stat::number_of_executed_units|Done)' "$WORKDIR/fuzz.log"
			count 1 0 "fuzzing"
		else
			tail -n 60 "$WORKDIR/fuzz.log"
			count 0 1 "fuzzing"
		fi
	else
		mr_log "fuzzing: skipped, no seed binlogs in ../shared/data"
	fi

	# the DDL parser, seeded with the statements of its unit-test corpus
	mr_log "fuzzing the DDL parser for $fuzz_seconds s"
	if make -C "$MR_ROOT/fuzz" run-ddl SECONDS="$fuzz_seconds" \
		>"$WORKDIR/fuzz-ddl.log" 2>&1; then
		grep -E '^(stat::number_of_executed_units|Done)' "$WORKDIR/fuzz-ddl.log"
		count 1 0 "fuzzing the DDL parser"
	else
		tail -n 60 "$WORKDIR/fuzz-ddl.log"
		count 0 1 "fuzzing the DDL parser"
	fi
fi

# --- 4. regression tests (pg_regress) ----------------------------------------
if make -C "$MR_ROOT" -n installcheck PG_CONFIG="$MR_PG_CONFIG" \
	>/dev/null 2>&1; then
	mr_log "regression tests"
	REGRESS_DIR="$WORKDIR/regress"
	mkdir "$REGRESS_DIR" && chown "$MR_OS_USER:$MR_OS_USER" "$REGRESS_DIR"
	regress_port=$(mr_free_port)
	if mr_pg_start "$REGRESS_DIR" "$regress_port" \
		"shared_preload_libraries = 'mysql_replica'" \
		"mysql_replica.database = 'contrib_regression'"; then
		run_logged "$WORKDIR/regress.log" \
			env PGHOST="$REGRESS_DIR" PGPORT="$regress_port" PGUSER=postgres \
			timeout 900 make -C "$MR_ROOT" installcheck PG_CONFIG="$MR_PG_CONFIG"
		rc=$?
		# pg_regress ends with "All N tests passed." or "M of N tests failed."
		if line=$(grep -E 'All [0-9]+ tests passed' "$WORKDIR/regress.log"); then
			n=$(sed -E 's/.*All ([0-9]+) tests.*/\1/' <<<"$line")
			count "$n" $((rc == 0 ? 0 : 1)) "regression tests"
		elif line=$(grep -E '[0-9]+ of [0-9]+ tests failed' "$WORKDIR/regress.log"); then
			f=$(sed -E 's/.* ([0-9]+) of ([0-9]+) tests failed.*/\1/' <<<"$line")
			n=$(sed -E 's/.* ([0-9]+) of ([0-9]+) tests failed.*/\2/' <<<"$line")
			count $((n - f)) "$f" "regression tests"
			find "$MR_ROOT" -name regression.diffs -newer "$WORKDIR" \
				-exec head -n 200 {} \;
		else
			count_from_log "$WORKDIR/regress.log" "$rc" "regression tests"
		fi
		if [ "$rc" -ne 0 ]; then
			tail -n 40 "$REGRESS_DIR/postgresql.log"
		fi
	else
		count 0 1 "regression tests (server start)"
	fi
	mr_pg_stop "$REGRESS_DIR"
	REGRESS_DIR=
else
	mr_log "regression tests: none (no installcheck target)"
fi

# --- 5. TAP integration tests --------------------------------------------------
TAPDIR="$WORKDIR/tap"
mkdir -p "$TAPDIR"
cp -R "$MR_ROOT/test/t" "$MR_ROOT/test/lib" "$TAPDIR/"
chown -R "$MR_OS_USER:$MR_OS_USER" "$TAPDIR"

read -r -a tap_tests <<<"${MR_TAP_TESTS:-}"
if [ ${#tap_tests[@]} -eq 0 ]; then
	tap_tests=()
	for f in "$TAPDIR"/t/*.pl; do
		tap_tests+=("t/$(basename "$f")")
	done
fi

mr_log "TAP tests: ${tap_tests[*]}"
cd "$TAPDIR"
run_logged "$WORKDIR/tap.log" \
	runuser -u "$MR_OS_USER" -- env \
	PATH="$MR_PG_BINDIR:$PATH" \
	PERL5LIB="$MR_PGXS_PERL:$TAPDIR/lib" \
	PG_REGRESS="$MR_PG_REGRESS" \
	TESTDIR="$TAPDIR" \
	PG_TEST_TIMEOUT_DEFAULT=120 \
	timeout --kill-after=30 2400 \
	prove -v --timer "${tap_tests[@]}"
rc=$?
cd /

# Passed: "ok N" lines of the test scripts.  Failed: "not ok N" lines, plus
# one for each script in prove's summary that failed with no failing test
# counted (it died, or ran fewer tests than it planned).
p=$(grep -cE '^ok [0-9]+' "$WORKDIR/tap.log")
f=$(grep -cE '^not ok [0-9]+' "$WORKDIR/tap.log")
died=$(grep -cE '^t/.*\(Wstat: [0-9]+.*Failed: 0\)' "$WORKDIR/tap.log")
p=${p:-0}
f=$((${f:-0} + ${died:-0}))
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
	f=1
fi
count "$p" "$f" "TAP tests"

# On failure, show the end of each failing script's log and server logs.
if [ "$f" -ne 0 ]; then
	for script in $(grep -oE '^t/[^ ]+\.pl \(Wstat' "$WORKDIR/tap.log" |
		sed 's/ (Wstat//'); do
		name=$(basename "$script" .pl)
		for log in "$TAPDIR/tmp_check/log/regress_log_$name" \
			"$TAPDIR"/tmp_check/log/"${name}"_*.log \
			"$TAPDIR"/tmp_check/log/mariadb_*_"${name}".log; do
			[ -f "$log" ] || continue
			echo "----- tail of $(basename "$log") -----"
			tail -n 60 "$log"
		done
	done
fi

finish
