import { asc, inArray, sql } from 'drizzle-orm';
import { assertProgramCodeShape } from '../../lib/arguments.js';
import { BadUserInputError, quote } from '../../lib/errors.js';
import { programs } from '../../../schema/index.js';
import type { Database } from '../../db/client.js';
import type { Program } from './programs.types.js';

const columns = { code: programs.code, name: programs.name, targetUnit: programs.targetUnit };

/** Programs are national reference data: every role that may query them sees all of them. */
export class ProgramsService {
  constructor(private readonly database: Database) {}

  list(): Promise<Program[]> {
    return this.database.db.select(columns).from(programs).orderBy(asc(programs.code));
  }

  byCodes(codes: readonly string[]): Promise<Program[]> {
    return this.database.db.select(columns).from(programs).where(inArray(programs.code, [...codes]));
  }

  /** Programs that exclude each of `codes`, in either declared direction, in one statement. */
  async exclusionsOf(codes: readonly string[]): Promise<Array<Program & { of: string }>> {
    return this.database.execute<Program & { of: string }>(sql`
      select x.of, p.code, p.name, p.target_unit as "targetUnit"
      from (
        select program_code as of, excluded_code as other from program_exclusions
        union
        select excluded_code, program_code from program_exclusions
      ) x
      join programs p on p.code = x.other
      where x.of in ${codes}
      order by p.code`);
  }
}

/** A program code given as an argument must name an existing program (BAD_USER_INPUT otherwise). */
export async function assertKnownProgram(
  loader: { load(code: string): Promise<Program | null> },
  code: string | null | undefined,
  argument: string,
): Promise<void> {
  if (code == null) return;
  assertProgramCodeShape(code, argument);
  if (!(await loader.load(code))) throw new BadUserInputError(`${argument} must be the code of a known program, got ${quote(code)}`, argument);
}
