/**
 * The success and failure conditions of a prometheus check, such as `result < 0.01` or
 * `result >= 0.95 and result <= 1`: comparisons of `result` with numbers, joined by `and`/`&&`,
 * `or`/`||`, `not`/`!` and parentheses. Parsed once when the input is read, so a typo is a
 * configuration error and not a failed measurement; evaluated by walking the tree, never `eval`.
 */

export interface Condition {
  text: string;
  /** Whether the condition holds for one value of the query. */
  holds(result: number): boolean;
}

export class ConditionSyntaxError extends Error {}

export const CONDITION_ACCEPTED =
  'expected comparisons of result with numbers (<, <=, >, >=, ==, !=) joined by and, or, not and parentheses, like "result < 0.01"';

type Operand = { number: number } | 'result';
type Node =
  | { op: 'and' | 'or'; left: Node; right: Node }
  | { op: 'not'; operand: Node }
  | { op: '<' | '<=' | '>' | '>=' | '==' | '!='; left: Operand; right: Operand };

const TOKEN =
  /\s*(?:(-?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|-?\.\d+(?:[eE][+-]?\d+)?)|(<=|>=|==|!=|<|>|&&|\|\||!|\(|\))|([A-Za-z_][\w.[\]]*))/y;
const WORDS: Record<string, string> = { and: '&&', or: '||', not: '!' };
const COMPARISONS = ['<', '<=', '>', '>=', '==', '!='] as const;

export function parseCondition(text: string): Condition {
  const tokens = tokenize(text);
  let position = 0;
  const peek = (): string | undefined => tokens[position];
  const describe = (): string => (position < tokens.length ? `"${tokens[position]}"` : 'the end');
  const expect = (what: string): never => {
    throw new ConditionSyntaxError(`expected ${what} but found ${describe()}`);
  };

  const parseOr = (): Node => {
    let left = parseAnd();
    while (peek() === '||') {
      position++;
      left = { op: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): Node => {
    let left = parseUnary();
    while (peek() === '&&') {
      position++;
      left = { op: 'and', left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): Node => {
    if (peek() === '!') {
      position++;
      return { op: 'not', operand: parseUnary() };
    }
    if (peek() === '(') {
      position++;
      const inner = parseOr();
      if (peek() !== ')') expect('")"');
      position++;
      return inner;
    }
    const left = parseOperand();
    const op = peek();
    if (!(COMPARISONS as readonly (string | undefined)[]).includes(op))
      expect('a comparison (<, <=, >, >=, ==, !=)');
    position++;
    return { op: op as (typeof COMPARISONS)[number], left, right: parseOperand() };
  };
  const parseOperand = (): Operand => {
    const token = peek();
    if (token === 'result') {
      position++;
      return 'result';
    }
    if (token !== undefined && /^-?[\d.]/.test(token)) {
      position++;
      return { number: Number(token) };
    }
    if (token !== undefined && /^[A-Za-z_]/.test(token)) {
      throw new ConditionSyntaxError(
        `unknown name "${token}": the only name is result, the query's value (for every series in turn)`,
      );
    }
    return expect('result or a number');
  };

  if (tokens.length === 0) throw new ConditionSyntaxError('the condition is empty');
  const tree = parseOr();
  if (position < tokens.length) expect('and, or or the end');
  // A condition that never reads the result is a check that cannot fail (or cannot pass).
  if (!tokens.includes('result')) throw new ConditionSyntaxError('the condition never reads result');
  return { text, holds: (result) => evaluate(tree, result) };
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let position = 0;
  while (position < text.length) {
    if (text.slice(position).trim() === '') break;
    TOKEN.lastIndex = position;
    const match = TOKEN.exec(text);
    if (!match) {
      const rest = text.slice(position);
      const at = position + rest.length - rest.trimStart().length + 1;
      throw new ConditionSyntaxError(
        `unexpected ${JSON.stringify(rest.trim().slice(0, 10))} at character ${at}`,
      );
    }
    const token = (match[1] ?? match[2] ?? match[3]) as string;
    tokens.push(WORDS[token] ?? token);
    position = TOKEN.lastIndex;
  }
  return tokens;
}

function evaluate(node: Node, result: number): boolean {
  switch (node.op) {
    case 'and':
      return evaluate(node.left, result) && evaluate(node.right, result);
    case 'or':
      return evaluate(node.left, result) || evaluate(node.right, result);
    case 'not':
      return !evaluate(node.operand, result);
    default:
      return compare(node.op, value(node.left, result), value(node.right, result));
  }
}

function value(operand: Operand, result: number): number {
  return operand === 'result' ? result : operand.number;
}

function compare(op: (typeof COMPARISONS)[number], left: number, right: number): boolean {
  switch (op) {
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
    case '==':
      return left === right;
    case '!=':
      return left !== right;
  }
}
