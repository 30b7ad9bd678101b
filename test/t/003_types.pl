# 003_types.pl
#
# Column types replicate with their values intact: NULLs, non-ASCII text
# (utf8mb4 including emoji, and a latin1 column), integer limits signed and
# unsigned, DECIMAL, FLOAT/DOUBLE, DATE/DATETIME/TIMESTAMP, and binary data.
# Each type group has its own table; each is checked on chosen values and
# then row by row against MariaDB.

use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

use MariaDBServer;
use ReplicaTest;

my $maria = MariaDBServer->new(name => 'source');
$maria->start;
$maria->create_repl_user;

my $node = replica_node('replica');
create_database_both($node, $maria, 'd');

# Every table exists on both sides before the channel starts, so no DDL is
# in the streamed range.
$maria->sql(
	q{
CREATE TABLE d.nulls (
  id int PRIMARY KEY, i int, s varchar(20), b blob, dt datetime,
  n decimal(10,2), f double);
CREATE TABLE d.texts (
  id int PRIMARY KEY,
  u varchar(100) CHARACTER SET utf8mb4,
  l varchar(100) CHARACTER SET latin1,
  tx text CHARACTER SET utf8mb4,
  c char(10) CHARACTER SET utf8mb4);
CREATE TABLE d.ints (
  id int PRIMARY KEY,
  ti tinyint, tiu tinyint unsigned,
  si smallint, siu smallint unsigned,
  mi mediumint, miu mediumint unsigned,
  i int, iu int unsigned,
  bi bigint, biu bigint unsigned);
CREATE TABLE d.decimals (
  id int PRIMARY KEY, d10 decimal(10,2), d65 decimal(65,30),
  d5 decimal(5,0), du decimal(12,4) unsigned);
CREATE TABLE d.floats (id int PRIMARY KEY, f float, d double);
CREATE TABLE d.times (
  id int PRIMARY KEY, da date, dt datetime, dt6 datetime(6),
  ts timestamp NULL, ts3 timestamp(3) NULL);
CREATE TABLE d.blobs (
  id int PRIMARY KEY, b blob, vb varbinary(100), bn binary(4),
  lb longblob);
});

$node->safe_psql(
	'postgres', q{
CREATE TABLE d.nulls (
  id int PRIMARY KEY, i int, s varchar(20), b bytea, dt timestamp,
  n numeric(10,2), f double precision);
CREATE TABLE d.texts (
  id int PRIMARY KEY, u varchar(100), l varchar(100), tx text, c text);
CREATE TABLE d.ints (
  id int PRIMARY KEY,
  ti smallint, tiu smallint,
  si smallint, siu integer,
  mi integer, miu integer,
  i integer, iu bigint,
  bi bigint, biu numeric(20,0));
CREATE TABLE d.decimals (
  id int PRIMARY KEY, d10 numeric(10,2), d65 numeric(65,30),
  d5 numeric(5,0), du numeric(12,4));
CREATE TABLE d.floats (id int PRIMARY KEY, f real, d double precision);
CREATE TABLE d.times (
  id int PRIMARY KEY, da date, dt timestamp, dt6 timestamp(6),
  ts timestamptz, ts3 timestamptz(3));
CREATE TABLE d.blobs (
  id int PRIMARY KEY, b bytea, vb bytea, bn bytea, lb bytea);
});

configure_channel($node, $maria);
ok(wait_for_state($node, [ 'streaming', 'applying' ]),
	'channel reaches state streaming');

sub pg
{
	my ($sql) = @_;
	return $node->safe_psql('postgres', $sql);
}

sub rows_match
{
	my ($table, $expected_rows) = @_;
	my ($pg, $my) = compare_table($node, $maria, $table);
	is(scalar @$my, $expected_rows, "$table has $expected_rows rows");
	is_deeply($pg, $my, "every row of $table matches");
	return;
}

# --- NULLs ---------------------------------------------------------------
$maria->sql(
	q{INSERT INTO d.nulls VALUES
	    (1, NULL, NULL, NULL, NULL, NULL, NULL),
	    (2, 7, 'seven', 'x', '2024-01-02 03:04:05', 7.70, 7.5),
	    (3, 8, 'eight', 'y', '2024-01-02 03:04:05', 8.80, 8.5);
	  UPDATE d.nulls SET i = NULL, s = NULL, b = NULL, dt = NULL, n = NULL,
	    f = NULL WHERE id = 2;
	  UPDATE d.nulls SET i = 1, s = 'one' WHERE id = 1;});
ok(wait_caught_up($node, $maria), 'caught up after NULL rows');
is(pg(q{SELECT count(*) FROM d.nulls
        WHERE i IS NULL AND s IS NULL AND b IS NULL AND dt IS NULL
          AND n IS NULL AND f IS NULL}),
	'1', 'all-NULL row arrives as NULLs, update to NULL too');
is(pg(q{SELECT i, s, b IS NULL, n IS NULL FROM d.nulls WHERE id = 1}),
	'1|one|t|t', 'update from NULL to values keeps other NULLs');
is(pg(q{SELECT i, s, encode(b, 'escape'), n, f FROM d.nulls WHERE id = 3}),
	'8|eight|y|8.80|8.5', 'row without NULLs keeps its values');
rows_match('d.nulls', 3);

# --- non-ASCII text ------------------------------------------------------
# The test file is UTF-8; the strings go to both servers as UTF-8 bytes.
my %text = (
	1 => [ 'plain ascii',        'plain ascii' ],
	2 => [ 'Grüße, ñandú, Ærø', 'café déjà vu, naïve ÿ' ],
	3 => [ '日本語のテキスト',   'Ça va? «très» bien' ],
	4 => [ 'emoji 😀🎉 and 𝄞',     '£100 ± 5 µg' ],
	5 => [ "quote ' and \\ backslash", "tab\tand newline\nin latin1" ],
	6 => [ '', '' ],);

foreach my $id (sort keys %text)
{
	my ($u, $l) = @{ $text{$id} };
	my ($uq, $lq) = map {
		(my $s = $_) =~ s/\\/\\\\/g;
		$s =~ s/'/\\'/g;
		$s =~ s/\t/\\t/g;
		$s =~ s/\n/\\n/g;
		"'$s'"
	} ($u, $l);
	$maria->sql("INSERT INTO d.texts VALUES ($id, $uq, $lq, $uq, 'ä')");
}
ok(wait_caught_up($node, $maria), 'caught up after text rows');
is(pg(q{SELECT u FROM d.texts WHERE id = 2}),
	$text{2}[0], 'utf8mb4 varchar with accents arrives intact');
is(pg(q{SELECT u FROM d.texts WHERE id = 3}),
	$text{3}[0], 'utf8mb4 varchar with CJK arrives intact');
is(pg(q{SELECT tx FROM d.texts WHERE id = 4}),
	$text{4}[0], 'utf8mb4 text with emoji (4-byte UTF-8) arrives intact');
is(pg(q{SELECT l FROM d.texts WHERE id = 2}),
	$text{2}[1], 'latin1 column arrives converted to UTF-8');
is(pg(q{SELECT l FROM d.texts WHERE id = 4}),
	$text{4}[1], 'latin1 column with symbols arrives converted to UTF-8');
is(pg(q{SELECT length(tx) FROM d.texts WHERE id = 4}),
	'14', 'emoji count as one character each');
is(pg(q{SELECT u = '' AND l = '' FROM d.texts WHERE id = 6}),
	't', 'empty strings stay empty strings, not NULL');
is(pg(q{SELECT c FROM d.texts WHERE id = 1}), 'ä', 'CHAR column value');
rows_match('d.texts', 6);

# --- integer limits -------------------------------------------------------
$maria->sql(
	q{INSERT INTO d.ints VALUES
	  (1, -128, 0, -32768, 0, -8388608, 0, -2147483648, 0,
	   -9223372036854775808, 0),
	  (2, 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295,
	   9223372036854775807, 18446744073709551615),
	  (3, 0, 128, 0, 32768, 0, 8388608, 0, 2147483648,
	   0, 9223372036854775808),
	  (4, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1)});
ok(wait_caught_up($node, $maria), 'caught up after integer rows');
is(pg(q{SELECT ti, si, mi, i, bi FROM d.ints WHERE id = 1}),
	'-128|-32768|-8388608|-2147483648|-9223372036854775808',
	'signed integer minimums');
is(pg(q{SELECT ti, si, mi, i, bi FROM d.ints WHERE id = 2}),
	'127|32767|8388607|2147483647|9223372036854775807',
	'signed integer maximums');
is(pg(q{SELECT tiu, siu, miu, iu, biu FROM d.ints WHERE id = 2}),
	'255|65535|16777215|4294967295|18446744073709551615',
	'unsigned integer maximums are not read as negative');
is(pg(q{SELECT tiu, siu, miu, iu, biu FROM d.ints WHERE id = 3}),
	'128|32768|8388608|2147483648|9223372036854775808',
	'unsigned values just past the signed range');
is(pg(q{SELECT ti, tiu, bi, biu FROM d.ints WHERE id = 4}),
	'-1|1|-1|1', 'minus one and one');
rows_match('d.ints', 4);

# --- DECIMAL ----------------------------------------------------------------
$maria->sql(
	q{INSERT INTO d.decimals VALUES
	  (1, 0.00, 0, 0, 0),
	  (2, 12345678.91, 12345678901234567890123456789012345.123456789012345678901234567890, 99999, 12345678.1234),
	  (3, -12345678.91, -0.000000000000000000000000000001, -99999, 0.0001),
	  (4, 0.01, 1.5, 1, 99999999.9999),
	  (5, -0.01, -99999999999999999999999999999999999.999999999999999999999999999999, 10, 1)});
ok(wait_caught_up($node, $maria), 'caught up after decimal rows');
is(pg(q{SELECT d10, d5, du FROM d.decimals WHERE id = 2}),
	'12345678.91|99999|12345678.1234', 'decimal values with integer and scale');
is(pg(q{SELECT d65 FROM d.decimals WHERE id = 2}),
	'12345678901234567890123456789012345.123456789012345678901234567890',
	'decimal(65,30) keeps every digit');
is(pg(q{SELECT d10, d65 FROM d.decimals WHERE id = 3}),
	'-12345678.91|-0.000000000000000000000000000001',
	'negative decimals, smallest fraction');
is(pg(q{SELECT d10 FROM d.decimals WHERE id = 5}), '-0.01',
	'negative decimal below one');
rows_match('d.decimals', 5);

# --- FLOAT / DOUBLE ---------------------------------------------------------
$maria->sql(
	q{INSERT INTO d.floats VALUES
	  (1, 0, 0),
	  (2, -1.5, -1.5),
	  (3, 3.14159, 3.141592653589793),
	  (4, 1e-30, 1e-300),
	  (5, 3.4e38, 1.7976931348623157e308),
	  (6, -1.17549e-38, -2.2250738585072014e-308),
	  (7, 0.1, 0.1),
	  (8, 16777216, 123456789.12345679)});
ok(wait_caught_up($node, $maria), 'caught up after float rows');
is(pg(q{SELECT d FROM d.floats WHERE id = 3}), '3.141592653589793',
	'double keeps full precision');
is(pg(q{SELECT d FROM d.floats WHERE id = 5}), '1.7976931348623157e+308',
	'largest double');
is(pg(q{SELECT d FROM d.floats WHERE id = 7}), '0.1', 'double 0.1');
is(pg(q{SELECT f, d FROM d.floats WHERE id = 2}), '-1.5|-1.5',
	'exactly representable values');
is(pg(q{SELECT f FROM d.floats WHERE id = 8}), '1.6777216e+07',
	'float 2^24');
rows_match('d.floats', 8);

# --- DATE / DATETIME / TIMESTAMP --------------------------------------------
# TIMESTAMP values are given in UTC; PostgreSQL shows them in UTC below.
$maria->sql(
	q{SET time_zone = '+00:00';
	  INSERT INTO d.times VALUES
	  (1, '2024-02-29', '2024-02-29 23:59:59', '2024-02-29 23:59:59.999999',
	   '2024-02-29 23:59:59', '2024-02-29 23:59:59.123'),
	  (2, '1000-01-01', '1000-01-01 00:00:00', '1000-01-01 00:00:00.000001',
	   '1970-01-01 00:00:01', '1970-01-01 00:00:01.001'),
	  (3, '9999-12-31', '9999-12-31 23:59:59', '9999-12-31 23:59:59.500000',
	   '2038-01-19 03:14:07', '2038-01-19 03:14:07.999'),
	  (4, '1999-12-31', '1999-12-31 12:00:00', '2000-01-01 00:00:00.000000',
	   '2000-01-01 00:00:00', '2000-01-01 00:00:00.000')});
# A TIMESTAMP written from another session time zone is the same instant.
$maria->sql(
	q{SET time_zone = '+05:30';
	  INSERT INTO d.times VALUES (5, NULL, NULL, NULL,
	    '2024-06-01 12:00:00', '2024-06-01 12:00:00.250')});
ok(wait_caught_up($node, $maria), 'caught up after date/time rows');
is(pg(q{SELECT da, dt, dt6 FROM d.times WHERE id = 1}),
	'2024-02-29|2024-02-29 23:59:59|2024-02-29 23:59:59.999999',
	'date, datetime and datetime(6) values');
is(pg(q{SELECT da, dt6 FROM d.times WHERE id = 2}),
	'1000-01-01|1000-01-01 00:00:00.000001', 'earliest date and datetime');
is(pg(q{SELECT da, dt FROM d.times WHERE id = 3}),
	'9999-12-31|9999-12-31 23:59:59', 'latest date and datetime');
is(pg(q{SET timezone = 'UTC'; SELECT ts, ts3 FROM d.times WHERE id = 1}),
	'2024-02-29 23:59:59+00|2024-02-29 23:59:59.123+00',
	'timestamp values are the same instants (UTC)');
is(pg(q{SET timezone = 'UTC'; SELECT ts, ts3 FROM d.times WHERE id = 3}),
	'2038-01-19 03:14:07+00|2038-01-19 03:14:07.999+00',
	'largest timestamp');
is(pg(q{SET timezone = 'UTC'; SELECT ts, ts3 FROM d.times WHERE id = 5}),
	'2024-06-01 06:30:00+00|2024-06-01 06:30:00.25+00',
	'timestamp written in another session time zone');
rows_match('d.times', 5);

# --- binary data ------------------------------------------------------------
$maria->sql(
	q{INSERT INTO d.blobs VALUES
	  (1, X'00FF7F80', X'000102', X'6162', X''),
	  (2, X'', X'', X'00000000', NULL),
	  (3, REPEAT(X'DEADBEEF', 16000), X'FF', X'FFFFFFFF',
	   REPEAT(X'0123456789ABCDEF', 40000))});
ok(wait_caught_up($node, $maria), 'caught up after binary rows');
is(pg(q{SELECT b, vb FROM d.blobs WHERE id = 1}),
	'\x00ff7f80|\x000102', 'blob and varbinary bytes including 00 and ff');
is(pg(q{SELECT bn FROM d.blobs WHERE id = 1}),
	'\x61620000', 'binary(4) keeps its zero padding');
is(pg(q{SELECT length(b), length(lb) FROM d.blobs WHERE id = 3}),
	'64000|320000', 'large blobs arrive whole');
is(pg(q{SELECT b = '' AND vb = '' AND lb IS NULL FROM d.blobs WHERE id = 2}),
	't', 'empty blob is empty, not NULL');
rows_match('d.blobs', 3);

$node->stop;
$maria->stop;
done_testing();
