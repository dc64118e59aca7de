import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { printSchema } from 'graphql';
import { projectPath } from '../lib/paths.js';
import { buildUnguardedSchema as buildPaduSchema } from '../graphql/schema.js';
import { runCli } from './run.js';

/** Writes schema/schema.graphql, the SDL the service serves (a test fails when it drifts). */
export const SDL_FILE = pathToFileURL(projectPath('schema', 'schema.graphql'));

runCli(async () => {
  const sdl = `${printSchema(await buildPaduSchema())}\n`;
  await writeFile(SDL_FILE, sdl);
  process.stdout.write(`wrote ${SDL_FILE.pathname}\n`);
});
