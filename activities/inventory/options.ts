// What an inventory looks at: namespaces (globs, system namespaces, a label selector), apps (a label selector),
// resource types, where teams and Helm 2 records are found, and how hard to press the API server. Pure.
import type { CampaignSelection } from '../../config/campaign.js';
import { matchesNamespace } from '../../config/campaign.js';
import { type LabelSelector, matchesLabelSelector, parseLabelSelector } from '../../config/label-selector.js';
import type { Selection } from '../../workflows/types.js';
import type { ResourceType } from '../kube/cluster.js';
import { uncapturedTypes } from './capture.js';

export interface InventoryOptions {
  /** Namespace globs (`*`, `?`) to inventory. */
  readonly includeNamespaces: readonly string[];
  /** Namespace globs never inventoried, winning over includes. */
  readonly excludeNamespaces: readonly string[];
  /** Namespaces of the platform itself, excluded unless includeSystemNamespaces. */
  readonly systemNamespaces: readonly string[];
  readonly includeSystemNamespaces: boolean;
  /** Label selector the Namespace objects must match. */
  readonly namespaceSelector?: string;
  /** Label selector at least one of an app's objects must match for the app to be kept. */
  readonly appSelector?: string;
  /** Types to list (`plural`, `plural.group`, `Kind`, `Kind.group`); empty: every type. */
  readonly includeTypes: readonly string[];
  /** Types never listed, in addition to the ones that never describe an app (events, leases). */
  readonly excludeTypes: readonly string[];
  /** Label or annotation keys naming an object's team, first match wins; then the same keys on its namespace. */
  readonly teamKeys: readonly string[];
  /** Where Tiller (Helm 2) keeps its release records. */
  readonly tillerNamespace: string;
  /** Types listed at once. */
  readonly concurrency: number;
  readonly pageSize: number;
}

export const DEFAULT_SYSTEM_NAMESPACES: readonly string[] = ['kube-node-lease', 'kube-public', 'kube-system'];
export const DEFAULT_TEAM_KEYS: readonly string[] = ['ferry.dev/team', 'team', 'app.kubernetes.io/team', 'owner'];

export const defaultInventoryOptions: InventoryOptions = {
  includeNamespaces: ['*'],
  excludeNamespaces: [],
  systemNamespaces: DEFAULT_SYSTEM_NAMESPACES,
  includeSystemNamespaces: false,
  includeTypes: [],
  excludeTypes: [],
  teamKeys: DEFAULT_TEAM_KEYS,
  tillerNamespace: 'kube-system',
  concurrency: 16,
  pageSize: 500,
};

export class InvalidInventoryOption extends Error {
  constructor(
    readonly option: string,
    problem: string,
  ) {
    super(`${option}: ${problem}`);
    this.name = 'InvalidInventoryOption';
  }
}

/** A campaign's selection as inventory options: its label selector selects namespaces, as it always has. */
export function optionsFromSelection(selection: Selection): InventoryOptions {
  return {
    ...defaultInventoryOptions,
    includeNamespaces: selection.includeNamespaces,
    excludeNamespaces: selection.excludeNamespaces,
    namespaceSelector: selection.labelSelector,
  };
}

function selector(option: string, text: string | undefined): LabelSelector | undefined {
  if (text === undefined) return undefined;
  const parsed = parseLabelSelector(text);
  if (!parsed.ok) throw new InvalidInventoryOption(option, `at character ${parsed.offset + 1}: ${parsed.message}`);
  return parsed.selector;
}

/**
 * The options' predicates, checked once (bad selectors, concurrency) before anything is listed. Methods, not
 * closures: an inventory's hot code calls them for every object, and optimized code that called one inventory's
 * closure would be thrown away at the next inventory's (a closure is a new function each time).
 */
export class CompiledOptions {
  private readonly selection: CampaignSelection;
  private readonly nsSelector: LabelSelector | undefined;
  private readonly appSelector: LabelSelector | undefined;
  // asked once per listed object: the answer per namespace is kept (glob matching compiles regular expressions)
  private readonly byName = new Map<string, boolean>();

  constructor(readonly options: InventoryOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1 || options.concurrency > 128) {
      throw new InvalidInventoryOption('concurrency', `must be a whole number from 1 to 128 (got ${options.concurrency})`);
    }
    if (!Number.isInteger(options.pageSize) || options.pageSize < 1) {
      throw new InvalidInventoryOption('pageSize', `must be a positive whole number (got ${options.pageSize})`);
    }
    for (const [option, globs] of [
      ['includeNamespaces', options.includeNamespaces],
      ['excludeNamespaces', options.excludeNamespaces],
    ] as const) {
      const bad = globs.find((g) => !/^[a-z0-9*?-]+$/.test(g));
      if (bad !== undefined)
        throw new InvalidInventoryOption(option, `"${bad}" is not a namespace glob (lowercase letters, digits, '-', '*', '?')`);
    }
    this.nsSelector = selector('namespaceSelector', options.namespaceSelector);
    this.appSelector = selector('appSelector', options.appSelector);
    this.selection = {
      includeNamespaces: [...options.includeNamespaces],
      excludeNamespaces: [...options.excludeNamespaces, ...(options.includeSystemNamespaces ? [] : options.systemNamespaces)],
    };
  }

  /** By name alone; the namespace selector needs the Namespace object (namespaceLabelsMatch). */
  namespaceNameSelected(ns: string): boolean {
    let selected = this.byName.get(ns);
    if (selected === undefined) {
      selected = matchesNamespace(this.selection, ns);
      this.byName.set(ns, selected);
    }
    return selected;
  }

  namespaceLabelsMatch(labels: Readonly<Record<string, string>> | undefined): boolean {
    return !this.nsSelector || matchesLabelSelector(this.nsSelector, labels);
  }

  /** Whether an app with these labels is kept: always, without an app selector. */
  appLabelsMatch(labels: Readonly<Record<string, string>> | undefined): boolean {
    return !this.appSelector || matchesLabelSelector(this.appSelector, labels);
  }

  get hasAppSelector(): boolean {
    return this.appSelector !== undefined;
  }

  typeSelected(t: ResourceType): boolean {
    const { options } = this;
    return (
      t.verbs.includes('list') &&
      // the Namespace objects decide which namespaces are selected and carry their teams: always listed
      ((t.group === '' && t.kind === 'Namespace') ||
        (!uncapturedTypes.some((u) => u.group === t.group && u.kind === t.kind) &&
          !matchesType(options.excludeTypes, t) &&
          (options.includeTypes.length === 0 || matchesType(options.includeTypes, t))))
    );
  }
}

const matchesType = (patterns: readonly string[], t: ResourceType) =>
  patterns.some((p) => {
    const [name, ...rest] = p.split('.');
    const group = rest.join('.');
    return (name === t.plural || name.toLowerCase() === t.kind.toLowerCase()) && (rest.length === 0 || group === t.group);
  });

/** Throws InvalidInventoryOption for options that do not compile. */
export function compileOptions(options: InventoryOptions): CompiledOptions {
  return new CompiledOptions(options);
}
