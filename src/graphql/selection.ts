import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Whether the operation selects `path` (field names, aliases ignored) below the current field,
 * through inline fragments and fragment spreads. Lets a list resolver prefetch what the client
 * is about to ask for in the same statement. Only an optimisation: a false answer costs one
 * loader round trip, never a wrong result.
 */
export function selects(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, path: readonly string[]): boolean {
  const walk = (sets: readonly (SelectionSetNode | undefined)[], depth: number): boolean => {
    const next: SelectionSetNode[] = [];
    const visit = (set: SelectionSetNode | undefined) => {
      for (const selection of set?.selections ?? []) {
        if (selection.kind === Kind.FIELD) {
          if ((selection as FieldNode).name.value === path[depth] && selection.selectionSet) next.push(selection.selectionSet);
          else if ((selection as FieldNode).name.value === path[depth] && depth === path.length - 1) next.push({ kind: Kind.SELECTION_SET, selections: [] });
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          visit(selection.selectionSet);
        } else {
          visit(info.fragments[selection.name.value]?.selectionSet);
        }
      }
    };
    sets.forEach(visit);
    if (next.length === 0) return false;
    return depth === path.length - 1 ? true : walk(next, depth + 1);
  };
  return walk(info.fieldNodes.map((node) => node.selectionSet), 0);
}
