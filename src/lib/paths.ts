import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project folder (the one holding package.json and migrations/), found by walking up from
 * this file: the same code runs from src/ (tsx) and from dist/src/ (compiled by npm run build).
 */
function findProjectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!(existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'migrations')))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the Padu project folder above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findProjectRoot();

/** A path inside the project folder. */
export const projectPath = (...parts: string[]) => join(PROJECT_ROOT, ...parts);
