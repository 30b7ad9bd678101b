# mysql_replica: build with PGXS.
#
#   make && make install      build and install the extension
#   make installcheck         run the pg_regress tests against a server
#   make unit                 run the binlog decoder's unit tests
#
# The MySQL client flags come from mariadb_config (or mysql_config) and are
# used for src/source/ only: mysql.h and postgres.h cannot share a
# translation unit.

EXTENSION = mysql_replica
EXTVERSION = 0.1

MODULE_big = mysql_replica
OBJS = \
	src/mysql_replica.o \
	src/replica/channel.o \
	src/replica/worker.o \
	src/replica/apply.o \
	src/replica/rowwriter.o \
	src/replica/convert.o \
	src/replica/replay.o \
	src/replica/json_diff.o \
	src/replica/snapshot.o \
	src/ddl/lexer.o \
	src/ddl/parser.o \
	src/ddl/translate.o \
	src/ddl/filter.o \
	src/source/producer.o \
	src/source/snapshot.o \
	src/binlog/event.o \
	src/binlog/rows.o \
	src/binlog/value.o \
	src/binlog/file.o \
	src/binlog/json.o \
	src/binlog/compress.o \
	src/binlog/gtid.o

DATA_built = sql/$(EXTENSION)--$(EXTVERSION).sql
EXTRA_CLEAN = sql/$(EXTENSION)--$(EXTVERSION).sql

REGRESS = interface
REGRESS_OPTS = --inputdir=test/regress --outputdir=test/regress

MYSQL_CONFIG ?= $(shell command -v mariadb_config || command -v mysql_config)
MYSQL_CFLAGS := $(shell $(MYSQL_CONFIG) --cflags)
MYSQL_LIBS := $(shell $(MYSQL_CONFIG) --libs)

PG_CPPFLAGS = -I$(srcdir)/src
PG_CFLAGS = -Wall -Wextra -Werror -Wno-unused-parameter \
	-Wno-missing-field-initializers -Wno-sign-compare
SHLIB_LINK = $(MYSQL_LIBS) -lpthread -lz -lzstd

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

src/source/%.o src/source/%.bc: override CPPFLAGS += $(MYSQL_CFLAGS)

# PGXS knows no header dependencies; rebuild everything when one changes,
# or objects would disagree on the layout of shared structs.
$(OBJS): $(wildcard $(srcdir)/src/*.h $(srcdir)/src/*/*.h)

sql/$(EXTENSION)--$(EXTVERSION).sql: sql/$(EXTENSION).sql
	cp $< $@

.PHONY: unit
unit:
	$(MAKE) -C test/unit check
