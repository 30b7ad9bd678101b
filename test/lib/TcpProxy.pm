# TcpProxy.pm
#
# A TCP proxy on 127.0.0.1 for fault-injection tests: the channel connects
# to the proxy instead of MariaDB, and the test breaks the network in
# between at will.
#
#   my $proxy = TcpProxy->new($maria->port);
#   configure_channel($node, $maria, host => '127.0.0.1',
#                     port => $proxy->port);
#   $proxy->cut;         # close every connection, close new ones at once
#   $proxy->restore;     # accept and forward again
#   $proxy->blackhole;   # connections stay open, nothing is forwarded
#   $proxy->restore;     # held connections are closed, new ones forwarded
#   $proxy->accepted;    # connections accepted so far
#   $proxy->corrupt('abc', 'abd');
#                        # in the next data from the server that holds
#                        # 'abc', make it 'abd' (same length), once
#   $proxy->stop;
#
# The proxy runs in a child process with a single select loop.  The test
# process controls it through a pair of pipes: each command is one line,
# answered with one line once it has taken effect, so a test can rely on
# the fault being in place when the method returns.  When the test process
# dies, the command pipe reaches end of file and the child exits by itself.
# The child leaves with POSIX::_exit, so it never runs the END blocks it
# inherited (which would, for example, kill the test's MariaDB servers).

package TcpProxy;

use strict;
use warnings;

use Carp;
use Errno qw(EAGAIN EINTR EWOULDBLOCK);
use IO::Handle;
use IO::Socket::INET;
use POSIX ();
use Time::HiRes qw(time);

use PostgreSQL::Test::Cluster;

# Seconds to wait for the child to answer a command.
our $command_timeout = 30;

# Stop reading from one side while this many bytes wait to be written to
# the other (so a peer that does not read slows the sender, like TCP).
my $max_buffered = 1024 * 1024;

# Create the listening socket on a free port and start the proxy child in
# mode 'forward'.
sub new
{
	my ($class, $target_port, %opts) = @_;
	croak 'TcpProxy->new needs the target port' unless $target_port;
	my $target_host = $opts{target_host} // '127.0.0.1';

	my $listener;
	foreach (1 .. 20)
	{
		my $port = PostgreSQL::Test::Cluster::get_free_port();
		$listener = IO::Socket::INET->new(
			LocalAddr => '127.0.0.1',
			LocalPort => $port,
			Proto     => 'tcp',
			Listen    => 64,
			ReuseAddr => 1);
		last if $listener;
	}
	croak "TcpProxy: cannot listen on 127.0.0.1: $!" unless $listener;

	pipe(my $cmd_read,   my $cmd_write)   or croak "pipe: $!";
	pipe(my $reply_read, my $reply_write) or croak "pipe: $!";

	my $pid = fork();
	croak "TcpProxy: fork failed: $!" unless defined $pid;
	if ($pid == 0)
	{
		close $cmd_write;
		close $reply_read;
		my $rc = eval {
			_child_main($listener, $target_host, $target_port, $cmd_read,
				$reply_write);
			0;
		} // 1;
		print STDERR "TcpProxy: $@" if $rc;
		POSIX::_exit($rc);
	}

	close $cmd_read;
	close $reply_write;
	my $port = $listener->sockport;
	close $listener;
	$cmd_write->autoflush(1);

	my $self = bless {
		pid         => $pid,
		port        => $port,
		target_port => $target_port,
		cmd         => $cmd_write,
		reply       => $reply_read,
	}, $class;

	# The child answers once its loop runs.
	$self->_command('ping');
	return $self;
}

sub port { return $_[0]->{port}; }
sub pid  { return $_[0]->{pid}; }

# Close every current connection; new connections are accepted and closed
# at once (the peer sees its connection reset or ended).
sub cut { $_[0]->_command('cut'); return; }

# Forward again: new connections are forwarded to the target.  Connections
# held by blackhole are closed (their peer gave up on them long ago).
sub restore { $_[0]->_command('restore'); return; }

# Keep every connection open but forward nothing in either direction; new
# connections are accepted and held without ever being forwarded.
sub blackhole { $_[0]->_command('blackhole'); return; }

# Change bytes once in what the server sends: the first $from (on one
# read) becomes $to, of the same length.
sub corrupt
{
	my ($self, $from, $to) = @_;
	croak 'corrupt wants two strings of the same length'
	  unless length($from) == length($to) && length($from) > 0;
	$self->_command('corrupt ' . unpack('H*', $from) . ' ' . unpack('H*', $to));
	return;
}

# Connections accepted since the proxy started.
sub accepted
{
	my ($self) = @_;
	my $reply = $self->_command('accepted');
	return ($reply =~ /(\d+)/)[0];
}

# Stop the child and wait for it.
sub stop
{
	my ($self) = @_;
	return unless defined $self->{pid};
	eval { $self->_command('stop'); };
	close $self->{cmd};
	close $self->{reply};
	my $deadline = time() + $command_timeout;
	while (time() < $deadline)
	{
		last if waitpid($self->{pid}, POSIX::WNOHANG()) != 0;
		select(undef, undef, undef, 0.05);
	}
	if (kill 0, $self->{pid})
	{
		kill 'KILL', $self->{pid};
		waitpid($self->{pid}, 0);
	}
	$self->{pid} = undef;
	return;
}

sub DESTROY
{
	my ($self) = @_;
	local ($@, $!, $?);
	$self->stop if defined $self->{pid};
	return;
}

# Send one command line and wait for the child's one-line answer.
sub _command
{
	my ($self, $command) = @_;
	croak 'TcpProxy: the proxy is stopped' unless defined $self->{pid};

	print { $self->{cmd} } "$command\n"
	  or croak "TcpProxy: cannot send '$command': $!";

	my $line     = '';
	my $deadline = time() + $command_timeout;
	my $fd       = fileno($self->{reply});
	while ($line !~ /\n/)
	{
		my $left = $deadline - time();
		croak "TcpProxy: no answer to '$command' within $command_timeout s"
		  if $left <= 0;
		my $rin = '';
		vec($rin, $fd, 1) = 1;
		my $n = select(my $rout = $rin, undef, undef, $left);
		next if $n <= 0;
		my $got = sysread($self->{reply}, my $buf, 4096);
		croak "TcpProxy: the proxy process ended during '$command'"
		  unless $got;
		$line .= $buf;
	}
	croak "TcpProxy: '$command' failed: $line" unless $line =~ /^ok/;
	chomp $line;
	return $line;
}

# ---------------------------------------------------------------------------
# The child
# ---------------------------------------------------------------------------

sub _nonblocking
{
	my ($sock) = @_;
	$sock->blocking(0);
	return $sock;
}

sub _child_main
{
	my ($listener, $target_host, $target_port, $cmd, $reply) = @_;

	# Nothing of the test's output: prove reads the test's stdout.
	open STDIN,  '<', '/dev/null';
	open STDOUT, '>', '/dev/null';
	$SIG{PIPE} = 'IGNORE';
	$SIG{INT}  = 'IGNORE';
	$reply->autoflush(1);
	_nonblocking($listener);

	my $mode     = 'forward';    # forward, cut, blackhole
	my $accepted = 0;
	my $cmd_buf  = '';
	my ($corrupt_from, $corrupt_to);    # bytes to change once, from the server

	# Connections by file number: { sock, peer (fileno or undef), out (bytes
	# waiting to be written to sock), eof (peer has ended: shut down the
	# write side once out is drained) }.
	my %conn;

	my $close = sub {
		my ($fd) = @_;
		my $c = delete $conn{$fd} or return;
		close $c->{sock};
	};
	my $close_pair = sub {
		my ($fd) = @_;
		my $c = $conn{$fd} or return;
		my $peer = $c->{peer};
		$close->($fd);
		$close->($peer) if defined $peer;
	};
	my $close_all = sub { $close->($_) foreach keys %conn; };

	while (1)
	{
		my ($rin, $win) = ('', '');
		vec($rin, fileno($cmd),      1) = 1;
		vec($rin, fileno($listener), 1) = 1;
		if ($mode eq 'forward')
		{
			foreach my $fd (keys %conn)
			{
				my $c    = $conn{$fd};
				my $peer = defined $c->{peer} ? $conn{ $c->{peer} } : undef;
				vec($rin, $fd, 1) = 1
				  if $peer && !$c->{read_eof}
				  && length($peer->{out}) < $max_buffered;
				vec($win, $fd, 1) = 1 if length $c->{out};
			}
		}

		my $n = select(my $rout = $rin, my $wout = $win, undef, 1);
		next if $n < 0 && $! == EINTR;
		die "select: $!" if $n < 0;
		next if $n == 0;

		# Commands from the test process; end of file: it has gone.
		if (vec($rout, fileno($cmd), 1))
		{
			my $got = sysread($cmd, my $buf, 4096);
			if (!$got)
			{
				$close_all->();
				return;
			}
			$cmd_buf .= $buf;
			while ($cmd_buf =~ s/^([^\n]*)\n//)
			{
				my $c = $1;
				if ($c eq 'ping')
				{
					print $reply "ok\n";
				}
				elsif ($c eq 'cut')
				{
					$mode = 'cut';
					$close_all->();
					print $reply "ok\n";
				}
				elsif ($c eq 'blackhole')
				{
					$mode = 'blackhole';
					print $reply "ok\n";
				}
				elsif ($c eq 'restore')
				{
					$close_all->() if $mode eq 'blackhole';
					$mode = 'forward';
					print $reply "ok\n";
				}
				elsif ($c =~ /^corrupt ([0-9a-f]+) ([0-9a-f]+)$/)
				{
					($corrupt_from, $corrupt_to) = (pack('H*', $1), pack('H*', $2));
					print $reply "ok\n";
				}
				elsif ($c eq 'accepted')
				{
					print $reply "ok $accepted\n";
				}
				elsif ($c eq 'stop')
				{
					$close_all->();
					print $reply "ok\n";
					return;
				}
				else
				{
					print $reply "error: unknown command '$c'\n";
				}
			}
		}

		# New connections.
		if (vec($rout, fileno($listener), 1))
		{
			while (my $client = $listener->accept)
			{
				$accepted++;
				if ($mode eq 'cut')
				{
					close $client;
					next;
				}
				_nonblocking($client);
				my $cfd = fileno($client);
				$conn{$cfd} = { sock => $client, peer => undef, out => '' };
				next if $mode eq 'blackhole';

				my $up = IO::Socket::INET->new(
					PeerAddr => $target_host,
					PeerPort => $target_port,
					Proto    => 'tcp',
					Timeout  => 5);
				if (!$up)
				{
					$close->($cfd);
					next;
				}
				_nonblocking($up);
				my $ufd = fileno($up);
				$conn{$ufd} =
				  { sock => $up, peer => $cfd, out => '', upstream => 1 };
				$conn{$cfd}{peer} = $ufd;
			}
		}
		next unless $mode eq 'forward';

		# Data: read from one side into the other side's buffer.
		foreach my $fd (keys %conn)
		{
			my $c = $conn{$fd} or next;
			next unless vec($rout, $fd, 1);
			my $peer = defined $c->{peer} ? $conn{ $c->{peer} } : undef;
			next unless $peer;
			my $got = sysread($c->{sock}, my $buf, 65536);
			if (!defined $got)
			{
				next if $! == EAGAIN || $! == EWOULDBLOCK || $! == EINTR;
				$close_pair->($fd);
			}
			elsif ($got == 0)
			{
				# Half close: pass the end of file on once the data is out.
				$c->{read_eof} = 1;
				$peer->{eof} = 1;
				shutdown($peer->{sock}, 1) unless length $peer->{out};
				$close_pair->($fd) if $peer->{read_eof};
			}
			else
			{
				if (defined $corrupt_from && $c->{upstream})
				{
					my $at = index($buf, $corrupt_from);
					if ($at >= 0)
					{
						substr($buf, $at, length $corrupt_from) = $corrupt_to;
						undef $corrupt_from;
					}
				}
				$peer->{out} .= $buf;
			}
		}
		foreach my $fd (keys %conn)
		{
			my $c = $conn{$fd} or next;
			next unless length $c->{out} && vec($wout, $fd, 1);
			my $put = syswrite($c->{sock}, $c->{out});
			if (!defined $put)
			{
				next if $! == EAGAIN || $! == EWOULDBLOCK || $! == EINTR;
				$close_pair->($fd);
				next;
			}
			substr($c->{out}, 0, $put) = '';
			shutdown($c->{sock}, 1) if $c->{eof} && !length $c->{out};
		}
	}
}

1;
