# 006_source_restart.pl
#
# MariaDB goes away under a streaming channel, by a clean restart and by a
# crash (SIGKILL).  The channel reconnects by itself (connect_retry 1 s) and
# applies what is written after the restart, with no loss and no duplicate.

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

configure_channel($node, $maria, connect_retry => 1);
ok(wait_for_state($node, [ 'streaming', 'applying' ]),
	'channel reaches state streaming');

sub run_workload
{
	my ($first_id, $count) = @_;
	my ($sql) = workload_sql(
		database     => 'd',
		first_id     => $first_id,
		transactions => $count);
	$maria->sql($sql);
	return;
}

sub tables_match
{
	my ($what) = @_;
	foreach my $table (qw(accounts ledger))
	{
		my ($pg, $my) = compare_table($node, $maria, "d.$table");
		is_deeply($pg, $my, "$what: every row of d.$table matches");
	}
	return;
}

run_workload(1, 200);
ok(wait_caught_up($node, $maria), 'caught up before any restart');
tables_match('before restart');
my $attempts = channel_status($node)->{connect_attempts};

# --- clean restart ------------------------------------------------------------
my ($file_before) = $maria->master_status;
$maria->restart;
my ($file_after) = $maria->master_status;
isnt($file_after, $file_before, 'the restart began a new binlog file');

run_workload(201, 200);
ok(wait_caught_up($node, $maria), 'caught up after MariaDB restart');
is(channel_status($node)->{source_log_file},
	$file_after, 'the channel follows into the new binlog file');
cmp_ok(channel_status($node)->{connect_attempts},
	'>', $attempts, 'the channel reconnected after the restart');
tables_match('after restart');

# --- crash ----------------------------------------------------------------------
$maria->kill9;
$maria->start;
run_workload(401, 200);
ok(wait_caught_up($node, $maria), 'caught up after MariaDB crash');
tables_match('after crash');
is($node->safe_psql('postgres', 'SELECT max(id) FROM d.ledger'),
	'600', 'the last transaction arrived');

$node->stop;
$maria->stop;
done_testing();
