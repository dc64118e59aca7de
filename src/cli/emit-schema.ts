import { writeFile } from 'node:fs/promises';
import { printSchema } from 'graphql';
import { buildUnguardedSchema as buildPaduSchema } from '../graphql/schema.js';
import { runCli } from './run.js';

/** Writes schema/schema.graphql, the SDL the service serves (a test fails when it drifts). */
export const SDL_FILE = new URL('../../schema/schema.graphql', import.meta.url);

runCli(async () => {
  const sdl = `${printSchema(await buildPaduSchema())}\n`;
  await writeFile(SDL_FILE, sdl);
  process.stdout.write(`wrote ${SDL_FILE.pathname}\n`);
});
