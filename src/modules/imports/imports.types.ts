import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ImportKind, ImportStatus } from '../../graphql/enums.js';
import { DateTimeScalar } from '../../graphql/scalars.js';

@ObjectType('ImportError', { simpleResolvers: true })
export class ImportErrorType {
  @Field(() => Int, { description: '1-based data row number (the header is row 0).' })
  row!: number;

  @Field(() => String, { nullable: true })
  field!: string | null;

  @Field(() => String)
  message!: string;
}

@ObjectType('ImportBatch', { simpleResolvers: true })
export class ImportBatchType {
  @Field(() => ID)
  id!: string;

  @Field(() => ImportKind)
  kind!: ImportKind;

  @Field(() => ImportStatus)
  status!: ImportStatus;

  @Field(() => DateTimeScalar)
  startedAt!: string;

  @Field(() => DateTimeScalar, { nullable: true })
  finishedAt!: string | null;

  @Field(() => Int, { description: 'Data rows read (the header not counted, empty lines skipped).' })
  received!: number;

  @Field(() => Int)
  accepted!: number;

  @Field(() => Int)
  rejected!: number;

  @Field(() => Int, { description: 'Accepted rows that created a record.' })
  inserted!: number;

  @Field(() => Int, { description: 'Accepted rows that changed a record; the other accepted rows were equal to it.' })
  updated!: number;
}
