# 010_savepoint.pl
#
# Transactions that use savepoints on the source.  MariaDB writes the
# SAVEPOINT statement into the transaction in the binlog, so the replica
# must take it as part of the transaction rather than as DDL.  A part rolled
# back to a savepoint must not arrive.

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
$maria->sql('CREATE TABLE d.t (id int PRIMARY KEY, v varchar(20))');
$node->safe_psql('postgres',
	'CREATE TABLE d.t (id int PRIMARY KEY, v varchar(20))');

configure_channel($node, $maria);
ok(wait_for_state($node, [ 'streaming', 'applying' ]),
	'channel reaches state streaming');

sub rows
{
	return $node->safe_psql('postgres', 'SELECT id, v FROM d.t ORDER BY id');
}

# Rolled back to a savepoint, then committed.
$maria->sql(
	q{BEGIN;
	  INSERT INTO d.t VALUES (1, 'kept');
	  SAVEPOINT s1;
	  INSERT INTO d.t VALUES (2, 'rolled back');
	  ROLLBACK TO SAVEPOINT s1;
	  COMMIT;});
ok(wait_caught_up($node, $maria), 'caught up after rollback to savepoint');
is(rows(), '1|kept', 'rollback to savepoint leaves out the rolled-back part');

# A savepoint still set at COMMIT.
$maria->sql(
	q{BEGIN;
	  INSERT INTO d.t VALUES (10, 'before');
	  SAVEPOINT s2;
	  INSERT INTO d.t VALUES (11, 'after');
	  COMMIT;});
ok(wait_caught_up($node, $maria), 'caught up after a transaction with a savepoint');
is(rows(), "1|kept\n10|before\n11|after",
	'transaction with a savepoint applies whole');

my ($pg, $my) = compare_table($node, $maria, 'd.t');
is_deeply($pg, $my, 'every row matches');

$node->stop;
$maria->stop;
done_testing();
