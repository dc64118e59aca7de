#!/usr/bin/env node
/**
 * Runs one of Padu's entry points IN THIS PROCESS (npm's scripts `exec` it, so the PID npm
 * start gives a process manager is the server's own, and signals reach it):
 *
 *   node bin/padu.mjs src/main [args…]        node bin/padu.mjs src/cli/token --role …
 *
 * The compiled JavaScript in dist/ (npm run build; `npm ci` builds it through `prepare`) is used
 * when it is at least as new as every TypeScript source; otherwise, say after editing a file,
 * the sources run through tsx's loader, compiled at run time, and one line says so.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const [entry, ...args] = process.argv.slice(2);
if (!entry || !/^src\/[\w/-]+$/.test(entry)) {
  process.stderr.write('usage: node bin/padu.mjs src/<entry point without extension> [arguments]\n');
  process.exit(1);
}

/** The stamp `npm run build` writes after a successful compilation (dist/.built). */
function builtAt() {
  try {
    return Number(readFileSync(join(root, 'dist', '.built'), 'utf8'));
  } catch {
    return 0;
  }
}

/** The newest modification time of the compiled sources (and the build configuration). */
function newestSource() {
  let newest = 0;
  const visit = (dir) => {
    for (const item of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, item.name);
      if (item.isDirectory()) visit(path);
      else if (item.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of ['src', 'seeds', 'schema']) visit(join(root, dir));
  for (const file of ['tsconfig.json', 'tsconfig.build.json']) newest = Math.max(newest, statSync(join(root, file)).mtimeMs);
  return newest;
}

const compiled = join(root, 'dist', `${entry}.js`);
const fresh = existsSync(compiled) && builtAt() >= newestSource();
let file;
if (fresh) {
  file = compiled;
} else {
  process.stderr.write('padu: dist/ is missing or older than the sources: running the TypeScript sources (npm run build compiles them)\n');
  const { register } = await import('tsx/esm/api');
  register();
  file = resolve(root, `${entry}.ts`);
}
// The entry point reads its arguments as if started directly: node <file> args…
process.argv = [process.argv[0], file, ...args];
await import(pathToFileURL(file).href);
