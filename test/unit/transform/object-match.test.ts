// Object matchers: each field narrows, globs on names, label selectors on the object's labels.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../activities/kube/object.js';
import {
  compileMatcher,
  globMatches,
  InvalidObjectMatcher,
  matchesObject,
  type ObjectMatcherSpec,
} from '../../../activities/transform/object-match.js';
import { configMap, deployment, statefulSet } from './fixtures.js';

describe('matchesObject', () => {
  const cases: [string, ObjectMatcherSpec, KubeObject, boolean][] = [
    ['the empty matcher matches all', {}, configMap, true],
    ['group and kind', { group: 'apps', kind: 'Deployment' }, deployment, true],
    ['the core group is ""', { group: '' }, configMap, true],
    ['another group', { group: '' }, deployment, false],
    ['kind only, any group', { kind: 'StatefulSet' }, statefulSet, true],
    ['name glob', { name: 'check*' }, deployment, true],
    ['name glob with ?', { name: 'ledger-d?' }, statefulSet, true],
    ['name glob anchored', { name: 'out' }, deployment, false],
    ['label selector', { labelSelector: 'app=checkout,team in (payments)' }, deployment, true],
    ['label selector not matching', { labelSelector: 'team=search' }, deployment, false],
    ['all fields must match', { kind: 'Deployment', labelSelector: 'app=ledger-db' }, deployment, false],
  ];
  it.each(cases)('%s', (_, spec, obj, matches) => {
    expect(matchesObject(compileMatcher(spec), obj)).toBe(matches);
  });

  it('treats glob metacharacters of regular expressions literally', () => {
    expect(globMatches('a.b', 'a.b')).toBe(true);
    expect(globMatches('a.b', 'axb')).toBe(false);
  });

  it('refuses a selector that does not parse', () => {
    expect(() => compileMatcher({ labelSelector: 'team in (' })).toThrow(InvalidObjectMatcher);
  });
});
