#!/usr/bin/env node
import { runCli } from './cli-main.js';
import { stopOnSignals } from './signals.js';

const io = { stdout: process.stdout, stderr: process.stderr };
stopOnSignals(io);
process.exitCode = await runCli(process.argv.slice(2), io);
