import { u32Literal as u } from './literals.js';

/**
 * WGSL that splits the flat output index `i` of a tensor of shape `outShape` into coordinates and
 * accumulates, for each operand, `off<k> = sum over axes of coord * strides[k][axis]` (strides of
 * 0 broadcast). Unrolled over the axes, with every size baked in.
 */
export function stridedOffsets(outShape: readonly number[], strides: readonly (readonly number[])[]): string {
  const lines = ['  var rem = i;'];
  strides.forEach((_, k) => lines.push(`  var off${k} = 0u;`));
  for (let axis = outShape.length - 1; axis >= 0; axis--) {
    const d = outShape[axis]!;
    if (strides.every((s) => s[axis] === 0)) {
      lines.push(`  rem = rem / ${u(d)};`);
      continue;
    }
    lines.push(`  { let c = rem % ${u(d)}; rem = rem / ${u(d)};`);
    strides.forEach((s, k) => {
      if (s[axis] !== 0) lines.push(`    off${k} += c * ${u(s[axis]!)};`);
    });
    lines.push('  }');
  }
  return lines.join('\n');
}

/** Row-major strides of a shape. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(0);
  let s = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = s;
    s *= shape[axis]!;
  }
  return strides;
}
