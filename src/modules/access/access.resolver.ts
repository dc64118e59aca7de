import { Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context.js';
import { ViewerType } from './access.types.js';

@Resolver()
export class AccessResolver {
  @Query(() => ViewerType, { description: 'The caller, as authenticated.' })
  me(@Ctx() { viewer }: Context): ViewerType {
    return { id: viewer.id, role: viewer.role, regions: [...viewer.regions], programs: [...viewer.programs] };
  }
}
