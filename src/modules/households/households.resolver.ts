import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { EnrolmentStatus } from '../../graphql/enums.js';
import { HOUSEHOLD_SPEC, planColumns } from '../../graphql/read-plan.js';
import { assertId } from '../../lib/arguments.js';
import { Enrolment } from '../enrolments/enrolments.types.js';
import { Person } from '../persons/persons.types.js';
import { assertKnownProgram } from '../programs/programs.service.js';
import { Referral } from '../referrals/referrals.types.js';
import { Region } from '../regions/regions.types.js';
import { Household, HouseholdConnection, HouseholdFilter } from './households.types.js';

@Resolver(() => Household)
export class HouseholdsResolver {
  @Query(() => Household, { nullable: true })
  household(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Household | null> {
    assertId(id, 'id');
    return ctx.loaders.householdById.load(id);
  }

  @Query(() => HouseholdConnection)
  async households(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => HouseholdFilter, { nullable: true }) filter?: HouseholdFilter | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    await assertKnownProgram(ctx.loaders.programByCode, filter?.enrolledIn, 'filter.enrolledIn');
    await assertKnownProgram(ctx.loaders.programByCode, filter?.notEnrolledIn, 'filter.notEnrolledIn');
    return ctx.services.households.list(ctx.viewer, { filter, first, after }, planColumns(ctx, info, HOUSEHOLD_SPEC, 'h', ['edges', 'node']));
  }

  @FieldResolver(() => Region, { description: 'The village the household lives in.' })
  region(@Root() household: Household, @Ctx() ctx: Context) {
    return ctx.loaders.regionByCode.load(household.villageCode);
  }

  @FieldResolver(() => [Person])
  members(@Root() household: Household, @Ctx() ctx: Context) {
    return ctx.loaders.membersByHousehold.load(household.id);
  }

  @FieldResolver(() => [Enrolment])
  enrolments(
    @Root() household: Household,
    @Ctx() ctx: Context,
    @Arg('status', () => EnrolmentStatus, { nullable: true }) status?: EnrolmentStatus | null,
  ) {
    return ctx.loaders.enrolmentsByHousehold.load({ id: household.id, arg: status ?? null });
  }

  @FieldResolver(() => [Referral])
  referrals(@Root() household: Household, @Ctx() ctx: Context) {
    return ctx.loaders.referralsByHousehold.load(household.id);
  }
}
