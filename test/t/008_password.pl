# 008_password.pl
#
# The source password stays secret: it shows neither in the status view nor
# in pg_stat_activity nor in the server log, whether the connection succeeds
# or fails with that password.

use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

use MariaDBServer;
use ReplicaTest;

# Distinctive strings that occur nowhere else.
my $good_password  = 'Pw4Repl_good_9f2c71';
my $wrong_password = 'Pw4Repl_wrong_4d8e03';

my $maria = MariaDBServer->new(name => 'source');
$maria->start;
$maria->create_repl_user(password => $good_password);

# The test framework logs every statement; the change_source call itself is
# not what is under test, so statement logging is off here.
my $node = replica_node('replica', conf => "log_statement = 'none'\n");
create_database_both($node, $maria, 'd');
$maria->sql('CREATE TABLE d.t (id int PRIMARY KEY)');
$node->safe_psql('postgres', 'CREATE TABLE d.t (id int PRIMARY KEY)');

# Number of places the password shows in the view and in pg_stat_activity
# (other than in this query's own text, which holds it in two halves).
sub leaks
{
	my ($password) = @_;
	my $half = int(length($password) / 2);
	my $expr = sql_literal(substr($password, 0, $half)) . ' || '
	  . sql_literal(substr($password, $half));
	return $node->safe_psql(
		'postgres', qq{
		SELECT (SELECT count(*) FROM mysql_replica.status s
		        WHERE strpos(row_to_json(s)::text, $expr) > 0)
		     + (SELECT count(*) FROM pg_stat_activity a
		        WHERE a.pid <> pg_backend_pid()
		          AND strpos(row_to_json(a)::text, $expr) > 0)});
}

sub log_has
{
	my ($password) = @_;
	return index(slurp_file($node->logfile), $password) >= 0 ? 1 : 0;
}

# --- correct password: streaming --------------------------------------------
configure_channel($node, $maria, password => $good_password);
ok(wait_for_state($node, [ 'streaming', 'applying' ]),
	'channel streams with the right password');
$maria->sql('INSERT INTO d.t VALUES (1)');
ok(wait_caught_up($node, $maria), 'caught up');
is(leaks($good_password), '0',
	'password not in status view or pg_stat_activity while streaming');

stop_channel($node);

# --- wrong password: authentication fails --------------------------------------
configure_channel($node, $maria,
	password      => $wrong_password,
	connect_retry => 1);
ok( poll_until(
		$node,
		q{SELECT last_error IS NOT NULL AND connect_attempts >= 2
		  FROM mysql_replica.status WHERE channel = 'default'}),
	'failed authentication is reported in last_error');
like(channel_status($node)->{last_error},
	qr/access denied/i, 'last_error carries the server\'s refusal');
is(leaks($wrong_password), '0',
	'wrong password not in status view or pg_stat_activity');
stop_channel($node);

$node->stop;
is(log_has($good_password), 0, 'password not in the server log');
is(log_has($wrong_password), 0, 'wrong password not in the server log');

$maria->stop;
done_testing();
