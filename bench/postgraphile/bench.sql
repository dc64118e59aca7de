-- Only in the benchmark database: the search PostGraphile exposes as Query.searchPersons
-- (PostGraphile has no fuzzy search of its own). Same SQL as Padu's, without the scope.
create or replace function search_persons(q text, lim int) returns setof persons
language sql stable as $$
  select * from (select * from persons p where p.name_norm % q order by p.name_norm <-> q limit lim) m
  order by similarity(m.name_norm, q) desc, m.id
$$;

-- PostGraphile exposes a backward relation (Household.peopleByHouseholdIdAndVillageCode) only
-- when an index matches the foreign key (persons_household_fk is (household_id, village_code)).
-- Padu's member loader uses persons_household_idx and does not need this one.
create index if not exists bench_persons_household_village_idx on persons (household_id, village_code);
analyze persons;

-- Not yet in the migrations (recommended to the lead): a GiST trigram index lets searchPersons
-- (and search_persons above) run as a nearest-neighbour scan. Both servers use it.
create index if not exists bench_persons_name_norm_gist on persons using gist (name_norm gist_trgm_ops);
