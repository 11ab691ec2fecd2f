"""`flask backup PATH` / `flask restore PATH` (DESIGN §4): the database (SQLite through its
online backup API, PostgreSQL through pg_dump's custom format) and, beside it, the certificate
scans the app keeps on disk (`PATH.scans.tar`)."""
