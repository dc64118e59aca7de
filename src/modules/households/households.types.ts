import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { connectionTypes } from '../../graphql/connection.js';

@ObjectType('Household', { simpleResolvers: true })
export class Household {
  @Field(() => ID, { description: 'DTKS household id (IDBDT).' })
  id!: string;

  // Address fields are nullable: field guards (issue 5) will deny them to some roles.
  @Field(() => String, { nullable: true })
  address!: string | null;

  @Field(() => String, { nullable: true })
  rt!: string | null;

  @Field(() => String, { nullable: true })
  rw!: string | null;

  @Field(() => Int, { nullable: true, description: 'Welfare decile 1 (poorest) to 10; null when not ranked.' })
  desil!: number | null;

  /** The village: resolved to `region` by the region loader. */
  villageCode!: string;
}

@InputType('HouseholdFilter')
export class HouseholdFilter {
  @Field(() => String, { nullable: true })
  regionCode?: string | null;

  @Field(() => Int, { nullable: true })
  desilMin?: number | null;

  @Field(() => Int, { nullable: true })
  desilMax?: number | null;

  @Field(() => String, { nullable: true, description: 'Households with no ACTIVE enrolment of this program (exclusion-error candidates).' })
  notEnrolledIn?: string | null;

  @Field(() => String, { nullable: true, description: 'Households with an ACTIVE enrolment of this program.' })
  enrolledIn?: string | null;
}

export const { Edge: HouseholdEdge, Connection: HouseholdConnection } = connectionTypes('Household', Household);
export type HouseholdConnection = InstanceType<typeof HouseholdConnection>;
