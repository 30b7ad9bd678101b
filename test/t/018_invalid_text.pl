# 018_invalid_text.pl
#
# Text whose bytes are not valid in the character set the replica assumes.
# A source that logs no row metadata (binlog_row_metadata=NO_LOG) gives no
# character sets, so text is taken as UTF-8; latin1 text then holds bytes
# that are invalid UTF-8.  By default that stops the channel with an error
# naming the problem; with mysql_replica.invalid_text = 'replace' the bad
# bytes become U+FFFD and the rest arrives intact.

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
$maria->sql(
	q{CREATE TABLE d.words (id int PRIMARY KEY,
	                       w varchar(20) CHARACTER SET latin1)});
$node->safe_psql('postgres',
	'CREATE TABLE d.words (id int PRIMARY KEY, w text)');

# Columns by position and no character sets from here on.
$maria->sql(q{SET GLOBAL binlog_row_metadata = 'NO_LOG'});

configure_channel($node, $maria);
ok(wait_for_state($node, [ 'streaming', 'applying' ]),
	'channel reaches state streaming');

$maria->sql(q{INSERT INTO d.words VALUES (1, 'plain ascii')});
ok(wait_caught_up($node, $maria), 'ASCII text arrives');

# 'café' in latin1: the 0xE9 byte is not UTF-8.
$maria->sql(q{INSERT INTO d.words VALUES (2, CONCAT('caf', CHAR(0xE9)))});
ok(wait_for_state($node, 'error'), 'invalid text stops the channel');
like(channel_status($node)->{last_error},
	qr/invalid byte sequence for encoding "UTF8": 0xe9/,
	'the error names the encoding and the byte');
is($node->safe_psql('postgres', 'SELECT count(*) FROM d.words'),
	'1', 'nothing of the failing transaction arrives');

$node->safe_psql('postgres',
	q{ALTER SYSTEM SET mysql_replica.invalid_text = 'replace'});
$node->reload;
stop_channel($node);
start_channel($node);
ok(wait_caught_up($node, $maria), 'with invalid_text = replace it continues');
is($node->safe_psql('postgres', 'SELECT w FROM d.words WHERE id = 2'),
	"caf\xef\xbf\xbd",
	'the invalid byte became U+FFFD (in UTF-8), the rest is intact');

$maria->sql(q{SET GLOBAL binlog_row_metadata = 'FULL'});
$node->stop;
$maria->stop;
done_testing();
