// One store's adapter with only its own SDK loaded: for a process that talks to one store (the mover), where
// loading all three cloud SDKs, as openStore does for a worker, would add ~40 MiB to its RSS.
import type { ObjectStore } from './object-store.js';
import type { OpenStoreDeps } from './open-store.js';
import { parseStoreUrl } from './store-url.js';

/** Throws InvalidStoreUrl for a malformed URL or one with credentials in it. */
export async function loadStore(url: string, deps: OpenStoreDeps = {}): Promise<ObjectStore> {
  const parsed = parseStoreUrl(url);
  const tuning = { listPageSize: deps.listPageSize, maxAttempts: deps.maxAttempts };
  switch (parsed.scheme) {
    case 's3':
      return new (await import('./s3.js')).S3Store(parsed, tuning);
    case 'gs':
      return new (await import('./gcs.js')).GcsStore(parsed, { ...tuning, env: deps.env });
    case 'azblob':
      return new (await import('./azure-blob.js')).AzureBlobStore(parsed, { ...tuning, env: deps.env, credential: deps.azureCredential });
    case 'file':
      return new (await import('./file.js')).FileStore(parsed);
  }
}
