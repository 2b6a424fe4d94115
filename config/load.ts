// Reads a Campaign from YAML text or a file into the frozen, validated Campaign, or throws one ConfigError
// listing every problem, each with its field path (spec.concurrency) and line/column in the file.
import { readFile } from 'node:fs/promises';
import { type Document, isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { type Campaign, parseCampaign } from './campaign.js';

export interface ConfigIssue {
  /** Dotted field path (`spec.storageClassMap.standard`, `spec.selection.includeNamespaces[0]`); '' for the whole document. */
  readonly path: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

/** Permanent: retrying cannot fix a config, so workflows should list this type as non-retryable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly source: string;
  readonly issues: readonly ConfigIssue[];

  constructor(source: string, issues: readonly ConfigIssue[], options?: ErrorOptions) {
    const lines = issues.map((i) => {
      const where = i.line === undefined ? '' : `${i.line}:${i.column ?? 1} `;
      return `  ${where}${i.path === '' ? '(document)' : i.path}: ${i.message}`;
    });
    super(`${source}: ${issues.length} problem${issues.length === 1 ? '' : 's'} in campaign config\n${lines.join('\n')}`, options);
    this.source = source;
    this.issues = issues;
  }
}

type Segment = PropertyKey;

const plainKey = /^[A-Za-z0-9_-]+$/;

export function formatPath(segments: readonly Segment[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (typeof s === 'string' && plainKey.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(String(s))}]`;
  }
  return out;
}

interface Position {
  line: number;
  column: number;
}

function keyOffset(doc: Document, segments: readonly Segment[]): number | undefined {
  const parent = doc.getIn(segments.slice(0, -1), true);
  const last = String(segments[segments.length - 1]);
  const pair = isMap(parent) ? parent.items.find((p) => isScalar(p.key) && String(p.key.value) === last) : undefined;
  return isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
}

/**
 * Where a path is in the file: its key for unknown or invalid keys (`atKey`), else its value; a missing field
 * points at the key of its nearest present parent (`spec:` for a missing `spec.target`).
 */
function positionOf(doc: Document, lines: LineCounter, segments: readonly Segment[], atKey: boolean): Position | undefined {
  for (let n = segments.length; n >= 0; n--) {
    const head = segments.slice(0, n);
    let offset: number | undefined;
    if (n === 0) offset = isNode(doc.contents) ? doc.contents.range?.[0] : undefined;
    else if (atKey || n < segments.length) offset = keyOffset(doc, head);
    else {
      const node: unknown = doc.getIn(head, true);
      offset = isNode(node) ? node.range?.[0] : undefined;
    }
    if (offset !== undefined) {
      const { line, col } = lines.linePos(offset);
      return { line, column: col };
    }
  }
  return undefined;
}

function issuesFromZod(zodIssues: readonly z.core.$ZodIssue[], doc: Document, lines: LineCounter): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const push = (segments: readonly Segment[], message: string, atKey: boolean) =>
    out.push({ path: formatPath(segments), message, ...positionOf(doc, lines, segments, atKey) });
  for (const issue of zodIssues) {
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) push([...issue.path, key], 'unknown field', true);
        break;
      case 'invalid_key':
        push(issue.path, issue.issues.map((i) => i.message).join('; ') || issue.message, true);
        break;
      default:
        push(issue.path, issue.message, false);
    }
  }
  return out;
}

const byPosition = (a: ConfigIssue, b: ConfigIssue) =>
  (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** `source` names the text in errors (a file path, or e.g. `--config` for inline text). */
export function loadCampaign(text: string, source: string): Campaign {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    // A broken document has no trustworthy shape to validate; report every syntax error and stop there.
    const issues = doc.errors.map((e) => {
      const { line, col } = lines.linePos(e.pos[0]);
      return { path: '', message: `YAML syntax: ${e.message.split('\n')[0]}`, line, column: col };
    });
    throw new ConfigError(source, issues);
  }
  const parsed = parseCampaign(doc.toJS());
  if (!parsed.ok) throw new ConfigError(source, issuesFromZod(parsed.issues, doc, lines).sort(byPosition));
  return parsed.campaign;
}

export async function loadCampaignFile(path: string): Promise<Campaign> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = cause instanceof Error && 'code' in cause ? String(cause.code) : 'unreadable';
    throw new ConfigError(path, [{ path: '', message: `cannot read the file (${code})` }], { cause });
  }
  return loadCampaign(text, path);
}
