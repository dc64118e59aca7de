import { Field, ObjectType } from 'type-graphql';
import { RegionLevel } from '../../graphql/enums.js';

@ObjectType('Region', { simpleResolvers: true })
export class Region {
  @Field(() => String, { description: 'Kemendagri dotted code: 35, 35.09, 35.09.01, 35.09.01.2001.' })
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => RegionLevel)
  level!: RegionLevel;

  parentCode!: string | null;
}
