import { FAMILY_NAMES } from './op-family.js';
import type { CaseReport, ConformanceBackend, Outcome } from './run-case.js';
import { SCOPE_REASONS, type ScopeReason } from './scope.js';

/** A markdown table cell: pipes escaped, newlines flattened. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  // Count columns are right-aligned, text columns left-aligned.
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((row) => typeof row[i] === 'number'));
  const lines = [`| ${header.join(' | ')} |`, `| ${numeric.map((n) => (n ? '---:' : '---')).join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.map((c) => cell(String(c))).join(' | ')} |`);
  return lines.join('\n');
}

/** An in-scope test is supported when it imports: no UnsupportedOpError on the first backend. */
function supported(report: CaseReport, backends: readonly ConformanceBackend[]): boolean {
  const first = report.outcomes[backends[0]!];
  return first !== undefined && first.kind !== 'unsupported';
}

function passes(report: CaseReport, backend: ConformanceBackend): boolean {
  return report.outcomes[backend]?.kind === 'pass';
}

/** Per op family: tests, float32 tests, in scope, supported, passing per backend. */
export function familyTable(reports: readonly CaseReport[], backends: readonly ConformanceBackend[]): string {
  const rows = [...FAMILY_NAMES, 'all'].map((family) => {
    const of = family === 'all' ? reports : reports.filter((r) => r.family === family);
    const inScope = of.filter((r) => r.scope === undefined);
    return [
      family === 'all' ? '**all**' : family,
      of.length,
      of.filter((r) => r.allFloat32).length,
      inScope.length,
      inScope.filter((r) => supported(r, backends)).length,
      ...backends.map((b) => inScope.filter((r) => passes(r, b)).length),
    ];
  });
  return table(
    ['op family', 'tests', 'all float32', 'in scope', 'supported', ...backends.map((b) => `passing (${b})`)],
    rows.filter((row) => row[1] !== 0),
  );
}

/** Out-of-scope tests grouped by reason, every test named. */
export function scopeTable(reports: readonly CaseReport[]): string {
  const rows = (Object.keys(SCOPE_REASONS) as ScopeReason[]).map((reason) => {
    const names = reports.filter((r) => r.scope === reason).map((r) => r.name);
    return [reason, SCOPE_REASONS[reason], names.length, names.join(', ')];
  });
  return table(['reason', 'what it covers', 'tests', 'which'], rows);
}

function describe(outcome: Outcome | undefined): string {
  if (outcome === undefined) return 'not run';
  switch (outcome.kind) {
    case 'pass':
      return 'pass';
    case 'typed-error':
      return `${outcome.errorName}: ${outcome.message}`;
    default:
      return `${outcome.kind}: ${outcome.message}`;
  }
}

/** Short form of a long message for a table cell. */
function clip(text: string, max = 220): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** In-scope tests that do not pass on some backend, grouped by outcome kind: unsupported first. */
export function gapsTable(reports: readonly CaseReport[], backends: readonly ConformanceBackend[]): string {
  const rows = reports
    .filter((r) => r.scope === undefined && backends.some((b) => !passes(r, b)))
    .map((r) => {
      const outcomes = backends.map((b) => r.outcomes[b]);
      const kinds = [...new Set(outcomes.map((o) => o?.kind ?? 'not run'))].join(' / ');
      const detail = backends
        .filter((b) => !passes(r, b))
        .map((b) => describe(r.outcomes[b]))
        .filter((d, i, all) => all.indexOf(d) === i)
        .join(' ‖ ');
      return [r.name, r.family, kinds, clip(detail.replace(/ See the table of supported ops.*$/, ''))];
    })
    .sort((a, b) => a[2]!.localeCompare(b[2]!) || a[1]!.localeCompare(b[1]!) || a[0]!.localeCompare(b[0]!));
  return table(['test', 'op family', 'outcome', 'first problem'], rows);
}

/** Counts of outcome kinds for in-scope tests, per backend: the one-line summary. */
export function summaryLine(reports: readonly CaseReport[], backends: readonly ConformanceBackend[]): string {
  const inScope = reports.filter((r) => r.scope === undefined);
  const parts = backends.map((b) => {
    const counts = new Map<string, number>();
    for (const r of inScope) {
      const kind = r.outcomes[b]?.kind ?? 'not run';
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    return `${b}: ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}`;
  });
  return `${reports.length} tests, ${inScope.length} in scope. ${parts.join('; ')}.`;
}
