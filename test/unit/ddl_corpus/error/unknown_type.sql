-- error: unknown data type
CREATE TABLE t (a int, b frob)
