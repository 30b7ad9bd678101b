# 012_install.pl
#
# Where the extension cannot work, CREATE EXTENSION says why: without
# shared_preload_libraries, and in a database other than
# mysql_replica.database.  A server without the extension's workers running
# still lets that database be dropped.

use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('plain');
$node->init;
$node->start;

my ($rc, $out, $err) =
  $node->psql('postgres', 'CREATE EXTENSION mysql_replica');
isnt($rc, 0, 'not preloaded: CREATE EXTENSION fails');
like($err, qr/mysql_replica must be loaded via shared_preload_libraries/,
	'not preloaded: the error says why');
like($err, qr/HINT:  Add mysql_replica to shared_preload_libraries/,
	'not preloaded: the hint says what to do');

$node->append_conf('postgresql.conf',
	qq{shared_preload_libraries = 'mysql_replica'
mysql_replica.database = 'replica'});
$node->restart;
$node->safe_psql('postgres', 'CREATE DATABASE replica');

($rc, $out, $err) =
  $node->psql('postgres', 'CREATE EXTENSION mysql_replica');
isnt($rc, 0, 'other database: CREATE EXTENSION fails');
like($err,
	qr/can only create extension mysql_replica in database "replica"/,
	'other database: the error names the right database');

$node->safe_psql('replica', 'CREATE EXTENSION mysql_replica');
is( $node->safe_psql(
		'replica',
		q{SELECT extname FROM pg_extension WHERE extname = 'mysql_replica'}),
	'mysql_replica',
	'the configured database: CREATE EXTENSION works');

# Nothing of ours stays connected to the database while no channel runs.
$node->safe_psql('postgres', 'DROP DATABASE replica');
is($node->safe_psql('postgres',
		q{SELECT count(*) FROM pg_database WHERE datname = 'replica'}),
	'0', 'the database can be dropped while no channel runs');

$node->stop;
done_testing();
