-- error: unterminated quoted string
CREATE TABLE t (a text COMMENT 'oops)
