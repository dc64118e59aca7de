import { Field, ObjectType } from 'type-graphql';
import { Role } from '../../graphql/enums.js';

@ObjectType('Viewer', { simpleResolvers: true })
export class ViewerType {
  @Field(() => String)
  id!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => [String], { description: 'Kemendagri region code prefixes the caller may see, e.g. ["35.09"].' })
  regions!: string[];

  @Field(() => [String], { description: 'Program codes a PROGRAM_MANAGER manages; empty for other roles.' })
  programs!: string[];
}
