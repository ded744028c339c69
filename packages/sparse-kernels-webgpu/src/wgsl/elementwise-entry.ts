import { u32Literal } from './literals.js';

/** Threads per workgroup of every one-thread-per-element kernel. */
export const WORKGROUP_SIZE = 64;

/** The most workgroups one dispatch dimension may hold (WebGPU's default limit). */
export const MAX_GROUPS_PER_DIMENSION = 65535;

/** Workgroups along x and y for `threads` threads: 2-D once x would exceed the per-dimension limit. */
export function dispatchSize(threads: number): [number, number] {
  const groups = Math.ceil(threads / WORKGROUP_SIZE);
  if (groups <= MAX_GROUPS_PER_DIMENSION) return [Math.max(groups, 1), 1];
  return [MAX_GROUPS_PER_DIMENSION, Math.ceil(groups / MAX_GROUPS_PER_DIMENSION)];
}

/**
 * The entry point of a kernel that runs one thread per element of an output of `total` elements:
 * declares `i` (the element) and returns early past the end. `body` is the rest of the function.
 */
export function elementwiseEntry(total: number, body: string): string {
  return `
@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = gid.x + gid.y * groups.x * ${u32Literal(WORKGROUP_SIZE)};
  if (i >= ${u32Literal(total)}) { return; }
${body}
}
`;
}
