# 001_dml.pl
#
# Single-statement transactions on MariaDB replicate into PostgreSQL:
# INSERT, UPDATE (also of the primary key), DELETE, and one statement that
# touches many rows.

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
	'CREATE TABLE d.t (id int PRIMARY KEY, name varchar(50), qty int)');
$node->safe_psql('postgres',
	'CREATE TABLE d.t (id int PRIMARY KEY, name varchar(50), qty int)');

configure_channel($node, $maria);
ok(wait_for_state($node, [ 'streaming', 'applying' ]),
	'channel reaches state streaming');

sub pg_rows
{
	return $node->safe_psql('postgres',
		'SELECT id, name, qty FROM d.t ORDER BY id');
}

# INSERT
$maria->sql(q{INSERT INTO d.t VALUES (1, 'one', 10), (2, 'two', 20),
  (3, 'three', 30)});
ok(wait_caught_up($node, $maria), 'caught up after inserts');
is(pg_rows(), "1|one|10\n2|two|20\n3|three|30", 'inserted rows arrive');

# UPDATE of non-key columns
$maria->sql(q{UPDATE d.t SET qty = qty + 1 WHERE id IN (1, 2)});
$maria->sql(q{UPDATE d.t SET name = 'THREE' WHERE id = 3});
ok(wait_caught_up($node, $maria), 'caught up after updates');
is(pg_rows(), "1|one|11\n2|two|21\n3|THREE|30", 'updated values arrive');

# UPDATE of the primary key: the row is found by its old key.
$maria->sql(q{UPDATE d.t SET id = 30 WHERE id = 3});
ok(wait_caught_up($node, $maria), 'caught up after key update');
is(pg_rows(), "1|one|11\n2|two|21\n30|THREE|30",
	'update of the primary key moves the row');

# DELETE
$maria->sql(q{DELETE FROM d.t WHERE id = 2});
ok(wait_caught_up($node, $maria), 'caught up after delete');
is(pg_rows(), "1|one|11\n30|THREE|30", 'deleted row disappears');

# One statement writing many rows (several row events in one transaction).
$maria->sql(
	q{INSERT INTO d.t SELECT seq, CONCAT('row ', seq), seq % 97
	  FROM d.seq_100_to_5099});
ok(wait_caught_up($node, $maria), 'caught up after a 5000-row insert');
is($node->safe_psql('postgres', 'SELECT count(*), sum(qty) FROM d.t'),
	$maria->sql('SELECT CONCAT(count(*), \'|\', sum(qty)) FROM d.t'),
	'a 5000-row statement arrives whole');

$maria->sql(q{DELETE FROM d.t WHERE id >= 100 AND id % 2 = 0});
ok(wait_caught_up($node, $maria), 'caught up after a 2500-row delete');
my ($pg, $my) = compare_table($node, $maria, 'd.t');
is(scalar @$pg, 2502, 'row count after the mass delete');
is_deeply($pg, $my, 'every row matches after inserts, updates, deletes');

$node->stop;
$maria->stop;
done_testing();
