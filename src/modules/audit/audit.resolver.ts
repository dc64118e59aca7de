import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context.js';
import { AuditEntryConnection, AuditFilter } from './audit.types.js';

@Resolver()
export class AuditResolver {
  @Query(() => AuditEntryConnection, { description: 'The audit trail of personal-data access, newest first (ADMIN, AUDITOR).' })
  auditLog(
    @Ctx() ctx: Context,
    @Arg('filter', () => AuditFilter, { nullable: true }) filter?: AuditFilter | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return ctx.services.audit.list(ctx.viewer, { filter, first, after });
  }
}
