import { Field, Int, ObjectType, type ClassType } from 'type-graphql';

/** Relay page info shared by every connection (src/lib/pagination.ts builds it). */
@ObjectType('PageInfo', { simpleResolvers: true })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/**
 * The Relay connection and edge types of one list (`HouseholdConnection`, `HouseholdEdge`, …),
 * built from its node type so that every list has the same shape. `totalCount` is a lazy
 * getter on the value (src/lib/pagination.ts): the count runs only when selected.
 */
export function connectionTypes<T extends object>(name: string, node: ClassType<T>) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class Edge {
    @Field(() => String)
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`, { simpleResolvers: true })
  class Connection {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int)
    totalCount!: Promise<number>;
  }

  return { Edge, Connection };
}
