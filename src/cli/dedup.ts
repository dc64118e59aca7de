import { userInfo } from 'node:os';
import cliProgress from 'cli-progress';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { DuplicateScanner } from '../modules/duplicates/duplicates.scan.js';
import { runCli } from './run.js';

const USAGE = 'usage: npm run dedup -- [--program CODE] [--region CODE] [--full]';

/** Parse `--program X --region Y --full`; anything else is a usage error (exit 1, one line). */
export function parseDedupArgs(argv: string[]): { program: string | null; region: string | null; full: boolean } {
  const out = { program: null as string | null, region: null as string | null, full: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--full') out.full = true;
    else if (arg === '--program' || arg === '--region') {
      const value = argv[++i];
      if (value == null || value.startsWith('--')) throw new Error(`${arg} needs a value; ${USAGE}`);
      if (arg === '--program') out.program = value;
      else out.region = value;
    } else throw new Error(`unknown argument ${JSON.stringify(arg)}; ${USAGE}`);
  }
  return out;
}

/**
 * The duplicate scan from the command line, as a national ADMIN (the same service as
 * scanDuplicates; audited as a MUTATION by cli:<user>). Prints the candidates and new
 * candidates per kind and the time. Exit 1 with one line on a bad argument (an unknown program
 * or region is checked against the database before anything runs).
 */
runCli(async () => {
  const args = parseDedupArgs(process.argv.slice(2));
  const database = await openDatabase(loadConfig());
  try {
    await migrate(database);
    const bar = process.stderr.isTTY
      ? new cliProgress.SingleBar({ stream: process.stderr, format: 'dedup [{bar}] {value}/{total} {step}', hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic)
      : undefined;
    bar?.start(7, 0, { step: 'compare' });
    const viewer = { id: `cli:${userInfo().username}`, role: 'ADMIN' as const, regions: ['*'], programs: [], via: 'token' as const };
    const result = await new DuplicateScanner(database).scan(viewer, { program: args.program, regionCode: args.region },
      { operation: 'cli dedup', requestId: null },
      { full: args.full, onProgress: (done, _total, step) => bar?.update(done, { step }) })
      .finally(() => bar?.stop());
    const scope = [args.program ? `program ${args.program}` : 'all programs', args.region ? `region ${args.region}` : 'all regions'].join(', ');
    process.stdout.write(`dedup (${scope}): ${result.incremental ? 'incremental' : 'full'} scan, ${result.compared} enrolments compared\n`);
    for (const k of result.byKind) {
      process.stdout.write(`  ${k.kind.padEnd(22)} ${String(k.candidates).padStart(8)} candidates ${String(k.newCandidates).padStart(8)} new\n`);
    }
    process.stdout.write(`  ${'total'.padEnd(22)} ${String(result.candidates).padStart(8)} candidates ${String(result.newCandidates).padStart(8)} new in ${(result.tookMs / 1000).toFixed(1)} s\n`);
  } finally {
    await database.close();
  }
});
