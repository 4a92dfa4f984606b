"""The lifecycle database: engine and sessions, the tables, migrations."""
