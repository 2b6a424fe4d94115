// The restore transforms a campaign asks for (image registries, labels, annotations, Ingress hosts, JSON
// patches): their zod schema and immutable parsed type. Every problem is reported with its field path.
import { z } from 'zod';
import type { DeepReadonly } from './campaign.js';
import { labelKeyProblem, labelValueProblem, parseLabelSelector } from './label-selector.js';

const dnsLabelPart = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dnsSubdomain = new RegExp(`^${dnsLabelPart}(\\.${dnsLabelPart})*$`);

function refined<T extends z.ZodType>(schema: T, problem: (value: z.output<T>) => string | undefined): T {
  return schema.superRefine((value, ctx) => {
    const message = problem(value);
    if (message !== undefined) ctx.addIssue({ code: 'custom', message });
  });
}

const hostPart = /^(localhost|[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*)(:[0-9]+)?$/;
const pathPart = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*$/;

/** `registry.example.com`, `registry.example.com:5000/team`, `docker.io/library`: a host, then repository components. */
export function imagePrefixProblem(prefix: string): string | undefined {
  const [host, ...path] = prefix.replace(/\/$/, '').split('/');
  const isHost = hostPart.test(host) && (host.includes('.') || host.includes(':') || host === 'localhost');
  if (!isHost)
    return `"${prefix}" must start with a registry host (with a '.' or a port, or localhost), e.g. docker.io/library or registry.example.com:5000/team`;
  if (host === 'index.docker.io') return 'write Docker Hub as docker.io, the name image references are normalised to';
  const bad = path.find((p) => !pathPart.test(p));
  if (bad !== undefined) return `repository component "${bad}" must be lowercase letters and digits separated by '.', '_', '__' or '-'`;
  return undefined;
}

const imagePrefix = refined(z.string(), imagePrefixProblem);

const imageRegistryMap = z
  .record(imagePrefix, imagePrefix)
  .default(() => ({}))
  .meta({
    description:
      'image reference prefix → replacement, longest prefix wins; references are matched fully qualified (nginx is docker.io/library/nginx)',
    examples: [{ 'docker.io': 'mirror.example.com/hub', 'registry.old.example/shop': 'registry.new.example/shop' }],
  });

const labelSelector = refined(z.string(), (s) => {
  const parsed = parseLabelSelector(s);
  return parsed.ok ? undefined : `at character ${parsed.offset + 1}: ${parsed.message}`;
}).meta({ description: 'Kubernetes label selector (=, ==, !=, in, notin, key, !key) on the object labels' });

const objectMatcher = z
  .strictObject({
    group: z
      .string()
      .regex(new RegExp(`^$|${dnsSubdomain.source}`), { error: 'an API group is a lowercase DNS subdomain, or "" for the core group' })
      .optional()
      .meta({ description: 'API group, "" for core (v1) objects; any group when left out' }),
    kind: z
      .string()
      .regex(/^[A-Z][A-Za-z0-9]*$/, { error: 'a kind is CamelCase, e.g. Deployment' })
      .optional(),
    name: z
      .string()
      .regex(/^[a-z0-9.*?-]+$/, { error: "a name glob may use lowercase letters, digits, '.', '-', '*' (any run) and '?' (one character)" })
      .optional(),
    labelSelector: labelSelector.optional(),
  })
  .meta({ description: 'objects whose group, kind, name glob and labels all match the fields given' });

const labelKey = refined(z.string(), labelKeyProblem);

function metadataEdit(what: 'label' | 'annotation') {
  const value = what === 'label' ? refined(z.string(), labelValueProblem) : z.string();
  return z
    .strictObject({
      add: z
        .record(labelKey, value)
        .default(() => ({}))
        .meta({ description: `${what}s to set, replacing existing values` }),
      remove: z
        .array(labelKey)
        .default(() => [])
        .meta({ description: `${what} keys to remove` }),
      scope: z
        .array(objectMatcher)
        .default(() => [])
        .meta({ description: 'objects matching any entry are edited; every object when empty' }),
      podTemplates: z
        .boolean()
        .default(false)
        .meta({ description: 'also edit the pod templates of workloads, so their pods carry the change' }),
    })
    .superRefine((edit, ctx) => {
      edit.remove.forEach((key, i) => {
        if (Object.hasOwn(edit.add, key))
          ctx.addIssue({ code: 'custom', path: ['remove', i], message: `"${key}" is also in add; list it in one of them` });
      });
    })
    .prefault({});
}

const hostName = new RegExp(`^(\\*\\.)?${dnsSubdomain.source.slice(1, -1)}$`);
const hostSuffix = new RegExp(`^\\.${dnsSubdomain.source.slice(1, -1)}$`);

/** What is wrong with one host map entry: suffixes map to suffixes, wildcards to wildcards, hosts to hosts. */
function hostEntryProblem(from: string, to: string): string | undefined {
  if (hostSuffix.test(from))
    return hostSuffix.test(to) ? undefined : `the suffix "${from}" must map to a suffix starting with '.', not "${to}"`;
  if (!hostName.test(from)) return `"${from}" must be a lowercase host name (optionally *.-prefixed) or a suffix starting with '.'`;
  if (!hostName.test(to)) return `"${to}" must be a lowercase host name (optionally *.-prefixed)`;
  if (from.startsWith('*.') !== to.startsWith('*.')) return 'a wildcard host maps to a wildcard host, and a plain host to a plain one';
  return undefined;
}

const ingressHostMap = z
  .record(z.string(), z.string())
  .superRefine((map, ctx) => {
    for (const [from, to] of Object.entries(map)) {
      const problem = hostEntryProblem(from, to);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', path: [from], message: problem });
    }
  })
  .default(() => ({}))
  .meta({
    description: 'Ingress host → host, or suffix → suffix for keys starting with "." (".old.example": ".new.example"); exact hosts win',
  });

const jsonPointer = z
  .string()
  .regex(/^(\/([^~]|~[01])*)*$/, { error: 'a JSON Pointer is "" or "/"-separated segments, with ~0 for ~ and ~1 for /' });

const operation = z.discriminatedUnion(
  'op',
  [
    z.strictObject({ op: z.literal('add'), path: jsonPointer, value: z.json() }),
    z.strictObject({ op: z.literal('remove'), path: jsonPointer }),
    z.strictObject({ op: z.literal('replace'), path: jsonPointer, value: z.json() }),
    z.strictObject({ op: z.literal('move'), from: jsonPointer, path: jsonPointer }),
    z.strictObject({ op: z.literal('copy'), from: jsonPointer, path: jsonPointer }),
    z.strictObject({ op: z.literal('test'), path: jsonPointer, value: z.json() }),
  ],
  { error: 'op must be one of add, remove, replace, move, copy, test' },
);

const userPatch = z.strictObject({
  target: objectMatcher.refine((t) => Object.keys(t).length > 0, {
    error: 'name at least one of group, kind, name, labelSelector: a patch for every object would fail on most of them',
  }),
  patch: z.array(operation).min(1, { error: 'a patch needs at least one operation' }).meta({ description: 'RFC 6902 operations' }),
});

export const restoreTransformsSchema = z
  .strictObject({
    imageRegistryMap,
    labels: metadataEdit('label'),
    annotations: metadataEdit('annotation'),
    ingressHostMap,
    patches: z
      .array(userPatch)
      .default(() => [])
      .meta({ description: 'JSON patches applied last, in order, to the objects their target selects' }),
  })
  .meta({ title: 'Ferry restore transforms', description: 'Changes made to every restored object on its way to the target.' });

export type RestoreTransformConfig = DeepReadonly<z.output<typeof restoreTransformsSchema>>;

export interface RestoreConfigIssue {
  /** Dotted field path: `patches[0].patch[1].path`, `ingressHostMap[".old.example"]`; '' for the whole document. */
  readonly path: string;
  readonly message: string;
}

export type RestoreTransformsParse =
  | { readonly ok: true; readonly config: RestoreTransformConfig }
  | { readonly ok: false; readonly issues: readonly RestoreConfigIssue[] };

const plainKey = /^[A-Za-z0-9_-]+$/;

function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (typeof s === 'string' && plainKey.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(String(s))}]`;
  }
  return out;
}

function issuesOf(issues: readonly z.core.$ZodIssue[]): RestoreConfigIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: 'unknown field' }));
    if (issue.code === 'invalid_key')
      return [{ path: formatPath(issue.path), message: issue.issues.map((i) => i.message).join('; ') || issue.message }];
    return [{ path: formatPath(issue.path), message: issue.message }];
  });
}

function deepFreeze<T>(value: T): DeepReadonly<T> {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value as DeepReadonly<T>;
}

/** Validates decoded config (`undefined` is the empty config); the result is frozen all the way down. */
export function parseRestoreTransforms(input: unknown): RestoreTransformsParse {
  const result = restoreTransformsSchema.safeParse(input ?? {});
  return result.success ? { ok: true, config: deepFreeze(result.data) } : { ok: false, issues: issuesOf(result.error.issues) };
}
