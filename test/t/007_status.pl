# 007_status.pl
#
# What the channel reports about itself: the mysql_replica.status view's
# source fields and counters, and the worker's entry in pg_stat_activity.

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
$maria->sql('CREATE TABLE d.t (id int PRIMARY KEY, v varchar(10))');
$node->safe_psql('postgres',
	'CREATE TABLE d.t (id int PRIMARY KEY, v varchar(10))');

my $st = channel_status($node);
ok(!defined $st || $st->{state} eq 'stopped',
	'an unconfigured channel is absent or stopped');

configure_channel($node, $maria);
ok(wait_for_state($node, [ 'streaming', 'applying' ]),
	'channel reaches state streaming');

# A first transaction, so that the counters have a baseline.
$maria->sql(q{INSERT INTO d.t VALUES (1, 'x')});
ok(wait_caught_up($node, $maria), 'caught up after first transaction');
my $before = channel_status($node);

# 5 transactions changing 13 rows (3 + 1 + 3 + 4 + 2).
$maria->sql(
	q{INSERT INTO d.t VALUES (2, 'a'), (3, 'b'), (4, 'c');
	  INSERT INTO d.t VALUES (5, 'd');
	  BEGIN; UPDATE d.t SET v = 'y' WHERE id IN (1, 2); DELETE FROM d.t WHERE id = 3; COMMIT;
	  UPDATE d.t SET v = 'z';
	  BEGIN; INSERT INTO d.t VALUES (6, 'e'); DELETE FROM d.t WHERE id = 6; COMMIT;});
ok(wait_caught_up($node, $maria), 'caught up after five transactions');
my $after = channel_status($node);

is($after->{transactions_applied} - $before->{transactions_applied},
	5, 'transactions_applied counts each applied transaction');
is($after->{rows_applied} - $before->{rows_applied},
	13, 'rows_applied counts each inserted, updated and deleted row');
cmp_ok($after->{events_received}, '>', $before->{events_received},
	'events_received grows');
cmp_ok($before->{events_received}, '>', 0, 'events_received is positive');

is($after->{source_host}, '127.0.0.1', 'source_host');
is($after->{source_port}, $maria->port, 'source_port');
my ($file, $pos) = $maria->master_status;
is($after->{source_log_file}, $file, 'source_log_file is the source binlog');
is($after->{source_log_pos}, $pos,
	'source_log_pos is the end of the last applied transaction');
my $gtid = $maria->gtid_binlog_pos;
like($after->{gtid_executed} // '', qr/(^|,)\Q$gtid\E(,|$)/,
	"gtid_executed contains the source's last GTID $gtid");
is($after->{last_error}, undef, 'no last_error while healthy');
cmp_ok($after->{connect_attempts}, '>=', 1, 'connect_attempts counted');

# The worker process.
my $pid = $after->{worker_pid};
ok(defined $pid && $pid > 0, 'worker_pid is set while running');
like(
	$node->safe_psql(
		'postgres',
		"SELECT backend_type FROM pg_stat_activity WHERE pid = $pid"),
	qr/^mysql_replica/,
	'worker shows in pg_stat_activity with a mysql_replica backend_type');

$node->stop;
$maria->stop;
done_testing();
