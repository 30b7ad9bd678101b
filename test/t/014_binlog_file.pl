# 014_binlog_file.pl
#
# mysql_replica.apply_binlog_file() replays binlog files that real MySQL
# servers (5.7, 8.0, 9.x) wrote, through the same decoder and applier as the
# network path: row values of every common type, MINIMAL row images and
# metadata, MySQL binary JSON and its partial updates, compressed
# transactions (TRANSACTION_PAYLOAD), tagged GTIDs, VECTOR, ENUM/SET by name,
# BIT.  Expected values come from mariadb-binlog -vv (an independent
# decoder) where it can read the file, and otherwise from the values the
# files are documented to hold.  Also: start/stop positions, statements
# stopping the replay unless on_statement => 'skip', corrupt files, and the
# superuser check.
#
# The binlogs are third-party test data in ../shared/data (beside the
# repository); the test skips when it cannot find them.

use strict;
use warnings;
use utf8;

use Cwd qw(abs_path);
use Encode qw(encode_utf8 decode_utf8);
use File::Basename qw(dirname);
use File::Copy qw(copy);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(time);

use ReplicaTest;

my $t_start = time();

# --- find the shared data -------------------------------------------------
sub find_shared_data
{
	my @candidates;
	push @candidates, $ENV{MR_SHARED_DATA} if $ENV{MR_SHARED_DATA};
	# Walk up from the test directory and the current directory (the TAP
	# run uses a copy of test/ elsewhere, so also try fixed places).
	foreach my $start (grep { defined } $ENV{TESTDIR}, '.', dirname(__FILE__))
	{
		my $dir = eval { abs_path($start) } or next;
		while ($dir ne '/' && $dir ne '')
		{
			push @candidates, "$dir/shared/data", "$dir/../shared/data";
			$dir = dirname($dir);
		}
	}
	push @candidates, '/work/shared/data';
	foreach my $c (@candidates)
	{
		return abs_path($c) if -d "$c/mysql-binlogs";
	}
	return undef;
}

my $shared = find_shared_data();
plan skip_all => 'shared binlog data not found (set MR_SHARED_DATA to the '
  . 'directory holding mysql-binlogs/, normally ../shared/data)'
  unless $shared;
note "shared data: $shared";
my $binlogs = "$shared/mysql-binlogs";

my $have_mariadb_binlog =
  system('mariadb-binlog --version >/dev/null 2>&1') == 0;

my $node = replica_node('replica');

# Copy the files into a directory the server (same OS user) can read.
my $copydir = PostgreSQL::Test::Utils::tempdir('binlogs');
sub local_copy
{
	my ($rel) = @_;
	(my $name = $rel) =~ s{/}{_}g;
	my $dst = "$copydir/$name";
	copy("$binlogs/$rel", $dst) or die "copy $rel: $!";
	chmod 0644, $dst;
	return $dst;
}

sub pg
{
	my ($sql) = @_;
	return decode_utf8($node->safe_psql('postgres', encode_utf8($sql)));
}

# apply_binlog_file as the superuser; returns ($ok, "transactions|rows",
# stderr).
sub apply_file
{
	my ($path, %opts) = @_;
	my @args = (sql_literal($path));
	push @args, "start_pos => $opts{start}" if defined $opts{start};
	push @args, "stop_pos => $opts{stop}"   if defined $opts{stop};
	push @args, 'on_statement => ' . sql_literal($opts{on_statement} // 'skip')
	  unless defined $opts{on_statement} && $opts{on_statement} eq 'default';
	my ($rc, $out, $err) = $node->psql(
		'postgres',
		'SELECT transactions, rows_applied FROM '
		  . 'mysql_replica.apply_binlog_file(' . join(', ', @args) . ')',
		timeout => 120,
		$opts{user} ? (extra_params => [ '-U', $opts{user} ]) : ());
	return ($rc == 0, $out // '', $err // '');
}

# Apply and check that it worked; returns the "transactions|rows" text.
sub apply_ok
{
	my ($path, $label, %opts) = @_;
	my ($ok, $out, $err) = apply_file($path, %opts);
	ok($ok, "$label: apply_binlog_file succeeds") or diag $err;
	return $ok ? $out : undef;
}

sub rows_applied
{
	my ($out) = @_;
	return undef unless defined $out;
	my (undef, $rows) = split /\|/, $out;
	return $rows;
}

# ---------------------------------------------------------------------------
# An oracle from mariadb-binlog -vv: the row events of a file, replayed in
# Perl to the final table contents.  Rows that an UPDATE or DELETE expects
# but that no earlier INSERT of the file wrote are "seed" rows: they existed
# on the source before the file started, and are put into PostgreSQL first.
# ---------------------------------------------------------------------------
sub parse_rows_text
{
	my ($text) = @_;
	my (@events, $cur, $img);
	foreach my $line (split /\n/, $text)
	{
		if ($line =~ /^### (INSERT INTO|UPDATE|DELETE FROM) `([^`]*)`\.`([^`]*)`$/)
		{
			my ($verb, $db, $tb) = ($1, $2, $3);
			$cur = {
				op     => substr($verb, 0, 1),
				db     => $db,
				table  => $tb,
				before => [],
				after  => [],
				types  => [] };
			push @events, $cur;
			$img = $cur->{op} eq 'I' ? 'after' : 'before';
			next;
		}
		next unless $cur;
		if ($line eq '### WHERE') { $img = 'before'; next; }
		if ($line eq '### SET')   { $img = 'after';  next; }
		if ($line =~
			m{^###   \@(\d+)=(.*) /\* (\S+?)(?:\(([\d,]+)\))? meta=\d+ nullable=\d is_null=(\d) \*/$}s
		  )
		{
			my ($n, $v, $type, $arg, $isnull) = ($1, $2, $3, $4, $5);
			$cur->{types}[ $n - 1 ] = [ $type, $arg ];
			my $val;
			if ($isnull) { $val = undef; }
			elsif ($v =~ /^'(.*)'$/s)
			{
				($val = $1) =~ s/\\x([0-9a-f]{2})/chr(hex $1)/ge;
				$val = decode_utf8($val);
			}
			else { ($val) = split / /, $v; }
			$cur->{$img}[ $n - 1 ] = $val;
		}
	}
	return \@events;
}

my %pg_type_of = (
	TINYINT   => 'smallint',
	SHORTINT  => 'integer',
	MEDIUMINT => 'integer',
	INT       => 'bigint',
	LONGINT   => 'bigint',
	DOUBLE    => 'double precision',
	FLOAT     => 'real',
	DATE      => 'date',
	VARSTRING => 'text',
	STRING    => 'text',
	'BLOB/TEXT' => 'text',);

sub pg_type
{
	my ($t) = @_;
	my ($type, $arg) = @$t;
	return "numeric($arg)"       if $type eq 'DECIMAL';
	return "timestamptz($arg)"   if $type eq 'TIMESTAMP';
	return "timestamp($arg)"     if $type eq 'DATETIME';
	return $pg_type_of{$type} // die "no PostgreSQL type for $type";
}

# Canonical text of a PostgreSQL column, comparable to mariadb-binlog's.
sub pg_canon_expr
{
	my ($col, $t) = @_;
	my $type = $t->[0];
	my $e =
	    $type eq 'TIMESTAMP' ? "floor(extract(epoch FROM $col))::bigint::text"
	  : $type eq 'DATE'      ? "to_char($col, 'YYYY:MM:DD')"
	  :                        "$col\::text";
	return "coalesce($e, '<NULL>')";
}

sub canon_value
{
	my ($t, $v) = @_;
	return '<NULL>' unless defined $v;
	return sprintf('%.15g', $v) if $t->[0] eq 'DOUBLE' || $t->[0] eq 'FLOAT';
	return $v;
}

sub seed_literal
{
	my ($t, $v) = @_;
	return 'NULL' unless defined $v;
	my $type = $t->[0];
	return "to_timestamp($v)" if $type eq 'TIMESTAMP';
	return "to_date('$v', 'YYYY:MM:DD')" if $type eq 'DATE';
	return sql_literal($v) if $pg_type_of{$type} && $pg_type_of{$type} eq 'text';
	return $v;
}

# Replay the decoded row events: returns { "db.table" => { types, rows,
# seeds } }.
sub simulate
{
	my ($events) = @_;
	my %t;
	my $key = sub { join("\x1f", map { $_ // "\0NULL" } @{ $_[0] }) };
	foreach my $e (@$events)
	{
		my $k = "$e->{db}.$e->{table}";
		my $tab = $t{$k} //= { db => $e->{db}, table => $e->{table},
			types => $e->{types}, rows => [], seeds => [] };
		my $rows = $tab->{rows};
		if ($e->{op} ne 'I')
		{
			my $b = $key->($e->{before});
			my ($i) = grep { $key->($rows->[$_]) eq $b } 0 .. $#$rows;
			unless (defined $i)
			{
				push @{ $tab->{seeds} }, $e->{before};
				push @$rows, $e->{before};
				$i = $#$rows;
			}
			splice(@$rows, $i, 1);
		}
		push @$rows, $e->{after} if $e->{op} ne 'D';
	}
	return \%t;
}

# Create every table of the simulation in PostgreSQL (columns c1..cN of the
# decoded types, no key), and insert the seed rows.
sub create_simulated_tables
{
	my ($sim) = @_;
	foreach my $k (sort keys %$sim)
	{
		my $tab = $sim->{$k};
		my @cols = map { "c$_ " . pg_type($tab->{types}[ $_ - 1 ]) }
		  1 .. scalar @{ $tab->{types} };
		my $sql = qq{CREATE SCHEMA IF NOT EXISTS "$tab->{db}";
		  CREATE TABLE "$tab->{db}"."$tab->{table}" (} . join(', ', @cols) . ");\n";
		foreach my $seed (@{ $tab->{seeds} })
		{
			$sql .= qq{INSERT INTO "$tab->{db}"."$tab->{table}" VALUES (}
			  . join(', ',
				map { seed_literal($tab->{types}[$_], $seed->[$_]) }
				  0 .. $#{ $tab->{types} })
			  . ");\n";
		}
		pg($sql);
	}
	return;
}

# Compare every simulated table with PostgreSQL.
sub check_simulated_tables
{
	my ($sim, $label) = @_;
	foreach my $k (sort keys %$sim)
	{
		my $tab   = $sim->{$k};
		my @types = @{ $tab->{types} };
		my $sql =
		    q{SELECT concat_ws(E'\x1f', }
		  . join(', ', map { pg_canon_expr("c" . ($_ + 1), $types[$_]) } 0 .. $#types)
		  . qq{) FROM "$tab->{db}"."$tab->{table}"};
		my @pgrows = map {
			my @v = split /\x1f/, $_, -1;
			join("\x1f", map { canon_value($types[$_], $v[$_]) } 0 .. $#v)
		} split /\n/, pg($sql);
		my @want = map {
			my $r = $_;
			join("\x1f", map { canon_value($types[$_], $r->[$_]) } 0 .. $#types)
		} @{ $tab->{rows} };
		is_deeply([ sort @pgrows ], [ sort @want ],
			"$label: $k has the rows mariadb-binlog decodes ("
			  . scalar(@want) . ' rows, '
			  . scalar(@{ $tab->{seeds} }) . ' seeded)');
	}
	return;
}

sub decoded_text
{
	my ($path) = @_;
	my $text = `mariadb-binlog --base64-output=decode-rows -vv '$path' 2>/dev/null`;
	return $text;
}

# ===========================================================================
# rust-us-mysql-cdc-rs 8.0: int_table insert, update, delete
# ===========================================================================
my $t0 = time();
my $f18 = local_copy(
	'rust-us-mysql-cdc-rs/8.0/19_30_Table_map_event_Write_rows_log_event/binlog.000018');
pg(q{CREATE SCHEMA test;
     CREATE TABLE test.int_table (col1 smallint, col2 smallint, col3 integer,
       col4 integer, col5 bigint, col6 smallint);
     CREATE TABLE test.test1 (id int PRIMARY KEY, name varchar(20));});

# Without on_statement => 'skip', the CREATE TABLE statements stop the replay.
{
	my ($ok, $out, $err) = apply_file($f18, on_statement => 'default');
	ok(!$ok, 'a statement in the file stops the replay by default');
	like($err, qr/\b(236|525)\b/,
		'the error names the position of the statement (236)');
	is(pg(q{SELECT count(*) FROM test.int_table}), '0',
		'nothing was applied');
}
{
	my $out = apply_ok($f18, 'Write_rows 8.0');
	is(rows_applied($out), '1', 'one row applied');
	is(pg(q{SELECT concat_ws('|', col1, col2, col3, col4, col5, col6)
	        FROM test.int_table}),
		'1|11|111|1111|11111|1', 'int_table row inserted');
}
pg(q{TRUNCATE test.int_table});
{
	my $out = apply_ok(
		local_copy('rust-us-mysql-cdc-rs/8.0/31_update_rows_v2/binlog.000001'),
		'Update_rows 8.0');
	is(rows_applied($out), '2', 'insert and update applied');
	is(pg(q{SELECT concat_ws('|', col1, col2, col3, col4, col5, col6)
	        FROM test.int_table}),
		'1|22|222|1111|11111|1', 'int_table row updated (col2, col3)');
}
pg(q{TRUNCATE test.int_table});
{
	my $f = local_copy('rust-us-mysql-cdc-rs/8.0/32_delete_rows_v2/binlog.000001');
	my $out = apply_ok($f, 'Delete_rows 8.0');
	is(rows_applied($out), '3', 'insert, update and delete applied');
	is(pg(q{SELECT count(*) FROM test.int_table}), '0',
		'int_table row deleted');
}
note sprintf('int_table files: %.1f s', time() - $t0);

# ===========================================================================
# Files checked against mariadb-binlog's decoding of every row
# ===========================================================================
SKIP:
{
	skip 'mariadb-binlog is not installed', 8 unless $have_mariadb_binlog;
	$t0 = time();

	# TPC-H lineitem-like rows: DECIMAL, DATE, multibyte VARCHAR.
	my $f733 = local_copy('rust-us-mysql-cdc-rs/8.0/02_query_bigger/binlog.000733');
	my $sim733 = simulate(parse_rows_text(decoded_text($f733)));
	is(join(',', sort keys %$sim733), 'test.Demo,test.LINEITEM',
		'02_query_bigger: tables');
	create_simulated_tables($sim733);
	my $out = apply_ok($f733, '02_query_bigger (DECIMAL/DATE)');
	is(rows_applied($out), '14', '02_query_bigger: 14 rows applied');
	check_simulated_tables($sim733, '02_query_bigger');
	is(pg(q{SELECT string_agg(concat_ws('|', c1, c5, c6, c7, c8, c9, c11, c16),
	          E'\n' ORDER BY c1) FROM test."LINEITEM"}),
		join("\n",
			'1234567890111|99.911|76.11|888.1|109.1|code|1990-08-01|com',
			'12345678909876|99.998|76.77|888.7|109.7|code|1990-08-01|com',
			'12345678909877|88.880|76.88|888.1|109.8|update L_RETURNFLAG |1990-08-01|com',
			'12345678909878|99.999|76.99|888.5|109.9|code|1990-08-01|'
			  . '使用箭头标记 -> 不是 SQL 语句的一部分，它仅仅表示一个新行，如果一条 SQL '
			  . '语句太长，我们可以通过回车键来创建一个新行来编写 SQL 语句，SQL '
			  . '语句的命令结束符为分号 ;。'),
		'LINEITEM: exact DECIMAL, DATE and text values after update and deletes');
	is(pg(q{SELECT string_agg(concat_ws('|', c1, coalesce(c10, 'NULL'),
	          coalesce(c16, 'NULL')), ',' ORDER BY c1) FROM test."Demo"}),
		'12345678909876|NULL|NULL,12345678909877|Y|NULL,12345678909878|NULL|NULL,'
		  . '12345678909879|Y|NULL,12345678909880|Y|NULL',
		'Demo: NULLs');
	note sprintf('02_query_bigger: %.1f s', time() - $t0);

	# MySQL 5.7 application data with CRC32 checksums.
	$t0 = time();
	my $fcrc = local_copy('mysql-binlog-connector-java/mysql-bin.checksum-crc32');
	my $simcrc = simulate(parse_rows_text(decoded_text($fcrc)));
	create_simulated_tables($simcrc);
	$out = apply_ok($fcrc, 'mysql-bin.checksum-crc32 (5.7)');
	check_simulated_tables($simcrc, 'checksum-crc32');
	is(pg(q{SET timezone = 'UTC';
	        SELECT concat_ws('|', c1, c2, c3, c5, c9) FROM simu_file_dev.file
	        WHERE c1 = 12600330}),
		'12600330|陶瓷.jpg|/12300105/|12300105|449847',
		'5.7: a file row after its updates (CJK text, DOUBLE)');
	is(pg(q{SET timezone = 'UTC';
	        SELECT concat_ws('|', c1, c2, c5, c12) FROM simu_file_dev.folder
	        WHERE c1 = 12300107}),
		'12300107|3文件夹1的子夹1|2018-05-04 11:32:49+00|12200003',
		'5.7: a seeded folder row after its update (TIMESTAMP)');
	is(pg(q{SELECT concat_ws('|', c2, c8, c9, c13) FROM menkor_dev.fund_account}),
		'0.00|CNY|yan闫庆庆|0.00', '5.7: DECIMAL(17,2) and utf8 text');
	note sprintf('checksum-crc32: %.1f s', time() - $t0);
}

# ===========================================================================
# MINIMAL row image and metadata: INT UNSIGNED by signedness metadata
# ===========================================================================
$t0 = time();
pg(q{CREATE SCHEMA noria;
     CREATE TABLE noria.t1 (c1 int, c2 bytea, c3 text, c4 int, c5 bigint);});
{
	my $out = apply_ok(local_copy('rust_mysql_common/minimal_row_metadata.000001'),
		'minimal_row_metadata');
	is(pg(q{SELECT concat_ws('|', c1, coalesce(c2::text, 'NULL'), c3,
	          coalesce(c4::text, 'NULL'), c5) FROM noria.t1}),
		'1|NULL|a|NULL|3230202323',
		'MINIMAL image: absent columns get their defaults, INT UNSIGNED '
		  . '3230202323 is not negative');
}

# ===========================================================================
# MySQL binary JSON, full and partial updates
# ===========================================================================
pg(q{CREATE SCHEMA mysql;
     CREATE TABLE mysql.t (id int PRIMARY KEY, json_col jsonb,
       name varchar(100), age int);});
my $fjson = local_copy('rust_mysql_common/json.binlog.000001');
my $json_row = sub {
	my ($id, $age) = @_;
	my %n = (1 => [ 'Joe', 'x' ], 2 => [ 'Sue', 'y' ], 3 => [ 'Pete', 'z' ]);
	my ($name, $ch) = @{ $n{ ($id - 1) % 3 + 1 } };
	return sprintf('%d|{"age": %d, "data": "%s", "name": "%s"}|%s|%d',
		$id, $age, $ch x 10, $name, $name, $age);
};
{
	# Up to the end of the full UPDATE (its XID ends at 3527).
	my $out = apply_ok($fjson, 'json.binlog up to the full update', stop => 3527);
	is(pg(q{SELECT string_agg(concat_ws('|', id, json_col, name, age), E'\n'
	          ORDER BY id) FROM mysql.t}),
		join("\n", map { $json_row->($_, [ 25, 33, 41 ]->[ ($_ - 1) % 3 ]) } 1 .. 6),
		'binary JSON documents decoded to jsonb; full UPDATE applied');
	$out = apply_ok($fjson, 'json.binlog partial update', start => 3527);
	is(rows_applied($out), '6', 'PARTIAL_UPDATE_ROWS: 6 rows');
	is(pg(q{SELECT string_agg(concat_ws('|', id, json_col, name, age), E'\n'
	          ORDER BY id) FROM mysql.t}),
		join("\n", map { $json_row->($_, [ 26, 34, 42 ]->[ ($_ - 1) % 3 ]) } 1 .. 6),
		'PARTIAL_UPDATE_ROWS: the jsonb values equal the full documents');
	is(pg(q{SELECT bool_and(json_col = jsonb_build_object('age', age,
	          'data', json_col->'data', 'name', name)) FROM mysql.t}),
		't', 'every document agrees with its generated columns');
}

pg(q{CREATE SCHEMA foo; CREATE TABLE foo.test (a jsonb);});
{
	my $out = apply_ok(local_copy('rust_mysql_common/json-opaque.binlog'),
		'json-opaque.binlog');
	is(pg(q{SELECT string_agg(a::text, E'\n' ORDER BY a::text) FROM foo.test}),
		join("\n", sort
			'{"a": "base64:type15:VQ=="}',
			'{"b": "2012-03-18"}',
			'{"c": "2012-03-18 11:30:45.000000"}',
			'{"c": "87:31:46.654321"}',
			'{"d": 123.456}',
			'{"e": 9.00}',
			'{"e": [0, 1, true, false]}',
			'{"e": null}'),
		'JSON opaque values (DATE, DATETIME, TIME, DECIMAL, VARCHAR)');
}
note sprintf('JSON files: %.1f s', time() - $t0);

# ===========================================================================
# Compressed transactions, tagged GTIDs
# ===========================================================================
$t0 = time();
my @movie = (
	1, 'Once Upon a Time in the West', 1968, 'Italy', 'Western',
	'Claudia Cardinale|Charles Bronson|Henry Fonda|Gabriele Ferzetti|'
	  . 'Frank Wolff|Al Mulock|Jason Robards|Woody Strode|Jack Elam|'
	  . 'Lionel Stander|Paolo Stoppa|Keenan Wynn|Aldo Sambrell',
	'Sergio Leone', 'Ennio Morricone',
	'Sergio Leone|Sergio Donati|Dario Argento|Bernardo Bertolucci',
	'Tonino Delli Colli', 'Paramount Pictures');
pg(q{CREATE SCHEMA demo;
     CREATE TABLE demo.movies (movie_id int PRIMARY KEY, title text,
       year int, country text, genre text, actors text, director text,
       composer text, screenwriter text, cinematographer text,
       production_company text);
     INSERT INTO demo.movies VALUES (}
	  . join(', ', map { /^\d+$/ ? $_ : sql_literal($_) } @movie) . ')');
{
	my $out = apply_ok(local_copy('mysql-binlog-connector-java/mysql-bin.compressed'),
		'mysql-bin.compressed (TRANSACTION_PAYLOAD)');
	is(rows_applied($out), '1', 'compressed payload: one row');
	my @after = @movie;
	$after[4] = 'Western|Action';
	is(pg(q{SELECT concat_ws('|', movie_id, title, year, country, genre,
	          actors, director, composer, screenwriter, cinematographer,
	          production_company) FROM demo.movies}),
		join('|', @after), 'the UPDATE inside the zstd payload is applied');
}
pg(q{CREATE TABLE test.tb1 (c1 int)});
{
	my $out = apply_ok(local_copy('rust_mysql_common/transaction_compression.000001'),
		'transaction_compression');
	is(pg(q{SELECT string_agg(c1::text, ',') FROM test.tb1}), '1',
		'compressed INSERT into test.tb1');
}
pg(q{CREATE TABLE test.orders (c1 int, c2 int, c3 numeric(10,2))});
{
	my $out = apply_ok(
		local_copy('rust_mysql_common/binlog_transaction_with_GTID_TAG.000001'),
		'tagged GTID (MySQL 9.6)');
	is(pg(q{SELECT concat_ws('|', c1, c2, c3) FROM test.orders}),
		'3|100|250.00', 'row after a tagged GTID, DECIMAL(10,2)');
}
note sprintf('compressed/GTID files: %.1f s', time() - $t0);

# ===========================================================================
# VECTOR, ENUM/SET, BIT
# ===========================================================================
$t0 = time();
pg(q{CREATE SCHEMA dtb;
     CREATE TABLE dtb.foo (id numeric(20,0) PRIMARY KEY, vector_column real[]);
     CREATE TABLE dtb.bar (id numeric(20,0) PRIMARY KEY, vector_column real[],
       foo text, vector_column2 real[]);});
{
	my $f = local_copy('rust_mysql_common/vector.binlog');
	apply_ok($f, 'vector.binlog, first round', stop => 1432);
	is(pg(q{SELECT string_agg(id || '|' || vector_column::text, ',' ORDER BY id)
	        FROM dtb.foo}),
		'1|{1.1,2.2,3.3},2|{1,-1,0}', 'VECTOR(3) into real[]');
	is(pg(q{SELECT string_agg(concat_ws('|', id, vector_column,
	          coalesce(foo, 'NULL'), vector_column2), ',' ORDER BY id) FROM dtb.bar}),
		'1|{1.1,2.2}|NULL|{1.1,2.2,3.3,4.4},2|{1.01,-1.01}|bar|{42,43,44,45}',
		'VECTOR(2) and VECTOR(4) beside TEXT');
	# The file drops and recreates the database: do the same here.
	pg(q{TRUNCATE dtb.foo, dtb.bar});
	apply_ok($f, 'vector.binlog, second round', start => 1432);
	is(pg(q{SELECT string_agg(concat_ws('|', id, vector_column,
	          coalesce(foo, 'NULL'), vector_column2), ',' ORDER BY id) FROM dtb.bar}),
		'1|{1.1,2.2}|NULL|{1.1,2.2,3.3,4.4},3|{2.01,-2.01}|NULL|{42.1,43.2,44.3,45.4}',
		'VECTOR rows after a delete and an insert');
	is(pg(q{SELECT count(*) FROM dtb.foo}), '2', 'second round of dtb.foo');
}

pg(q{CREATE TABLE mysql.t_enum (f1 text, f2 varchar(300), f3 text, f4 text,
       f5 text)});
# The file's table is mysql.t, which the JSON file above also uses; move the
# JSON table out of the way.
pg(q{ALTER TABLE mysql.t RENAME TO t_json; ALTER TABLE mysql.t_enum RENAME TO t});
{
	my $f = local_copy('rust_mysql_common/mysql-enum-string-set.000001');
	my $b129 = ('0123456789' x 12) . '012345678';
	my $long = $b129 x 2 . ('0123456789' x 4);
	apply_ok($f, 'mysql-enum-string-set insert', stop => 1560);
	is(pg(q{SELECT concat_ws('|', f1, f2, f3, f4, f5) FROM mysql.t}),
		join('|', '0123456789' x 10, $long, 'var1', 'one,three', '0123456789'),
		'ENUM and SET arrive by name (full metadata)');
	apply_ok($f, 'mysql-enum-string-set update', start => 1560, stop => 2659);
	is(pg(q{SELECT concat_ws('|', f1, f2, f3, f4, f5) FROM mysql.t}),
		join('|', 'field1', 'field_2', 'variant2', 'two,four', $long),
		'updated ENUM and SET');
	apply_ok($f, 'mysql-enum-string-set delete', start => 2659);
	is(pg(q{SELECT count(*) FROM mysql.t}), '0', 'row deleted by its ENUM/SET image');
}

pg(q{CREATE TABLE mysql.foo (a bit(3), b text, c bit(8))});
{
	apply_ok(local_copy('rust_mysql_common/mysql_type_bit.000001'), 'mysql_type_bit');
	is(pg(q{SELECT concat_ws('|', a, b, c) FROM mysql.foo}),
		'100|foo|00100000', 'BIT(3) and BIT(8) into bit(n)');
}
note sprintf('vector/enum/bit files: %.1f s', time() - $t0);

# ===========================================================================
# Errors
# ===========================================================================
{
	my ($ok, $out, $err) =
	  apply_file(local_copy('rust_mysql_common/binlog_truncated_event.000001'));
	ok(!$ok, 'a truncated event is an error');
	like($err, qr/(position|pos|offset|at)\D{0,4}4\b/i,
		'the error names the position of the truncated event (4)');
	like($err, qr/binlog_truncated_event/, 'the error names the file');

	($ok, $out, $err) =
	  apply_file(local_copy('rust_mysql_common/corrupt-relay-bin.000624'));
	ok(!$ok, 'a corrupt relay log is an error');
	like($err, qr/\b91204\b/, 'the error names the position of the bad event (91204)');

	($ok, $out, $err) = apply_file("$copydir/no_such_file");
	ok(!$ok, 'a missing file is an error');
}
{
	pg(q{CREATE ROLE plain_user LOGIN});
	my ($ok, $out, $err) = apply_file($f18, user => 'plain_user');
	ok(!$ok, 'a non-superuser cannot call apply_binlog_file');
	like($err, qr/permission denied|must be superuser/i, 'permission denied');
	pg(q{GRANT USAGE ON SCHEMA mysql_replica TO plain_user;
	     GRANT EXECUTE ON FUNCTION mysql_replica.apply_binlog_file(text, bigint,
	       bigint, text) TO plain_user});
	($ok, $out, $err) = apply_file($f18, user => 'plain_user');
	ok(!$ok, 'a non-superuser cannot call it even with EXECUTE granted');
	like($err, qr/permission denied|must be superuser/i,
		'permission denied (superuser only)');
}

# --- MySQL GTIDs: the replay reports the GTIDs it applied ------------------
{
	pg(q{CREATE SCHEMA IF NOT EXISTS a;
	     CREATE TABLE a.b (a int);
	     CREATE TABLE a.emoji (id int, s text);
	     INSERT INTO a.b VALUES (12), (12), (12), (12);});
	my $f = local_copy('apecloud-mysql-binlog-connector-rust/mysql-bin.000080');
	is( pg( q{SELECT gtid_executed FROM mysql_replica.apply_binlog_file(}
			  . sql_literal($f) . q{, on_statement => 'skip')}),
		'58cf6502-63db-11ed-8079-0242ac110002:53-62',
		'MySQL GTIDs of applied and skipped transactions, merged into one interval');

	pg(q{CREATE SCHEMA IF NOT EXISTS test;
	     DROP TABLE IF EXISTS test.orders;
	     CREATE TABLE test.orders (id int PRIMARY KEY, c int, amount numeric(10,2))});
	$f = local_copy('rust_mysql_common/binlog_transaction_with_GTID_TAG.000001');
	is( pg( q{SELECT gtid_executed FROM mysql_replica.apply_binlog_file(}
			  . sql_literal($f) . q{)}),
		'55778904-0299-11f1-b1b8-4ef0c4956feb:mytag:3',
		'a MySQL 9 tagged GTID, in MySQL\'s text form');
}

# --- on_statement => 'apply': a MySQL 5.7 server's own DDL replayed --------
# CREATE DATABASE, CREATE TABLE as MySQL logged it (utf8 comments,
# bigint unsigned AUTO_INCREMENT, AUTO_INCREMENT=674122), MODIFY twice,
# DROP KEY then ADD KEY of the same name, account statements, tables
# created in two databases and one dropped by its qualified name.
{
	my $f = local_copy('alibaba-canal/tsdb/mysql-bin.000002');
	my $out = apply_ok($f, 'MySQL 5.7 DDL', on_statement => 'apply');
	is($out, '16|1', 'every statement and the one row applied');
	is( pg( q{SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod)
	          || CASE WHEN attnotnull THEN ' not null' ELSE '' END, ', '
	          ORDER BY attnum) FROM pg_attribute
	          WHERE attrelid = 'local.exception'::regclass AND attnum > 0
	          AND NOT attisdropped}),
		'id bigint not null, task_name character varying(64) not null, '
		  . 'service_name character varying(64), '
		  . 'worker_name character varying(128) not null, '
		  . 'env character varying(100) not null, exp_str text not null, '
		  . 'exp_type character varying(128), solution character varying(512), '
		  . 'gmt_create timestamp(0) without time zone not null, '
		  . 'gmt_modified timestamp(0) without time zone not null',
		'local.exception has the columns and types of the MySQL table');
	is( pg( q{SELECT string_agg(def, '; ' ORDER BY def) FROM
	          (SELECT regexp_replace(pg_get_indexdef(indexrelid), '.* USING ',
	          '') AS def FROM pg_index
	          WHERE indrelid = 'local.exception'::regclass) i}),
		'btree (gmt_modified); btree (id); '
		  . 'btree (task_name, service_name, gmt_create); '
		  . 'btree (task_name, worker_name)',
		'its primary key and the three keys, idx_task_worker re-created');
	is( pg( q{SELECT string_agg(name, ',' ORDER BY name)
	          FROM mysql_replica.source_indexes
	          WHERE relid = 'local.exception'::regclass}),
		'idx_gmt_modified,idx_task_service,idx_task_worker',
		'the keys are known by their MySQL names');
	is(pg(q{SELECT obj_description('local.exception'::regclass, 'pg_class')}),
		'精卫异常信息搜集表', 'the table comment, in UTF-8');
	is(pg(q{SELECT col_description('local.exception'::regclass, 6)}),
		'异常', 'the column comment after MODIFY');
	is( pg( q{SELECT attidentity FROM pg_attribute
	          WHERE attrelid = 'local.exception'::regclass AND attname = 'id'}),
		'd', 'AUTO_INCREMENT became an identity column');
	is( pg( q{SELECT to_regclass('wanshao.wanshao_test') IS NOT NULL,
	               to_regclass('wanshao.wanshao_sync') IS NOT NULL,
	               to_regclass('local.wanshao_test') IS NULL}),
		't|t|t', 'tables of the second database exist, the dropped one not');
}

$node->stop;
note sprintf('014_binlog_file total: %.1f s', time() - $t_start);
done_testing();
