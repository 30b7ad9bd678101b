-- error: unsupported statement "INSERT"
INSERT INTO t VALUES (1, 'a')
