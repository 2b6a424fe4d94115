// Turns the Helm v2 releases Tiller stored (ConfigMaps, or Secrets with Tiller's secret driver, in Tiller's
// namespace) into Helm v3 release Secrets in each release's namespace, as `helm 2to3 convert` would: the target
// runs no Tiller, and Helm 3 then lists, upgrades and rolls back the apps nobody redeployed since Helm 2.
//
// Every stored version is converted, not just the deployed one: each Tiller object is one release version, so
// this keeps `helm history` and lets `helm rollback` reach the versions Tiller kept; a release that was deleted
// without --purge stays listed as uninstalled, as Helm 3 keeps releases uninstalled with --keep-history.
import { gunzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { z } from 'zod';
import { type KubeObject, refKey, refOf } from '../kube/object.js';
import {
  encodeHelmPayload,
  HELM_RELEASE_PREFIX,
  HELM_RELEASE_TYPE,
  HelmReleaseUnreadable,
  helmStorageOf,
  storeValue,
} from './helm-release.js';
import { helm2ReleaseType } from './helm2-proto.js';
import { asRecord, asString } from './pointer.js';
import type { Transform, TransformResult } from './types.js';

export interface Helm2Context {
  /**
   * `namespace/name` of the Helm 3 release objects captured alongside (helm3ReleaseKeys): a Tiller release
   * already converted there (helm 2to3 with --keep-v2-releases) is dropped instead of converted twice.
   */
  readonly helm3Releases?: ReadonlySet<string>;
}

/** The keys Helm2Context.helm3Releases wants, from the captured objects. */
export function helm3ReleaseKeys(objects: readonly Readonly<KubeObject>[]): ReadonlySet<string> {
  return new Set(objects.filter((o) => helmStorageOf(o) !== undefined).map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`));
}

const enumValue = z.union([z.string(), z.number()]);
const timestamp = z.object({ seconds: z.string(), nanos: z.number() }).nullable();
const config = z.object({ raw: z.string() }).nullable();
const v2Release = z.object({
  name: z.string().min(1),
  namespace: z.string().min(1),
  version: z.number().int().min(1),
  manifest: z.string(),
  config,
  info: z.object({
    status: z
      .object({
        code: enumValue,
        notes: z.string(),
        last_test_suite_run: z
          .object({
            results: z.array(z.object({ name: z.string(), status: enumValue, started_at: timestamp, completed_at: timestamp })),
          })
          .nullable(),
      })
      .nullable(),
    first_deployed: timestamp,
    last_deployed: timestamp,
    deleted: timestamp,
    Description: z.string(),
  }),
  chart: z.object({
    metadata: z
      .object({
        name: z.string(),
        home: z.string(),
        sources: z.array(z.string()),
        version: z.string(),
        description: z.string(),
        keywords: z.array(z.string()),
        maintainers: z.array(z.object({ name: z.string(), email: z.string(), url: z.string() })),
        icon: z.string(),
        apiVersion: z.string(),
        condition: z.string(),
        tags: z.string(),
        appVersion: z.string(),
        deprecated: z.boolean(),
        annotations: z.record(z.string(), z.string()),
        kubeVersion: z.string(),
      })
      .nullable(),
    templates: z.array(z.object({ name: z.string(), data: z.string() })),
    values: config,
    files: z.array(z.object({ type_url: z.string(), value: z.string() })),
  }),
  hooks: z.array(
    z.object({
      name: z.string(),
      kind: z.string(),
      path: z.string(),
      manifest: z.string(),
      events: z.array(enumValue),
      last_run: timestamp,
      weight: z.number(),
      delete_policies: z.array(enumValue),
    }),
  ),
});
type V2Release = z.output<typeof v2Release>;
type Timestamp = z.output<typeof timestamp>;

// Helm 3's names (pkg/release/status.go): the v2 DELETED/DELETING became uninstalled/uninstalling.
const statusNames: Readonly<Record<string, string>> = {
  UNKNOWN: 'unknown',
  DEPLOYED: 'deployed',
  DELETED: 'uninstalled',
  SUPERSEDED: 'superseded',
  FAILED: 'failed',
  DELETING: 'uninstalling',
  PENDING_INSTALL: 'pending-install',
  PENDING_UPGRADE: 'pending-upgrade',
  PENDING_ROLLBACK: 'pending-rollback',
};

// Helm 3 has no test-failure hooks (a `helm test` would run them expecting success): that event is left out.
const hookEvents: Readonly<Record<string, string>> = {
  PRE_INSTALL: 'pre-install',
  POST_INSTALL: 'post-install',
  PRE_DELETE: 'pre-delete',
  POST_DELETE: 'post-delete',
  PRE_UPGRADE: 'pre-upgrade',
  POST_UPGRADE: 'post-upgrade',
  PRE_ROLLBACK: 'pre-rollback',
  POST_ROLLBACK: 'post-rollback',
  RELEASE_TEST_SUCCESS: 'test',
  CRD_INSTALL: 'crd-install',
};

const deletePolicies: Readonly<Record<string, string>> = {
  SUCCEEDED: 'hook-succeeded',
  FAILED: 'hook-failed',
  BEFORE_HOOK_CREATION: 'before-hook-creation',
};

const testPhases: Readonly<Record<string, string>> = { UNKNOWN: 'Unknown', SUCCESS: 'Succeeded', FAILURE: 'Failed', RUNNING: 'Running' };

const named = (table: Readonly<Record<string, string>>, value: string | number): string | undefined =>
  typeof value === 'string' && Object.hasOwn(table, value) ? table[value] : undefined;

/** As Go marshals a UTC time.Time (RFC 3339, trailing zeros of the fraction dropped); "" for the zero time, as Helm's own time type does. */
export function goTime(ts: Timestamp): string {
  if (ts === null) return '';
  const base = new Date(Number(ts.seconds) * 1000).toISOString().slice(0, 19);
  const fraction = ts.nanos > 0 ? `.${String(ts.nanos).padStart(9, '0').replace(/0+$/, '')}` : '';
  return `${base}${fraction}Z`;
}

/**
 * Values as Helm reads them (sigs.k8s.io/yaml over go-yaml): YAML 1.1 scalars, but dates stay strings, since
 * go-yaml only makes times of them for time-typed fields, which a values map has none of.
 */
function readValues(raw: string | undefined, where: string, object: string): Record<string, unknown> {
  if (raw === undefined || raw.trim() === '') return {};
  let values: unknown;
  try {
    values = parse(raw, {
      version: '1.1',
      // Errors without the text around them (values hold passwords), and no warnings printed.
      prettyErrors: false,
      logLevel: 'error',
      customTags: (tags) => tags.filter((t) => typeof t === 'string' || t.tag !== 'tag:yaml.org,2002:timestamp'),
    });
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : 'unreadable';
    throw new HelmReleaseUnreadable(object, `${where} are not valid YAML (${code})`);
  }
  return { ...(asRecord(values) ?? {}) };
}

/** Go's encoding/json leaves out empty values of `omitempty` fields; this does the same for a plain object. */
function omitEmpty(fields: Record<string, unknown>, keep: readonly string[] = []): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).filter(
      ([k, v]) =>
        keep.includes(k) ||
        !(
          v === '' ||
          v === 0 ||
          v === false ||
          v === undefined ||
          (Array.isArray(v) && v.length === 0) ||
          (typeof v === 'object' && v !== null && Object.keys(v).length === 0)
        ),
    ),
  );
}

function v3Chart(chart: V2Release['chart'], object: string): Record<string, unknown> {
  const m = chart.metadata;
  const metadata =
    m === null
      ? null
      : omitEmpty({
          name: m.name,
          home: m.home,
          sources: m.sources,
          version: m.version,
          description: m.description,
          keywords: m.keywords,
          maintainers: m.maintainers.map((x) => omitEmpty({ name: x.name, email: x.email, url: x.url })),
          icon: m.icon,
          // Charts Helm 2 installed are chart API v1, whether or not their Chart.yaml said so.
          apiVersion: m.apiVersion || 'v1',
          condition: m.condition,
          tags: m.tags,
          appVersion: m.appVersion,
          deprecated: m.deprecated,
          annotations: m.annotations,
          kubeVersion: m.kubeVersion,
          type: 'application',
        });
  // Subcharts are not kept: Helm 3 does not store a release's chart dependencies either, and a rollback
  // re-applies the stored manifest rather than rendering the chart again.
  return {
    metadata,
    lock: null,
    templates: chart.templates.map((t) => ({ name: t.name, data: t.data })),
    values: readValues(chart.values?.raw, 'the chart values', object),
    schema: null,
    files: chart.files.map((f) => ({ name: f.type_url, data: f.value })),
  };
}

/**
 * Tiller only set a hook's last_run once the hook had succeeded; test hooks carry their outcome in the
 * release's last test suite run instead. A hook never run gets Helm 3's empty execution record.
 */
function v3Hooks(release: V2Release): { hooks: Record<string, unknown>[]; droppedEvents: number } {
  const tests = release.info.status?.last_test_suite_run?.results ?? [];
  let droppedEvents = 0;
  const hooks = release.hooks.map((h) => {
    const events = h.events.flatMap((e) => {
      const name = named(hookEvents, e);
      if (name === undefined) droppedEvents++;
      return name === undefined ? [] : [name];
    });
    const test = events.includes('test') ? tests.find((t) => t.name === h.name) : undefined;
    const lastRun =
      test !== undefined
        ? {
            started_at: goTime(test.started_at),
            completed_at: goTime(test.completed_at),
            phase: named(testPhases, test.status) ?? 'Unknown',
          }
        : h.last_run !== null
          ? { started_at: '', completed_at: goTime(h.last_run), phase: 'Succeeded' }
          : { started_at: '', completed_at: '', phase: '' };
    return omitEmpty(
      {
        name: h.name,
        kind: h.kind,
        path: h.path,
        manifest: h.manifest,
        events,
        last_run: lastRun,
        weight: h.weight,
        delete_policies: h.delete_policies.flatMap((p) => named(deletePolicies, p) ?? []),
      },
      ['last_run'],
    );
  });
  return { hooks, droppedEvents };
}

/** The Helm 3 release record (pkg/release.Release as Helm 3 marshals it, field order included). */
function v3Release(release: V2Release, status: string, object: string): { record: Record<string, unknown>; droppedEvents: number } {
  const info = release.info;
  const { hooks, droppedEvents } = v3Hooks(release);
  const record = omitEmpty(
    {
      name: release.name,
      info: omitEmpty(
        {
          first_deployed: goTime(info.first_deployed),
          last_deployed: goTime(info.last_deployed),
          deleted: goTime(info.deleted),
          description: info.Description,
          status,
          notes: info.status?.notes ?? '',
        },
        ['first_deployed', 'last_deployed', 'deleted'],
      ),
      chart: v3Chart(release.chart, object),
      config: readValues(release.config?.raw, 'the release values', object),
      manifest: release.manifest,
      hooks,
      version: release.version,
      namespace: release.namespace,
    },
    ['name', 'info', 'chart', 'version', 'namespace'],
  );
  return { record, droppedEvents };
}

function tillerPayload(obj: Readonly<KubeObject>): string | undefined {
  if (obj.apiVersion !== 'v1' || obj.metadata.labels?.OWNER !== 'TILLER') return undefined;
  const stored = asString(asRecord(obj.data)?.release);
  if (stored === undefined) return undefined;
  if (obj.kind === 'ConfigMap') return stored;
  return obj.kind === 'Secret' ? Buffer.from(stored, 'base64').toString('latin1') : undefined;
}

function decodeV2(obj: Readonly<KubeObject>, payload: string): V2Release {
  const fail = (reason: string): never => {
    throw new HelmReleaseUnreadable(refKey(refOf(obj)), reason);
  };
  let decoded: unknown;
  try {
    const bytes = Buffer.from(payload, 'base64');
    const raw = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
    const message = helm2ReleaseType.decode(raw);
    decoded = helm2ReleaseType.toObject(message, {
      longs: String,
      enums: String,
      bytes: String,
      defaults: true,
      arrays: true,
      objects: true,
    });
  } catch (err) {
    fail(err instanceof Error ? err.message.split('\n')[0] : String(err));
  }
  const parsed = v2Release.safeParse(decoded);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(`not a Helm v2 release: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

export const convertHelm2Release: Transform<Helm2Context> = {
  name: 'helm2-to-helm3',
  apply(obj, ctx): TransformResult {
    const payload = tillerPayload(obj);
    if (payload === undefined) return { kind: 'keep' };
    const release = decodeV2(obj, payload);
    const name = `${HELM_RELEASE_PREFIX}${release.name}.v${release.version}`;
    if (ctx.helm3Releases?.has(`${release.namespace}/${name}`)) {
      return { kind: 'drop', reason: `already converted: Helm 3 release ${release.namespace}/${name} was captured too` };
    }
    const v2Status = typeof release.info.status?.code === 'string' ? release.info.status.code : 'UNKNOWN';
    const status = statusNames[v2Status] ?? 'unknown';
    const { record, droppedEvents } = v3Release(release, status, refKey(refOf(obj)));
    const labels: Record<string, string> = { name: release.name, owner: 'helm', status, version: String(release.version) };
    // Tiller's own timestamps, where it kept them, rather than the time of the restore.
    const created = obj.metadata.labels?.CREATED_AT;
    const modified = obj.metadata.labels?.MODIFIED_AT;
    if (created !== undefined) labels.createdAt = created;
    if (modified !== undefined) labels.modifiedAt = modified;
    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: release.namespace, labels },
      type: HELM_RELEASE_TYPE,
      data: { release: storeValue(encodeHelmPayload(record), 'secret') },
    };
    const notes = droppedEvents > 0 ? `; ${droppedEvents} hook event(s) Helm 3 has no equivalent for (test-failure) left out` : '';
    return {
      kind: 'patch',
      patches: [{ op: 'replace', path: '', value: secret }],
      reason: `Helm v2 release ${release.name} v${release.version} (${v2Status}) → Helm 3 Secret ${release.namespace}/${name}${notes}`,
    };
  },
};
