import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { connectionTypes } from '../../graphql/connection.js';
import { ReferralCategory, ReferralStatus } from '../../graphql/enums.js';
import { DateScalar } from '../../graphql/scalars.js';

/**
 * An SLRT complaint registered at a Puskesos (src/modules/referrals/referrals.workflow.ts has
 * its states). The complaint fields are nullable: field guards (issue 5) deny them to most roles.
 */
@ObjectType('Referral', { simpleResolvers: true })
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

@ObjectType('ReferralEvent', { simpleResolvers: true })
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

@InputType('ComplaintInput')
export class ComplaintInput {
  @Field(() => ReferralCategory)
  category!: ReferralCategory;

  @Field(() => String, { description: 'Village code of the Puskesos or of the complainant.' })
  regionCode!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  nik?: string | null;

  @Field(() => String)
  description!: string;
}

@InputType('ReferralFilter')
export class ReferralFilter {
  @Field(() => String, { nullable: true })
  regionCode?: string | null;

  @Field(() => ReferralStatus, { nullable: true })
  status?: ReferralStatus | null;

  @Field(() => ReferralCategory, { nullable: true })
  category?: ReferralCategory | null;

  @Field(() => String, { nullable: true })
  nik?: string | null;

  @Field(() => Boolean, { nullable: true })
  inDtks?: boolean | null;

  @Field(() => DateScalar, { nullable: true })
  registeredFrom?: string | null;

  @Field(() => DateScalar, { nullable: true })
  registeredTo?: string | null;
}

export const { Edge: ReferralEdge, Connection: ReferralConnection } = connectionTypes('Referral', Referral);
export type ReferralConnection = InstanceType<typeof ReferralConnection>;
