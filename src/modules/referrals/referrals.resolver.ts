import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { Household } from '../households/households.types.js';
import { Person } from '../persons/persons.types.js';
import { Region } from '../regions/regions.types.js';
import { Referral, ReferralEvent } from './referrals.types.js';

/** Nested reads of a referral; the referral queries and mutations come with issue 7. */
@Resolver(() => Referral)
export class ReferralsResolver {
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
