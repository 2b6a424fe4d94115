// How Ferry's own Node processes run: the worker, the CLI, the in-cluster mover and the benchmarks' children.
// Settings a process must have from its start (V8's heap shape, glibc's allocator), so they travel in the
// environment: scripts/launch.mjs starts the CLI and the worker with them, the mover Job sets them on its
// container. No imports and only erasable TypeScript: the launcher loads this file before tsx is registered.

/**
 * V8 sizes its young generation by the machine: with memory to spare it grows to two 64 MiB semi-spaces, all
 * resident. Ferry's hot paths (list pages decoded object by object, volume data streamed chunk by chunk)
 * allocate fast and drop at once, so a small young generation collects them as cheaply, and its objects no
 * longer wait there long enough to be promoted. Inventory of 25,000 objects: peak RSS 414 → 270 MiB (see
 * `npm run bench -- inventory`).
 */
export const nodeOptions: readonly string[] = ['--max-semi-space-size=8'];

/**
 * glibc: buffers of ~1 MiB are allocated and freed from several threads (zlib, crypto and TLS run on libuv's
 * pool); with the defaults (an arena per thread, freed memory kept, and a mmap threshold that rises as large
 * blocks are freed) RSS settles ~50-100 MiB above the working set. Two arenas, trimming above 1 MiB and blocks of
 * 64 KiB and more always mapped (so returned when freed) keep it near (`npm run bench -- backup` and `inventory`).
 * 64 KiB, not 256: an upload's and a socket's pieces are 64–256 KiB, and tens of MiB of them freed together stayed
 * in the arenas, around blocks still in use: a GCS volume backup peaked at 238–261 MiB, 196–220 MiB with 64 KiB.
 */
export const allocatorEnv: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_TRIM_THRESHOLD_: '1048576',
  MALLOC_MMAP_THRESHOLD_: '65536',
};

/** Set in the environment of a process started with this profile, so that it is applied once. */
export const profileMarker = 'FERRY_PROCESS_PROFILE';

/** `env` completed with the profile: the allocator settings and the Node options (those already given come after, and win). */
export function profiledEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  return { ...env, ...allocatorEnv, NODE_OPTIONS: [...nodeOptions, ...otherOptions(env)].join(' '), [profileMarker]: '1' };
}

const otherOptions = (env: Readonly<Record<string, string | undefined>>) =>
  (env.NODE_OPTIONS ?? '').split(' ').filter((o) => o !== '' && !nodeOptions.includes(o));

/** `env` without the profile: Node's and glibc's defaults, for measuring what the profile changes. */
export function withoutProfile(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...env };
  for (const k of Object.keys(allocatorEnv)) delete out[k];
  delete out[profileMarker];
  const rest = otherOptions(env).join(' ');
  if (rest) out.NODE_OPTIONS = rest;
  else delete out.NODE_OPTIONS;
  return out;
}
