# 011_apply_errors.pl
#
# Errors while applying: a row that an UPDATE or DELETE cannot find, a
# column missing in PostgreSQL, a value that does not fit its column.  Each
# rolls back the whole source transaction and stops the channel in state
# 'error' with the table, the key or column, and the binlog position; the
# channel then either retries after a repair or skips exactly the failing
# transaction with skip_transaction().  Also the idempotent exec_mode, and
# tables without a primary key.

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
$maria->sql(
	q{CREATE TABLE d.acct (id int PRIMARY KEY, v int);
	  CREATE TABLE d.wide (id int PRIMARY KEY, v int, extra int);
	  CREATE TABLE d.small (id int PRIMARY KEY, v int);
	  CREATE TABLE d.nokey (a int, b varchar(10));});
$node->safe_psql(
	'postgres',
	q{CREATE TABLE d.acct (id int PRIMARY KEY, v int);
	  CREATE TABLE d.wide (id int PRIMARY KEY, v int);
	  CREATE TABLE d.small (id int PRIMARY KEY, v smallint);
	  CREATE TABLE d.nokey (a int, b varchar(10));});

configure_channel($node, $maria);
ok(wait_for_state($node, [ 'streaming', 'applying' ]),
	'channel reaches state streaming');

sub pg_rows
{
	my ($table) = @_;
	return $node->safe_psql('postgres',
		"SELECT * FROM $table ORDER BY 1, 2");
}

# --- an UPDATE of a row that PostgreSQL lacks -------------------------------
$maria->sql('INSERT INTO d.acct VALUES (1, 10), (2, 20)');
ok(wait_caught_up($node, $maria), 'caught up before the divergence');
$node->safe_psql('postgres', 'DELETE FROM d.acct WHERE id = 2');
my (undef, $good_pos) = $maria->master_status;

$maria->sql(
	q{BEGIN;
	  UPDATE d.acct SET v = 11 WHERE id = 1;
	  UPDATE d.acct SET v = 21 WHERE id = 2;
	  COMMIT;});
ok(wait_for_state($node, 'error'), 'missing row: state error');
my $st = channel_status($node);
like($st->{last_error}, qr/could not find the row to update in table d\.acct/,
	'missing row: last_error says what failed and where');
like($st->{last_error}, qr/\(id\)=\(2\)/, 'missing row: last_error has the key');
like($st->{last_error}, qr/binlog position binlog\.\d+:\d+/,
	'missing row: last_error has the binlog position');
like($st->{last_error}, qr/in transaction 0-1-\d+/,
	'missing row: last_error has the GTID');
is($st->{source_log_pos}, $good_pos, 'missing row: position not moved');
is(pg_rows('d.acct'), '1|10', 'missing row: the transaction is rolled back whole');

# Repair by hand, then start again: the transaction is retried.
$node->safe_psql('postgres', 'INSERT INTO d.acct VALUES (2, 20)');
start_channel($node);
ok(wait_caught_up($node, $maria), 'missing row: caught up after the repair');
is(pg_rows('d.acct'), "1|11\n2|21", 'missing row: retried transaction applied');

# --- a DELETE of a missing row, skipped with skip_transaction() ------------
$node->safe_psql('postgres', 'DELETE FROM d.acct WHERE id = 2');
$maria->sql('DELETE FROM d.acct WHERE id = 2');
$maria->sql('INSERT INTO d.acct VALUES (3, 30)');
ok(wait_for_state($node, 'error'), 'skip: state error');
like(channel_status($node)->{last_error},
	qr/could not find the row to delete/, 'skip: the delete failed');
$node->safe_psql('postgres', q{SELECT mysql_replica.skip_transaction()});
is(channel_status($node)->{skip_pending}, 1, 'skip: pending');
start_channel($node);
ok(wait_caught_up($node, $maria), 'skip: caught up');
is(pg_rows('d.acct'), "1|11\n3|30",
	'skip: exactly the failing transaction was skipped');
is(channel_status($node)->{skip_pending}, 0, 'skip: no longer pending');
ok( $node->log_contains(
		qr/skipped the source transaction ending at binlog\.\d+:\d+/),
	'skip: recorded in the log');

# --- a column PostgreSQL lacks ---------------------------------------------
$maria->sql('INSERT INTO d.wide VALUES (1, 1, 1)');
ok(wait_for_state($node, 'error'), 'missing column: state error');
like(
	channel_status($node)->{last_error},
	qr/column "extra" of table "d"\."wide" does not exist in PostgreSQL/,
	'missing column: last_error names the column and table');
$node->safe_psql('postgres', 'ALTER TABLE d.wide ADD COLUMN extra int');
start_channel($node);
ok(wait_caught_up($node, $maria), 'missing column: caught up after the repair');
is(pg_rows('d.wide'), '1|1|1', 'missing column: row applied');

# --- a value that does not fit ---------------------------------------------
$maria->sql('INSERT INTO d.small VALUES (1, 100000)');
ok(wait_for_state($node, 'error'), 'out of range: state error');
like(channel_status($node)->{last_error},
	qr/out of range for type smallint.*d"\."small"/s,
	'out of range: PostgreSQL error and the table');
is(pg_rows('d.small'), '', 'out of range: nothing stored');
$node->safe_psql('postgres', 'ALTER TABLE d.small ALTER v TYPE integer');
start_channel($node);
ok(wait_caught_up($node, $maria), 'out of range: caught up after widening');
is(pg_rows('d.small'), '1|100000', 'out of range: the exact value arrives');

# --- tables without a primary key ------------------------------------------
$maria->sql(
	q{INSERT INTO d.nokey VALUES (1, 'a'), (1, 'a'), (2, NULL);
	  UPDATE d.nokey SET b = 'b' WHERE a = 1 LIMIT 1;
	  DELETE FROM d.nokey WHERE b IS NULL;});
ok(wait_caught_up($node, $maria), 'no key: caught up');
my ($pg, $my) = compare_table($node, $maria, 'd.nokey');
is_deeply($pg, $my, 'no key: duplicates and NULLs handled row by row');

# --- idempotent mode --------------------------------------------------------
stop_channel($node);
$node->safe_psql('postgres',
	q{SELECT mysql_replica.change_source(exec_mode => 'idempotent')});
start_channel($node);
$node->safe_psql('postgres',
	q{INSERT INTO d.acct VALUES (4, 0); DELETE FROM d.acct WHERE id = 3});
$maria->sql(
	q{INSERT INTO d.acct VALUES (4, 40);
	  UPDATE d.acct SET v = 31 WHERE id = 3;
	  DELETE FROM d.acct WHERE id = 1;});
ok(wait_caught_up($node, $maria), 'idempotent: caught up, no error');
is(pg_rows('d.acct'), '4|40',
	'idempotent: insert of an existing row updated it, missing rows skipped');
is(channel_status($node)->{rows_skipped}, 1,
	'idempotent: the skipped update is counted');

$node->stop;
$maria->stop;
done_testing();
