# MariaDBServer.pm
#
# A throwaway MariaDB server for the mysql_replica TAP tests.
#
# Each object owns one data directory under the test's temporary directory
# and one TCP port on 127.0.0.1 (reserved through PostgreSQL::Test::Cluster's
# port allocator, so it cannot collide with a PostgreSQL node of the same
# run).  The server runs as the current OS user, with binary logging in ROW
# format and full row metadata, which is what mysql_replica streams from.
#
#   my $maria = MariaDBServer->new(name => 'source');
#   $maria->start;
#   $maria->create_repl_user;
#   $maria->sql('CREATE DATABASE d');
#   my ($file, $pos) = $maria->master_status;
#   $maria->restart;   # clean shutdown, then start again
#   $maria->kill9;     # crash; call start to bring it back
#   $maria->stop;
#
# Servers still running when the test script ends are killed by an END
# block, so a test that dies half-way leaves no mariadbd behind.

package MariaDBServer;

use strict;
use warnings;

use Carp;
use File::Path qw(make_path);
use IPC::Run;
use POSIX ();
use Time::HiRes qw(usleep time);

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;

# Servers started by this process and not yet stopped, by data directory.
my %running;

# Seconds to wait for the server to accept connections or to exit.
our $startup_timeout  = 120;
our $shutdown_timeout = 120;

# Create the object and its data directory; the server is not started.
#
# Options:
#   name       label used in directory and log file names (default 'mariadb')
#   server_id  the server's server_id (default 1)
#   extra_args arrayref of additional mariadbd command-line options
sub new
{
	my ($class, %opts) = @_;

	my $name = $opts{name} // 'mariadb';
	my $base = PostgreSQL::Test::Utils::tempdir("mariadb_$name");

	# The socket goes into a short directory: sun_path is 108 bytes at most.
	my $sockdir = PostgreSQL::Test::Utils::tempdir_short();

	my $self = bless {
		name       => $name,
		host       => '127.0.0.1',
		port       => PostgreSQL::Test::Cluster::get_free_port(),
		basedir    => $base,
		datadir    => "$base/data",
		socket     => "$sockdir/mariadb.sock",
		pidfile    => "$base/mariadbd.pid",
		logfile    => "$PostgreSQL::Test::Utils::log_path/mariadb_${name}_"
		  . _script_name() . '.log',
		server_id  => $opts{server_id} // 1,
		extra_args => $opts{extra_args} // [],
		pid        => undef,
	}, $class;

	$self->_init_datadir;
	return $self;
}

sub name    { return $_[0]->{name}; }
sub host    { return $_[0]->{host}; }
sub port    { return $_[0]->{port}; }
sub datadir { return $_[0]->{datadir}; }
sub logfile { return $_[0]->{logfile}; }
sub pid     { return $_[0]->{pid}; }

sub _script_name
{
	my $script = $0;
	$script =~ s{.*/}{};
	$script =~ s{\.[^.]+$}{};
	return $script;
}

sub _init_datadir
{
	my ($self) = @_;

	make_path($self->{datadir});
	my ($out, $err);
	my $ok = IPC::Run::run [
		'mariadb-install-db',                        '--no-defaults',
		"--datadir=$self->{datadir}",                '--skip-test-db',
		'--auth-root-authentication-method=normal',  '--skip-name-resolve'
	  ],
	  '<', \undef, '>', \$out, '2>', \$err;
	croak "mariadb-install-db failed for $self->{name}:\n$out\n$err"
	  unless $ok;
	return;
}

# The mariadbd command line.
sub _server_command
{
	my ($self) = @_;

	return [
		'mariadbd',
		'--no-defaults',
		"--datadir=$self->{datadir}",
		"--socket=$self->{socket}",
		"--port=$self->{port}",
		'--bind-address=127.0.0.1',
		'--skip-name-resolve',
		"--pid-file=$self->{pidfile}",
		"--log-error=$self->{logfile}",
		"--log-bin=$self->{datadir}/binlog",
		'--binlog-format=ROW',
		'--binlog-row-metadata=FULL',
		"--server-id=$self->{server_id}",
		'--character-set-server=utf8mb4',
		'--collation-server=utf8mb4_general_ci',
		# Small and fast: the tests need no durability against OS crashes.
		'--innodb-buffer-pool-size=64M',
		'--innodb-log-file-size=48M',
		'--innodb-flush-log-at-trx-commit=2',
		'--sync-binlog=0',
		'--skip-innodb-doublewrite',
		'--performance-schema=OFF',
		@{ $self->{extra_args} },
	];
}

# Start the server and wait until it accepts connections as root.
sub start
{
	my ($self) = @_;

	croak "MariaDB $self->{name} is already running" if defined $self->{pid};

	print "# starting MariaDB $self->{name} on port $self->{port}\n";
	my $cmd = $self->_server_command;
	my $pid = fork();
	croak "fork failed: $!" unless defined $pid;
	if ($pid == 0)
	{
		# Child: detach from the test's stdin/stdout and become mariadbd.
		open STDIN,  '<', '/dev/null';
		open STDOUT, '>>', $self->{logfile};
		open STDERR, '>&', \*STDOUT;
		exec @$cmd or POSIX::_exit(127);
	}
	$self->{pid} = $pid;
	$running{ $self->{datadir} } = $self;

	my $deadline = time() + $startup_timeout;
	while (time() < $deadline)
	{
		if (waitpid($pid, POSIX::WNOHANG()) == $pid)
		{
			my $status = $?;
			$self->{pid} = undef;
			delete $running{ $self->{datadir} };
			croak "mariadbd $self->{name} exited during startup (status "
			  . $status . "); log tail:\n" . $self->_log_tail;
		}
		my ($rc) = $self->sql_ret('SELECT 1');
		return 1 if $rc == 0;
		usleep(100_000);
	}
	croak "mariadbd $self->{name} did not accept connections within "
	  . "$startup_timeout s; log tail:\n"
	  . $self->_log_tail;
}

# Wait for the server process to exit, returning true if it did.
sub _wait_exit
{
	my ($self, $timeout) = @_;

	my $deadline = time() + $timeout;
	while (time() < $deadline)
	{
		my $r = waitpid($self->{pid}, POSIX::WNOHANG());
		return 1 if $r == $self->{pid} || $r == -1;
		usleep(50_000);
	}
	return 0;
}

sub _forget_process
{
	my ($self) = @_;
	$self->{pid} = undef;
	delete $running{ $self->{datadir} };
	return;
}

# Clean shutdown (SIGTERM), waiting for the process to exit.
sub stop
{
	my ($self) = @_;

	return unless defined $self->{pid};
	print "# stopping MariaDB $self->{name}\n";
	kill 'TERM', $self->{pid};
	unless ($self->_wait_exit($shutdown_timeout))
	{
		kill 'KILL', $self->{pid};
		$self->_wait_exit(30);
		$self->_forget_process;
		croak "mariadbd $self->{name} did not shut down within "
		  . "$shutdown_timeout s; killed it";
	}
	$self->_forget_process;
	return;
}

# Crash the server (SIGKILL).  start() brings it back with crash recovery.
sub kill9
{
	my ($self) = @_;

	return unless defined $self->{pid};
	print "# killing MariaDB $self->{name} with SIGKILL\n";
	kill 'KILL', $self->{pid};
	$self->_wait_exit(30);
	$self->_forget_process;
	return;
}

sub restart
{
	my ($self) = @_;
	$self->stop;
	$self->start;
	return;
}

sub _log_tail
{
	my ($self) = @_;
	return '' unless -f $self->{logfile};
	my @lines = split /\n/, slurp_file($self->{logfile});
	@lines = @lines[ -30 .. -1 ] if @lines > 30;
	return join("\n", @lines) . "\n";
}

# The mariadb client command for this server.
#
# Options: user (default root), password, database.
sub _client_command
{
	my ($self, %opts) = @_;

	my @cmd = (
		'mariadb',                         '--no-defaults',
		'--protocol=TCP',                  "--host=$self->{host}",
		"--port=$self->{port}",            '--user=' . ($opts{user} // 'root'),
		'--batch',                         '--skip-column-names',
		'--default-character-set=utf8mb4', '--connect-timeout=10');
	push @cmd, "--password=$opts{password}" if defined $opts{password};
	push @cmd, $opts{database} if defined $opts{database};
	return \@cmd;
}

# Run SQL through the mariadb client; returns ($exit_code, $stdout, $stderr).
# Trailing newlines are removed from the output.  The statements are given on
# standard input, so several may be separated by semicolons.
#
# Options: user, password, database, timeout (seconds, default 180).
sub sql_ret
{
	my ($self, $sql, %opts) = @_;

	my ($out, $err) = ('', '');
	my $timeout = IPC::Run::timeout($opts{timeout} // 180);
	my $ok = eval {
		IPC::Run::run $self->_client_command(%opts), '<', \$sql,
		  '>', \$out, '2>', \$err, $timeout;
		1;
	};
	my $rc = $ok ? $? >> 8 : 255;
	$err .= $@ unless $ok;
	chomp $out;
	chomp $err;
	return ($rc, $out, $err);
}

# Run SQL and return its output; die if the client reports an error.
sub sql
{
	my ($self, $sql, %opts) = @_;

	my ($rc, $out, $err) = $self->sql_ret($sql, %opts);
	croak "MariaDB $self->{name}: SQL failed (exit $rc): $err\nSQL: $sql"
	  if $rc != 0;
	return $out;
}

# Start the mariadb client in the background on the given SQL text (for
# workloads that must run while the test does something else).  Returns a
# handle for finish_background.
#
# The client reads from and writes to files, not pipes: a PostgreSQL node
# started while it runs would inherit the pipe's write end and keep the
# client from ever seeing the end of its input.
my $background_count = 0;

sub sql_background
{
	my ($self, $sql, %opts) = @_;

	my $base = "$self->{basedir}/background_" . ++$background_count;
	open my $fh, '>', "$base.sql" or croak "cannot write $base.sql: $!";
	print $fh $sql;
	close $fh;

	my $h = IPC::Run::start($self->_client_command(%opts),
		'<', "$base.sql", '>', "$base.out", '2>', "$base.err");
	return { harness => $h, base => $base };
}

# Whether a client from sql_background is still running.
sub background_running
{
	my ($self, $bg) = @_;
	return $bg->{harness}->pumpable ? 1 : 0;
}

# Wait for a client from sql_background; returns ($exit_code, $stdout,
# $stderr).
sub finish_background
{
	my ($self, $bg) = @_;

	$bg->{harness}->finish;
	my $rc = $? >> 8;
	return ($rc, slurp_file("$bg->{base}.out"), slurp_file("$bg->{base}.err"));
}

# Create a user that may stream the binlog.  MariaDB 10.11 wants
# REPLICATION SLAVE for the binlog dump command itself and BINLOG MONITOR
# (formerly REPLICATION CLIENT) for SHOW MASTER STATUS / SHOW BINARY LOGS;
# SELECT lets the replica look at table definitions.
#
# Do this before configuring a channel without a start position: CREATE USER
# and GRANT are written to the binlog as statements.
sub create_repl_user
{
	my ($self, %opts) = @_;

	my $user     = $opts{user}     // 'repl';
	my $password = $opts{password} // 'repl_password';
	$self->sql(
		"CREATE USER '$user'\@'%' IDENTIFIED BY '$password';\n"
		  . "GRANT REPLICATION SLAVE, BINLOG MONITOR, SELECT ON *.* "
		  . "TO '$user'\@'%';");
	return ($user, $password);
}

# The current end of the binlog: (file, position).
sub master_status
{
	my ($self) = @_;

	my $out = $self->sql('SHOW MASTER STATUS');
	my ($file, $pos) = split /\t/, (split /\n/, $out)[0] // '';
	croak "MariaDB $self->{name}: binary logging is not active"
	  unless defined $pos;
	return ($file, $pos);
}

# The GTID position of the last transaction written to the binlog.
sub gtid_binlog_pos
{
	my ($self) = @_;
	return $self->sql('SELECT @@GLOBAL.gtid_binlog_pos');
}

END
{
	my $exit_code = $?;
	foreach my $server (values %running)
	{
		next unless defined $server->{pid};
		kill 'KILL', $server->{pid};
		waitpid($server->{pid}, 0);
	}
	$? = $exit_code;
}

1;
