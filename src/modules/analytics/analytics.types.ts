import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { STAT_DIMENSIONS, STAT_MEASURES } from './analytics.dimensions.js';

const enumObject = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const StatMeasure = enumObject(STAT_MEASURES);
export type StatMeasure = (typeof STAT_MEASURES)[number];
export const StatDimension = enumObject(STAT_DIMENSIONS);
export type StatDimension = (typeof STAT_DIMENSIONS)[number];

registerEnumType(StatMeasure, { name: 'StatMeasure' });
registerEnumType(StatDimension, { name: 'StatDimension' });

@InputType('StatFilter')
export class StatFilter {
  @Field(() => String, { nullable: true, description: 'Only rows placed inside this region (an enrolment by the village where the benefit is delivered).' })
  regionCode?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'HOUSEHOLDS and PERSONS: only those an ACTIVE enrolment of this program resolves to. ENROLMENTS: only enrolments of this program.',
  })
  program?: string | null;

  @Field(() => Int, { nullable: true, description: 'Only households (of persons, of resolved enrolments) of at least this decile; unranked ones are left out.' })
  desilMin?: number | null;

  @Field(() => Int, { nullable: true, description: 'Only households (of persons, of resolved enrolments) of at most this decile; unranked ones are left out.' })
  desilMax?: number | null;
}

@ObjectType('StatKey')
export class StatKey {
  @Field(() => StatDimension)
  dimension!: StatDimension;

  @Field(() => String, {
    nullable: true,
    description: "The group's value: a region code, a decile, a program code, an enum name, an age band like 0-4, or null for 'unknown'.",
  })
  value!: string | null;
}

@ObjectType('StatRow')
export class StatRow {
  @Field(() => [StatKey])
  keys!: StatKey[];

  @Field(() => Int, { nullable: true, description: 'Null when the cell is suppressed for small counts.' })
  count!: number | null;

  @Field(() => Boolean)
  suppressed!: boolean;
}

@ObjectType('Coverage')
export class Coverage {
  regionCode!: string;
  programCode!: string;

  @Field(() => Int)
  eligibleHouseholds!: number;

  @Field(() => Int)
  enrolledHouseholds!: number;

  @Field(() => Int)
  coveredEligibleHouseholds!: number;

  @Field(() => Int, { description: 'Enrolled but above the eligible deciles, or not resolvable to a DTKS household.' })
  inclusionErrors!: number;

  @Field(() => Int, { description: 'Eligible but not enrolled.' })
  exclusionErrors!: number;

  @Field(() => Float, { nullable: true, description: 'coveredEligibleHouseholds / eligibleHouseholds; null when none are eligible.' })
  coverageRate!: number | null;
}
