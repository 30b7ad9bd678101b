# 019_crash_in_large_transaction.pl
#
# PostgreSQL is killed (immediate shutdown) in the middle of applying a
# source transaction of 20,000 rows.  None of its rows may
# survive the crash; after PostgreSQL starts again the channel runs by
# itself, applies the whole transaction once, and every row equals the
# source's.

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
$maria->sql('CREATE TABLE d.big (id int PRIMARY KEY, v int, s varchar(20))');
$node->safe_psql(
	'postgres', q{
	CREATE TABLE d.big (id int PRIMARY KEY, v int, s varchar(20));
	-- slow enough (about 12 s for the large transaction) to crash inside it
	CREATE FUNCTION d.crawl() RETURNS trigger LANGUAGE plpgsql AS
	  $$BEGIN PERFORM pg_sleep(0.0001); RETURN NEW; END$$;
	CREATE TRIGGER crawl BEFORE INSERT ON d.big
	  FOR EACH ROW EXECUTE FUNCTION d.crawl();});

configure_channel($node, $maria);
ok(wait_for_state($node, [ 'streaming', 'applying' ]),
	'channel reaches state streaming');

# A few small transactions first, to be kept across the crash.
$maria->sql(
	join('', map { "INSERT INTO d.big VALUES (-$_, $_, 'small');\n" } 1 .. 20));
ok(wait_caught_up($node, $maria), 'small transactions applied');

# The large one: wait until the worker is inside it, then crash.
$maria->sql(
	q{USE d;
	  INSERT INTO big SELECT seq, seq * 2, CONCAT('row ', seq)
	  FROM seq_1_to_20000;});
ok( poll_until(
		$node,
		q{SELECT state = 'applying' AND events_received > 100
		  FROM mysql_replica.status}),
	'the worker is inside the large transaction');
$node->stop('immediate');
$node->start;

is($node->safe_psql('postgres', 'SELECT count(*) FROM d.big WHERE id > 0'),
	'0', 'none of the half-applied rows survived the crash');
ok(wait_for_state($node, [ 'connecting', 'streaming', 'applying' ]),
	'the channel runs again by itself');
ok(wait_caught_up($node, $maria, 'default', 180),
	'caught up after the crash');
is( $node->safe_psql(
		'postgres', 'SELECT count(*), sum(v), sum(length(s)) FROM d.big'),
	$maria->sql(
		'SELECT count(*), sum(v), sum(length(s)) FROM d.big') =~ s/\t/|/gr,
	'every row applied exactly once');
my ($pg, $my) = compare_table($node, $maria, 'd.big');
is_deeply($pg, $my, 'every row equals the source');

$node->stop;
$maria->stop;
done_testing();
