import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { selects } from '../../graphql/selection.js';
import { ReviewStatus } from '../../graphql/enums.js';
import { Enrolment } from '../enrolments/enrolments.types.js';
import { assertKnownProgram } from '../programs/programs.service.js';
import { Program } from '../programs/programs.types.js';
import { DuplicateCandidate, DuplicateCandidateConnection, DuplicateFilter, DuplicateScan } from './duplicates.types.js';

/** Duplicate enrolments (CONTRACT.md section 6): the scan, the review queue and the review. */
@Resolver(() => DuplicateCandidate)
export class DuplicatesResolver {
  @Query(() => DuplicateCandidateConnection)
  async duplicateEnrolments(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => DuplicateFilter, { nullable: true }) filter?: DuplicateFilter | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    await assertKnownProgram(ctx.loaders.programByCode, filter?.program, 'filter.program');
    const withMembers = selects(info, ['edges', 'node', 'enrolments']);
    const connection = await ctx.services.duplicates.list(ctx.viewer, { filter, first, after }, { withMembers });
    // The page carries its visible enrolments: the loader answers from them without a statement.
    if (withMembers) for (const { node } of connection.edges) ctx.loaders.duplicateMembers.prime(node.id, (node.members ?? []).map((e) => ({ ...e, candidateId: node.id })));
    return connection;
  }

  @Mutation(() => DuplicateScan)
  scanDuplicates(
    @Ctx() ctx: Context,
    @Arg('program', () => String, { nullable: true }) program?: string | null,
    @Arg('regionCode', () => String, { nullable: true }) regionCode?: string | null,
    @Arg('full', () => Boolean, { defaultValue: false, description: 'Compare every enrolment of the scope, not only those changed since the last scan.' }) full?: boolean,
  ) {
    return ctx.services.duplicateScanner.scan(ctx.viewer, { program, regionCode }, meta(ctx), { full });
  }

  @Mutation(() => DuplicateCandidate)
  reviewDuplicate(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('decision', () => ReviewStatus) decision: ReviewStatus,
    @Arg('note', () => String, { nullable: true }) note?: string | null,
  ) {
    return ctx.services.duplicates.review(ctx.viewer, { id, decision, note }, meta(ctx));
  }

  @FieldResolver(() => [Enrolment], { description: 'The enrolments of the candidate that the viewer may see.' })
  enrolments(@Root() candidate: DuplicateCandidate, @Ctx() ctx: Context) {
    return ctx.loaders.duplicateMembers.load(candidate.id);
  }

  @FieldResolver(() => [Program])
  async programs(@Root() candidate: DuplicateCandidate, @Ctx() ctx: Context) {
    const programs = await ctx.loaders.programByCode.loadMany(candidate.programCodes);
    return programs.filter((p): p is Program => p != null && !(p instanceof Error));
  }
}

function meta(ctx: Context) {
  return { operation: null, requestId: ctx.requestId };
}
