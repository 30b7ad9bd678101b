# 009_missing_table.pl
#
# A row change for a table that does not exist in PostgreSQL, whose CREATE
# TABLE came before the channel's start position, and whose table map
# carries no column names to create it from (binlog_row_metadata=MINIMAL),
# stops the channel in state 'error' with a last_error that names the
# table.  Once the table exists, restarting the channel applies the
# transaction it stopped at.

use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

use MariaDBServer;
use ReplicaTest;

my $maria = MariaDBServer->new(
	name       => 'source',
	extra_args => ['--binlog-row-metadata=MINIMAL']);
$maria->start;
$maria->create_repl_user;

my $node = replica_node('replica');
create_database_both($node, $maria, 'd');
$maria->sql(
	q{CREATE TABLE d.present (id int PRIMARY KEY, v int);
	  CREATE TABLE d.no_such_target (id int PRIMARY KEY, v int);});
$node->safe_psql('postgres',
	'CREATE TABLE d.present (id int PRIMARY KEY, v int)');

configure_channel($node, $maria);
ok(wait_for_state($node, [ 'streaming', 'applying' ]),
	'channel reaches state streaming');

$maria->sql('INSERT INTO d.present VALUES (1, 1)');
ok(wait_caught_up($node, $maria), 'caught up before the bad transaction');
my ($good_file, $good_pos) = $maria->master_status;

# One transaction writing both tables: none of it may be applied.
$maria->sql(
	q{BEGIN;
	  INSERT INTO d.present VALUES (2, 2);
	  INSERT INTO d.no_such_target VALUES (1, 1);
	  COMMIT;});

ok(wait_for_state($node, 'error'), 'channel goes to state error');
my $st = channel_status($node);
like($st->{last_error}, qr/no_such_target/, 'last_error names the table');
like($st->{last_error}, qr/carries no column names/,
	'last_error says what would let the replica create it');
ok(defined $st->{last_error_time}, 'last_error_time is set');
is($st->{source_log_pos}, $good_pos,
	'the position stays at the end of the last applied transaction');
is($node->safe_psql('postgres', 'SELECT count(*) FROM d.present'),
	'1', 'nothing of the failed transaction is applied');

# Repair and restart.
$node->safe_psql('postgres',
	'CREATE TABLE d.no_such_target (id int PRIMARY KEY, v int)');
stop_channel($node);
start_channel($node);
ok(wait_caught_up($node, $maria), 'caught up after creating the table');
foreach my $table (qw(present no_such_target))
{
	my ($pg, $my) = compare_table($node, $maria, "d.$table");
	is_deeply($pg, $my, "every row of d.$table matches after the repair");
}

$node->stop;
$maria->stop;
done_testing();
