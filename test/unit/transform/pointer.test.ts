// JSON Pointer escaping (annotation keys carry '/' and sometimes '~') and reading values by path.
import { describe, expect, it } from 'vitest';
import { pointer, type Segment, valueAt } from '../../../activities/transform/pointer.js';
import { claim, service } from './fixtures.js';

describe('pointer', () => {
  const cases: [Segment[], string][] = [
    [[], ''],
    [['status'], '/status'],
    [['spec', 'ports', 0, 'nodePort'], '/spec/ports/0/nodePort'],
    [['metadata', 'annotations', 'pv.kubernetes.io/bind-completed'], '/metadata/annotations/pv.kubernetes.io~1bind-completed'],
    [['metadata', 'labels', 'a~b/c'], '/metadata/labels/a~0b~1c'],
    [['metadata', 'labels', '~1'], '/metadata/labels/~01'],
    [['metadata', 'labels', ''], '/metadata/labels/'],
  ];
  it.each(cases)('%j → %s', (segments, expected) => {
    expect(pointer(...segments)).toBe(expected);
  });
});

describe('valueAt', () => {
  const cases: [unknown, Segment[], unknown][] = [
    [claim, ['metadata', 'annotations', 'pv.kubernetes.io/bind-completed'], 'yes'],
    [claim, ['spec', 'accessModes', 0], 'ReadWriteOnce'],
    [service, ['spec', 'ports', 0, 'port'], 80],
    [service, ['spec', 'ports', 5, 'port'], undefined],
    [service, ['spec', 'ports', 'length'], undefined],
    [service, ['metadata', 'constructor'], undefined],
    [service, ['spec', 'type', 'x'], undefined],
    [null, ['a'], undefined],
  ];
  it.each(cases)('%#', (root, segments, expected) => {
    expect(valueAt(root, segments)).toEqual(expected);
  });
});
