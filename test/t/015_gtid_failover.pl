# 015_gtid_failover.pl
#
# GTID auto-positioning follows the source through a failover.  MariaDB A
# is the source; MariaDB B replicates from A with its own binlog
# (log_slave_updates).  The channel streams from A with auto_position; a
# workload runs; A goes away; the channel is pointed at B and continues
# after the GTIDs it has applied; the workload continues on B.  In the end
# every row in PostgreSQL equals B's.  Also: stopping and starting the
# channel in the middle of a workload loses and doubles nothing, and a
# GTID state the source cannot continue stops the channel with an error
# that says so.

use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

use MariaDBServer;
use ReplicaTest;

my $a = MariaDBServer->new(name => 'a', server_id => 1);
$a->start;
$a->create_repl_user;

my $b = MariaDBServer->new(
	name       => 'b',
	server_id  => 2,
	extra_args => [ '--log-slave-updates=ON', '--gtid-strict-mode=ON' ]);
$b->start;

# B gets the replication user, like everything else, from A's binlog.

# B replicates from A by GTID, from A's very beginning.
$b->sql(
	sprintf(
		q{CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = %d,
		  MASTER_USER = 'repl', MASTER_PASSWORD = 'repl_password',
		  MASTER_USE_GTID = slave_pos;
		  START SLAVE;}, $a->port));

my $node = replica_node('replica');
create_database_both($node, $a, 'd');
$a->sql(
	q{CREATE TABLE d.acct (id int PRIMARY KEY, balance bigint NOT NULL,
	                      note varchar(40))});
$node->safe_psql('postgres',
	q{CREATE TABLE d.acct (id int PRIMARY KEY, balance bigint NOT NULL,
	                      note varchar(40))});

# Wait until B has everything A has.
sub b_caught_up
{
	my $want = $a->gtid_binlog_pos;
	foreach (1 .. 600)
	{
		return 1 if $b->sql('SELECT @@gtid_slave_pos') eq $want;
		select(undef, undef, undef, 0.1);
	}
	diag "B is at " . $b->sql('SELECT @@gtid_slave_pos') . ", A at $want";
	return 0;
}

# A deterministic stream of small transactions on the given server.
sub workload
{
	my ($server, $from, $to) = @_;
	my $sql = '';
	foreach my $i ($from .. $to)
	{
		my $k = $i % 50;
		$sql .= "BEGIN;\n"
		  . "INSERT INTO d.acct VALUES ($i, $i * 10, 'tx $i');\n"
		  . "UPDATE d.acct SET balance = balance + 1 WHERE id = $k;\n"
		  . ($i % 7 == 0 ? "DELETE FROM d.acct WHERE id = $i - 3;\n" : '')
		  . "COMMIT;\n";
	}
	$server->sql($sql);
	return;
}

ok(b_caught_up(), 'B replicates the schema from A');

configure_channel($node, $a, auto_position => 1);
ok(wait_for_state($node, [ 'streaming', 'applying' ]),
	'channel streams from A by GTID');

workload($a, 1, 300);
ok(wait_caught_up($node, $a), 'caught up with A');
is(channel_status($node)->{gtid_executed}, $a->gtid_binlog_pos,
	'gtid_executed is A\'s GTID state, in MariaDB\'s format');

# Stop and start the channel while a workload runs: nothing lost or doubled.
my $bg = $a->sql_background(
	join('',
		map { "INSERT INTO d.acct VALUES ($_, $_, 'bg');\n" } 1001 .. 1400));
foreach (1 .. 4)
{
	select(undef, undef, undef, 0.15);
	stop_channel($node);
	start_channel($node);
}
my ($rc) = $a->finish_background($bg);
is($rc, 0, 'background workload on A finished');
ok(wait_caught_up($node, $a), 'caught up with A after stops and starts');
my ($pg, $my) = compare_table($node, $a, 'd.acct');
is_deeply($pg, $my, 'every row equals A after stops and starts');

# Failover: A goes away once B has everything; the channel moves to B.
workload($a, 301, 400);
ok(b_caught_up(), 'B has all of A\'s transactions');
ok(wait_caught_up($node, $a), 'the channel has all of A\'s transactions');
$a->stop;
$b->sql('STOP SLAVE; RESET SLAVE ALL');
ok(wait_for_state($node, [ 'connecting', 'waiting to reconnect' ]),
	'the channel notices that A is gone');

stop_channel($node);
$node->safe_psql('postgres',
	sprintf(q{SELECT mysql_replica.change_source(host => '127.0.0.1', port => %d)},
		$b->port));
start_channel($node);
ok(wait_for_state($node, [ 'streaming', 'applying' ]),
	'channel streams from B');

workload($b, 401, 600);
ok(wait_caught_up($node, $b), 'caught up with B');
($pg, $my) = compare_table($node, $b, 'd.acct');
is_deeply($pg, $my, 'every row equals B after the failover');
my $st = channel_status($node);
is($st->{gtid_executed}, $b->gtid_binlog_pos,
	'gtid_executed is B\'s GTID state');
like($st->{gtid_executed}, qr/^0-2-\d+$/,
	'the last GTID is one of B\'s own transactions');

# A GTID state the source never had: the channel stops, saying why.
stop_channel($node);
$node->safe_psql('postgres',
	q{SELECT mysql_replica.change_source(gtid_executed => '0-2-999999')});
start_channel($node);
ok(wait_for_state($node, 'error'), 'unknown GTID state: state error');
like(
	channel_status($node)->{last_error},
	qr/cannot continue after GTID position 0-2-999999.*not in the master's binlog/,
	'unknown GTID state: the source\'s message and the position');

$node->stop;
$b->stop;
done_testing();
