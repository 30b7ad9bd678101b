# shellcheck shell=bash
# bench/lib.sh
#
# Shell helpers for the benchmarks, on top of test/setup.sh; source it
# (after test/setup.sh), do not run it.  As root on Debian 12:
#
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
