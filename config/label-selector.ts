// Kubernetes label selector strings (`team in (a,b),tier!=web,!legacy`): a parser with the apiserver's
// grammar and validation, and a matcher, so campaign selections are checked at load time and applied purely.

export type LabelOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

/** `a=b` and `a==b` are `In [b]`; `a!=b` is `NotIn [b]`, which (as in Kubernetes) also matches objects without `a`. */
export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  readonly values: readonly string[];
}

/** Every requirement must hold; the empty selector matches everything. */
export type LabelSelector = readonly LabelRequirement[];

export type LabelSelectorParse =
  | { readonly ok: true; readonly selector: LabelSelector }
  | { readonly ok: false; readonly message: string; readonly offset: number };

type TokenKind = 'ident' | 'in' | 'notin' | '!' | '!=' | '=' | '==' | '(' | ')' | ',' | '>' | '<' | 'end';
interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly offset: number;
}

// Same symbol set as k8s.io/apimachinery/pkg/labels/lexer: anything else that is not blank belongs to an identifier.
const symbols: readonly TokenKind[] = ['!=', '==', '!', '=', '(', ')', ',', '>', '<'];
const isBlank = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSymbolStart = (c: string) => '!=(),<>'.includes(c);

function tokenize(s: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < s.length) {
    if (isBlank(s[i])) {
      i++;
      continue;
    }
    const symbol = symbols.find((sym) => s.startsWith(sym, i));
    if (symbol) {
      tokens.push({ kind: symbol, text: symbol, offset: i });
      i += symbol.length;
      continue;
    }
    const start = i;
    while (i < s.length && !isBlank(s[i]) && !isSymbolStart(s[i])) i++;
    const text = s.slice(start, i);
    tokens.push({ kind: text === 'in' ? 'in' : text === 'notin' ? 'notin' : 'ident', text, offset: start });
  }
  tokens.push({ kind: 'end', text: '', offset: s.length });
  return tokens;
}

const labelName = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A qualified name, as label keys must be: optional DNS-subdomain prefix and `/`, then a name of at most 63 characters. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !dnsSubdomain.test(prefix))) {
    return `label key prefix "${prefix}" must be a lowercase DNS subdomain`;
  }
  if (name.length === 0 || name.length > 63 || !labelName.test(name)) {
    return `label key "${key}" must be at most 63 characters of letters, digits, '-', '_', '.', starting and ending alphanumeric`;
  }
  return undefined;
}

export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63 || !labelName.test(value)) {
    return `label value "${value}" must be at most 63 characters of letters, digits, '-', '_', '.', starting and ending alphanumeric`;
  }
  return undefined;
}

class SelectorSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos];
  }
  private next(): Token {
    return this.tokens[this.pos++];
  }
  private fail(token: Token, message: string): never {
    throw new SelectorSyntaxError(message, token.offset);
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    if (this.peek().kind === 'end') return requirements;
    for (;;) {
      requirements.push(this.requirement());
      const t = this.next();
      if (t.kind === 'end') return requirements;
      if (t.kind !== ',') this.fail(t, `expected ',' or end of selector, found '${t.text}'`);
    }
  }

  private key(): Token {
    const t = this.next();
    if (t.kind !== 'ident') this.fail(t, t.kind === 'end' ? 'expected a label key' : `expected a label key, found '${t.text}'`);
    const problem = labelKeyProblem(t.text);
    if (problem) this.fail(t, problem);
    return t;
  }

  private value(): string {
    const t = this.peek();
    // `key=` selects an empty value, as in Kubernetes.
    if (t.kind === ',' || t.kind === 'end' || t.kind === ')') return '';
    this.next();
    if (t.kind !== 'ident') this.fail(t, `expected a label value, found '${t.text}'`);
    const problem = labelValueProblem(t.text);
    if (problem) this.fail(t, problem);
    return t.text;
  }

  private requirement(): LabelRequirement {
    if (this.peek().kind === '!') {
      this.next();
      return { key: this.key().text, operator: 'DoesNotExist', values: [] };
    }
    const key = this.key().text;
    const op = this.peek();
    switch (op.kind) {
      case ',':
      case 'end':
        return { key, operator: 'Exists', values: [] };
      case '=':
      case '==':
        this.next();
        return { key, operator: 'In', values: [this.value()] };
      case '!=':
        this.next();
        return { key, operator: 'NotIn', values: [this.value()] };
      case 'in':
      case 'notin':
        this.next();
        return { key, operator: op.kind === 'in' ? 'In' : 'NotIn', values: this.valueSet(op) };
      case '>':
      case '<':
        return this.fail(op, `operator '${op.text}' is for node selectors, not label selectors`);
      default:
        return this.fail(op, `expected one of '=', '==', '!=', 'in', 'notin', ',' after "${key}", found '${op.text}'`);
    }
  }

  private valueSet(op: Token): string[] {
    const open = this.next();
    if (open.kind !== '(') this.fail(open, `expected '(' after '${op.text}'`);
    const values: string[] = [];
    for (;;) {
      values.push(this.value());
      const t = this.next();
      if (t.kind === ')') break;
      if (t.kind !== ',') this.fail(t, t.kind === 'end' ? "expected ')'" : `expected ',' or ')', found '${t.text}'`);
    }
    // `in ()` reads as one empty value; Kubernetes rejects it as an empty set, and so do we.
    if (values.length === 1 && values[0] === '') this.fail(op, `'${op.text}' needs at least one value`);
    return [...new Set(values)].sort();
  }
}

export function parseLabelSelector(s: string): LabelSelectorParse {
  try {
    return { ok: true, selector: new Parser(tokenize(s)).parse() };
  } catch (err) {
    if (err instanceof SelectorSyntaxError) return { ok: false, message: err.message, offset: err.offset };
    throw err;
  }
}

function holds(r: LabelRequirement, value: string | undefined): boolean {
  switch (r.operator) {
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'In':
      return value !== undefined && r.values.includes(value);
    case 'NotIn':
      return value === undefined || !r.values.includes(value);
  }
}

export function matchesLabelSelector(selector: LabelSelector, labels: Readonly<Record<string, string>> | undefined): boolean {
  // hasOwn: a label named like an Object.prototype member (`toString`) must not match by accident.
  return selector.every((r) => holds(r, labels !== undefined && Object.hasOwn(labels, r.key) ? labels[r.key] : undefined));
}
