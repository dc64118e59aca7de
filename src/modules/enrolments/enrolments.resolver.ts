import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { selects } from '../../graphql/selection.js';
import { Household } from '../households/households.types.js';
import { Person } from '../persons/persons.types.js';
import { assertKnownProgram } from '../programs/programs.service.js';
import { Program } from '../programs/programs.types.js';
import { Region } from '../regions/regions.types.js';
import { Enrolment, EnrolmentConnection, EnrolmentFilter } from './enrolments.types.js';

@Resolver(() => Enrolment)
export class EnrolmentsResolver {
  @Query(() => EnrolmentConnection)
  async enrolments(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => EnrolmentFilter, { nullable: true }) filter?: EnrolmentFilter | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    await assertKnownProgram(ctx.loaders.programByCode, filter?.program, 'filter.program');
    const withPerson = selects(info, ['edges', 'node', 'person']);
    const withVerification = selects(info, ['edges', 'node', 'verification']);
    const connection = await ctx.services.enrolments.list(ctx.viewer, { filter, first, after }, { withPerson, withVerification });
    if (withVerification) {
      for (const { node } of connection.edges) if (node.verification) ctx.loaders.verificationByEnrolment.prime(node.id, node.verification);
    }
    if (withPerson) {
      // Prime with what the page's joins found, null included (a person out of scope stays null).
      for (const { node } of connection.edges) {
        if (node.personId == null) continue;
        ctx.loaders.personById.prime(node.personId, node.person ?? null);
        if (node.person && node.personHousehold) ctx.loaders.householdById.prime(node.personHousehold.id, node.personHousehold);
      }
    }
    return connection;
  }

  @FieldResolver(() => Program)
  program(@Root() enrolment: Enrolment, @Ctx() ctx: Context) {
    return ctx.loaders.programByCode.load(enrolment.programCode);
  }

  @FieldResolver(() => Region, { description: 'The village where the benefit is delivered.' })
  region(@Root() enrolment: Enrolment, @Ctx() ctx: Context) {
    return ctx.loaders.regionByCode.load(enrolment.villageCode);
  }

  @FieldResolver(() => Person, { nullable: true, description: 'The DTKS person the listed identity resolves to; null when none.' })
  person(@Root() enrolment: Enrolment, @Ctx() ctx: Context) {
    return enrolment.personId == null ? null : ctx.loaders.personById.load(enrolment.personId);
  }

  @FieldResolver(() => Household, { nullable: true })
  household(@Root() enrolment: Enrolment, @Ctx() ctx: Context) {
    return enrolment.householdId == null ? null : ctx.loaders.householdById.load(enrolment.householdId);
  }
}
