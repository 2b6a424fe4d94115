// The Temporal dev server (temporal CLI), with its SQLite file in the stack's state and Ferry's
// search attributes registered at start.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ok } from '../https-probe.js';
import { host, ports } from '../ports.js';
import type { Service } from '../service.js';
import * as tools from '../tools.js';
import { tcpOpen } from '../wait.js';

/** Registered on the dev server; production namespaces need the same (see README). */
export const searchAttributes = {
  FerryCampaign: 'Keyword',
  FerryApp: 'Keyword',
  FerryTeam: 'Keyword',
  FerryPhase: 'Keyword',
  FerrySource: 'Keyword',
  FerryTarget: 'Keyword',
  FerryStateful: 'Bool',
} as const;

export function temporalService(): Service {
  return {
    name: 'temporal',
    ports: [ports.temporal, ports.temporalUi],
    dependsOn: [],
    readyTimeoutMs: 60_000,
    async spec(paths) {
      const bin = await tools.temporalCli(paths);
      const dir = join(paths.state, 'temporal');
      mkdirSync(dir, { recursive: true });
      return {
        name: 'temporal',
        command: bin,
        args: [
          'server',
          'start-dev',
          `--ip=${host}`,
          `--port=${ports.temporal}`,
          `--ui-port=${ports.temporalUi}`,
          `--db-filename=${join(dir, 'temporal.db')}`,
          '--namespace=default',
          '--log-level=warn',
          ...Object.entries(searchAttributes)
            .sort(([a], [b]) => a.localeCompare(b))
            .flatMap(([k, t]) => ['--search-attribute', `${k}=${t}`]),
        ],
      };
    },
    ready: async () => (await tcpOpen(ports.temporal)) && (await ok(`http://${host}:${ports.temporalUi}/`)),
  };
}
