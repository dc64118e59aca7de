-- pg_trgm backs the trigram indexes on normalised names (search, verification, duplicates).
-- It is a trusted extension (PostgreSQL 13+), so a database owner can create it; PGlite loads it
-- from @electric-sql/pglite/contrib/pg_trgm.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
