import type { Node, RangeVar } from 'libpg-query';

/** Readers of libpg-query parse-tree lists, which wrap each element in a node of its type. */

export function rangeVars(nodes: Node[] | undefined): RangeVar[] {
  return (nodes ?? []).flatMap((node) => ('RangeVar' in node ? [node.RangeVar] : []));
}

export function strings(nodes: Node[] | undefined): string[] {
  return (nodes ?? []).flatMap((node) =>
    'String' in node && node.String.sval !== undefined ? [node.String.sval] : [],
  );
}
