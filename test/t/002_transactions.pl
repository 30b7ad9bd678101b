# 002_transactions.pl
#
# Transaction boundaries: a transaction with several statements, one that
# writes to several tables, and a transaction rolled back on the source,
# which must leave nothing behind.  (Savepoints: 010_savepoint.pl.)

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
foreach my $t (qw(a b))
{
	$maria->sql("CREATE TABLE d.$t (id int PRIMARY KEY, v varchar(20))");
	$node->safe_psql('postgres',
		"CREATE TABLE d.$t (id int PRIMARY KEY, v varchar(20))");
}

configure_channel($node, $maria);
ok(wait_for_state($node, [ 'streaming', 'applying' ]),
	'channel reaches state streaming');

sub rows
{
	my ($table) = @_;
	return $node->safe_psql('postgres',
		"SELECT id, v FROM d.$table ORDER BY id");
}

# Several statements on one table in one transaction.
$maria->sql(
	q{BEGIN;
	  INSERT INTO d.a VALUES (1, 'a1'), (2, 'a2'), (3, 'a3');
	  UPDATE d.a SET v = 'a2 changed' WHERE id = 2;
	  DELETE FROM d.a WHERE id = 3;
	  INSERT INTO d.a VALUES (4, 'a4');
	  COMMIT;});
ok(wait_caught_up($node, $maria), 'caught up after multi-statement transaction');
is(rows('a'), "1|a1\n2|a2 changed\n4|a4",
	'multi-statement transaction applies every statement in order');

# One transaction writing two tables.
$maria->sql(
	q{BEGIN;
	  INSERT INTO d.b VALUES (10, 'b10'), (11, 'b11');
	  UPDATE d.a SET v = 'a1 changed' WHERE id = 1;
	  DELETE FROM d.b WHERE id = 11;
	  COMMIT;});
ok(wait_caught_up($node, $maria), 'caught up after multi-table transaction');
is(rows('a'), "1|a1 changed\n2|a2 changed\n4|a4",
	'multi-table transaction: first table');
is(rows('b'), "10|b10", 'multi-table transaction: second table');

# A transaction rolled back on the source leaves nothing behind.
my $before = channel_status($node);
$maria->sql(
	q{BEGIN;
	  INSERT INTO d.a VALUES (100, 'never');
	  UPDATE d.b SET v = 'never' WHERE id = 10;
	  DELETE FROM d.a WHERE id = 1;
	  ROLLBACK;});
# A later committed transaction, so that catching up proves the rolled-back
# range has been read past.
$maria->sql(q{INSERT INTO d.b VALUES (40, 'after rollback')});
ok(wait_caught_up($node, $maria), 'caught up after a rolled-back transaction');
is(rows('a'), "1|a1 changed\n2|a2 changed\n4|a4",
	'rolled-back transaction changes nothing in the first table');
is(rows('b'), "10|b10\n40|after rollback",
	'rolled-back transaction changes nothing in the second table');
my $after = channel_status($node);
is($after->{transactions_applied} - $before->{transactions_applied},
	1, 'only the committed transaction counts as applied');

foreach my $t (qw(a b))
{
	my ($pg, $my) = compare_table($node, $maria, "d.$t");
	is_deeply($pg, $my, "every row of d.$t matches");
}

$node->stop;
$maria->stop;
done_testing();
