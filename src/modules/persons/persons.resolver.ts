import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { EnrolmentStatus } from '../../graphql/enums.js';
import { PERSON_SPEC, planColumns } from '../../graphql/read-plan.js';
import { DateScalar } from '../../graphql/scalars.js';
import { assertId, assertNik } from '../../lib/arguments.js';
import { BadUserInputError } from '../../lib/errors.js';
import { maskNik } from '../../lib/nik.js';
import { Enrolment } from '../enrolments/enrolments.types.js';
import { Household } from '../households/households.types.js';
import { Referral } from '../referrals/referrals.types.js';
import { searchPersons } from './persons.search.sql.js';
import { ageOn } from './persons.service.js';
import { Person, PersonConnection, PersonFilter, PersonMatch } from './persons.types.js';

@Resolver(() => Person)
export class PersonsResolver {
  @Query(() => Person, { nullable: true, description: 'Look a person up by DTKS member id or by NIK (exactly one of the two).' })
  person(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('id', () => ID, { nullable: true }) id?: string | null,
    @Arg('nik', () => String, { nullable: true }) nik?: string | null,
  ): Promise<Person | null> {
    if ((id == null) === (nik == null)) {
      throw new BadUserInputError('person needs exactly one of id and nik', id == null ? 'id' : 'nik');
    }
    if (id != null) {
      assertId(id, 'id');
      return ctx.loaders.personById.load(id);
    }
    assertNik(nik!, 'nik');
    return ctx.services.persons.byNik(ctx.viewer, nik!, planColumns(ctx, info, PERSON_SPEC, 'p', []));
  }

  @Query(() => PersonConnection)
  persons(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => PersonFilter, { nullable: true }) filter?: PersonFilter | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return ctx.services.persons.list(ctx.viewer, { filter, first, after }, ctx.now, planColumns(ctx, info, PERSON_SPEC, 'p', ['edges', 'node']));
  }

  @Query(() => [PersonMatch], { description: 'Fuzzy search by name, best first; birthDate and regionCode narrow it.' })
  async searchPersons(
    @Ctx() ctx: Context,
    @Arg('name', () => String) name: string,
    @Arg('birthDate', () => DateScalar, { nullable: true }) birthDate?: string | null,
    @Arg('regionCode', () => String, { nullable: true }) regionCode?: string | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
  ): Promise<PersonMatch[]> {
    const rows = await searchPersons(ctx.database, ctx.viewer, { name, birthDate, regionCode, first });
    return rows.map(({ score, ...person }) => ({ person, score }));
  }

  @FieldResolver(() => String, { nullable: true, description: 'NIK with digits 5 to 12 hidden, e.g. 3509xxxxxxxx0001.' })
  nikMasked(@Root() person: Person): string | null {
    return maskNik(person.nik);
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Whole years on the day of the request.' })
  age(@Root() person: Person, @Ctx() ctx: Context): number | null {
    return ageOn(person.birthDate, ctx.now);
  }

  @FieldResolver(() => Household, { nullable: true })
  household(@Root() person: Person, @Ctx() ctx: Context) {
    return ctx.loaders.householdById.load(person.householdId);
  }

  @FieldResolver(() => [Enrolment])
  enrolments(
    @Root() person: Person,
    @Ctx() ctx: Context,
    @Arg('status', () => EnrolmentStatus, { nullable: true }) status?: EnrolmentStatus | null,
  ) {
    return ctx.loaders.enrolmentsByPerson.load({ id: person.id, arg: status ?? null });
  }

  @FieldResolver(() => [Referral])
  referrals(@Root() person: Person, @Ctx() ctx: Context) {
    return ctx.loaders.referralsByPerson.load(person.id);
  }
}
