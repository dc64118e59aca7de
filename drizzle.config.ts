import { defineConfig } from 'drizzle-kit';

// Only `drizzle-kit generate` is used: migrations are applied by the app (src/db/migrate.ts),
// because drizzle-kit's own migrate cannot load PGlite extensions such as pg_trgm.
export default defineConfig({
  dialect: 'postgresql',
  schema: './schema/index.ts',
  out: './migrations',
  casing: 'snake_case',
});
