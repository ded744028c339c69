#!/usr/bin/env node
import { Command } from 'commander';
import { registerBlockCommand } from './block/command.js';
import { registerHomographyCommand } from './homography/command.js';
import { registerKernelsCommand } from './kernels/command.js';
import { registerModelsCommand } from './models/command.js';
import { registerMotionCommand } from './motion/command.js';

/**
 * `pnpm bench <suite>`: each benchmark suite registers one subcommand here. Results are ratios
 * against the alternative measured in the same run, written as JSON and as Markdown for
 * docs/BENCHMARKS.md.
 */
const program = new Command('motiondelta-bench').description('MotionDelta benchmarks against the dense engines users would pick instead.');

// Suites register themselves below, one line each.
registerBlockCommand(program);
registerHomographyCommand(program);
registerKernelsCommand(program);
registerModelsCommand(program);
registerMotionCommand(program);

await program.parseAsync();
