# 004_stop.pl
#
# stop_replica returns promptly whatever the worker is doing: idle while
# streaming, waiting to reconnect to a port where nothing listens, or stuck
# in the connection handshake with a server that never answers.  A stopped
# channel started again goes on from where it stopped.

use strict;
use warnings;

use IO::Select;
use IO::Socket::INET;
use Time::HiRes qw(time);

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

use MariaDBServer;
use ReplicaTest;

# Generous: a prompt stop takes well under a second.
my $stop_bound = 5;

my $maria = MariaDBServer->new(name => 'source');
$maria->start;
$maria->create_repl_user;

my $node = replica_node('replica');
create_database_both($node, $maria, 'd');
$maria->sql('CREATE TABLE d.t (id int PRIMARY KEY, v int)');
$node->safe_psql('postgres', 'CREATE TABLE d.t (id int PRIMARY KEY, v int)');

# Time stop_replica on a channel; returns seconds taken.
sub timed_stop
{
	my ($channel) = @_;
	my $t0 = time();
	stop_channel($node, $channel);
	return time() - $t0;
}

sub stopped_cleanly
{
	my ($channel, $what) = @_;
	my $st = channel_status($node, $channel);
	is($st->{state}, 'stopped', "$what: state is stopped");
	is($st->{worker_pid}, undef, "$what: worker_pid is NULL");
	return;
}

# --- stop while idle --------------------------------------------------------
configure_channel($node, $maria);
ok(wait_for_state($node, [ 'streaming', 'applying' ]),
	'idle: channel streaming');
$maria->sql('INSERT INTO d.t VALUES (1, 1), (2, 2)');
ok(wait_caught_up($node, $maria), 'idle: caught up');
my $pid = channel_status($node)->{worker_pid};

my $took = timed_stop('default');
cmp_ok($took, '<', $stop_bound, 'stop while idle returns quickly');
stopped_cleanly('default', 'stop while idle');
is( $node->safe_psql(
		'postgres', "SELECT count(*) FROM pg_stat_activity WHERE pid = $pid"),
	'0',
	'stop while idle: the worker has left pg_stat_activity');

# --- start after stop resumes from the stopped position ----------------------
$maria->sql('INSERT INTO d.t VALUES (3, 3); UPDATE d.t SET v = 20 WHERE id = 2');
start_channel($node);
ok(wait_caught_up($node, $maria), 'restart: caught up again');
my ($pg, $my) = compare_table($node, $maria, 'd.t');
is_deeply($pg, $my,
	'start after stop applies what was written while stopped, once');
is($node->safe_psql('postgres', 'SELECT count(*) FROM d.t'),
	'3', 'restart: no row lost or doubled');
$took = timed_stop('default');
cmp_ok($took, '<', $stop_bound, 'second stop returns quickly');

# --- stop while waiting to reconnect to a closed port ------------------------
# A reserved port where nothing listens: every connection attempt is refused
# at once, and the worker then waits connect_retry (60 s) before the next.
my $closed_port = PostgreSQL::Test::Cluster::get_free_port();
configure_channel($node, undef,
	channel       => 'unreachable',
	host          => '127.0.0.1',
	port          => $closed_port,
	connect_retry => 60);
ok( poll_until(
		$node,
		q{SELECT connect_attempts >= 1 FROM mysql_replica.status
		  WHERE channel = 'unreachable'}),
	'unreachable: a connection attempt was made');
ok( wait_for_state($node, [ 'connecting', 'waiting to reconnect' ],
		'unreachable'),
	'unreachable: channel is connecting or waiting to reconnect');
my $st = channel_status($node, 'unreachable');
ok(defined $st->{last_error} && $st->{last_error} ne '',
	'unreachable: the failed connection is reported in last_error');
$took = timed_stop('unreachable');
cmp_ok($took, '<', $stop_bound,
	'stop while waiting to reconnect (connect_retry 60) returns quickly');
stopped_cleanly('unreachable', 'stop while waiting to reconnect');

# --- stop while stuck in the handshake ---------------------------------------
# A socket that listens but never accepts: the kernel completes the TCP
# handshake, and the MariaDB greeting never comes.
my $silent_port = PostgreSQL::Test::Cluster::get_free_port();
my $silent      = IO::Socket::INET->new(
	LocalAddr => '127.0.0.1',
	LocalPort => $silent_port,
	Proto     => 'tcp',
	Listen    => 5,
	ReuseAddr => 1) or die "cannot listen on $silent_port: $!";
configure_channel($node, undef,
	channel       => 'silent',
	host          => '127.0.0.1',
	port          => $silent_port,
	connect_retry => 60);
ok( IO::Select->new($silent)->can_read($ReplicaTest::default_timeout),
	'silent: the worker has opened a connection');
ok(wait_for_state($node, 'connecting', 'silent'),
	'silent: channel is connecting');
$took = timed_stop('silent');
cmp_ok($took, '<', $stop_bound,
	'stop while the handshake hangs returns quickly');
stopped_cleanly('silent', 'stop while the handshake hangs');
close $silent;

# The first channel was not disturbed by the other two.
is(channel_status($node)->{state}, 'stopped', 'default channel still stopped');

$node->stop;
$maria->stop;
done_testing();
