import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { ReferralStatus } from '../../graphql/enums.js';
import { assertId } from '../../lib/arguments.js';
import { Household } from '../households/households.types.js';
import { Person } from '../persons/persons.types.js';
import { Region } from '../regions/regions.types.js';
import { ComplaintInput, Referral, ReferralConnection, ReferralEvent, ReferralFilter } from './referrals.types.js';

/** SLRT referrals: queries, the workflow mutations (referrals.workflow.ts) and nested reads. */
@Resolver(() => Referral)
export class ReferralsResolver {
  @Query(() => Referral, { nullable: true })
  referral(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Referral | null> {
    assertId(id, 'id');
    return ctx.loaders.referralById.load(id);
  }

  @Query(() => ReferralConnection)
  referrals(
    @Ctx() ctx: Context,
    @Arg('filter', () => ReferralFilter, { nullable: true }) filter?: ReferralFilter | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return ctx.services.referrals.list(ctx.viewer, { filter, first, after });
  }

  @Mutation(() => Referral)
  registerComplaint(@Arg('input', () => ComplaintInput) input: ComplaintInput, @Ctx() ctx: Context): Promise<Referral> {
    return ctx.services.referrals.register(ctx.viewer, input, meta(ctx));
  }

  @Mutation(() => Referral)
  transitionReferral(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('to', () => ReferralStatus) to: ReferralStatus,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('note', () => String, { nullable: true }) note?: string | null,
    @Arg('referredTo', () => String, { nullable: true }) referredTo?: string | null,
  ): Promise<Referral> {
    return ctx.services.referrals.transition(ctx.viewer, { id, to, expectedVersion, note, referredTo }, meta(ctx));
  }

  @FieldResolver(() => Region)
  region(@Root() referral: Referral, @Ctx() ctx: Context) {
    return ctx.loaders.regionByCode.load(referral.villageCode);
  }

  @FieldResolver(() => Person, { nullable: true })
  person(@Root() referral: Referral, @Ctx() ctx: Context) {
    return referral.personId == null ? null : ctx.loaders.personById.load(referral.personId);
  }

  @FieldResolver(() => Household, { nullable: true })
  household(@Root() referral: Referral, @Ctx() ctx: Context) {
    return referral.householdId == null ? null : ctx.loaders.householdById.load(referral.householdId);
  }

  @FieldResolver(() => [ReferralEvent])
  history(@Root() referral: Referral, @Ctx() ctx: Context) {
    return ctx.loaders.referralHistory.load(referral.id);
  }
}

function meta(ctx: Context) {
  return { operation: null, requestId: ctx.requestId };
}
