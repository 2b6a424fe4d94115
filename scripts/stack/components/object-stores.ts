// S3 (moto), GCS (fake-gcs-server) and Azure Blob (Azurite) emulators, each with Ferry's bucket ready.

import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { CreateBucketCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { BlobServiceClient } from '@azure/storage-blob';
import { Storage } from '@google-cloud/storage';
import { ok } from '../https-probe.js';
import { host, ports } from '../ports.js';
import type { Service } from '../service.js';
import * as tools from '../tools.js';
import { tcpOpen } from '../wait.js';

export const bucket = 'ferry-backups';
/** Moto accepts any credentials; these only satisfy the SDKs' credential chains. */
export const s3Credentials = { accessKeyId: 'ferry-local', secretAccessKey: 'ferry-local-secret', region: 'us-east-1' };
/** Azurite's published development account (not a secret: it is the same in every Azurite). */
export const azuriteConnectionString =
  `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;` +
  `AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;` +
  `BlobEndpoint=http://${host}:${ports.azureBlob}/devstoreaccount1;`;

export const s3Endpoint = `http://${host}:${ports.s3}`;
export const gcsEndpoint = `http://${host}:${ports.gcs}`;

export function s3Service(): Service {
  return {
    name: 's3',
    ports: [ports.s3],
    dependsOn: [],
    readyTimeoutMs: 60_000,
    async spec(paths) {
      return { name: 's3', command: await tools.motoServer(paths), args: ['-H', host, '-p', String(ports.s3)] };
    },
    ready: () => ok(`${s3Endpoint}/moto-api/`),
    async seed() {
      const s3 = new S3Client({ endpoint: s3Endpoint, forcePathStyle: true, region: s3Credentials.region, credentials: s3Credentials });
      try {
        await s3.send(new HeadBucketCommand({ Bucket: bucket }));
      } catch {
        // Object Lock can only be enabled when a bucket is created; it also turns on versioning.
        await s3.send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: true }));
      } finally {
        s3.destroy();
      }
    },
  };
}

export function gcsService(): Service {
  return {
    name: 'gcs',
    ports: [ports.gcs],
    dependsOn: [],
    readyTimeoutMs: 30_000,
    async spec(paths) {
      const dir = join(paths.state, 'gcs');
      mkdirSync(dir, { recursive: true });
      return {
        name: 'gcs',
        command: await tools.fakeGcsServer(paths),
        args: [
          '-scheme',
          'http',
          '-host',
          host,
          '-port',
          String(ports.gcs),
          '-backend',
          'filesystem',
          '-filesystem-root',
          dir,
          '-public-host',
          `${host}:${ports.gcs}`,
          '-external-url',
          gcsEndpoint,
          '-log-level',
          'warn',
        ],
      };
    },
    ready: () => ok(`${gcsEndpoint}/storage/v1/b`),
    async seed() {
      const storage = new Storage({ apiEndpoint: gcsEndpoint, projectId: 'ferry-local' });
      const [exists] = await storage.bucket(bucket).exists();
      if (!exists) await storage.createBucket(bucket);
    },
  };
}

export function azureService(): Service {
  return {
    name: 'azure-blob',
    ports: [ports.azureBlob],
    dependsOn: [],
    readyTimeoutMs: 30_000,
    async spec(paths) {
      const dir = join(paths.state, 'azurite');
      mkdirSync(dir, { recursive: true });
      const require = createRequire(import.meta.url);
      const entry = require.resolve('azurite/dist/src/blob/main.js');
      return {
        name: 'azure-blob',
        command: process.execPath,
        args: [
          entry,
          '--blobHost',
          host,
          '--blobPort',
          String(ports.azureBlob),
          '--location',
          dir,
          '--disableTelemetry',
          '--skipApiVersionCheck',
          '--loose',
          '--silent',
        ],
      };
    },
    ready: () => tcpOpen(ports.azureBlob),
    async seed() {
      const svc = BlobServiceClient.fromConnectionString(azuriteConnectionString);
      await svc.getContainerClient(bucket).createIfNotExists();
    },
  };
}
