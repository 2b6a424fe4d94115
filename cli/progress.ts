// Pure rendering of a campaign's progress and summary for a terminal.
import type { AppPhase, CampaignResult, CampaignStatus } from '../workflows/types.js';

const order: AppPhase[] = ['Pending', 'Backup', 'Preflight', 'Restore', 'Verify', 'Completed', 'PartiallyFailed', 'Failed'];

export function progressBar(status: CampaignStatus, width = 30): string {
  const total = status.apps.length;
  const done = status.apps.filter((a) => a.phase === 'Completed' || a.phase === 'PartiallyFailed' || a.phase === 'Failed').length;
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  const counts = order
    .map((p) => [p, status.apps.filter((a) => a.phase === p).length] as const)
    .filter(([, n]) => n > 0)
    .map(([p, n]) => `${p} ${n}`)
    .join(' · ');
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} apps  ${status.phase}${counts ? `  (${counts})` : ''}`;
}

export function statusTable(status: CampaignStatus): string {
  const w = Math.max(3, ...status.apps.map((a) => a.id.length));
  const t = Math.max(4, ...status.apps.map((a) => a.team.length));
  const rows = status.apps.map((a) => `${a.id.padEnd(w)}  ${a.team.padEnd(t)}  ${a.phase}${a.error ? `  ${a.error}` : ''}`);
  return [`${'APP'.padEnd(w)}  ${'TEAM'.padEnd(t)}  PHASE`, ...rows].join('\n');
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

export function teamSummary(result: CampaignResult): string {
  const w = Math.max(4, ...result.teams.map((t) => t.team.length));
  const lines = result.teams.map(
    (t) =>
      `${t.team.padEnd(w)}  ${String(t.apps).padStart(4)}  ${String(t.succeeded).padStart(9)}  ${String(t.partiallyFailed).padStart(7)}  ${String(t.failed).padStart(6)}  ${formatBytes(t.bytes).padStart(10)}`,
  );
  const failures = result.apps
    .filter((a) => a.status !== 'Succeeded')
    .flatMap((a) => [
      `  ${a.id} ${a.status}${a.error ? `: ${a.error}` : ''}`,
      ...(a.problems ?? []).slice(0, 10).map((p) => `    ${p.object}: ${p.reason}`),
    ]);
  // a backup that could not see some types is said so even when everything it saw came across
  const warned = result.apps
    .filter((a) => (a.warnings?.length ?? 0) > 0)
    .flatMap((a) => [`  ${a.id}:`, ...(a.warnings ?? []).slice(0, 10).map((w) => `    ${w}`)]);
  return [
    `${'TEAM'.padEnd(w)}  APPS  SUCCEEDED  PARTIAL  FAILED        DATA`,
    ...lines,
    ...(failures.length > 0 ? ['', 'Apps with problems:', ...failures] : []),
    ...(warned.length > 0 ? ['', 'Backups that could not capture everything:', ...warned] : []),
  ].join('\n');
}
