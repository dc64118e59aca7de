/**
 * Migrate once per run, then let every test file clone the result:
 * - PostgreSQL (DATABASE_URL set): a template database `<db>_tpl`; each file runs in
 *   `CREATE DATABASE … TEMPLATE` of it, dropped afterwards.
 * - PGlite: a gzipped data-dir dump, cached under node_modules/.cache keyed by the migrations,
 *   loaded into an in-memory PGlite per file.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { Database } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string;
    pgliteSnapshot: string;
  }
}

function migrationsHash(): string {
  const hash = createHash('sha256');
  for (const dir of ['migrations', 'migrations/meta', 'src/db']) {
    for (const file of readdirSync(dir).sort()) {
      const path = join(dir, file);
      if (file.includes('.')) hash.update(path).update(readFileSync(path));
    }
  }
  hash.update(readFileSync('package-lock.json'));
  return hash.digest('hex').slice(0, 16);
}

export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = `${new URL(url).pathname.slice(1) || 'padu'}_tpl`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${template}" with (force)`);
    await admin.unsafe(`create database "${template}"`);
    const templateUrl = new URL(url);
    templateUrl.pathname = `/${template}`;
    const database = await Database.openPostgres(templateUrl.toString(), { max: 1 });
    await migrate(database);
    await database.close();
    project.provide('pgTemplate', template);
    project.provide('pgliteSnapshot', '');
    return async () => {
      await admin.unsafe(`drop database if exists "${template}" with (force)`);
      await admin.end();
    };
  }
  const cacheDir = 'node_modules/.cache/padu';
  const snapshot = join(cacheDir, `pglite-${migrationsHash()}.tar.gz`);
  if (!existsSync(snapshot)) {
    const database = await Database.openPglite('memory://');
    await migrate(database);
    const client = (database.db as unknown as { $client: { dumpDataDir(c: 'gzip'): Promise<Blob> } }).$client;
    const dump = await client.dumpDataDir('gzip');
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(snapshot, Buffer.from(await dump.arrayBuffer()));
    await database.close();
  }
  project.provide('pgliteSnapshot', snapshot);
  project.provide('pgTemplate', '');
}
