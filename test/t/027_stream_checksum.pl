# 027_stream_checksum.pl
#
# An event damaged on its way from the source fails its CRC32 checksum:
# the channel reports it with the event's position and applies nothing of
# it, and once the event arrives whole again, the row is there as the
# source wrote it.  (The reader thread checks checksums ahead of the
# applier; an event it finds damaged must still be caught and reported.)

use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

use MariaDBServer;
use ReplicaTest;
use TcpProxy;

my $maria = MariaDBServer->new(name => 'source');
$maria->start;
$maria->create_repl_user;
is($maria->sql('SELECT @@global.binlog_checksum'), 'CRC32',
	'the source writes CRC32 checksums');

my $proxy = TcpProxy->new($maria->port);
my $node  = replica_node('replica');
configure_channel($node, $maria, host => '127.0.0.1', port => $proxy->port);
ok(wait_for_state($node, [ 'streaming', 'applying' ]),
	'channel streams through the proxy');

$maria->sql(
	q{CREATE DATABASE d;
	  CREATE TABLE d.t (id int PRIMARY KEY, s varchar(40));
	  INSERT INTO d.t VALUES (1, 'before');});
ok(wait_caught_up($node, $maria), 'caught up before the damage');

# One byte of the row's value changes on the way, once.
my (undef, $good_pos) = $maria->master_status;
$proxy->corrupt('damage-me-not', 'damage-me-nou');
$maria->sql(q{INSERT INTO d.t VALUES (2, 'damage-me-not'), (3, 'after')});

ok(wait_for_state($node, 'error'), 'the damaged event stops the channel');
my $st = channel_status($node);
like($st->{last_error}, qr/WRITE_ROWS\w* event fails its checksum/,
	'last_error says the event fails its checksum');
like($st->{last_error}, qr/after binlog\.\d+:\d+/, 'and names its position');
ok($node->log_contains(qr/WRITE_ROWS\w* event fails its checksum/),
	'the failure is in the server log');
is($st->{source_log_pos}, $good_pos, 'the position stays before the transaction');
is($node->safe_psql('postgres', q{SELECT count(*) FROM d.t WHERE id > 1}),
	'0', 'nothing of the damaged transaction is applied');

# Started again, the channel reads the event anew, whole this time.
stop_channel($node);
start_channel($node);
ok(wait_caught_up($node, $maria), 'caught up after the damage');
table_matches($node, $maria, 'd.t', 'd.t has the rows as the source wrote them');
is($node->safe_psql('postgres', q{SELECT count(*) FROM d.t WHERE s LIKE '%nou'}),
	'0', 'the damaged value is nowhere');

$proxy->stop;
$node->stop;
$maria->stop;
done_testing();
