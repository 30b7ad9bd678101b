-- error: CREATE TABLE ... SELECT is not supported
CREATE TABLE t2 AS SELECT * FROM t1
