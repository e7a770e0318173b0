import type { Document, LineCounter, Node, Pair } from 'yaml';
import { isAlias, isMap, isScalar, isSeq, Scalar } from 'yaml';
import { resolveKey, resolveScalar, type ScalarStyle } from './resolve-scalar.ts';

/**
 * A parsed YAML document turned into the JSON value kubectl would send, walking the nodes the way
 * go-yaml v2 decodes into an untyped value (see resolve-scalar.ts for scalars):
 * - mappings are filled in document order, and a `<<` merge writes its keys where it stands, so a
 *   key before the merge is overwritten by it and a key after it wins (go-yaml v2's decoder.merge;
 *   of a sequence of merged mappings, the earlier ones win);
 * - a key written twice in one mapping is refused with both lines: go-yaml v2 would silently keep
 *   the last, and sigs.k8s.io/yaml would keep one at random when two keys become one JSON key
 *   (`1` and `"1"`); kustomize and strict decoding refuse them, and so does Gantry;
 * - aliases are copied (never shared), with a budget of nodes so an alias bomb fails at once.
 */
export class YamlReadError extends Error {}

export interface ReadOptions {
  lineCounter: LineCounter;
  /** Nodes an alias may expand to, over the whole document. */
  maxAliasNodes: number;
}

export function readDocument(document: Document, options: ReadOptions): unknown {
  const reader = new DocumentReader(document, options);
  return reader.value(document.contents as Node | null);
}

class DocumentReader {
  private aliasNodes = 0;
  private aliasDepth = 0;

  private readonly document: Document;
  private readonly options: ReadOptions;

  constructor(document: Document, options: ReadOptions) {
    this.document = document;
    this.options = options;
  }

  value(node: Node | null | undefined): unknown {
    if (node === null || node === undefined) return null;
    if (this.aliasDepth > 0 && ++this.aliasNodes > this.options.maxAliasNodes) {
      throw new YamlReadError(
        'its YAML aliases expand too far (a "billion laughs" bomb?): use fewer anchors and aliases',
      );
    }
    if (isAlias(node)) return this.throughAlias(node.resolve(this.document) as Node | undefined, node);
    if (isScalar(node)) {
      const resolved = resolveScalar(String(node.source ?? node.value ?? ''), styleOf(node), node.tag);
      if ('problem' in resolved) throw new YamlReadError(`${this.at(node)}: ${resolved.problem}`);
      return resolved.value;
    }
    if (isSeq(node)) return node.items.map((item) => this.value(item as Node));
    if (isMap(node)) {
      const target: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      this.fill(target, node.items as Pair<Node, Node>[]);
      return { ...target };
    }
    throw new YamlReadError(`${this.at(node)}: a YAML node of an unknown kind`);
  }

  private fill(target: Record<string, unknown>, pairs: readonly Pair<Node, Node>[]): void {
    const written = new Map<string, Node>();
    for (const pair of pairs) {
      if (isMergeKey(pair.key)) {
        this.merge(target, pair.value);
        continue;
      }
      const key = this.key(pair.key);
      const first = written.get(key);
      if (first) {
        throw new YamlReadError(
          `${this.at(pair.key ?? first)}: the key ${JSON.stringify(key)} is already set at line ${this.line(first)}; a key may appear once in a mapping`,
        );
      }
      if (pair.key) written.set(key, pair.key);
      target[key] = this.value(pair.value);
    }
  }

  private merge(target: Record<string, unknown>, source: Node | null): void {
    // A sequence of mappings written in place; an alias must name a mapping (decoder.merge).
    const sources = isSeq(source) ? [...source.items].reverse() : [source];
    for (const item of sources) {
      const value = this.value(item as Node);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new YamlReadError(
          `${this.at(source)}: map merge requires map or sequence of maps as the value`,
        );
      }
      Object.assign(target, value);
    }
  }

  private key(node: Node | null): string {
    if (node === null) throw new YamlReadError('here: a mapping key cannot be empty');
    if (isAlias(node)) return this.keyOf(node.resolve(this.document) as Node | undefined, node);
    return this.keyOf(node, node);
  }

  private keyOf(node: Node | undefined, at: Node): string {
    if (!isScalar(node)) {
      throw new YamlReadError(`${this.at(at)}: a mapping key must be a string or a number, not a collection`);
    }
    const resolved = resolveKey(String(node.source ?? node.value ?? ''), styleOf(node), node.tag);
    if ('problem' in resolved) throw new YamlReadError(`${this.at(at)}: ${resolved.problem}`);
    return resolved.key;
  }

  private throughAlias(target: Node | undefined, alias: Node): unknown {
    if (!target) throw new YamlReadError(`${this.at(alias)}: the alias names no anchor`);
    this.aliasDepth++;
    try {
      return this.value(target);
    } finally {
      this.aliasDepth--;
    }
  }

  private line(node: Node | null | undefined): number {
    const offset = node?.range?.[0];
    return offset === undefined ? 0 : this.options.lineCounter.linePos(offset).line;
  }

  private at(node: Node | null | undefined): string {
    const line = this.line(node);
    return line > 0 ? `line ${line}` : 'here';
  }
}

function isMergeKey(key: unknown): boolean {
  if (!isScalar(key) || key.source !== '<<') return false;
  return (key.type === Scalar.PLAIN && !key.tag) || key.tag === 'tag:yaml.org,2002:merge';
}

function styleOf(node: Scalar): ScalarStyle {
  switch (node.type) {
    case Scalar.QUOTE_DOUBLE:
    case Scalar.QUOTE_SINGLE:
      return 'quoted';
    case Scalar.BLOCK_FOLDED:
    case Scalar.BLOCK_LITERAL:
      return 'block';
    default:
      return 'plain';
  }
}
