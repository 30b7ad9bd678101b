# 005_pg_crash.pl
#
# PostgreSQL crashes (immediate shutdown) while the channel is applying a
# running workload.  After PostgreSQL starts again the channel runs again by
# itself and ends with every row exactly as on MariaDB: nothing lost,
# nothing applied twice.

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
create_workload_tables($node, $maria, 'd');

configure_channel($node, $maria);
ok(wait_for_state($node, [ 'streaming', 'applying' ]),
	'channel reaches state streaming');

# About 3000 transactions with short pauses, so that it still runs when
# PostgreSQL goes down.
my ($workload, $txns) = workload_sql(
	database     => 'd',
	transactions => 3000,
	pause_every  => 25,
	pause        => 0.05);
my $bg = $maria->sql_background($workload);

# Crash once some transactions have been applied.
ok( poll_until(
		$node,
		q{SELECT transactions_applied >= 200 FROM mysql_replica.status
		  WHERE channel = 'default'}),
	'channel applies part of the workload');
my $applied_before = channel_status($node)->{transactions_applied};
diag "workload still running at crash: "
  . ($maria->background_running($bg) ? 'yes' : 'no');
$node->stop('immediate');

# The workload keeps writing while PostgreSQL is down.
$node->start;
ok(wait_for_state($node, [ 'connecting', 'streaming', 'applying' ]),
	'after the crash the channel runs again without start_replica');

my ($rc, $out, $err) = $maria->finish_background($bg);
is($rc, 0, 'workload completed on MariaDB') or diag $err;

ok(wait_caught_up($node, $maria, 'default', 180),
	'caught up after the crash');

foreach my $table (qw(accounts ledger))
{
	my ($pg, $my) = compare_table($node, $maria, "d.$table");
	ok(scalar @$my > 0, "d.$table has rows");
	is_deeply($pg, $my,
		"every row of d.$table matches: no loss, no duplicate");
}
is( $node->safe_psql(
		'postgres', 'SELECT sum(balance) FROM d.accounts'),
	$maria->sql('SELECT sum(balance) FROM d.accounts'),
	'account balances add up to the same total');

$node->stop;
$maria->stop;
done_testing();
