# 013_type_edges.pl
#
# Exact values of every column type family, at the edges of what each type
# can hold, replicated from a real MariaDB (ROW, binlog_row_metadata=FULL):
# integers (signed, unsigned, BOOL, YEAR, BIT), DECIMAL/FLOAT/DOUBLE, DATE,
# DATETIME(0..6), TIMESTAMP(0..6) written from another session time zone,
# TIME(0..6) beyond a day and negative, zero dates under each
# mysql_replica.zero_date policy, text in several character sets, binary
# data, ENUM/SET (by name and by index/bitmask), JSON, GEOMETRY (WKB/EWKB
# and PostGIS), MINIMAL and NOBLOB row images, and a MariaDB writing
# compressed binlog events.
#
# Each family is checked twice: every row against MariaDB (in a canonical
# text form computed on each side), and chosen PostgreSQL values against
# exact expected text, so that a test cannot pass by comparing garbage to
# garbage.
#
# Each row is written by its own source transaction where practical, and a
# transaction that stops the channel is reported and skipped, so that one
# unsupported value fails its own checks and not every family after it.

use strict;
use warnings;
use utf8;

use Encode qw(encode_utf8 decode_utf8);
use JSON::PP ();
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(time);

use MariaDBServer;
use ReplicaTest;

my $t_start = time();

my $maria = MariaDBServer->new(name => 'source');
$maria->start;
$maria->create_repl_user;

my $node = replica_node('replica');

# Whether the PostgreSQL node is still up (a crashing worker takes it
# down: the test framework turns restart_after_crash off).
sub pg_alive
{
	return 0 unless -f $node->data_dir . '/postmaster.pid';
	my ($rc) = $node->psql('postgres', 'SELECT 1');
	return defined $rc && $rc == 0;
}

sub pg
{
	my ($sql) = @_;
	return decode_utf8($node->safe_psql('postgres', $sql));
}

sub my_sql
{
	my ($sql) = @_;
	return decode_utf8($maria->sql(encode_utf8($sql)));
}

# PostGIS is optional: the geometry column of the PostGIS part is bytea
# when the extension cannot be created.
my ($gis_rc, $gis_out, $gis_err) =
  $node->psql('postgres', 'CREATE EXTENSION postgis');
my $have_postgis = defined $gis_rc && $gis_rc == 0;
diag "PostGIS not available, its checks are skipped: " . ($gis_err // '')
  unless $have_postgis;

create_database_both($node, $maria, 'te');

# ---------------------------------------------------------------------------
# Tables.  All exist on both sides before the channel starts.
# ---------------------------------------------------------------------------
my_sql(
	q{
CREATE TABLE te.ints (
  id int PRIMARY KEY,
  ti tinyint, si smallint, mi mediumint, i int, bi bigint,
  tiu tinyint unsigned, siu smallint unsigned, miu mediumint unsigned,
  iu int unsigned, biu bigint unsigned,
  bo bool);
CREATE TABLE te.bits (
  id int PRIMARY KEY, y year, b1 bit(1), b8 bit(8), b64 bit(64), b5 bit(5));
CREATE TABLE te.decs (
  id int PRIMARY KEY,
  d65 decimal(65,30), d10 decimal(10,0), d5 decimal(5,5),
  d38 decimal(38,10), f float, d double);
CREATE TABLE te.temporal (
  id int PRIMARY KEY, da date,
  dt0 datetime(0), dt1 datetime(1), dt2 datetime(2), dt3 datetime(3),
  dt4 datetime(4), dt5 datetime(5), dt6 datetime(6),
  ts0 timestamp(0) NULL, ts1 timestamp(1) NULL, ts2 timestamp(2) NULL,
  ts3 timestamp(3) NULL, ts4 timestamp(4) NULL, ts5 timestamp(5) NULL,
  ts6 timestamp(6) NULL);
CREATE TABLE te.times (
  id int PRIMARY KEY,
  t0 time(0), t1 time(1), t2 time(2), t3 time(3), t4 time(4), t5 time(5),
  t6 time(6));
CREATE TABLE te.zd (
  id int PRIMARY KEY, d date, dt datetime, dt6 datetime(6));
CREATE TABLE te.zd2 (
  id int PRIMARY KEY, zdate date, zdatetime datetime(3));
CREATE TABLE te.texts (
  id int PRIMARY KEY,
  c10 char(10) CHARACTER SET utf8mb4, c10b char(10) CHARACTER SET utf8mb4,
  vc varchar(50) CHARACTER SET utf8mb4, tx text CHARACTER SET utf8mb4,
  tt tinytext CHARACTER SET utf8mb4, mt mediumtext CHARACTER SET utf8mb4,
  lt longtext CHARACTER SET utf8mb4,
  u3 varchar(50) CHARACTER SET utf8mb3,
  l1 text CHARACTER SET latin1,
  a varchar(50) CHARACTER SET ascii,
  cy varchar(50) CHARACTER SET cp1251,
  l2 varchar(50) CHARACTER SET latin2);
CREATE TABLE te.bins (
  id int PRIMARY KEY, bn binary(4), vb varbinary(300), tb tinyblob,
  b blob, mb mediumblob, lb longblob);
CREATE TABLE te.enums (
  id int PRIMARY KEY, e enum('a','b','c'), s set('x','y','z'),
  ei enum('a','b','c'), sm set('x','y','z'));
CREATE TABLE te.js (id int PRIMARY KEY, j json);
CREATE TABLE te.geo (id int PRIMARY KEY, g geometry, g2 geometry);
CREATE TABLE te.mini (
  id int PRIMARY KEY, a int, b varchar(20), c int);
CREATE TABLE te.noblob (id int PRIMARY KEY, n int, bl blob);
});

my $g2_type = $have_postgis ? 'geometry' : 'bytea';
$node->safe_psql(
	'postgres', qq{
CREATE TABLE te.ints (
  id int PRIMARY KEY,
  ti smallint, si smallint, mi integer, i integer, bi bigint,
  tiu smallint, siu integer, miu integer, iu bigint, biu numeric(20,0),
  bo smallint);
CREATE TABLE te.bits (
  id int PRIMARY KEY, y smallint, b1 bit(1), b8 bit(8), b64 bit(64),
  b5 bigint);
CREATE TABLE te.decs (
  id int PRIMARY KEY,
  d65 numeric(65,30), d10 numeric(10,0), d5 numeric(5,5),
  d38 numeric(38,10), f real, d double precision);
CREATE TABLE te.temporal (
  id int PRIMARY KEY, da date,
  dt0 timestamp(0), dt1 timestamp(1), dt2 timestamp(2), dt3 timestamp(3),
  dt4 timestamp(4), dt5 timestamp(5), dt6 timestamp(6),
  ts0 timestamptz(0), ts1 timestamptz(1), ts2 timestamptz(2),
  ts3 timestamptz(3), ts4 timestamptz(4), ts5 timestamptz(5),
  ts6 timestamptz(6));
CREATE TABLE te.times (
  id int PRIMARY KEY,
  t0 interval, t1 interval, t2 interval, t3 interval, t4 interval,
  t5 interval, t6 interval);
CREATE TABLE te.zd (
  id int PRIMARY KEY, d date, dt timestamp, dt6 timestamp(6));
CREATE TABLE te.zd2 (
  id int PRIMARY KEY, zdate date, zdatetime timestamp(3));
CREATE TABLE te.texts (
  id int PRIMARY KEY,
  c10 text, c10b char(10), vc varchar(50), tx text, tt text, mt text,
  lt text, u3 varchar(50), l1 text, a text, cy varchar(50), l2 char(50));
CREATE TABLE te.bins (
  id int PRIMARY KEY, bn bytea, vb bytea, tb bytea, b bytea, mb bytea,
  lb bytea);
CREATE TABLE te.enums (
  id int PRIMARY KEY, e text, s text, ei smallint, sm bigint);
CREATE TABLE te.js (id int PRIMARY KEY, j jsonb);
CREATE TABLE te.geo (id int PRIMARY KEY, g bytea, g2 $g2_type);
CREATE TABLE te.mini (
  id int PRIMARY KEY, a int, b varchar(20), c int,
  extra text DEFAULT 'dflt');
CREATE TABLE te.noblob (id int PRIMARY KEY, n int, bl bytea);
});

configure_channel($node, $maria);
ok(wait_for_state($node, [ 'streaming', 'applying' ]),
	'channel reaches state streaming');

# Wait until the channel has applied everything.  When a transaction stops
# the channel, report it, skip it and go on, so that the families after
# this one are still tested (this family's checks then fail on their own).
sub sync_family
{
	my ($label, $channel, $src) = @_;
	$channel //= 'default';
	$src     //= $maria;
	my $ok = wait_caught_up($node, $src, $channel, 60);
	ok($ok, "$label: caught up without an error");
	return 1 if $ok;
	for my $try (1 .. 40)
	{
		my $st = channel_status($node, $channel);
		last unless $st;
		if (($st->{state} // '') eq 'error')
		{
			diag "$label: skipping the transaction that failed: "
			  . ($st->{last_error} // '(no last_error)');
			my ($rc, $out, $err) = $node->psql('postgres',
				"SELECT mysql_replica.skip_transaction('$channel')");
			diag "skip_transaction failed: $err" if $rc;
			start_channel($node, $channel);
		}
		return 0 if wait_caught_up($node, $src, $channel, 30);
	}
	fail("$label: channel $channel cannot get past its errors");
	return 0;
}

# Every row of a table on both sides, canonical form (ReplicaTest).
sub rows_match
{
	my ($table, $nrows, $channel_src) = @_;
	my ($p, $m) = compare_table($node, $channel_src // $maria, $table);
	is(scalar @$m, $nrows, "$table has $nrows rows on MariaDB");
	is_deeply($p, $m, "every row of $table matches MariaDB");
	return;
}

# Rows of a table compared through explicit canonical expressions, for
# columns whose PostgreSQL type differs in kind from MariaDB's (YEAR, BIT,
# TIME, ENUM as index, SET as bitmask).  @pairs: [maria_expr, pg_expr].
sub exprs_match
{
	my ($table, $label, @pairs) = @_;
	my $m = my_sql("SET time_zone = '+00:00';\n"
		  . "SELECT CONCAT_WS('|', id, "
		  . join(', ', map { "IFNULL($_->[0], 'NULL')" } @pairs)
		  . ") FROM $table ORDER BY id");
	my $p = pg("SELECT concat_ws('|', id, "
		  . join(', ', map { "coalesce(($_->[1])::text, 'NULL')" } @pairs)
		  . ") FROM $table ORDER BY id");
	is($p, $m, $label);
	return;
}

# ===========================================================================
# Integers, BOOL, YEAR, BIT
# ===========================================================================
my $t0 = time();
my_sql(
	q{
INSERT INTO te.ints VALUES (1, -128, -32768, -8388608, -2147483648,
  -9223372036854775808, 0, 0, 0, 0, 0, 0);
INSERT INTO te.ints VALUES (2, 127, 32767, 8388607, 2147483647,
  9223372036854775807, 255, 65535, 16777215, 4294967295,
  18446744073709551615, 1);
INSERT INTO te.ints VALUES (3, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, true);
INSERT INTO te.ints VALUES (4, -1, -1, -1, -1, -1, 128, 32768, 8388608,
  2147483648, 9223372036854775808, false);
INSERT INTO te.ints VALUES (5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
UPDATE te.ints SET bi = -9223372036854775807, biu = 18446744073709551614,
  bo = 127 WHERE id = 3;
DELETE FROM te.ints WHERE id = 5;
INSERT INTO te.bits VALUES (1, 1901, b'0', b'0', b'0', b'0');
INSERT INTO te.bits VALUES (2, 2155, b'1', b'11111111',
  b'1111111111111111111111111111111111111111111111111111111111111111',
  b'11111');
INSERT INTO te.bits VALUES (3, '0000', b'1', b'10101010',
  b'1010101010101010101010101010101010101010101010101010101010101010',
  b'10101');
INSERT INTO te.bits VALUES (4, 2000, b'0', b'1', b'1', b'1');
UPDATE te.bits SET y = 1999, b8 = b'10000000' WHERE id = 4;
INSERT INTO te.bits VALUES (5, 2024, b'1', b'1', b'1', b'1');
DELETE FROM te.bits WHERE id = 5;
});
sync_family('integers');
is(pg(q{SELECT ti, si, mi, i, bi FROM te.ints WHERE id = 1}),
	'-128|-32768|-8388608|-2147483648|-9223372036854775808',
	'signed minimums');
is(pg(q{SELECT ti, si, mi, i, bi FROM te.ints WHERE id = 2}),
	'127|32767|8388607|2147483647|9223372036854775807', 'signed maximums');
is(pg(q{SELECT tiu, siu, miu, iu, biu FROM te.ints WHERE id = 1}),
	'0|0|0|0|0', 'unsigned zeros');
is(pg(q{SELECT tiu, siu, miu, iu, biu FROM te.ints WHERE id = 2}),
	'255|65535|16777215|4294967295|18446744073709551615',
	'unsigned maximums, BIGINT UNSIGNED max exactly');
is(pg(q{SELECT tiu, siu, miu, iu, biu FROM te.ints WHERE id = 4}),
	'128|32768|8388608|2147483648|9223372036854775808',
	'unsigned values just past the signed range');
is(pg(q{SELECT bi, biu, bo FROM te.ints WHERE id = 3}),
	'-9223372036854775807|18446744073709551614|127',
	'updated bigint, bigint unsigned and BOOL (127 is a TINYINT(1) value)');
is(pg(q{SELECT string_agg(bo::text, ',' ORDER BY id) FROM te.ints}),
	'0,1,127,0', 'BOOL values');
is(pg(q{SELECT count(*) FROM te.ints WHERE id = 5}), '0',
	'deleted integer row is gone');
rows_match('te.ints', 4);

is(pg(q{SELECT string_agg(y::text, ',' ORDER BY id) FROM te.bits}),
	'1901,2155,0,1999', 'YEAR 1901, 2155, 0000 (as 0) and an update');
is(pg(q{SELECT b1, b8, b64, b5 FROM te.bits WHERE id = 1}),
	'0|00000000|' . ('0' x 64) . '|0', 'BIT zeros');
is(pg(q{SELECT b1, b8, b64, b5 FROM te.bits WHERE id = 2}),
	'1|11111111|' . ('1' x 64) . '|31', 'BIT all ones; BIT(5) into bigint');
is(pg(q{SELECT b1, b8, b64, b5 FROM te.bits WHERE id = 3}),
	'1|10101010|' . ('10' x 32) . '|21', 'BIT 1010... patterns');
is(pg(q{SELECT b8 FROM te.bits WHERE id = 4}), '10000000',
	'updated BIT(8)');
exprs_match(
	'te.bits',
	'every row of te.bits matches MariaDB',
	[ 'CAST(y AS UNSIGNED)',        'y' ],
	[ 'LPAD(BIN(b1 + 0), 1, "0")',  'b1' ],
	[ 'LPAD(BIN(b8 + 0), 8, "0")',  'b8' ],
	[ 'LPAD(BIN(b64 + 0), 64, "0")', 'b64' ],
	[ 'b5 + 0',                     'b5' ]);
note sprintf('integers: %.1f s', time() - $t0);

# ===========================================================================
# DECIMAL, FLOAT, DOUBLE
# ===========================================================================
$t0 = time();
my $d65max = ('9' x 35) . '.' . ('9' x 30);
my $d38max = ('9' x 28) . '.' . ('9' x 10);
my_sql(
	qq{
INSERT INTO te.decs VALUES (1, $d65max, 9999999999, 0.99999, $d38max,
  3.40282e38, 1.7976931348623157e308);
INSERT INTO te.decs VALUES (2, -$d65max, -9999999999, -0.99999, -$d38max,
  -3.40282e38, -1.7976931348623157e308);
INSERT INTO te.decs VALUES (3, 0, 0, 0, 0, 0, 0);
INSERT INTO te.decs VALUES (4, -0.000000000000000000000000000001, -1,
  -0.00001, -0.0000000001, -1.17549435e-38, -2.2250738585072014e-308);
INSERT INTO te.decs VALUES (5, 12345.678, 42, 0.5, 1.5, 1e38, 1e-300);
INSERT INTO te.decs VALUES (6, 1, 1, 0.1, 1, 0.1, 0.1);
INSERT INTO te.decs VALUES (7, 7, 7, 0.7, 7, 7, 7);
UPDATE te.decs SET d10 = d10 - 1, d = 1.5e300 WHERE id = 1;
DELETE FROM te.decs WHERE id = 7;
});
sync_family('decimals');
is(pg(q{SELECT d65 FROM te.decs WHERE id = 1}), $d65max,
	'decimal(65,30) maximum, every digit');
is(pg(q{SELECT d65 FROM te.decs WHERE id = 2}), "-$d65max",
	'decimal(65,30) minimum');
is(pg(q{SELECT d65, d10, d5, d38 FROM te.decs WHERE id = 3}),
	'0.' . ('0' x 30) . '|0|0.00000|0.0000000000', 'decimal zeros');
is(pg(q{SELECT d65, d10, d5, d38 FROM te.decs WHERE id = 4}),
	'-0.' . ('0' x 29) . '1|-1|-0.00001|-0.0000000001',
	'small negative decimals');
is(pg(q{SELECT d10, d5, d38 FROM te.decs WHERE id = 1}),
	"9999999998|0.99999|$d38max", 'decimal(10,0) updated, (5,5), (38,10)');
is(pg(q{SELECT d10, d5, d38 FROM te.decs WHERE id = 2}),
	"-9999999999|-0.99999|-$d38max", 'negative decimal(10,0), (5,5), (38,10)');
is(pg(q{SELECT f, d FROM te.decs WHERE id = 1}), '3.40282e+38|1.5e+300',
	'largest float; updated double with a large exponent');
is(pg(q{SELECT f, d FROM te.decs WHERE id = 2}),
	'-3.40282e+38|-1.7976931348623157e+308', 'most negative float and double');
is(pg(q{SELECT f, d FROM te.decs WHERE id = 3}), '0|0', 'float and double zero');
is(pg(q{SELECT f, d FROM te.decs WHERE id = 4}),
	'-1.1754944e-38|-2.2250738585072014e-308', 'smallest normal negatives');
is(pg(q{SELECT f, d FROM te.decs WHERE id = 5}), '1e+38|1e-300',
	'large and tiny exponents');
is(pg(q{SELECT f, d FROM te.decs WHERE id = 6}), '0.1|0.1', 'float and double 0.1');
rows_match('te.decs', 6);
note sprintf('decimals: %.1f s', time() - $t0);

# ===========================================================================
# DATE, DATETIME(0..6), TIMESTAMP(0..6), TIME(0..6)
# ===========================================================================
$t0 = time();
sub frac_cols
{
	my ($prefix, $value_for) = @_;
	return join(', ', map { "'" . $value_for->($_) . "'" } 0 .. 6);
}
my $nines = sub { my $n = shift; $n ? '.' . ('9' x $n) : '' };
my $dt_min = frac_cols('dt', sub { '1000-01-01 00:00:00' });
my $ts_min = frac_cols('ts', sub { '1970-01-01 00:00:01' });
my $dt_max = frac_cols('dt', sub { '9999-12-31 23:59:59' . $nines->(shift) });
my $ts_max = frac_cols('ts', sub { '2038-01-19 03:14:07' . $nines->(shift) });
my $mid    = frac_cols('dt', sub { '2024-02-29 12:00:00.000001' });
my $tz     = frac_cols('dt', sub { '2024-06-01 12:00:00.123456' });
my_sql(
	qq{
SET time_zone = '+00:00';
INSERT INTO te.temporal VALUES (1, '1000-01-01', $dt_min, $ts_min);
INSERT INTO te.temporal VALUES (2, '9999-12-31', $dt_max, $ts_max);
INSERT INTO te.temporal VALUES (3, '2024-02-29', $mid, $mid);
INSERT INTO te.temporal VALUES (5, '2000-01-01', $mid, $mid);
UPDATE te.temporal SET da = '2000-01-02', dt6 = '2000-01-02 03:04:05.600007'
  WHERE id = 3;
DELETE FROM te.temporal WHERE id = 5;
SET time_zone = '+05:00';
INSERT INTO te.temporal VALUES (4, '2024-06-01', $tz, $tz);
});
my $time_row = sub {
	my ($id, $v) = @_;
	return "INSERT INTO te.times VALUES ($id, "
	  . join(', ', map { "'" . (ref $v ? $v->($_) : $v) . "'" } 0 .. 6)
	  . ");\n";
};
my_sql($time_row->(1, '-838:59:59')
	  . $time_row->(2, sub { '838:59:59' . ($_[0] ? '.' . ('0' x $_[0]) : '') })
	  . $time_row->(3, '-00:00:01.5')
	  . $time_row->(4, '25:00:00')
	  . $time_row->(5, '12:34:56.999999')
	  . $time_row->(6, '00:00:00')
	  . $time_row->(7, '-12:00:00.000001')
	  . "UPDATE te.times SET t6 = '-00:00:00.000001' WHERE id = 6;\n"
	  . "DELETE FROM te.times WHERE id = 7;\n");
sync_family('temporal');

is(pg(q{SELECT da FROM te.temporal WHERE id = 1}), '1000-01-01',
	'earliest DATE');
is(pg(q{SELECT da FROM te.temporal WHERE id = 2}), '9999-12-31',
	'latest DATE');
is(pg(q{SELECT dt0, dt6 FROM te.temporal WHERE id = 1}),
	'1000-01-01 00:00:00|1000-01-01 00:00:00', 'earliest DATETIME');
is(
	pg(
		q{SELECT concat_ws('|', dt0, dt1, dt2, dt3, dt4, dt5, dt6)
	       FROM te.temporal WHERE id = 2}),
	join('|',
		map { '9999-12-31 23:59:59' . $nines->($_) } 0 .. 6),
	'latest DATETIME(0..6), .9, .99, ... .999999');
is(pg(q{SELECT dt5, dt6 FROM te.temporal WHERE id = 3}),
	'2024-02-29 12:00:00|2000-01-02 03:04:05.600007',
	'DATETIME(5) of .000001 is whole seconds; updated DATETIME(6)');
is(pg(q{SELECT da FROM te.temporal WHERE id = 3}), '2000-01-02',
	'updated DATE');
is(pg(q{SELECT dt6 FROM te.temporal WHERE id = 4}),
	'2024-06-01 12:00:00.123456', 'DATETIME(6) is not shifted by time zones');
is(
	pg(
		q{SET timezone = 'UTC';
	   SELECT concat_ws('|', ts0, ts1, ts2, ts3, ts4, ts5, ts6)
	   FROM te.temporal WHERE id = 1}),
	join('|', ('1970-01-01 00:00:01+00') x 7),
	'earliest TIMESTAMP(0..6)');
is(
	pg(
		q{SET timezone = 'UTC';
	   SELECT concat_ws('|', ts0, ts1, ts6) FROM te.temporal WHERE id = 2}),
	'2038-01-19 03:14:07+00|2038-01-19 03:14:07.9+00|'
	  . '2038-01-19 03:14:07.999999+00',
	'latest TIMESTAMP(0), (1), (6)');
is(
	pg(
		q{SET timezone = 'UTC';
	   SELECT concat_ws('|', ts0, ts3, ts6) FROM te.temporal WHERE id = 4}),
	'2024-06-01 07:00:00+00|2024-06-01 07:00:00.123+00|'
	  . '2024-06-01 07:00:00.123456+00',
	'TIMESTAMP written with session time_zone +05:00 is the same instant');
is(pg(q{SELECT count(*) FROM te.temporal WHERE id = 5}), '0',
	'deleted temporal row is gone');
rows_match('te.temporal', 4);

is(pg(q{SELECT t0, t6 FROM te.times WHERE id = 1}),
	'-838:59:59|-838:59:59', 'TIME minimum');
is(pg(q{SELECT t0, t6 FROM te.times WHERE id = 2}),
	'838:59:59|838:59:59', 'TIME maximum (838:59:59.000000)');
is(pg(q{SELECT t1, t6 FROM te.times WHERE id = 3}),
	'-00:00:01.5|-00:00:01.5', 'negative TIME below one second');
is(pg(q{SELECT t0, t3 FROM te.times WHERE id = 4}),
	'25:00:00|25:00:00', 'TIME beyond a day stays hours');
is(pg(q{SELECT t6 FROM te.times WHERE id = 5}), '12:34:56.999999',
	'TIME(6) fraction .999999');
is(pg(q{SELECT t0, t6 FROM te.times WHERE id = 6}),
	'00:00:00|-00:00:00.000001', 'TIME zero and updated to -0.000001 s');
is(pg(q{SELECT count(*) FROM te.times WHERE id = 7}), '0',
	'deleted TIME row is gone');
exprs_match('te.times', 'every row of te.times matches MariaDB (seconds)',
	map { [ "CAST(TIME_TO_SEC(t$_) AS DECIMAL(20,6))",
			"CAST(extract(epoch FROM t$_) AS numeric(20,6))" ] } 0 .. 6);
note sprintf('temporal: %.1f s', time() - $t0);

# ===========================================================================
# Zero dates
# ===========================================================================
$t0 = time();
my_sql(
	q{
SET SESSION sql_mode = '';
INSERT INTO te.zd VALUES (1, '0000-00-00', '0000-00-00 00:00:00',
  '0000-00-00 00:00:00.000000');
INSERT INTO te.zd VALUES (2, '2020-00-15', '2020-00-15 10:00:00',
  '2020-00-15 10:00:00.5');
INSERT INTO te.zd VALUES (3, '2020-01-00', '2020-01-00 00:00:00',
  '2020-01-00 23:59:59.999999');
INSERT INTO te.zd VALUES (4, '2020-01-15', '2020-01-15 01:02:03',
  '2020-01-15 01:02:03.000004');
});
sync_family('zero dates (policy null)');
is(pg(q{SELECT concat_ws('|', id, coalesce(d::text, 'NULL'),
          coalesce(dt::text, 'NULL'), coalesce(dt6::text, 'NULL'))
        FROM te.zd ORDER BY id}),
	"1|NULL|NULL|NULL\n2|NULL|NULL|NULL\n3|NULL|NULL|NULL\n"
	  . "4|2020-01-15|2020-01-15 01:02:03|2020-01-15 01:02:03.000004",
	'zero dates arrive as NULL by default, ordinary dates unchanged');

# Policy 'error': the channel stops, naming the zero date and the column.
sub set_zero_date
{
	my ($value) = @_;
	my $sql =
	  defined $value
	  ? "ALTER SYSTEM SET mysql_replica.zero_date = '$value'"
	  : 'ALTER SYSTEM RESET mysql_replica.zero_date';
	my ($rc, $out, $err) = $node->psql('postgres', $sql);
	ok($rc == 0, "$sql is accepted") or diag $err;
	$node->safe_psql('postgres', 'SELECT pg_reload_conf()');
	stop_channel($node);
	start_channel($node);
	return $rc == 0;
}

if (set_zero_date('error'))
{
	is(pg(q{SHOW mysql_replica.zero_date}), 'error',
		'the setting is error after the reload');
	my_sql(
		q{SET SESSION sql_mode = '';
	  INSERT INTO te.zd2 VALUES (1, '0000-00-00', '2020-05-05 00:00:00');});
	ok(wait_for_state($node, 'error', 'default', 30),
		'zero_date = error: a zero date stops the channel');
	my $st = channel_status($node) // {};
	like($st->{last_error} // '', qr/zero date/i,
		'last_error mentions the zero date');
	like($st->{last_error} // '', qr/zdate/,
		'last_error names the column');
	is(pg(q{SELECT count(*) FROM te.zd2}), '0',
		'the failed transaction was not applied');

	# Policy 'infinity': the same transaction is retried and arrives as
	# -infinity.
	if (set_zero_date('infinity'))
	{
		my_sql(
			q{SET SESSION sql_mode = '';
		  INSERT INTO te.zd2 VALUES (2, '2020-00-15', '2020-01-00 00:00:00');
		  INSERT INTO te.zd2 VALUES (3, '2021-02-03', '0000-00-00 00:00:00');});
		sync_family('zero dates (policy infinity)');
		is(pg(q{SELECT concat_ws('|', id, coalesce(zdate::text, 'NULL'),
		          coalesce(zdatetime::text, 'NULL'))
		        FROM te.zd2 ORDER BY id}),
			"1|-infinity|2020-05-05 00:00:00\n2|-infinity|-infinity\n"
			  . "3|2021-02-03|-infinity",
			'zero_date = infinity: zero dates arrive as -infinity, the '
			  . 'transaction that failed under error was retried');
	}
	else
	{
		fail('zero_date = infinity cannot be tested: setting refused');
	}
}
else
{
	fail('zero_date = error cannot be tested: setting refused');
}
# Back to the default for the rest of the file (and out of any error).
set_zero_date(undef);
if ((channel_status($node)->{state} // '') eq 'error')
{
	sync_family('zero dates (recovering)');
}
note sprintf('zero dates: %.1f s', time() - $t0);

# ===========================================================================
# Text in several character sets
# ===========================================================================
$t0 = time();
my $latin1_hex = join('', map { sprintf('%02X', $_) } 0x80 .. 0xFF);
my %cp1252 = (
	0x80 => 0x20AC, 0x81 => 0x0081, 0x82 => 0x201A, 0x83 => 0x0192,
	0x84 => 0x201E, 0x85 => 0x2026, 0x86 => 0x2020, 0x87 => 0x2021,
	0x88 => 0x02C6, 0x89 => 0x2030, 0x8A => 0x0160, 0x8B => 0x2039,
	0x8C => 0x0152, 0x8D => 0x008D, 0x8E => 0x017D, 0x8F => 0x008F,
	0x90 => 0x0090, 0x91 => 0x2018, 0x92 => 0x2019, 0x93 => 0x201C,
	0x94 => 0x201D, 0x95 => 0x2022, 0x96 => 0x2013, 0x97 => 0x2014,
	0x98 => 0x02DC, 0x99 => 0x2122, 0x9A => 0x0161, 0x9B => 0x203A,
	0x9C => 0x0153, 0x9D => 0x009D, 0x9E => 0x017E, 0x9F => 0x0178);
my $latin1_expected =
  join('', map { chr($cp1252{$_} // $_) } 0x80 .. 0xFF);

my %tx = (
	emoji     => 'emoji 😀🎉👍🏽 and 𝄞 clef',
	cjk       => '日本語のテキスト 中文 한국어',
	combining => "e\x{301}a\x{308}o\x{302} n\x{303}",
	u3        => 'Ünïcödé ☃ € ✓',
	cy        => 'Привет, мир! Ёё',
	l2        => 'Zażółć gęślą jaźń',
	ascii     => 'plain ~ ascii! 0123',);
sub q_
{
	(my $s = shift) =~ s/\\/\\\\/g;
	$s =~ s/'/\\'/g;
	return "'$s'";
}
my_sql(
	join(
		"\n",
		'INSERT INTO te.texts VALUES (1, '
		  . q_('ab  ') . ', ' . q_('  lt  ') . ', '
		  . q_($tx{emoji}) . ', ' . q_($tx{cjk}) . ', '
		  . q_($tx{combining}) . ', ' . q_($tx{cjk}) . ', '
		  . q_($tx{emoji}) . ', ' . q_($tx{u3}) . ', '
		  . q_('café déjà vu, naïve ÿ £') . ', ' . q_($tx{ascii}) . ', '
		  . q_($tx{cy}) . ', ' . q_($tx{l2}) . ');',
		"INSERT INTO te.texts (id, l1) VALUES (2, "
		  . "CAST(UNHEX('$latin1_hex') AS CHAR CHARACTER SET latin1));",
		"INSERT INTO te.texts VALUES (3, '', '', '', '', '', '', '', '', '',"
		  . " '', '', '');",
		'INSERT INTO te.texts (id) VALUES (4);',
		'INSERT INTO te.texts (id, vc, lt) VALUES (5, '
		  . q_('x' x 50) . ", REPEAT('€😀', 30000));",
		'INSERT INTO te.texts (id, vc) VALUES (6, ' . q_('gone') . ');',
		'UPDATE te.texts SET tx = ' . q_('updated ✓') . ', cy = '
		  . q_('Ещё') . ' WHERE id = 1;',
		'UPDATE te.texts SET vc = NULL WHERE id = 5;',
		'DELETE FROM te.texts WHERE id = 6;',
	));
sync_family('text');
is(my_sql(q{SELECT HEX(l1) FROM te.texts WHERE id = 2}), $latin1_hex,
	'(MariaDB holds every latin1 byte 0x80-0xFF)');
is(pg(q{SELECT upper(encode(convert_to(l1, 'UTF8'), 'hex'))
        FROM te.texts WHERE id = 2}),
	uc unpack('H*', encode_utf8($latin1_expected)),
	'latin1 bytes 0x80-0xFF arrive as cp1252, 0x81/0x8D/0x8F/0x90/0x9D as '
	  . 'U+0081...');
is(pg(q{SELECT vc, lt FROM te.texts WHERE id = 1}),
	"$tx{emoji}|$tx{emoji}", 'utf8mb4 emoji (4-byte) in VARCHAR and LONGTEXT');
is(pg(q{SELECT mt FROM te.texts WHERE id = 1}), $tx{cjk},
	'utf8mb4 CJK in MEDIUMTEXT');
is(pg(q{SELECT tt, length(tt) FROM te.texts WHERE id = 1}),
	"$tx{combining}|" . length($tx{combining}),
	'combining marks stay separate code points (TINYTEXT)');
is(pg(q{SELECT tx FROM te.texts WHERE id = 1}), 'updated ✓', 'updated TEXT');
is(pg(q{SELECT u3 FROM te.texts WHERE id = 1}), $tx{u3}, 'utf8mb3 text');
is(pg(q{SELECT l1 FROM te.texts WHERE id = 1}), 'café déjà vu, naïve ÿ £',
	'latin1 text');
is(pg(q{SELECT a FROM te.texts WHERE id = 1}), $tx{ascii}, 'ascii text');
is(pg(q{SELECT cy FROM te.texts WHERE id = 1}), 'Ещё',
	'cp1251 (Cyrillic) text, updated');
is(pg(q{SELECT l2::text FROM te.texts WHERE id = 1}), $tx{l2},
	'latin2 text into char(50)');
my $c10_maria = my_sql(q{SELECT CONCAT('[', c10, ']', '[', c10b, ']')
                         FROM te.texts WHERE id = 1});
is($c10_maria, '[ab][  lt]', '(MariaDB returns CHAR without trailing spaces)');
is(pg(q{SELECT '[' || c10 || '][' || c10b::text || ']' FROM te.texts WHERE id = 1}),
	$c10_maria, 'CHAR(n) values as MariaDB returns them (text and char(n))');
is(pg(q{SELECT concat_ws('|', c10 = '', vc = '', tx = '', l1 = '', cy = '',
          a = '') FROM te.texts WHERE id = 3}),
	't|t|t|t|t|t', 'empty strings stay empty strings');
is(pg(q{SELECT num_nulls(c10, c10b, vc, tx, tt, mt, lt, u3, l1, a, cy, l2)
        FROM te.texts WHERE id = 4}),
	'12', 'NULLs stay NULL');
is(pg(q{SELECT vc IS NULL, length(lt), left(lt, 4) FROM te.texts WHERE id = 5}),
	't|60000|€😀€😀', 'long LONGTEXT; VARCHAR updated to NULL');
rows_match('te.texts', 5);
note sprintf('text: %.1f s', time() - $t0);

# ===========================================================================
# Binary data
# ===========================================================================
$t0 = time();
my $all_bytes = join('', map { sprintf('%02X', $_) } 0 .. 255);
my_sql(
	qq{
INSERT INTO te.bins VALUES (1, 'ab', UNHEX('$all_bytes'),
  UNHEX(LEFT('$all_bytes', 510)), X'00FF', REPEAT(X'00FF', 40000),
  REPEAT(UNHEX('$all_bytes'), 4096));
INSERT INTO te.bins VALUES (2, X'01', X'', X'', X'', X'', X'');
INSERT INTO te.bins VALUES (3, X'', NULL, NULL, NULL, NULL, NULL);
INSERT INTO te.bins VALUES (4, X'FFFFFFFF', X'00', X'00', X'00', X'00', X'00');
INSERT INTO te.bins VALUES (5, X'05', X'05', X'05', X'05', X'05', X'05');
UPDATE te.bins SET b = X'DEADBEEF', bn = X'0102' WHERE id = 4;
DELETE FROM te.bins WHERE id = 5;
});
sync_family('binary');
is(pg(q{SELECT string_agg(bn::text, ',' ORDER BY id) FROM te.bins}),
	'\x61620000,\x01000000,\x00000000,\x01020000',
	'BINARY(4) arrives zero-padded to 4 bytes, as MariaDB returns it');
is(pg(q{SELECT upper(encode(vb, 'hex')) FROM te.bins WHERE id = 1}),
	$all_bytes, 'VARBINARY with every byte 0x00-0xFF');
is(pg(q{SELECT length(tb), length(mb), length(lb) FROM te.bins WHERE id = 1}),
	'255|80000|1048576', 'TINYBLOB 255 bytes, MEDIUMBLOB 80000, LONGBLOB 1 MB');
is(pg(q{SELECT md5(lb) FROM te.bins WHERE id = 1}),
	my_sql(q{SELECT LOWER(MD5(lb)) FROM te.bins WHERE id = 1}),
	'1 MB LONGBLOB has the same MD5 on both sides');
is(pg(q{SELECT b, tb FROM te.bins WHERE id = 4}), '\xdeadbeef|\x00',
	'updated BLOB; a single zero byte');
is(pg(q{SELECT vb = '' AND tb = '' AND b = '' AND mb = '' AND lb = ''
        FROM te.bins WHERE id = 2}),
	't', 'empty binary values are empty, not NULL');
is(pg(q{SELECT num_nulls(vb, tb, b, mb, lb) FROM te.bins WHERE id = 3}),
	'5', 'NULL binary values stay NULL');
rows_match('te.bins', 4);
note sprintf('binary: %.1f s', time() - $t0);

# ===========================================================================
# ENUM and SET
# ===========================================================================
$t0 = time();
my_sql(
	q{
INSERT INTO te.enums VALUES (1, 'a', 'x,z', 'a', 'x,z');
INSERT INTO te.enums VALUES (2, 'c', 'x,y,z', 'c', 'x,y,z');
INSERT INTO te.enums VALUES (3, 'b', '', 'b', '');
INSERT INTO te.enums VALUES (4, NULL, NULL, NULL, NULL);
SET SESSION sql_mode = '';
INSERT INTO te.enums VALUES (5, 'nonsense', 'y', 'nonsense', 'y');
SET SESSION sql_mode = DEFAULT;
INSERT INTO te.enums VALUES (6, 'a', 'x', 'a', 'x');
UPDATE te.enums SET e = 'b', s = 'z,y', ei = 'b', sm = 'z' WHERE id = 6;
INSERT INTO te.enums VALUES (7, 'a', 'x', 'a', 'x');
DELETE FROM te.enums WHERE id = 7;
});
sync_family('enum/set');
is(pg(q{SELECT concat_ws('|', id, coalesce(e, 'NULL'), coalesce(s, 'NULL'),
          coalesce(ei::text, 'NULL'), coalesce(sm::text, 'NULL'))
        FROM te.enums ORDER BY id}),
	"1|a|x,z|1|5\n2|c|x,y,z|3|7\n3|b||2|0\n4|NULL|NULL|NULL|NULL\n"
	  . "5||y|0|2\n6|b|y,z|2|4",
	'ENUM by name and index, SET by names and bitmask, the empty ENUM '
	  . 'value, NULL, an update');
exprs_match('te.enums', 'every row of te.enums matches MariaDB',
	[ 'HEX(e)', "upper(encode(convert_to(e, 'UTF8'), 'hex'))" ],
	[ 'HEX(s)', "upper(encode(convert_to(s, 'UTF8'), 'hex'))" ],
	[ 'ei + 0', 'ei' ], [ 'sm + 0', 'sm' ]);
note sprintf('enum/set: %.1f s', time() - $t0);

# ===========================================================================
# JSON
# ===========================================================================
$t0 = time();
my %json = (
	1 => '{"a": 1, "b": [1, 2, 3], "c": {"d": null, "e": true}}',
	2 => '[1, "two", 3.5, false, null, {"k": "v"}]',
	3 => '{"u": "Grüße 😀 日本", "esc": "\\u00e9 \\"q\\" \\\\ \\n"}',
	4 => '{"int": 9223372036854775807, "neg": -1, "dec": 3.14159, '
	  . '"exp": 1.5e300, "small": 1e-7, "big": 18446744073709551616}',
	5 => 'null',
	6 => '"just a string"',
	7 => '42',);
my_sql(join("\n",
		(map { "INSERT INTO te.js VALUES ($_, " . q_($json{$_}) . ');' }
		  sort keys %json),
		'INSERT INTO te.js VALUES (8, NULL);',
		'INSERT INTO te.js VALUES (9, \'{"gone": 1}\');',
		q{UPDATE te.js SET j = JSON_SET(j, '$[1]', 'deux') WHERE id = 2;},
		'DELETE FROM te.js WHERE id = 9;'));
sync_family('json');
is(pg(q{SELECT j FROM te.js WHERE id = 1}),
	'{"a": 1, "b": [1, 2, 3], "c": {"d": null, "e": true}}',
	'JSON object arrives as jsonb');
is(pg(q{SELECT j FROM te.js WHERE id = 2}),
	'[1, "deux", 3.5, false, null, {"k": "v"}]', 'JSON array, updated');
is(pg(q{SELECT j->>'u', j->>'esc' FROM te.js WHERE id = 3}),
	"Grüße 😀 日本|é \"q\" \\ \n", 'JSON unicode and escapes');
is(pg(q{SELECT j = '{"int": 9223372036854775807, "neg": -1, "dec": 3.14159,
          "exp": 1.5e300, "small": 1e-7, "big": 18446744073709551616}'::jsonb
        FROM te.js WHERE id = 4}),
	't', 'JSON numbers keep their exact values');
is(pg(q{SELECT j->>'int', j->>'dec', j->>'big' FROM te.js WHERE id = 4}),
	'9223372036854775807|3.14159|18446744073709551616', 'JSON number texts');
is(pg(q{SELECT concat_ws('|', j = 'null'::jsonb, (SELECT j FROM te.js WHERE id = 6),
          (SELECT j FROM te.js WHERE id = 7),
          (SELECT j IS NULL FROM te.js WHERE id = 8))
        FROM te.js WHERE id = 5}),
	't|"just a string"|42|t', 'JSON scalars; JSON null is not SQL NULL');
{
	my $canon = JSON::PP->new->utf8->canonical->allow_nonref;
	# Big numbers come back as strings from JSON::PP; make them numbers on
	# both sides (PostgreSQL prints 1.5e300 with all its digits).
	my $numify;
	$numify = sub {
		my ($x) = @_;
		return [ map { $numify->($_) } @$x ] if ref $x eq 'ARRAY';
		return { map { $_ => $numify->($x->{$_}) } keys %$x } if ref $x eq 'HASH';
		return 0 + $x
		  if defined $x && !ref $x && $x =~ /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
		return $x;
	};
	my $norm = sub {
		my ($out) = @_;
		return [ map {
			my ($id, $v) = split /\t/, $_, 2;
			[ $id, $v eq 'NULL' ? 'NULL'
				: $canon->encode($numify->($canon->decode(encode_utf8($v)))) ]
		} split /\n/, $out ];
	};
	# As hex: the client's batch mode escapes backslashes and newlines.
	my $m = join("\n", map {
		my ($id, $h) = split /\t/, $_, 2;
		"$id\t" . ($h eq 'NULL' ? 'NULL' : decode_utf8(pack('H*', $h)))
	} split /\n/, my_sql(q{SELECT id, IFNULL(HEX(j), 'NULL') FROM te.js ORDER BY id}));
	my $p = pg(q{SELECT id || E'\t' || coalesce(j::text, 'NULL')
	             FROM te.js ORDER BY id});
	is_deeply($norm->($p), $norm->($m),
		'every JSON document matches MariaDB (parsed and re-encoded)');
}
note sprintf('json: %.1f s', time() - $t0);

# ===========================================================================
# GEOMETRY
# ===========================================================================
$t0 = time();
my @geo = (
	[ 1, 'POINT(1 2)', 0 ],
	[ 2, 'POINT(1.5 -2.25)', 4326 ],
	[ 3, 'LINESTRING(0 0,1 1,2 2)', 0 ],
	[ 4, 'LINESTRING(10 20,30 40)', 4326 ],
	[ 5, 'POLYGON((0 0,10 0,10 10,0 10,0 0))', 0 ],
	[ 6, 'POLYGON((0 0,10 0,10 10,0 10,0 0),(2 2,3 2,3 3,2 3,2 2))', 4326 ],
	[ 7, 'POINT(7 7)', 0 ],);
my_sql(join("\n",
		(map {
			"INSERT INTO te.geo VALUES ($_->[0], ST_GeomFromText('$_->[1]', "
			  . "$_->[2]), ST_GeomFromText('$_->[1]', $_->[2]));"
		} @geo),
		q{UPDATE te.geo SET g = ST_GeomFromText('POINT(-1 -1)', 4326),
		    g2 = ST_GeomFromText('POINT(-1 -1)', 4326) WHERE id = 7;},
		q{INSERT INTO te.geo VALUES (8, NULL, NULL);},
		q{INSERT INTO te.geo VALUES (9, POINT(9, 9), POINT(9, 9));},
		q{DELETE FROM te.geo WHERE id = 9;}));
sync_family('geometry');
is(pg(q{SELECT g FROM te.geo WHERE id = 1}),
	'\x0101000000000000000000f03f0000000000000040',
	'POINT(1 2) SRID 0 arrives as WKB');
is(pg(q{SELECT g FROM te.geo WHERE id = 2}),
	'\x0101000020e6100000000000000000f83f00000000000002c0',
	'POINT(1.5 -2.25) SRID 4326 arrives as EWKB with the SRID flag');
{
	# Expected bytes from MariaDB's own WKB and SRID.
	my @expect;
	foreach my $line (split /\n/,
		my_sql(q{SELECT id, HEX(ST_AsWKB(g)), ST_SRID(g) FROM te.geo
		         WHERE g IS NOT NULL ORDER BY id}))
	{
		my ($id, $wkb, $srid) = split /\t/, $line;
		my $hex = $wkb;
		if ($srid != 0)
		{
			die "unexpected big-endian WKB" unless substr($wkb, 0, 2) eq '01';
			my $type = unpack('V', pack('H8', substr($wkb, 2, 8)));
			$hex = '01'
			  . uc(unpack('H8', pack('V', $type | 0x20000000)))
			  . uc(unpack('H8', pack('V', $srid)))
			  . substr($wkb, 10);
		}
		push @expect, "$id|$hex";
	}
	is(pg(q{SELECT id || '|' || upper(encode(g, 'hex')) FROM te.geo
	        WHERE g IS NOT NULL ORDER BY id}),
		join("\n", @expect),
		'every geometry is MariaDB\'s WKB (SRID 0) or EWKB (SRID != 0)');
}
is(pg(q{SELECT g IS NULL FROM te.geo WHERE id = 8}), 't', 'NULL geometry');
SKIP:
{
	skip 'PostGIS is not installed', 2 unless $have_postgis;
	is(pg(q{SELECT string_agg(id || '|' || ST_AsText(g2) || '|' || ST_SRID(g2),
	          E'\n' ORDER BY id) FROM te.geo WHERE g2 IS NOT NULL}),
		my_sql(q{SELECT CONCAT_WS('|', id, ST_AsText(g2), ST_SRID(g2))
		         FROM te.geo WHERE g2 IS NOT NULL ORDER BY id}),
		'PostGIS geometry: ST_AsText and ST_SRID match MariaDB');
	is(pg(q{SELECT ST_AsText(g2) || ' ' || ST_SRID(g2) FROM te.geo WHERE id = 6}),
		'POLYGON((0 0,10 0,10 10,0 10,0 0),(2 2,3 2,3 3,2 3,2 2)) 4326',
		'PostGIS polygon with a hole and SRID 4326');
}
note sprintf('geometry: %.1f s', time() - $t0);

# ===========================================================================
# Row images: MINIMAL and NOBLOB
# ===========================================================================
$t0 = time();
my_sql(
	q{
INSERT INTO te.mini VALUES (1, 10, 'one', 100), (2, 20, 'two', 200),
  (3, 30, 'three', 300);
INSERT INTO te.noblob VALUES (1, 1, X'0A0B'), (2, 2, X'0C0D');
});
sync_family('row images (setup)');
# Drift on PostgreSQL in columns the source does not change: a MINIMAL
# update must leave them alone (a full after image would overwrite them).
pg(q{UPDATE te.mini SET c = 999, extra = 'pg-only' WHERE id = 1;
     UPDATE te.noblob SET bl = '\xdeadbeef' WHERE id = 1});
my_sql(
	q{
SET SESSION binlog_row_image = 'MINIMAL';
UPDATE te.mini SET a = 11 WHERE id = 1;
UPDATE te.mini SET b = 'THREE', a = a + 3 WHERE id = 3;
DELETE FROM te.mini WHERE id = 2;
INSERT INTO te.mini (id, a) VALUES (4, 40);
});
my_sql(
	q{
SET SESSION binlog_row_image = 'NOBLOB';
UPDATE te.noblob SET n = 11 WHERE id = 1;
UPDATE te.noblob SET bl = X'FFEE' WHERE id = 2;
INSERT INTO te.noblob VALUES (3, 3, X'0E0F');
});
sync_family('row images');
is(pg(q{SELECT concat_ws('|', id, a, coalesce(b, 'NULL'),
          coalesce(c::text, 'NULL'), extra) FROM te.mini ORDER BY id}),
	"1|11|one|999|pg-only\n3|33|THREE|300|dflt\n4|40|NULL|NULL|dflt",
	'MINIMAL: updates change only the changed columns, deletes find the '
	  . 'row by its key, inserts leave PostgreSQL-only columns at their default');
is(pg(q{SELECT concat_ws('|', id, n, bl) FROM te.noblob ORDER BY id}),
	"1|11|\\xdeadbeef\n2|2|\\xffee\n3|3|\\x0e0f",
	'NOBLOB: an update that leaves the BLOB alone does not touch it');
note sprintf('row images: %.1f s', time() - $t0);

# ===========================================================================
# A MariaDB writing compressed binlog events
# ===========================================================================
$t0 = time();
my $cmaria = MariaDBServer->new(
	name       => 'compressed',
	server_id  => 2,
	extra_args =>
	  [ '--log-bin-compress=ON', '--log-bin-compress-min-len=10' ]);
$cmaria->start;
$cmaria->create_repl_user;
create_database_both($node, $cmaria, 'tc');
$cmaria->sql(
	q{CREATE TABLE tc.docs (id int PRIMARY KEY, body text, n int, b blob)});
$node->safe_psql('postgres',
	q{CREATE TABLE tc.docs (id int PRIMARY KEY, body text, n int, b bytea)});
configure_channel($node, $cmaria, channel => 'comp');
ok(wait_for_state($node, [ 'streaming', 'applying' ], 'comp'),
	'compressed channel reaches state streaming');
$cmaria->sql(
	encode_utf8(
		q{
INSERT INTO tc.docs VALUES (1, REPEAT('compress me please ', 40), 1,
  REPEAT(X'00010203', 100));
INSERT INTO tc.docs VALUES (2, REPEAT('zstd or zlib? zlib. ', 100), 2, NULL);
INSERT INTO tc.docs VALUES (3, CONCAT('短い ', REPEAT('ü😀', 200)), 3, X'00');
BEGIN;
INSERT INTO tc.docs SELECT seq, REPEAT(CONCAT('row ', seq, ' '), 30), seq, NULL
  FROM tc.seq_10_to_60;
UPDATE tc.docs SET body = CONCAT(body, ' and more text here') WHERE id <= 3;
COMMIT;
UPDATE tc.docs SET n = n * 10 WHERE id BETWEEN 10 AND 20;
DELETE FROM tc.docs WHERE id BETWEEN 30 AND 40;
}));
my $synced = eval { sync_family('compressed binlog', 'comp', $cmaria) };
diag "waiting for the compressed channel failed: $@" unless defined $synced;
if (!pg_alive())
{
	fail('PostgreSQL survives the compressed binlog events');
	my $log = slurp_file($node->logfile);
	diag $1 while $log =~ /^(.*(?:terminated by signal|PANIC|TRAP).*)$/mg;
	$node->_update_pid(0);
}
else
{
	is(my_sql_c(q{SELECT COUNT(*) FROM tc.docs}), '43',
		'(MariaDB has 43 rows)');
	is($node->safe_psql('postgres',
			q{SELECT count(*), sum(n), sum(length(body)) FROM tc.docs}),
		$cmaria->sql(
			q{SELECT CONCAT_WS('|', COUNT(*), SUM(n), SUM(CHAR_LENGTH(body)))
			  FROM tc.docs}),
		'compressed events: counts and sums match');
	is(decode_utf8($node->safe_psql('postgres',
			q{SELECT left(body, 5) FROM tc.docs WHERE id = 3})),
		'短い ü😀', 'compressed event with multibyte text');
	{
		my ($p, $m) = compare_table($node, $cmaria, 'tc.docs');
		is_deeply($p, $m, 'every row of tc.docs (compressed binlog) matches');
	}
}
sub my_sql_c { return $cmaria->sql($_[0]); }
note sprintf('compressed binlog: %.1f s', time() - $t0);

# Nothing was left behind in state error.
foreach my $channel (pg_alive() ? ('default', 'comp') : ())
{
	my $st = channel_status($node, $channel);
	isnt($st->{state}, 'error', "channel $channel is not in state error")
	  or diag $st->{last_error};
}

$node->stop if pg_alive();
$cmaria->stop;
$maria->stop;
note sprintf('013_type_edges total: %.1f s', time() - $t_start);
done_testing();
