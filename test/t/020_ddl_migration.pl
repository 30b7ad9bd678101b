# 020_ddl_migration.pl
#
# DDL replication through a realistic migration history.
#
# Part 1: a shop application's schema is created and migrated on MariaDB
# (binlog_row_metadata=FULL) while the channel streams: CREATE/DROP
# DATABASE, CREATE TABLE (plain, IF NOT EXISTS, LIKE, partitioned), every
# ALTER TABLE clause the replica translates (ADD/DROP/MODIFY/CHANGE/RENAME
# COLUMN with FIRST/AFTER, SET/DROP DEFAULT, ADD/DROP of indexes, unique
# keys and primary keys, RENAME INDEX, RENAME TO, CONVERT TO CHARACTER SET,
# comments, several clauses in one statement), RENAME TABLE of several
# tables, DROP TABLE [IF EXISTS] of several tables, TRUNCATE, CREATE INDEX
# and DROP INDEX ... ON, with rows written between the migrations so that
# columns are added, changed and dropped under existing data.  Identifiers
# use mixed case, reserved words and spaces.  Afterwards every table must
# have the same shape (SchemaCompare) and the same rows (compare_table) on
# both sides, dropped tables and schemas must be gone, renamed tables must
# exist under their new names, and identity columns made from
# AUTO_INCREMENT must hand out ids above every replicated one.
#
# Part 2: a MariaDB that logs only MINIMAL row metadata (no column names in
# the binlog).  Columns added or moved with FIRST / AFTER must still receive
# the right values, since the replica remembers the source's column order;
# and rows for a table created before the channel's start position, which
# the replica cannot create without column names, stop the channel with an
# error naming the table.

use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

use MariaDBServer;
use ReplicaTest;
use SchemaCompare;

# ---------------------------------------------------------------------------
# Part 1: the shop's migration history, FULL row metadata, with PostGIS
# ---------------------------------------------------------------------------

my $maria = MariaDBServer->new(name => 'source');
$maria->start;
$maria->create_repl_user;

my $node = replica_node('replica');
$node->safe_psql('postgres', 'CREATE EXTENSION postgis');

configure_channel($node, $maria);
ok(wait_for_state($node, [ 'streaming', 'applying' ]),
	'channel reaches state streaming');

# One value from PostgreSQL, or the error text (the query may name a table
# the replica failed to create).
sub pg_value
{
	my ($sql) = @_;
	my ($ret, $out, $err) = $node->psql('postgres', $sql);
	return $ret == 0 ? $out : "error: $err";
}

# Run SQL on MariaDB with shop as the session's default database.
sub shop
{
	my ($sql) = @_;
	return $maria->sql($sql, database => 'shop');
}

# Databases: shop for the application, Scratch (mixed case) for a while.
$maria->sql(
	q{CREATE DATABASE shop CHARACTER SET utf8mb4;
	  CREATE DATABASE IF NOT EXISTS `Scratch`;});

# Version 1 of the schema.
shop(
	q{CREATE TABLE users (
	    id int unsigned NOT NULL AUTO_INCREMENT,
	    email varchar(190) NOT NULL,
	    `Display Name` varchar(100) DEFAULT NULL
	      COMMENT 'shown in the page header',
	    status enum('new','active','banned') NOT NULL DEFAULT 'new',
	    created_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
	    updated_at timestamp(3) NULL DEFAULT CURRENT_TIMESTAMP(3)
	      ON UPDATE CURRENT_TIMESTAMP(3),
	    PRIMARY KEY (id),
	    UNIQUE KEY uq_users_email (email)
	  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='registered customers';

	  CREATE TABLE products (
	    id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
	    sku char(12) NOT NULL,
	    name varchar(200) NOT NULL,
	    description text,
	    price decimal(10,2) NOT NULL DEFAULT 0.00,
	    weight float DEFAULT NULL,
	    stock smallint unsigned NOT NULL DEFAULT 0,
	    flags set('new','sale','hidden') NOT NULL DEFAULT '',
	    UNIQUE KEY (sku),
	    KEY idx_products_name (name(50)),
	    FULLTEXT KEY ft_products_description (description)
	  ) ENGINE=InnoDB DEFAULT CHARSET=latin1;

	  CREATE TABLE `order` (
	    id bigint NOT NULL AUTO_INCREMENT,
	    user_id int unsigned NOT NULL,
	    `select` tinyint(1) NOT NULL DEFAULT 0 COMMENT 'picked for review',
	    placed_at datetime(6) NOT NULL,
	    total decimal(12,2) NOT NULL,
	    PRIMARY KEY (id),
	    KEY idx_order_user (user_id, placed_at),
	    CONSTRAINT fk_order_user FOREIGN KEY (user_id) REFERENCES users (id),
	    CONSTRAINT chk_order_total CHECK (total >= 0)
	  ) ENGINE=InnoDB;

	  CREATE TABLE order_items (
	    order_id bigint NOT NULL,
	    line smallint NOT NULL,
	    product_id int NOT NULL,
	    qty mediumint NOT NULL DEFAULT 1,
	    unit_price decimal(10,2) NOT NULL,
	    line_total decimal(14,2) AS (qty * unit_price) STORED,
	    line_total_net decimal(14,2) AS (qty * unit_price * 0.8) VIRTUAL,
	    PRIMARY KEY (order_id, line),
	    KEY idx_items_product (product_id),
	    FOREIGN KEY (order_id) REFERENCES `order` (id)
	  ) ENGINE=InnoDB;

	  CREATE TABLE `AuditLog` (
	    `ID` bigint NOT NULL AUTO_INCREMENT,
	    `user` varchar(64) NOT NULL,
	    `Action` varchar(32) NOT NULL,
	    details text,
	    logged_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
	    PRIMARY KEY (`ID`)
	  ) ENGINE=InnoDB PARTITION BY HASH (`ID`) PARTITIONS 4;

	  CREATE TABLE shipments (
	    id bigint unsigned NOT NULL PRIMARY KEY,
	    order_id bigint NOT NULL,
	    carrier tinyint NOT NULL,
	    boxes smallint NOT NULL DEFAULT 1,
	    pallet mediumint unsigned,
	    route int,
	    depot smallint unsigned,
	    tracking bigint,
	    insured decimal,
	    fuel_rate decimal(6,4),
	    temp_c float,
	    distance_km double,
	    ship_date date,
	    picked_at datetime(3),
	    delivered_at timestamp(6) NULL DEFAULT NULL,
	    model_year year,
	    country char(2) NOT NULL DEFAULT 'DE',
	    label varchar(64),
	    note_tiny tinytext,
	    note_medium mediumtext,
	    note_long longtext,
	    checksum binary(4),
	    token varbinary(16),
	    thumb tinyblob,
	    photo blob,
	    scan mediumblob,
	    archive longblob,
	    state enum('packed','sent','lost') DEFAULT 'packed',
	    extras set('fragile','cold','express'),
	    CONSTRAINT fk_shipments_order FOREIGN KEY (order_id)
	      REFERENCES `order` (id)
	  ) ENGINE=InnoDB;

	  CREATE TABLE stores (
	    id int NOT NULL PRIMARY KEY,
	    name varchar(80) NOT NULL,
	    opens time NOT NULL DEFAULT '09:00:00',
	    closes time(2),
	    features bit(6) NOT NULL DEFAULT b'000001',
	    settings json,
	    location point NOT NULL,
	    area polygon,
	    SPATIAL INDEX sp_stores_location (location)
	  ) ENGINE=InnoDB;

	  CREATE TABLE sessions (
	    token binary(16) NOT NULL PRIMARY KEY,
	    user_id int unsigned,
	    expires_at datetime NOT NULL
	  );
	  CREATE TABLE wishlist (
	    user_id int unsigned NOT NULL,
	    product_id int NOT NULL,
	    added_on date
	  );
	  CREATE TABLE coupons (
	    code varchar(20) NOT NULL PRIMARY KEY,
	    percent tinyint unsigned NOT NULL
	  );
	  CREATE TABLE tmp_import_a (id int PRIMARY KEY, raw text);
	  CREATE TABLE tmp_import_b (id int PRIMARY KEY);
	  CREATE TABLE tmp_import_c (id int);
	  CREATE TABLE `Scratch`.`Notes` (id int PRIMARY KEY, body text);
	  CREATE TABLE IF NOT EXISTS users (id int PRIMARY KEY);
	  CREATE TABLE IF NOT EXISTS newsletter (
	    email varchar(190) NOT NULL PRIMARY KEY,
	    subscribed_at datetime NOT NULL
	  );});

# Data for version 1.
shop(
	q{INSERT INTO users (email, `Display Name`, status) VALUES
	    ('ann@example.com', 'Ann', 'active'),
	    ('bob@example.com', NULL, 'new'),
	    ('cy@example.com', 'Cy O''Neil', 'active');
	  INSERT INTO products (sku, name, description, price, weight, stock, flags)
	  VALUES ('SKU-0001', 'Kaffeemühle', 'Hand grinder', 49.90, 1.5, 10, 'new'),
	         ('SKU-0002', 'Teapot', '', 19.00, 0.75, 3, 'sale,new'),
	         ('SKU-0003', 'Mug', NULL, 7.5, NULL, 100, '');
	  INSERT INTO `order` (user_id, placed_at, total) VALUES
	    (1, '2024-03-01 10:00:00.123456', 56.90),
	    (3, '2024-03-02 11:30:00', 7.50);
	  INSERT INTO order_items (order_id, line, product_id, qty, unit_price)
	  VALUES (1, 1, 1, 1, 49.90), (1, 2, 3, 1, 7.00), (2, 1, 3, 1, 7.50);
	  INSERT INTO `AuditLog` (`user`, `Action`, details) VALUES
	    ('ann', 'login', NULL), ('bob', 'signup', 'from the newsletter');
	  INSERT INTO shipments VALUES
	    (18446744073709551615, 1, -128, 32767, 16777215, -2147483648, 65535,
	     9223372036854775807, 1234567890, 12.3456, -3.5, 1234.5678,
	     '2024-03-03', '2024-03-03 08:15:00.250',
	     '2024-03-04 12:00:00.000001', 2024, 'FR', 'glass: fragile',
	     'tiny', 'medium', 'long', 0xDEADBEEF, 0x00FF, 'thumb', 0x89504E47,
	     '', NULL, 'sent', 'fragile,express'),
	    (2, 2, 0, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	     NULL, NULL, NULL, 'DE', NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	     NULL, NULL, NULL, NULL, NULL);
	  INSERT INTO stores VALUES
	    (1, 'Mitte', '08:00:00', '20:00:00.50', b'101010', '{"parking": true}',
	     ST_GeomFromText('POINT(13.4 52.52)'),
	     ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 0))')),
	    (2, 'Hafen', DEFAULT, NULL, DEFAULT, NULL,
	     ST_GeomFromText('POINT(9.99 53.55)'), NULL);
	  INSERT INTO sessions VALUES
	    (UNHEX(MD5('a')), 1, '2024-04-01 00:00:00'),
	    (UNHEX(MD5('b')), 2, '2024-04-02 00:00:00');
	  INSERT INTO wishlist VALUES (1, 2, '2024-03-03'), (3, 1, NULL);
	  INSERT INTO coupons VALUES ('SPRING10', 10), ('VIP', 25);
	  INSERT INTO tmp_import_a VALUES (1, 'x');
	  INSERT INTO tmp_import_c VALUES (1);
	  INSERT INTO `Scratch`.`Notes` VALUES (1, 'temporary');
	  INSERT INTO newsletter VALUES ('ann@example.com', '2024-03-01 09:00:00');});

# Migration: contact data for users (several clauses, AFTER, an index).
shop(
	q{ALTER TABLE users
	    ADD COLUMN phone varchar(32) NULL AFTER email,
	    ADD COLUMN birth_date date DEFAULT NULL,
	    ADD INDEX idx_users_status (status);
	  UPDATE users SET phone = '+49 30 1234', birth_date = '1990-05-17'
	  WHERE id = 1;
	  INSERT INTO users (email, phone, status)
	  VALUES ('dee@example.com', '555', 'new');});

# Migration: prices get three decimals; name becomes title.
shop(
	q{ALTER TABLE products MODIFY COLUMN price decimal(12,3) NOT NULL
	    DEFAULT 0.000;
	  UPDATE products SET price = price * 1.1 WHERE id = 2;
	  ALTER TABLE products CHANGE COLUMN name title varchar(250) NOT NULL;
	  UPDATE products SET title = 'Teapot, large' WHERE id = 2;});

# Migration: a column name with a space is renamed.
shop(
	q{ALTER TABLE users RENAME COLUMN `Display Name` TO `DisplayName`;
	  UPDATE users SET `DisplayName` = 'Bob' WHERE id = 2;});

# Migration: defaults set and dropped.
shop(
	q{ALTER TABLE products ALTER COLUMN stock SET DEFAULT 5;
	  ALTER TABLE users ALTER COLUMN status DROP DEFAULT;
	  ALTER TABLE `order` ALTER COLUMN `select` SET DEFAULT 1;
	  INSERT INTO products (sku, title, price) VALUES ('SKU-0004', 'Kettle', 30);
	  INSERT INTO users (email, status) VALUES ('eve@example.com', 'banned');});

# Migration: an order note as the first column.
shop(
	q{ALTER TABLE `order` ADD COLUMN note tinytext FIRST;
	  UPDATE `order` SET note = 'gift wrap' WHERE id = 1;
	  INSERT INTO `order` (note, user_id, placed_at, total)
	  VALUES (NULL, 2, '2024-03-05 09:00:00', 20.90);});

# Migration: the phone column goes again, named in other letter case.
shop(q{ALTER TABLE users DROP COLUMN PHONE;});

# Migration: indexes reworked (prefix lengths, RENAME INDEX, CREATE/DROP
# INDEX ... ON, unique keys, a primary key for a table without one).
shop(
	q{ALTER TABLE products DROP INDEX idx_products_name,
	    ADD INDEX idx_products_title (title(20), sku);
	  ALTER TABLE products RENAME INDEX sku TO uq_products_sku;
	  CREATE INDEX idx_items_qty ON order_items (qty);
	  DROP INDEX idx_items_product ON order_items;
	  ALTER TABLE coupons ADD UNIQUE KEY uq_coupons_percent (percent);
	  CREATE UNIQUE INDEX uq_newsletter_time ON newsletter (subscribed_at, email);
	  ALTER TABLE newsletter RENAME INDEX uq_newsletter_time TO uq_newsletter_when;
	  DROP INDEX uq_newsletter_when ON newsletter;
	  ALTER TABLE wishlist ADD PRIMARY KEY (user_id, product_id);
	  INSERT INTO wishlist VALUES (2, 3, '2024-03-06');
	  DELETE FROM wishlist WHERE user_id = 3;
	  ALTER TABLE sessions DROP PRIMARY KEY,
	    ADD UNIQUE KEY uq_sessions_token (token), ADD KEY (user_id);
	  UPDATE sessions SET expires_at = '2024-05-01 00:00:00' WHERE user_id = 1;
	  ALTER TABLE coupons DROP KEY uq_coupons_percent;});

# Migration: tables renamed.
shop(
	q{ALTER TABLE `AuditLog` RENAME TO `Audit_Log`;
	  INSERT INTO `Audit_Log` (`user`, `Action`) VALUES ('cy', 'renamed');
	  RENAME TABLE wishlist TO wish_list, coupons TO promo_codes;
	  INSERT INTO wish_list VALUES (4, 4, NULL);
	  INSERT INTO promo_codes VALUES ('SUMMER', 15);
	  UPDATE promo_codes SET percent = 30 WHERE code = 'VIP';});

# Migration: products move to utf8mb4, which lets them hold an emoji.
shop(
	q{ALTER TABLE products CONVERT TO CHARACTER SET utf8mb4
	    COLLATE utf8mb4_unicode_ci;
	  INSERT INTO products (sku, title, price, description)
	  VALUES ('SKU-0005', 'Ölkanne 🫖', 12.5, 'emoji are fine now');});

# Migration: comments and a wider column in one statement.
shop(
	q{ALTER TABLE users
	    MODIFY COLUMN email varchar(255) NOT NULL COMMENT 'login name',
	    COMMENT = 'customers who registered';});

# Migration: new columns with defaults on a table with rows, a list of
# columns in parentheses, a column type widened under data.
shop(
	q{ALTER TABLE products
	    ADD COLUMN is_active tinyint(1) NOT NULL DEFAULT 1,
	    ADD COLUMN (launched date, discontinued date NULL);
	  UPDATE products SET launched = '2023-11-01' WHERE id <= 2;
	  ALTER TABLE products CHANGE COLUMN weight weight_kg double;
	  UPDATE products SET weight_kg = 2.25 WHERE id = 4;});

# Migration: shipment columns changed and dropped under data.
shop(
	q{ALTER TABLE shipments
	    MODIFY route bigint,
	    MODIFY label text,
	    DROP COLUMN note_tiny,
	    MODIFY model_year smallint;
	  INSERT INTO shipments (id, order_id, carrier, route, label, model_year)
	  VALUES (3, 3, 5, 8589934592, 'a longer label than before', 1999);});

# Migration: a store phone after the name; another default.
shop(
	q{ALTER TABLE stores ALTER COLUMN opens SET DEFAULT '10:00:00',
	    ADD COLUMN phone varchar(20) AFTER name;
	  INSERT INTO stores (id, name, phone, settings, location) VALUES
	    (3, 'Süd', '+49 89 1', '{"wifi": false, "parking": true}',
	     ST_GeomFromText('POINT(11.57 48.13)'));});

# Migration: scratch data cleared and dropped.
shop(
	q{TRUNCATE TABLE sessions;
	  INSERT INTO sessions VALUES (UNHEX(MD5('c')), 4, '2024-06-01 00:00:00');
	  TRUNCATE tmp_import_a;
	  DROP TABLE IF EXISTS tmp_import_a, tmp_import_b, tmp_import_missing;
	  DROP TABLE tmp_import_c;});

# Migration: an archive table copied from users, a partitioned table.
shop(
	q{CREATE TABLE users_archive LIKE users;
	  INSERT INTO users_archive SELECT * FROM users WHERE status = 'banned';
	  CREATE TABLE page_views (
	    id int NOT NULL AUTO_INCREMENT,
	    viewed_on date NOT NULL,
	    path varchar(200) NOT NULL,
	    user_id int unsigned,
	    PRIMARY KEY (id, viewed_on),
	    KEY idx_views_path (path(30))
	  ) PARTITION BY RANGE (YEAR(viewed_on)) (
	    PARTITION p2023 VALUES LESS THAN (2024),
	    PARTITION pmax VALUES LESS THAN MAXVALUE);
	  INSERT INTO page_views (viewed_on, path, user_id) VALUES
	    ('2023-12-31', '/', NULL), ('2024-01-01', '/products/1', 1);});

# Migration: the scratch database goes.
$maria->sql(q{DROP DATABASE `Scratch`;});

# Migration from a session without a default database: qualified names.
$maria->sql(
	q{ALTER TABLE shop.users ADD COLUMN `Referrer` varchar(40);
	  UPDATE shop.users SET `Referrer` = 'newsletter' WHERE id IN (2, 4);});

# Migration: the quantity type changes under its generated columns.
shop(
	q{ALTER TABLE order_items MODIFY qty int unsigned NOT NULL DEFAULT 1;
	  INSERT INTO order_items (order_id, line, product_id, qty, unit_price)
	  VALUES (3, 1, 2, 3000000000, 0.01);});

# Ordinary traffic after the last migration.
shop(
	q{UPDATE products SET stock = stock - 1 WHERE id IN (1, 2);
	  DELETE FROM products WHERE id = 3;
	  UPDATE order_items SET qty = qty + 1 WHERE order_id = 1;
	  DELETE FROM `Audit_Log` WHERE `ID` = 1;
	  UPDATE users SET status = 'active', `DisplayName` = 'Dee'
	  WHERE email = 'dee@example.com';
	  UPDATE shipments SET state = 'lost', extras = 'cold' WHERE id = 2;});

ok(wait_caught_up($node, $maria), 'caught up after the migration history');
is(channel_status($node)->{state}, 'streaming',
	'the channel is still streaming after the migration history');

# Shapes: every table of shop, columns, types, defaults, keys, comments.
compare_schema($node, $maria, 'shop');

# Rows: every table; stores holds types compare_table has no text form for
# (time, bit, json, geometry), so its columns are compared one by one.
my @tables = split /\n/,
  $maria->sql(
	q{SELECT TABLE_NAME FROM information_schema.TABLES
	  WHERE TABLE_SCHEMA = 'shop' AND TABLE_TYPE = 'BASE TABLE'
	  ORDER BY TABLE_NAME});
foreach my $table (grep { $_ ne 'stores' } @tables)
{
	unless (pg_table_exists($node, 'shop', $table))
	{
		fail("shop.$table: every row matches (no such table in PostgreSQL)");
		next;
	}
	my ($pg, $my) = compare_table($node, $maria, "shop.$table");
	is_deeply($pg, $my, "shop.$table: every row matches");
}

# The json values were written in the form jsonb prints them.
my %store_columns = (
	name     => [ 'name',                           'name' ],
	phone    => [ 'phone',                          'phone' ],
	opens    => [ q{TIME_FORMAT(opens, '%H:%i:%s')}, q{to_char(opens, 'HH24:MI:SS')} ],
	closes   => [
		q{TIME_FORMAT(closes, '%H:%i:%s.%f')},
		q{to_char(closes, 'HH24:MI:SS.US')}
	],
	features => [ 'LPAD(BIN(features), 6, 0)',   'features' ],
	settings => [ 'settings',                    'settings' ],
	location => [ 'ST_AsText(location)',        'ST_AsText(location)' ],
	area     => [ 'ST_AsText(area)',            'ST_AsText(area)' ],);
foreach my $col (sort keys %store_columns)
{
	last unless pg_table_exists($node, 'shop', 'stores');
	my ($pg, $my) = compare_expr($node, $maria, 'shop', 'stores', 'id',
		@{ $store_columns{$col} });
	is_deeply($pg, $my, "shop.stores.$col: every value matches");
}

# Generated columns hold MariaDB's values, the stored and the virtual one.
is( pg_value(
		q{SELECT string_agg(concat_ws(':', order_id, line, line_total,
		                              line_total_net), ' '
		                    ORDER BY order_id, line)
		  FROM shop.order_items}),
	$maria->sql(
		q{SELECT GROUP_CONCAT(CONCAT_WS(':', order_id, line, line_total,
		                                line_total_net)
		                      ORDER BY order_id, line SEPARATOR ' ')
		  FROM shop.order_items}),
	'generated columns (STORED and VIRTUAL) hold the source values');

# Dropped and renamed tables, dropped database.
foreach my $gone (qw(tmp_import_a tmp_import_b tmp_import_c wishlist coupons
	AuditLog))
{
	ok(!pg_table_exists($node, 'shop', $gone),
		"table shop.$gone no longer exists");
}
foreach my $renamed (qw(wish_list promo_codes Audit_Log))
{
	ok(pg_table_exists($node, 'shop', $renamed),
		"renamed table shop.$renamed exists");
}
ok(!pg_schema_exists($node, 'Scratch'),
	'DROP DATABASE removes the schema the replica created');
ok(pg_table_exists($node, 'shop', 'users_archive'),
	'CREATE TABLE ... LIKE creates the table');
is(pg_value('SELECT count(*) FROM shop.users_archive'),
	'1', 'rows inserted into the LIKE copy arrive');

# Identity columns: a row inserted in PostgreSQL gets an id above every
# replicated one.  Each insert is rolled back.
my %identity_insert = (
	users =>
	  q{INSERT INTO shop.users (email, status) VALUES ('pg@example.com', 'new')},
	order => q{INSERT INTO shop."order" (user_id, placed_at, total)
	           VALUES (1, now(), 1)},
	products => q{INSERT INTO shop.products (sku, title)
	              VALUES ('PG-1', 'made in PostgreSQL')},
	Audit_Log =>
	  q{INSERT INTO shop."Audit_Log" ("user", "Action") VALUES ('pg', 'test')},
	page_views => q{INSERT INTO shop.page_views (viewed_on, path)
	                VALUES ('2024-02-02', '/pg')},);
my %identity_column = (Audit_Log => 'ID');
foreach my $table (sort keys %identity_insert)
{
	my $col = $identity_column{$table} // 'id';
	my $max = $maria->sql("SELECT MAX(`$col`) FROM shop.`$table`");
	my ($ret, $id, $err) = $node->psql('postgres',
		"BEGIN;\n$identity_insert{$table} RETURNING \"$col\";\nROLLBACK;");
	$id //= '';
	ok($ret == 0 && $id =~ /^\d+$/ && $id > $max,
		"shop.$table: an id generated in PostgreSQL ($id) is above the "
		  . "largest replicated one ($max)")
	  or diag $err;
}

# ---------------------------------------------------------------------------
# Part 2: MINIMAL row metadata
# ---------------------------------------------------------------------------

my $mini = MariaDBServer->new(
	name       => 'minimal',
	server_id  => 2,
	extra_args => ['--binlog-row-metadata=MINIMAL']);
$mini->start;
$mini->create_repl_user;
is($mini->sql('SELECT @@GLOBAL.binlog_row_metadata'),
	'MINIMAL', 'the second source logs MINIMAL row metadata');

# A table created before the channel's start position.
$mini->sql(
	q{CREATE DATABASE legacy;
	  CREATE TABLE legacy.before_start (id int PRIMARY KEY, v varchar(10));});
$node->safe_psql('postgres', 'CREATE SCHEMA legacy');

configure_channel($node, $mini, channel => 'minimal');
ok(wait_for_state($node, [ 'streaming', 'applying' ], 'minimal'),
	'MINIMAL channel reaches state streaming');

# One column placed per statement.
$mini->sql(
	q{CREATE TABLE legacy.contacts (
	    id int NOT NULL PRIMARY KEY,
	    name varchar(40) NOT NULL,
	    city varchar(40)
	  );
	  INSERT INTO legacy.contacts VALUES (1, 'Ann', 'Berlin'), (2, 'Bob', NULL);
	  ALTER TABLE legacy.contacts ADD COLUMN priority int FIRST;
	  INSERT INTO legacy.contacts VALUES (7, 3, 'Cy', 'Paris');
	  ALTER TABLE legacy.contacts ADD COLUMN email varchar(60) AFTER id;
	  ALTER TABLE legacy.contacts ADD COLUMN zip char(5) AFTER name;
	  INSERT INTO legacy.contacts
	  VALUES (1, 4, 'dee@example.com', 'Dee', '10115', 'Berlin');
	  UPDATE legacy.contacts SET city = 'Rome', priority = 9, zip = '00100'
	  WHERE id = 2;
	  UPDATE legacy.contacts SET email = 'ann@example.com' WHERE id = 1;
	  DELETE FROM legacy.contacts WHERE id = 3;
	  ALTER TABLE legacy.contacts MODIFY COLUMN city varchar(40) FIRST;
	  ALTER TABLE legacy.contacts CHANGE COLUMN zip postcode char(5) AFTER id;
	  INSERT INTO legacy.contacts
	  VALUES ('Oslo', 2, 5, '0150', 'eve@example.com', 'Eve');
	  UPDATE legacy.contacts SET city = 'Lyon', postcode = '69001'
	  WHERE id = 1;});

ok(wait_caught_up($node, $mini, 'minimal'),
	'MINIMAL channel caught up after FIRST / AFTER migrations');
is($mini->sql(
		q{SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION)
		  FROM information_schema.COLUMNS
		  WHERE TABLE_SCHEMA = 'legacy' AND TABLE_NAME = 'contacts'}),
	'city,priority,id,postcode,email,name',
	'the source column order differs from the order columns were added in');
compare_schema($node, $mini, 'legacy', 'contacts');
my ($pg_rows, $my_rows) =
  pg_table_exists($node, 'legacy', 'contacts')
  ? compare_table($node, $mini, 'legacy.contacts')
  : ([], ['no table legacy.contacts in PostgreSQL']);
is_deeply($pg_rows, $my_rows,
	'rows land in the right columns after FIRST / AFTER without column names '
	  . 'in the binlog');

# Several columns placed by one statement.
$mini->sql(
	q{CREATE TABLE legacy.visits (id int NOT NULL PRIMARY KEY, at date);
	  INSERT INTO legacy.visits VALUES (1, '2024-01-01');
	  ALTER TABLE legacy.visits
	    ADD COLUMN page varchar(50) AFTER id,
	    ADD COLUMN hits int NOT NULL DEFAULT 0 FIRST;
	  INSERT INTO legacy.visits VALUES (3, 2, '/home', '2024-01-02');
	  UPDATE legacy.visits SET page = '/start', hits = 1 WHERE id = 1;});
ok(wait_caught_up($node, $mini, 'minimal'),
	'MINIMAL channel caught up after one ALTER placing two columns');
($pg_rows, $my_rows) =
  pg_table_exists($node, 'legacy', 'visits')
  ? compare_table($node, $mini, 'legacy.visits')
  : ([], ['no table legacy.visits in PostgreSQL']);
is_deeply($pg_rows, $my_rows,
	'rows land in the right columns after one ALTER with FIRST and AFTER');

# Rows for the table the stream never created, on a channel of its own
# that starts here, so that its outcome does not depend on the one above.
configure_channel($node, $mini, channel => 'minimal_late');
ok(wait_for_state($node, [ 'streaming', 'applying' ], 'minimal_late'),
	'a second MINIMAL channel reaches state streaming');
$mini->sql(q{INSERT INTO legacy.before_start VALUES (1, 'x');});
ok(wait_for_state($node, 'error', 'minimal_late'),
	'rows for a table unknown to the replica, without FULL metadata: '
	  . 'state error');
like(channel_status($node, 'minimal_late')->{last_error},
	qr/before_start/, 'last_error names the table');
ok(!pg_table_exists($node, 'legacy', 'before_start'),
	'no table is guessed without column names');
is(channel_status($node)->{state}, 'streaming',
	'the channel from the FULL source keeps streaming');

$node->stop;
$maria->stop;
$mini->stop;
done_testing();
