// Turns a store URL into the adapter for it. Workers call this with their own environment: the URL
// names the store, the environment (or a passed-in credential) supplies the secrets.
import { AzureBlobStore, type AzureCredential } from './azure-blob.js';
import { FileStore } from './file.js';
import { GcsStore } from './gcs.js';
import type { ObjectStore } from './object-store.js';
import { S3Store } from './s3.js';
import { parseStoreUrl } from './store-url.js';

export interface OpenStoreDeps {
  /** Read for STORAGE_EMULATOR_HOST and AZURE_STORAGE_CONNECTION_STRING; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** For azblob:// URLs when no connection string is set (e.g. DefaultAzureCredential from @azure/identity). */
  azureCredential?: AzureCredential;
  /** Objects per list request; small values exercise pagination in tests. */
  listPageSize?: number;
  /** Attempts per request before a transient fault becomes StoreUnavailable (default 5). */
  maxAttempts?: number;
}

/** Throws InvalidStoreUrl for a malformed URL or one with credentials in it. */
export function openStore(url: string, deps: OpenStoreDeps = {}): ObjectStore {
  const parsed = parseStoreUrl(url);
  const tuning = { listPageSize: deps.listPageSize, maxAttempts: deps.maxAttempts };
  switch (parsed.scheme) {
    case 's3':
      // the AWS SDK resolves credentials and region from process.env and its own default chain
      return new S3Store(parsed, tuning);
    case 'gs':
      return new GcsStore(parsed, { ...tuning, env: deps.env });
    case 'azblob':
      return new AzureBlobStore(parsed, { ...tuning, env: deps.env, credential: deps.azureCredential });
    case 'file':
      return new FileStore(parsed);
  }
}
