/** Library surface of the benchmark suites (the `bench` command is in cli.ts). */
export * from './models/index.js';
