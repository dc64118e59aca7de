import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../../graphql/connection.js';
import { AuditAction, Role } from '../../graphql/enums.js';
import { DateTimeScalar } from '../../graphql/scalars.js';

@ObjectType('AuditEntry')
export class AuditEntry {
  @Field(() => ID)
  id!: string;

  @Field(() => DateTimeScalar)
  at!: string;

  @Field(() => String)
  actor!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => AuditAction)
  action!: AuditAction;

  @Field(() => String, { nullable: true })
  operation!: string | null;

  @Field(() => String, { nullable: true })
  subjectType!: string | null;

  @Field(() => String, { nullable: true })
  subjectId!: string | null;

  @Field(() => [String])
  fields!: string[];
}

@InputType('AuditFilter')
export class AuditFilter {
  @Field(() => String, { nullable: true })
  actor?: string | null;

  @Field(() => String, { nullable: true })
  subjectId?: string | null;

  @Field(() => AuditAction, { nullable: true })
  action?: AuditAction | null;

  @Field(() => DateTimeScalar, { nullable: true })
  from?: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  to?: string | null;
}

@ObjectType('AuditEntryEdge')
export class AuditEntryEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => AuditEntry)
  node!: AuditEntry;
}

@ObjectType('AuditEntryConnection')
export class AuditEntryConnection {
  @Field(() => [AuditEntryEdge])
  edges!: AuditEntryEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: Promise<number>;
}
