import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { connectionTypes } from '../../graphql/connection.js';
import { EnrolmentStatus, VerificationStatus } from '../../graphql/enums.js';
import { DateScalar } from '../../graphql/scalars.js';

/** One row of a program's beneficiary list, with its identity as the list gives it. */
@ObjectType('Enrolment', { simpleResolvers: true })
export class Enrolment {
  @Field(() => ID)
  id!: string;

  @Field(() => EnrolmentStatus)
  status!: EnrolmentStatus;

  @Field(() => DateScalar, { nullable: true })
  startDate!: string | null;

  @Field(() => DateScalar, { nullable: true })
  endDate!: string | null;

  @Field(() => String, { nullable: true, description: 'Identity as the program\'s list gives it.' })
  nik!: string | null;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => String, { nullable: true })
  kkNumber!: string | null;

  programCode!: string;
  villageCode!: string;
  personId!: string | null;
  householdId!: string | null;
}

@InputType('EnrolmentFilter')
export class EnrolmentFilter {
  @Field(() => String, { nullable: true })
  program?: string | null;

  @Field(() => String, { nullable: true })
  regionCode?: string | null;

  @Field(() => EnrolmentStatus, { nullable: true })
  status?: EnrolmentStatus | null;

  @Field(() => VerificationStatus, { nullable: true })
  verificationStatus?: VerificationStatus | null;

  @Field(() => Boolean, { nullable: true, description: 'Only enrolments whose listed identity resolves to no DTKS person (true) or to one (false).' })
  unlinked?: boolean | null;
}

export const { Edge: EnrolmentEdge, Connection: EnrolmentConnection } = connectionTypes('Enrolment', Enrolment);
export type EnrolmentConnection = InstanceType<typeof EnrolmentConnection>;
