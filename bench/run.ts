/**
 * `npm run bench`: every `bench:*` script of package.json in turn (numbers, not pass/fail).
 * Each benchmark says what it needs (most need DATABASE_URL pointing at a PostgreSQL database
 * they may fill) and prints its own figures.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const scripts = Object.keys(JSON.parse(readFileSync('package.json', 'utf8')).scripts as Record<string, string>)
  .filter((name) => name.startsWith('bench:'));
if (scripts.length === 0) {
  process.stdout.write('no bench:* scripts defined\n');
  process.exit(0);
}
let failed = 0;
for (const script of scripts) {
  process.stdout.write(`\n== npm run ${script}\n`);
  const result = spawnSync('npm', ['run', '--silent', script], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
