// `ferry campaign start` refuses bad input before any workflow starts: every config problem with
// its path (exit 2), an unknown context (exit 2), an unreachable cluster (exit 1).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { campaignWorkflowId } from '../../workflows/ids.js';
import { stackVar } from '../setup/stack.js';
import { captureIo } from '../support/io.js';

const dir = mkdtempSync(join(tmpdir(), 'ferry-cli-'));
function campaignFile(name: string, body: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, body);
  return file;
}

const valid = (name: string, source = 'ferry-source', target = 'ferry-target') => `apiVersion: ferry.dev/v1alpha1
kind: Campaign
metadata: { name: ${name} }
spec:
  source: { context: ${source} }
  target: { context: ${target} }
  store: { url: "s3://ferry-backups/cli-tests?endpoint=http://127.0.0.1:9100&forcePathStyle=true" }
`;

describe('ferry campaign start: bad input', () => {
  let connection: Connection;
  let client: Client;
  beforeAll(async () => {
    connection = await Connection.connect({ address: stackVar('TEMPORAL_ADDRESS') });
    client = new Client({ connection, namespace: stackVar('TEMPORAL_NAMESPACE') });
  });
  afterAll(async () => connection?.close());

  const neverStarted = async (name: string) => {
    await expect(client.workflow.getHandle(campaignWorkflowId(name)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  };

  it('reports YAML syntax errors with line and column, exit 2', async () => {
    const io = captureIo();
    const file = campaignFile('syntax', 'apiVersion: ferry.dev/v1alpha1\nkind: Campaign\nspec: [unclosed\n');
    expect(await main(['campaign', 'start', '-f', file], io, process.env)).toBe(2);
    expect(io.text()).toMatch(/syntax\.yaml: \d+ problems? in campaign config/);
    expect(io.text()).toMatch(/\n\s+\d+:\d+ /);
  });

  it('lists every invalid value with its path, exit 2, and starts nothing', async () => {
    const name = `bad-${randomUUID().slice(0, 6)}`;
    const io = captureIo();
    const file = campaignFile(
      'values',
      `${valid(name)}  concurrency: 0
  storageClassMap: { standard: "Not_A_Class" }
  selection: { labelSelector: "team in (a" }
  surprise: true
`,
    );
    expect(await main(['campaign', 'start', '-f', file], io, process.env)).toBe(2);
    const text = io.text();
    for (const path of ['spec.concurrency', 'spec.storageClassMap.standard', 'spec.selection.labelSelector', 'spec.surprise']) {
      expect(text, path).toContain(path);
    }
    await neverStarted(name);
  });

  it('rejects credentials in the store URL without echoing them', async () => {
    const io = captureIo();
    const file = campaignFile(
      'creds',
      valid('creds').replace('s3://ferry-backups/cli-tests?', 's3://AKIAEXAMPLE:hunter2@ferry-backups/cli-tests?'),
    );
    expect(await main(['campaign', 'start', '-f', file], io, process.env)).toBe(2);
    expect(io.text()).toContain('spec.store.url');
    expect(io.text()).not.toContain('hunter2');
  });

  it('names an unknown context, exit 2, and starts nothing', async () => {
    const name = `unknown-${randomUUID().slice(0, 6)}`;
    const io = captureIo();
    const file = campaignFile('unknown', valid(name, 'ferry-source', 'prod-eu-west'));
    expect(await main(['campaign', 'start', '-f', file], io, process.env)).toBe(2);
    expect(io.text()).toContain('kubeconfig has no context "prod-eu-west"');
    await neverStarted(name);
  });

  it('names an unreachable cluster, exit 1, and starts nothing', async () => {
    const name = `unreachable-${randomUUID().slice(0, 6)}`;
    const kubeconfig = join(dir, 'kubeconfig');
    // a context whose server is a closed loopback port
    writeFileSync(
      kubeconfig,
      `apiVersion: v1
kind: Config
clusters: [{ name: gone, cluster: { server: "https://127.0.0.1:1", insecure-skip-tls-verify: true } }]
users: [{ name: gone, user: { token: unused } }]
contexts: [{ name: gone, context: { cluster: gone, user: gone } }, { name: gone-too, context: { cluster: gone, user: gone } }]
current-context: gone
`,
    );
    const io = captureIo();
    const file = campaignFile('unreachable', valid(name, 'gone', 'gone-too'));
    expect(await main(['campaign', 'start', '-f', file], io, { ...process.env, KUBECONFIG: kubeconfig })).toBe(1);
    expect(io.text()).toMatch(/cluster "gone" is unreachable: .*ECONNREFUSED/);
    expect(io.text()).not.toContain('unused');
    await neverStarted(name);
  });
});
