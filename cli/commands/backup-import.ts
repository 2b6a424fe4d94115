// `ferry backup import --from PATH --store URL [--campaign NAME]`: exported YAML/JSON or a Velero
// tarball becomes Ferry backups. Any bad file stops the import, named by path and document index.
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { importBackups } from '../../activities/backup/import-backups.js';
import {
  type ImportProblem,
  isVeleroObjectPath,
  type ParsedObjects,
  parseManifestFiles,
  preferVeleroVersions,
  type SourceFile,
} from '../../activities/backup/import-manifests.js';
import { openStore } from '../../activities/stores/open-store.js';
import { workerDeps } from '../../workers/deps.js';
import type { Io } from '../io.js';
import { UsageError } from './usage-error.js';

export class ImportRejected extends Error {
  constructor(readonly problems: readonly ImportProblem[]) {
    super(
      `${problems.length} problem(s); nothing was imported:\n${problems
        .map((p) => `  ${p.path}${p.document === undefined ? '' : ` (document ${p.document})`}: ${p.message}`)
        .join('\n')}`,
    );
    this.name = 'ImportRejected';
  }
}

const manifestFile = /\.(ya?ml|json)$/i;

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(full)));
    else if (manifestFile.test(e.name)) out.push(full);
  }
  return out;
}

async function tarballFiles(path: string): Promise<SourceFile[]> {
  const extract = tar.extract();
  const files: SourceFile[] = [];
  const reading = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(c as Buffer);
      if (entry.header.type === 'file' && isVeleroObjectPath(entry.header.name))
        files.push({ path: entry.header.name, text: Buffer.concat(chunks).toString('utf8') });
    }
  })();
  createReadStream(path).pipe(createGunzip()).pipe(extract);
  await reading;
  return preferVeleroVersions(files);
}

/** Reads a directory of manifests, one manifest file, or a Velero backup tarball. */
export async function readImportSource(path: string): Promise<ParsedObjects> {
  const info = await stat(path);
  if (info.isDirectory()) {
    const paths = await walk(path);
    return parseManifestFiles(await Promise.all(paths.map(async (p) => ({ path: relative(path, p), text: await readFile(p, 'utf8') }))));
  }
  if (/\.(tar\.gz|tgz)$/i.test(path)) return parseManifestFiles(await tarballFiles(path));
  return parseManifestFiles([{ path, text: await readFile(path, 'utf8') }]);
}

export async function runBackupImport(args: string[], env: NodeJS.ProcessEnv, io: Io, now = new Date()): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { from: { type: 'string' }, store: { type: 'string' }, campaign: { type: 'string', default: 'import' } },
  });
  if (!values.from) throw new UsageError('--from PATH is required');
  if (!values.store) throw new UsageError('--store URL is required');
  const parsed = await readImportSource(values.from);
  if (parsed.problems.length > 0) throw new ImportRejected(parsed.problems);
  if (parsed.objects.length === 0) throw new ImportRejected([{ path: values.from, message: 'holds no Kubernetes objects' }]);
  const store = openStore(values.store, { env });
  const deps = workerDeps(env);
  const apps = await importBackups(store, parsed.objects, {
    campaign: String(values.campaign),
    source: `import:${values.from}`,
    now,
    secrets: { keys: deps.encryption, allowPlaintext: deps.allowPlaintextSecrets },
  });
  for (const a of apps) io.out(`${a.appId}: backup ${a.backupId} (${a.objects} objects)`);
  io.out(`imported ${parsed.objects.length} objects as ${apps.length} backup(s) into ${store.url}`);
  return 0;
}
