/**
 * Fill a PostgreSQL database with a deterministic synthetic register for benchmarks:
 * ~250k households, ~1M persons, ~400k enrolments, ~1M civil-registry rows and 20k referrals,
 * spread over every village of Jawa Timur (35) plus Kota Solok (13.72) and Barito Kuala (63.04).
 *
 * Everything is generated inside PostgreSQL with generate_series (no rows travel through
 * JavaScript), except the name table: 4,900 first+last name pairs whose name_norm is computed by
 * src/lib/names.ts, so that search sees exactly what an import would have stored.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/padu_h4_bench npx tsx bench/fill.sql.ts [--households 250000] [--reset]
 *
 * Synthetic data only: names are common Indonesian names combined at random, NIKs are composed
 * from region codes and invented birth dates.
 */
import { sql } from 'drizzle-orm';
import { Database } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { normalizeName } from '../src/lib/names.js';

const FIRST = [
  'Muhammad', 'Muhamad', 'Mohammad', 'Moh.', 'Ahmad', 'Achmad', 'Budi', 'Agus', 'Slamet', 'Joko', 'Djoko', 'Bambang',
  'Heru', 'Wahyu', 'Eko', 'Dwi', 'Tri', 'Rizky', 'Rizki', 'Fajar', 'Hendra', 'Hendry', 'Yusuf', 'Jusuf', 'Abdul',
  'Imam', 'Sutrisno', 'Soetrisno', 'Suparman', 'Ramadhan', 'Ilham', 'Arif', 'Andi', 'Dedi', 'Rudi',
  'Siti', 'Sitti', 'Nur', 'Noer', 'Sri', 'Dewi', 'Wati', 'Sumiati', 'Suminah', 'Tjahjani', 'Cahyani', 'Rina', 'Ani',
  'Fitri', 'Indah', 'Lestari', 'Yuliani', 'Kartini', 'Fatimah', 'Aisyah', 'Khadijah', 'Nurul', 'Ratna', 'Endang',
  'Puji', 'Tutik', 'Umi', 'Hj. Siti', 'H. Ahmad', 'Ni Made', 'Wayan', 'Ketut', 'Putu', 'Kadek', 'Made',
];
const LAST = [
  'Santoso', 'Susanto', 'Wijaya', 'Saputra', 'Setiawan', 'Hidayat', 'Nugroho', 'Purnomo', 'Prasetyo', 'Kurniawan',
  'Gunawan', 'Hartono', 'Suharto', 'Soeharto', 'Sugiarto', 'Wibowo', 'Firmansyah', 'Ramadhani', 'Rahman', 'Rachman',
  'Hasanah', 'Aminah', 'Rohmah', 'Maulana', 'Syahputra', 'Sjahputra', 'Utomo', 'Widodo', 'Pratama', 'Anggraini',
  'Wulandari', 'Puspitasari', 'Handayani', 'Rahayu', 'Mulyani', 'Kusuma', 'Permana', 'Hakim', 'Fauzi', 'Iskandar',
  'Zainal', 'Zaenal', 'Effendi', 'Siregar', 'Nasution', 'Lubis', 'Harahap', 'Situmorang', 'Daulay', 'Tanjung',
  'Aritonang', 'Simanjuntak', 'Pohan', 'Batubara', 'Ginting', 'Sembiring', 'Tarigan', 'Ritonga', 'Hutapea', 'Sinaga',
  'Prabowo', 'Suryadi', 'Suryani', 'Sulastri', 'Mardiyah', 'Irfandi', 'Syafii', 'Bahri', 'Bakri', 'S.Pd.',
];

const REGIONS = ['35.%', '13.72.%', '63.04.%'];

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function step<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await fn();
  process.stdout.write(`${label.padEnd(40)} ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return result;
}

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('set DATABASE_URL to the benchmark database (e.g. postgres://postgres@127.0.0.1:5432/padu_h4_bench)');
  const households = arg('households', 250_000);
  const database = await Database.openPostgres(url, { max: 1 });
  const run = (query: ReturnType<typeof sql>) => database.execute(query);
  await step('migrate', () => migrate(database));

  const [{ n }] = await database.execute<{ n: number }>(sql`select count(*)::int as n from households`);
  if (n > 0) {
    if (!process.argv.includes('--reset')) throw new Error(`the database already holds ${n} households; pass --reset to empty the register first`);
    await step('reset', () => run(sql`truncate referral_events, referrals, duplicate_candidate_enrolments, duplicate_candidates,
      enrolments, persons, households, civil_registry`));
  }

  const names = FIRST.flatMap((first) => LAST.map((last) => `${first} ${last}`.replace(' S.Pd.', ', S.Pd.')));
  const nameRows = names.map((name, i) => ({ i, name, name_norm: normalizeName(name) }));
  await run(sql`create temporary table bench_names (i int primary key, name text, name_norm text)`);
  await run(sql`insert into bench_names select * from json_to_recordset(${JSON.stringify(nameRows)}::json) as x(i int, name text, name_norm text)`);
  await run(sql`create temporary table bench_villages as
    select (row_number() over (order by code) - 1)::int as i, code from regions
    where level = 'VILLAGE' and code like any (${`{${REGIONS.join(',')}}`}::text[])`);
  const [{ villages }] = await database.execute<{ villages: number }>(sql`select count(*)::int as villages from bench_villages`);
  const nNames = nameRows.length;

  // Households grouped by village in id order (as a real register is), deciles spread evenly, 1 in 23 unranked.
  await step(`households (${households})`, () => run(sql`
    insert into households (id, village_code, address, rt, rw, desil, collected_on, floor, wall, roof)
    select 'B' || lpad(g::text, 7, '0'), v.code, 'Dusun ' || (1 + g % 9) || ' No. ' || (1 + g % 97),
      lpad((1 + g % 12)::text, 3, '0'), lpad((1 + g % 7)::text, 3, '0'),
      case when g % 23 = 0 then null else 1 + ((g::bigint * 7919) % 100)::int / 10 end,
      date '2022-10-01' + (g % 300), 1 + g % 9, 1 + g % 7, 1 + g % 8
    from generate_series(0, ${households - 1}) g
    join bench_villages v on v.i = (g::bigint * ${villages} / ${households})::int`));

  // Four members per household: head, spouse, two children. One NIK in 40 is missing or malformed.
  await step('persons', () => run(sql`
    insert into persons (id, household_id, village_code, nik, nik_valid, kk_number, name, name_norm, sex, birth_place,
                         birth_date, relationship, marital_status, presence, disability, chronic_illness, ppks)
    select 'A' || substr(h.id, 2) || m, h.id, h.village_code,
      case when x.k % 40 = 0 then null when x.k % 40 = 1 then left(x.nik, 15) else x.nik end,
      x.k % 40 > 1,
      replace(substr(h.village_code, 1, 8), '.', '') || '0101' || '22' || lpad((x.g % 9999 + 1)::text, 4, '0'),
      n.name, n.name_norm, x.sex::sex, 'Jember', x.birth_date,
      (array['HEAD','SPOUSE','CHILD','CHILD'])[m]::relationship,
      (case when m <= 2 then 'MARRIED' else 'SINGLE' end)::marital_status,
      (case when x.k % 53 = 0 then 'DECEASED' when x.k % 61 = 0 then 'MOVED' else 'PRESENT' end)::presence,
      x.k % 37 = 0, x.k % 29 = 0,
      case when x.k % 11 = 0 then array['FAKIR_MISKIN']::ppks_category[]
           when x.k % 97 = 0 then array['LANJUT_USIA_TELANTAR','FAKIR_MISKIN']::ppks_category[] else '{}' end
    from households h
    cross join generate_series(1, 4) m
    cross join lateral (
      select substr(h.id, 2)::bigint as g,
             ((substr(h.id, 2)::bigint * 4 + m) * 2654435761) % 1000003 as k,
             case when m = 2 or (m = 4 and substr(h.id, 2)::bigint % 2 = 0) then 'F' else 'M' end as sex,
             date '2026-01-01' - ((case when m <= 2 then 28 + substr(h.id, 2)::int % 45 else 1 + (substr(h.id, 2)::int + m) % 24 end) * 365
                                  + (substr(h.id, 2)::int * 31 + m) % 365) as birth_date
    ) x0
    cross join lateral (
      select x0.*, replace(substr(h.village_code, 1, 8), '.', '')
        || lpad((extract(day from x0.birth_date)::int + case when x0.sex = 'F' then 40 else 0 end)::text, 2, '0')
        || to_char(x0.birth_date, 'MMYY') || lpad(((x0.g * 4 + m) % 9999 + 1)::text, 4, '0') as nik
    ) x
    join bench_names n on n.i = (x.k % ${nNames})::int`));

  // The civil registry holds every valid NIK once (a few collide and are skipped), 1 in 50 with a
  // misspelt or different name, 1 in 70 deceased.
  await step('civil_registry', () => run(sql`
    insert into civil_registry (nik, kk_number, name, name_norm, sex, birth_place, birth_date, village_code, death_date)
    select p.nik, p.kk_number, p.name, p.name_norm, p.sex, p.birth_place, p.birth_date, p.village_code,
      case when abs(hashtext(p.id)) % 70 = 0 then date '2024-06-01' end
    from persons p where p.nik_valid
    on conflict (nik) do nothing`));

  // Enrolments: PKH for a third of the households (to the spouse), BPNT for half (to the head),
  // PBI_JK for one person in five; a few listed identities resolve to nobody.
  await step('enrolments', () => run(sql`
    insert into enrolments (id, program_code, status, start_date, village_code, nik, nik_valid, kk_number, name, name_norm,
                            birth_date, person_id, household_id, amount)
    select e.id, e.program, (case when e.k % 13 = 0 then 'SUSPENDED' when e.k % 17 = 0 then 'ENDED' else 'ACTIVE' end)::enrolment_status,
      date '2023-01-01' + (e.k % 700)::int, p.village_code, p.nik, p.nik_valid, p.kk_number, p.name, p.name_norm, p.birth_date,
      case when e.k % 101 = 0 then null else p.id end, case when e.k % 101 = 0 then null else p.household_id end,
      case e.program when 'PKH' then 750000 when 'BPNT' then 200000 else 42000 end
    from (
      select 'K' || p.id as id, 'PKH' as program, p.id as person_id, abs(hashtext(p.id)) as k
        from persons p where p.relationship = 'SPOUSE' and substr(p.household_id, 2)::int % 3 = 0
      union all
      select 'N' || p.id, 'BPNT', p.id, abs(hashtext(p.id || 'b'))
        from persons p where p.relationship = 'HEAD' and substr(p.household_id, 2)::int % 2 = 0
      union all
      select 'J' || p.id, 'PBI_JK', p.id, abs(hashtext(p.id || 'j'))
        from persons p where abs(hashtext(p.id || 'pbi')) % 5 = 0
    ) e join persons p on p.id = e.person_id`));

  await step('referrals (20k) and events', async () => {
    await run(sql`
      insert into referrals (id, village_code, category, status, version, registered_at, complainant_name, name_norm, nik,
                             description, referred_to, in_dtks, person_id, household_id, registered_by)
      select 'SLRT-B' || lpad(g::text, 6, '0'), p.village_code,
        (array['HEALTH','EDUCATION','SOCIAL_ECONOMIC','FOOD','ENERGY','AGRICULTURE','FISHERIES','HOUSING','CIVIL_REGISTRATION'])[1 + g % 9]::referral_category,
        (case when g % 4 = 0 then 'REFERRED' else 'REGISTERED' end)::referral_status, case when g % 4 = 0 then 2 else 1 end,
        timestamptz '2025-01-01 00:00:00+00' + (g % 340) * interval '1 day', p.name, p.name_norm, p.nik,
        'Pengaduan bench ' || g, case when g % 4 = 0 then 'DINSOS' end, true, p.id, p.household_id, 'bench'
      from generate_series(1, 20000) g
      join persons p on p.id = 'A' || lpad(((g::bigint * 12347) % ${households})::text, 7, '0') || '1'`);
    await run(sql`
      insert into referral_events (referral_id, regency_code, at, from_status, to_status, actor, referred_to)
      select r.id, r.regency_code, r.registered_at, null::referral_status, 'REGISTERED'::referral_status, 'bench', null from referrals r where r.registered_by = 'bench'
      union all
      select r.id, r.regency_code, r.registered_at + interval '3 days', 'REGISTERED'::referral_status, 'REFERRED'::referral_status, 'bench', 'DINSOS'
      from referrals r where r.registered_by = 'bench' and r.status = 'REFERRED'`);
  });

  await step('analyze', () => run(sql`analyze`));
  const counts = await database.execute(sql`select
    (select count(*)::int from households) as households, (select count(*)::int from persons) as persons,
    (select count(*)::int from enrolments) as enrolments, (select count(*)::int from civil_registry) as civil_registry,
    (select count(*)::int from referrals) as referrals`);
  process.stdout.write(`${JSON.stringify(counts[0])}\n`);
  await database.close();
}

main().catch((error) => {
  process.stderr.write(`fill: ${(error as Error).message}\n`);
  process.exit(1);
});
