import { Field, ObjectType } from 'type-graphql';
import { TargetUnit } from '../../graphql/enums.js';

@ObjectType('Program', { simpleResolvers: true })
export class Program {
  @Field(() => String, { description: 'PKH, BPNT, BLT_DD, PBI_JK, PIP, RTLH, or a code added by import.' })
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => TargetUnit)
  targetUnit!: TargetUnit;
}
