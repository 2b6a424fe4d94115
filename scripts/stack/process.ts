// Starting, finding and stopping the stack's own processes, by pid file, and nothing else.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StackPaths } from './paths.js';
import { waitFor } from './wait.js';

export interface ProcessSpec {
  /** Unique name: pid file and log file are named after it. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

interface PidRecord {
  pid: number;
  /** Start time in clock ticks since boot (/proc/<pid>/stat field 22): a reused pid has another. */
  startTime: string;
}

function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the command name, which is in parentheses and may itself hold spaces
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return undefined;
    return fields[19];
  } catch {
    return undefined;
  }
}

export function logPath(paths: StackPaths, name: string): string {
  return join(paths.logs, `${name}.log`);
}

function pidPath(paths: StackPaths, name: string): string {
  return join(paths.pids, `${name}.json`);
}

/** The pid is ours only while it is alive with the start time we recorded (pids get reused). */
function isOurs(rec: PidRecord): boolean {
  return startTimeOf(rec.pid) === rec.startTime;
}

export function runningPid(paths: StackPaths, name: string): number | undefined {
  const file = pidPath(paths, name);
  if (!existsSync(file)) return undefined;
  try {
    const rec = JSON.parse(readFileSync(file, 'utf8')) as PidRecord;
    return isOurs(rec) ? rec.pid : undefined;
  } catch {
    return undefined;
  }
}

export function start(paths: StackPaths, spec: ProcessSpec): number {
  mkdirSync(paths.logs, { recursive: true });
  mkdirSync(paths.pids, { recursive: true });
  const log = openSync(logPath(paths, spec.name), 'a');
  try {
    const child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      detached: true, // own process group: `down` stops the whole group, the tool's children too
      stdio: ['ignore', log, log],
    });
    if (child.pid === undefined) throw new Error(`${spec.name}: could not start ${spec.command}`);
    child.unref();
    const startTime = startTimeOf(child.pid);
    if (startTime === undefined) throw new Error(`${spec.name}: ${spec.command} exited at once; see ${logPath(paths, spec.name)}`);
    const rec: PidRecord = { pid: child.pid, startTime };
    writeFileSync(pidPath(paths, spec.name), JSON.stringify(rec));
    return child.pid;
  } finally {
    closeSync(log);
  }
}

export function alive(pid: number): boolean {
  return startTimeOf(pid) !== undefined;
}

/** Stops the process group started under `name`; true if something was stopped. */
export async function stop(paths: StackPaths, name: string, graceMs = 10_000): Promise<boolean> {
  const pid = runningPid(paths, name);
  rmSync(pidPath(paths, name), { force: true });
  if (pid === undefined) return false;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        // already gone
      }
    }
  };
  signal('SIGTERM');
  try {
    await waitFor(`${name} to exit`, async () => !alive(pid), { timeoutMs: graceMs });
  } catch {
    signal('SIGKILL');
    await waitFor(`${name} to exit after SIGKILL`, async () => !alive(pid), { timeoutMs: 5_000 });
  }
  return true;
}

export function tailLog(paths: StackPaths, name: string, lines = 20): string {
  return tailFile(logPath(paths, name), lines);
}

export function tailFile(file: string, lines = 20): string {
  try {
    const text = readFileSync(file, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
