import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { NotFoundError } from '../../lib/errors.js';
import { Enrolment } from '../enrolments/enrolments.types.js';
import { Person } from '../persons/persons.types.js';
import type { VerificationRow } from './verification.service.js';
import { Verification } from './verification.types.js';

/*
 * `verification` stays non-null as the contract has it: every role that can reach a person or an
 * enrolment may read it (CONTRACT.md section 4; AUDITOR reaches neither), so no field guard ever
 * has to null it.
 */

/** A record the response already shows is in scope; a missing row means it vanished meanwhile. */
function found(row: VerificationRow | null, type: string, id: string): VerificationRow {
  if (!row) throw new NotFoundError(`${type} ${id} is no longer in the register`);
  return row;
}

@Resolver(() => Person)
export class PersonVerificationResolver {
  @FieldResolver(() => Verification, { description: 'The person\'s identity compared with the civil registry (CONTRACT.md section 5).' })
  async verification(@Root() person: Person, @Ctx() ctx: Context): Promise<Verification> {
    return found(await ctx.loaders.verificationByPerson.load(person.id), 'person', person.id);
  }
}

@Resolver(() => Enrolment)
export class EnrolmentVerificationResolver {
  @FieldResolver(() => Verification, { description: 'The listed identity compared with the civil registry (CONTRACT.md section 5).' })
  async verification(@Root() enrolment: Enrolment, @Ctx() ctx: Context): Promise<Verification> {
    return found(await ctx.loaders.verificationByEnrolment.load(enrolment.id), 'enrolment', enrolment.id);
  }
}
