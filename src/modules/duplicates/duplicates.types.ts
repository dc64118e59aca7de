import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { connectionTypes } from '../../graphql/connection.js';
import { DuplicateKind, ReviewStatus } from '../../graphql/enums.js';

/** A stored finding of the duplicate scan (src/modules/duplicates/duplicates.scan.ts). */
@ObjectType('DuplicateCandidate')
export class DuplicateCandidate {
  @Field(() => ID)
  id!: string;

  @Field(() => DuplicateKind)
  kind!: DuplicateKind;

  @Field(() => Float, { description: '1 for the exact kinds; 0..1 for PROBABLE_SAME_PERSON.' })
  score!: number;

  @Field(() => [String], {
    description: "Human-readable reasons (in Indonesian, as the offices work): for PROBABLE_SAME_PERSON one per comparison with its weight, then the prior and the sum, e.g. 'nama mirip 0.91 (+7.9)', 'tanggal lahir sama (+13.5)'.",
  })
  evidence!: string[];

  @Field(() => ReviewStatus)
  status!: ReviewStatus;

  @Field(() => Date, { nullable: true })
  reviewedAt!: string | null;

  @Field(() => String, { nullable: true })
  reviewNote!: string | null;

  @Field(() => String, { nullable: true, description: 'Who reviewed it (the reviewer\'s sub), null while never reviewed.' })
  reviewedBy!: string | null;

  @Field(() => Date, { description: 'When a scan first found it.' })
  firstSeenAt!: string;

  programCodes!: string[];
}

@InputType('DuplicateFilter')
export class DuplicateFilter {
  @Field(() => String, { nullable: true })
  program?: string | null;

  @Field(() => String, { nullable: true })
  regionCode?: string | null;

  @Field(() => DuplicateKind, { nullable: true })
  kind?: DuplicateKind | null;

  @Field(() => ReviewStatus, { nullable: true })
  status?: ReviewStatus | null;

  @Field(() => Float, { nullable: true, description: 'Only candidates scoring at least this (0..1).' })
  minScore?: number | null;
}

@ObjectType('DuplicateKindCount')
export class DuplicateKindCount {
  @Field(() => DuplicateKind)
  kind!: DuplicateKind;

  @Field(() => Int, { description: 'Candidates of this kind that hold in the scan\'s scope after the scan.' })
  candidates!: number;

  @Field(() => Int)
  newCandidates!: number;
}

@ObjectType('DuplicateScan')
export class DuplicateScan {
  @Field(() => Int, { description: 'Candidates that hold (not RESOLVED) in the scan\'s scope after the scan.' })
  candidates!: number;

  @Field(() => Int, { description: 'Candidates found that were not known before this scan.' })
  newCandidates!: number;

  @Field(() => Int)
  tookMs!: number;

  @Field(() => Boolean, { description: 'Whether only enrolments changed since the last covering scan were compared.' })
  incremental!: boolean;

  @Field(() => Int, { description: 'Enrolments compared with the rest.' })
  compared!: number;

  @Field(() => [DuplicateKindCount])
  byKind!: DuplicateKindCount[];
}

export const { Edge: DuplicateCandidateEdge, Connection: DuplicateCandidateConnection } = connectionTypes('DuplicateCandidate', DuplicateCandidate);
export type DuplicateCandidateConnection = InstanceType<typeof DuplicateCandidateConnection>;
