import { readFileSync, readdirSync } from 'node:fs';

/** A process as /proc shows it: state letter (R, S, D, Z, ...) and parent pid. */
export interface ProcEntry {
  readonly pid: number;
  readonly comm: string;
  readonly state: string;
  readonly ppid: number;
}

/** Every process /proc lists now (Linux only). */
export function processTable(): ProcEntry[] {
  const entries: ProcEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const entry = procEntry(Number(name));
    if (entry) entries.push(entry);
  }
  return entries;
}

/** One process from /proc/<pid>/stat, or undefined once it is gone. */
export function procEntry(pid: number): ProcEntry | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // comm is in parentheses and may itself hold spaces or parentheses: split at the last ')'.
  const close = stat.lastIndexOf(')');
  const [state = '?', ppid = '0'] = stat.slice(close + 2).split(' ');
  return { pid, comm: stat.slice(stat.indexOf('(') + 1, close), state, ppid: Number(ppid) };
}

/** Live (not zombie) descendants of `pid`, children first. */
export function liveDescendants(pid: number): ProcEntry[] {
  const table = processTable();
  const found: ProcEntry[] = [];
  let parents = new Set([pid]);
  while (parents.size > 0) {
    const next = table.filter((p) => parents.has(p.ppid) && p.state !== 'Z');
    found.push(...next);
    parents = new Set(next.map((p) => p.pid));
  }
  return found;
}

/**
 * Waits until process `pid` has exited (gone from /proc, or a zombie waiting for its new parent
 * to reap it) and says whether it did within `boundMs`. The bound only keeps a failing test from
 * hanging: a process killed with SIGKILL goes in well under a second.
 */
export async function exitsWithin(pid: number, boundMs: number): Promise<boolean> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const entry = procEntry(pid);
    if (entry === undefined || entry.state === 'Z' || entry.state === 'X') return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
