# 025_batched_rows.pl
#
# The rows of an UPDATE or DELETE event on a table with a primary key are
# applied in batches, one statement for many rows, where they fit one:
# same results as row by row, and where they do not (a key that changes,
# a row PostgreSQL lacks), the rows are applied one by one, so that a
# missing row is still reported by its own key.  This is the path of
# tables with triggers (the rows of plain tables are written without
# statements, 026_row_writer.pl), so the tables here have one.

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

sub pg
{
	my ($sql) = @_;
	return $node->safe_psql('postgres', $sql);
}

$maria->sql(
	q{CREATE DATABASE d;
	  CREATE TABLE d.t (id int PRIMARY KEY, v int, s varchar(40), n int NULL);
	  CREATE TABLE d.two (a int, b varchar(10), v int, PRIMARY KEY (a, b));});
$maria->sql(
	q{INSERT INTO d.t SELECT seq, seq, concat('row ', seq), NULL
	  FROM seq_1_to_5000;
	  INSERT INTO d.two SELECT seq % 50, concat('k', seq), seq
	  FROM seq_1_to_2000;},
	database => 'd');
ok(wait_caught_up($node, $maria), 'tables and rows replicated');
pg(q{CREATE FUNCTION d.noop() RETURNS trigger LANGUAGE plpgsql
		AS $$ BEGIN RETURN NULL; END $$;
	 CREATE TRIGGER noop AFTER UPDATE OR DELETE ON d.t
		FOR EACH STATEMENT EXECUTE FUNCTION d.noop();
	 CREATE TRIGGER noop AFTER UPDATE OR DELETE ON d.two
		FOR EACH STATEMENT EXECUTE FUNCTION d.noop();});

# --- batches that fit one statement ------------------------------------------
$maria->sql(
	q{UPDATE d.t SET v = v * 2, s = concat(s, '!'), n = id % 3 WHERE id <= 3000;
	  UPDATE d.t SET n = NULL WHERE id % 7 = 0;
	  DELETE FROM d.t WHERE id BETWEEN 4001 AND 4500;
	  UPDATE d.two SET v = -v WHERE a < 25;
	  DELETE FROM d.two WHERE a = 49;});
ok(wait_caught_up($node, $maria), 'caught up after multi-row updates and deletes');
table_matches($node, $maria, 'd.t',   'd.t matches after batched updates and deletes');
table_matches($node, $maria, 'd.two', 'd.two (two-column key) matches');

# --- keys that change: one by one ---------------------------------------------
$maria->sql(q{UPDATE d.t SET id = id + 10000 WHERE id <= 1000});
ok(wait_caught_up($node, $maria), 'caught up after key changes');
table_matches($node, $maria, 'd.t', 'd.t matches after an UPDATE of its keys');

# --- a row PostgreSQL lacks: the error names it ---------------------------------
my (undef, $good_pos) = $maria->master_status;
pg(q{DELETE FROM d.t WHERE id = 2500});
$maria->sql(q{UPDATE d.t SET v = 0 WHERE id BETWEEN 2001 AND 3000});
ok(wait_for_state($node, 'error'), 'an update of a missing row stops the channel');
my $st = channel_status($node);
like($st->{last_error}, qr/could not find the row to update/,
	'last_error says the row is missing');
like($st->{last_error}, qr/\(id\)=\(2500\)/, 'and names its key, 2500');
is($st->{source_log_pos}, $good_pos, 'the position stays before the statement');
is(pg(q{SELECT count(*) FROM d.t WHERE id BETWEEN 2001 AND 3000 AND v = 0}),
	'0', 'none of the statement\'s rows is changed');

# Repair and go on.
pg(q{INSERT INTO d.t VALUES (2500, 0, 'row 2500!', 1)});
stop_channel($node);
start_channel($node);
ok(wait_caught_up($node, $maria), 'caught up after the repair');
table_matches($node, $maria, 'd.t', 'd.t matches after the repair');

$node->stop;
$maria->stop;
done_testing();
