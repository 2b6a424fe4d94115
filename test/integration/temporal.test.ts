// The Temporal dev server of the local stack: a worker runs a workflow, and visibility finds it
// by Ferry's registered search attributes.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { defineSearchAttributeKey } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackVar } from '../setup/stack.js';
import { waitUntil } from '../support/wait.js';

describe('temporal dev server', () => {
  let connection: Connection;
  let client: Client;
  beforeAll(async () => {
    connection = await Connection.connect({ address: stackVar('TEMPORAL_ADDRESS') });
    client = new Client({ connection, namespace: stackVar('TEMPORAL_NAMESPACE') });
  });
  afterAll(async () => {
    await connection?.close();
  });

  it('runs a workflow on a worker and finds it by a registered search attribute', async () => {
    const taskQueue = `test-${randomUUID()}`;
    const campaign = `smoke-${randomUUID()}`;
    const nativeConnection = await NativeConnection.connect({ address: stackVar('TEMPORAL_ADDRESS') });
    const worker = await Worker.create({
      connection: nativeConnection,
      namespace: stackVar('TEMPORAL_NAMESPACE'),
      taskQueue,
      workflowsPath: fileURLToPath(new URL('./fixtures/trivial-workflow.ts', import.meta.url)),
    });
    try {
      const result = await worker.runUntil(
        client.workflow.execute('greet', {
          taskQueue,
          workflowId: `test/${campaign}`,
          args: ['ferry'],
          typedSearchAttributes: [{ key: defineSearchAttributeKey('FerryCampaign', 'KEYWORD'), value: campaign }],
        }),
      );
      expect(result).toBe('hello, ferry');
    } finally {
      await nativeConnection.close();
    }

    // visibility is eventually consistent: wait for the record, with a deadline
    const found = await waitUntil('the workflow in visibility', async () => {
      const ids: string[] = [];
      for await (const wf of client.workflow.list({ query: `FerryCampaign = "${campaign}" AND FerryPhase = "Done"` })) {
        ids.push(wf.workflowId);
      }
      return ids.length > 0 ? ids : undefined;
    });
    expect(found).toEqual([`test/${campaign}`]);
  });

  it('has every Ferry search attribute registered with its type', async () => {
    const res = await connection.operatorService.listSearchAttributes({ namespace: stackVar('TEMPORAL_NAMESPACE') });
    const custom = res.customAttributes ?? {};
    // IndexedValueType: 2 = KEYWORD, 5 = BOOL
    for (const name of ['FerryCampaign', 'FerryApp', 'FerryTeam', 'FerryPhase', 'FerrySource', 'FerryTarget']) {
      expect(custom[name], name).toBe(2);
    }
    expect(custom.FerryStateful).toBe(5);
  });
});
