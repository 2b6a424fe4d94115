// Store URL parsing: every accepted form, its canonical spelling, and every refusal with its field.
import { describe, expect, it } from 'vitest';
import { canonicalStoreUrl, formatStoreUrl, InvalidStoreUrl, parseStoreUrl, type StoreUrl } from '../../activities/stores/store-url.js';

const s3Defaults = { scheme: 's3', prefix: '', forcePathStyle: false, lockMode: 'compliance' } as const;

const valid: { input: string; parsed: StoreUrl; canonical: string }[] = [
  { input: 's3://ferry-backups', parsed: { ...s3Defaults, bucket: 'ferry-backups' }, canonical: 's3://ferry-backups' },
  {
    input: 's3://ferry-backups/team-a/prod/',
    parsed: { ...s3Defaults, bucket: 'ferry-backups', prefix: 'team-a/prod' },
    canonical: 's3://ferry-backups/team-a/prod',
  },
  {
    input: 's3://b-1.example/p?region=eu-west-1&forcePathStyle=true&endpoint=http://127.0.0.1:9100/',
    parsed: {
      ...s3Defaults,
      bucket: 'b-1.example',
      prefix: 'p',
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:9100',
      forcePathStyle: true,
    },
    canonical: 's3://b-1.example/p?endpoint=http://127.0.0.1:9100&forcePathStyle=true&region=eu-west-1',
  },
  {
    input: 's3://bkt?endpoint=https%3A%2F%2Fminio.internal%3A9000%2Fs3&forcePathStyle=false',
    parsed: { ...s3Defaults, bucket: 'bkt', endpoint: 'https://minio.internal:9000/s3' },
    canonical: 's3://bkt?endpoint=https://minio.internal:9000/s3',
  },
  {
    input: 's3://bkt/p?lockMode=GOVERNANCE',
    parsed: { ...s3Defaults, bucket: 'bkt', prefix: 'p', lockMode: 'governance' },
    canonical: 's3://bkt/p?lockMode=governance',
  },
  { input: 's3://bkt/p?lockMode=compliance', parsed: { ...s3Defaults, bucket: 'bkt', prefix: 'p' }, canonical: 's3://bkt/p' },
  {
    input: 'S3://bkt/with%20space/%C3%A9t%C3%A9',
    parsed: { ...s3Defaults, bucket: 'bkt', prefix: 'with space/été' },
    canonical: 's3://bkt/with%20space/%C3%A9t%C3%A9',
  },
  {
    input: 'gs://ferry_backups.example.com/x/y',
    parsed: { scheme: 'gs', bucket: 'ferry_backups.example.com', prefix: 'x/y' },
    canonical: 'gs://ferry_backups.example.com/x/y',
  },
  { input: 'gs://ferry-backups/', parsed: { scheme: 'gs', bucket: 'ferry-backups', prefix: '' }, canonical: 'gs://ferry-backups' },
  {
    input: 'azblob://devstoreaccount1/ferry-backups/team/a',
    parsed: { scheme: 'azblob', account: 'devstoreaccount1', container: 'ferry-backups', prefix: 'team/a' },
    canonical: 'azblob://devstoreaccount1/ferry-backups/team/a',
  },
  {
    input: 'azblob://acct/c0n/',
    parsed: { scheme: 'azblob', account: 'acct', container: 'c0n', prefix: '' },
    canonical: 'azblob://acct/c0n',
  },
  { input: 'file:///var/lib/ferry', parsed: { scheme: 'file', path: '/var/lib/ferry' }, canonical: 'file:///var/lib/ferry' },
  { input: 'file://localhost/tmp/a%20b/', parsed: { scheme: 'file', path: '/tmp/a b' }, canonical: 'file:///tmp/a%20b' },
  { input: 'file:///', parsed: { scheme: 'file', path: '/' }, canonical: 'file:///' },
];

describe('parseStoreUrl', () => {
  it.each(valid)('parses $input', ({ input, parsed, canonical }) => {
    expect(parseStoreUrl(input)).toEqual(parsed);
    expect(formatStoreUrl(parseStoreUrl(input))).toBe(canonical);
  });

  it.each(valid)('round-trips the canonical form of $input', ({ parsed, canonical }) => {
    expect(parseStoreUrl(canonical)).toEqual(parsed);
    expect(canonicalStoreUrl(canonical)).toBe(canonical);
  });
});

/** `secret` is text that must never appear in the error message. */
const invalid: { input: string; field: string; secret?: string }[] = [
  { input: 'ferry-backups', field: 'url' },
  { input: 'file:relative/path', field: 'url' },
  { input: 'http://bucket/x', field: 'scheme' },
  { input: 's3://AKIAEXAMPLE:hunter2@bkt/p', field: 'userinfo', secret: 'hunter2' },
  { input: 'gs://token@bkt', field: 'userinfo', secret: 'token@' },
  { input: 's3://bkt/p?secret=hunter2', field: 'query.secret', secret: 'hunter2' },
  { input: 's3://bkt/p?aws_access_key_id=AKIAEXAMPLE', field: 'query.aws_access_key_id', secret: 'AKIAEXAMPLE' },
  { input: 's3://bkt/p?X-Amz-Signature=abc123', field: 'query.X-Amz-Signature', secret: 'abc123' },
  { input: 's3://bkt/p?region=us-east-1&sessionToken=abc123', field: 'query.sessionToken', secret: 'abc123' },
  { input: 'azblob://acct/cont/p?sv=2022-11-02&sig=abc123', field: 'query.sv', secret: 'abc123' },
  { input: 'azblob://acct/cont?sig=abc123', field: 'query.sig', secret: 'abc123' },
  { input: 'gs://bkt/p?access_token=abc123', field: 'query.access_token', secret: 'abc123' },
  { input: 's3://bkt/p?password=abc123', field: 'query.password', secret: 'abc123' },
  { input: 's3://bkt/p?endpoint=http://user:abc123@minio:9000', field: 'endpoint', secret: 'abc123' },
  { input: 's3://bkt/p?endpoint=ftp://minio', field: 'endpoint' },
  { input: 's3://bkt/p?endpoint=not-a-url', field: 'endpoint' },
  { input: 's3://bkt/p?endpoint=http://minio/?x=1', field: 'endpoint' },
  { input: 's3://bkt/p?foo=1', field: 'query.foo' },
  { input: 'gs://bkt/p?region=us-east-1', field: 'query.region' },
  { input: 'file:///tmp/x?mode=1', field: 'query.mode' },
  { input: 's3://bkt/p?region=us-east-1&region=eu-west-1', field: 'query.region' },
  { input: 's3://bkt/p?forcePathStyle=yes', field: 'forcePathStyle' },
  { input: 's3://bkt/p?lockMode=legal-hold', field: 'lockMode' },
  { input: 's3://bkt/p?region=Mars', field: 'region' },
  { input: 's3://Ferry-Backups/p', field: 'bucket' },
  { input: 's3://ab/p', field: 'bucket' },
  { input: 's3:///p', field: 'bucket' },
  { input: 'gs://-bkt/p', field: 'bucket' },
  { input: 's3://bkt/a/../b', field: 'prefix' },
  { input: 's3://bkt/./a', field: 'prefix' },
  { input: 's3://bkt/a//b', field: 'prefix' },
  { input: 's3://bkt/a%2Fb', field: 'prefix' },
  { input: 's3://bkt/a%0Ab', field: 'prefix' },
  { input: 's3://bkt/a%zz', field: 'prefix' },
  { input: 's3://bkt/p#frag', field: 'fragment' },
  { input: 'azblob://ACCT/cont', field: 'account' },
  { input: 'azblob://acct', field: 'container' },
  { input: 'azblob://acct/Bad_Container', field: 'container' },
  { input: 'azblob://acct/a--b', field: 'container' },
  { input: 'file://fileserver/share', field: 'host' },
  { input: 'file:///tmp/../etc', field: 'path' },
  { input: 'file:///tmp/%zz', field: 'path' },
];

describe('parseStoreUrl refusals', () => {
  it.each(invalid)('refuses $input naming $field', ({ input, field, secret }) => {
    let error: unknown;
    try {
      parseStoreUrl(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidStoreUrl);
    const e = error as InvalidStoreUrl;
    expect(e.field).toBe(field);
    expect(e.name).toBe('InvalidStoreUrl');
    expect(e.message).toContain(field);
    if (secret) expect(e.message).not.toContain(secret);
  });
});
