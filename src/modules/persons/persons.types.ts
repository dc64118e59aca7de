import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { connectionTypes } from '../../graphql/connection.js';
import { PpksCategory, Presence, Relationship, Sex, VerificationStatus } from '../../graphql/enums.js';
import { DateScalar } from '../../graphql/scalars.js';

/**
 * A DTKS household member. Identity, health and the other fields a role may be denied later
 * (field guards, issue 5) are nullable so that a denial nulls only the field.
 */
@ObjectType('Person', { simpleResolvers: true })
export class Person {
  @Field(() => ID, { description: 'DTKS member id (IDARTBDT).' })
  id!: string;

  @Field(() => String, { nullable: true })
  nik!: string | null;

  @Field(() => String, { nullable: true })
  kkNumber!: string | null;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => Sex, { nullable: true })
  sex!: Sex | null;

  @Field(() => DateScalar, { nullable: true })
  birthDate!: string | null;

  @Field(() => Relationship, { nullable: true })
  relationship!: Relationship | null;

  @Field(() => Presence, { nullable: true })
  presence!: Presence | null;

  @Field(() => Boolean, { nullable: true })
  disability!: boolean | null;

  @Field(() => Boolean, { nullable: true })
  chronicIllness!: boolean | null;

  @Field(() => [PpksCategory])
  ppks!: PpksCategory[];

  householdId!: string;
  villageCode!: string;
}

@InputType('PersonFilter')
export class PersonFilter {
  @Field(() => String, { nullable: true })
  regionCode?: string | null;

  @Field(() => Sex, { nullable: true })
  sex?: Sex | null;

  @Field(() => Int, { nullable: true })
  ageMin?: number | null;

  @Field(() => Int, { nullable: true })
  ageMax?: number | null;

  @Field(() => PpksCategory, { nullable: true })
  ppks?: PpksCategory | null;

  @Field(() => Presence, { nullable: true })
  presence?: Presence | null;

  @Field(() => VerificationStatus, { nullable: true })
  verificationStatus?: VerificationStatus | null;

  @Field(() => Int, { nullable: true })
  desilMax?: number | null;
}

export const { Edge: PersonEdge, Connection: PersonConnection } = connectionTypes('Person', Person);
export type PersonConnection = InstanceType<typeof PersonConnection>;

@ObjectType('PersonMatch', { simpleResolvers: true })
export class PersonMatch {
  @Field(() => Person)
  person!: Person;

  @Field(() => Float, { description: '0..1, higher is closer.' })
  score!: number;
}
