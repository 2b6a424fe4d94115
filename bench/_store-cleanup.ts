// Empties a benchmark's store prefix. On S3 it lists object versions once and deletes them in batches: the
// port's delete() lists versions per key, and the local stack's moto copies every stored object on each such
// listing (and never frees the copies), so deleting a benchmark's thousand objects one by one would fill its disk.
import { DeleteObjectsCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { mapLimit } from '../activities/concurrency.js';
import type { ObjectStore } from '../activities/stores/object-store.js';
import { parseStoreUrl } from '../activities/stores/store-url.js';

export async function emptyStore(store: ObjectStore): Promise<void> {
  const url = parseStoreUrl(store.url);
  if (url.scheme !== 's3') {
    const keys: string[] = [];
    for await (const o of store.list('')) keys.push(o.key);
    await mapLimit(keys, 16, (k) => store.delete(k));
    return;
  }
  const client = new S3Client({
    ...(url.region ? { region: url.region } : {}),
    ...(url.endpoint ? { endpoint: url.endpoint } : {}),
    forcePathStyle: url.forcePathStyle,
  });
  const prefix = url.prefix === '' ? '' : `${url.prefix}/`;
  const versions: { Key: string; VersionId?: string }[] = [];
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  for (;;) {
    const page = await client.send(
      new ListObjectVersionsCommand({
        Bucket: url.bucket,
        Prefix: prefix,
        KeyMarker: keyMarker,
        VersionIdMarker: versionMarker,
        MaxKeys: 1000,
      }),
    );
    for (const v of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])])
      if (v.Key) versions.push({ Key: v.Key, VersionId: v.VersionId });
    if (!page.IsTruncated) break;
    keyMarker = page.NextKeyMarker;
    versionMarker = page.NextVersionIdMarker;
  }
  for (let i = 0; i < versions.length; i += 1000) {
    await client.send(new DeleteObjectsCommand({ Bucket: url.bucket, Delete: { Objects: versions.slice(i, i + 1000), Quiet: true } }));
  }
  client.destroy();
}
