import { randomInt, type Rng } from '@motiondelta/core';
import { attr, type Attr } from '../helpers/onnx-builder.js';
import { oddInt, singleNode, weight, type BuiltCase, type ConformanceCase } from './case-helpers.js';

interface ConvSpec {
  readonly n?: number;
  readonly h: number;
  readonly w: number;
  readonly cin: number;
  readonly cout: number;
  readonly group?: number;
  readonly kernel: readonly [number, number];
  readonly bias?: boolean;
  readonly attrs: readonly Attr[];
}

function conv(rng: Rng, s: ConvSpec): BuiltCase {
  const group = s.group ?? 1;
  const initializers = [weight(rng, 'w', [s.cout, s.cin / group, ...s.kernel])];
  if (s.bias !== false) initializers.push(weight(rng, 'b', [s.cout]));
  return singleNode(rng, {
    opType: 'Conv',
    runtime: { x: [s.n ?? 1, s.cin, s.h, s.w] },
    nodeInputs: s.bias !== false ? ['x', 'w', 'b'] : ['x', 'w'],
    initializers,
    attrs: [...s.attrs, ...(group > 1 ? [attr.int('group', group)] : [])],
  });
}

function convTranspose(rng: Rng, s: ConvSpec): BuiltCase {
  const group = s.group ?? 1;
  const initializers = [weight(rng, 'w', [s.cin, s.cout / group, ...s.kernel])];
  if (s.bias !== false) initializers.push(weight(rng, 'b', [s.cout]));
  return singleNode(rng, {
    opType: 'ConvTranspose',
    runtime: { x: [s.n ?? 1, s.cin, s.h, s.w] },
    nodeInputs: s.bias !== false ? ['x', 'w', 'b'] : ['x', 'w'],
    initializers,
    attrs: [...s.attrs, ...(group > 1 ? [attr.int('group', group)] : [])],
  });
}

const c = (rng: Rng): number => randomInt(rng, 2, 6);

export const convCases: ConformanceCase[] = [
  {
    name: 'Conv 3x3 pad 1 on odd sizes',
    build: (r) =>
      conv(r, {
        h: oddInt(r, 5, 11),
        w: oddInt(r, 5, 11),
        cin: c(r),
        cout: c(r),
        kernel: [3, 3],
        attrs: [attr.ints('pads', [1, 1, 1, 1])],
      }),
  },
  {
    name: 'Conv 3x3 stride 2 pad 1 on odd input',
    build: (r) =>
      conv(r, {
        h: oddInt(r, 7, 13),
        w: oddInt(r, 7, 13),
        cin: c(r),
        cout: c(r),
        kernel: [3, 3],
        attrs: [attr.ints('strides', [2, 2]), attr.ints('pads', [1, 1, 1, 1])],
      }),
  },
  {
    name: 'Conv 1x3 kernel pads [0,1,0,1]',
    build: (r) =>
      conv(r, {
        h: randomInt(r, 4, 9),
        w: randomInt(r, 4, 9),
        cin: c(r),
        cout: c(r),
        kernel: [1, 3],
        attrs: [attr.ints('pads', [0, 1, 0, 1])],
      }),
  },
  {
    name: 'Conv 3x7 kernel asymmetric pads [1,3,2,0]',
    build: (r) =>
      conv(r, {
        h: randomInt(r, 5, 9),
        w: randomInt(r, 8, 12),
        cin: c(r),
        cout: c(r),
        kernel: [3, 7],
        attrs: [attr.ints('pads', [1, 3, 2, 0])],
      }),
  },
  {
    name: 'Conv 5x5 stride 2 pad 2 padding at every border',
    build: (r) =>
      conv(r, {
        h: oddInt(r, 5, 9),
        w: randomInt(r, 6, 10),
        cin: c(r),
        cout: c(r),
        kernel: [5, 5],
        attrs: [attr.ints('strides', [2, 2]), attr.ints('pads', [2, 2, 2, 2])],
      }),
  },
  {
    name: 'Conv 7x7 stride 2 pad 3 stem',
    build: (r) =>
      conv(r, {
        h: randomInt(r, 9, 15),
        w: randomInt(r, 9, 15),
        cin: 3,
        cout: c(r),
        kernel: [7, 7],
        attrs: [attr.ints('strides', [2, 2]), attr.ints('pads', [3, 3, 3, 3])],
      }),
  },
  {
    name: 'Conv groups 2',
    build: (r) =>
      conv(r, {
        h: 7,
        w: 6,
        cin: 2 * randomInt(r, 1, 3),
        cout: 2 * randomInt(r, 1, 3),
        group: 2,
        kernel: [3, 3],
        attrs: [attr.ints('pads', [1, 1, 1, 1])],
      }),
  },
  {
    name: 'Conv groups 3 stride 2',
    build: (r) =>
      conv(r, {
        h: 9,
        w: 8,
        cin: 6,
        cout: 3 * randomInt(r, 1, 2),
        group: 3,
        kernel: [3, 3],
        attrs: [attr.ints('strides', [2, 2]), attr.ints('pads', [1, 1, 1, 1])],
      }),
  },
  {
    name: 'Conv depthwise 3x3',
    build: (r) => {
      const ch = randomInt(r, 3, 8);
      return conv(r, {
        h: oddInt(r, 5, 9),
        w: oddInt(r, 5, 9),
        cin: ch,
        cout: ch,
        group: ch,
        kernel: [3, 3],
        attrs: [attr.ints('pads', [1, 1, 1, 1])],
      });
    },
  },
  {
    name: 'Conv depthwise 5x5 stride 2 multiplier 2',
    build: (r) => {
      const ch = randomInt(r, 2, 5);
      return conv(r, {
        h: oddInt(r, 7, 11),
        w: oddInt(r, 7, 11),
        cin: ch,
        cout: 2 * ch,
        group: ch,
        kernel: [5, 5],
        attrs: [attr.ints('strides', [2, 2]), attr.ints('pads', [2, 2, 2, 2])],
      });
    },
  },
  {
    name: 'Conv dilation 2',
    build: (r) =>
      conv(r, {
        h: randomInt(r, 7, 11),
        w: randomInt(r, 7, 11),
        cin: c(r),
        cout: c(r),
        kernel: [3, 3],
        attrs: [attr.ints('dilations', [2, 2]), attr.ints('pads', [2, 2, 2, 2])],
      }),
  },
  {
    name: 'Conv dilation [2,1] stride [1,2]',
    build: (r) =>
      conv(r, {
        h: randomInt(r, 7, 11),
        w: oddInt(r, 7, 11),
        cin: c(r),
        cout: c(r),
        kernel: [3, 3],
        attrs: [attr.ints('dilations', [2, 1]), attr.ints('strides', [1, 2]), attr.ints('pads', [1, 0, 2, 1])],
      }),
  },
  {
    name: 'Conv auto_pad SAME_UPPER stride 2 on odd input',
    build: (r) =>
      conv(r, {
        h: oddInt(r, 5, 11),
        w: oddInt(r, 5, 11),
        cin: c(r),
        cout: c(r),
        kernel: [3, 3],
        attrs: [attr.string('auto_pad', 'SAME_UPPER'), attr.ints('strides', [2, 2])],
      }),
  },
  {
    name: 'Conv auto_pad SAME_LOWER stride 2 kernel 4',
    build: (r) =>
      conv(r, {
        h: oddInt(r, 5, 11),
        w: randomInt(r, 5, 10),
        cin: c(r),
        cout: c(r),
        kernel: [4, 4],
        attrs: [attr.string('auto_pad', 'SAME_LOWER'), attr.ints('strides', [2, 2])],
      }),
  },
  {
    name: 'Conv auto_pad VALID stride 2',
    build: (r) =>
      conv(r, {
        h: oddInt(r, 5, 11),
        w: randomInt(r, 5, 10),
        cin: c(r),
        cout: c(r),
        kernel: [3, 3],
        attrs: [attr.string('auto_pad', 'VALID'), attr.ints('strides', [2, 2])],
      }),
  },
  {
    name: 'Conv 1x1 without bias',
    build: (r) => conv(r, { h: randomInt(r, 3, 8), w: randomInt(r, 3, 8), cin: c(r), cout: c(r), kernel: [1, 1], bias: false, attrs: [] }),
  },
  {
    name: 'Conv batch 2 with kernel_shape attribute',
    build: (r) =>
      conv(r, {
        n: 2,
        h: 6,
        w: 5,
        cin: c(r),
        cout: c(r),
        kernel: [3, 3],
        attrs: [attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1])],
      }),
  },

  {
    name: 'ConvTranspose 3x3 stride 2 pad 1 output_padding 1',
    build: (r) =>
      convTranspose(r, {
        h: randomInt(r, 3, 6),
        w: randomInt(r, 3, 6),
        cin: c(r),
        cout: c(r),
        kernel: [3, 3],
        attrs: [attr.ints('strides', [2, 2]), attr.ints('pads', [1, 1, 1, 1]), attr.ints('output_padding', [1, 1])],
      }),
  },
  {
    name: 'ConvTranspose 2x2 stride 2 groups 2',
    build: (r) =>
      convTranspose(r, {
        h: randomInt(r, 3, 6),
        w: randomInt(r, 3, 6),
        cin: 4,
        cout: 2 * randomInt(r, 1, 3),
        group: 2,
        kernel: [2, 2],
        attrs: [attr.ints('strides', [2, 2])],
      }),
  },
  {
    name: 'ConvTranspose 4x4 stride 2 pad 1 no bias',
    build: (r) =>
      convTranspose(r, {
        h: randomInt(r, 3, 6),
        w: randomInt(r, 3, 6),
        cin: c(r),
        cout: c(r),
        kernel: [4, 4],
        bias: false,
        attrs: [attr.ints('strides', [2, 2]), attr.ints('pads', [1, 1, 1, 1])],
      }),
  },
  {
    name: 'ConvTranspose depthwise 3x3 stride 2',
    build: (r) => {
      const ch = randomInt(r, 2, 5);
      return convTranspose(r, {
        h: 4,
        w: 5,
        cin: ch,
        cout: ch,
        group: ch,
        kernel: [3, 3],
        attrs: [attr.ints('strides', [2, 2]), attr.ints('pads', [1, 0, 1, 2])],
      });
    },
  },
  {
    name: 'ConvTranspose 3x3 dilation 2 asymmetric pads',
    build: (r) =>
      convTranspose(r, {
        h: randomInt(r, 3, 6),
        w: randomInt(r, 3, 6),
        cin: c(r),
        cout: c(r),
        kernel: [3, 3],
        attrs: [attr.ints('dilations', [2, 2]), attr.ints('pads', [0, 1, 2, 1])],
      }),
  },
  {
    name: 'ConvTranspose 1x3 stride [1,2] output_padding [0,1]',
    build: (r) =>
      convTranspose(r, {
        h: randomInt(r, 3, 6),
        w: randomInt(r, 3, 6),
        cin: c(r),
        cout: c(r),
        kernel: [1, 3],
        attrs: [attr.ints('strides', [1, 2]), attr.ints('output_padding', [0, 1])],
      }),
  },
  {
    name: 'ConvTranspose auto_pad SAME_UPPER stride 2 kernel 3',
    build: (r) =>
      convTranspose(r, {
        h: randomInt(r, 3, 6),
        w: randomInt(r, 3, 6),
        cin: c(r),
        cout: c(r),
        kernel: [3, 3],
        attrs: [attr.string('auto_pad', 'SAME_UPPER'), attr.ints('strides', [2, 2])],
      }),
  },
  {
    name: 'ConvTranspose auto_pad SAME_LOWER stride 2 kernel 4',
    build: (r) =>
      convTranspose(r, {
        h: randomInt(r, 3, 6),
        w: randomInt(r, 3, 6),
        cin: c(r),
        cout: c(r),
        kernel: [4, 4],
        attrs: [attr.string('auto_pad', 'SAME_LOWER'), attr.ints('strides', [2, 2])],
      }),
  },
  {
    name: 'ConvTranspose output_shape',
    build: (r) => {
      const h = randomInt(r, 3, 6);
      const w = randomInt(r, 3, 6);
      return convTranspose(r, {
        h,
        w,
        cin: c(r),
        cout: c(r),
        kernel: [3, 3],
        attrs: [attr.ints('strides', [2, 2]), attr.ints('output_shape', [2 * h, 2 * w - 1])],
      });
    },
  },
];
