# 021_ddl_policy.pl
#
# What the replica does with DDL it does not translate, and with tables it
# meets without having seen their CREATE TABLE:
#
#   - statements that change neither data nor table shape (CREATE USER,
#     GRANT, CREATE VIEW / PROCEDURE / FUNCTION / TRIGGER / EVENT, FLUSH,
#     ANALYZE TABLE, OPTIMIZE TABLE) are passed over with a LOG line and
#     the channel keeps streaming
#   - a table created before the channel's start position is created from
#     the table map's FULL metadata when its rows arrive
#   - a PostgreSQL table whose column types disagree with the table map
#     stops the channel with an error naming the column
#   - an unsupported statement (CREATE SEQUENCE) under unsupported_ddl
#     'stop' (the default) stops the channel with the statement and its
#     binlog position in last_error; skip_transaction() passes over it
#   - under unsupported_ddl 'skip' the channel keeps streaming, logs a
#     WARNING and counts the statement in status.skipped_statements and
#     status.last_skipped_statement; a CREATE TABLE with a DEFAULT that
#     PostgreSQL cannot compute is such a statement, and nothing of it runs
#   - DROP DATABASE under drop_database 'created' (the default) leaves a
#     schema the user made alone, 'never' keeps even a schema the replica
#     made, 'always' drops a schema the user made
#   - spatial columns become bytea, and SPATIAL indexes are not created,
#     when the database has no PostGIS

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

# PostgreSQL without PostGIS.
my $node = replica_node('replica');

# Before the channel's start position: databases and tables that the
# stream will never show being created.
$maria->sql(
	q{CREATE DATABASE app;
	  CREATE TABLE app.typed (
	    id int NOT NULL PRIMARY KEY,
	    amount decimal(8,2) NOT NULL,
	    born date,
	    label varchar(20),
	    big bigint unsigned,
	    seen_at datetime(3),
	    score double
	  );
	  CREATE TABLE app.mismatch (id int PRIMARY KEY, qty int);
	  CREATE TABLE app.misnamed (id int PRIMARY KEY, qty int);
	  CREATE DATABASE kept;
	  CREATE TABLE kept.t (id int PRIMARY KEY);
	  CREATE DATABASE mine;
	  CREATE TABLE mine.t (id int PRIMARY KEY);});
$node->safe_psql(
	'postgres', q{
	CREATE SCHEMA app;
	CREATE TABLE app.mismatch (id int PRIMARY KEY, qty date);
	CREATE TABLE app.misnamed (id int PRIMARY KEY, quantity int);
	CREATE SCHEMA kept;
	CREATE TABLE kept.local_notes (id int PRIMARY KEY, note text);
	INSERT INTO kept.local_notes VALUES (1, 'made in PostgreSQL');
	CREATE SCHEMA mine;});

configure_channel($node, $maria);
ok(wait_for_state($node, [ 'streaming', 'applying' ]),
	'channel reaches state streaming');

# Change channel settings: the channel must be stopped for change_source.
sub change_settings
{
	my ($settings) = @_;
	stop_channel($node);
	$node->safe_psql('postgres',
		"SELECT mysql_replica.change_source($settings)");
	start_channel($node);
	return wait_for_state($node, [ 'streaming', 'applying' ]);
}

# Whether the server log, from byte $offset on, has a message of the given
# level that (with its DETAIL, HINT and CONTEXT lines) matches $pattern,
# leaving out the lines that log the test's own statements.
sub log_has
{
	my ($level, $pattern, $offset) = @_;
	my @entries;
	foreach my $line (split /\n/, slurp_file($node->logfile, $offset))
	{
		if (@entries && $line =~ /\b(DETAIL|HINT|CONTEXT|STATEMENT):\s/)
		{
			$entries[-1] .= "\n$line";
		}
		else
		{
			push @entries, $line;
		}
	}
	return scalar grep { /^[^\n]*\b$level:\s/ && !/^[^\n]*\bstatement: / && /$pattern/ }
	  @entries;
}

# One value from PostgreSQL, or the error text (the query may name a table
# the replica failed to create).
sub pg_value
{
	my ($sql) = @_;
	my ($ret, $out, $err) = $node->psql('postgres', $sql);
	return $ret == 0 ? $out : "error: $err";
}

# --- statements passed over with a LOG line --------------------------------

my $log_offset = -s $node->logfile;
$maria->sql(
	q{CREATE TABLE app.events (id int PRIMARY KEY, kind varchar(20));
	  CREATE USER 'reporter'@'%' IDENTIFIED BY 'report_pw';
	  GRANT SELECT ON app.* TO 'reporter'@'%';
	  CREATE VIEW app.v_events AS SELECT id, kind FROM app.events;
	  CREATE PROCEDURE app.p_count_events() SELECT COUNT(*) FROM app.events;
	  CREATE FUNCTION app.f_double(x int) RETURNS int DETERMINISTIC
	    RETURN x * 2;
	  CREATE TRIGGER app.trg_events_kind BEFORE INSERT ON app.events
	    FOR EACH ROW SET NEW.kind = UPPER(NEW.kind);
	  CREATE EVENT app.ev_cleanup ON SCHEDULE EVERY 1 DAY
	    DO DELETE FROM app.events WHERE id < 0;
	  FLUSH PRIVILEGES;
	  FLUSH TABLES;
	  ANALYZE TABLE app.events;
	  OPTIMIZE TABLE app.events;
	  INSERT INTO app.events VALUES (1, 'signup'), (2, 'login');});

ok(wait_caught_up($node, $maria),
	'caught up over accounts, grants, views, routines, triggers, events, '
	  . 'FLUSH, ANALYZE and OPTIMIZE');
is(channel_status($node)->{state},
	'streaming', 'the channel keeps streaming after statements it passes over');
is(pg_value('SELECT string_agg(id || kind, \',\' ORDER BY id) FROM app.events'),
	'1SIGNUP,2LOGIN',
	'rows written after those statements arrive (as the trigger made them)');
is(pg_value(q{SELECT count(*) FROM pg_class WHERE relname = 'v_events'}),
	'0', 'CREATE VIEW creates nothing in PostgreSQL');
is(pg_value(q{SELECT count(*) FROM pg_roles WHERE rolname = 'reporter'}),
	'0', 'CREATE USER creates no role in PostgreSQL');
ok(log_has('LOG', qr/v_events/, $log_offset),
	'a LOG message shows the CREATE VIEW statement passed over');
ok(log_has('LOG', qr/p_count_events/, $log_offset),
	'a LOG message shows the CREATE PROCEDURE statement passed over');
compare_schema($node, $maria, 'app', 'events');

# --- spatial types without PostGIS ----------------------------------------

$maria->sql(
	q{CREATE TABLE app.places (
	    id int PRIMARY KEY,
	    pos point NOT NULL,
	    SPATIAL INDEX sp_places_pos (pos)
	  );
	  INSERT INTO app.places VALUES (1, ST_GeomFromText('POINT(1 2)')),
	                                (2, ST_GeomFromText('POINT(-3.5 4)'));});
ok(wait_caught_up($node, $maria), 'caught up after a table with a POINT');
is(pg_column_types($node, 'app', 'places')->{pos},
	'bytea', 'without PostGIS a POINT column becomes bytea');
compare_schema($node, $maria, 'app', 'places');
SKIP:
{
	skip 'no table app.places', 1
	  unless pg_table_exists($node, 'app', 'places');
	# MariaDB's internal form (SRID and WKB) or the WKB alone.
	my ($pg, $internal) = compare_expr($node, $maria, 'app', 'places', 'id',
		'HEX(pos)', q{upper(encode(pos, 'hex'))});
	my (undef, $wkb) = compare_expr($node, $maria, 'app', 'places', 'id',
		'HEX(ST_AsBinary(pos))', q{upper(encode(pos, 'hex'))});
	ok(@$pg == 2
		  && (join(' ', @$pg) eq join(' ', @$internal)
			|| join(' ', @$pg) eq join(' ', @$wkb)),
		'without PostGIS the bytea holds the geometry\'s bytes')
	  or diag explain { pg => $pg, mariadb => $internal };
}

# --- a table created before the start position, FULL metadata ------------

$maria->sql(
	q{INSERT INTO app.typed VALUES
	    (1, 12.50, '2000-02-29', 'first', 18446744073709551615,
	     '2024-01-02 03:04:05.678', 0.5),
	    (2, -0.01, NULL, NULL, 0, NULL, NULL);});
ok(wait_caught_up($node, $maria),
	'caught up after rows for a table created before the start position');
ok(pg_table_exists($node, 'app', 'typed'),
	'the table is created from the table map');
{
	my $types = pg_column_types($node, 'app', 'typed');
	my %expected = (
		id      => 'integer',
		amount  => 'numeric(8,2)',
		born    => 'date',
		big     => 'numeric(20,0)',
		seen_at => 'timestamp(3) without time zone',
		score   => 'double precision',);
	foreach my $col (sort keys %expected)
	{
		is($types->{$col}, $expected{$col},
			"table from the table map: column $col has type $expected{$col}");
	}
	like($types->{label} // '', qr/^(character varying|text)/,
		'table from the table map: VARCHAR column label is a character type');
}
if (pg_table_exists($node, 'app', 'typed'))
{
	my ($pg, $my) = compare_table($node, $maria, 'app.typed');
	is_deeply($pg, $my, 'rows of the table made from the table map match');
}
else
{
	fail('rows of the table made from the table map match (no table)');
}

# --- a PostgreSQL table that disagrees with the table map -----------------

my (undef, $pos_before_mismatch) = $maria->master_status;
$maria->sql(q{INSERT INTO app.mismatch VALUES (1, 42);});
ok(wait_for_state($node, 'error'),
	'a column of type date where MySQL has INT: state error');
my $st = channel_status($node);
like($st->{last_error}, qr/qty/, 'last_error names the column');
is($st->{source_log_pos}, $pos_before_mismatch,
	'the position stays before the transaction');
is(pg_value('SELECT count(*) FROM app.mismatch'),
	'0', 'nothing is written into the mismatched table');

$node->safe_psql('postgres',
	'ALTER TABLE app.mismatch ALTER COLUMN qty TYPE integer USING NULL');
start_channel($node);
ok(wait_caught_up($node, $maria), 'caught up after repairing the column');
is(pg_value('SELECT id || \':\' || qty FROM app.mismatch'),
	'1:42', 'the row arrives once the column type agrees');

# A column name the table map does not know.
my (undef, $pos_before_misnamed) = $maria->master_status;
$maria->sql(q{INSERT INTO app.misnamed VALUES (1, 7);});
ok(wait_for_state($node, 'error'),
	'a PostgreSQL column name the table map lacks: state error');
$st = channel_status($node);
like($st->{last_error}, qr/qty|quantity/,
	'last_error names the column that does not match');
is($st->{source_log_pos}, $pos_before_misnamed,
	'the position stays before the transaction');

$node->safe_psql('postgres',
	'ALTER TABLE app.misnamed RENAME COLUMN quantity TO qty');
start_channel($node);
ok(wait_caught_up($node, $maria), 'caught up after renaming the column');
is(pg_value('SELECT id || \':\' || qty FROM app.misnamed'),
	'1:7', 'the row arrives once the column names agree');

# --- an unsupported statement under unsupported_ddl 'stop' ----------------

my (undef, $pos_before_sequence) = $maria->master_status;
$maria->sql(
	q{CREATE SEQUENCE app.invoice_numbers START WITH 1000;
	  INSERT INTO app.events VALUES (3, 'after sequence');});
ok(wait_for_state($node, 'error'),
	'CREATE SEQUENCE under unsupported_ddl stop: state error');
$st = channel_status($node);
like($st->{last_error}, qr/CREATE SEQUENCE app\.invoice_numbers/i,
	'last_error holds the statement text');
like($st->{last_error}, qr/binlog\.\d{6}:\d+/,
	'last_error holds the binlog position');
is($st->{source_log_pos}, $pos_before_sequence,
	'the position stays before the statement');
is(pg_value('SELECT count(*) FROM app.events WHERE id = 3'),
	'0', 'nothing after the statement is applied');

$node->safe_psql('postgres', 'SELECT mysql_replica.skip_transaction()');
start_channel($node);
ok(wait_caught_up($node, $maria),
	'skip_transaction() and start_replica() pass over the statement');
is(pg_value('SELECT kind FROM app.events WHERE id = 3'),
	'AFTER SEQUENCE', 'rows after the skipped statement arrive');

# --- an unsupported statement under unsupported_ddl 'skip' ----------------

ok(change_settings(q{unsupported_ddl => 'skip'}),
	'channel streams again with unsupported_ddl skip');
$log_offset = -s $node->logfile;
$maria->sql(
	q{CREATE SEQUENCE app.order_numbers;
	  INSERT INTO app.events VALUES (4, 'after skip');});
ok(wait_caught_up($node, $maria),
	'CREATE SEQUENCE under unsupported_ddl skip: caught up');
$st = channel_status($node);
is($st->{state}, 'streaming', 'the channel keeps streaming');
is($st->{skipped_statements}, 1, 'skipped_statements counts the statement');
like($st->{last_skipped_statement} // '',
	qr/CREATE SEQUENCE app\.order_numbers/i,
	'last_skipped_statement holds the statement text');
ok(log_has('WARNING', qr/order_numbers/, $log_offset),
	'a WARNING shows the skipped statement');
is(pg_value('SELECT kind FROM app.events WHERE id = 4'),
	'AFTER SKIP', 'rows after the skipped statement arrive');

# A DEFAULT PostgreSQL cannot compute is found before anything runs, so
# the statement follows the policy too.
$maria->sql(
	q{CREATE TABLE app.tokens (id int PRIMARY KEY,
	    token char(36) DEFAULT (uuid()));
	  INSERT INTO app.events VALUES (5, 'after default');});
ok(wait_caught_up($node, $maria),
	'untranslatable DEFAULT under unsupported_ddl skip: caught up');
$st = channel_status($node);
is($st->{skipped_statements}, 2, 'skipped_statements counts it');
like($st->{last_skipped_statement} // '', qr/app\.tokens/,
	'last_skipped_statement is the CREATE TABLE');
ok(!pg_table_exists($node, 'app', 'tokens'), 'nothing of it was created');

# --- DROP DATABASE policies --------------------------------------------------

$maria->sql(
	q{CREATE DATABASE made_by_stream;
	  CREATE TABLE made_by_stream.t (id int PRIMARY KEY);
	  DROP DATABASE kept;
	  DROP DATABASE made_by_stream;});
ok(wait_caught_up($node, $maria), 'caught up after DROP DATABASE (created)');
ok(pg_schema_exists($node, 'kept'),
	"drop_database 'created': a schema the user made stays");
is(pg_value('SELECT note FROM kept.local_notes'),
	'made in PostgreSQL',
	"drop_database 'created': the user's table in it stays");
ok(!pg_schema_exists($node, 'made_by_stream'),
	"drop_database 'created': a schema the replica made is dropped");

ok(change_settings(q{drop_database => 'never'}),
	'channel streams again with drop_database never');
$maria->sql(
	q{CREATE DATABASE made_then_kept;
	  CREATE TABLE made_then_kept.t (id int PRIMARY KEY);
	  INSERT INTO made_then_kept.t VALUES (1);
	  DROP DATABASE made_then_kept;});
ok(wait_caught_up($node, $maria), 'caught up after DROP DATABASE (never)');
ok(pg_schema_exists($node, 'made_then_kept'),
	"drop_database 'never': even a schema the replica made stays");

ok(change_settings(q{drop_database => 'always'}),
	'channel streams again with drop_database always');
$maria->sql(q{DROP DATABASE mine;});
ok(wait_caught_up($node, $maria), 'caught up after DROP DATABASE (always)');
ok(!pg_schema_exists($node, 'mine'),
	"drop_database 'always': a schema the user made is dropped too");
is(channel_status($node)->{state},
	'streaming', 'the channel is still streaming at the end');

$node->stop;
$maria->stop;
done_testing();
