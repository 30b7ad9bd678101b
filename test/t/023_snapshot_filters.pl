# 023_snapshot_filters.pl
#
# A channel's scope: include_tables and exclude_tables patterns
# (database.table, % for any run of characters, _ for one, backslash
# escapes) decide which tables the initial snapshot copies and which rows
# and DDL streaming applies afterwards; schema_map puts a MySQL database
# into a PostgreSQL schema of another name, for the snapshot, rows and DDL.
#
#   node A: include {shop.%, app.users, logs.ev_nts} and exclude
#           {%.audit\_%}, shop mapped to shop_replica.  After the snapshot:
#           exactly the included tables exist, in the mapped schema.  While
#           streaming: rows and DDL of included tables are applied (into
#           shop_replica), rows of excluded tables and tables created in
#           databases outside the scope are ignored without stopping the
#           channel.  Then the filter is changed while the channel is
#           stopped, and the new one governs what is applied after start.
#   node B: exclude patterns only: everything else is copied, MariaDB's
#           system databases never.
#   node C: an include pattern only, with a schema map.

use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

use MariaDBServer;
use ReplicaTest;
use SchemaCompare;

my $maria = MariaDBServer->new(name => 'source');
$maria->start;
$maria->create_repl_user;

$maria->sql(
	q{
CREATE DATABASE shop;
CREATE DATABASE app;
CREATE DATABASE logs;
CREATE DATABASE junk;

CREATE TABLE shop.orders (
  id int NOT NULL AUTO_INCREMENT PRIMARY KEY, customer_id int NOT NULL,
  total decimal(10,2) NOT NULL, status varchar(20) NOT NULL DEFAULT 'new',
  KEY idx_customer (customer_id));
CREATE TABLE shop.customers (id int PRIMARY KEY, name varchar(50));
CREATE TABLE shop.audit_log (id int PRIMARY KEY, msg varchar(100));
CREATE TABLE shop.auditor (id int PRIMARY KEY, name varchar(30));

CREATE TABLE app.users (id int PRIMARY KEY, login varchar(30));
CREATE TABLE app.user_roles (
  user_id int, role varchar(20), PRIMARY KEY (user_id, role));
CREATE TABLE app.users2 (id int PRIMARY KEY);

CREATE TABLE logs.events (id int PRIMARY KEY, what varchar(50));
CREATE TABLE logs.ev_nts (id int PRIMARY KEY);
CREATE TABLE logs.evnts (id int PRIMARY KEY);
CREATE TABLE logs.events_old (id int PRIMARY KEY);

INSERT INTO shop.orders (customer_id, total, status)
  SELECT seq % 10, seq * 1.25, IF(seq % 3, 'new', 'paid')
  FROM shop.seq_1_to_200;
INSERT INTO shop.customers SELECT seq, CONCAT('customer ', seq)
  FROM shop.seq_0_to_9;
INSERT INTO shop.audit_log SELECT seq, CONCAT('audit ', seq)
  FROM shop.seq_1_to_20;
INSERT INTO shop.auditor VALUES (1, 'Ann'), (2, 'Bob');
INSERT INTO app.users SELECT seq, CONCAT('login', seq) FROM app.seq_1_to_30;
INSERT INTO app.user_roles VALUES (1, 'admin'), (2, 'viewer');
INSERT INTO app.users2 VALUES (1);
INSERT INTO logs.events SELECT seq, CONCAT('event ', seq)
  FROM logs.seq_1_to_50;
INSERT INTO logs.ev_nts VALUES (1), (2);
INSERT INTO logs.evnts VALUES (1);
INSERT INTO logs.events_old VALUES (1);
});

# Tables of the replica's own (not PostgreSQL's, not the extension's), as
# "schema.table" lines in order.
sub pg_tables
{
	my ($node) = @_;
	return $node->safe_psql(
		'postgres', q{
		SELECT string_agg(n.nspname || '.' || c.relname, E'\n'
		                  ORDER BY n.nspname, c.relname)
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r', 'p')
		  AND n.nspname NOT IN ('pg_catalog', 'information_schema',
		                        'pg_toast', 'mysql_replica', 'public')});
}

# The snapshot's tables as "db.table -> target state" lines.
sub progress
{
	my ($node, $channel) = @_;
	return $node->safe_psql(
		'postgres', qq{
		SELECT string_agg(source_database || '.' || source_table || ' -> '
		                  || coalesce(target_table::text, '-') || ' ' || state,
		                  E'\\n' ORDER BY source_database, source_table)
		FROM mysql_replica.snapshot_progress WHERE channel = '$channel'});
}

# The rows of a MariaDB table and of a PostgreSQL table (which may be in a
# mapped schema), as text of the given columns, ordered by the first
# (an integer).  The tables here hold only integers, decimals and ASCII
# text, whose text forms are the same on both sides.
sub same_rows
{
	my ($node, $maria_table, $pg_table, $cols, $label) = @_;
	my $m = $maria->sql("SELECT CONCAT_WS('|', $cols) FROM $maria_table");
	my $p = $node->safe_psql('postgres',
		"SELECT concat_ws('|', $cols) FROM $pg_table");
	my $sort = sub {
		join("\n",
			sort { (split /\|/, $a)[0] <=> (split /\|/, $b)[0] || $a cmp $b }
			  split /\n/, shift);
	};
	isnt($m, '', "$label: MariaDB has rows");
	is($sort->($p), $sort->($m), $label);
	return;
}

sub count_of
{
	my ($node, $table) = @_;
	return $node->safe_psql('postgres', "SELECT count(*) FROM $table");
}

# ---------------------------------------------------------------------------
# Node A: include and exclude patterns, a schema map
# ---------------------------------------------------------------------------

my $node = replica_node('replica_a');
configure_channel(
	$node, $maria,
	initial_snapshot => 'true',
	include_tables   => '{shop.%,app.users,logs.ev_nts}',
	# In an array literal a backslash escapes: \\ is one backslash.
	exclude_tables => '{%.audit\\\\_%}',
	schema_map     => '{"shop": "shop_replica"}');
is( $node->safe_psql(
		'postgres',
		q{SELECT exclude_tables[1] FROM mysql_replica.status
		  WHERE channel = 'default'}),
	'%.audit\_%',
	'the exclude pattern keeps its backslash');
ok(wait_for_state($node, 'streaming', 'default', 300),
	'A: the snapshot completes and the channel streams');

is( pg_tables($node),
	join("\n",
		qw(app.users logs.ev_nts logs.events shop_replica.auditor
		  shop_replica.customers shop_replica.orders)),
	'A: exactly the included tables are copied: shop.% less audit_%, '
	  . 'app.users alone, logs.ev_nts matching events and ev_nts');
ok(!pg_schema_exists($node, 'shop'),
	'A: no schema named after the mapped database');
is( progress($node, 'default'),
	join("\n",
		'app.users -> app.users done',
		'logs.ev_nts -> logs.ev_nts done',
		'logs.events -> logs.events done',
		'shop.auditor -> shop_replica.auditor done',
		'shop.customers -> shop_replica.customers done',
		'shop.orders -> shop_replica.orders done'),
	'A: snapshot_progress lists the included tables and their mapped '
	  . 'targets');

same_rows($node, 'shop.orders', 'shop_replica.orders',
	'id, customer_id, total, status', 'A: shop.orders copied into shop_replica');
same_rows($node, 'shop.customers', 'shop_replica.customers', 'id, name',
	'A: shop.customers copied into shop_replica');
same_rows($node, 'shop.auditor', 'shop_replica.auditor', 'id, name',
	'A: shop.auditor copied (audit\_% does not match it)');
compare_schema($node, $maria, 'app', 'users');
compare_schema($node, $maria, 'logs', 'events');
same_rows($node, 'app.users', 'app.users', 'id, login', 'A: app.users copied');
same_rows($node, 'logs.events', 'logs.events', 'id, what',
	'A: logs.events copied');
is( join(', ', sort keys %{ pg_column_types($node, 'shop_replica', 'orders') }),
	'customer_id, id, status, total',
	'A: shop_replica.orders has the source\'s columns');
is( $node->safe_psql(
		'postgres',
		q{SELECT attidentity FROM pg_attribute
		  WHERE attrelid = 'shop_replica.orders'::regclass
		    AND attname = 'id'}),
	'd', 'A: the AUTO_INCREMENT column of a mapped table is an identity');

# --- streaming: included tables ------------------------------------------

$maria->sql(
	q{
INSERT INTO shop.orders (customer_id, total) VALUES (1, 9.99), (2, 19.99);
UPDATE shop.customers SET name = 'renamed' WHERE id = 3;
DELETE FROM shop.auditor WHERE id = 2;
INSERT INTO app.users VALUES (31, 'login31');
INSERT INTO logs.events VALUES (51, 'event 51');
});

# --- streaming: tables outside the scope -----------------------------------

$maria->sql(
	q{
INSERT INTO shop.audit_log VALUES (21, 'audit 21');
UPDATE shop.audit_log SET msg = 'changed' WHERE id = 1;
DELETE FROM shop.audit_log WHERE id = 2;
INSERT INTO app.user_roles VALUES (3, 'editor');
UPDATE app.users2 SET id = 2;
INSERT INTO logs.evnts VALUES (2);
INSERT INTO logs.events_old VALUES (2);
});
ok(wait_caught_up($node, $maria),
	'A: caught up after rows into included and excluded tables');
is(channel_status($node)->{state}, 'streaming',
	'A: rows of excluded tables do not stop the channel');
same_rows($node, 'shop.orders', 'shop_replica.orders',
	'id, customer_id, total, status',
	'A: streamed rows of shop.orders arrive in shop_replica');
same_rows($node, 'shop.customers', 'shop_replica.customers', 'id, name',
	'A: a streamed update arrives in shop_replica');
same_rows($node, 'shop.auditor', 'shop_replica.auditor', 'id, name',
	'A: a streamed delete arrives in shop_replica');
same_rows($node, 'app.users', 'app.users', 'id, login',
	'A: streamed rows of app.users arrive');
same_rows($node, 'logs.events', 'logs.events', 'id, what',
	'A: streamed rows of logs.events arrive');
is( pg_tables($node),
	join("\n",
		qw(app.users logs.ev_nts logs.events shop_replica.auditor
		  shop_replica.customers shop_replica.orders)),
	'A: rows of tables outside the scope create no table');

# --- streaming: DDL ----------------------------------------------------------

$maria->sql(
	q{
CREATE TABLE junk.t (id int PRIMARY KEY, v int);
INSERT INTO junk.t VALUES (1, 1);
CREATE TABLE shop.audit_new (id int PRIMARY KEY);
INSERT INTO shop.audit_new VALUES (1);
ALTER TABLE shop.audit_log ADD COLUMN x int;
INSERT INTO shop.audit_log VALUES (22, 'audit 22', 22);
DROP TABLE app.users2;
ALTER TABLE app.user_roles ADD COLUMN granted date;
});
ok(wait_caught_up($node, $maria), 'A: caught up after DDL outside the scope');
is(channel_status($node)->{state}, 'streaming',
	'A: DDL outside the scope does not stop the channel');
ok(!pg_table_exists($node, 'junk', 't'),
	'A: CREATE TABLE in a database outside the scope is ignored');
ok(!pg_table_exists($node, 'shop_replica', 'audit_new'),
	'A: CREATE TABLE of an excluded name in an included database is ignored');

$maria->sql(
	q{
ALTER TABLE shop.orders ADD COLUMN note varchar(50) NOT NULL DEFAULT 'none';
INSERT INTO shop.orders (customer_id, total, note) VALUES (3, 1.50, 'gift');
CREATE TABLE shop.refunds (
  id int PRIMARY KEY, order_id int NOT NULL, amount decimal(10,2));
INSERT INTO shop.refunds VALUES (1, 5, 2.50), (2, 7, 3.75);
RENAME TABLE shop.customers TO shop.clients;
INSERT INTO shop.clients VALUES (10, 'after the rename');
ALTER TABLE app.users ADD COLUMN email varchar(100);
UPDATE app.users SET email = CONCAT(login, '@example.org') WHERE id <= 5;
CREATE TABLE logs.ev3nts (id int PRIMARY KEY);
INSERT INTO logs.ev3nts VALUES (3);
});
ok(wait_caught_up($node, $maria), 'A: caught up after DDL on included tables');
is(channel_status($node)->{state}, 'streaming',
	'A: the channel streams after DDL on included tables');
is( pg_column_types($node, 'shop_replica', 'orders')->{note},
	'character varying(50)',
	'A: ALTER TABLE ADD COLUMN of a mapped table is applied in the mapped '
	  . 'schema');
same_rows($node, 'shop.orders', 'shop_replica.orders',
	'id, customer_id, total, status, note',
	'A: shop.orders rows match after ADD COLUMN');
ok(pg_table_exists($node, 'shop_replica', 'refunds'),
	'A: CREATE TABLE in a mapped database creates the table in the mapped '
	  . 'schema');
same_rows($node, 'shop.refunds', 'shop_replica.refunds',
	'id, order_id, amount', 'A: rows of the new table arrive');
ok( pg_table_exists($node, 'shop_replica', 'clients')
	  && !pg_table_exists($node, 'shop_replica', 'customers'),
	'A: RENAME TABLE in a mapped database renames in the mapped schema');
same_rows($node, 'shop.clients', 'shop_replica.clients', 'id, name',
	'A: rows of the renamed table match');
ok(!pg_schema_exists($node, 'shop'),
	'A: still no schema named after the mapped database');
compare_schema($node, $maria, 'app', 'users');
same_rows($node, 'app.users', 'app.users', 'id, login, email',
	'A: app.users rows match after ADD COLUMN');
ok(pg_table_exists($node, 'logs', 'ev3nts'),
	'A: CREATE TABLE of a name matching logs.ev_nts is applied');
same_rows($node, 'logs.ev3nts', 'logs.ev3nts', 'id',
	'A: rows of logs.ev3nts arrive');

# --- a new filter, set while stopped ------------------------------------------

stop_channel($node);
$node->safe_psql(
	'postgres', q{
	SELECT mysql_replica.change_source(
	  include_tables => '{shop.%,app.%}',
	  exclude_tables => ARRAY['%.audit\_%', 'app.users'])});
my $users_before = count_of($node, 'app.users');
my $events_before = count_of($node, 'logs.events');
start_channel($node);
ok(wait_for_state($node, 'streaming', 'default', 120),
	'A, new filter: the channel streams again');

$maria->sql(
	q{
INSERT INTO app.users VALUES (32, 'login32', NULL);
INSERT INTO logs.events VALUES (52, 'event 52');
CREATE TABLE app.prefs (id int PRIMARY KEY, v varchar(20));
INSERT INTO app.prefs VALUES (1, 'dark'), (2, 'light');
INSERT INTO shop.orders (customer_id, total) VALUES (4, 4.44);
});
ok(wait_caught_up($node, $maria), 'A, new filter: caught up');
is(channel_status($node)->{state}, 'streaming',
	'A, new filter: the channel is streaming');
is(count_of($node, 'app.users'), $users_before,
	'A, new filter: rows of the newly excluded app.users are ignored');
is(count_of($node, 'logs.events'), $events_before,
	'A, new filter: rows of logs.events, no longer included, are ignored');
ok(pg_table_exists($node, 'app', 'prefs'),
	'A, new filter: CREATE TABLE in the newly included app.% is applied');
same_rows($node, 'app.prefs', 'app.prefs', 'id, v',
	'A, new filter: rows of app.prefs arrive');
same_rows($node, 'shop.orders', 'shop_replica.orders',
	'id, customer_id, total, status, note',
	'A, new filter: shop.orders is still replicated');
ok(!pg_table_exists($node, 'app', 'user_roles'),
	'A, new filter: a channel with a position takes no new snapshot');

$node->stop;

# ---------------------------------------------------------------------------
# Node B: exclude patterns only
# ---------------------------------------------------------------------------

my $node_b = replica_node('replica_b');
configure_channel(
	$node_b, $maria,
	channel          => 'b',
	initial_snapshot => 'true',
	exclude_tables   => '{logs.%,%.audit\\\\_%,junk.%}');
ok(wait_for_state($node_b, 'streaming', 'b', 300),
	'B: the snapshot completes and the channel streams');
is( pg_tables($node_b),
	join("\n",
		qw(app.prefs app.user_roles app.users shop.auditor shop.clients
		  shop.orders shop.refunds)),
	'B: every table but the excluded ones is copied');
is( $node_b->safe_psql(
		'postgres', q{
		SELECT count(*) FROM mysql_replica.snapshot_progress
		WHERE source_database IN ('mysql', 'sys', 'performance_schema',
		                          'information_schema')}),
	'0', 'B: MariaDB\'s system databases are not copied');
foreach my $t (qw(app.prefs app.user_roles app.users shop.auditor
	shop.clients shop.orders shop.refunds))
{
	my ($p, $m) = compare_table($node_b, $maria, $t);
	is_deeply($p, $m, "B: every row of $t matches");
}
foreach my $t (qw(auditor clients orders refunds))
{
	compare_schema($node_b, $maria, 'shop', $t);
}

$maria->sql(
	q{
INSERT INTO logs.events VALUES (53, 'event 53');
INSERT INTO shop.audit_log VALUES (23, 'audit 23', 23);
INSERT INTO app.user_roles VALUES (4, 'owner', NULL);
});
ok(wait_caught_up($node_b, $maria, 'b'), 'B: caught up');
ok(!pg_table_exists($node_b, 'logs', 'events'),
	'B: rows of an excluded database create no table');
{
	my ($p, $m) = compare_table($node_b, $maria, 'app.user_roles');
	is_deeply($p, $m, 'B: streamed rows of app.user_roles arrive');
}
$node_b->stop;

# ---------------------------------------------------------------------------
# Node C: an include pattern only, with a schema map
# ---------------------------------------------------------------------------

my $node_c = replica_node('replica_c');
configure_channel(
	$node_c, $maria,
	channel          => 'c',
	initial_snapshot => 'true',
	include_tables   => '{app.user%}',
	schema_map       => '{"app": "App Copy"}');
ok(wait_for_state($node_c, 'streaming', 'c', 300),
	'C: the snapshot completes and the channel streams');
is( pg_tables($node_c),
	join("\n", 'App Copy.user_roles', 'App Copy.users'),
	'C: the tables matching app.user% are copied into the mapped schema');
same_rows($node_c, 'app.users', '"App Copy".users', 'id, login, email',
	'C: rows of app.users copied into "App Copy"');
same_rows($node_c, 'app.user_roles', '"App Copy".user_roles',
	'user_id, role', 'C: rows of app.user_roles copied into "App Copy"');
$node_c->stop;

$maria->stop;
done_testing();
