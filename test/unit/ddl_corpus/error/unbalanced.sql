-- error: unbalanced parentheses
CREATE TABLE t (a int DEFAULT (1 + (2)
