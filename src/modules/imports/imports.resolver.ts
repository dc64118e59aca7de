import { Readable } from 'node:stream';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { ImportKind } from '../../graphql/enums.js';
import { BadUserInputError, ForbiddenError, quote } from '../../lib/errors.js';
import { ImportBatchType, ImportErrorType } from './imports.types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const MAX_ERRORS_PAGE = 500;

/** The body in 64 kB pieces, as a file would stream: the parser takes one piece at a time. */
function* slices(buffer: Buffer, size = 64 * 1024): Generator<Buffer> {
  for (let at = 0; at < buffer.length; at += size) yield buffer.subarray(at, at + size);
}

@Resolver(() => ImportBatchType)
export class ImportsResolver {
  /** The same validator and loader as `npm run import`; the CSV arrives in the request body. */
  @Mutation(() => ImportBatchType)
  importRecords(
    @Arg('kind', () => ImportKind) kind: ImportKind,
    @Arg('csv', () => String) csv: string,
    @Ctx() ctx: Context,
  ): Promise<ImportBatchType> {
    return ctx.services.imports.importCsv(kind, Readable.from(slices(Buffer.from(csv, 'utf8'))), {
      actor: ctx.viewer.id,
      role: ctx.viewer.role,
      source: 'graphql',
      operation: 'importRecords',
      requestId: ctx.requestId,
    });
  }

  @Query(() => ImportBatchType, { nullable: true })
  async importBatch(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ImportBatchType | null> {
    // Until the access-control layer lands: batches (and their row errors) are for ADMIN only.
    if (ctx.viewer.role !== 'ADMIN') throw new ForbiddenError('importBatch is for ADMIN only');
    if (!UUID.test(id)) throw new BadUserInputError(`id must be an import batch id (a UUID), got ${quote(id)}`, 'id');
    return ctx.services.imports.batch(id.toLowerCase());
  }

  @FieldResolver(() => [ImportErrorType], { description: 'Rejected rows in row order; first defaults to 50, at most 500.' })
  async errors(
    @Root() batch: ImportBatchType,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number | null,
  ): Promise<ImportErrorType[]> {
    const n = first ?? 50;
    if (n < 0 || n > MAX_ERRORS_PAGE) throw new BadUserInputError(`first must be 0..${MAX_ERRORS_PAGE}, got ${n}`, 'first');
    return ctx.services.imports.errorsOf([batch.id], n);
  }
}
