#!/usr/bin/env node
import { writeFile } from 'node:fs/promises';
import { CONFORMANCE_BACKENDS, type ConformanceBackend } from './run-case.js';
import { runCorpus } from './run-corpus.js';
import { familyTable, gapsTable, scopeTable, summaryLine } from './tables.js';

const USAGE = `usage: motiondelta-onnx-conformance [--backend reference,cpu-native] [--filter <regex>] [--json <file>]

Runs the ONNX backend tests (libonnx-testdata 1.12.0, fetched into the data cache) through
MotionDelta's importer and dense sessions, and prints the coverage tables as markdown.`;

function parseArgs(argv: readonly string[]): { backends: ConformanceBackend[]; filter?: RegExp; json?: string } {
  let backends: ConformanceBackend[] = [...CONFORMANCE_BACKENDS];
  let filter: RegExp | undefined;
  let json: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    if (value === undefined) throw new Error(`${arg ?? ''} needs a value\n${USAGE}`);
    i += 1;
    if (arg === '--backend') {
      backends = value.split(',').map((b) => {
        if (!(CONFORMANCE_BACKENDS as readonly string[]).includes(b)) {
          throw new Error(`unknown backend '${b}'; accepted: ${CONFORMANCE_BACKENDS.join(', ')}`);
        }
        return b as ConformanceBackend;
      });
    } else if (arg === '--filter') filter = new RegExp(value);
    else if (arg === '--json') json = value;
    else throw new Error(`unknown option '${arg}'\n${USAGE}`);
  }
  return { backends, ...(filter ? { filter } : {}), ...(json !== undefined ? { json } : {}) };
}

try {
  const options = parseArgs(process.argv.slice(2));
  const reports = await runCorpus({
    backends: options.backends,
    ...(options.filter ? { filter: options.filter } : {}),
    onCase: (_report, done, total) => {
      if (process.stderr.isTTY) process.stderr.write(`\r${done}/${total}`);
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  if (options.json !== undefined) await writeFile(options.json, JSON.stringify(reports, null, 1));
  const out = [
    summaryLine(reports, options.backends),
    '### Per op family',
    familyTable(reports, options.backends),
    '### Out of scope',
    scopeTable(reports),
    '### In scope, not passing',
    gapsTable(reports, options.backends),
  ];
  process.stdout.write(`${out.join('\n\n')}\n`);
} catch (error) {
  process.stderr.write(`motiondelta-onnx-conformance: ${(error as Error).message}\n`);
  process.exit(1);
}
