-- Test-only: a migration that fails half-way. The table below must not survive the failure.
CREATE TABLE broken_probe (id INTEGER PRIMARY KEY);
INSERT INTO broken_probe VALUES (1);
INSERT INTO no_such_table VALUES (1);
