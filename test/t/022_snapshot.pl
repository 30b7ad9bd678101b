# 022_snapshot.pl
#
# The initial snapshot: a channel with no binlog position and
# initial_snapshot => true copies the source's existing tables into
# PostgreSQL (creating them from SHOW CREATE TABLE, rows by COPY, keys
# afterwards), then streams from the snapshot's binlog position.
#
# Part 1: two databases of seven tables with a mix of column types (signed
# and unsigned integers up to BIGINT UNSIGNED's maximum, DECIMAL, FLOAT,
# DOUBLE, DATE, DATETIME(6), TIMESTAMP(6), TIME including negative values,
# CHAR/VARCHAR/TEXT with non-ASCII UTF-8 and a latin1 column, BINARY/BLOB
# with zero bytes, ENUM, SET, JSON, BIT, GEOMETRY (PostGIS when it can be
# created), NULLs), about 46,000 rows, AUTO_INCREMENT tables and a table
# without a primary key.  A writer on MariaDB (a stored procedure looping
# over short transactions of inserts, updates and deletes on three of the
# tables) runs from before the channel starts until it streams: its writes
# during the copy must be neither lost nor applied twice (its updates add
# to values, so a second application shows).  Afterwards every table has
# the same shape and the same rows on both sides, snapshot_progress shows
# every table done, and identity sequences are past the copied ids.
#
# Part 2: stop_replica during the copy of a 300,000-row wide table returns
# promptly, the channel is stopped, the half-copied table is neither shown
# as done nor left with rows; the next start_replica takes the snapshot
# again from a new point (the tables the stopped attempt finished are
# copied again, an existing PostgreSQL table it copied into is emptied
# first) and everything matches, rows written while the channel was
# stopped included.
#
# Part 3: a PostgreSQL table that already holds rows stops the snapshot
# with an error naming it and keeps its rows; emptied, it is copied into.

use strict;
use warnings;
use utf8;

use Encode qw(encode_utf8);
use JSON::PP ();
use Time::HiRes qw(time);

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

use MariaDBServer;
use ReplicaTest;
use SchemaCompare;

# Generous: a prompt stop takes well under a second.
my $stop_bound = 5;

# A snapshot of a few hundred MB may take a while on a small machine.
my $snapshot_timeout = 600;

my $maria = MariaDBServer->new(name => 'source');
$maria->start;
$maria->create_repl_user;

sub my_sql
{
	my ($sql) = @_;
	return $maria->sql(encode_utf8($sql));
}

# A node with PostGIS if it can be created there.  Returns ($node, $postgis).
sub snapshot_node
{
	my ($name) = @_;
	my $node = replica_node($name);
	my ($rc, $out, $err) = $node->psql('postgres', 'CREATE EXTENSION postgis');
	my $postgis = defined $rc && $rc == 0;
	diag "PostGIS not available on $name, geometry stays WKB: " . ($err // '')
	  unless $postgis;
	return ($node, $postgis);
}

# ---------------------------------------------------------------------------
# The source's tables
# ---------------------------------------------------------------------------

my_sql(
	q{
CREATE DATABASE snap CHARACTER SET utf8mb4;
CREATE DATABASE other CHARACTER SET utf8mb4;
CREATE DATABASE ctl;

CREATE TABLE snap.nums (
  id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
  ti tinyint, si smallint unsigned, mi mediumint, iv int, iu int unsigned,
  bi bigint, bu bigint unsigned, d decimal(20,6), f float, dbl double,
  UNIQUE KEY uq_iu (iu), KEY idx_bi (bi)
) ENGINE=InnoDB;

CREATE TABLE snap.times (
  id int NOT NULL PRIMARY KEY,
  da date, dt datetime(6), dt0 datetime, ts timestamp(6) NULL DEFAULT NULL,
  KEY idx_da (da)
) ENGINE=InnoDB;

CREATE TABLE snap.texts (
  id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
  c char(8), vc varchar(100) CHARACTER SET utf8mb4, tx text,
  l1 varchar(40) CHARACTER SET latin1,
  e enum('red','grün','blau'), s set('a','b','c','d'),
  KEY idx_vc (vc)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='texts in several charsets';

CREATE TABLE snap.bins (
  id int NOT NULL PRIMARY KEY,
  bn binary(4), vb varbinary(40), bl blob, mb mediumblob
) ENGINE=InnoDB;

CREATE TABLE snap.misc (
  id int NOT NULL PRIMARY KEY,
  bt bit(10), b1 bit(1), t time(6), tn time, j json,
  g point NOT NULL, area polygon,
  SPATIAL KEY sp_g (g)
) ENGINE=InnoDB;

CREATE TABLE snap.nokey (a int, b varchar(20)) ENGINE=InnoDB;

CREATE TABLE other.users (
  id int NOT NULL AUTO_INCREMENT,
  name varchar(50) NOT NULL,
  email varchar(100) NOT NULL,
  created datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  score decimal(5,2) NOT NULL DEFAULT 0.00 COMMENT 'points earned',
  PRIMARY KEY (id), UNIQUE KEY uq_email (email)
) ENGINE=InnoDB COMMENT='people';

CREATE TABLE other.memberships (
  user_id int NOT NULL, group_id int NOT NULL, since date,
  PRIMARY KEY (user_id, group_id)
) ENGINE=InnoDB;

CREATE TABLE ctl.writer (
  id int PRIMARY KEY, iterations int NOT NULL, stop tinyint NOT NULL);
INSERT INTO ctl.writer VALUES (1, 0, 0);
});

# Rows: generated from the sequence engine, plus rows at the edges.
my_sql(
	q{
SET time_zone = '+00:00';
INSERT INTO snap.nums (id, ti, si, mi, iv, iu, bi, bu, d, f, dbl)
SELECT seq, seq % 256 - 128, seq % 65536, seq * 277 % 16777216 - 8388608,
       seq * 71993 - 1000000000, seq * 104729,
       IF(seq % 2, -1, 1) * seq * 9007199254741,
       CAST(seq AS UNSIGNED) * 600000000000000,
       seq / 7 - 2000, seq / 3, seq * 1.1e-3
  FROM (SELECT CAST(seq AS SIGNED) AS seq FROM snap.seq_1_to_30000) AS s;
INSERT INTO snap.nums VALUES
  (30001, 127, 65535, 8388607, 2147483647, 4294967295,
   9223372036854775807, 18446744073709551615, 99999999999999.999999,
   3.40282e38, 1.7976931348623157e308),
  (30002, -128, 0, -8388608, -2147483648, 0,
   -9223372036854775808, 0, -99999999999999.999999,
   -3.40282e38, -2.2250738585072014e-308),
  (30003, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (30004, 0, 1, 0, 0, 1, 0, 9223372036854775808, 0.000001, 0.1, 0.1);

INSERT INTO snap.times
SELECT seq, '1970-01-01' + INTERVAL seq * 3 DAY,
       '2024-01-01 00:00:00' + INTERVAL seq * 1234567 MICROSECOND,
       '1999-12-31 23:00:00' + INTERVAL seq * 61 MINUTE,
       FROM_UNIXTIME(1000000000 + seq * 3607.123456)
  FROM (SELECT CAST(seq AS SIGNED) AS seq FROM snap.seq_1_to_5000) AS s;
INSERT INTO snap.times VALUES
  (5001, '1000-01-01', '1000-01-01 00:00:00.000000', '1000-01-01 00:00:00',
   '1970-01-01 00:00:01.000000'),
  (5002, '9999-12-31', '9999-12-31 23:59:59.999999', '9999-12-31 23:59:59',
   '2038-01-19 03:14:07.999999'),
  (5003, NULL, NULL, NULL, NULL);

INSERT INTO snap.texts (id, c, vc, tx, l1, e, s)
SELECT seq, CONCAT('c', seq % 1000),
       CONCAT('Grüße ', seq, ' 日本 😀'),
       IF(seq % 97 = 0, NULL, REPEAT(CONCAT('línea ', seq, ' '), seq % 20)),
       CONCAT('café ', seq, ' Ü'),
       ELT(1 + seq % 3, 'red', 'grün', 'blau'),
       MAKE_SET(seq % 16, 'a', 'b', 'c', 'd')
  FROM (SELECT CAST(seq AS SIGNED) AS seq FROM snap.seq_1_to_5000) AS s;
INSERT INTO snap.texts VALUES
  (5001, '', '', '', '', 'red', ''),
  (5002, NULL, NULL, NULL, NULL, NULL, NULL),
  (5003, 'a|b\\c', 'tab\there, newline\nhere', 'quote '' and "', 'ñ|ç',
   'blau', 'a,b,c,d');

INSERT INTO snap.bins
SELECT seq, UNHEX(LPAD(HEX(seq % 65536), 4, '0')),
       CONCAT(X'00', UNHEX(MD5(seq)), X'00FF'),
       IF(seq % 50 = 0, NULL, REPEAT(CONCAT(X'0000', CHAR(seq % 256)), seq % 50)),
       IF(seq % 500 = 0, REPEAT(UNHEX(MD5(seq)), 4096), NULL)
  FROM (SELECT CAST(seq AS SIGNED) AS seq FROM snap.seq_1_to_3000) AS s;
INSERT INTO snap.bins VALUES
  (3001, X'00000000', X'', X'', X''), (3002, NULL, NULL, NULL, NULL);

INSERT INTO snap.misc
SELECT seq, seq % 1024, seq % 2,
       SEC_TO_TIME(seq * 1000.5 - 1000000),
       SEC_TO_TIME(seq * 1500 - 1500000),
       CONCAT('{"k": ', seq, ', "name": "row ', seq, ' é", "tags": [',
              seq % 7, ', "x"]}'),
       POINT(seq, -seq / 2),
       IF(seq % 10 = 0,
          ST_GeomFromText(CONCAT('POLYGON((0 0,', seq, ' 0,', seq, ' ', seq,
                                 ',0 0))')),
          NULL)
  FROM (SELECT CAST(seq AS SIGNED) AS seq FROM snap.seq_1_to_2000) AS s;
INSERT INTO snap.misc VALUES
  (2001, b'1111111111', b'1', '838:59:59.000000', '-838:59:59', '[]',
   POINT(0, 0), NULL),
  (2002, NULL, NULL, NULL, NULL, NULL, POINT(-1.5, 2.25), NULL),
  (2003, b'0', b'0', '-00:00:00.000001', '00:00:00', 'null', POINT(1, 1),
   NULL);

INSERT INTO snap.nokey SELECT seq % 40, CONCAT('n', seq % 40) FROM snap.seq_1_to_100;
INSERT INTO snap.nokey VALUES (NULL, NULL), (NULL, NULL);

INSERT INTO other.users (id, name, email, created, score)
SELECT seq * 3, CONCAT('user ', seq), CONCAT('u', seq, '@example.org'),
       '2023-06-01 12:00:00' + INTERVAL seq HOUR, (seq % 1000) / 10
  FROM (SELECT CAST(seq AS SIGNED) AS seq FROM snap.seq_1_to_1000) AS s;
INSERT INTO other.memberships
SELECT u.seq * 3, g.seq, '2020-01-01' + INTERVAL u.seq DAY
  FROM snap.seq_1_to_1000 AS u JOIN snap.seq_1_to_3 AS g;
});

# The writer: short transactions on nums, texts and times until
# ctl.writer.stop is set.  Its updates add to values, so a change applied
# twice (or lost) leaves a different value.
my_sql(
	q{
DELIMITER //
CREATE PROCEDURE ctl.write_loop()
BEGIN
  DECLARE k int DEFAULT 0;
  WHILE (SELECT stop FROM ctl.writer WHERE id = 1) = 0 DO
    SET k = k + 1;
    START TRANSACTION;
    INSERT INTO snap.nums (ti, si, mi, iv, bi, bu, d, f, dbl)
      VALUES (k % 100, k, -k, k * 3, -k, k, k / 4, k / 8, k / 16);
    UPDATE snap.nums SET iv = iv + 1, d = d + 0.25
      WHERE id = 1 + (k * 7919) % 30000;
    COMMIT;
    DELETE FROM snap.nums WHERE id = 1 + (k * 104729) % 30000;
    START TRANSACTION;
    INSERT INTO snap.texts (c, vc, tx, l1, e, s)
      VALUES ('w', CONCAT('writer ', k, ' ü'), REPEAT('x', k % 100),
              CONCAT('é', k), 'grün', 'b,d');
    UPDATE snap.texts SET tx = CONCAT(IFNULL(tx, ''), '+')
      WHERE id = 1 + (k * 31) % 5000;
    UPDATE snap.times SET dt = dt + INTERVAL 1 SECOND,
      ts = ts + INTERVAL 1 MICROSECOND WHERE id = 1 + (k * 13) % 5000;
    DELETE FROM snap.times WHERE id = 5000 - k;
    UPDATE ctl.writer SET iterations = k WHERE id = 1;
    COMMIT;
    DO SLEEP(0.002);
  END WHILE;
END//
DELIMITER ;
});

is(my_sql('SELECT COUNT(*) FROM snap.nums'), '30004', '(30,004 rows in snap.nums)');

sub writer_iterations
{
	return my_sql('SELECT iterations FROM ctl.writer WHERE id = 1');
}

# Wait (at most $timeout s) for the writer to get past $n iterations.
sub writer_past
{
	my ($n, $timeout) = @_;
	my $deadline = time() + ($timeout // 60);
	while (time() < $deadline)
	{
		return 1 if writer_iterations() > $n;
		Time::HiRes::usleep(50_000);
	}
	return 0;
}

# The tables of the source that the snapshot must bring over.
my @snap_tables = qw(snap.bins snap.misc snap.nokey snap.nums snap.texts
  snap.times);
my @other_tables = qw(other.memberships other.users);

# Every table and every row of the source compared with a node.
sub compare_everything
{
	my ($node, $postgis, $label) = @_;

	foreach my $db (qw(snap other))
	{
		compare_schema($node, $maria, $db);
	}

	foreach my $t (qw(snap.nums snap.times snap.texts snap.bins snap.nokey),
		@other_tables)
	{
		my ($p, $m) = compare_table($node, $maria, $t);
		cmp_ok(scalar @$m, '>', 0, "$label: $t has rows on MariaDB");
		is_deeply($p, $m, "$label: every row of $t matches");
	}

	# snap.misc: types compare_table does not put in one text form.
	my @misc = (
		[ 'bit(10)', q{LPAD(BIN(bt + 0), 10, '0')}, 'bt' ],
		[ 'bit(1)',  q{BIN(b1 + 0)},                'b1' ],
		[
			'time(6) as microseconds',
			'CAST(TIME_TO_SEC(t) * 1000000 AS SIGNED)',
			'(extract(epoch FROM t) * 1000000)::bigint'
		],
		[ 'time as seconds', 'TIME_TO_SEC(tn)', 'extract(epoch FROM tn)::bigint' ],
		[ 'json', 'j', 'j::text' ],
		$postgis
		? (
			[
				'geometry point',
				q{CONCAT(ST_AsText(g), ' ', ST_SRID(g))},
				q{ST_AsText(g) || ' ' || ST_SRID(g)}
			],
			[ 'geometry polygon', 'ST_AsText(area)', 'ST_AsText(area)' ])
		: (
			[
				'geometry point as WKB', 'HEX(ST_AsWKB(g))',
				q{upper(encode(g, 'hex'))}
			],
			[
				'geometry polygon as WKB', 'HEX(ST_AsWKB(area))',
				q{upper(encode(area, 'hex'))}
			]));
	is(my_sql('SELECT COUNT(*) FROM snap.misc'), '2003',
		"$label: snap.misc has 2003 rows on MariaDB");
	foreach my $c (@misc)
	{
		my ($what, $mexpr, $pexpr) = @$c;
		my ($p, $m) =
		  compare_expr($node, $maria, 'snap', 'misc', 'id', $mexpr, $pexpr);
		is_deeply($p, $m, "$label: snap.misc $what values match");
	}

	# The columns of snap.nums that the writer adds to, on their own: a
	# change lost or applied twice shows here whatever the other columns do.
	foreach my $c ([ 'iv', 'iv', 'iv' ], [ 'd', 'd', 'd' ])
	{
		my ($col, $mexpr, $pexpr) = @$c;
		my ($p, $m) =
		  compare_expr($node, $maria, 'snap', 'nums', 'id', $mexpr, $pexpr);
		is_deeply($p, $m,
			"$label: snap.nums.$col (written during the snapshot) matches");
	}
	return;
}

# The channel's row of snapshot_progress for one source table, as a hashref
# (undef when there is none).
sub table_progress
{
	my ($node, $table, $channel) = @_;
	my ($db, $tab) = split /\./, $table;
	$channel //= 'default';
	my $json = $node->safe_psql('postgres',
		    'SELECT row_to_json(p) FROM mysql_replica.snapshot_progress p '
		  . 'WHERE channel = ' . sql_literal($channel)
		  . ' AND source_database = ' . sql_literal($db)
		  . ' AND source_table = ' . sql_literal($tab));
	return $json eq '' ? undef : JSON::PP->new->decode($json);
}

# ---------------------------------------------------------------------------
# Part 1: a snapshot under concurrent writes
# ---------------------------------------------------------------------------

my ($node, $postgis) = snapshot_node('replica');

my $writer = $maria->sql_background("CALL ctl.write_loop();\n");
ok(writer_past(20), 'the writer is running before the channel starts');

my $iter_before = writer_iterations();
configure_channel($node, $maria, initial_snapshot => 'true');
my $st = channel_status($node);
ok($st->{initial_snapshot}, 'status shows initial_snapshot');
ok( wait_for_state($node, [ 'streaming', 'applying' ], 'default',
		$snapshot_timeout),
	'the channel reaches state streaming after its snapshot');
my $iter_after = writer_iterations();
note "writer iterations: $iter_before when the channel started, "
  . "$iter_after when it streamed";
cmp_ok($iter_after, '>', $iter_before,
	'the writer committed transactions while the snapshot was taken');

# Let the writer go on a little while the channel streams, then stop it.
ok(writer_past($iter_after + 20), 'the writer goes on while the channel streams');
my_sql('UPDATE ctl.writer SET stop = 1 WHERE id = 1');
my ($wrc, $wout, $werr) = $maria->finish_background($writer);
is($wrc, 0, 'the writer ended without an error') or diag $werr;
ok(wait_caught_up($node, $maria), 'caught up after the writer stopped');

is(channel_status($node)->{state}, 'streaming',
	'the channel is streaming once the writer has stopped');
compare_everything($node, $postgis, 'part 1');
{
	my ($p, $m) = compare_table($node, $maria, 'ctl.writer');
	is_deeply($p, $m, 'ctl.writer (the writer\'s counter) matches');
}

# snapshot_progress: every source table, done, with its target.
my @all_tables = sort(@snap_tables, @other_tables, 'ctl.writer');
is( $node->safe_psql(
		'postgres', q{
		SELECT string_agg(source_database || '.' || source_table || ' '
		                  || state || ' ' || coalesce(target_table::text, '-'),
		                  E'\n' ORDER BY source_database, source_table)
		FROM mysql_replica.snapshot_progress WHERE channel = 'default'}),
	join("\n", map { "$_ done $_" } @all_tables),
	'snapshot_progress lists every source table as done, into the table of '
	  . 'the same name');
is( $node->safe_psql(
		'postgres', q{
		SELECT count(*) FROM mysql_replica.snapshot_progress
		WHERE channel = 'default'
		  AND (started_at IS NULL OR finished_at IS NULL
		       OR finished_at < started_at OR rows_estimated IS NULL
		       OR rows_estimated < 0)}),
	'0',
	'snapshot_progress: every table has started_at <= finished_at and a '
	  . 'row estimate');
is( $node->safe_psql(
		'postgres', q{
		SELECT count(*) FROM mysql_replica.snapshot_progress
		WHERE channel = 'default' AND rows_copied <= 0}),
	'0', 'snapshot_progress: rows were copied for every table');

# Tables the writer does not touch: rows_copied is their exact count.
foreach my $t (qw(snap.bins snap.misc snap.nokey other.users
	other.memberships))
{
	is(table_progress($node, $t)->{rows_copied},
		my_sql("SELECT COUNT(*) FROM $t"),
		"snapshot_progress: rows_copied of $t is its row count");
}

# Identity sequences are past the copied ids: the next id PostgreSQL hands
# out is free.  other.users got no rows after the snapshot, so its
# sequence was set by the snapshot alone.
foreach my $t (qw(other.users snap.nums snap.texts))
{
	is( $node->safe_psql(
			'postgres',
			"SELECT nextval(pg_get_serial_sequence('$t', 'id')) > max(id) "
			  . "FROM $t"),
		't',
		"the identity sequence of $t is past its largest copied id");
}

is( $node->safe_psql(
		'postgres', q{
		SELECT count(*) FROM pg_namespace
		WHERE nspname IN ('mysql', 'sys', 'performance_schema')}),
	'0', 'MariaDB\'s system databases are not copied');

# Streaming goes on after the snapshot: a row and a schema change.
my_sql(
	q{INSERT INTO other.users (name, email) VALUES ('late', 'late@example.org');
	  ALTER TABLE snap.nokey ADD COLUMN c int DEFAULT 7;
	  INSERT INTO snap.nokey VALUES (99, 'after', 8);});
ok(wait_caught_up($node, $maria), 'caught up after writes that follow the snapshot');
{
	my ($p, $m) = compare_table($node, $maria, 'other.users');
	is_deeply($p, $m, 'other.users matches after a row inserted after the snapshot');
}
compare_schema($node, $maria, 'snap', 'nokey');
{
	my ($p, $m) = compare_table($node, $maria, 'snap.nokey');
	is_deeply($p, $m, 'snap.nokey matches after an ALTER TABLE following the snapshot');
}

$node->stop;

# ---------------------------------------------------------------------------
# Part 2: stop_replica in the middle of a table's copy, then start again
# ---------------------------------------------------------------------------

my_sql(
	q{
CREATE DATABASE warehouse;
CREATE DATABASE app;
CREATE TABLE warehouse.wide (
  id int NOT NULL PRIMARY KEY, k int NOT NULL,
  a varchar(255), b varchar(255), c char(60), n decimal(12,2),
  KEY idx_k (k)
) ENGINE=InnoDB;
INSERT INTO warehouse.wide
SELECT seq, seq % 1000,
       REPEAT(MD5(seq), 7), CONCAT(REPEAT(SHA1(seq), 6), ' ä'),
       LEFT(SHA2(seq, 256), 60), seq / 100
  FROM (SELECT CAST(seq AS SIGNED) AS seq FROM snap.seq_1_to_300000) AS s;
CREATE TABLE app.settings (id int NOT NULL PRIMARY KEY, v varchar(20));
INSERT INTO app.settings SELECT seq, CONCAT('v', seq) FROM snap.seq_1_to_10;
});

# Count and a fingerprint of the rows of warehouse.wide (the sum of the
# first 60 bits of each row's MD5), computed by each side.
my $wide_row_maria = q{CONCAT_WS('|', id, k, a, b, c, n)};
my $wide_row_pg     = q{concat_ws('|', id, k, a, b, c::text, n)};

sub wide_fingerprint_maria
{
	return my_sql(
		"SELECT CONCAT(COUNT(*), ' ', SUM(CAST(CONV(
		   LEFT(MD5($wide_row_maria), 15), 16, 10) AS UNSIGNED)))
		 FROM warehouse.wide");
}

sub wide_fingerprint_pg
{
	my ($node) = @_;
	return $node->safe_psql(
		'postgres',
		"SELECT count(*) || ' ' || coalesce(sum(
		   ('x' || lpad(left(md5($wide_row_pg), 15), 16, '0'))::bit(64)::bigint),
		   0)
		 FROM warehouse.wide");
}

my ($node2, $postgis2) = snapshot_node('replica2');
# An existing empty table is copied into, keeping its PostgreSQL
# definition.  If the stop below comes after its copy, the next attempt
# must empty it first.
$node2->safe_psql(
	'postgres', q{
	CREATE SCHEMA app;
	CREATE TABLE app.settings (id int PRIMARY KEY, v varchar(20),
	  pg_note text DEFAULT 'made in PostgreSQL');});

configure_channel($node2, $maria, initial_snapshot => 'true');
ok( poll_until(
		$node2, q{SELECT rows_copied > 0 FROM mysql_replica.snapshot_progress
		          WHERE source_database = 'warehouse' AND source_table = 'wide'
		            AND state = 'copying'},
		't', 300),
	'the copy of warehouse.wide has begun');
is(channel_status($node2)->{state}, 'snapshot',
	'the channel is in state snapshot while it copies');
my $copied_before_stop =
  table_progress($node2, 'warehouse.wide')->{rows_copied};
# The tables finished before the stop: the next attempt must drop (or, for
# app.settings, empty) them and copy them again.
note 'tables done before the stop: '
  . $node2->safe_psql(
	'postgres', q{
	SELECT coalesce(string_agg(source_database || '.' || source_table, ', '
	                           ORDER BY source_database,
	                                    source_table), 'none')
	FROM mysql_replica.snapshot_progress WHERE state = 'done'});
my $t0 = time();
stop_channel($node2);
my $took = time() - $t0;
diag sprintf('stop_replica during the copy of warehouse.wide took %.0f ms '
	  . '(%s rows copied when it was called)',
	$took * 1000, $copied_before_stop);
cmp_ok($took, '<', $stop_bound, 'stop_replica during the copy returns promptly');

$st = channel_status($node2);
is($st->{state},      'stopped', 'after the stop: state is stopped');
is($st->{worker_pid}, undef,     'after the stop: no worker');
{
	my $prog = table_progress($node2, 'warehouse.wide');
	isnt(defined $prog ? $prog->{state} : 'no row', 'done',
		'after the stop: warehouse.wide is not shown as done');
	my $rows =
	  pg_table_exists($node2, 'warehouse', 'wide')
	  ? $node2->safe_psql('postgres', 'SELECT count(*) FROM warehouse.wide')
	  : 0;
	is($rows, 0, 'after the stop: warehouse.wide has no rows in PostgreSQL');
}

# Writes while the channel is stopped: the next snapshot, taken from a new
# point, has them.
my_sql(
	q{
INSERT INTO warehouse.wide SELECT seq, 7, 'added while stopped', NULL, NULL, NULL
  FROM snap.seq_300001_to_300100;
UPDATE warehouse.wide SET n = -n, a = 'changed while stopped' WHERE id <= 50;
DELETE FROM warehouse.wide WHERE id BETWEEN 1000 AND 1099;
INSERT INTO app.settings VALUES (11, 'eleven');
UPDATE snap.nums SET iv = 0 WHERE id <= 10;
INSERT INTO other.users (name, email) VALUES ('stopped', 's@example.org');
});

start_channel($node2);
ok( wait_for_state($node2, 'streaming', 'default', $snapshot_timeout),
	'started again: the snapshot completes and the channel streams');
ok(wait_caught_up($node2, $maria), 'started again: caught up');
is(wide_fingerprint_pg($node2), wide_fingerprint_maria(),
	'started again: warehouse.wide has the same row count and rows as '
	  . 'MariaDB');
compare_schema($node2, $maria, 'warehouse', 'wide');
compare_everything($node2, $postgis2, 'part 2');
{
	my ($p, $m) = compare_table($node2, $maria, 'app.settings');
	is_deeply($p, $m, 'started again: app.settings was copied into');
}
is( $node2->safe_psql('postgres',
		q{SELECT count(*) FROM app.settings WHERE pg_note = 'made in PostgreSQL'}),
	'11', 'the existing table kept its own definition and defaults');
is( $node2->safe_psql(
		'postgres', q{
		SELECT count(*) FROM mysql_replica.snapshot_progress
		WHERE channel = 'default' AND state <> 'done'}),
	'0', 'started again: every table of snapshot_progress is done');
is( $node2->safe_psql(
		'postgres', q{
		SELECT count(*) FROM mysql_replica.snapshot_progress
		WHERE source_database = 'warehouse' AND source_table = 'wide'}),
	'1', 'snapshot_progress lists warehouse.wide once');
is(table_progress($node2, 'warehouse.wide')->{rows_copied},
	'300000',
	'snapshot_progress: rows_copied of warehouse.wide is its row count');

$node2->stop;

# ---------------------------------------------------------------------------
# Part 3: a PostgreSQL table that already holds rows
# ---------------------------------------------------------------------------

my_sql(
	q{
CREATE DATABASE pre;
CREATE TABLE pre.items (id int PRIMARY KEY, name varchar(40));
INSERT INTO pre.items SELECT seq, CONCAT('item ', seq) FROM snap.seq_1_to_50;
});
my $node3 = replica_node('replica3');
$node3->safe_psql(
	'postgres', q{
	CREATE SCHEMA pre;
	CREATE TABLE pre.items (id int PRIMARY KEY, name varchar(40));
	INSERT INTO pre.items VALUES (999, 'only in PostgreSQL');});

configure_channel($node3, $maria,
	initial_snapshot => 'true',
	include_tables   => '{pre.%}');
ok(wait_for_state($node3, 'error', 'default', 120),
	'a non-empty existing table: the channel stops in state error');
$st = channel_status($node3);
like($st->{last_error}, qr/"pre"\."items"/, 'the error names the table');
like($st->{last_error}, qr/already holds rows/,
	'the error says the table holds rows');
is($node3->safe_psql('postgres', 'SELECT id, name FROM pre.items'),
	'999|only in PostgreSQL', 'the table keeps its own rows');

$node3->safe_psql('postgres', 'TRUNCATE pre.items');
start_channel($node3);
ok(wait_for_state($node3, 'streaming', 'default', 120),
	'emptied: the snapshot completes');
ok(wait_caught_up($node3, $maria), 'emptied: caught up');
{
	my ($p, $m) = compare_table($node3, $maria, 'pre.items');
	is(scalar @$p, 50, 'emptied: pre.items has the 50 source rows');
	is_deeply($p, $m, 'emptied: every row of pre.items matches');
}

$node3->stop;
$maria->stop;
done_testing();
