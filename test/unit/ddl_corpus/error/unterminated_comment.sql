-- error: unterminated comment
CREATE TABLE t (a int) /* no end
