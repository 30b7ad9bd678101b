# 016_faults.pl
#
# Faults around a running channel, and what the channel does about each:
#
#   - the worker killed (SIGKILL, crash restart), terminated
#     (pg_terminate_backend), PostgreSQL stopped fast, and the postmaster
#     killed: the channel comes back (by itself, or with start_replica after
#     a terminate), leaves no orphan connection on MariaDB, and resumes
#     exactly;
#   - MariaDB restarted while the channel connects and while it streams
#     under a workload;
#   - the network cut and restored under a workload, and a connection that
#     stays open but delivers nothing (heartbeat timeout), through a
#     TcpProxy;
#   - the binlog the channel needs purged on the source: state error with
#     the source's message and what to do, nothing from after the gap;
#   - a wrong password, an unknown host, missing replication privileges
#     (retried, with a clear last_error), and binlog_format not ROW (state
#     error).
#
# Every fault that the channel survives ends by comparing every row of the
# replicated tables on both sides once the channel has caught up.

use strict;
use warnings;

use Time::HiRes qw(time usleep);

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

use MariaDBServer;
use ReplicaTest;
use TcpProxy;

my $maria = MariaDBServer->new(name => 'source');
$maria->start;
$maria->create_repl_user;

# A user that may connect and read tables but not replicate.  Created
# before any channel exists, so no channel streams these statements.
$maria->sql(
	q{CREATE USER 'reader'@'%' IDENTIFIED BY 'reader_password';
	  GRANT SELECT ON *.* TO 'reader'@'%';});

# PostgreSQL::Test::Cluster turns crash restarts off; the SIGKILL case
# below is about them.
my $node = replica_node('replica', conf => 'restart_after_crash = on');
create_database_both($node, $maria, 'd');
create_workload_tables($node, $maria, 'd');
$maria->sql('CREATE TABLE d.t (id int PRIMARY KEY, v int)');
$node->safe_psql('postgres', 'CREATE TABLE d.t (id int PRIMARY KEY, v int)');

# Heartbeats every second, so that MariaDB notices a vanished replica (its
# dump thread writes a heartbeat and fails) and a silent connection is
# detected within seconds.
configure_channel($node, $maria, connect_retry => 1, heartbeat_period => 1);
ok(wait_for_state($node, [ 'streaming', 'applying' ]),
	'channel reaches state streaming');

# Workload transactions are numbered from here on, batch after batch.
my $next_id = 1;

# Start a workload of $n transactions in the background, with pauses so
# that it lasts a few seconds.
sub background_workload
{
	my ($n) = @_;
	my ($sql) = workload_sql(
		database     => 'd',
		first_id     => $next_id,
		transactions => $n,
		pause_every  => 20,
		pause        => 0.05);
	$next_id += $n;
	return $maria->sql_background($sql);
}

sub foreground_workload
{
	my ($n) = @_;
	my ($sql) = workload_sql(
		database     => 'd',
		first_id     => $next_id,
		transactions => $n);
	$next_id += $n;
	$maria->sql($sql);
	return;
}

# Wait until the channel has applied $n more transactions than it had
# when called (transactions_applied counts since the worker started).
sub wait_applied
{
	my ($n) = @_;
	my $from = channel_status($node)->{transactions_applied} // 0;
	return poll_until(
		$node,
		'SELECT transactions_applied >= ' . ($from + $n)
		  . " FROM mysql_replica.status WHERE channel = 'default'");
}

# Caught up, then every row of every replicated table equal.
sub rows_equal
{
	my ($what) = @_;
	ok(wait_caught_up($node, $maria, 'default', 180), "$what: caught up");
	foreach my $table (qw(d.accounts d.ledger d.t))
	{
		my ($pg, $my) = compare_table($node, $maria, $table);
		is_deeply($pg, $my, "$what: every row of $table matches");
	}
	return;
}

# The number of binlog dump connections MariaDB is serving.
sub binlog_dumps
{
	return $maria->sql(
		q{SELECT count(*) FROM information_schema.PROCESSLIST
		  WHERE COMMAND = 'Binlog Dump'});
}

# Poll a Perl condition every 100 ms for at most $timeout seconds.
sub poll_perl
{
	my ($cond, $timeout) = @_;
	my $deadline = time() + $timeout;
	while (time() < $deadline)
	{
		return 1 if $cond->();
		usleep(100_000);
	}
	return $cond->() ? 1 : 0;
}

# Point the default channel at another port of the same MariaDB, keeping
# its position (a new port alone would reset it).
sub repoint_channel
{
	my ($port) = @_;
	stop_channel($node);
	my $st = channel_status($node);
	$node->safe_psql(
		'postgres',
		sprintf(
			q{SELECT mysql_replica.change_source(host => '127.0.0.1',
			    port => %d, log_file => %s, log_pos => %d)},
			$port, sql_literal($st->{source_log_file}),
			$st->{source_log_pos}));
	start_channel($node);
	return;
}

sub process_alive
{
	my ($pid) = @_;
	return 0 unless -e "/proc/$pid";
	# A zombie has exited already.
	my $stat = slurp_file("/proc/$pid/stat");
	return $stat !~ /^\d+ \(.*\) Z/;
}

# Pids of the processes whose parent is $ppid.
sub children_of
{
	my ($ppid) = @_;
	my @pids;
	opendir(my $dh, '/proc') or die "cannot read /proc: $!";
	foreach my $pid (grep { /^\d+$/ } readdir $dh)
	{
		my $stat = eval { slurp_file("/proc/$pid/stat") } // next;
		push @pids, $pid if $stat =~ /^\d+ \(.*\) \S (\d+) / && $1 == $ppid;
	}
	closedir $dh;
	return @pids;
}

# ============================================================================
# The worker killed with SIGKILL: PostgreSQL's crash restart brings the
# channel back by itself, resuming exactly.
# ============================================================================
foreground_workload(50);
rows_equal('before any fault');

my $bg = background_workload(1500);
ok(wait_applied(100), 'sigkill: the channel applies the workload');
my $old_pid = channel_status($node)->{worker_pid};
ok(kill('KILL', $old_pid), 'sigkill: worker killed');
ok( poll_until(
		$node,
		q{SELECT worker_pid IS NOT NULL AND worker_pid <> } . $old_pid
		  . q{ AND state IN ('streaming', 'applying')
		    FROM mysql_replica.status WHERE channel = 'default'}),
	'sigkill: after the crash restart a new worker streams by itself');
my ($rc, $out, $err) = $maria->finish_background($bg);
is($rc, 0, 'sigkill: workload completed on MariaDB') or diag $err;
rows_equal('sigkill');
ok($node->log_contains(qr/terminated by signal 9: Killed/),
	'sigkill: the crash is in the server log');

# ============================================================================
# pg_terminate_backend on the worker: it ends cleanly (state stopped), and
# start_replica resumes.
# ============================================================================
$bg = background_workload(1000);
ok(wait_applied(100), 'terminate: the channel applies the workload');
$old_pid = channel_status($node)->{worker_pid};
is( $node->safe_psql('postgres', "SELECT pg_terminate_backend($old_pid)"),
	't', 'terminate: pg_terminate_backend succeeds');
ok( poll_until(
		$node,
		q{SELECT state = 'stopped' AND worker_pid IS NULL
		  FROM mysql_replica.status WHERE channel = 'default'}),
	'terminate: state stopped, worker_pid NULL');
ok(poll_perl(sub { !process_alive($old_pid) }, 30),
	'terminate: the worker process is gone');
my $st = channel_status($node);
is($st->{last_error}, undef, 'terminate: no error recorded')
  or diag $st->{last_error};
start_channel($node);
($rc, undef, $err) = $maria->finish_background($bg);
is($rc, 0, 'terminate: workload completed on MariaDB') or diag $err;
rows_equal('terminate then start_replica');

# ============================================================================
# pg_ctl stop -m fast, then start: the channel runs again by itself.
# ============================================================================
$bg = background_workload(1000);
ok(wait_applied(100), 'fast stop: the channel applies the workload');
$node->stop('fast');
$node->start;
ok(wait_for_state($node, [ 'connecting', 'streaming', 'applying' ]),
	'fast stop: the channel runs again without start_replica');
($rc, undef, $err) = $maria->finish_background($bg);
is($rc, 0, 'fast stop: workload completed on MariaDB') or diag $err;
rows_equal('fast stop and start');

# ============================================================================
# Postmaster death: the worker and its thread go too (no binlog dump left
# on MariaDB), and after a start the channel resumes exactly.
# ============================================================================
$bg = background_workload(1000);
ok(wait_applied(100), 'postmaster death: the channel applies the workload');
$old_pid = channel_status($node)->{worker_pid};
is(binlog_dumps(), 1, 'postmaster death: MariaDB serves one binlog dump');
my $postmaster = (split /\n/, slurp_file($node->data_dir . '/postmaster.pid'))[0];
my @children = children_of($postmaster);
ok(scalar(grep { $_ == $old_pid } @children),
	'postmaster death: the worker is a child of the postmaster');
$node->kill9;
ok( poll_perl(sub { !grep { process_alive($_) } @children }, 60),
	'postmaster death: every child of the postmaster has exited')
  or diag 'still alive: ' . join(' ', grep { process_alive($_) } @children);
# pg_ctl start refuses while the old postmaster's pid exists at all, even
# as a zombie that its new parent has not reaped yet.
ok(poll_perl(sub { !kill(0, $postmaster) }, 60),
	'postmaster death: the old postmaster is gone');
ok(poll_perl(sub { binlog_dumps() == 0 }, 30),
	'postmaster death: no binlog dump of the old worker left on MariaDB')
  or diag $maria->sql('SHOW PROCESSLIST');
$node->start;
ok(wait_for_state($node, [ 'connecting', 'streaming', 'applying' ]),
	'postmaster death: the channel runs again after start');
($rc, undef, $err) = $maria->finish_background($bg);
is($rc, 0, 'postmaster death: workload completed on MariaDB') or diag $err;
rows_equal('postmaster death');

# ============================================================================
# MariaDB restarted while the channel connects: the channel keeps trying
# and streams once MariaDB is back.
# ============================================================================
stop_channel($node);
$maria->stop;
start_channel($node);
ok( poll_until(
		$node,
		q{SELECT connect_attempts >= 2
		    AND state IN ('connecting', 'waiting to reconnect')
		  FROM mysql_replica.status WHERE channel = 'default'}),
	'source down: the channel keeps trying to connect');
like(
	channel_status($node)->{last_error},
	qr/could not connect to source "127\.0\.0\.1:\d+": Can't connect/,
	'source down: last_error says the connection failed');
$maria->start;
ok(wait_for_state($node, [ 'streaming', 'applying' ]),
	'source down: the channel streams once MariaDB is back');
foreground_workload(100);
rows_equal('source restarted while connecting');

# ============================================================================
# MariaDB restarted while the channel streams under a workload.  The
# workload's client is cut off by the shutdown; MariaDB's binlog holds the
# transactions that committed, and so must PostgreSQL.
# ============================================================================
$bg = background_workload(1500);
ok(wait_applied(200), 'source restart: the channel applies the workload');
$maria->restart;
$maria->finish_background($bg);
foreground_workload(100);
ok(wait_for_state($node, [ 'streaming', 'applying' ]),
	'source restart: the channel streams again');
rows_equal('source restarted while streaming');

# ============================================================================
# The network cut and restored, through a proxy, under a workload.
# ============================================================================
my $proxy = TcpProxy->new($maria->port);
repoint_channel($proxy->port);
ok(wait_for_state($node, [ 'streaming', 'applying' ]),
	'network cut: channel streams through the proxy');

$bg = background_workload(1500);
ok(wait_applied(100), 'network cut: the channel applies the workload');
my $attempts = channel_status($node)->{connect_attempts};
$proxy->cut;
ok( poll_until(
		$node,
		q{SELECT state IN ('connecting', 'waiting to reconnect')
		    AND connect_attempts >= } . ($attempts + 2) . q{
		  FROM mysql_replica.status WHERE channel = 'default'}),
	'network cut: the channel retries while the network is cut');
$st = channel_status($node);
like(
	$st->{last_error},
	qr/lost the binlog stream from source "127\.0\.0\.1:\d+"|could not connect to source "127\.0\.0\.1:\d+"/,
	'network cut: last_error says the connection was lost');
ok( $node->log_contains(
		qr/channel "default": lost the binlog stream from source/),
	'network cut: the lost stream is in the server log');
$proxy->restore;
ok(wait_for_state($node, [ 'streaming', 'applying' ]),
	'network cut: streaming again after the network is back');
($rc, undef, $err) = $maria->finish_background($bg);
is($rc, 0, 'network cut: workload completed on MariaDB') or diag $err;
rows_equal('network cut and restored');

# ============================================================================
# A connection that stays open but delivers nothing: with heartbeat_period
# 1 the worker must give up on it within about two periods and reconnect.
# ============================================================================
ok(wait_caught_up($node, $maria), 'blackhole: caught up and idle');
$attempts = channel_status($node)->{connect_attempts};
my $t0 = time();
$proxy->blackhole;
$maria->sql('INSERT INTO d.t VALUES (1, 1), (2, 2)');
ok( poll_until(
		$node,
		q{SELECT last_error LIKE '%lost the binlog stream%'
		    AND connect_attempts > } . $attempts . q{
		  FROM mysql_replica.status WHERE channel = 'default'},
		't', 15),
	'blackhole: the dead connection is noticed and a new one tried');
my $noticed = time() - $t0;
diag sprintf('blackhole: noticed after %.1f s (heartbeat_period 1)',
	$noticed);
cmp_ok($noticed, '<', 10,
	'blackhole: noticed within a few heartbeat periods');
like(channel_status($node)->{last_error},
	qr/lost the binlog stream from source "127\.0\.0\.1:\d+"/,
	'blackhole: last_error says the stream was lost');
$proxy->restore;
ok(wait_for_state($node, [ 'streaming', 'applying' ]),
	'blackhole: streaming again after restore');
foreground_workload(50);
rows_equal('blackhole then restore');

repoint_channel($maria->port);
$proxy->stop;

# ============================================================================
# The source has purged the binlog the channel needs: state error with the
# source's message and what to do; nothing from after the gap appears.
# ============================================================================
ok(wait_caught_up($node, $maria), 'purged: caught up before the gap');
stop_channel($node);
$maria->sql('INSERT INTO d.t VALUES (1001, 1), (1002, 2)');
my ($gap_file) = $maria->master_status;
$maria->sql('FLUSH BINARY LOGS');
my ($newest) = $maria->master_status;
# MariaDB skips (with a warning) a file that a dump thread still reads
# (the stopped channel's lingers until its next heartbeat fails) or that
# InnoDB has not checkpointed yet; so purge until the file is gone.
ok(poll_perl(sub { binlog_dumps() == 0 }, 30),
	'purged: no dump thread left on MariaDB');
ok( poll_perl(
		sub {
			$maria->sql("PURGE BINARY LOGS TO '$newest'");
			$maria->sql('SHOW BINARY LOGS') !~ /^\Q$gap_file\E\t/m;
		},
		60),
	"purged: $gap_file is gone from the source");
$maria->sql('INSERT INTO d.t VALUES (1003, 3)');
start_channel($node);
ok(wait_for_state($node, 'error'), 'purged: state error');
$st = channel_status($node);
like($st->{last_error}, qr/Could not find first log file name|purged/i,
	'purged: last_error has the source\'s message');
like($st->{last_error}, qr/copy the tables anew.*change_source/,
	'purged: last_error says what the user can do');
is($st->{worker_pid}, undef, 'purged: the worker has exited');
is($node->safe_psql('postgres', 'SELECT count(*) FROM d.t WHERE id > 1000'),
	'0', 'purged: no row from after the gap');
ok( $node->log_contains(
		qr/channel "default" cannot replicate from its source/),
	'purged: the error is in the server log');

# ============================================================================
# Configuration errors, each on its own channel.
# ============================================================================

# Wait until a channel has failed to connect at least twice and is still
# retrying; returns its status.
sub retrying
{
	my ($channel, $what) = @_;
	ok( poll_until(
			$node,
			q{SELECT connect_attempts >= 2
			    AND state IN ('connecting', 'waiting to reconnect')
			  FROM mysql_replica.status WHERE channel = }
			  . sql_literal($channel)),
		"$what: the channel keeps retrying");
	return channel_status($node, $channel);
}

# --- wrong password ------------------------------------------------------------
configure_channel($node, $maria, channel => 'badpw', password => 'wrong');
$st = retrying('badpw', 'wrong password');
like($st->{last_error},
	qr/could not connect to source "127\.0\.0\.1:\d+": Access denied for user 'repl'/,
	'wrong password: last_error says access was denied');
unlike($st->{last_error}, qr/wrong/, 'wrong password: no password shown');
ok( $node->log_contains(
		qr/channel "badpw": could not connect to source .*Access denied/),
	'wrong password: logged');
stop_channel($node, 'badpw');

# --- unknown host ----------------------------------------------------------------
configure_channel($node, $maria,
	channel => 'nohost',
	host    => 'no-such-host.invalid');
$st = retrying('nohost', 'unknown host');
like($st->{last_error},
	qr/could not connect to source "no-such-host\.invalid:\d+": Unknown server host 'no-such-host\.invalid'/,
	'unknown host: last_error names the host it cannot resolve');
ok( $node->log_contains(
		qr/channel "nohost": could not connect .*Unknown server host/),
	'unknown host: logged');
stop_channel($node, 'nohost');

# --- replication privileges missing ------------------------------------------------
configure_channel($node, $maria,
	channel  => 'noprivs',
	user     => 'reader',
	password => 'reader_password');
$st = retrying('noprivs', 'no privileges, new channel');
like($st->{last_error},
	qr/could not read the source's binlog position \(the user needs the BINLOG MONITOR or REPLICATION CLIENT privilege\): /,
	'no privileges, new channel: last_error says what failed and what is needed');
like($st->{last_error}, qr/Access denied; you need .*BINLOG MONITOR/,
	'no privileges, new channel: last_error has the source\'s own reason');
ok( $node->log_contains(
		qr/channel "noprivs": could not read the source's binlog position/),
	'no privileges, new channel: logged');
stop_channel($node, 'noprivs');

# With a position, the binlog request itself is refused.
my ($file, $pos) = $maria->master_status;
$node->safe_psql('postgres',
	"SELECT mysql_replica.change_source(log_file => '$file', "
	  . "log_pos => $pos, channel => 'noprivs')");
start_channel($node, 'noprivs');
$st = retrying('noprivs', 'no privileges, with a position');
# MariaDB's own answer to COM_REGISTER_SLAVE without REPLICATION SLAVE
# reads like a wrong password, so the message names the privilege.
like($st->{last_error},
	qr/could not register as a replica \(the user needs the REPLICATION SLAVE privilege\): Access denied for user 'reader'/,
	'no privileges, with a position: last_error says access was denied and why');
ok( $node->log_contains(
		qr/channel "noprivs": could not register as a replica .*Access denied/),
	'no privileges, with a position: logged');
stop_channel($node, 'noprivs');

# --- binlog_format not ROW -------------------------------------------------------
$maria->sql("SET GLOBAL binlog_format = 'STATEMENT'");
configure_channel($node, $maria, channel => 'stmt');
ok(wait_for_state($node, 'error', 'stmt'), 'binlog_format: state error');
$st = channel_status($node, 'stmt');
like($st->{last_error},
	qr/binlog_format is STATEMENT, but row-based replication needs binlog_format=ROW/,
	'binlog_format: last_error names the setting and the value needed');
is($st->{connect_attempts}, 1, 'binlog_format: not retried');
ok( $node->log_contains(
		qr/channel "stmt" cannot replicate from its source.*\n.*binlog_format is STATEMENT/
	),
	'binlog_format: logged');
$maria->sql("SET GLOBAL binlog_format = 'ROW'");

$node->stop;
$maria->stop;
done_testing();
