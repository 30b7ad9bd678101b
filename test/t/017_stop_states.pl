# 017_stop_states.pl
#
# stop_replica returns promptly (within a generous bound) and leaves the
# channel stopped with no worker in the busy states that 004_stop.pl does
# not cover:
#
#   - in the middle of applying a one-million-row source transaction: the
#     half-applied transaction is rolled back (PostgreSQL has none of its
#     rows), and a start applies all of them, exactly;
#   - while the event queue is full behind a slow applier (a trigger that
#     sleeps per row, mysql_replica.queue_size = 1MB): the reader thread is
#     seen waiting for room in the queue before the stop.

use strict;
use warnings;

use Time::HiRes qw(time usleep);

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
$maria->sql(
	q{CREATE TABLE d.big (id int PRIMARY KEY, v int);
	  CREATE TABLE d.slow (id int PRIMARY KEY, v int);});
$node->safe_psql(
	'postgres', q{
	CREATE TABLE d.big (id int PRIMARY KEY, v int);
	CREATE TABLE d.slow (id int PRIMARY KEY, v int);
	CREATE FUNCTION d.crawl() RETURNS trigger LANGUAGE plpgsql AS
	  $$BEGIN PERFORM pg_sleep(0.0005); RETURN NEW; END$$;
	CREATE TRIGGER crawl BEFORE INSERT ON d.slow
	  FOR EACH ROW EXECUTE FUNCTION d.crawl();});

# A small event queue, so that the slow applier fills it quickly.
$node->safe_psql('postgres',
	"ALTER SYSTEM SET mysql_replica.queue_size = '1MB'");
$node->reload;
ok( poll_until(
		$node, q{SELECT current_setting('mysql_replica.queue_size')},
		'1MB'),
	'queue_size is 1MB after the reload');

configure_channel($node, $maria);
ok(wait_for_state($node, [ 'streaming', 'applying' ]),
	'channel reaches state streaming');

# stop_replica, timed; checks that the channel is stopped with no worker
# and that the worker process is gone.
sub timed_stop
{
	my ($what) = @_;
	my $pid = channel_status($node)->{worker_pid};
	my $t0 = time();
	stop_channel($node);
	my $took = time() - $t0;
	diag sprintf('%s: stop_replica took %.3f s', $what, $took);
	cmp_ok($took, '<', $stop_bound, "$what: stop_replica returns promptly");
	my $st = channel_status($node);
	is($st->{state},      'stopped', "$what: state is stopped");
	is($st->{worker_pid}, undef,     "$what: worker_pid is NULL");
	is( $node->safe_psql(
			'postgres',
			"SELECT count(*) FROM pg_stat_activity WHERE pid = $pid"),
		'0',
		"$what: the worker has left pg_stat_activity");
	return;
}

# count, sums and mismatches of a (id, v) table, on either side.
my $summary_sql =
  'SELECT COUNT(*), COALESCE(SUM(id), 0), COALESCE(SUM(v), 0), '
  . 'COALESCE(SUM(CAST(id AS DECIMAL(40)) * v), 0), '
  . 'COALESCE(SUM(CASE WHEN id <> v THEN 1 ELSE 0 END), 0) FROM ';

sub pg_summary
{
	my ($table) = @_;
	return join '|', split /\|/,
	  $node->safe_psql('postgres', $summary_sql . $table);
}

sub maria_summary
{
	my ($table) = @_;
	return join '|', split /\t/, $maria->sql($summary_sql . $table);
}

# ============================================================================
# Stop in the middle of applying a one-million-row transaction.
# ============================================================================
# events_received counts events as the applier takes them, also inside a
# transaction (rows_applied moves only at commit).
my $events = channel_status($node)->{events_received};
my $bg = $maria->sql_background(
	"USE d;\nINSERT INTO big SELECT seq, seq FROM seq_1_to_1000000;\n");
ok( poll_until(
		$node,
		q{SELECT state = 'applying' AND events_received >= } . ($events + 50)
		  . q{ FROM mysql_replica.status WHERE channel = 'default'},
		't', 180),
	'big: the channel is applying the million-row transaction');
my ($rc, undef, $err) = $maria->finish_background($bg);
is($rc, 0, 'big: the transaction committed on MariaDB') or diag $err;
timed_stop('big');
is($node->safe_psql('postgres', 'SELECT count(*) FROM d.big'),
	'0', 'big: the half-applied transaction was rolled back');

start_channel($node);
ok(wait_caught_up($node, $maria, 'default', 300),
	'big: caught up after the start');
is(pg_summary('d.big'), maria_summary('d.big'),
	'big: all million rows applied exactly');
is(pg_summary('d.big'),
	'1000000|500000500000|500000500000|333333833333500000|0',
	'big: the expected million rows');

# ============================================================================
# Stop while the event queue is full behind a slow applier.
# ============================================================================

# The threads of the worker other than its main thread, with what they
# wait in (the kernel's wchan).
sub producer_waits
{
	my ($pid) = @_;
	my @waits;
	opendir(my $dh, "/proc/$pid/task") or return ();
	foreach my $tid (grep { /^\d+$/ && $_ != $pid } readdir $dh)
	{
		my $wchan = eval { slurp_file("/proc/$pid/task/$tid/wchan") } // '';
		push @waits, $wchan;
	}
	closedir $dh;
	return @waits;
}

# 500,000 rows of about 10 binlog bytes each: several times the queue.
$events = channel_status($node)->{events_received};
$maria->sql("USE d;\nINSERT INTO slow SELECT seq, seq FROM seq_1_to_500000");
ok( poll_until(
		$node,
		q{SELECT state = 'applying' AND events_received >= } . ($events + 2)
		  . q{ FROM mysql_replica.status WHERE channel = 'default'},
		't', 120),
	'queue full: the channel is applying the slow transaction');
my $pid = channel_status($node)->{worker_pid};

# A full queue: the reader thread waits on its condition variable (a
# futex), not in poll() for the socket.
my $deadline = time() + 60;
my @waits;
while (time() < $deadline)
{
	@waits = producer_waits($pid);
	last if grep { /futex/ } @waits;
	usleep(100_000);
}
ok(scalar(grep { /futex/ } @waits),
	'queue full: the reader thread waits for room in the queue')
  or diag 'reader thread waits in: ' . join(', ', @waits);
is(channel_status($node)->{state}, 'applying',
	'queue full: still applying');
timed_stop('queue full');
is($node->safe_psql('postgres', 'SELECT count(*) FROM d.slow'),
	'0', 'queue full: the half-applied transaction was rolled back');

# Without the brake, a start applies the whole transaction.
$node->safe_psql('postgres', 'DROP TRIGGER crawl ON d.slow');
start_channel($node);
ok(wait_caught_up($node, $maria, 'default', 300),
	'queue full: caught up after the start');
is(pg_summary('d.slow'), maria_summary('d.slow'),
	'queue full: every row applied exactly');

$node->stop;
$maria->stop;
done_testing();
