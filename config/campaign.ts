// The Campaign config (what to move, from where, to where, into which store): its zod schema, the immutable
// parsed type, and the namespace globs of its selection. Parsed once at the edge by load.ts.
import { z } from 'zod';
import { InvalidStoreUrl, parseStoreUrl } from '../activities/stores/store-url.js';
import { parseLabelSelector } from './label-selector.js';
import { restoreTransformsSchema } from './restore.js';

export const CAMPAIGN_API_VERSION = 'ferry.dev/v1alpha1';

/** Namespaces a campaign never moves unless `excludeNamespaces` is given: the target cluster has its own. */
export const DEFAULT_EXCLUDED_NAMESPACES: readonly string[] = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const dnsLabelName = (what: string) =>
  z
    .string()
    .max(63, { error: `${what} must be at most 63 characters` })
    .regex(dnsLabel, { error: `${what} must be lowercase letters, digits and '-', starting and ending with a letter or digit` });

const storageClassName = z
  .string()
  .max(253, { error: 'a StorageClass name must be at most 253 characters' })
  .regex(dnsSubdomain, { error: "a StorageClass name must be a lowercase DNS subdomain (letters, digits, '-', '.')" });

const namespaceGlob = z
  .string()
  .max(63, { error: 'a namespace glob must be at most 63 characters' })
  .regex(/^[a-z0-9*?-]+$/, { error: "a namespace glob may use lowercase letters, digits, '-', '*' (any run) and '?' (one character)" });

const clusterRef = z.strictObject({
  context: z
    .string()
    .regex(/^\S+$/, { error: 'a kubeconfig context name must be non-empty, without blanks' })
    .meta({ description: 'kubeconfig context name; workers resolve it from their own kubeconfig' }),
});

// One grammar for store URLs, the stores' own: a URL this schema accepts is one a worker can open. It also
// refuses credentials (user:password@, secret-like query parameters), since the URL travels through workflow
// history, and its messages never repeat a credential.
const storeUrl = z
  .string()
  .superRefine((raw, ctx) => {
    try {
      parseStoreUrl(raw);
    } catch (err) {
      if (!(err instanceof InvalidStoreUrl)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message });
    }
  })
  .meta({
    description:
      'Where backups go: s3://bucket/prefix[?endpoint=&region=&forcePathStyle=&lockMode=], gs://bucket/prefix, azblob://account/container/prefix or file:///path; credentials come from the worker environment',
    examples: ['s3://ferry-backups/campaigns?endpoint=http://127.0.0.1:9100&forcePathStyle=true', 'file:///var/lib/ferry/backups'],
  });

const labelSelector = z
  .string()
  .superRefine((s, ctx) => {
    const parsed = parseLabelSelector(s);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `at character ${parsed.offset + 1}: ${parsed.message}` });
  })
  .meta({ description: 'Kubernetes label selector (=, ==, !=, in, notin, key, !key) the migrated objects must match' });

const selection = z.strictObject({
  includeNamespaces: z
    .array(namespaceGlob)
    .min(1, { error: 'an empty list selects nothing; leave the field out to select every namespace' })
    .default(() => ['*'])
    .meta({ description: 'namespace globs to migrate; default: all' }),
  excludeNamespaces: z
    .array(namespaceGlob)
    .default(() => [...DEFAULT_EXCLUDED_NAMESPACES])
    .meta({ description: `namespace globs never migrated, winning over includes; default: ${DEFAULT_EXCLUDED_NAMESPACES.join(', ')}` }),
  labelSelector: labelSelector.optional(),
});

const storageClassMap = z
  .record(
    z
      .string()
      .max(253, { error: 'a source StorageClass must be at most 253 characters' })
      .regex(new RegExp(`^$|${dnsSubdomain.source}`), {
        error: 'a source StorageClass must be a lowercase DNS subdomain, or "" for claims without a class',
      }),
    storageClassName,
  )
  .default(() => ({}))
  .meta({ description: 'source StorageClass → target StorageClass; "" maps claims bound without a class' });

const namespaceMap = z
  .record(dnsLabelName('a namespace'), dnsLabelName('a namespace'))
  .superRefine((map, ctx) => {
    // Two namespaces merged into one would have their same-named objects overwrite each other.
    const firstByTarget = new Map<string, string>();
    for (const source of Object.keys(map).sort()) {
      const first = firstByTarget.get(map[source]);
      if (first === undefined) firstByTarget.set(map[source], source);
      else
        ctx.addIssue({
          code: 'custom',
          path: [source],
          message: `maps to "${map[source]}" as "${first}" does; namespaces cannot be merged`,
        });
    }
  })
  .default(() => ({}))
  .meta({ description: 'source namespace → target namespace' });

const restore = z
  .strictObject({
    mode: z
      .enum(['full', 'manifests-only', 'data-only'])
      .default('full')
      .meta({ description: 'full: objects and volume data; manifests-only; data-only: volume data into claims a pipeline re-created' }),
    existingObjects: z
      .enum(['update', 'skip', 'fail'])
      .default('update')
      .meta({ description: 'an object already on the target that Ferry did not restore: update it, leave it, or fail it' }),
    existingNamespaces: z
      .enum(['merge', 'fail'])
      .default('merge')
      .meta({ description: 'a target namespace holding objects Ferry did not restore: restore into it, or fail preflight' }),
    transforms: restoreTransformsSchema.optional(),
  })
  .meta({ description: 'how apps are restored on the target' });

const spec = z
  .strictObject({
    source: clusterRef,
    target: clusterRef,
    store: z.strictObject({ url: storeUrl }),
    selection: selection.prefault({}),
    storageClassMap,
    namespaceMap,
    restore: restore.prefault({}),
    concurrency: z
      .int({ error: 'must be a whole number' })
      .min(1, { error: 'must be at least 1' })
      .max(64, { error: 'must be at most 64' })
      .default(4)
      .meta({ description: 'apps migrated at once' }),
  })
  .superRefine(
    (s, ctx) => {
      // With `when`, this also sees a spec that failed elsewhere, so nothing in it can be taken for granted.
      const contextOf = (side: unknown): unknown => (typeof side === 'object' && side !== null ? Reflect.get(side, 'context') : undefined);
      const raw: unknown = s;
      if (typeof raw !== 'object' || raw === null) return;
      const source = contextOf(Reflect.get(raw, 'source'));
      if (typeof source === 'string' && source === contextOf(Reflect.get(raw, 'target'))) {
        ctx.addIssue({ code: 'custom', path: ['target', 'context'], message: 'must differ from spec.source.context' });
      }
    },
    // Run even when other fields failed, so one load reports every problem.
    { when: () => true },
  );

export const campaignSchema = z
  .strictObject({
    apiVersion: z.literal(CAMPAIGN_API_VERSION, { error: `must be ${CAMPAIGN_API_VERSION}` }),
    kind: z.literal('Campaign', { error: 'must be Campaign' }),
    metadata: z.strictObject({ name: dnsLabelName('a campaign name') }),
    spec,
  })
  .meta({
    title: 'Ferry Campaign',
    description: 'One migration campaign: which apps move from which cluster to which, and where backups go.',
  });

export type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

export type Campaign = DeepReadonly<z.output<typeof campaignSchema>>;
export type CampaignSelection = Campaign['spec']['selection'];

export type CampaignParse =
  | { readonly ok: true; readonly campaign: Campaign }
  | { readonly ok: false; readonly issues: readonly z.core.$ZodIssue[] };

function deepFreeze<T>(value: T): DeepReadonly<T> {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value as DeepReadonly<T>;
}

/** Validates a decoded document; the campaign returned is frozen all the way down. */
export function parseCampaign(input: unknown): CampaignParse {
  const result = campaignSchema.safeParse(input);
  return result.success ? { ok: true, campaign: deepFreeze(result.data) } : { ok: false, issues: result.error.issues };
}

function globPattern(glob: string): RegExp {
  const body = [...glob].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`);
}

/** A namespace is selected when an include glob matches it and no exclude glob does. */
export function matchesNamespace(selection: CampaignSelection, namespace: string): boolean {
  const matches = (glob: string) => globPattern(glob).test(namespace);
  return selection.includeNamespaces.some(matches) && !selection.excludeNamespaces.some(matches);
}
