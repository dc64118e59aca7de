#!/usr/bin/env node
/**
 * `npm run build`: compiles src/, seeds/ and schema/ into dist/ (tsc -p tsconfig.build.json) and
 * stamps dist/.built with the time the compilation STARTED, so bin/padu.mjs knows a source
 * saved during or after it is newer than its output.
 */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const started = Date.now();
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  // An install without devDependencies: bin/padu.mjs then runs the sources through tsx.
  process.stderr.write('padu: typescript is not installed: not compiled (the TypeScript sources run through tsx)\n');
  process.exit(0);
}
rmSync(`${root}/dist`, { recursive: true, force: true });
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(`${root}/dist/.built`, String(started));
