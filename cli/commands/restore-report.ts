// `ferry restore report STORE KEY`: a stored restore report as a person reads it, one line per object
// with what the restore did to it and the transforms that changed it.

import { type RestoreReport, readRestoreReport } from '../../activities/restore/restore-report.js';
import { openStore } from '../../activities/stores/open-store.js';
import type { ObjectId } from '../../activities/transform/runner.js';
import type { Io } from '../io.js';
import { UsageError } from './usage-error.js';

const nameOf = (o: ObjectId) => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;

function columns(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
}

/** The report as lines: a header, one row per object in the order applied, then dropped objects. Pure. */
export function restoreReportTable(report: RestoreReport): string[] {
  const c = report.counts;
  const lines = [
    `restore ${report.restoreId}: ${report.app.id} backup ${report.backupId} from ${report.source} onto ${report.target}`,
    `mode ${report.mode}, existing objects ${report.existingObjects}, existing namespaces ${report.existingNamespaces}; ${report.startedAt} – ${report.finishedAt}`,
    `${c.objects} objects: ${c.created} created, ${c.changed} changed, ${c.unchanged} unchanged, ${c.skipped} skipped, ${c.failed} failed; ${c.dropped} dropped`,
    '',
  ];
  const rows = [
    ['ACTION', 'OBJECT', 'BACKED UP AS', 'TRANSFORMS', 'REASON'],
    ...report.objects.map((o) => [
      o.action,
      nameOf(o),
      o.backedUpAs ? nameOf(o.backedUpAs) : '',
      o.transforms.map((t) => (t.reason ? `${t.name} (${t.reason})` : t.name)).join('; '),
      [o.reason ?? '', o.paths?.length ? `fields: ${o.paths.slice(0, 8).join(', ')}${o.paths.length > 8 ? ', …' : ''}` : '']
        .filter(Boolean)
        .join('; '),
    ]),
  ];
  lines.push(...columns(rows));
  if (report.dropped.length > 0) {
    lines.push('', 'dropped:');
    for (const d of report.dropped) lines.push(`  ${nameOf({ apiVersion: d.apiVersion ?? '', ...d })}: ${d.transform}: ${d.reason}`);
  }
  return lines;
}

export async function runRestoreReport(args: readonly string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const [storeUrl, key, ...extra] = args;
  if (!storeUrl || !key || extra.length > 0) throw new UsageError('restore report: expected STORE-URL KEY');
  const report = await readRestoreReport(openStore(storeUrl, { env }), key);
  for (const line of restoreReportTable(report)) io.out(line);
  return report.counts.failed === 0 ? 0 : 1;
}
