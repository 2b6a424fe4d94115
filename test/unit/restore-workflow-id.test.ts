import { describe, expect, it } from 'vitest';
import { restoreWorkflowId } from '../../workflows/restore.js';

describe('restoreWorkflowId', () => {
  const base = { target: 'dr', namespace: 'shop', app: 'web', backupId: 'b1', namespaceMap: {} };

  it('is the same for the same restore, so starting it twice finds the running one', () => {
    expect(restoreWorkflowId(base)).toBe(restoreWorkflowId({ ...base }));
    expect(restoreWorkflowId(base)).toBe('restore/dr/shop/shop/web/b1');
  });

  it('differs by target namespace, so one backup can be restored into two namespaces at once', () => {
    const copy = restoreWorkflowId({ ...base, namespaceMap: { shop: 'shop-drill' } });
    expect(copy).toBe('restore/dr/shop-drill/shop/web/b1');
    expect(copy).not.toBe(restoreWorkflowId(base));
    // a map for other namespaces changes nothing
    expect(restoreWorkflowId({ ...base, namespaceMap: { other: 'x' } })).toBe(restoreWorkflowId(base));
  });
});
