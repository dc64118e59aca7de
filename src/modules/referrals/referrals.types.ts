import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ReferralCategory, ReferralStatus } from '../../graphql/enums.js';

/**
 * An SLRT complaint (read side only; registration and transitions come with issue 7).
 * The complaint fields are nullable: field guards (issue 5) deny them to most roles.
 */
@ObjectType('Referral')
export class Referral {
  @Field(() => ID)
  id!: string;

  @Field(() => ReferralCategory)
  category!: ReferralCategory;

  @Field(() => ReferralStatus)
  status!: ReferralStatus;

  @Field(() => Int, { description: 'Incremented on every transition; transitionReferral needs the current value.' })
  version!: number;

  @Field(() => Date)
  registeredAt!: string;

  @Field(() => String, { nullable: true })
  complainantName!: string | null;

  @Field(() => String, { nullable: true })
  nik!: string | null;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => String, { nullable: true, description: 'Agency or program the case is referred to, e.g. DUKCAPIL, DINKES, PKH.' })
  referredTo!: string | null;

  @Field(() => Boolean, { description: 'Whether the complainant was found in the DTKS when the complaint was registered.' })
  inDtks!: boolean;

  villageCode!: string;
  personId!: string | null;
  householdId!: string | null;
}

@ObjectType('ReferralEvent')
export class ReferralEvent {
  @Field(() => Date)
  at!: string;

  @Field(() => ReferralStatus, { nullable: true })
  fromStatus!: ReferralStatus | null;

  @Field(() => ReferralStatus)
  toStatus!: ReferralStatus;

  @Field(() => String)
  actor!: string;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field(() => String, { nullable: true })
  referredTo!: string | null;

  referralId!: string;
}
