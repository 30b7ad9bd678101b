# 024_grouped_transactions.pl
#
# While the channel catches up, small source transactions share PostgreSQL
# transactions (a group commits once, with the position of its last
# transaction).  A failure inside a group must still belong to its own
# source transaction: the transactions before it stay applied, the
# channel's position is the end of the one before it, and
# skip_transaction() skips exactly the failing one.  A source ROLLBACK
# inside a group must undo only its own transaction.

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
configure_channel($node, $maria);
ok(wait_for_state($node, [ 'streaming', 'applying' ]),
	'channel reaches state streaming');

$maria->sql(
	q{CREATE DATABASE d;
	  CREATE TABLE d.t (id int PRIMARY KEY, v int) ENGINE=InnoDB;
	  CREATE TABLE d.log (id int PRIMARY KEY, note varchar(20)) ENGINE=MyISAM;});
ok(wait_caught_up($node, $maria), 'tables created through DDL replay');

sub pg
{
	my ($sql) = @_;
	return $node->safe_psql('postgres', $sql);
}

sub commits
{
	return pg(q{SELECT xact_commit FROM pg_stat_database
	            WHERE datname = current_database()});
}

# --- a burst written while stopped: applied in groups -----------------------
stop_channel($node);

# 300 one-row transactions; the 150th conflicts with a row PostgreSQL has.
pg(q{INSERT INTO d.t VALUES (150, -1)});
my $script = '';
for my $i (1 .. 300)
{
	$script .= "INSERT INTO d.t VALUES ($i, $i);\n";
	$script .= "SHOW MASTER STATUS;\n" if $i == 149;
}
my $out = $maria->sql($script);
my ($before_file, $before_pos) = split /\t/, (split /\n/, $out)[0];
note "the position after transaction 149 is $before_file:$before_pos";

pg(q{SELECT pg_stat_force_next_flush()});
my $commits_before = commits();
start_channel($node);
ok(wait_for_state($node, 'error'), 'the conflicting transaction stops the channel');

my $st = channel_status($node);
like($st->{last_error}, qr/duplicate key value/, 'last_error is the conflict');
like($st->{last_error}, qr/\(id\)=\(150\)/, 'last_error names the key 150');
is($st->{source_log_file} . ':' . $st->{source_log_pos},
	"$before_file:$before_pos",
	'the position is the end of the transaction before the failing one');
is(pg(q{SELECT count(*), max(id) FROM d.t WHERE id <> 150}), '149|149',
	'the 149 transactions before it are applied');
is(pg(q{SELECT v FROM d.t WHERE id = 150}), '-1',
	'the conflicting row is PostgreSQL\'s own');

# Grouping happened: far fewer commits than source transactions.
pg(q{SELECT pg_stat_force_next_flush()});
my $commits = commits() - $commits_before;
cmp_ok($commits, '<', 100,
	"149 source transactions took fewer than 100 commits ($commits)");

# Skipping skips exactly the failing transaction.
pg(q{SELECT mysql_replica.skip_transaction()});
start_channel($node);
ok(wait_caught_up($node, $maria), 'caught up after skipping');
is(pg(q{SELECT count(*), max(id) FROM d.t}), '300|300',
	'every other transaction is applied');
is(pg(q{SELECT v FROM d.t WHERE id = 150}), '-1',
	'the skipped transaction did not touch its row');
is(pg(q{SELECT count(*) FROM d.t WHERE id <> 150 AND v <> id}), '0',
	'every applied row has its value');

# --- a failing transaction too big to keep ----------------------------------
# Its events are not kept with the group's; the transactions before it are
# applied again alone and its own error is raised as it was.
stop_channel($node);
$maria->sql(q{CREATE TABLE d.big (id int PRIMARY KEY, s varchar(200))});
start_channel($node);
ok(wait_caught_up($node, $maria), 'd.big created');
stop_channel($node);
pg(q{INSERT INTO d.big VALUES (60000, 'PostgreSQL''s own')});
$script = '';
for my $i (341 .. 360)
{
	$script .= "INSERT INTO d.t VALUES ($i, $i);\n";
}
$script .= "SHOW MASTER STATUS;\n";
$script .= "INSERT INTO d.big SELECT seq, repeat('x', 100) FROM seq_1_to_60000;\n";
$out = $maria->sql($script, database => 'd');
($before_file, $before_pos) = split /\t/, (split /\n/, $out)[0];
start_channel($node);
ok(wait_for_state($node, 'error'), 'the big conflicting transaction stops the channel');
$st = channel_status($node);
like($st->{last_error}, qr/\(id\)=\(60000\)/, 'last_error names its key');
is($st->{source_log_file} . ':' . $st->{source_log_pos},
	"$before_file:$before_pos",
	'the position is the end of the small transaction before it');
is(pg(q{SELECT count(*) FROM d.t WHERE id BETWEEN 341 AND 360}), '20',
	'the small transactions before it are applied');
is(pg(q{SELECT count(*) FROM d.big}), '1', 'nothing of the big one is');
pg(q{DELETE FROM d.big});
start_channel($node);
ok(wait_caught_up($node, $maria), 'caught up once the conflict is gone');
is(pg(q{SELECT count(*) FROM d.big}), '60000', 'the big transaction is applied');

# --- a source ROLLBACK inside a group ----------------------------------------
# A transaction that writes a MyISAM table and then rolls back is logged
# with ROLLBACK; the InnoDB transactions around it must stay.
stop_channel($node);
$script = '';
for my $i (301 .. 340)
{
	$script .= "INSERT INTO d.t VALUES ($i, $i);\n";
	if ($i == 320)
	{
		$script .= "BEGIN; INSERT INTO d.t VALUES (1000, 1000); "
		  . "INSERT INTO d.log VALUES (1, 'kept by MyISAM'); ROLLBACK;\n";
	}
}
$maria->sql($script);
start_channel($node);
ok(wait_caught_up($node, $maria), 'caught up over the rolled-back transaction');
is(pg(q{SELECT count(*) FROM d.t WHERE id BETWEEN 301 AND 340}), '40',
	'the transactions around the rollback are applied');
is(pg(q{SELECT count(*) FROM d.t WHERE id = 1000}), '0',
	'the rolled-back InnoDB row is not');
# Row 150 differs on purpose (its transaction was skipped); repair it.
pg(q{UPDATE d.t SET v = 150 WHERE id = 150});
my ($pg_rows, $my_rows) = compare_table($node, $maria, 'd.t');
is_deeply($pg_rows, $my_rows, 'd.t matches the source row by row');

$node->stop;
$maria->stop;
done_testing();
