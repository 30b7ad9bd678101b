# ReplicaTest.pm
#
# Shared helpers for the mysql_replica TAP tests: a PostgreSQL node with the
# extension preloaded and created, channel configuration against a
# MariaDBServer, polling for channel states and for catch-up, comparing a
# replicated table row by row on both sides, and a generator for a
# transactional sample workload.
#
# Every helper that talks about a channel takes it as an optional last
# argument (or a 'channel' option) and defaults to 'default'.

package ReplicaTest;

use strict;
use warnings;

use Carp;
use Exporter 'import';
use JSON::PP ();
use Test::More;
use Time::HiRes qw(usleep time);

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;

our @EXPORT = qw(
  replica_node
  sql_literal
  configure_channel
  start_channel
  stop_channel
  channel_status
  poll_until
  wait_for_state
  wait_caught_up
  create_database_both
  compare_table
  table_matches
  workload_sql
  create_workload_tables
);

# Default seconds for the waits below.
our $default_timeout = 90;

# The extension speaks UTF-8 in all tests.
$ENV{PGCLIENTENCODING} = 'UTF8';

# A started PostgreSQL node with mysql_replica in shared_preload_libraries,
# the worker database set to 'postgres', and the extension created there.
#
# Options:
#   conf   extra postgresql.conf lines (string)
sub replica_node
{
	my ($name, %opts) = @_;

	my $node = PostgreSQL::Test::Cluster->new($name);
	$node->init(extra => [ '--encoding=UTF8', '--locale=C' ]);
	$node->append_conf(
		'postgresql.conf', qq{
shared_preload_libraries = 'mysql_replica'
mysql_replica.database = 'postgres'
max_worker_processes = 16
log_min_messages = debug1
});
	$node->append_conf('postgresql.conf', $opts{conf}) if defined $opts{conf};
	$node->start;
	$node->safe_psql('postgres', 'CREATE EXTENSION mysql_replica');
	return $node;
}

# Quote a Perl string as an SQL literal (standard_conforming_strings on),
# or NULL for undef.
sub sql_literal
{
	my ($value) = @_;
	return 'NULL' unless defined $value;
	(my $quoted = $value) =~ s/'/''/g;
	return "'$quoted'";
}

# change_source arguments that are numbers; the rest are text.
my %numeric_arg = map { $_ => 1 }
  qw(port server_id connect_retry retry_count heartbeat_period log_pos);

# A server_id per channel name, so that channels of one node that stream
# from the same MariaDB do not displace each other (MariaDB drops a binlog
# connection when another one arrives with the same server_id).
sub _default_server_id
{
	my ($channel) = @_;
	return 1000 + unpack('%32C*', $channel) % 1000;
}

# Point a channel at a MariaDBServer and (unless start => 0) start it.
#
# Options (all optional):
#   channel         default 'default'
#   user, password  default 'repl' / 'repl_password' (see create_repl_user)
#   host, port      default the server's
#   server_id       default 1000 + a small number per channel name
#   connect_retry   default 1 (seconds), so reconnect tests stay quick
#   retry_count, heartbeat_period, log_file, log_pos, ssl_mode, exec_mode,
#   auto_position, gtid_executed, unsupported_ddl, drop_database,
#   include_tables, exclude_tables (SQL array literals, '{d.%}'),
#   schema_map (JSON text)
#   initial_snapshot  default 'false': the tests that want the source's
#                   existing tables copied ask for it
#   start           default 1
sub configure_channel
{
	my ($node, $maria, %opts) = @_;

	my $channel = $opts{channel} // 'default';
	my %args = (
		host          => $opts{host}          // ($maria ? $maria->host : undef),
		port          => $opts{port}          // ($maria ? $maria->port : undef),
		username      => $opts{user}          // 'repl',
		password      => $opts{password}      // 'repl_password',
		server_id     => $opts{server_id}     // _default_server_id($channel),
		connect_retry => $opts{connect_retry} // 1,
		initial_snapshot => $opts{initial_snapshot} // 'false',
		map { $_ => $opts{$_} }
		  grep { defined $opts{$_} }
		  qw(retry_count heartbeat_period log_file log_pos ssl_mode
		  exec_mode auto_position gtid_executed unsupported_ddl
		  drop_database include_tables exclude_tables schema_map));

	my @named;
	foreach my $arg (sort keys %args)
	{
		next unless defined $args{$arg};
		my $value =
		  $numeric_arg{$arg} ? $args{$arg} : sql_literal($args{$arg});
		push @named, "$arg => $value";
	}
	push @named, 'channel => ' . sql_literal($channel);

	$node->safe_psql('postgres',
		'SELECT mysql_replica.change_source(' . join(', ', @named) . ')');
	start_channel($node, $channel) unless defined $opts{start} && !$opts{start};
	return;
}

sub start_channel
{
	my ($node, $channel) = @_;
	$channel //= 'default';
	$node->safe_psql('postgres',
		'SELECT mysql_replica.start_replica(' . sql_literal($channel) . ')',
		timeout => $default_timeout);
	return;
}

sub stop_channel
{
	my ($node, $channel) = @_;
	$channel //= 'default';
	$node->safe_psql('postgres',
		'SELECT mysql_replica.stop_replica(' . sql_literal($channel) . ')',
		timeout => $default_timeout);
	return;
}

# The channel's row of mysql_replica.status as a hashref (undef if there is
# no such channel).  Values keep their JSON types; NULL becomes undef.
sub channel_status
{
	my ($node, $channel) = @_;
	$channel //= 'default';
	my $json = $node->safe_psql('postgres',
		    'SELECT row_to_json(s) FROM mysql_replica.status s '
		  . 'WHERE s.channel = '
		  . sql_literal($channel));
	return undef if $json eq '';
	return JSON::PP->new->utf8(0)->decode($json);
}

# Run $query every 100 ms until its output equals $expected (default 't'),
# for at most $timeout seconds.  Returns true on success; on timeout, prints
# the last output with diag and returns false.  Unlike poll_query_until this
# takes its own timeout, and query errors just count as "not yet".
sub poll_until
{
	my ($node, $query, $expected, $timeout) = @_;
	$expected //= 't';
	$timeout  //= $default_timeout;

	my $deadline = time() + $timeout;
	my ($ret, $out, $err);
	while (1)
	{
		($ret, $out, $err) = $node->psql('postgres', $query, timeout => 30);
		$out //= '';
		return 1 if defined $ret && $ret == 0 && $out eq $expected;
		last if time() > $deadline;
		usleep(100_000);
	}
	diag "poll_until timed out after $timeout s\nquery: $query\n"
	  . "expected: $expected\nlast output: $out\nlast error: "
	  . ($err // '');
	return 0;
}

# Wait until the channel's state is one of @$states (or the single state
# given as a string).  Returns true on success, false (with a diag) on
# timeout.
sub wait_for_state
{
	my ($node, $states, $channel, $timeout) = @_;
	$channel //= 'default';
	$states = [$states] unless ref $states;

	my $list = join(', ', map { sql_literal($_) } @$states);
	my $ok = poll_until(
		$node,
		'SELECT state IN (' . $list . ') FROM mysql_replica.status '
		  . 'WHERE channel = ' . sql_literal($channel),
		't', $timeout);
	diag explain channel_status($node, $channel) unless $ok;
	return $ok;
}

# Wait until the channel has applied everything MariaDB has written to its
# binlog so far: SHOW MASTER STATUS equals status.source_log_file and
# source_log_pos.  Returns true on success.  Fails fast (false) if the
# channel goes to state 'error'; on failure, prints the channel's status.
sub wait_caught_up
{
	my ($node, $maria, $channel, $timeout) = @_;
	$channel //= 'default';
	$timeout //= $default_timeout;

	my ($file, $pos) = $maria->master_status;
	my $query =
	    'SELECT state, coalesce(source_log_file, \'\'), '
	  . 'coalesce(source_log_pos, -1) FROM mysql_replica.status '
	  . 'WHERE channel = '
	  . sql_literal($channel);

	my $deadline = time() + $timeout;
	my $last     = '';
	while (1)
	{
		my ($ret, $out) = $node->psql('postgres', $query, timeout => 30);
		$out //= '';
		$last = $out;
		if (defined $ret && $ret == 0)
		{
			my ($state, $f, $p) = split /\|/, $out;
			return 1 if defined $p && $f eq $file && $p eq $pos;
			if (defined $state && $state eq 'error')
			{
				diag "channel $channel is in state error while waiting "
				  . "for $file:$pos";
				last;
			}
		}
		last if time() > $deadline;
		usleep(100_000);
	}
	diag "channel $channel did not reach $file:$pos (last: $last)";
	diag explain channel_status($node, $channel);
	return 0;
}

# CREATE DATABASE on MariaDB and the schema of the same name on PostgreSQL.
sub create_database_both
{
	my ($node, $maria, $db) = @_;
	$maria->sql("CREATE DATABASE `$db`");
	$node->safe_psql('postgres', qq{CREATE SCHEMA "$db"});
	return;
}

# ---------------------------------------------------------------------------
# Row comparison
#
# Each value is turned into a canonical text form on its own side, so that
# equal values compare equal whatever the two servers' output formats are:
#   integers, decimals     their decimal text
#   FLOAT / real           rounded to single precision, printed with %.9g
#   DOUBLE / float8        printed with %.17g
#   character types        hex of the UTF-8 bytes (so latin1 columns compare
#                          against their UTF-8 conversion)
#   binary types / bytea   hex of the bytes
#   DATE                   YYYY-MM-DD
#   DATETIME / timestamp   YYYY-MM-DD HH:MM:SS.ffffff
#   TIMESTAMP / timestamptz the same, in UTC
#   NULL                   the string 'NULL' (cannot clash: strings are hex)
# ---------------------------------------------------------------------------

my %maria_kind = (
	(map { $_ => 'int' } qw(tinyint smallint mediumint int bigint year)),
	decimal => 'decimal',
	float   => 'float',
	double  => 'double',
	(
		map { $_ => 'text' }
		  qw(char varchar tinytext text mediumtext longtext enum set)
	),
	(
		map { $_ => 'binary' }
		  qw(binary varbinary tinyblob blob mediumblob longblob)
	),
	date      => 'date',
	datetime  => 'datetime',
	timestamp => 'timestamp',
	time      => 'time',);

sub _maria_expr
{
	my ($col, $type) = @_;
	my $kind = $maria_kind{$type} // 'other';
	my $c    = "`$col`";
	my $e =
	    $kind eq 'float'     ? "CAST($c AS DOUBLE)"
	  : $kind eq 'text'      ? "HEX(CONVERT($c USING utf8mb4))"
	  : $kind eq 'binary'    ? "HEX($c)"
	  : $kind eq 'date'      ? "DATE_FORMAT($c, '%Y-%m-%d')"
	  : $kind eq 'datetime'  ? "DATE_FORMAT($c, '%Y-%m-%d %H:%i:%s.%f')"
	  : $kind eq 'timestamp' ? "DATE_FORMAT($c, '%Y-%m-%d %H:%i:%s.%f')"
	  :                        "CAST($c AS CHAR)";
	return ("IFNULL($e, 'NULL')", $kind);
}

sub _pg_expr
{
	my ($col, $type) = @_;
	my $c = qq{"$col"};
	my ($e, $kind);
	if ($type =~ /^(smallint|integer|bigint|numeric)/)
	{
		($e, $kind) = ("${c}::text", 'int');
	}
	elsif ($type eq 'real')
	{
		($e, $kind) = ("${c}::float8::text", 'float');
	}
	elsif ($type eq 'double precision')
	{
		($e, $kind) = ("${c}::text", 'double');
	}
	elsif ($type =~ /^(text|character varying|character)\b/)
	{
		($e, $kind) = ("upper(encode(convert_to(${c}::text, 'UTF8'), 'hex'))",
			'text');
	}
	elsif ($type eq 'bytea')
	{
		($e, $kind) = ("upper(encode($c, 'hex'))", 'binary');
	}
	elsif ($type eq 'date')
	{
		($e, $kind) = ("to_char($c, 'YYYY-MM-DD')", 'date');
	}
	elsif ($type =~ /^timestamp\b.*without time zone/)
	{
		($e, $kind) = ("to_char($c, 'YYYY-MM-DD HH24:MI:SS.US')", 'datetime');
	}
	elsif ($type =~ /^timestamp\b.*with time zone/)
	{
		($e, $kind) = (
			"to_char($c AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')",
			'timestamp');
	}
	else
	{
		($e, $kind) = ("${c}::text", 'other');
	}
	return ("coalesce($e, 'NULL')", $kind);
}

sub _canonical_value
{
	my ($kind, $value) = @_;
	return $value if $value eq 'NULL';
	if ($kind eq 'float')
	{
		return sprintf('%.9g', unpack('f', pack('f', $value)));
	}
	if ($kind eq 'double')
	{
		return sprintf('%.17g', $value);
	}
	return $value;
}

# Order canonical key values: integers numerically (as strings, so that
# 64-bit unsigned values sort right), everything else as strings.
sub _cmp_value
{
	my ($x, $y) = @_;
	if ($x =~ /^(-?)(\d+)$/)
	{
		my ($xs, $xd) = ($1, $2);
		if ($y =~ /^(-?)(\d+)$/)
		{
			my ($ys, $yd) = ($1, $2);
			return $ys cmp $xs if $xs ne $ys;    # '-' sorts first
			my $c = length($xd) <=> length($yd) || $xd cmp $yd;
			return $xs eq '-' ? -$c : $c;
		}
	}
	return $x cmp $y;
}

sub _sort_rows
{
	my ($rows, $nkeys) = @_;
	return [
		sort {
			my $c = 0;
			for my $i (0 .. $#$a)
			{
				$c = _cmp_value($a->[$i], $b->[$i]);
				last if $c;
			}
			$c;
		} @$rows
	];
}

sub _parse_rows
{
	my ($out, $kinds, $sep) = @_;
	my @rows;
	foreach my $line (split /\n/, $out)
	{
		my @values = split /\Q$sep\E/, $line, -1;
		croak "unexpected row '$line' (want " . scalar(@$kinds) . " columns)"
		  unless @values == @$kinds;
		push @rows,
		  [ map { _canonical_value($kinds->[$_], $values[$_]) }
			  0 .. $#values ];
	}
	return \@rows;
}

# Read every row of $table ('db.table') on both sides in canonical form.
# Returns (\@pg_rows, \@mariadb_rows), each an arrayref of arrayrefs with the
# columns in MariaDB's column order (primary key columns first) and the rows
# sorted by those columns, ready for is_deeply.
sub compare_table
{
	my ($node, $maria, $table) = @_;
	my ($db, $tab) = split /\./, $table, 2;
	croak "compare_table wants 'database.table', got '$table'"
	  unless defined $tab;

	# Columns as MariaDB sees them, key columns first.
	my $cols = $maria->sql(
		"SELECT COLUMN_NAME, DATA_TYPE, IF(COLUMN_KEY = 'PRI', 0, 1) "
		  . 'FROM information_schema.COLUMNS '
		  . "WHERE TABLE_SCHEMA = '$db' AND TABLE_NAME = '$tab' "
		  . 'ORDER BY 3, ORDINAL_POSITION');
	croak "table $table not found on MariaDB" if $cols eq '';
	my @maria_cols = map { [ split /\t/ ] } split /\n/, $cols;

	my %pg_type = map { split /\t/ } split /\n/,
	  $node->safe_psql(
		'postgres',
		q{SELECT attname || E'\t' || format_type(atttypid, atttypmod)
		  FROM pg_attribute
		  WHERE attrelid = } . sql_literal(qq{"$db"."$tab"}) . q{::regclass
		    AND attnum > 0 AND NOT attisdropped});

	my (@m_exprs, @m_kinds, @p_exprs, @p_kinds);
	foreach my $col (@maria_cols)
	{
		my ($name, $type) = @$col;
		my ($me, $mk) = _maria_expr($name, $type);
		push @m_exprs, $me;
		push @m_kinds, $mk;

		my ($pe, $pk) =
		  defined $pg_type{$name}
		  ? _pg_expr($name, $pg_type{$name})
		  : ("'column $name is missing'", 'other');
		push @p_exprs, $pe;
		# Compare floats in the precision of the source column.
		$pk = $mk if $mk eq 'float' || $mk eq 'double';
		push @p_kinds, $pk;
	}

	my $maria_out = $maria->sql(
		"SET time_zone = '+00:00';\n"
		  . 'SELECT CONCAT_WS(\'|\', '
		  . join(', ', @m_exprs)
		  . ") FROM `$db`.`$tab`");
	my $pg_out = $node->safe_psql('postgres',
		    'SELECT concat_ws(\'|\', '
		  . join(', ', @p_exprs)
		  . qq{) FROM "$db"."$tab"});

	return (
		_sort_rows(_parse_rows($pg_out,    \@p_kinds, '|')),
		_sort_rows(_parse_rows($maria_out, \@m_kinds, '|')));
}

# A test that $table ('db.table') holds the same rows on both sides.
sub table_matches
{
	my ($node, $maria, $table, $label) = @_;
	my ($pg_rows, $my_rows) = compare_table($node, $maria, $table);
	local $Test::Builder::Level = $Test::Builder::Level + 1;
	return is_deeply($pg_rows, $my_rows, $label);
}

# ---------------------------------------------------------------------------
# Sample workload
# ---------------------------------------------------------------------------

# Create the workload's tables in database $db on both sides:
#   accounts(id int PK, owner varchar(40), balance decimal(12,2),
#            updated datetime(6))
#   ledger(id bigint PK, account_id int, amount decimal(12,2), note text)
sub create_workload_tables
{
	my ($node, $maria, $db) = @_;
	$maria->sql(
		qq{CREATE TABLE `$db`.accounts (
		     id int PRIMARY KEY, owner varchar(40) NOT NULL,
		     balance decimal(12,2) NOT NULL, updated datetime(6) NOT NULL
		   ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
		   CREATE TABLE `$db`.ledger (
		     id bigint PRIMARY KEY, account_id int NOT NULL,
		     amount decimal(12,2) NOT NULL, note text
		   ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;});
	$node->safe_psql(
		'postgres', qq{
		CREATE TABLE "$db".accounts (
		  id int PRIMARY KEY, owner varchar(40) NOT NULL,
		  balance numeric(12,2) NOT NULL, updated timestamp(6) NOT NULL);
		CREATE TABLE "$db".ledger (
		  id bigint PRIMARY KEY, account_id int NOT NULL,
		  amount numeric(12,2) NOT NULL, note text);});
	return;
}

# SQL text for a deterministic workload on the tables of
# create_workload_tables: $opts{transactions} transactions (default 500),
# each inserting ledger rows and updating account balances, some opening
# accounts, some deleting old ledger rows.  The first $opts{first_id}
# (default 1) sets where ids start, so several workloads can follow each
# other.  $opts{pause_every} / $opts{pause} (seconds) make the source pause
# now and then, so that a workload lasts long enough to be interrupted.
#
# Returns (sql_text, expected_number_of_transactions).
sub workload_sql
{
	my (%opts) = @_;
	my $db       = $opts{database}     // 'd';
	my $n        = $opts{transactions} // 500;
	my $first    = $opts{first_id}     // 1;
	my $every    = $opts{pause_every};
	my $pause    = $opts{pause}        // 0.01;
	my $accounts = 20;

	# A small linear congruential generator: the same text on every run.
	my $seed = $opts{seed} // 12345;
	my $rand = sub {
		my ($limit) = @_;
		$seed = ($seed * 1103515245 + 12345) % 2147483648;
		return $seed % $limit;
	};

	my @sql;
	if ($first == 1)
	{
		push @sql, 'BEGIN;';
		for my $a (1 .. $accounts)
		{
			push @sql,
			  "INSERT INTO `$db`.accounts VALUES ($a, 'owner $a', 0.00, "
			  . "'2024-01-01 00:00:00.000000');";
		}
		push @sql, 'COMMIT;';
	}

	for my $i ($first .. $first + $n - 1)
	{
		my $acct = 1 + $rand->($accounts);
		my $amount = sprintf('%d.%02d', $rand->(1000) - 500, $rand->(100));
		my $ts = sprintf('2024-02-%02d %02d:%02d:%02d.%06d',
			1 + $i % 28, $i % 24, $i % 60, $rand->(60), $rand->(1000000));
		push @sql, 'BEGIN;';
		push @sql,
		  "INSERT INTO `$db`.ledger VALUES ($i, $acct, $amount, "
		  . "'txn $i: transfer ''$amount''');";
		push @sql,
		  "UPDATE `$db`.accounts SET balance = balance + $amount, "
		  . "updated = '$ts' WHERE id = $acct;";
		if ($i % 7 == 0)
		{
			# A second statement on the same table in one transaction.
			push @sql,
			  "UPDATE `$db`.ledger SET note = CONCAT(note, ' (audited)') "
			  . "WHERE id = $i;";
		}
		if ($i % 10 == 0 && $i > $first)
		{
			# Delete a few earlier rows in one statement.
			my $lo = $i - 9;
			push @sql,
			  "DELETE FROM `$db`.ledger WHERE id BETWEEN $lo AND "
			  . ($lo + 2) . ';';
		}
		push @sql, 'COMMIT;';
		push @sql, "SELECT SLEEP($pause);"
		  if $every && $i % $every == 0;
	}
	return (join("\n", @sql) . "\n", $n + ($first == 1 ? 1 : 0));
}

1;
