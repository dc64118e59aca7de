-- Only in the benchmark database: the search PostGraphile exposes as Query.searchPersons
-- (PostGraphile has no fuzzy search of its own). Same SQL as Padu's, without the scope.
create or replace function search_persons(q text, lim int) returns setof persons
language sql stable as $$
  select * from persons p where p.name_norm % q order by similarity(p.name_norm, q) desc, p.id limit lim
$$;

-- PostGraphile exposes a backward relation (Household.peopleByHouseholdIdAndVillageCode) only
-- when an index matches the foreign key (persons_household_fk is (household_id, village_code)).
-- Padu's member loader uses persons_household_idx and does not need this one.
create index if not exists bench_persons_household_village_idx on persons (household_id, village_code);
analyze persons;
