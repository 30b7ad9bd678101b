-- error: syntax error at or near
CREATE TABLE t (a int) ENGINE=InnoDB xyz
