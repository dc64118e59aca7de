-- The GIN trigram indexes on persons.name_norm and enrolments.name_norm serve no query:
-- searchPersons filters with `%` and orders by `<->`, which the planner answers from the GiST
-- trigram index persons_name_norm_trgm_gist_idx (EXPLAIN on 1M persons: a nearest-neighbour
-- index scan, or a BitmapAnd of the GiST index with a region index), and nothing filters
-- enrolments by trigram (identity resolution and duplicate scans compare names with similarity()
-- after an equality or range join). Every import paid for them: about a fifth of a persons
-- import's index maintenance (perf, bench:import). Dropping them changes no answer.
DROP INDEX IF EXISTS "persons_name_norm_trgm_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "enrolments_name_norm_trgm_idx";
