import { Field, Float, ObjectType } from 'type-graphql';
import { VerificationIssue, VerificationStatus } from '../../graphql/enums.js';

/** The outcome of comparing a record's identity with the civil registry (CONTRACT.md section 5). */
@ObjectType('Verification', { simpleResolvers: true })
export class Verification {
  @Field(() => VerificationStatus, { description: 'VERIFIED when issues is empty, else the most severe issue (order of VerificationIssue).' })
  status!: VerificationStatus;

  @Field(() => [VerificationIssue])
  issues!: VerificationIssue[];

  @Field(() => Float, { nullable: true, description: 'Similarity 0..1 of the normalised names; null when no civil record was found.' })
  nameSimilarity!: number | null;
}
