// Table tests of the label selector grammar (the apiserver's) and of matching, including NotIn on absent keys.
import { describe, expect, it } from 'vitest';
import { type LabelSelector, matchesLabelSelector, parseLabelSelector } from '../../../config/label-selector.js';

describe('parseLabelSelector', () => {
  const valid: [string, LabelSelector][] = [
    ['', []],
    ['  ', []],
    ['team', [{ key: 'team', operator: 'Exists', values: [] }]],
    ['!legacy', [{ key: 'legacy', operator: 'DoesNotExist', values: [] }]],
    ['tier=web', [{ key: 'tier', operator: 'In', values: ['web'] }]],
    ['tier==web', [{ key: 'tier', operator: 'In', values: ['web'] }]],
    ['tier!=web', [{ key: 'tier', operator: 'NotIn', values: ['web'] }]],
    ['tier=', [{ key: 'tier', operator: 'In', values: [''] }]],
    ['team in (payments,search)', [{ key: 'team', operator: 'In', values: ['payments', 'search'] }]],
    ['team in ( search , payments, search )', [{ key: 'team', operator: 'In', values: ['payments', 'search'] }]],
    ['env notin (dev)', [{ key: 'env', operator: 'NotIn', values: ['dev'] }]],
    [
      'app.kubernetes.io/part-of=shop, !ferry.dev/skip,release in (v1.2_a)',
      [
        { key: 'app.kubernetes.io/part-of', operator: 'In', values: ['shop'] },
        { key: 'ferry.dev/skip', operator: 'DoesNotExist', values: [] },
        { key: 'release', operator: 'In', values: ['v1.2_a'] },
      ],
    ],
  ];
  it.each(valid)('parses %j', (text, selector) => {
    expect(parseLabelSelector(text)).toEqual({ ok: true, selector });
  });

  const invalid: [string, number, RegExp][] = [
    ['team in ()', 5, /at least one value/],
    ['team in (a', 10, /expected '\)'/],
    ['team in a', 8, /expected '\('/],
    ['team=a b', 7, /expected ',' or end/],
    [',team', 0, /expected a label key/],
    ['team,', 5, /expected a label key/],
    ['in=x', 0, /expected a label key, found 'in'/],
    ['replicas>2', 8, /node selectors/],
    ['Bad_Prefix.io/x=y', 0, /prefix/],
    ['-team=x', 0, /label key "-team"/],
    ['team=-x', 5, /label value "-x"/],
    [`team=${'a'.repeat(64)}`, 5, /at most 63/],
    ['team=a=b', 6, /expected ',' or end/],
  ];
  it.each(invalid)('rejects %j at offset %i', (text, offset, message) => {
    const parsed = parseLabelSelector(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.offset).toBe(offset);
      expect(parsed.message).toMatch(message);
    }
  });
});

describe('matchesLabelSelector', () => {
  const labels = { team: 'payments', tier: 'web', 'app.kubernetes.io/name': 'checkout' };
  const cases: [string, Record<string, string> | undefined, boolean][] = [
    ['', undefined, true],
    ['team', labels, true],
    ['team', undefined, false],
    ['!team', labels, false],
    ['!owner', labels, true],
    ['team=payments', labels, true],
    ['team==search', labels, false],
    ['team!=search', labels, true],
    ['owner!=search', labels, true],
    ['team in (payments,search)', labels, true],
    ['team in (search)', labels, false],
    ['owner in (search)', labels, false],
    ['team notin (payments)', labels, false],
    ['owner notin (payments)', labels, true],
    ['team=payments,tier=db', labels, false],
    ['team=payments,app.kubernetes.io/name=checkout', labels, true],
    ['toString', {}, false],
  ];
  it.each(cases)('%j on %j is %s', (text, on, expected) => {
    const parsed = parseLabelSelector(text);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(matchesLabelSelector(parsed.selector, on)).toBe(expected);
  });
});
