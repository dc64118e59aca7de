import { Field, ObjectType } from 'type-graphql';

/** Relay page info shared by every connection (src/lib/pagination.ts builds it). */
@ObjectType('PageInfo')
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}
