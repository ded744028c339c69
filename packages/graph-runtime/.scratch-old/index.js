// ../../tmp/oldsrc/packages/graph-runtime/src/load-model.ts
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { ModelFormatError as ModelFormatError17 } from "@motiondelta/core";

// ../../tmp/oldsrc/packages/graph-runtime/src/import/onnx/index.ts
import { ModelFormatError as ModelFormatError5, UnsupportedOpError as UnsupportedOpError15 } from "@motiondelta/core";
import { TensorProto_DataType as TensorProto_DataType2 } from "onnx-buf";

// ../../tmp/oldsrc/packages/graph-runtime/src/ir/graph.ts
function makeNode(name, op, attrs, inputs, outputs) {
  return { name, op, attrs, inputs, outputs };
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/onnx/attributes.ts
import { ModelFormatError } from "@motiondelta/core";
import { AttributeProto_AttributeType } from "onnx-buf";
var utf8 = new TextDecoder();
var NodeAttributes = class {
  constructor(node, where) {
    this.where = where;
    for (const attribute of node.attribute) this.byName.set(attribute.name, attribute);
  }
  byName = /* @__PURE__ */ new Map();
  has(name) {
    return this.byName.has(name);
  }
  names() {
    return [...this.byName.keys()];
  }
  get(name, type) {
    const attribute = this.byName.get(name);
    if (attribute === void 0) return void 0;
    if (attribute.type !== type && attribute.type !== AttributeProto_AttributeType.UNDEFINED) {
      throw new ModelFormatError(
        `${this.where}: attribute '${name}' has type ${AttributeProto_AttributeType[attribute.type]}, expected ${AttributeProto_AttributeType[type]}.`
      );
    }
    return attribute;
  }
  int(name, fallback) {
    const a = this.get(name, AttributeProto_AttributeType.INT);
    return a === void 0 ? fallback : Number(a.i);
  }
  float(name, fallback) {
    const a = this.get(name, AttributeProto_AttributeType.FLOAT);
    return a === void 0 ? fallback : a.f;
  }
  string(name, fallback) {
    const a = this.get(name, AttributeProto_AttributeType.STRING);
    return a === void 0 ? fallback : utf8.decode(a.s);
  }
  ints(name) {
    const a = this.get(name, AttributeProto_AttributeType.INTS);
    return a === void 0 ? void 0 : a.ints.map((v) => Number(v));
  }
  floats(name) {
    const a = this.get(name, AttributeProto_AttributeType.FLOATS);
    return a === void 0 ? void 0 : [...a.floats];
  }
  tensor(name) {
    return this.get(name, AttributeProto_AttributeType.TENSOR)?.t;
  }
};

// ../../tmp/oldsrc/packages/graph-runtime/src/import/onnx/context.ts
import { ModelFormatError as ModelFormatError2, UnsupportedOpError } from "@motiondelta/core";

// ../../tmp/oldsrc/packages/graph-runtime/src/import/onnx/permute.ts
var NCHW_TO_NHWC = [0, 2, 3, 1];
var NHWC_TO_NCHW = [0, 3, 1, 2];
function nhwcAxisOf(axis) {
  const position = NCHW_TO_NHWC.indexOf(axis);
  if (position < 0) throw new RangeError(`axis ${axis} is not an axis of a 4-D tensor`);
  return position;
}
function permuteData(data, dims2, perm) {
  const rank = dims2.length;
  const outDims = perm.map((p) => dims2[p]);
  const inStrides = new Array(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= dims2[i];
  }
  const strideOut = perm.map((p) => inStrides[p]);
  const out = new Float32Array(data.length);
  const index = new Array(rank).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = data[src];
    for (let a = rank - 1; a >= 0; a--) {
      index[a]++;
      src += strideOut[a];
      if (index[a] < outDims[a]) break;
      src -= strideOut[a] * outDims[a];
      index[a] = 0;
    }
  }
  return { data: out, dims: outDims };
}
function permuteDims(dims2, perm) {
  return perm.map((p) => dims2[p]);
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/onnx/context.ts
var ImportContext = class {
  constructor(location, opset, reservedValueNames) {
    this.location = location;
    this.opset = opset;
    for (const name of reservedValueNames) this.valueNames.add(name);
  }
  nodes = [];
  constants = /* @__PURE__ */ new Map();
  values = /* @__PURE__ */ new Map();
  valueNames = /* @__PURE__ */ new Set();
  nodeNames = /* @__PURE__ */ new Set();
  /** Transposed or re-laid-out copies already made, so each is made once. */
  derived = /* @__PURE__ */ new Map();
  /** A node name not used yet, from `base`. */
  claimNodeName(base) {
    return claim(this.nodeNames, base);
  }
  /** A value name not used yet, from `base`, for values the importer introduces. */
  claimValueName(base) {
    return claim(this.valueNames, base);
  }
  define(onnxName, value) {
    this.values.set(onnxName, value);
  }
  /** Defines a node output computed at runtime; its IR name is its ONNX name. */
  defineRuntime(onnxName, layout, dims2) {
    const storedLayout = dims2.length === 4 ? layout : "plain";
    this.values.set(onnxName, { kind: "runtime", irName: onnxName, layout: storedLayout, dims: dims2 });
    return onnxName;
  }
  has(onnxName) {
    return this.values.has(onnxName);
  }
  get(onnxName, node) {
    const value = this.values.get(onnxName);
    if (value === void 0) {
      throw new ModelFormatError2(`${node.where}: input '${onnxName}' is neither a graph input, an initializer nor a node output.`);
    }
    return value;
  }
  /** The value of a name, or undefined when nothing defines it (no error). */
  find(onnxName) {
    return this.values.get(onnxName);
  }
  dims(onnxName, node) {
    return this.get(onnxName, node).dims;
  }
  rank(onnxName, node) {
    return this.get(onnxName, node).dims.length;
  }
  /** The constant behind an input, or undefined when it is computed at runtime. */
  constant(onnxName, node) {
    const value = this.get(onnxName, node);
    return value.kind === "runtime" ? void 0 : value;
  }
  /** An integer constant input (shape, axes, pads...); runtime-computed ones are not supported. */
  intConstant(onnxName, node, role) {
    const value = this.get(onnxName, node);
    if (value.kind !== "int") {
      throw new UnsupportedOpError(
        node.opType,
        node.name,
        `its ${role} input '${onnxName}' must be an integer constant (initializer or Constant node)` + (value.kind === "runtime" ? ", but it is computed at runtime" : ", but it holds floats")
      );
    }
    return value.data;
  }
  /** A float constant input (weights, slopes, scales); runtime-computed ones are not supported. */
  floatConstant(onnxName, node, role) {
    const value = this.get(onnxName, node);
    if (value.kind === "int") {
      return { kind: "float", dims: value.dims, data: Float32Array.from(value.data) };
    }
    if (value.kind !== "float") {
      throw new UnsupportedOpError(
        node.opType,
        node.name,
        `its ${role} input '${onnxName}' must be a constant (initializer or Constant node), but it is computed at runtime`
      );
    }
    return value;
  }
  /** Registers a float constant in the IR under a fresh name derived from `base`. */
  addConstant(base, tensor) {
    const name = this.claimValueName(base);
    this.constants.set(name, tensor);
    return name;
  }
  emit(node) {
    this.nodes.push(node);
  }
  /**
   * The IR name of an input stored in layout `want`: 4-D runtime values get a Transpose when
   * stored the other way, float constants are added to the IR (permuted to NHWC for `nhwc`).
   * Inputs of rank other than 4 are always plain.
   */
  use(onnxName, want, node) {
    const value = this.get(onnxName, node);
    if (value.kind === "int") {
      throw new UnsupportedOpError(
        node.opType,
        node.name,
        `input '${onnxName}' is an integer tensor; only float tensors flow through MotionDelta graphs`
      );
    }
    const layout = value.dims.length === 4 ? want : "plain";
    if (value.kind === "float") {
      const key = `const:${onnxName}:${layout}`;
      const cached = this.derived.get(key);
      if (cached !== void 0) return cached;
      const tensor = layout === "nhwc" ? (({ data, dims: dims2 }) => ({ data, shape: dims2 }))(permuteData(value.data, value.dims, NCHW_TO_NHWC)) : { data: value.data, shape: [...value.dims] };
      const name = this.addConstant(layout === "nhwc" ? `${onnxName}/nhwc` : onnxName, tensor);
      this.derived.set(key, name);
      return name;
    }
    if (value.layout === layout) return value.irName;
    return this.transposeRuntime(value, layout);
  }
  transposeRuntime(value, to) {
    const key = `rt:${value.irName}:${to}`;
    const cached = this.derived.get(key);
    if (cached !== void 0) return cached;
    const suffix = to === "nhwc" ? "nhwc" : "nchw";
    const output = this.claimValueName(`${value.irName}/${suffix}`);
    const perm = to === "nhwc" ? NCHW_TO_NHWC : NHWC_TO_NCHW;
    this.emit(makeNode(this.claimNodeName(`${value.irName}/to_${suffix}`), "Transpose", { perm }, [value.irName], [output]));
    this.derived.set(key, output);
    return output;
  }
  /**
   * An operand of a broadcasting op whose 4-D peer is stored NHWC. ONNX aligns shapes on the
   * right in NCHW order, so a lower-rank operand is first padded to 4-D with leading ones and
   * then laid out NHWC: [C,1,1] becomes [1,1,C], [W] becomes [1,W,1] (extra leading ones dropped
   * where broadcasting allows).
   */
  useBroadcastNhwc(onnxName, node) {
    const value = this.get(onnxName, node);
    const rank = value.dims.length;
    if (rank >= 4) return this.use(onnxName, "nhwc", node);
    if (value.kind === "float") {
      const key2 = `bcast:${onnxName}`;
      const cached2 = this.derived.get(key2);
      if (cached2 !== void 0) return cached2;
      const padded = [...new Array(4 - rank).fill(1), ...value.dims];
      const permuted = permuteData(value.data, padded, NCHW_TO_NHWC);
      const dims2 = permuted.dims;
      while (dims2.length > rank && dims2[0] === 1) dims2.shift();
      const name2 = this.addConstant(`${onnxName}/nhwc`, { data: permuted.data, shape: dims2 });
      this.derived.set(key2, name2);
      return name2;
    }
    const plain = this.use(onnxName, "plain", node);
    const key = `bcast:${plain}`;
    const cached = this.derived.get(key);
    if (cached !== void 0) return cached;
    const axes = Array.from({ length: 4 - rank }, (_, i) => i);
    const unsqueezed = this.claimValueName(`${plain}/4d`);
    this.emit(makeNode(this.claimNodeName(`${plain}/to_4d`), "Unsqueeze", { axes }, [plain], [unsqueezed]));
    const paddedDims = [...new Array(4 - rank).fill(1), ...value.dims];
    const name = this.transposeRuntime({ kind: "runtime", irName: unsqueezed, layout: "plain", dims: paddedDims }, "nhwc");
    this.derived.set(key, name);
    return name;
  }
};
function claim(taken, base) {
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  taken.add(name);
  return name;
}
function storedDims(value) {
  return value.layout === "nhwc" ? permuteDims(value.dims, NCHW_TO_NHWC) : value.dims;
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/onnx/converters/activation.ts
import { UnsupportedOpError as UnsupportedOpError2 } from "@motiondelta/core";
function layoutOf(ctx, name, node) {
  const value = ctx.get(name, node);
  return value.kind === "runtime" ? value.layout : "plain";
}
function emitActivation(node, ctx, activation, layout) {
  const [x = ""] = node.proto.input;
  const keep = layout ?? layoutOf(ctx, x, node);
  const xIr = ctx.use(x, keep, node);
  const [output = ""] = node.proto.output;
  ctx.emit(makeNode(node.name, "Activation", { activation }, [xIr], [output]));
  ctx.defineRuntime(output, keep, ctx.dims(x, node));
}
function convertSimpleActivation(node, ctx) {
  const a = node.attrs;
  switch (node.opType) {
    case "Relu":
      return emitActivation(node, ctx, { kind: "relu" });
    case "Sigmoid":
      return emitActivation(node, ctx, { kind: "sigmoid" });
    case "Tanh":
      return emitActivation(node, ctx, { kind: "tanh" });
    case "HardSwish":
      return emitActivation(node, ctx, { kind: "hardSwish" });
    case "LeakyRelu":
      return emitActivation(node, ctx, { kind: "leakyRelu", alpha: a.float("alpha", 0.01) });
    case "HardSigmoid":
      return emitActivation(node, ctx, { kind: "hardSigmoid", alpha: a.float("alpha", 0.2), beta: a.float("beta", 0.5) });
    default:
      throw new UnsupportedOpError2(node.opType, node.name);
  }
}
function scalarInput(node, ctx, name, role, fallback) {
  if (name === void 0 || name === "") return fallback;
  const value = ctx.floatConstant(name, node, role);
  if (value.data.length !== 1) {
    throw new UnsupportedOpError2(node.opType, node.name, `its ${role} input '${name}' must be a scalar, it has ${value.data.length} values`);
  }
  return value.data[0];
}
function convertClip(node, ctx) {
  let min;
  let max;
  if (ctx.opset < 11) {
    min = node.attrs.float("min", -Infinity);
    max = node.attrs.float("max", Infinity);
  } else {
    min = scalarInput(node, ctx, node.proto.input[1], "min", -Infinity);
    max = scalarInput(node, ctx, node.proto.input[2], "max", Infinity);
  }
  emitActivation(node, ctx, { kind: "clip", min, max });
}
function convertPRelu(node, ctx) {
  const [x = "", slopeName = ""] = node.proto.input;
  const slope = ctx.floatConstant(slopeName, node, "slope");
  const rank = ctx.rank(x, node);
  const padded = [...new Array(Math.max(0, rank - slope.dims.length)).fill(1), ...slope.dims];
  const varying = padded.flatMap((d, i) => d !== 1 ? [i] : []);
  const channelAxis = rank === 4 ? 1 : rank - 1;
  if (padded.length !== rank || varying.length > 1 || varying.length === 1 && varying[0] !== channelAxis) {
    throw new UnsupportedOpError2(
      node.opType,
      node.name,
      `slope '${slopeName}' of shape [${slope.dims.join(",")}] on a rank-${rank} input is not supported; accepted: one value, or one value per channel (e.g. [C,1,1] for NCHW input)`
    );
  }
  emitActivation(node, ctx, { kind: "prelu", slope: Float32Array.from(slope.data) }, rank === 4 ? "nhwc" : "plain");
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/onnx/converters/batch-norm.ts
import { UnsupportedOpError as UnsupportedOpError3 } from "@motiondelta/core";
function convertBatchNormalization(node, ctx) {
  const [x = "", ...params] = node.proto.input;
  const dims2 = ctx.dims(x, node);
  if (dims2.length !== 4 && dims2.length !== 2) {
    throw new UnsupportedOpError3(node.opType, node.name, `input '${x}' has rank ${dims2.length}; accepted: 4 (NCHW) or 2 (NC)`);
  }
  if (node.attrs.int("training_mode", 0) !== 0) {
    throw new UnsupportedOpError3(node.opType, node.name, "training_mode=1 is not supported");
  }
  if (params.length !== 4) {
    throw new UnsupportedOpError3(node.opType, node.name, `expected scale, B, mean and var inputs, got ${params.length}`);
  }
  const roles = ["scale", "B", "mean", "var"];
  const channels = dims2[1] ?? null;
  const paramIr = params.map((name, i) => {
    const value = ctx.floatConstant(name, node, roles[i]);
    if (channels !== null && value.data.length !== channels) {
      throw new UnsupportedOpError3(node.opType, node.name, `${roles[i]} '${name}' has ${value.data.length} values; the input has ${channels} channels`);
    }
    return ctx.addConstant(name, { data: value.data, shape: [value.data.length] });
  });
  const [output = ""] = node.proto.output;
  ctx.emit(
    makeNode(node.name, "BatchNorm", { epsilon: node.attrs.float("epsilon", 1e-5) }, [ctx.use(x, "nhwc", node), ...paramIr], [output])
  );
  ctx.defineRuntime(output, "nhwc", dims2);
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/onnx/converters/concat.ts
import { UnsupportedOpError as UnsupportedOpError4 } from "@motiondelta/core";
function convertConcat(node, ctx) {
  const names = node.proto.input.filter((n) => n !== "");
  if (names.length === 0) throw new UnsupportedOpError4(node.opType, node.name, "it has no inputs");
  const values = names.map((n) => ctx.get(n, node));
  const rank = values[0].dims.length;
  const rawAxis = node.attrs.int("axis", 1);
  const axis = rawAxis < 0 ? rawAxis + rank : rawAxis;
  if (axis < 0 || axis >= rank || values.some((v) => v.dims.length !== rank)) {
    throw new UnsupportedOpError4(node.opType, node.name, `axis ${rawAxis} or input ranks [${values.map((v) => v.dims.length).join(",")}] are inconsistent`);
  }
  const nhwc = rank === 4 && values.some((v) => v.kind === "runtime" && v.layout === "nhwc");
  const inputs = names.map((n) => ctx.use(n, nhwc ? "nhwc" : "plain", node));
  const outDims = values[0].dims.map(
    (d, i) => i === axis ? values.reduce((sum, v) => sum === null || v.dims[i] == null ? null : sum + v.dims[i], 0) : d
  );
  const [output = ""] = node.proto.output;
  ctx.emit(makeNode(node.name, "Concat", { axis: nhwc ? nhwcAxisOf(axis) : axis }, inputs, [output]));
  ctx.defineRuntime(output, nhwc ? "nhwc" : "plain", outDims);
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/onnx/converters/constant.ts
import { UnsupportedOpError as UnsupportedOpError5 } from "@motiondelta/core";

// ../../tmp/oldsrc/packages/graph-runtime/src/import/onnx/tensor-data.ts
import { ModelFormatError as ModelFormatError3 } from "@motiondelta/core";
import { TensorProto_DataLocation, TensorProto_DataType } from "onnx-buf";
var INT_TYPES = /* @__PURE__ */ new Map([
  [TensorProto_DataType.INT8, { bytes: 1, read: (v, o) => v.getInt8(o) }],
  [TensorProto_DataType.UINT8, { bytes: 1, read: (v, o) => v.getUint8(o) }],
  [TensorProto_DataType.BOOL, { bytes: 1, read: (v, o) => v.getUint8(o) }],
  [TensorProto_DataType.INT16, { bytes: 2, read: (v, o) => v.getInt16(o, true) }],
  [TensorProto_DataType.UINT16, { bytes: 2, read: (v, o) => v.getUint16(o, true) }],
  [TensorProto_DataType.INT32, { bytes: 4, read: (v, o) => v.getInt32(o, true) }],
  [TensorProto_DataType.UINT32, { bytes: 4, read: (v, o) => v.getUint32(o, true) }],
  [TensorProto_DataType.INT64, { bytes: 8, read: (v, o) => Number(v.getBigInt64(o, true)) }],
  [TensorProto_DataType.UINT64, { bytes: 8, read: (v, o) => Number(v.getBigUint64(o, true)) }]
]);
function halfToFloat(bits) {
  const sign = bits & 32768 ? -1 : 1;
  const exponent = bits >> 10 & 31;
  const fraction2 = bits & 1023;
  if (exponent === 0) return sign * 2 ** -14 * (fraction2 / 1024);
  if (exponent === 31) return fraction2 === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction2 / 1024);
}
function bfloat16ToFloat(bits) {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, (bits & 65535) << 16);
  return view.getFloat32(0);
}
function decodeTensor(tensor, where) {
  const dims2 = tensor.dims.map((d) => Number(d));
  if (dims2.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ModelFormatError3(`${where}: tensor dims [${dims2.join(",")}] are not non-negative integers.`);
  }
  if (tensor.dataLocation === TensorProto_DataLocation.EXTERNAL || tensor.externalData.length > 0) {
    throw new ModelFormatError3(
      `${where}: tensor data is stored in an external file; only models with embedded weights are accepted.`
    );
  }
  const count = dims2.reduce((a, b) => a * b, 1);
  const raw = tensor.rawData;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const type = tensor.dataType;
  const expectLength = (got, unit) => {
    if (got !== count) {
      throw new ModelFormatError3(
        `${where}: tensor of dims [${dims2.join(",")}] needs ${count} values but holds ${got} ${unit}.`
      );
    }
  };
  const fromRaw = (bytes) => {
    if (raw.byteLength === 0) return false;
    expectLength(raw.byteLength / bytes, `values (${raw.byteLength} bytes of raw_data)`);
    return true;
  };
  switch (type) {
    case TensorProto_DataType.FLOAT: {
      const data = new Float32Array(count);
      if (fromRaw(4)) {
        for (let i = 0; i < count; i++) data[i] = view.getFloat32(i * 4, true);
      } else {
        expectLength(tensor.floatData.length, "float_data values");
        data.set(tensor.floatData);
      }
      return { kind: "float", dims: dims2, data };
    }
    case TensorProto_DataType.DOUBLE: {
      const data = new Float32Array(count);
      if (fromRaw(8)) {
        for (let i = 0; i < count; i++) data[i] = view.getFloat64(i * 8, true);
      } else {
        expectLength(tensor.doubleData.length, "double_data values");
        data.set(tensor.doubleData);
      }
      return { kind: "float", dims: dims2, data };
    }
    case TensorProto_DataType.FLOAT16:
    case TensorProto_DataType.BFLOAT16: {
      const convert = type === TensorProto_DataType.FLOAT16 ? halfToFloat : bfloat16ToFloat;
      const data = new Float32Array(count);
      if (fromRaw(2)) {
        for (let i = 0; i < count; i++) data[i] = convert(view.getUint16(i * 2, true));
      } else {
        expectLength(tensor.int32Data.length, "int32_data values");
        for (let i = 0; i < count; i++) data[i] = convert(tensor.int32Data[i]);
      }
      return { kind: "float", dims: dims2, data };
    }
    default: {
      const intType = INT_TYPES.get(type);
      if (intType === void 0) {
        throw new ModelFormatError3(
          `${where}: tensor data type ${TensorProto_DataType[type] ?? type} is not supported; accepted: float, double, float16, bfloat16 and the integer and bool types.`
        );
      }
      if (fromRaw(intType.bytes)) {
        const data = new Array(count);
        for (let i = 0; i < count; i++) data[i] = intType.read(view, i * intType.bytes);
        return { kind: "int", dims: dims2, data };
      }
      if (type === TensorProto_DataType.INT64) {
        expectLength(tensor.int64Data.length, "int64_data values");
        return { kind: "int", dims: dims2, data: tensor.int64Data.map((v) => Number(v)) };
      }
      if (type === TensorProto_DataType.UINT32 || type === TensorProto_DataType.UINT64) {
        expectLength(tensor.uint64Data.length, "uint64_data values");
        return { kind: "int", dims: dims2, data: tensor.uint64Data.map((v) => Number(v)) };
      }
      expectLength(tensor.int32Data.length, "int32_data values");
      return { kind: "int", dims: dims2, data: [...tensor.int32Data] };
    }
  }
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/onnx/converters/constant.ts
function convertConstant(node, ctx) {
  const [output = ""] = node.proto.output;
  const a = node.attrs;
  const tensor = a.tensor("value");
  if (tensor !== void 0) {
    ctx.define(output, decodeTensor(tensor, `${node.where}: attribute 'value'`));
    return;
  }
  if (a.has("value_float")) {
    ctx.define(output, { kind: "float", dims: [], data: Float32Array.of(a.float("value_float", 0)) });
    return;
  }
  const floats = a.floats("value_floats");
  if (floats !== void 0) {
    ctx.define(output, { kind: "float", dims: [floats.length], data: Float32Array.from(floats) });
    return;
  }
  if (a.has("value_int")) {
    ctx.define(output, { kind: "int", dims: [], data: [a.int("value_int", 0)] });
    return;
  }
  const ints = a.ints("value_ints");
  if (ints !== void 0) {
    ctx.define(output, { kind: "int", dims: [ints.length], data: ints });
    return;
  }
  throw new UnsupportedOpError5(node.opType, node.name, `attributes [${a.names().join(", ")}] are not supported; accepted: value, value_float(s), value_int(s)`);
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/onnx/converters/conv.ts
import { UnsupportedOpError as UnsupportedOpError7 } from "@motiondelta/core";

// ../../tmp/oldsrc/packages/graph-runtime/src/import/onnx/spatial.ts
import { UnsupportedOpError as UnsupportedOpError6 } from "@motiondelta/core";

// ../../tmp/oldsrc/packages/graph-runtime/src/import/onnx/dims.ts
function isFullyKnown(dims2) {
  return dims2.every((d) => d !== null);
}
function broadcastDims(shapes) {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = [];
  for (let i = 0; i < rank; i++) {
    let dim = 1;
    for (const s of shapes) {
      const d = s[s.length - rank + i];
      if (d === void 0 || d === 1) continue;
      if (d === null) dim = dim === 1 ? null : dim;
      else dim = d;
    }
    out.push(dim);
  }
  return out;
}
function windowOutput(size, kernel, stride, dilation, padBegin, padEnd, ceil) {
  if (size === null) return null;
  const span = (kernel - 1) * dilation + 1;
  const steps = (size + padBegin + padEnd - span) / stride;
  let out = (ceil ? Math.ceil(steps) : Math.floor(steps)) + 1;
  if (ceil && (out - 1) * stride >= size + padBegin) out--;
  return out;
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/onnx/spatial.ts
var AUTO_PAD = {
  NOTSET: "explicit",
  SAME_UPPER: "same-upper",
  SAME_LOWER: "same-lower",
  VALID: "valid"
};
function pair(node, name, fallback) {
  const values = node.attrs.ints(name);
  if (values === void 0) return fallback;
  if (values.length !== 2 || values.some((v) => !Number.isInteger(v) || v < 1)) {
    throw new UnsupportedOpError6(
      node.opType,
      node.name,
      `${name} [${values.join(",")}] is not supported: only 2-D windows with two positive values are`
    );
  }
  return [values[0], values[1]];
}
function readWindow(node, kernel) {
  const declared = node.attrs.ints("kernel_shape");
  if (declared !== void 0 && (declared.length !== 2 || declared[0] !== kernel[0] || declared[1] !== kernel[1])) {
    throw new UnsupportedOpError6(
      node.opType,
      node.name,
      `kernel_shape [${declared.join(",")}] disagrees with the weight's spatial size [${kernel.join(",")}]`
    );
  }
  const autoPadName = node.attrs.string("auto_pad", "NOTSET");
  const autoPad = AUTO_PAD[autoPadName];
  if (autoPad === void 0) {
    throw new UnsupportedOpError6(node.opType, node.name, `auto_pad '${autoPadName}' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID`);
  }
  const padsAttr = node.attrs.ints("pads") ?? [0, 0, 0, 0];
  if (padsAttr.length !== 4 || padsAttr.some((p) => !Number.isInteger(p) || p < 0)) {
    throw new UnsupportedOpError6(node.opType, node.name, `pads [${padsAttr.join(",")}] must be four non-negative integers for a 2-D window`);
  }
  const pads = autoPad === "explicit" ? [padsAttr[0], padsAttr[1], padsAttr[2], padsAttr[3]] : [0, 0, 0, 0];
  return {
    kernel,
    strides: pair(node, "strides", [1, 1]),
    dilations: pair(node, "dilations", [1, 1]),
    pads,
    autoPad
  };
}
function windowOutputHW(window, inH, inW, ceil) {
  const axis = (size, i) => {
    if (size === null) return null;
    const stride = window.strides[i];
    if (window.autoPad === "same-upper" || window.autoPad === "same-lower") return Math.ceil(size / stride);
    const span = (window.kernel[i] - 1) * window.dilations[i] + 1;
    if (window.autoPad === "valid") return Math.floor((size - span) / stride) + 1;
    return windowOutput(size, window.kernel[i], stride, window.dilations[i], window.pads[i], window.pads[i + 2], ceil);
  };
  return [axis(inH, 0), axis(inW, 1)];
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/onnx/converters/conv.ts
var CONV_WEIGHT_PERM = [2, 3, 1, 0];
var CONV_TRANSPOSE_WEIGHT_PERM = [2, 3, 0, 1];
function requireRank4(node, ctx, input) {
  const rank = ctx.rank(input, node);
  if (rank !== 4) {
    throw new UnsupportedOpError7(
      node.opType,
      node.name,
      `only 2-D convolutions (4-D input) are supported; input '${input}' has rank ${rank}`
    );
  }
}
function weightAndBias(node, ctx, perm, outChannels) {
  const [, weightName = "", biasName = ""] = node.proto.input;
  const weight = ctx.floatConstant(weightName, node, "weight");
  if (weight.dims.length !== 4) {
    throw new UnsupportedOpError7(node.opType, node.name, `weight '${weightName}' has rank ${weight.dims.length}; a 2-D convolution needs rank 4`);
  }
  const permuted = permuteData(weight.data, weight.dims, perm);
  const weightIr = ctx.addConstant(`${weightName}/hwio`, { data: permuted.data, shape: permuted.dims });
  let biasIr = "";
  if (biasName !== "") {
    const bias = ctx.floatConstant(biasName, node, "bias");
    const expected = outChannels(weight.dims);
    if (bias.data.length !== expected) {
      throw new UnsupportedOpError7(node.opType, node.name, `bias '${biasName}' has ${bias.data.length} values; expected ${expected} (one per output channel)`);
    }
    biasIr = ctx.use(biasName, "plain", node);
  }
  return { weight: weightIr, bias: biasIr, dims: weight.dims };
}
function convertConv(node, ctx) {
  const [x = ""] = node.proto.input;
  requireRank4(node, ctx, x);
  const { weight, bias, dims: w } = weightAndBias(node, ctx, CONV_WEIGHT_PERM, (d) => d[0]);
  const window = readWindow(node, [w[2], w[3]]);
  const groups = node.attrs.int("group", 1);
  const inDims = ctx.dims(x, node);
  const inChannels = inDims[1];
  if (inChannels != null && inChannels !== w[1] * groups) {
    throw new UnsupportedOpError7(
      node.opType,
      node.name,
      `input '${x}' has ${inChannels} channels but weight [${w.join(",")}] with group ${groups} expects ${w[1] * groups}`
    );
  }
  const [outH, outW] = windowOutputHW(window, inDims[2] ?? null, inDims[3] ?? null, false);
  const xIr = ctx.use(x, "nhwc", node);
  const [output = ""] = node.proto.output;
  ctx.emit(makeNode(node.name, "Conv2D", { ...window, groups }, [xIr, weight, bias], [output]));
  ctx.defineRuntime(output, "nhwc", [inDims[0] ?? null, w[0], outH, outW]);
}
function convertConvTranspose(node, ctx) {
  const [x = ""] = node.proto.input;
  requireRank4(node, ctx, x);
  const groups = node.attrs.int("group", 1);
  const { weight, bias, dims: w } = weightAndBias(node, ctx, CONV_TRANSPOSE_WEIGHT_PERM, (d) => d[1] * groups);
  const window = readWindow(node, [w[2], w[3]]);
  const outputPaddingAttr = node.attrs.ints("output_padding") ?? [0, 0];
  if (outputPaddingAttr.length !== 2) {
    throw new UnsupportedOpError7(node.opType, node.name, `output_padding [${outputPaddingAttr.join(",")}] must have two values`);
  }
  const inDims = ctx.dims(x, node);
  const inHW = [inDims[2] ?? null, inDims[3] ?? null];
  const outputShape = node.attrs.ints("output_shape");
  const pads = [...window.pads];
  const outputPadding = [...outputPaddingAttr];
  const outHW = [null, null];
  for (const i of [0, 1]) {
    const stride = window.strides[i];
    const span = (window.kernel[i] - 1) * window.dilations[i] + 1;
    let total = null;
    if (outputShape !== void 0) {
      const wanted = outputShape[outputShape.length - 2 + i];
      const size2 = inHW[i];
      if (wanted === void 0 || size2 === null) {
        throw new UnsupportedOpError7(
          node.opType,
          node.name,
          `output_shape [${outputShape.join(",")}] can only be honoured when the input's height and width are known at import time`
        );
      }
      total = (size2 - 1) * stride + span + outputPadding[i] - wanted;
    } else if (window.autoPad === "same-upper" || window.autoPad === "same-lower") {
      total = span + outputPadding[i] - stride;
    }
    if (total !== null) {
      if (total < 0) {
        outputPadding[i] = outputPadding[i] - total;
        total = 0;
      }
      const small = Math.floor(total / 2);
      const upper = outputShape !== void 0 ? window.autoPad === "same-upper" : window.autoPad !== "same-lower";
      pads[i] = upper ? small : total - small;
      pads[i + 2] = total - pads[i];
    }
    const size = inHW[i];
    outHW[i] = size === null ? null : (size - 1) * stride + span + outputPadding[i] - pads[i] - pads[i + 2];
  }
  const xIr = ctx.use(x, "nhwc", node);
  const [output = ""] = node.proto.output;
  ctx.emit(
    makeNode(
      node.name,
      "ConvTranspose2D",
      {
        kernel: window.kernel,
        strides: window.strides,
        dilations: window.dilations,
        pads: [pads[0], pads[1], pads[2], pads[3]],
        outputPadding: [outputPadding[0], outputPadding[1]],
        groups
      },
      [xIr, weight, bias],
      [output]
    )
  );
  ctx.defineRuntime(output, "nhwc", [inDims[0] ?? null, w[1] * groups, outHW[0], outHW[1]]);
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/onnx/converters/elementwise.ts
import { UnsupportedOpError as UnsupportedOpError8 } from "@motiondelta/core";
var BINARY_OPS = { Add: "Add", Sub: "Sub", Mul: "Mul", Div: "Div" };
function convertBinary(node, ctx) {
  const op = BINARY_OPS[node.opType];
  if (op === void 0) throw new UnsupportedOpError8(node.opType, node.name);
  const [a = "", b = ""] = node.proto.input;
  const dims2 = broadcastDims([ctx.dims(a, node), ctx.dims(b, node)]);
  const operands = [ctx.get(a, node), ctx.get(b, node)];
  const nhwc = dims2.length === 4 && operands.some((v) => v.kind === "runtime" && v.layout === "nhwc");
  const inputs = nhwc ? [ctx.useBroadcastNhwc(a, node), ctx.useBroadcastNhwc(b, node)] : [ctx.use(a, "plain", node), ctx.use(b, "plain", node)];
  const [output = ""] = node.proto.output;
  ctx.emit(makeNode(node.name, op, {}, inputs, [output]));
  ctx.defineRuntime(output, nhwc ? "nhwc" : "plain", dims2);
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/onnx/converters/matmul.ts
import { UnsupportedOpError as UnsupportedOpError9 } from "@motiondelta/core";
function convertGemm(node, ctx) {
  const [a = "", b = "", c = ""] = node.proto.input;
  const transA = node.attrs.int("transA", 0) !== 0;
  const transB = node.attrs.int("transB", 0) !== 0;
  const aDims = ctx.dims(a, node);
  const bDims = ctx.dims(b, node);
  if (aDims.length !== 2 || bDims.length !== 2) {
    throw new UnsupportedOpError9(node.opType, node.name, `A and B must be 2-D; got ranks ${aDims.length} and ${bDims.length}`);
  }
  const [output = ""] = node.proto.output;
  const inputs = [ctx.use(a, "plain", node), ctx.use(b, "plain", node), c === "" ? "" : ctx.use(c, "plain", node)];
  ctx.emit(
    makeNode(
      node.name,
      "Gemm",
      { alpha: node.attrs.float("alpha", 1), beta: node.attrs.float("beta", 1), transA, transB },
      inputs,
      [output]
    )
  );
  ctx.defineRuntime(output, "plain", [aDims[transA ? 1 : 0] ?? null, bDims[transB ? 0 : 1] ?? null]);
}
function convertMatMul(node, ctx) {
  const [a = "", b = ""] = node.proto.input;
  const aDims = ctx.dims(a, node);
  const bDims = ctx.dims(b, node);
  if (aDims.length === 0 || bDims.length === 0) {
    throw new UnsupportedOpError9(node.opType, node.name, "scalar operands are not allowed");
  }
  const a2 = aDims.length === 1 ? [1, aDims[0]] : aDims;
  const b2 = bDims.length === 1 ? [bDims[0], 1] : bDims;
  const batch = broadcastDims([a2.slice(0, -2), b2.slice(0, -2)]);
  const outDims = [...batch, ...aDims.length === 1 ? [] : [a2[a2.length - 2]], ...bDims.length === 1 ? [] : [b2[b2.length - 1]]];
  const [output = ""] = node.proto.output;
  ctx.emit(makeNode(node.name, "MatMul", {}, [ctx.use(a, "plain", node), ctx.use(b, "plain", node)], [output]));
  ctx.defineRuntime(output, "plain", outDims);
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/onnx/converters/pad.ts
import { UnsupportedOpError as UnsupportedOpError10 } from "@motiondelta/core";
var MODES = ["constant", "reflect", "edge"];
function convertPad(node, ctx) {
  const [x = "", padsName = "", valueName = "", axesName = ""] = node.proto.input;
  const mode = node.attrs.string("mode", "constant");
  if (!MODES.includes(mode)) {
    throw new UnsupportedOpError10(node.opType, node.name, `mode '${mode}' is not supported; accepted: ${MODES.join(", ")}`);
  }
  const inDims = ctx.dims(x, node);
  const rank = inDims.length;
  let pads;
  let value = 0;
  if (ctx.opset < 11) {
    pads = node.attrs.ints("pads") ?? [];
    value = node.attrs.float("value", 0);
  } else {
    pads = [...ctx.intConstant(padsName, node, "pads")];
    if (valueName !== "") {
      const constant = ctx.floatConstant(valueName, node, "constant_value");
      value = constant.data[0] ?? 0;
    }
    if (axesName !== "") {
      const axes = ctx.intConstant(axesName, node, "axes").map((a) => a < 0 ? a + rank : a);
      const full = new Array(2 * rank).fill(0);
      axes.forEach((a, i) => {
        full[a] = pads[i] ?? 0;
        full[a + rank] = pads[i + axes.length] ?? 0;
      });
      pads = full;
    }
  }
  if (pads.length !== 2 * rank) {
    throw new UnsupportedOpError10(node.opType, node.name, `pads [${pads.join(",")}] must have ${2 * rank} values for a rank-${rank} input`);
  }
  if (mode !== "constant" && pads.some((p) => p < 0)) {
    throw new UnsupportedOpError10(node.opType, node.name, `negative pads [${pads.join(",")}] (cropping) are only supported in constant mode`);
  }
  const layout = layoutOf(ctx, x, node);
  const stored = layout === "nhwc" && rank === 4 ? [...NCHW_TO_NHWC, ...NCHW_TO_NHWC.map((a) => a + 4)].map((a) => pads[a]) : pads;
  const [output = ""] = node.proto.output;
  ctx.emit(makeNode(node.name, "Pad", { pads: stored, mode, value }, [ctx.use(x, layout, node)], [output]));
  ctx.defineRuntime(
    output,
    layout,
    inDims.map((d, i) => d === null ? null : d + pads[i] + pads[i + rank])
  );
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/onnx/converters/pool.ts
import { UnsupportedOpError as UnsupportedOpError11 } from "@motiondelta/core";
function requireRank42(node, ctx, input) {
  const rank = ctx.rank(input, node);
  if (rank !== 4) {
    throw new UnsupportedOpError11(node.opType, node.name, `only 2-D pooling (4-D input) is supported; input '${input}' has rank ${rank}`);
  }
}
function convertWindowPool(node, ctx, op) {
  const [x = ""] = node.proto.input;
  requireRank42(node, ctx, x);
  if (node.proto.output.length > 1 && node.proto.output[1] !== "") {
    throw new UnsupportedOpError11(node.opType, node.name, "the Indices output is not supported");
  }
  const kernel = node.attrs.ints("kernel_shape");
  if (kernel === void 0 || kernel.length !== 2) {
    throw new UnsupportedOpError11(node.opType, node.name, `kernel_shape [${kernel?.join(",") ?? ""}] must have two values (2-D pooling)`);
  }
  const window = readWindow(node, [kernel[0], kernel[1]]);
  if (window.dilations[0] !== 1 || window.dilations[1] !== 1) {
    throw new UnsupportedOpError11(node.opType, node.name, `dilations [${window.dilations.join(",")}] are not supported; pooling accepts [1,1] only`);
  }
  const ceilMode = node.attrs.int("ceil_mode", 0) !== 0;
  const countIncludePad = op === "AvgPool2D" && node.attrs.int("count_include_pad", 0) !== 0;
  const inDims = ctx.dims(x, node);
  const [outH, outW] = windowOutputHW(window, inDims[2] ?? null, inDims[3] ?? null, ceilMode);
  const xIr = ctx.use(x, "nhwc", node);
  const [output = ""] = node.proto.output;
  ctx.emit(
    makeNode(
      node.name,
      op,
      { kernel: window.kernel, strides: window.strides, pads: window.pads, autoPad: window.autoPad, ceilMode, countIncludePad },
      [xIr],
      [output]
    )
  );
  ctx.defineRuntime(output, "nhwc", [inDims[0] ?? null, inDims[1] ?? null, outH, outW]);
}
function convertMaxPool(node, ctx) {
  convertWindowPool(node, ctx, "MaxPool2D");
}
function convertAveragePool(node, ctx) {
  convertWindowPool(node, ctx, "AvgPool2D");
}
function convertGlobalAveragePool(node, ctx) {
  const [x = ""] = node.proto.input;
  requireRank42(node, ctx, x);
  const inDims = ctx.dims(x, node);
  const [output = ""] = node.proto.output;
  ctx.emit(makeNode(node.name, "GlobalAvgPool", {}, [ctx.use(x, "nhwc", node)], [output]));
  ctx.defineRuntime(output, "nhwc", [inDims[0] ?? null, inDims[1] ?? null, 1, 1]);
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/onnx/converters/resize.ts
import { UnsupportedOpError as UnsupportedOpError12 } from "@motiondelta/core";
var COORDINATE_MODES = [
  "half_pixel",
  "pytorch_half_pixel",
  "align_corners",
  "asymmetric",
  "tf_half_pixel_for_nn"
];
var NEAREST_MODES = ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"];
function readMode(node) {
  const mode = node.attrs.string("mode", "nearest");
  if (mode === "nearest") return "nearest";
  if (mode === "linear" || mode === "bilinear") return "linear";
  throw new UnsupportedOpError12(node.opType, node.name, `mode '${mode}' is not supported; accepted: nearest, linear`);
}
function spatialPair(node, values, what, identity) {
  if (values.length !== 4) {
    throw new UnsupportedOpError12(node.opType, node.name, `${what} [${values.join(",")}] must have 4 values (NCHW input)`);
  }
  for (const i of [0, 1]) {
    if (values[i] !== identity(i)) {
      throw new UnsupportedOpError12(
        node.opType,
        node.name,
        `${what} [${values.join(",")}] resizes the batch or channel axis; only height and width may change`
      );
    }
  }
  return [values[2], values[3]];
}
function emitResize(node, ctx, attrs) {
  const [x = ""] = node.proto.input;
  const inDims = ctx.dims(x, node);
  if (inDims.length !== 4) {
    throw new UnsupportedOpError12(node.opType, node.name, `only 4-D (NCHW) inputs are supported; '${x}' has rank ${inDims.length}`);
  }
  const [output = ""] = node.proto.output;
  ctx.emit(makeNode(node.name, "Resize", attrs, [ctx.use(x, "nhwc", node)], [output]));
  const out = (i) => {
    if (attrs.sizes !== void 0) return attrs.sizes[i];
    const size = inDims[2 + i];
    return size == null || attrs.scales === void 0 ? null : Math.floor(size * attrs.scales[i]);
  };
  ctx.defineRuntime(output, "nhwc", [inDims[0] ?? null, inDims[1] ?? null, out(0), out(1)]);
}
function legacyAttrs(node, mode, scales) {
  const shrinking = scales[0] < 1 || scales[1] < 1;
  const enlarging = scales[0] > 1 || scales[1] > 1;
  if (mode === "nearest" && shrinking && enlarging) {
    throw new UnsupportedOpError12(node.opType, node.name, `scales [${scales.join(",")}] enlarge one axis and shrink the other, which old nearest rounding cannot express`);
  }
  return { mode, coordinateMode: "asymmetric", nearestMode: shrinking ? "ceil" : "floor", scales };
}
function convertUpsample(node, ctx) {
  const mode = readMode(node);
  const raw = ctx.opset < 9 ? node.attrs.floats("scales") ?? [] : [...ctx.floatConstant(node.proto.input[1] ?? "", node, "scales").data];
  emitResize(node, ctx, legacyAttrs(node, mode, spatialPair(node, raw, "scales", () => 1)));
}
function convertResize(node, ctx) {
  const mode = readMode(node);
  if (ctx.opset < 11) {
    const raw = [...ctx.floatConstant(node.proto.input[1] ?? "", node, "scales").data];
    emitResize(node, ctx, legacyAttrs(node, mode, spatialPair(node, raw, "scales", () => 1)));
    return;
  }
  const coordinateMode = node.attrs.string("coordinate_transformation_mode", "half_pixel");
  if (!COORDINATE_MODES.includes(coordinateMode)) {
    throw new UnsupportedOpError12(node.opType, node.name, `coordinate_transformation_mode '${coordinateMode}' is not supported; accepted: ${COORDINATE_MODES.join(", ")}`);
  }
  const nearestMode = node.attrs.string("nearest_mode", "round_prefer_floor");
  if (!NEAREST_MODES.includes(nearestMode)) {
    throw new UnsupportedOpError12(node.opType, node.name, `nearest_mode '${nearestMode}' is not supported; accepted: ${NEAREST_MODES.join(", ")}`);
  }
  if (node.attrs.int("antialias", 0) !== 0) {
    throw new UnsupportedOpError12(node.opType, node.name, "antialias=1 is not supported");
  }
  const policy = node.attrs.string("keep_aspect_ratio_policy", "stretch");
  if (policy !== "stretch") {
    throw new UnsupportedOpError12(node.opType, node.name, `keep_aspect_ratio_policy '${policy}' is not supported; accepted: stretch`);
  }
  const axes = node.attrs.ints("axes");
  const [x = "", , scalesName = "", sizesName = ""] = node.proto.input;
  const inDims = ctx.dims(x, node);
  const expand = (values, fill) => {
    if (axes === void 0) return [...values];
    const full = [0, 1, 2, 3].map(fill);
    axes.forEach((a, i) => {
      full[a < 0 ? a + 4 : a] = values[i];
    });
    return full;
  };
  const base = { mode, coordinateMode, nearestMode };
  const scales = scalesName === "" ? [] : ctx.floatConstant(scalesName, node, "scales").data;
  if (scales.length > 0) {
    const full = expand([...scales], () => 1);
    emitResize(node, ctx, { ...base, scales: spatialPair(node, full, "scales", () => 1) });
    return;
  }
  if (sizesName === "") {
    throw new UnsupportedOpError12(node.opType, node.name, "neither scales nor sizes is given");
  }
  const sizes = expand(ctx.intConstant(sizesName, node, "sizes"), (i) => inDims[i] ?? -1);
  emitResize(node, ctx, { ...base, sizes: spatialPair(node, sizes, "sizes", (i) => inDims[i] ?? sizes[i]) });
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/onnx/converters/shape-ops.ts
import { UnsupportedOpError as UnsupportedOpError13 } from "@motiondelta/core";
function normalizeAxis(node, axis, rank) {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) {
    throw new UnsupportedOpError13(node.opType, node.name, `axis ${axis} is out of range for rank ${rank}`);
  }
  return a;
}
function emitShapeOp(node, ctx, outDims, build) {
  const [x = ""] = node.proto.input;
  const [output = ""] = node.proto.output;
  const constant = ctx.constant(x, node);
  if (constant?.kind === "float" && isFullyKnown(outDims)) {
    ctx.define(output, { kind: "float", dims: outDims, data: constant.data });
    return;
  }
  const xIr = ctx.use(x, "plain", node);
  ctx.emit(build(xIr, output));
  ctx.defineRuntime(output, "plain", outDims);
}
function convertReshape(node, ctx) {
  const [x = "", shapeName] = node.proto.input;
  const shape = ctx.opset < 5 ? node.attrs.ints("shape") ?? [] : [...ctx.intConstant(shapeName ?? "", node, "shape")];
  if (node.attrs.int("allowzero", 0) !== 0 && shape.includes(0)) {
    throw new UnsupportedOpError13(node.opType, node.name, "allowzero=1 with a zero in the target shape is not supported");
  }
  const inDims = ctx.dims(x, node);
  const outDims = shape.map((d, i) => d === 0 ? inDims[i] ?? null : d === -1 ? null : d);
  const inferred = shape.indexOf(-1);
  if (inferred >= 0 && isFullyKnown(inDims)) {
    const known = outDims.filter((_, i) => i !== inferred);
    if (known.every((d) => d !== null)) {
      const total = inDims.reduce((p, d) => p * d, 1);
      const rest = known.reduce((p, d) => p * d, 1);
      outDims[inferred] = rest === 0 ? 0 : total / rest;
    }
  }
  emitShapeOp(node, ctx, outDims, (i, o) => makeNode(node.name, "Reshape", { shape }, [i], [o]));
}
function convertFlatten(node, ctx) {
  const [x = ""] = node.proto.input;
  const inDims = ctx.dims(x, node);
  const rawAxis = node.attrs.int("axis", 1);
  const axis = rawAxis < 0 ? rawAxis + inDims.length : rawAxis;
  if (axis < 0 || axis > inDims.length) {
    throw new UnsupportedOpError13(node.opType, node.name, `axis ${rawAxis} is out of range for rank ${inDims.length}`);
  }
  const product = (dims2) => dims2.reduce((p, d) => p === null || d === null ? null : p * d, 1);
  const outDims = [product(inDims.slice(0, axis)), product(inDims.slice(axis))];
  emitShapeOp(node, ctx, outDims, (i, o) => makeNode(node.name, "Flatten", { axis }, [i], [o]));
}
function readAxes(node, ctx) {
  if (ctx.opset < 13) return node.attrs.ints("axes");
  const name = node.proto.input[1];
  return name === void 0 || name === "" ? void 0 : [...ctx.intConstant(name, node, "axes")];
}
function convertSqueeze(node, ctx) {
  const [x = ""] = node.proto.input;
  const inDims = ctx.dims(x, node);
  let axes = readAxes(node, ctx)?.map((a) => normalizeAxis(node, a, inDims.length));
  if (axes === void 0) {
    if (!isFullyKnown(inDims)) {
      throw new UnsupportedOpError13(node.opType, node.name, `without axes the input '${x}' must have known dims at import time`);
    }
    axes = inDims.flatMap((d, i) => d === 1 ? [i] : []);
  }
  const squeezed = new Set(axes);
  const outDims = inDims.filter((_, i) => !squeezed.has(i));
  const sorted = [...squeezed].sort((p, q) => p - q);
  emitShapeOp(node, ctx, outDims, (i, o) => makeNode(node.name, "Squeeze", { axes: sorted }, [i], [o]));
}
function convertUnsqueeze(node, ctx) {
  const [x = ""] = node.proto.input;
  const inDims = ctx.dims(x, node);
  const raw = readAxes(node, ctx);
  if (raw === void 0) throw new UnsupportedOpError13(node.opType, node.name, "axes are required");
  const outRank = inDims.length + raw.length;
  const axes = [...new Set(raw.map((a) => normalizeAxis(node, a, outRank)))].sort((p, q) => p - q);
  const outDims = [];
  let next = 0;
  for (let i = 0; i < outRank; i++) outDims.push(axes.includes(i) ? 1 : inDims[next++] ?? null);
  emitShapeOp(node, ctx, outDims, (i, o) => makeNode(node.name, "Unsqueeze", { axes }, [i], [o]));
}
function convertTranspose(node, ctx) {
  const [x = ""] = node.proto.input;
  const [output = ""] = node.proto.output;
  const inDims = ctx.dims(x, node);
  const rank = inDims.length;
  const perm = node.attrs.ints("perm") ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
  if (perm.length !== rank || [...perm].sort((p, q) => p - q).some((p, i) => p !== i)) {
    throw new UnsupportedOpError13(node.opType, node.name, `perm [${perm.join(",")}] is not a permutation of ${rank} axes`);
  }
  const outDims = permuteDims(inDims, perm);
  const constant = ctx.constant(x, node);
  if (constant?.kind === "float") {
    const permuted = permuteData(constant.data, constant.dims, perm);
    ctx.define(output, { kind: "float", dims: permuted.dims, data: permuted.data });
    return;
  }
  ctx.emit(makeNode(node.name, "Transpose", { perm }, [ctx.use(x, "plain", node)], [output]));
  ctx.defineRuntime(output, "plain", outDims);
}
function convertIdentity(node, ctx) {
  const [x = ""] = node.proto.input;
  const [output = ""] = node.proto.output;
  if (node.opType === "Dropout" && node.proto.input.length > 2 && node.proto.input[2] !== "") {
    const training = ctx.constant(node.proto.input[2], node);
    if (training === void 0 || training.data.some((v) => v !== 0)) {
      throw new UnsupportedOpError13(node.opType, node.name, "training_mode must be a constant false");
    }
  }
  const constant = ctx.constant(x, node);
  if (constant !== void 0) {
    ctx.define(output, constant);
    return;
  }
  const layout = layoutOf(ctx, x, node);
  ctx.emit(makeNode(node.name, "Identity", {}, [ctx.use(x, layout, node)], [output]));
  ctx.defineRuntime(output, layout, ctx.dims(x, node));
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/onnx/converters/softmax.ts
import { UnsupportedOpError as UnsupportedOpError14 } from "@motiondelta/core";
function emitSingleAxis(node, ctx, axis) {
  const [x = ""] = node.proto.input;
  const [output = ""] = node.proto.output;
  const dims2 = ctx.dims(x, node);
  const layout = layoutOf(ctx, x, node);
  const storedAxis = layout === "nhwc" && dims2.length === 4 ? nhwcAxisOf(axis) : axis;
  ctx.emit(makeNode(node.name, "Softmax", { axis: storedAxis }, [ctx.use(x, layout, node)], [output]));
  ctx.defineRuntime(output, layout, dims2);
}
function convertSoftmax(node, ctx) {
  const [x = ""] = node.proto.input;
  const dims2 = ctx.dims(x, node);
  const rank = dims2.length;
  const rawAxis = node.attrs.int("axis", ctx.opset < 13 ? 1 : -1);
  const axis = rawAxis < 0 ? rawAxis + rank : rawAxis;
  if (axis < 0 || axis >= rank) {
    throw new UnsupportedOpError14(node.opType, node.name, `axis ${rawAxis} is out of range for rank ${rank}`);
  }
  if (ctx.opset >= 13 || axis === rank - 1) {
    emitSingleAxis(node, ctx, axis);
    return;
  }
  const trailing = dims2.slice(axis);
  if (trailing.every((d) => d !== null)) {
    const longer = trailing.flatMap((d, i) => d !== 1 ? [axis + i] : []);
    if (longer.length <= 1) {
      emitSingleAxis(node, ctx, longer[0] ?? rank - 1);
      return;
    }
  }
  if (!isFullyKnown(dims2)) {
    throw new UnsupportedOpError14(
      node.opType,
      node.name,
      `opset ${ctx.opset} softmax over axes ${axis}..${rank - 1} of an input with unknown dims [${dims2.join(",")}] cannot be expressed; accepted: axis = last, or known dims`
    );
  }
  const [output = ""] = node.proto.output;
  const flat = ctx.claimValueName(`${output}/flat`);
  const normalised = ctx.claimValueName(`${output}/flat_softmax`);
  ctx.emit(makeNode(ctx.claimNodeName(`${node.name}/flatten`), "Flatten", { axis }, [ctx.use(x, "plain", node)], [flat]));
  ctx.emit(makeNode(node.name, "Softmax", { axis: 1 }, [flat], [normalised]));
  ctx.emit(makeNode(ctx.claimNodeName(`${node.name}/reshape`), "Reshape", { shape: [...dims2] }, [normalised], [output]));
  ctx.defineRuntime(output, "plain", dims2);
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/onnx/converters/registry.ts
var CONVERTERS = /* @__PURE__ */ new Map([
  ["Constant", convertConstant],
  ["Conv", convertConv],
  ["ConvTranspose", convertConvTranspose],
  ["MaxPool", convertMaxPool],
  ["AveragePool", convertAveragePool],
  ["GlobalAveragePool", convertGlobalAveragePool],
  ["BatchNormalization", convertBatchNormalization],
  ["Relu", convertSimpleActivation],
  ["Sigmoid", convertSimpleActivation],
  ["Tanh", convertSimpleActivation],
  ["HardSwish", convertSimpleActivation],
  ["HardSigmoid", convertSimpleActivation],
  ["LeakyRelu", convertSimpleActivation],
  ["Clip", convertClip],
  ["PRelu", convertPRelu],
  ["Add", convertBinary],
  ["Sub", convertBinary],
  ["Mul", convertBinary],
  ["Div", convertBinary],
  ["Concat", convertConcat],
  ["Softmax", convertSoftmax],
  ["Pad", convertPad],
  ["Resize", convertResize],
  ["Upsample", convertUpsample],
  ["Gemm", convertGemm],
  ["MatMul", convertMatMul],
  ["Reshape", convertReshape],
  ["Flatten", convertFlatten],
  ["Transpose", convertTranspose],
  ["Squeeze", convertSqueeze],
  ["Unsqueeze", convertUnsqueeze],
  ["Identity", convertIdentity],
  ["Dropout", convertIdentity]
]);

// ../../tmp/oldsrc/packages/graph-runtime/src/import/onnx/decode.ts
import { fromBinary } from "@bufbuild/protobuf";
import { ModelFormatError as ModelFormatError4 } from "@motiondelta/core";
import { ModelProtoSchema } from "onnx-buf";
function decodeModel(bytes, location) {
  if (bytes.byteLength === 0) {
    throw new ModelFormatError4(`${location}: the file is empty; expected an ONNX model (protobuf ModelProto).`);
  }
  let model;
  try {
    model = fromBinary(ModelProtoSchema, bytes);
  } catch (cause) {
    throw new ModelFormatError4(
      `${location}: not a readable ONNX model (protobuf decoding failed: ${cause.message}); the file may be truncated or corrupt.`,
      { cause }
    );
  }
  const graph = model.graph;
  if (model.irVersion <= 0n || graph === void 0 || graph.node.length === 0 || graph.output.length === 0) {
    throw new ModelFormatError4(
      `${location}: not a usable ONNX model: expected an IR version and a graph with nodes and outputs (found ir_version ${model.irVersion}, ${graph?.node.length ?? 0} nodes, ${graph?.output.length ?? 0} outputs); the file may be truncated or not an ONNX file.`
    );
  }
  const defaultOpset = model.opsetImport.find((o) => o.domain === "" || o.domain === "ai.onnx");
  if (defaultOpset === void 0) {
    throw new ModelFormatError4(`${location}: the model imports no version of the default ONNX operator set (opset_import).`);
  }
  const opset = Number(defaultOpset.version);
  if (!Number.isInteger(opset) || opset < 1 || opset > 1e3) {
    throw new ModelFormatError4(`${location}: opset version ${defaultOpset.version} is not a valid ONNX opset.`);
  }
  return { model, graph, opset };
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/onnx/index.ts
function declaredDims(info, location) {
  const type = info.type?.value;
  if (type === void 0) return void 0;
  if (type.case !== "tensorType") {
    throw new ModelFormatError5(`${location}: graph value '${info.name}' is a ${type.case}; only tensors are supported.`);
  }
  const shape = type.value.shape;
  if (shape === void 0) return void 0;
  return shape.dim.map((d) => d.value.case === "dimValue" && d.value.value > 0n ? Number(d.value.value) : null);
}
function sortNodes(nodes, available, location) {
  const producers = /* @__PURE__ */ new Map();
  nodes.forEach((node, i) => node.output.forEach((o) => o !== "" && producers.set(o, i)));
  nodes.forEach((node, i) => {
    for (const input of node.input) {
      if (input !== "" && !available.has(input) && !producers.has(input)) {
        const name = node.name === "" ? `${node.opType}_${i}` : node.name;
        throw new ModelFormatError5(
          `${location}: node '${name}' (${node.opType}) reads '${input}', which is neither a graph input, an initializer nor a node output.`
        );
      }
    }
  });
  const done = new Set(available);
  const sorted = [];
  const pending = new Set(nodes.keys());
  while (pending.size > 0) {
    let progressed = false;
    for (const i of pending) {
      const node = nodes[i];
      if (node.input.every((input) => input === "" || done.has(input))) {
        sorted.push(node);
        node.output.forEach((o) => done.add(o));
        pending.delete(i);
        progressed = true;
      }
    }
    if (!progressed) {
      const stuck = nodes[pending.values().next().value];
      throw new ModelFormatError5(`${location}: the graph has a cycle through node '${stuck.name || stuck.opType}'.`);
    }
  }
  return sorted;
}
function importOnnx(bytes, location) {
  const { graph: proto, opset } = decodeModel(bytes, location);
  const initializerNames = new Set(proto.initializer.map((t) => t.name));
  const graphInputs = proto.input.filter((i) => !initializerNames.has(i.name));
  const reserved = new Set(graphInputs.map((i) => i.name));
  for (const node of proto.node) if (node.opType !== "Constant") {
    for (const o of node.output) if (o !== "") reserved.add(o);
  }
  const ctx = new ImportContext(location, opset, reserved);
  for (const tensor of proto.initializer) {
    ctx.define(tensor.name, decodeTensor(tensor, `${location}: initializer '${tensor.name}'`));
  }
  const inputs = graphInputs.map((info) => {
    const elemType = info.type?.value?.case === "tensorType" ? info.type.value.value.elemType : TensorProto_DataType2.FLOAT;
    if (elemType !== TensorProto_DataType2.FLOAT) {
      throw new ModelFormatError5(
        `${location}: graph input '${info.name}' has element type ${TensorProto_DataType2[elemType] ?? elemType}; MotionDelta accepts float32 inputs only.`
      );
    }
    const dims2 = declaredDims(info, location);
    if (dims2 === void 0) {
      throw new ModelFormatError5(`${location}: graph input '${info.name}' declares no shape; its rank must be known.`);
    }
    ctx.defineRuntime(info.name, "nhwc", dims2);
    return { name: info.name, shape: dims2.length === 4 ? permuteDims(dims2, NCHW_TO_NHWC) : [...dims2], dtype: "float32" };
  });
  const consumed = new Set(proto.output.map((o) => o.name));
  for (const node of proto.node) for (const i of node.input) consumed.add(i);
  const nodes = sortNodes(proto.node, /* @__PURE__ */ new Set([...initializerNames, ...graphInputs.map((i) => i.name)]), location);
  const indexOf = new Map(proto.node.map((n, i) => [n, i]));
  for (const proto2 of nodes) {
    const index = indexOf.get(proto2);
    const name = ctx.claimNodeName(proto2.name !== "" ? proto2.name : `${proto2.opType}_${index}`);
    const where = `${location}: node '${name}' (${proto2.opType})`;
    const node = { proto: proto2, opType: proto2.opType, name, attrs: new NodeAttributes(proto2, where), where };
    const domain = proto2.domain === "ai.onnx" ? "" : proto2.domain;
    const convert = domain === "" ? CONVERTERS.get(proto2.opType) : void 0;
    if (convert === void 0) {
      throw new UnsupportedOpError15(domain === "" ? proto2.opType : `${domain}.${proto2.opType}`, name);
    }
    convert(node, ctx);
    for (const output of proto2.output) {
      if (output !== "" && !ctx.has(output) && consumed.has(output)) {
        throw new UnsupportedOpError15(proto2.opType, name, `its output '${output}' is used but not supported (only the first output is)`);
      }
    }
  }
  const outputs = proto.output.map((info) => {
    const value = ctx.find(info.name);
    if (value === void 0) {
      throw new ModelFormatError5(`${location}: graph output '${info.name}' is not produced by any node.`);
    }
    if (value.kind !== "runtime") {
      const source = `${info.name}/const`;
      const nodeName = ctx.claimNodeName(source);
      const ref = { opType: "Identity", name: nodeName, where: `${location}: graph output '${info.name}'` };
      ctx.emit(makeNode(nodeName, "Identity", {}, [ctx.use(info.name, "plain", ref)], [info.name]));
      return { name: info.name, shape: [...value.dims], dtype: "float32" };
    }
    const declared = declaredDims(info, location);
    const dims2 = value.dims.map((d, i) => d ?? declared?.[i] ?? null);
    return { name: value.irName, shape: [...storedDims({ ...value, dims: dims2 })], dtype: "float32" };
  });
  return {
    source: { format: "onnx", location },
    inputs,
    outputs,
    nodes: ctx.nodes,
    constants: ctx.constants,
    intConstants: /* @__PURE__ */ new Map()
  };
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/tfjs/graph-model.ts
import { ModelFormatError as ModelFormatError10, UnsupportedOpError as UnsupportedOpError21 } from "@motiondelta/core";

// ../../tmp/oldsrc/packages/graph-runtime/src/import/tfjs/graph-builder.ts
var GraphBuilder = class {
  nodes = [];
  constants = /* @__PURE__ */ new Map();
  intConstants = /* @__PURE__ */ new Map();
  usedNames = /* @__PURE__ */ new Set();
  /** Returns `base`, or `base_1`, `base_2`, ... when a node already has that name. */
  uniqueName(base) {
    let name = base;
    for (let i = 1; this.usedNames.has(name); i++) name = `${base}_${i}`;
    this.usedNames.add(name);
    return name;
  }
  addConstant(name, tensor) {
    this.constants.set(name, tensor);
    return name;
  }
  addIntConstant(name, tensor) {
    this.intConstants.set(name, tensor);
    return name;
  }
  hasConstant(name) {
    return this.constants.has(name);
  }
  getConstant(name) {
    return this.constants.get(name);
  }
  /** Adds a node whose single output value carries the node's (unique) name. */
  add(baseName, op, attrs, inputs) {
    const name = this.uniqueName(baseName);
    this.nodes.push(makeNode(name, op, attrs, inputs, [name]));
    return name;
  }
  build(source, inputs, outputs) {
    const read = /* @__PURE__ */ new Set();
    for (const node of this.nodes) for (const input of node.inputs) read.add(input);
    const keep = (all) => new Map([...all].filter(([name]) => read.has(name)));
    return {
      source,
      inputs,
      outputs,
      nodes: this.nodes,
      constants: keep(this.constants),
      intConstants: keep(this.intConstants)
    };
  }
};

// ../../tmp/oldsrc/packages/graph-runtime/src/import/tfjs/graph-context.ts
import { ModelFormatError as ModelFormatError8, UnsupportedOpError as UnsupportedOpError17, formatShape } from "@motiondelta/core";

// ../../tmp/oldsrc/packages/graph-runtime/src/import/tfjs/graph-def.ts
import { ModelFormatError as ModelFormatError7, UnsupportedOpError as UnsupportedOpError16 } from "@motiondelta/core";

// ../../tmp/oldsrc/packages/graph-runtime/src/import/tfjs/model-json.ts
import { ModelFormatError as ModelFormatError6 } from "@motiondelta/core";
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function parseModelJson(json, location) {
  if (!isRecord(json)) {
    throw new ModelFormatError6(`${location}: a TF.js model.json must be a JSON object, got ${describe(json)}.`);
  }
  const topology = json["modelTopology"];
  if (!isRecord(topology)) {
    throw new ModelFormatError6(`${location}: 'modelTopology' is missing or not an object; a TF.js model.json needs one.`);
  }
  const kind = detectKind(json["format"], topology, location);
  const manifest = json["weightsManifest"];
  if (!Array.isArray(manifest)) {
    throw new ModelFormatError6(`${location}: 'weightsManifest' is missing or not an array.`);
  }
  const weightsManifest = manifest.map((group, g) => parseGroup(group, `${location}: weightsManifest[${g}]`));
  const signature = json["signature"];
  return isRecord(signature) ? { kind, modelTopology: topology, weightsManifest, signature } : { kind, modelTopology: topology, weightsManifest };
}
function detectKind(format, topology, location) {
  if (format === "graph-model") return "graph";
  if (format === "layers-model") return "layers";
  if (format !== void 0) {
    throw new ModelFormatError6(`${location}: unknown format '${String(format)}'; accepted: 'graph-model', 'layers-model'.`);
  }
  if (Array.isArray(topology["node"])) return "graph";
  if ("model_config" in topology || "class_name" in topology) return "layers";
  throw new ModelFormatError6(
    `${location}: cannot tell a graph model from a layers model: no 'format' field, and 'modelTopology' has neither 'node' nor 'model_config'.`
  );
}
function parseGroup(group, where) {
  if (!isRecord(group)) throw new ModelFormatError6(`${where} is not an object.`);
  const paths = group["paths"];
  if (!Array.isArray(paths) || !paths.every((p) => typeof p === "string")) {
    throw new ModelFormatError6(`${where}.paths must be an array of shard file names.`);
  }
  const weights = group["weights"];
  if (!Array.isArray(weights)) throw new ModelFormatError6(`${where}.weights must be an array.`);
  return { paths, weights: weights.map((w, i) => parseWeightSpec(w, `${where}.weights[${i}]`)) };
}
function parseWeightSpec(spec, where) {
  if (!isRecord(spec)) throw new ModelFormatError6(`${where} is not an object.`);
  const { name, shape, dtype, quantization } = spec;
  if (typeof name !== "string") throw new ModelFormatError6(`${where} has no 'name'.`);
  const at = `${where} ('${name}')`;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ModelFormatError6(`${at}: 'shape' must be an array of non-negative integers.`);
  }
  if (dtype !== "float32" && dtype !== "int32") {
    throw new ModelFormatError6(`${at}: dtype '${String(dtype)}' is not supported; accepted: float32, int32.`);
  }
  if (quantization === void 0) return { name, shape, dtype };
  return { name, shape, dtype, quantization: parseQuantization(quantization, dtype, at) };
}
function parseQuantization(q, dtype, at) {
  if (!isRecord(q)) throw new ModelFormatError6(`${at}: 'quantization' is not an object.`);
  const qd = q["dtype"];
  if (qd === "float16") {
    if (dtype !== "float32") throw new ModelFormatError6(`${at}: float16 quantization only applies to float32 weights, not ${dtype}.`);
    return { dtype: qd };
  }
  if (qd === "uint8" || qd === "uint16") {
    const { min, scale } = q;
    if (typeof min !== "number" || typeof scale !== "number") {
      throw new ModelFormatError6(`${at}: ${qd} quantization needs numeric 'min' and 'scale'.`);
    }
    return { dtype: qd, min, scale };
  }
  throw new ModelFormatError6(`${at}: quantization dtype '${String(qd)}' is not supported; accepted: uint8, uint16, float16.`);
}
function describe(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/tfjs/graph-def.ts
function parseGraphDef(topology, location) {
  const nodes = topology["node"];
  if (!Array.isArray(nodes)) throw new ModelFormatError7(`${location}: graph model topology has no 'node' array.`);
  const library = topology["library"];
  if (isRecord(library) && Array.isArray(library["function"]) && library["function"].length > 0) {
    throw new UnsupportedOpError16("FunctionDefLibrary", location, "graph models with functions (control flow) are not supported");
  }
  return nodes.map((raw, i) => {
    if (!isRecord(raw)) throw new ModelFormatError7(`${location}: modelTopology.node[${i}] is not an object.`);
    const { name, op, input, attr } = raw;
    if (typeof name !== "string" || typeof op !== "string") {
      throw new ModelFormatError7(`${location}: modelTopology.node[${i}] needs string 'name' and 'op'.`);
    }
    if (input !== void 0 && !(Array.isArray(input) && input.every((s) => typeof s === "string"))) {
      throw new ModelFormatError7(`${location}: node '${name}' has a malformed 'input' list.`);
    }
    if (attr !== void 0 && !isRecord(attr)) throw new ModelFormatError7(`${location}: node '${name}' has a malformed 'attr'.`);
    const inputs = (input ?? []).filter((s) => !s.startsWith("^"));
    return { name, op, inputs, attr: attr ?? {} };
  });
}
function tensorRef(input) {
  return input.endsWith(":0") ? input.slice(0, -2) : input;
}
var AttrReader = class {
  constructor(node, location) {
    this.node = node;
    this.location = location;
  }
  fail(attr, expected) {
    throw new ModelFormatError7(`${this.location}: node '${this.node.name}' (${this.node.op}) attribute '${attr}' must be ${expected}.`);
  }
  has(attr) {
    return attr in this.node.attr;
  }
  /** String attributes are base64 in the converter's JSON. */
  string(attr, fallback) {
    const s = this.node.attr[attr]?.s;
    if (s === void 0) return fallback ?? this.fail(attr, "a string");
    return decodeBase64(s);
  }
  strings(attr) {
    return (this.node.attr[attr]?.list?.s ?? []).map((s) => decodeBase64(s));
  }
  int(attr, fallback) {
    const i = this.node.attr[attr]?.i;
    if (i === void 0) return fallback ?? this.fail(attr, "an integer");
    return Number(i);
  }
  ints(attr, fallback) {
    const list = this.node.attr[attr]?.list;
    if (list === void 0) return fallback ? [...fallback] : this.fail(attr, "a list of integers");
    return (list.i ?? []).map(Number);
  }
  float(attr, fallback) {
    const f = this.node.attr[attr]?.f;
    if (f === void 0) return fallback ?? this.fail(attr, "a number");
    return Number(f);
  }
  bool(attr, fallback) {
    return this.node.attr[attr]?.b ?? fallback;
  }
  type(attr) {
    return this.node.attr[attr]?.type;
  }
  /** A `shape` attribute with unknown (-1) dimensions as null; undefined when the rank is unknown. */
  shape(attr) {
    const shape = this.node.attr[attr]?.shape;
    if (shape === void 0 || shape.unknownRank === true) return void 0;
    return (shape.dim ?? []).map((d) => {
      const size = Number(d.size ?? -1);
      return size < 0 ? null : size;
    });
  }
};
function decodeBase64(s) {
  const binary = atob(s);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new TextDecoder().decode(bytes);
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/tfjs/graph-context.ts
var GraphImportContext = class {
  constructor(builder, location) {
    this.builder = builder;
    this.location = location;
  }
  values = /* @__PURE__ */ new Map();
  floats = /* @__PURE__ */ new Map();
  ints = /* @__PURE__ */ new Map();
  attrs(node) {
    return new AttrReader(node, this.location);
  }
  defineFloatConst(name, tensor) {
    this.floats.set(name, tensor);
    this.builder.addConstant(name, tensor);
    this.values.set(name, name);
  }
  defineIntConst(name, tensor) {
    this.ints.set(name, tensor);
  }
  /** Records that TF tensor `tfName` is IR value `irValue`. */
  define(tfName, irValue) {
    this.values.set(tfName, irValue);
  }
  isKnown(tfName) {
    return this.values.has(tfName) || this.ints.has(tfName);
  }
  /** Resolves a TF tensor reference to an IR value name, or undefined when nothing produced it. */
  resolve(tfRef) {
    return this.values.get(tensorRef(tfRef));
  }
  inputRef(node, index) {
    const ref = node.inputs[index];
    if (ref === void 0) {
      throw new ModelFormatError8(`${this.location}: node '${node.name}' (${node.op}) needs an input #${index}, it has ${node.inputs.length}.`);
    }
    return tensorRef(ref);
  }
  /** The IR value feeding input `index` of `node`; int constants are not data in the IR. */
  input(node, index) {
    const ref = this.inputRef(node, index);
    const value = this.values.get(ref);
    if (value !== void 0) return value;
    if (this.ints.has(ref)) {
      throw new UnsupportedOpError17(node.op, node.name, `input #${index} ('${ref}') is an int32 constant where float data is expected`);
    }
    throw new ModelFormatError8(`${this.location}: node '${node.name}' reads '${ref}', which no node of the graph produces.`);
  }
  /** The float constant at input `index`, or undefined when that input is computed. */
  floatConst(node, index) {
    return this.floats.get(this.inputRef(node, index));
  }
  /** The float constant at input `index`; the op is unsupported when it is computed at run time. */
  requireFloatConst(node, index, what) {
    const tensor = this.floatConst(node, index);
    if (tensor === void 0) throw new UnsupportedOpError17(node.op, node.name, `its ${what} (input #${index}) must be a constant`);
    return tensor;
  }
  /** An integer constant input folded into attributes (sizes, axes, paddings, shapes). */
  intConst(node, index, what) {
    const ref = this.inputRef(node, index);
    const tensor = this.ints.get(ref);
    if (tensor === void 0) throw new UnsupportedOpError17(node.op, node.name, `its ${what} ('${ref}') must be an int32 constant`);
    return tensor;
  }
  /** Checks a constant's element count, naming the node and what was expected. */
  expectSize(node, what, shape, size, accepted) {
    const n = shape.reduce((a, b) => a * b, 1);
    if (n !== size) {
      throw new ModelFormatError8(`${this.location}: node '${node.name}' (${node.op}) ${what} has shape ${formatShape(shape)}; expected ${accepted}.`);
    }
  }
};

// ../../tmp/oldsrc/packages/graph-runtime/src/import/tfjs/graph-ops-conv.ts
import { ModelFormatError as ModelFormatError9, UnsupportedOpError as UnsupportedOpError18, formatShape as formatShape2 } from "@motiondelta/core";

// ../../tmp/oldsrc/packages/graph-runtime/src/import/tfjs/activations.ts
var RELU = { kind: "relu" };
var RELU6 = { kind: "clip", min: 0, max: 6 };
var SIGMOID = { kind: "sigmoid" };
var TANH = { kind: "tanh" };
var KERAS_HARD_SIGMOID = { kind: "hardSigmoid", alpha: 0.2, beta: 0.5 };
function kerasActivation(name) {
  switch (name) {
    case "linear":
      return { kind: "linear" };
    case "relu":
      return { kind: "fused", spec: RELU };
    case "relu6":
      return { kind: "fused", spec: RELU6 };
    case "sigmoid":
      return { kind: "fused", spec: SIGMOID };
    case "tanh":
      return { kind: "fused", spec: TANH };
    case "hard_sigmoid":
    case "hardSigmoid":
      return { kind: "fused", spec: KERAS_HARD_SIGMOID };
    case "softmax":
      return { kind: "softmax" };
    case "swish":
    case "silu":
      return { kind: "swish" };
    default:
      return void 0;
  }
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/tfjs/graph-ops-conv.ts
function requireNhwc(node, a) {
  const format = a.string("data_format", "NHWC");
  if (format !== "NHWC") throw new UnsupportedOpError18(node.op, node.name, `data_format '${format}' (only NHWC is accepted)`);
}
function spatialPair2(node, a, attr, fallback) {
  const v = a.ints(attr, fallback);
  if (v.length !== 4 || v[0] !== 1 || v[3] !== 1) {
    throw new UnsupportedOpError18(node.op, node.name, `${attr} ${formatShape2(v)} (accepted: [1, h, w, 1])`);
  }
  return [v[1], v[2]];
}
function tfPadding(node, a) {
  const padding = a.string("padding");
  if (padding === "SAME") return { autoPad: "same-upper", pads: [0, 0, 0, 0] };
  if (padding === "VALID") return { autoPad: "valid", pads: [0, 0, 0, 0] };
  if (padding === "EXPLICIT") {
    const p = a.ints("explicit_paddings");
    if (p.length !== 8 || p[0] !== 0 || p[1] !== 0 || p[6] !== 0 || p[7] !== 0) {
      throw new UnsupportedOpError18(node.op, node.name, `explicit_paddings ${formatShape2(p)} (accepted: 8 values, zero on N and C)`);
    }
    return { autoPad: "explicit", pads: [p[2], p[4], p[3], p[5]] };
  }
  throw new UnsupportedOpError18(node.op, node.name, `padding '${padding}' (accepted: SAME, VALID, EXPLICIT)`);
}
function fusedOps(node, ctx, firstArg) {
  const a = ctx.attrs(node);
  const ops = a.strings("fused_ops");
  let arg = firstArg;
  let bias;
  let activation;
  for (const op of ops) {
    if (activation !== void 0) throw new UnsupportedOpError18(node.op, node.name, `fused op '${op}' after an activation`);
    switch (op) {
      case "BiasAdd":
        bias = ctx.input(node, arg++);
        break;
      case "Relu":
        activation = RELU;
        break;
      case "Relu6":
        activation = RELU6;
        break;
      case "Sigmoid":
        activation = SIGMOID;
        break;
      case "Tanh":
        activation = TANH;
        break;
      case "LeakyRelu":
        activation = { kind: "leakyRelu", alpha: a.float("leakyrelu_alpha", 0.2) };
        break;
      case "Prelu":
        activation = { kind: "prelu", slope: Float32Array.from(ctx.requireFloatConst(node, arg++, "PReLU alpha").data) };
        break;
      default:
        throw new UnsupportedOpError18(node.op, node.name, `fused op '${op}' (accepted: BiasAdd, Relu, Relu6, Sigmoid, Tanh, LeakyRelu, Prelu)`);
    }
  }
  return { ...bias !== void 0 && { bias }, ...activation !== void 0 && { activation } };
}
function filterOf(node, ctx) {
  const filter = ctx.requireFloatConst(node, 1, "filter");
  if (filter.shape.length !== 4) {
    throw new ModelFormatError9(`${ctx.location}: node '${node.name}' (${node.op}) filter has shape ${formatShape2(filter.shape)}; expected [kh, kw, in, out].`);
  }
  return filter;
}
function convertConv2(node, ctx, depthwise, fused) {
  const a = ctx.attrs(node);
  requireNhwc(node, a);
  const x = ctx.input(node, 0);
  const filter = filterOf(node, ctx);
  const [kh, kw, cin, mult] = filter.shape;
  const weight = depthwise ? ctx.builder.addConstant(`${node.name}/weight`, { data: filter.data, shape: [kh, kw, 1, cin * mult] }) : ctx.input(node, 1);
  const { bias, activation } = fused ? fusedOps(node, ctx, 2) : {};
  const { autoPad, pads } = tfPadding(node, a);
  const attrs = {
    kernel: [kh, kw],
    strides: spatialPair2(node, a, "strides"),
    dilations: spatialPair2(node, a, "dilations", [1, 1, 1, 1]),
    pads,
    autoPad,
    // A TF Conv2D filter whose in-dimension is smaller than the input's channels is a grouped conv;
    // the input's channel count is not known here, so grouped (non-depthwise) convs import as groups=1.
    groups: depthwise ? cin : 1,
    ...activation !== void 0 && { activation }
  };
  const inputs = bias !== void 0 ? [x, weight, bias] : [x, weight];
  ctx.define(node.name, ctx.builder.add(node.name, "Conv2D", attrs, inputs));
}
function convertConvBackpropInput(node, ctx) {
  const a = ctx.attrs(node);
  requireNhwc(node, a);
  const sizes = ctx.intConst(node, 0, "input_sizes");
  ctx.expectSize(node, "input_sizes", sizes.shape, 4, "4 values [N, H, W, C]");
  const filter = filterOf(node, ctx);
  const [kh, kw, cout, cin] = filter.shape;
  if (sizes.data[3] !== cout) {
    throw new ModelFormatError9(`${ctx.location}: node '${node.name}' input_sizes has ${sizes.data[3]} channels but its filter makes ${cout}.`);
  }
  const strides = spatialPair2(node, a, "strides");
  const dilations = spatialPair2(node, a, "dilations", [1, 1, 1, 1]);
  const padding = tfPadding(node, a);
  const axis = (i) => {
    const out2 = sizes.data[1 + i];
    const k = i === 0 ? kh : kw;
    const keff = (k - 1) * dilations[i] + 1;
    const s = strides[i];
    let begin;
    let inSize;
    if (padding.autoPad === "same-upper") {
      inSize = Math.ceil(out2 / s);
      begin = Math.floor(Math.max((inSize - 1) * s + keff - out2, 0) / 2);
    } else {
      begin = padding.pads[i];
      const end2 = padding.pads[i + 2];
      inSize = Math.floor((out2 + begin + end2 - keff) / s) + 1;
    }
    const full = (inSize - 1) * s + keff;
    const end = full - begin - out2;
    return { begin, end: Math.max(end, 0), extra: Math.max(-end, 0) };
  };
  const h = axis(0);
  const w = axis(1);
  const weight = new Float32Array(filter.data.length);
  for (let p = 0; p < kh * kw; p++) {
    for (let o = 0; o < cout; o++) {
      for (let i = 0; i < cin; i++) weight[(p * cin + i) * cout + o] = filter.data[(p * cout + o) * cin + i];
    }
  }
  const weightName = ctx.builder.addConstant(`${node.name}/weight`, { data: weight, shape: [kh, kw, cin, cout] });
  const out = ctx.builder.add(
    node.name,
    "ConvTranspose2D",
    { kernel: [kh, kw], strides, dilations, pads: [h.begin, w.begin, h.end, w.end], outputPadding: [h.extra, w.extra], groups: 1 },
    [ctx.input(node, 2), weightName]
  );
  ctx.define(node.name, out);
}
function convertMatMul2(node, ctx, fused) {
  const a = ctx.attrs(node);
  const { bias, activation } = fused ? fusedOps(node, ctx, 2) : {};
  const inputs = [ctx.input(node, 0), ctx.input(node, 1), ...bias !== void 0 ? [bias] : []];
  const attrs = {
    alpha: 1,
    beta: 1,
    transA: a.bool("transpose_a", false),
    transB: a.bool("transpose_b", false),
    ...activation !== void 0 && { activation }
  };
  ctx.define(node.name, ctx.builder.add(node.name, "Gemm", attrs, inputs));
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/tfjs/graph-ops-elementwise.ts
import { UnsupportedOpError as UnsupportedOpError19, formatShape as formatShape3, sizeOf } from "@motiondelta/core";
var BINARY = { Add: "Add", AddV2: "Add", BiasAdd: "Add", Sub: "Sub", Mul: "Mul", RealDiv: "Div", Div: "Div" };
function isBinaryOp(op) {
  return op in BINARY;
}
function convertBinary2(node, ctx, op) {
  if (op === "BiasAdd") requireNhwc(node, ctx.attrs(node));
  const out = ctx.builder.add(node.name, BINARY[op], {}, [ctx.input(node, 0), ctx.input(node, 1)]);
  ctx.define(node.name, out);
}
function convertAddN(node, ctx) {
  const n = node.inputs.length;
  if (n === 0) throw new UnsupportedOpError19(node.op, node.name, "AddN with no inputs");
  if (n === 1) {
    ctx.define(node.name, ctx.builder.add(node.name, "Identity", {}, [ctx.input(node, 0)]));
    return;
  }
  let acc = ctx.input(node, 0);
  for (let i = 1; i < n; i++) {
    const name = i === n - 1 ? node.name : `${node.name}/partial_${i}`;
    acc = ctx.builder.add(name, "Add", {}, [acc, ctx.input(node, i)]);
  }
  ctx.define(node.name, acc);
}
function activationOf(node, ctx) {
  switch (node.op) {
    case "Relu":
      return RELU;
    case "Relu6":
      return RELU6;
    case "Sigmoid":
      return SIGMOID;
    case "Tanh":
      return TANH;
    case "LeakyRelu":
      return { kind: "leakyRelu", alpha: ctx.attrs(node).float("alpha", 0.2) };
    case "Prelu":
      return { kind: "prelu", slope: Float32Array.from(ctx.requireFloatConst(node, 1, "alpha").data) };
    default:
      throw new UnsupportedOpError19(node.op, node.name);
  }
}
var ACTIVATION_OPS = /* @__PURE__ */ new Set(["Relu", "Relu6", "Sigmoid", "Tanh", "LeakyRelu", "Prelu"]);
function convertActivation(node, ctx) {
  const activation = activationOf(node, ctx);
  ctx.define(node.name, ctx.builder.add(node.name, "Activation", { activation }, [ctx.input(node, 0)]));
}
function convertMinMax(node, ctx) {
  const constIndex = ctx.floatConst(node, 1) !== void 0 ? 1 : ctx.floatConst(node, 0) !== void 0 ? 0 : -1;
  const c = constIndex < 0 ? void 0 : ctx.floatConst(node, constIndex);
  if (c === void 0 || sizeOf(c.shape) !== 1) {
    const detail = c === void 0 ? "both operands are computed" : `its constant has shape ${formatShape3(c.shape)}`;
    throw new UnsupportedOpError19(node.op, node.name, `${detail}; only a comparison with a scalar constant is accepted`);
  }
  const v = c.data[0];
  const activation = node.op === "Maximum" ? v === 0 ? RELU : { kind: "clip", min: v, max: Infinity } : { kind: "clip", min: -Infinity, max: v };
  ctx.define(node.name, ctx.builder.add(node.name, "Activation", { activation }, [ctx.input(node, 1 - constIndex)]));
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/tfjs/graph-ops-layout.ts
import { UnsupportedOpError as UnsupportedOpError20, formatShape as formatShape4 } from "@motiondelta/core";
function convertPool(node, ctx) {
  const a = ctx.attrs(node);
  requireNhwc(node, a);
  const { autoPad, pads } = tfPadding(node, a);
  const attrs = {
    kernel: spatialPair2(node, a, "ksize"),
    strides: spatialPair2(node, a, "strides"),
    pads,
    autoPad,
    ceilMode: false,
    countIncludePad: false
  };
  const op = node.op === "AvgPool" ? "AvgPool2D" : "MaxPool2D";
  ctx.define(node.name, ctx.builder.add(node.name, op, attrs, [ctx.input(node, 0)]));
}
function convertMean(node, ctx) {
  const axes = [...ctx.intConst(node, 1, "reduction axes").data].map((d) => d < 0 ? d + 4 : d).sort();
  if (axes.length !== 2 || axes[0] !== 1 || axes[1] !== 2) {
    throw new UnsupportedOpError20(node.op, node.name, `reduction over axes ${formatShape4(axes)} (only [1, 2] of NHWC is accepted)`);
  }
  const keepDims = ctx.attrs(node).bool("keep_dims", false);
  const x = ctx.input(node, 0);
  if (keepDims) {
    ctx.define(node.name, ctx.builder.add(node.name, "GlobalAvgPool", {}, [x]));
    return;
  }
  const pooled = ctx.builder.add(`${node.name}/global_pool`, "GlobalAvgPool", {}, [x]);
  ctx.define(node.name, ctx.builder.add(node.name, "Reshape", { shape: [0, -1] }, [pooled]));
}
function convertResize2(node, ctx) {
  const a = ctx.attrs(node);
  const size = ctx.intConst(node, 1, "size");
  ctx.expectSize(node, "size", size.shape, 2, "2 values [height, width]");
  const alignCorners = a.bool("align_corners", false);
  const halfPixel = a.bool("half_pixel_centers", false);
  const nearest = node.op === "ResizeNearestNeighbor";
  if (alignCorners && halfPixel) throw new UnsupportedOpError20(node.op, node.name, "align_corners and half_pixel_centers both set");
  const attrs = {
    mode: nearest ? "nearest" : "linear",
    coordinateMode: alignCorners ? "align_corners" : halfPixel ? nearest ? "tf_half_pixel_for_nn" : "half_pixel" : "asymmetric",
    nearestMode: alignCorners ? "round_prefer_ceil" : "floor",
    sizes: [size.data[0], size.data[1]]
  };
  ctx.define(node.name, ctx.builder.add(node.name, "Resize", attrs, [ctx.input(node, 0)]));
}
function convertConcat2(node, ctx) {
  const v2 = node.op === "ConcatV2";
  const axisIndex = v2 ? node.inputs.length - 1 : 0;
  const axis = ctx.intConst(node, axisIndex, "axis");
  ctx.expectSize(node, "axis", axis.shape, 1, "a scalar");
  const inputs = node.inputs.map((_, i) => i).filter((i) => i !== axisIndex).map((i) => ctx.input(node, i));
  ctx.define(node.name, ctx.builder.add(node.name, "Concat", { axis: axis.data[0] }, inputs));
}
function convertPad2(node, ctx) {
  const paddings = ctx.intConst(node, 1, "paddings");
  const rank = paddings.shape[0] ?? 0;
  if (paddings.shape.length !== 2 || paddings.shape[1] !== 2) {
    throw new UnsupportedOpError20(node.op, node.name, `paddings of shape ${formatShape4(paddings.shape)} (accepted: [rank, 2])`);
  }
  const begins = Array.from({ length: rank }, (_, i) => paddings.data[2 * i]);
  const ends = Array.from({ length: rank }, (_, i) => paddings.data[2 * i + 1]);
  let mode = "constant";
  let value = 0;
  if (node.op === "MirrorPad") {
    const m = ctx.attrs(node).string("mode");
    if (m !== "REFLECT") throw new UnsupportedOpError20(node.op, node.name, `mode '${m}' (only REFLECT is accepted)`);
    mode = "reflect";
  } else if (node.op === "PadV2") {
    const c = ctx.requireFloatConst(node, 2, "constant_values");
    ctx.expectSize(node, "constant_values", c.shape, 1, "a scalar");
    value = c.data[0];
  }
  ctx.define(node.name, ctx.builder.add(node.name, "Pad", { pads: [...begins, ...ends], mode, value }, [ctx.input(node, 0)]));
}
function convertReshape2(node, ctx) {
  const shape = [...ctx.intConst(node, 1, "shape").data];
  if (shape.includes(0)) throw new UnsupportedOpError20(node.op, node.name, `target shape ${formatShape4(shape)} has an empty dimension`);
  ctx.define(node.name, ctx.builder.add(node.name, "Reshape", { shape }, [ctx.input(node, 0)]));
}
function convertSqueeze2(node, ctx) {
  const axes = ctx.attrs(node).ints("squeeze_dims", []);
  if (axes.length === 0) throw new UnsupportedOpError20(node.op, node.name, "squeeze of every unit dimension (no squeeze_dims) needs static shapes");
  ctx.define(node.name, ctx.builder.add(node.name, "Squeeze", { axes }, [ctx.input(node, 0)]));
}
function convertExpandDims(node, ctx) {
  const axis = ctx.intConst(node, 1, "axis");
  ctx.expectSize(node, "axis", axis.shape, 1, "a scalar");
  ctx.define(node.name, ctx.builder.add(node.name, "Unsqueeze", { axes: [axis.data[0]] }, [ctx.input(node, 0)]));
}
function convertTranspose2(node, ctx) {
  const perm = [...ctx.intConst(node, 1, "perm").data];
  ctx.define(node.name, ctx.builder.add(node.name, "Transpose", { perm }, [ctx.input(node, 0)]));
}
function convertSoftmax2(node, ctx) {
  ctx.define(node.name, ctx.builder.add(node.name, "Softmax", { axis: -1 }, [ctx.input(node, 0)]));
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/tfjs/graph-model.ts
var CONVERTERS2 = {
  Conv2D: (n, c) => convertConv2(n, c, false, false),
  DepthwiseConv2dNative: (n, c) => convertConv2(n, c, true, false),
  _FusedConv2D: (n, c) => convertConv2(n, c, false, true),
  FusedDepthwiseConv2dNative: (n, c) => convertConv2(n, c, true, true),
  Conv2DBackpropInput: convertConvBackpropInput,
  MatMul: (n, c) => convertMatMul2(n, c, false),
  _FusedMatMul: (n, c) => convertMatMul2(n, c, true),
  AddN: convertAddN,
  Maximum: convertMinMax,
  Minimum: convertMinMax,
  AvgPool: convertPool,
  MaxPool: convertPool,
  Mean: convertMean,
  ResizeBilinear: convertResize2,
  ResizeNearestNeighbor: convertResize2,
  ConcatV2: convertConcat2,
  Concat: convertConcat2,
  Pad: convertPad2,
  PadV2: convertPad2,
  MirrorPad: convertPad2,
  Reshape: convertReshape2,
  Squeeze: convertSqueeze2,
  ExpandDims: convertExpandDims,
  Transpose: convertTranspose2,
  Softmax: convertSoftmax2
};
var PASS_THROUGH = /* @__PURE__ */ new Set(["Identity", "StopGradient", "Snapshot"]);
function importGraphModel(model, weights, location) {
  const tfNodes = topologicalOrder(parseGraphDef(model.modelTopology, location), location);
  const builder = new GraphBuilder();
  const ctx = new GraphImportContext(builder, location);
  const signatureInputs = signatureSection(model.signature, "inputs");
  const inputs = [];
  for (const node of tfNodes) {
    if (node.op === "Const") {
      defineConst(node, weights, ctx);
    } else if (node.op === "Placeholder" || node.op === "PlaceholderWithDefault") {
      inputs.push(placeholderInfo(node, ctx, signatureInputs));
      builder.uniqueName(node.name);
      ctx.define(node.name, node.name);
    } else if (node.op === "NoOp") {
      continue;
    } else if (PASS_THROUGH.has(node.op)) {
      const source = ctx.input(node, 0);
      ctx.define(node.name, builder.hasConstant(source) ? source : builder.add(node.name, "Identity", {}, [source]));
    } else if (isBinaryOp(node.op)) {
      convertBinary2(node, ctx, node.op);
    } else if (ACTIVATION_OPS.has(node.op)) {
      convertActivation(node, ctx);
    } else {
      const convert = CONVERTERS2[node.op];
      if (convert === void 0) throw new UnsupportedOpError21(node.op, node.name, `in ${location}`);
      convert(node, ctx);
    }
  }
  const outputs = graphOutputs(model.signature, tfNodes, ctx, location);
  return builder.build({ format: "tfjs-graph", location }, inputs, outputs);
}
function defineConst(node, weights, ctx) {
  const weight = weights.get(node.name);
  if (weight === void 0) {
    throw new ModelFormatError10(`${ctx.location}: constant node '${node.name}' has no entry in the weights manifest.`);
  }
  if (weight.dtype === "float32") ctx.defineFloatConst(node.name, weight.tensor);
  else ctx.defineIntConst(node.name, weight.tensor);
}
function signatureSection(signature, key) {
  const section = signature?.[key];
  return isRecord(section) ? section : void 0;
}
function dims(shape) {
  if (shape === void 0 || shape.unknownRank === true || shape.dim === void 0) return void 0;
  return shape.dim.map((d) => {
    const size = Number(d.size ?? -1);
    return size < 0 ? null : size;
  });
}
function placeholderInfo(node, ctx, signature) {
  const a = ctx.attrs(node);
  const dtype = a.type("dtype");
  if (dtype !== void 0 && dtype !== "DT_FLOAT") {
    throw new UnsupportedOpError21(node.op, node.name, `input dtype ${dtype} (only DT_FLOAT inputs are accepted)`);
  }
  const fromSignature = dims((signature?.[`${node.name}:0`] ?? signature?.[node.name])?.tensorShape);
  const shape = a.shape("shape") ?? fromSignature;
  if (shape === void 0) {
    throw new ModelFormatError10(`${ctx.location}: input '${node.name}' has an unknown rank; MotionDelta needs NHWC inputs of known rank.`);
  }
  return { name: node.name, shape, dtype: "float32" };
}
function graphOutputs(signature, nodes, ctx, location) {
  const section = signatureSection(signature, "outputs");
  let names;
  if (section !== void 0 && Object.keys(section).length > 0) {
    names = Object.entries(section).map(([key, info]) => ({ name: tensorRef(key), shape: dims(info.tensorShape) ?? [] }));
  } else {
    const consumed = new Set(nodes.flatMap((n) => n.inputs.map((i) => tensorRef(i))));
    names = nodes.filter((n) => !consumed.has(n.name) && n.op !== "Const" && n.op !== "NoOp" && n.op !== "Placeholder").map((n) => ({ name: n.name, shape: [] }));
  }
  return names.map(({ name, shape }) => {
    const value = ctx.resolve(name);
    if (value === void 0) throw new ModelFormatError10(`${location}: output '${name}' is not produced by any node of the graph.`);
    if (value !== name) {
      ctx.builder.add(name, "Identity", {}, [value]);
    }
    return { name, shape, dtype: "float32" };
  });
}
function topologicalOrder(nodes, location) {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const state = /* @__PURE__ */ new Map();
  const order = [];
  const visit = (root) => {
    const stack = [{ node: root, next: 0 }];
    state.set(root.name, "visiting");
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const ref = top.node.inputs[top.next++];
      if (ref === void 0) {
        state.set(top.node.name, "done");
        order.push(top.node);
        stack.pop();
        continue;
      }
      const dep = byName.get(tensorRef(ref).split(":")[0]);
      if (dep === void 0) continue;
      const s = state.get(dep.name);
      if (s === "visiting") throw new UnsupportedOpError21("cycle", dep.name, `${location} has a cycle (control flow is not supported)`);
      if (s === void 0) {
        state.set(dep.name, "visiting");
        stack.push({ node: dep, next: 0 });
      }
    }
  };
  for (const node of nodes) if (!state.has(node.name)) visit(node);
  return order;
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/tfjs/layers-model.ts
import { ModelFormatError as ModelFormatError14, UnsupportedOpError as UnsupportedOpError25 } from "@motiondelta/core";

// ../../tmp/oldsrc/packages/graph-runtime/src/import/tfjs/layers-config.ts
import { ModelFormatError as ModelFormatError11 } from "@motiondelta/core";
function parseKerasModel(topology, location) {
  const modelConfig = isRecord(topology["model_config"]) ? topology["model_config"] : topology;
  const className = modelConfig["class_name"];
  const config = modelConfig["config"];
  if (className === "Sequential") return parseSequential(config, location);
  if (className === "Model" || className === "Functional") return parseFunctional(config, location);
  throw new ModelFormatError11(`${location}: model class '${String(className)}' is not supported; accepted: Sequential, Functional, Model.`);
}
function parseLayerBase(raw, where) {
  if (!isRecord(raw)) throw new ModelFormatError11(`${where} is not an object.`);
  const className = raw["class_name"];
  const config = raw["config"];
  if (typeof className !== "string" || !isRecord(config)) throw new ModelFormatError11(`${where} needs 'class_name' and a 'config' object.`);
  const name = typeof raw["name"] === "string" ? raw["name"] : config["name"];
  if (typeof name !== "string") throw new ModelFormatError11(`${where} (${className}) has no name.`);
  return { className, name, config };
}
function parseRef(raw, where) {
  if (!Array.isArray(raw) || typeof raw[0] !== "string" || !Number.isInteger(raw[1]) || !Number.isInteger(raw[2])) {
    throw new ModelFormatError11(`${where} must be [layer name, node index, tensor index].`);
  }
  return { layer: raw[0], call: raw[1], tensor: raw[2] };
}
function parseFunctional(config, location) {
  if (!isRecord(config) || !Array.isArray(config["layers"])) {
    throw new ModelFormatError11(`${location}: functional model config needs a 'layers' array.`);
  }
  const layers = config["layers"].map((raw, i) => {
    const where = `${location}: layers[${i}]`;
    const base = parseLayerBase(raw, where);
    const inbound = raw["inbound_nodes"] ?? [];
    if (!Array.isArray(inbound)) throw new ModelFormatError11(`${where} ('${base.name}') has a malformed 'inbound_nodes'.`);
    const calls = inbound.map((call, k) => {
      if (!Array.isArray(call)) {
        throw new ModelFormatError11(
          `${where} ('${base.name}') inbound_nodes[${k}] is not a list of [layer, node, tensor] (Keras 3 files are not supported).`
        );
      }
      return call.map((ref, j) => parseRef(ref, `${where} ('${base.name}') inbound_nodes[${k}][${j}]`));
    });
    return { ...base, calls };
  });
  const refs = (key) => {
    const list = config[key];
    if (!Array.isArray(list)) throw new ModelFormatError11(`${location}: functional model config needs '${key}'.`);
    return list.map((r, i) => parseRef(r, `${location}: ${key}[${i}]`));
  };
  return { layers, inputs: refs("input_layers"), outputs: refs("output_layers") };
}
function parseSequential(config, location) {
  const rawLayers = Array.isArray(config) ? config : isRecord(config) ? config["layers"] : void 0;
  if (!Array.isArray(rawLayers) || rawLayers.length === 0) {
    throw new ModelFormatError11(`${location}: Sequential model config needs a non-empty 'layers' array.`);
  }
  const bases = rawLayers.map((raw, i) => parseLayerBase(raw, `${location}: layers[${i}]`));
  const layers = [];
  let previous;
  const first = bases[0];
  if (first.className === "InputLayer") {
    layers.push({ ...first, calls: [] });
    previous = first.name;
  } else {
    const shape = first.config["batch_input_shape"] ?? first.config["batch_shape"];
    if (shape === void 0) throw new ModelFormatError11(`${location}: the first layer '${first.name}' of the Sequential model has no batch_input_shape.`);
    previous = `${first.name}_input`;
    layers.push({ className: "InputLayer", name: previous, config: { batch_input_shape: shape }, calls: [] });
  }
  for (const base of bases) {
    if (base.className === "InputLayer") continue;
    layers.push({ ...base, calls: [[{ layer: previous, call: 0, tensor: 0 }]] });
    previous = base.name;
  }
  return { layers, inputs: [{ layer: layers[0].name, call: 0, tensor: 0 }], outputs: [{ layer: previous, call: 0, tensor: 0 }] };
}
var KerasConfig = class {
  constructor(layer, location) {
    this.layer = layer;
    this.location = location;
  }
  fail(field, expected) {
    const got = JSON.stringify(this.layer.config[field]);
    throw new ModelFormatError11(`${this.location}: layer '${this.layer.name}' (${this.layer.className}) '${field}' is ${got}; expected ${expected}.`);
  }
  raw(field) {
    return this.layer.config[field];
  }
  number(field, fallback) {
    const v = this.layer.config[field];
    if (typeof v === "number") return v;
    if ((v === void 0 || v === null) && fallback !== void 0) return fallback;
    return this.fail(field, "a number");
  }
  /** Null when absent or null (Keras writes `max_value: null`). */
  optionalNumber(field) {
    const v = this.layer.config[field];
    if (v === void 0 || v === null) return null;
    return typeof v === "number" ? v : this.fail(field, "a number or null");
  }
  string(field, fallback) {
    const v = this.layer.config[field];
    if (typeof v === "string") return v;
    if (v === void 0 && fallback !== void 0) return fallback;
    return this.fail(field, "a string");
  }
  bool(field, fallback) {
    const v = this.layer.config[field];
    if (typeof v === "boolean") return v;
    if (v === void 0) return fallback;
    return this.fail(field, "true or false");
  }
  /** A spatial pair: Keras accepts a single integer for both dimensions. */
  pair(field, fallback) {
    const v = this.layer.config[field];
    if (typeof v === "number") return [v, v];
    if (Array.isArray(v) && v.length === 2 && v.every((d) => typeof d === "number")) return [v[0], v[1]];
    if ((v === void 0 || v === null) && fallback !== void 0) return [fallback[0], fallback[1]];
    return this.fail(field, "an integer or a pair of integers");
  }
};

// ../../tmp/oldsrc/packages/graph-runtime/src/import/tfjs/layers-context.ts
import { ModelFormatError as ModelFormatError12, UnsupportedOpError as UnsupportedOpError22, formatShape as formatShape5, sizeOf as sizeOf2 } from "@motiondelta/core";
var LayersImportContext = class {
  constructor(builder, location, weights) {
    this.builder = builder;
    this.location = location;
    const suffixed = [];
    for (const [name, w] of weights) {
      if (w.dtype !== "float32") continue;
      const parts = name.replace(/:0$/, "").split("/");
      if (parts.length > 2) suffixed.push([parts.slice(-2).join("/"), w.tensor]);
      else this.weights.set(parts.join("/"), w.tensor);
    }
    for (const [key, t] of suffixed) if (!this.weights.has(key)) this.weights.set(key, t);
  }
  weights = /* @__PURE__ */ new Map();
  weight(call, param) {
    return this.weights.get(`${call.layer.name}/${param}`);
  }
  requireWeight(call, param, rank) {
    const w = this.weight(call, param);
    if (w === void 0) {
      throw new ModelFormatError12(`${this.location}: layer '${call.layer.name}' (${call.layer.className}) has no weight '${call.layer.name}/${param}' in the manifest.`);
    }
    if (rank !== void 0 && w.shape.length !== rank) {
      throw new ModelFormatError12(`${this.location}: layer '${call.layer.name}' weight '${param}' has shape ${formatShape5(w.shape)}; expected rank ${rank}.`);
    }
    return w;
  }
  /** Registers a weight under a unique value name and returns that name. */
  constant(name, tensor) {
    let unique = name;
    for (let i = 1; this.builder.hasConstant(unique); i++) {
      if (this.builder.getConstant(unique) === tensor) return unique;
      unique = `${name}_${i}`;
    }
    return this.builder.addConstant(unique, tensor);
  }
  single(call) {
    if (call.inputs.length !== 1) {
      throw new ModelFormatError12(`${this.location}: layer '${call.layer.name}' (${call.layer.className}) takes one input, got ${call.inputs.length}.`);
    }
    return call.inputs[0];
  }
  /**
   * The layer's `activation` field: fused into the producer when the IR can express it, else a
   * separate node after it. `emit` builds the producer with the fused activation (if any) and
   * the name it should take.
   */
  withActivation(call, emit) {
    const name = call.config.string("activation", "linear");
    const act = kerasActivation(name);
    if (act === void 0) throw new UnsupportedOpError22(`activation '${name}'`, call.layer.name, activationHelp());
    if (act.kind === "linear") return emit(void 0, call.name);
    if (act.kind === "fused") return emit(act.spec, call.name);
    return this.activationNode(call.name, name, emit(void 0, `${call.name}/preact`), call.layer.name);
  }
  /** A standalone Keras activation by name (Activation layer, or an unfusable one). */
  activationNode(nodeName, activation, x, layerName) {
    const act = kerasActivation(activation);
    if (act === void 0) throw new UnsupportedOpError22(`activation '${activation}'`, layerName, activationHelp());
    switch (act.kind) {
      case "linear":
        return this.builder.add(nodeName, "Identity", {}, [x]);
      case "fused":
        return this.builder.add(nodeName, "Activation", { activation: act.spec }, [x]);
      case "softmax":
        return this.builder.add(nodeName, "Softmax", { axis: -1 }, [x]);
      case "swish": {
        const gate = this.builder.add(`${nodeName}/sigmoid`, "Activation", { activation: { kind: "sigmoid" } }, [x]);
        return this.builder.add(nodeName, "Mul", {}, [x, gate]);
      }
    }
  }
  /** A per-channel vector weight, or a constant filled with `fill` when the layer has none. */
  vectorOr(call, param, channels, fill, present) {
    const w = present ? this.requireWeight(call, param) : void 0;
    if (w !== void 0) {
      if (sizeOf2(w.shape) !== channels) {
        throw new ModelFormatError12(`${this.location}: layer '${call.layer.name}' weight '${param}' has shape ${formatShape5(w.shape)}; expected [${channels}].`);
      }
      return this.constant(`${call.layer.name}/${param}`, w);
    }
    return this.constant(`${call.layer.name}/${param}`, { data: new Float32Array(channels).fill(fill), shape: [channels] });
  }
};
function activationHelp() {
  return "accepted activations: linear, relu, relu6, sigmoid, tanh, hard_sigmoid, softmax, swish";
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/tfjs/layers-ops-conv.ts
import { UnsupportedOpError as UnsupportedOpError23, formatShape as formatShape6 } from "@motiondelta/core";
function kerasPadding(call) {
  const padding = call.config.string("padding", "valid");
  if (padding === "same") return "same-upper";
  if (padding === "valid") return "valid";
  throw new UnsupportedOpError23(call.layer.className, call.layer.name, `padding '${padding}' (accepted: same, valid)`);
}
function requireChannelsLast(call) {
  const format = call.config.string("data_format", "channels_last");
  if (format !== "channels_last") {
    throw new UnsupportedOpError23(call.layer.className, call.layer.name, `data_format '${format}' (only channels_last is accepted)`);
  }
}
function convAttrs(call, kernel, groups, pointwise = false) {
  return {
    kernel: [kernel.shape[0], kernel.shape[1]],
    strides: pointwise ? [1, 1] : call.config.pair("strides", [1, 1]),
    dilations: pointwise ? [1, 1] : call.config.pair("dilation_rate", [1, 1]),
    pads: [0, 0, 0, 0],
    autoPad: pointwise ? "valid" : kerasPadding(call),
    groups
  };
}
function biasInputs(call, ctx) {
  return call.config.bool("use_bias", true) ? [ctx.constant(`${call.layer.name}/bias`, ctx.requireWeight(call, "bias", 1))] : [];
}
function convertConv2D(call, ctx) {
  requireChannelsLast(call);
  const x = ctx.single(call);
  const kernel = ctx.requireWeight(call, "kernel", 4);
  const w = ctx.constant(`${call.layer.name}/kernel`, kernel);
  const groups = call.config.number("groups", 1);
  const bias = biasInputs(call, ctx);
  return ctx.withActivation(
    call,
    (activation, name) => ctx.builder.add(name, "Conv2D", { ...convAttrs(call, kernel, groups), ...activation && { activation } }, [x, w, ...bias])
  );
}
function depthwiseWeight(call, ctx) {
  const k = ctx.requireWeight(call, "depthwise_kernel", 4);
  const [kh, kw, c, mult] = k.shape;
  const tensor = { data: k.data, shape: [kh, kw, 1, c * mult] };
  return { name: ctx.constant(`${call.layer.name}/depthwise_kernel`, tensor), tensor, channels: c };
}
function convertDepthwiseConv2D(call, ctx) {
  requireChannelsLast(call);
  const x = ctx.single(call);
  const dw = depthwiseWeight(call, ctx);
  const bias = biasInputs(call, ctx);
  return ctx.withActivation(
    call,
    (activation, name) => ctx.builder.add(name, "Conv2D", { ...convAttrs(call, dw.tensor, dw.channels), ...activation && { activation } }, [x, dw.name, ...bias])
  );
}
function convertSeparableConv2D(call, ctx) {
  requireChannelsLast(call);
  const x = ctx.single(call);
  const dw = depthwiseWeight(call, ctx);
  const depthwise = ctx.builder.add(`${call.name}/depthwise`, "Conv2D", convAttrs(call, dw.tensor, dw.channels), [x, dw.name]);
  const pw = ctx.requireWeight(call, "pointwise_kernel", 4);
  const pwName = ctx.constant(`${call.layer.name}/pointwise_kernel`, pw);
  const bias = biasInputs(call, ctx);
  return ctx.withActivation(
    call,
    (activation, name) => ctx.builder.add(name, "Conv2D", { ...convAttrs(call, pw, 1, true), ...activation && { activation } }, [depthwise, pwName, ...bias])
  );
}
function convertConv2DTranspose(call, ctx) {
  requireChannelsLast(call);
  if (call.config.raw("output_padding") !== void 0 && call.config.raw("output_padding") !== null) {
    throw new UnsupportedOpError23(call.layer.className, call.layer.name, "output_padding (only null is accepted)");
  }
  const x = ctx.single(call);
  const kernel = ctx.requireWeight(call, "kernel", 4);
  const [kh, kw, cout, cin] = kernel.shape;
  const data = new Float32Array(kernel.data.length);
  for (let p = 0; p < kh * kw; p++) {
    for (let o = 0; o < cout; o++) for (let i = 0; i < cin; i++) data[(p * cin + i) * cout + o] = kernel.data[(p * cout + o) * cin + i];
  }
  const w = ctx.constant(`${call.layer.name}/kernel`, { data, shape: [kh, kw, cin, cout] });
  const strides = call.config.pair("strides", [1, 1]);
  const dilations = call.config.pair("dilation_rate", [1, 1]);
  const same = kerasPadding(call) === "same-upper";
  const axis = (i) => {
    const keff = ((i === 0 ? kh : kw) - 1) * dilations[i] + 1;
    const s = strides[i];
    if (keff < s) return { begin: 0, end: 0, extra: s - keff };
    if (!same) return { begin: 0, end: 0, extra: 0 };
    const total = keff - s;
    return { begin: Math.floor(total / 2), end: total - Math.floor(total / 2), extra: 0 };
  };
  const h = axis(0);
  const wd = axis(1);
  const bias = biasInputs(call, ctx);
  return ctx.withActivation(
    call,
    (activation, name) => ctx.builder.add(
      name,
      "ConvTranspose2D",
      {
        kernel: [kh, kw],
        strides,
        dilations,
        pads: [h.begin, wd.begin, h.end, wd.end],
        outputPadding: [h.extra, wd.extra],
        groups: 1,
        ...activation && { activation }
      },
      [x, w, ...bias]
    )
  );
}
function convertDense(call, ctx) {
  const x = ctx.single(call);
  const kernel = ctx.requireWeight(call, "kernel", 2);
  const w = ctx.constant(`${call.layer.name}/kernel`, kernel);
  const bias = biasInputs(call, ctx);
  return ctx.withActivation(call, (activation, name) => {
    if (bias.length === 0) return ctx.builder.add(name, "MatMul", activation ? { activation } : {}, [x, w]);
    const product = ctx.builder.add(`${name}/matmul`, "MatMul", {}, [x, w]);
    return ctx.builder.add(name, "Add", activation ? { activation } : {}, [product, bias[0]]);
  });
}
function convertBatchNormalization2(call, ctx) {
  const axisRaw = call.config.raw("axis");
  const axis = Array.isArray(axisRaw) && axisRaw.length === 1 ? axisRaw[0] : axisRaw ?? -1;
  if (axis !== -1 && axis !== 3) {
    throw new UnsupportedOpError23(call.layer.className, call.layer.name, `axis ${JSON.stringify(axisRaw)} (only the channel axis, -1 or 3, is accepted)`);
  }
  const x = ctx.single(call);
  const mean = ctx.requireWeight(call, "moving_mean", 1);
  const variance = ctx.requireWeight(call, "moving_variance", 1);
  const channels = mean.shape[0];
  if (variance.shape[0] !== channels) {
    throw new UnsupportedOpError23(call.layer.className, call.layer.name, `moving_variance ${formatShape6(variance.shape)} differs from moving_mean ${formatShape6(mean.shape)}`);
  }
  const scale = ctx.vectorOr(call, "gamma", channels, 1, call.config.bool("scale", true));
  const bias = ctx.vectorOr(call, "beta", channels, 0, call.config.bool("center", true));
  const inputs = [x, scale, bias, ctx.constant(`${call.layer.name}/moving_mean`, mean), ctx.constant(`${call.layer.name}/moving_variance`, variance)];
  return ctx.builder.add(call.name, "BatchNorm", { epsilon: call.config.number("epsilon", 1e-3) }, inputs);
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/tfjs/layers-ops-other.ts
import { ModelFormatError as ModelFormatError13, UnsupportedOpError as UnsupportedOpError24, formatShape as formatShape7 } from "@motiondelta/core";
function convertActivationLayer(call, ctx) {
  return ctx.activationNode(call.name, call.config.string("activation"), ctx.single(call), call.layer.name);
}
function activationLayer(call, ctx, activation) {
  return ctx.builder.add(call.name, "Activation", { activation }, [ctx.single(call)]);
}
function convertReLU(call, ctx) {
  const max = call.config.optionalNumber("max_value");
  const slope = call.config.number("negative_slope", 0);
  const threshold = call.config.number("threshold", 0);
  if (threshold !== 0) throw new UnsupportedOpError24("ReLU", call.layer.name, `threshold ${threshold} (only 0 is accepted)`);
  if (slope !== 0 && max !== null) throw new UnsupportedOpError24("ReLU", call.layer.name, "negative_slope together with max_value");
  const activation = slope !== 0 ? { kind: "leakyRelu", alpha: slope } : max !== null ? { kind: "clip", min: 0, max } : RELU;
  return activationLayer(call, ctx, activation);
}
function convertLeakyReLU(call, ctx) {
  return activationLayer(call, ctx, { kind: "leakyRelu", alpha: call.config.number("alpha", 0.3) });
}
function convertPReLU(call, ctx) {
  const alpha = ctx.requireWeight(call, "alpha");
  const channels = alpha.shape[alpha.shape.length - 1] ?? 1;
  if (alpha.data.length !== channels) {
    throw new UnsupportedOpError24("PReLU", call.layer.name, `alpha of shape ${formatShape7(alpha.shape)} (only one slope per channel is accepted)`);
  }
  return activationLayer(call, ctx, { kind: "prelu", slope: Float32Array.from(alpha.data) });
}
function convertMerge(call, ctx, op) {
  const n = call.inputs.length;
  if (n < 2 || op === "Sub" && n !== 2) {
    throw new ModelFormatError13(`${ctx.location}: layer '${call.layer.name}' (${call.layer.className}) got ${n} inputs; expected ${op === "Sub" ? "exactly 2" : "2 or more"}.`);
  }
  let acc = call.inputs[0];
  for (let i = 1; i < n; i++) {
    acc = ctx.builder.add(i === n - 1 ? call.name : `${call.name}/partial_${i}`, op, {}, [acc, call.inputs[i]]);
  }
  return acc;
}
function convertConcatenate(call, ctx) {
  return ctx.builder.add(call.name, "Concat", { axis: call.config.number("axis", -1) }, call.inputs);
}
function convertUpSampling2D(call, ctx) {
  requireChannelsLast(call);
  const interpolation = call.config.string("interpolation", "nearest");
  if (interpolation !== "nearest" && interpolation !== "bilinear") {
    throw new UnsupportedOpError24("UpSampling2D", call.layer.name, `interpolation '${interpolation}' (accepted: nearest, bilinear)`);
  }
  const [sh, sw] = call.config.pair("size", [2, 2]);
  return ctx.builder.add(
    call.name,
    "Resize",
    { mode: interpolation === "nearest" ? "nearest" : "linear", coordinateMode: "asymmetric", nearestMode: "floor", scales: [sh, sw] },
    [ctx.single(call)]
  );
}
function convertPooling2D(call, ctx, op) {
  requireChannelsLast(call);
  const kernel = call.config.pair("pool_size", [2, 2]);
  const attrs = {
    kernel,
    strides: call.config.pair("strides", kernel),
    pads: [0, 0, 0, 0],
    autoPad: kerasPadding(call),
    ceilMode: false,
    countIncludePad: false
  };
  return ctx.builder.add(call.name, op, attrs, [ctx.single(call)]);
}
function convertGlobalAveragePooling2D(call, ctx) {
  requireChannelsLast(call);
  const x = ctx.single(call);
  if (call.config.bool("keepdims", false)) return ctx.builder.add(call.name, "GlobalAvgPool", {}, [x]);
  const pooled = ctx.builder.add(`${call.name}/global_pool`, "GlobalAvgPool", {}, [x]);
  return ctx.builder.add(call.name, "Reshape", { shape: [0, -1] }, [pooled]);
}
function convertZeroPadding2D(call, ctx) {
  requireChannelsLast(call);
  const raw = call.config.raw("padding");
  let top, bottom, left, right;
  if (Array.isArray(raw) && raw.length === 2 && raw.every((r) => Array.isArray(r) && r.length === 2)) {
    [[top, bottom], [left, right]] = raw;
  } else {
    const [h, w] = call.config.pair("padding", [1, 1]);
    [top, bottom, left, right] = [h, h, w, w];
  }
  return ctx.builder.add(call.name, "Pad", { pads: [0, top, left, 0, 0, bottom, right, 0], mode: "constant", value: 0 }, [ctx.single(call)]);
}
function convertFlatten2(call, ctx) {
  return ctx.builder.add(call.name, "Flatten", { axis: 1 }, [ctx.single(call)]);
}
function convertReshapeLayer(call, ctx) {
  const target = call.config.raw("target_shape");
  if (!Array.isArray(target) || !target.every((d) => Number.isInteger(d) && d !== 0)) {
    throw new ModelFormatError13(`${ctx.location}: layer '${call.layer.name}' target_shape ${JSON.stringify(target)} must be a list of non-zero integers.`);
  }
  return ctx.builder.add(call.name, "Reshape", { shape: [0, ...target] }, [ctx.single(call)]);
}
function convertInferenceIdentity(call, ctx) {
  return ctx.builder.add(call.name, "Identity", {}, [ctx.single(call)]);
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/tfjs/layers-model.ts
var CONVERTERS3 = {
  Conv2D: convertConv2D,
  DepthwiseConv2D: convertDepthwiseConv2D,
  SeparableConv2D: convertSeparableConv2D,
  Conv2DTranspose: convertConv2DTranspose,
  Dense: convertDense,
  BatchNormalization: convertBatchNormalization2,
  Activation: convertActivationLayer,
  ReLU: convertReLU,
  LeakyReLU: convertLeakyReLU,
  PReLU: convertPReLU,
  Add: (c, x) => convertMerge(c, x, "Add"),
  Subtract: (c, x) => convertMerge(c, x, "Sub"),
  Multiply: (c, x) => convertMerge(c, x, "Mul"),
  Concatenate: convertConcatenate,
  UpSampling2D: convertUpSampling2D,
  MaxPooling2D: (c, x) => convertPooling2D(c, x, "MaxPool2D"),
  AveragePooling2D: (c, x) => convertPooling2D(c, x, "AvgPool2D"),
  GlobalAveragePooling2D: convertGlobalAveragePooling2D,
  ZeroPadding2D: convertZeroPadding2D,
  Flatten: convertFlatten2,
  Reshape: convertReshapeLayer,
  Dropout: convertInferenceIdentity,
  SpatialDropout2D: convertInferenceIdentity,
  GaussianNoise: convertInferenceIdentity,
  GaussianDropout: convertInferenceIdentity
};
function importLayersModel(model, weights, location) {
  const keras = parseKerasModel(model.modelTopology, location);
  const layers = new Map(keras.layers.map((l) => [l.name, l]));
  const builder = new GraphBuilder();
  const ctx = new LayersImportContext(builder, location, weights);
  const values = /* @__PURE__ */ new Map();
  const key = (layer, call) => `${layer}#${call}`;
  const inputs = keras.inputs.map((ref) => {
    const layer = layerOf(layers, ref, location);
    if (layer.className !== "InputLayer") {
      throw new ModelFormatError14(`${location}: model input '${ref.layer}' is a ${layer.className}, not an InputLayer.`);
    }
    values.set(key(layer.name, 0), builder.uniqueName(layer.name));
    return { name: layer.name, shape: inputShape(layer, location), dtype: "float32" };
  });
  const convertCall = (layer, call) => {
    const refs = layer.calls[call];
    if (refs === void 0) throw new ModelFormatError14(`${location}: layer '${layer.name}' is read at call ${call}, but it is called ${layer.calls.length} times.`);
    const convert = CONVERTERS3[layer.className];
    if (convert === void 0) throw new UnsupportedOpError25(layer.className, layer.name, `layer class in ${location}`);
    const callInputs = refs.map((r) => values.get(key(r.layer, r.call)));
    const name = call === 0 ? layer.name : `${layer.name}/call_${call}`;
    values.set(key(layer.name, call), convert({ layer, config: new KerasConfig(layer, location), inputs: callInputs, name }, ctx));
  };
  const pending = keras.outputs.map((ref) => ({ ref, expanded: false }));
  const visiting = /* @__PURE__ */ new Set();
  while (pending.length > 0) {
    const top = pending[pending.length - 1];
    const { ref } = top;
    const k = key(ref.layer, ref.call);
    if (values.has(k)) {
      pending.pop();
      continue;
    }
    const layer = layerOf(layers, ref, location);
    if (top.expanded) {
      pending.pop();
      convertCall(layer, ref.call);
      continue;
    }
    if (layer.className === "InputLayer") throw new ModelFormatError14(`${location}: input layer '${layer.name}' is not among the model's input_layers.`);
    if (visiting.has(k)) throw new ModelFormatError14(`${location}: layer '${layer.name}' depends on itself.`);
    visiting.add(k);
    top.expanded = true;
    for (const dep of layer.calls[ref.call] ?? []) {
      if (dep.tensor !== 0) throw new UnsupportedOpError25(layerOf(layers, dep, location).className, dep.layer, "layers with more than one output");
      if (!values.has(key(dep.layer, dep.call))) pending.push({ ref: dep, expanded: false });
    }
  }
  const outputs = keras.outputs.map((ref) => ({ name: values.get(key(ref.layer, ref.call)), shape: [], dtype: "float32" }));
  return builder.build({ format: "tfjs-layers", location }, inputs, outputs);
}
function layerOf(layers, ref, location) {
  const layer = layers.get(ref.layer);
  if (layer === void 0) throw new ModelFormatError14(`${location}: layer '${ref.layer}' is referenced but not defined in the model config.`);
  return layer;
}
function inputShape(layer, location) {
  const shape = layer.config["batch_input_shape"] ?? layer.config["batch_shape"];
  if (!Array.isArray(shape) || !shape.every((d) => d === null || Number.isInteger(d))) {
    throw new ModelFormatError14(`${location}: input layer '${layer.name}' has no valid batch_input_shape (a list of integers or nulls).`);
  }
  return shape;
}

// ../../tmp/oldsrc/packages/graph-runtime/src/shape/plan-graph.ts
import { ModelFormatError as ModelFormatError15 } from "@motiondelta/core";

// ../../tmp/oldsrc/packages/graph-runtime/src/shape/op-shapes.ts
import { ShapeError as ShapeError2, formatShape as formatShape9, sizeOf as sizeOf3 } from "@motiondelta/core";

// ../../tmp/oldsrc/packages/graph-runtime/src/shape/broadcast.ts
import { ShapeError, formatShape as formatShape8 } from "@motiondelta/core";
function broadcastShapes(op, a, b) {
  const rank = Math.max(a.length, b.length);
  const out = new Array(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${op}: shapes ${formatShape8(a)} and ${formatShape8(b)} do not broadcast (dimension ${i} of the result: ${da} vs ${db}); numpy rules need equal sizes or 1.`
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}
function broadcastStrides(shape, outShape) {
  const rank = outShape.length;
  const strides = new Array(rank).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i];
    const o = rank - shape.length + i;
    strides[o] = d === 1 && outShape[o] !== 1 ? 0 : s;
    s *= d;
  }
  return strides;
}

// ../../tmp/oldsrc/packages/graph-runtime/src/shape/window-geometry.ts
function resolveAxisPads(autoPad, explicit, inSize, kernel, stride, dilation) {
  switch (autoPad) {
    case "explicit":
      return [explicit[0], explicit[1]];
    case "valid":
      return [0, 0];
    case "same-upper":
    case "same-lower": {
      const out = Math.ceil(inSize / stride);
      const extent = (kernel - 1) * dilation + 1;
      const total = Math.max((out - 1) * stride + extent - inSize, 0);
      const small = Math.floor(total / 2);
      return autoPad === "same-upper" ? [small, total - small] : [total - small, small];
    }
  }
}
function resolvePads2D(autoPad, pads, inH, inW, kernel, strides, dilations) {
  const [top, bottom] = resolveAxisPads(autoPad, [pads[0], pads[2]], inH, kernel[0], strides[0], dilations[0]);
  const [left, right] = resolveAxisPads(autoPad, [pads[1], pads[3]], inW, kernel[1], strides[1], dilations[1]);
  return [top, left, bottom, right];
}
function windowOutputSize(inSize, padBegin, padEnd, kernel, stride, dilation, ceilMode = false) {
  const extent = (kernel - 1) * dilation + 1;
  const span = inSize + padBegin + padEnd - extent;
  if (span < 0) return 0;
  let out = (ceilMode ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  if (ceilMode && (out - 1) * stride >= inSize + padBegin) out--;
  return out;
}

// ../../tmp/oldsrc/packages/graph-runtime/src/shape/op-shapes.ts
function normalizeAxis2(axis, rank, where) {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new ShapeError2(`${where}: axis ${axis} is out of range for rank ${rank}.`);
  return a;
}
function expectRank(shape, rank, where, what) {
  if (!shape || shape.length !== rank) {
    throw new ShapeError2(`${where}: ${what} must have rank ${rank}, got ${shape ? formatShape9(shape) : "nothing"}.`);
  }
  return shape;
}
function resolveNode(node, inputs) {
  const where = `Node '${node.name}' (${node.op})`;
  const x = inputs[0];
  const done = (attrs, outputShape) => ({ node, attrs, outputShape });
  switch (node.op) {
    case "Conv2D": {
      const [n, h, w, c] = expectRank(x, 4, where, "input");
      const wt = expectRank(inputs[1], 4, where, "weight");
      const a = node.attrs;
      if (wt[0] !== a.kernel[0] || wt[1] !== a.kernel[1] || wt[2] * a.groups !== c || wt[3] % a.groups !== 0) {
        throw new ShapeError2(
          `${where}: weight ${formatShape9(wt)} does not fit input ${formatShape9(x)} with kernel ${a.kernel.join("x")} and groups ${a.groups}; expected [${a.kernel[0]},${a.kernel[1]},${c / a.groups},Cout] with Cout divisible by groups.`
        );
      }
      const pads = resolvePads2D(a.autoPad, a.pads, h, w, a.kernel, a.strides, a.dilations);
      const oh = windowOutputSize(h, pads[0], pads[2], a.kernel[0], a.strides[0], a.dilations[0]);
      const ow = windowOutputSize(w, pads[1], pads[3], a.kernel[1], a.strides[1], a.dilations[1]);
      return done({ ...a, pads, autoPad: "explicit" }, [n, oh, ow, wt[3]]);
    }
    case "ConvTranspose2D": {
      const [n, h, w, c] = expectRank(x, 4, where, "input");
      const wt = expectRank(inputs[1], 4, where, "weight");
      const a = node.attrs;
      if (wt[2] !== c) {
        throw new ShapeError2(`${where}: weight ${formatShape9(wt)} expects ${wt[2]} input channels, input is ${formatShape9(x)}.`);
      }
      const oh = (h - 1) * a.strides[0] - a.pads[0] - a.pads[2] + (a.kernel[0] - 1) * a.dilations[0] + 1 + a.outputPadding[0];
      const ow = (w - 1) * a.strides[1] - a.pads[1] - a.pads[3] + (a.kernel[1] - 1) * a.dilations[1] + 1 + a.outputPadding[1];
      return done(a, [n, oh, ow, wt[3] * a.groups]);
    }
    case "MaxPool2D":
    case "AvgPool2D": {
      const [n, h, w, c] = expectRank(x, 4, where, "input");
      const a = node.attrs;
      const pads = resolvePads2D(a.autoPad, a.pads, h, w, a.kernel, a.strides, [1, 1]);
      const oh = windowOutputSize(h, pads[0], pads[2], a.kernel[0], a.strides[0], 1, a.ceilMode);
      const ow = windowOutputSize(w, pads[1], pads[3], a.kernel[1], a.strides[1], 1, a.ceilMode);
      return done({ ...a, pads, autoPad: "explicit" }, [n, oh, ow, c]);
    }
    case "GlobalAvgPool": {
      const s = expectRank(x, 4, where, "input");
      return done(node.attrs, [s[0], 1, 1, s[3]]);
    }
    case "Activation":
    case "BatchNorm":
    case "Identity":
      return done(node.attrs, [...expectPresent(x, where)]);
    case "Softmax": {
      const s = expectPresent(x, where);
      normalizeAxis2(node.attrs.axis, s.length, where);
      return done(node.attrs, [...s]);
    }
    case "Add":
    case "Sub":
    case "Mul":
    case "Div":
      return done(node.attrs, broadcastShapes(where, expectPresent(x, where), expectPresent(inputs[1], where)));
    case "Concat": {
      const first = expectPresent(x, where);
      const axis = normalizeAxis2(node.attrs.axis, first.length, where);
      const out = [...first];
      out[axis] = 0;
      for (const s of inputs) {
        const shape = expectPresent(s, where);
        if (shape.length !== first.length || shape.some((d, i) => i !== axis && d !== first[i])) {
          throw new ShapeError2(`${where}: inputs ${inputs.map((i) => formatShape9(i ?? [])).join(", ")} differ outside axis ${axis}.`);
        }
        out[axis] += shape[axis];
      }
      return done({ axis }, out);
    }
    case "Pad": {
      const s = expectPresent(x, where);
      const p = node.attrs.pads;
      if (p.length !== 2 * s.length) throw new ShapeError2(`${where}: pads has ${p.length} values, rank ${s.length} needs ${2 * s.length}.`);
      return done(node.attrs, s.map((d, i) => d + p[i] + p[i + s.length]));
    }
    case "Resize": {
      const [n, h, w, c] = expectRank(x, 4, where, "input");
      const a = node.attrs;
      const sizes = a.sizes ? [a.sizes[0], a.sizes[1]] : a.scales ? [Math.floor(h * a.scales[0]), Math.floor(w * a.scales[1])] : (() => {
        throw new ShapeError2(`${where}: needs sizes or scales.`);
      })();
      return done({ ...a, sizes }, [n, sizes[0], sizes[1], c]);
    }
    case "Reshape":
      return done(node.attrs, reshapeTarget(expectPresent(x, where), node.attrs.shape, where));
    case "Transpose": {
      const s = expectPresent(x, where);
      const perm = node.attrs.perm.length ? node.attrs.perm : s.map((_, i) => s.length - 1 - i);
      if (perm.length !== s.length) throw new ShapeError2(`${where}: perm [${perm.join(",")}] does not fit rank ${s.length}.`);
      return done({ perm }, perm.map((p) => s[p]));
    }
    case "Flatten": {
      const s = expectPresent(x, where);
      const axis = node.attrs.axis < 0 ? node.attrs.axis + s.length : node.attrs.axis;
      return done(node.attrs, [sizeOf3(s.slice(0, axis)), sizeOf3(s.slice(axis))]);
    }
    case "Squeeze": {
      const s = expectPresent(x, where);
      const axes = new Set(node.attrs.axes.map((a) => normalizeAxis2(a, s.length, where)));
      const out = s.filter((d, i) => axes.size ? !axes.has(i) : d !== 1);
      return done(node.attrs, out);
    }
    case "Unsqueeze": {
      const s = expectPresent(x, where);
      const rank = s.length + node.attrs.axes.length;
      const axes = new Set(node.attrs.axes.map((a) => normalizeAxis2(a, rank, where)));
      const out = [];
      let j = 0;
      for (let i = 0; i < rank; i++) out.push(axes.has(i) ? 1 : s[j++]);
      return done(node.attrs, out);
    }
    case "MatMul":
      return done(node.attrs, matmulShape(expectPresent(x, where), expectPresent(inputs[1], where), where));
    case "Gemm": {
      const a = expectRank(x, 2, where, "A");
      const b = expectRank(inputs[1], 2, where, "B");
      const [m, k] = node.attrs.transA ? [a[1], a[0]] : [a[0], a[1]];
      const [k2, nn] = node.attrs.transB ? [b[1], b[0]] : [b[0], b[1]];
      if (k !== k2) throw new ShapeError2(`${where}: inner dimensions ${k} and ${k2} differ.`);
      return done(node.attrs, [m, nn]);
    }
  }
}
function expectPresent(shape, where) {
  if (!shape) throw new ShapeError2(`${where}: a required input is missing.`);
  return shape;
}
function reshapeTarget(input, target, where) {
  const out = target.map((d, i) => d === 0 ? input[i] : d);
  const inferred = out.indexOf(-1);
  const total = sizeOf3(input);
  if (inferred >= 0) {
    const known = sizeOf3(out.filter((_, i) => i !== inferred));
    out[inferred] = known === 0 ? 0 : total / known;
  }
  if (sizeOf3(out) !== total || out.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError2(`${where}: cannot reshape ${formatShape9(input)} (${total} values) to [${target.join(",")}].`);
  }
  return out;
}
function matmulShape(a, b, where) {
  const a2 = a.length === 1 ? [1, a[0]] : [...a];
  const b2 = b.length === 1 ? [b[0], 1] : [...b];
  const k = a2[a2.length - 1];
  if (k !== b2[b2.length - 2]) {
    throw new ShapeError2(`${where}: cannot multiply ${formatShape9(a)} by ${formatShape9(b)} (inner dimensions differ).`);
  }
  const batch = broadcastShapes(where, a2.slice(0, -2), b2.slice(0, -2));
  const out = [...batch, a2[a2.length - 2], b2[b2.length - 1]];
  if (a.length === 1) out.splice(out.length - 2, 1);
  if (b.length === 1) out.splice(out.length - 1, 1);
  return out;
}

// ../../tmp/oldsrc/packages/graph-runtime/src/shape/plan-graph.ts
function planGraph(graph, inputShapes) {
  const shapes = /* @__PURE__ */ new Map();
  for (const [name, t] of graph.constants) shapes.set(name, t.shape);
  for (const [name, t] of graph.intConstants) shapes.set(name, t.shape);
  for (const input of graph.inputs) {
    const s = inputShapes[input.name];
    if (!s) throw new ModelFormatError15(`No shape given for graph input '${input.name}'.`);
    shapes.set(input.name, s);
  }
  const steps = [];
  const lastUse = /* @__PURE__ */ new Map();
  graph.nodes.forEach((node, index) => {
    const inputs = node.inputs.map((name) => {
      if (name === "") return void 0;
      const s = shapes.get(name);
      if (!s) {
        throw new ModelFormatError15(
          `${graph.source.location}: node '${node.name}' (${node.op}) reads '${name}', which no input, constant or earlier node provides.`
        );
      }
      if (!graph.constants.has(name)) lastUse.set(name, index);
      return s;
    });
    const resolved = resolveNode(node, inputs);
    const output = node.outputs[0];
    if (output === void 0) throw new ModelFormatError15(`Node '${node.name}' has no output.`);
    shapes.set(output, resolved.outputShape);
    steps.push(resolved);
  });
  for (const out of graph.outputs) {
    if (!shapes.has(out.name)) {
      throw new ModelFormatError15(`${graph.source.location}: graph output '${out.name}' is never produced.`);
    }
    lastUse.set(out.name, Number.POSITIVE_INFINITY);
  }
  return { steps, shapes, lastUse };
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/tfjs/output-shapes.ts
var PROBES = [
  [1, 2],
  [224, 320]
];
function withInferredOutputShapes(graph) {
  if (graph.outputs.every((o) => o.shape.length > 0)) return graph;
  try {
    const plans = [0, 1].map((k) => {
      const shapes = Object.fromEntries(
        graph.inputs.map((input) => [input.name, input.shape.map((d, axis) => d ?? PROBES[axis === 0 ? 0 : 1][k])])
      );
      return planGraph(graph, shapes).shapes;
    });
    const outputs = graph.outputs.map((o) => {
      if (o.shape.length > 0) return o;
      const [a, b] = plans.map((shapes) => shapes.get(o.name));
      if (a === void 0 || b === void 0 || a.length !== b.length) return o;
      return { ...o, shape: a.map((d, i) => d === b[i] ? d : null) };
    });
    return { ...graph, outputs };
  } catch {
    return graph;
  }
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/tfjs/weights.ts
import { ModelFormatError as ModelFormatError16, sizeOf as sizeOf4 } from "@motiondelta/core";

// ../../tmp/oldsrc/packages/graph-runtime/src/import/tfjs/float16.ts
function float16ToFloat32(bits) {
  const sign = bits & 32768 ? -1 : 1;
  const exponent = bits >> 10 & 31;
  const mantissa = bits & 1023;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/tfjs/weights.ts
async function loadWeights(manifest, readWeightFile, location) {
  const weights = /* @__PURE__ */ new Map();
  for (const group of manifest) {
    const shards = await readShards(group.paths, readWeightFile, location);
    const bytes = concatenate(shards);
    let offset = 0;
    for (const spec of group.weights) {
      const byteLength = encodedByteLength(spec);
      if (offset + byteLength > bytes.length) {
        throw new ModelFormatError16(
          `${location}: weight '${spec.name}' needs bytes ${offset}..${offset + byteLength} of its group, but the group's shards [${group.paths.join(", ")}] hold only ${bytes.length} bytes; shard '${shortShard(group.paths, shards)}' is truncated or does not belong to this model.`
        );
      }
      weights.set(spec.name, decodeWeight(spec, new DataView(bytes.buffer, bytes.byteOffset + offset, byteLength)));
      offset += byteLength;
    }
  }
  return weights;
}
async function readShards(paths, read, location) {
  const shards = [];
  for (const path of paths) {
    try {
      shards.push(await read(path));
    } catch (cause) {
      throw new ModelFormatError16(`${location}: weight shard '${path}' cannot be read (${String(cause)}); it must lie beside the model file.`, {
        cause
      });
    }
  }
  return shards;
}
function concatenate(parts) {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
function shortShard(paths, shards) {
  const longest = Math.max(0, ...shards.map((s) => s.length));
  for (let i = 0; i < shards.length - 1; i++) {
    if (shards[i].length < longest) return paths[i];
  }
  return paths[paths.length - 1] ?? "<no shard>";
}
function encodedByteLength(spec) {
  const n = sizeOf4(spec.shape);
  if (spec.quantization === void 0) return n * 4;
  return spec.quantization.dtype === "uint8" ? n : n * 2;
}
function decodeWeight(spec, view) {
  const n = sizeOf4(spec.shape);
  const shape = [...spec.shape];
  const q = spec.quantization;
  if (spec.dtype === "int32") {
    const data2 = new Int32Array(n);
    if (q === void 0) {
      for (let i = 0; i < n; i++) data2[i] = view.getInt32(i * 4, true);
    } else {
      const { min = 0, scale = 1 } = q;
      for (let i = 0; i < n; i++) data2[i] = Math.round(readUnsigned(view, q.dtype, i) * scale + min);
    }
    return { dtype: "int32", tensor: { data: data2, shape } };
  }
  const data = new Float32Array(n);
  if (q === void 0) {
    for (let i = 0; i < n; i++) data[i] = view.getFloat32(i * 4, true);
  } else if (q.dtype === "float16") {
    for (let i = 0; i < n; i++) data[i] = float16ToFloat32(view.getUint16(i * 2, true));
  } else {
    const { min = 0, scale = 1 } = q;
    for (let i = 0; i < n; i++) data[i] = readUnsigned(view, q.dtype, i) * scale + min;
  }
  return { dtype: "float32", tensor: { data, shape } };
}
function readUnsigned(view, dtype, i) {
  return dtype === "uint8" ? view.getUint8(i) : view.getUint16(i * 2, true);
}

// ../../tmp/oldsrc/packages/graph-runtime/src/import/tfjs/index.ts
async function importTfjs(modelJson, readWeightFile, location) {
  const model = parseModelJson(modelJson, location);
  const weights = await loadWeights(model.weightsManifest, readWeightFile, location);
  const graph = model.kind === "graph" ? importGraphModel(model, weights, location) : importLayersModel(model, weights, location);
  return withInferredOutputShapes(graph);
}

// ../../tmp/oldsrc/packages/graph-runtime/src/model.ts
import { OptionError as OptionError4 } from "@motiondelta/core";

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/reference-backend.ts
import { OP_NAMES, UnsupportedOpError as UnsupportedOpError33 } from "@motiondelta/core";

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/activation.ts
import { ShapeError as ShapeError4 } from "@motiondelta/core";

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/kernel-inputs.ts
import { ShapeError as ShapeError3, formatShape as formatShape10, sizeOf as sizeOf5 } from "@motiondelta/core";
function requireInput(call, index, role) {
  const tensor = call.inputs[index];
  if (tensor === void 0) {
    throw new ShapeError3(`${call.op}: input ${index} (${role}) is missing; this op requires it.`);
  }
  if (tensor.data.length !== sizeOf5(tensor.shape)) {
    throw new ShapeError3(
      `${call.op}: input ${index} (${role}) has ${tensor.data.length} values but its shape ${formatShape10(tensor.shape)} needs ${sizeOf5(tensor.shape)}.`
    );
  }
  return tensor;
}
function optionalInput(call, index, role) {
  return call.inputs[index] === void 0 ? void 0 : requireInput(call, index, role);
}
function expectRank2(op, role, shape, rank, layout) {
  if (shape.length !== rank) {
    throw new ShapeError3(`${op}: ${role} has shape ${formatShape10(shape)}; expected rank ${rank} (${layout}).`);
  }
}
function expectOutputShape(op, outputShape, computed) {
  if (outputShape.length !== computed.length || outputShape.some((d, i) => d !== computed[i])) {
    throw new ShapeError3(
      `${op}: the planned output shape ${formatShape10(outputShape)} does not match the shape ${formatShape10(computed)} computed from the inputs and attributes.`
    );
  }
}
function expectChannelVector(op, role, tensor, channels) {
  if (tensor.data.length !== channels) {
    throw new ShapeError3(
      `${op}: ${role} has shape ${formatShape10(tensor.shape)} (${tensor.data.length} values); expected ${channels} values, one per channel.`
    );
  }
}
function normalizeAxis3(op, axis, rank) {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) {
    throw new ShapeError3(`${op}: axis ${axis} is out of range for rank ${rank}; accepted: ${-rank}..${rank - 1}.`);
  }
  return a;
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/activation.ts
function applyActivation(data, channels, spec) {
  const n = data.length;
  switch (spec.kind) {
    case "relu":
      for (let i = 0; i < n; i++) {
        const v = data[i];
        if (v < 0) data[i] = 0;
      }
      return;
    case "clip": {
      const { min, max } = spec;
      for (let i = 0; i < n; i++) {
        const v = data[i];
        data[i] = v < min ? min : v > max ? max : v;
      }
      return;
    }
    case "leakyRelu": {
      const alpha = spec.alpha;
      for (let i = 0; i < n; i++) {
        const v = data[i];
        if (v < 0) data[i] = alpha * v;
      }
      return;
    }
    case "prelu":
      applyPrelu(data, channels, spec.slope);
      return;
    case "sigmoid":
      for (let i = 0; i < n; i++) data[i] = 1 / (1 + Math.exp(-data[i]));
      return;
    case "hardSigmoid": {
      const { alpha, beta } = spec;
      for (let i = 0; i < n; i++) {
        const v = alpha * data[i] + beta;
        data[i] = v < 0 ? 0 : v > 1 ? 1 : v;
      }
      return;
    }
    case "hardSwish":
      for (let i = 0; i < n; i++) {
        const x = data[i];
        const gate = x / 6 + 0.5;
        data[i] = x * (gate < 0 ? 0 : gate > 1 ? 1 : gate);
      }
      return;
    case "tanh":
      for (let i = 0; i < n; i++) data[i] = Math.tanh(data[i]);
      return;
    default: {
      const unknown = spec;
      throw new ShapeError4(`applyActivation: unknown activation ${JSON.stringify(unknown)}.`);
    }
  }
}
function applyPrelu(data, channels, slope) {
  const n = data.length;
  if (slope.length === 1) {
    const s = slope[0];
    for (let i = 0; i < n; i++) {
      const v = data[i];
      if (v < 0) data[i] = s * v;
    }
    return;
  }
  if (slope.length !== channels || channels === 0 || n % channels !== 0) {
    throw new ShapeError4(
      `prelu: slope has ${slope.length} values but the tensor has ${channels} channels in its last dimension; accepted: 1 value or one per channel.`
    );
  }
  for (let base = 0; base < n; base += channels) {
    for (let c = 0; c < channels; c++) {
      const v = data[base + c];
      if (v < 0) data[base + c] = slope[c] * v;
    }
  }
}
function activationKernel(call) {
  const x = requireInput(call, 0, "x");
  expectOutputShape(call.op, call.outputShape, x.shape);
  const data = Float32Array.from(x.data);
  const channels = x.shape.length === 0 ? 1 : x.shape[x.shape.length - 1];
  applyActivation(data, channels, call.attrs.activation);
  return { data, shape: call.outputShape };
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/batch-norm.ts
import { ShapeError as ShapeError5 } from "@motiondelta/core";
function batchNormKernel(call) {
  const { op } = call;
  const x = requireInput(call, 0, "x");
  if (x.shape.length === 0) {
    throw new ShapeError5(`${op}: input x is a scalar; expected a tensor whose last axis holds the channels.`);
  }
  const c = x.shape[x.shape.length - 1];
  const params = ["scale", "bias", "mean", "variance"].map((role, i) => {
    const t = requireInput(call, i + 1, role);
    expectChannelVector(op, role, t, c);
    return t.data;
  });
  const [scale, bias, mean, variance] = params;
  expectOutputShape(op, call.outputShape, x.shape);
  const mul = new Float64Array(c);
  const add = new Float64Array(c);
  for (let ch = 0; ch < c; ch++) {
    mul[ch] = scale[ch] / Math.sqrt(variance[ch] + call.attrs.epsilon);
    add[ch] = bias[ch] - mean[ch] * mul[ch];
  }
  const xd = x.data;
  const out = new Float32Array(xd.length);
  for (let base = 0; base < xd.length; base += c) {
    for (let ch = 0; ch < c; ch++) out[base + ch] = xd[base + ch] * mul[ch] + add[ch];
  }
  return { data: out, shape: call.outputShape };
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/broadcast-binary.ts
import { sizeOf as sizeOf6 } from "@motiondelta/core";
function broadcastBinaryKernel(call) {
  const { op } = call;
  const a = requireInput(call, 0, "A");
  const b = requireInput(call, 1, "B");
  const outShape = broadcastShapes(op, a.shape, b.shape);
  expectOutputShape(op, call.outputShape, outShape);
  const out = new Float32Array(sizeOf6(outShape));
  const rank = outShape.length;
  if (rank === 0) {
    out[0] = combine(op, a.data[0], b.data[0]);
  } else if (out.length > 0) {
    const sa = broadcastStrides(a.shape, outShape);
    const sb = broadcastStrides(b.shape, outShape);
    const rowLength = outShape[rank - 1];
    const rows = out.length / rowLength;
    const index = new Int32Array(rank);
    let offA = 0;
    let offB = 0;
    for (let row = 0, offOut = 0; row < rows; row++, offOut += rowLength) {
      binaryRow(op, a.data, offA, sa[rank - 1], b.data, offB, sb[rank - 1], out, offOut, rowLength);
      for (let d = rank - 2; d >= 0; d--) {
        index[d]++;
        offA += sa[d];
        offB += sb[d];
        if (index[d] < outShape[d]) break;
        offA -= sa[d] * outShape[d];
        offB -= sb[d] * outShape[d];
        index[d] = 0;
      }
    }
  }
  if (call.attrs.activation !== void 0) {
    applyActivation(out, rank === 0 ? 1 : outShape[rank - 1], call.attrs.activation);
  }
  return { data: out, shape: call.outputShape };
}
function combine(op, x, y) {
  switch (op) {
    case "Add":
      return x + y;
    case "Sub":
      return x - y;
    case "Mul":
      return x * y;
    case "Div":
      return x / y;
  }
}
function binaryRow(op, a, offA, strideA, b, offB, strideB, out, offOut, length) {
  switch (op) {
    case "Add":
      for (let i = 0; i < length; i++) out[offOut + i] = a[offA + i * strideA] + b[offB + i * strideB];
      return;
    case "Sub":
      for (let i = 0; i < length; i++) out[offOut + i] = a[offA + i * strideA] - b[offB + i * strideB];
      return;
    case "Mul":
      for (let i = 0; i < length; i++) out[offOut + i] = a[offA + i * strideA] * b[offB + i * strideB];
      return;
    case "Div":
      for (let i = 0; i < length; i++) out[offOut + i] = a[offA + i * strideA] / b[offB + i * strideB];
      return;
  }
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/concat.ts
import { ShapeError as ShapeError6, formatShape as formatShape11, sizeOf as sizeOf7 } from "@motiondelta/core";
function concatKernel(call) {
  const { op } = call;
  if (call.inputs.length === 0) throw new ShapeError6(`${op}: needs at least one input.`);
  const inputs = call.inputs.map((_, i) => requireInput(call, i, `input ${i}`));
  const first = inputs[0].shape;
  const rank = first.length;
  if (rank === 0) throw new ShapeError6(`${op}: inputs are scalars; concatenation needs rank >= 1.`);
  const axis = normalizeAxis3(op, call.attrs.axis, rank);
  let axisTotal = 0;
  for (const t of inputs) {
    const mismatch = t.shape.length !== rank || t.shape.some((d, i) => i !== axis && d !== first[i]);
    if (mismatch) {
      throw new ShapeError6(
        `${op}: input shapes ${inputs.map((u) => formatShape11(u.shape)).join(", ")} differ outside axis ${axis}; all other dimensions must match.`
      );
    }
    axisTotal += t.shape[axis];
  }
  const outShape = first.map((d, i) => i === axis ? axisTotal : d);
  expectOutputShape(op, call.outputShape, outShape);
  const outer = sizeOf7(first.slice(0, axis));
  const inner = sizeOf7(first.slice(axis + 1));
  const outRow = axisTotal * inner;
  const out = new Float32Array(outer * outRow);
  let rowOffset = 0;
  for (const t of inputs) {
    const chunk = t.shape[axis] * inner;
    for (let o = 0; o < outer; o++) {
      out.set(t.data.subarray(o * chunk, (o + 1) * chunk), o * outRow + rowOffset);
    }
    rowOffset += chunk;
  }
  return { data: out, shape: call.outputShape };
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/conv-transpose2d.ts
import { ShapeError as ShapeError8 } from "@motiondelta/core";

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/spatial-pads.ts
import { ShapeError as ShapeError7 } from "@motiondelta/core";
function resolvePads2D2(op, autoPad, pads, inSize, kernel, strides, dilations) {
  for (const p of pads) {
    if (!Number.isInteger(p) || p < 0) {
      throw new ShapeError7(`${op}: pads [${pads.join(",")}] must be non-negative integers.`);
    }
  }
  return resolvePads2D(autoPad, pads, inSize[0], inSize[1], kernel, strides, dilations);
}
function expectPositivePair(op, name, pair2) {
  if (!pair2.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new ShapeError7(`${op}: ${name} [${pair2.join(",")}] must be positive integers.`);
  }
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/conv-transpose2d.ts
function convTranspose2dKernel(call) {
  const { op, attrs } = call;
  const x = requireInput(call, 0, "x");
  const w = requireInput(call, 1, "weight");
  const bias = optionalInput(call, 2, "bias");
  expectRank2(op, "input x", x.shape, 4, "NHWC");
  expectRank2(op, "weight", w.shape, 4, "[kh, kw, Cin, Cout/groups]");
  const [batch, inH, inW, inC] = x.shape;
  const [kh, kw, wInC, coutPerGroup] = w.shape;
  const groups = attrs.groups;
  if (!Number.isInteger(groups) || groups < 1 || inC % groups !== 0) {
    throw new ShapeError8(`${op}: groups=${groups} must be a positive integer dividing the input channels (${inC}).`);
  }
  if (wInC !== inC) {
    throw new ShapeError8(`${op}: weight has ${wInC} input channels but x has ${inC}; weight layout is [kh, kw, Cin, Cout/groups].`);
  }
  if (attrs.kernel[0] !== kh || attrs.kernel[1] !== kw) {
    throw new ShapeError8(`${op}: attribute kernel [${attrs.kernel.join(",")}] disagrees with the weight's [${kh},${kw}].`);
  }
  expectPositivePair(op, "strides", attrs.strides);
  expectPositivePair(op, "dilations", attrs.dilations);
  const [padTop, padLeft, padBottom, padRight] = attrs.pads;
  const [opadH, opadW] = attrs.outputPadding;
  if ([padTop, padLeft, padBottom, padRight, opadH, opadW].some((p) => !Number.isInteger(p) || p < 0)) {
    throw new ShapeError8(
      `${op}: pads [${attrs.pads.join(",")}] and outputPadding [${attrs.outputPadding.join(",")}] must be non-negative integers.`
    );
  }
  const outC = coutPerGroup * groups;
  if (bias !== void 0) expectChannelVector(op, "bias", bias, outC);
  const [sh, sw] = attrs.strides;
  const [dh, dw] = attrs.dilations;
  const outH = (inH - 1) * sh + dh * (kh - 1) + 1 + opadH - padTop - padBottom;
  const outW = (inW - 1) * sw + dw * (kw - 1) + 1 + opadW - padLeft - padRight;
  if (outH < 1 || outW < 1) {
    throw new ShapeError8(`${op}: pads [${attrs.pads.join(",")}] crop away the whole ${inH}x${inW} transposed output.`);
  }
  expectOutputShape(op, call.outputShape, [batch, outH, outW, outC]);
  const xd = x.data;
  const wd = w.data;
  const cinPerGroup = inC / groups;
  const out = new Float32Array(batch * outH * outW * outC);
  const acc = new Float64Array(outC);
  let outOffset = 0;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outH; oy++) {
      const fy = oy + padTop;
      for (let ox = 0; ox < outW; ox++) {
        const fx = ox + padLeft;
        if (bias === void 0) acc.fill(0);
        else acc.set(bias.data);
        for (let ky = 0; ky < kh; ky++) {
          const ty = fy - ky * dh;
          if (ty < 0 || ty % sh !== 0) continue;
          const iy = ty / sh;
          if (iy >= inH) continue;
          for (let kx = 0; kx < kw; kx++) {
            const tx = fx - kx * dw;
            if (tx < 0 || tx % sw !== 0) continue;
            const ix = tx / sw;
            if (ix >= inW) continue;
            const xBase = ((n * inH + iy) * inW + ix) * inC;
            const wTap = (ky * kw + kx) * inC;
            for (let g = 0; g < groups; g++) {
              const accBase = g * coutPerGroup;
              for (let ci = g * cinPerGroup, end = ci + cinPerGroup; ci < end; ci++) {
                const xv = xd[xBase + ci];
                const wRow = (wTap + ci) * coutPerGroup;
                for (let co = 0; co < coutPerGroup; co++) acc[accBase + co] += xv * wd[wRow + co];
              }
            }
          }
        }
        out.set(acc, outOffset);
        outOffset += outC;
      }
    }
  }
  if (attrs.activation !== void 0) applyActivation(out, outC, attrs.activation);
  return { data: out, shape: call.outputShape };
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/delta/reference-delta-kernels.ts
import { UnsupportedOpError as UnsupportedOpError32 } from "@motiondelta/core";

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/delta/delta-inputs.ts
import { DeltaBuffer, ShapeError as ShapeError9, UnsupportedOpError as UnsupportedOpError26, formatShape as formatShape12, sizeOf as sizeOf8 } from "@motiondelta/core";
var DELTA_NODE = "(reference delta kernel)";
function requireDelta(op, inputs, index, role) {
  const input = inputs[index];
  if (!(input instanceof DeltaBuffer)) {
    throw new UnsupportedOpError26(
      op,
      DELTA_NODE,
      `input ${index} (${role}) must be a varying DeltaBuffer, got ${describe2(input)}`
    );
  }
  return input;
}
function requireConstant(op, inputs, index, role) {
  const input = inputs[index];
  if (input === void 0 || input instanceof DeltaBuffer) {
    throw new UnsupportedOpError26(op, DELTA_NODE, `input ${index} (${role}) must be a constant Tensor, got ${describe2(input)}`);
  }
  expectTensorSize(op, role, input);
  return input;
}
function expectTensorSize(op, role, t) {
  if (t.data.length !== sizeOf8(t.shape)) {
    throw new ShapeError9(`${op}: ${role} has ${t.data.length} values but its shape ${formatShape12(t.shape)} needs ${sizeOf8(t.shape)}.`);
  }
}
function describe2(input) {
  if (input === void 0) return "nothing";
  return input instanceof DeltaBuffer ? `a DeltaBuffer ${formatShape12(input.shape)}` : `a constant Tensor ${formatShape12(input.shape)}`;
}
function expectOutShape(op, out, computed) {
  if (!sameShape(out.shape, computed)) {
    throw new ShapeError9(
      `${op}: the output DeltaBuffer has shape ${formatShape12(out.shape)} but the inputs and attributes give ${formatShape12(computed)}.`
    );
  }
}
function expectStateSize(op, role, array, shape) {
  if (array.length !== sizeOf8(shape)) {
    throw new ShapeError9(`${op}: state ${role} has ${array.length} values; expected ${sizeOf8(shape)} for shape ${formatShape12(shape)}.`);
  }
}
function sameShape(a, b) {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/delta/accumulate.ts
function accumulate(delta, target) {
  expectStateSize("accumulate", "target", target, delta.shape);
  const c = delta.channels;
  const { values, active } = delta;
  for (let i = 0; i < delta.count; i++) {
    const base = active[i] * c;
    for (let ch = 0; ch < c; ch++) target[base + ch] += values[base + ch];
  }
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/delta/truncate.ts
function emitWithTruncation(out, emitted, threshold) {
  const c = out.channels;
  const { values, active, mask } = out;
  let kept = 0;
  for (let i = 0; i < out.count; i++) {
    const p = active[i];
    const base = p * c;
    let maxAbs = 0;
    for (let ch = 0; ch < c; ch++) {
      const d = Math.abs(values[base + ch] - emitted[base + ch]);
      if (d > maxAbs) maxAbs = d;
    }
    if (maxAbs > threshold) {
      for (let ch = 0; ch < c; ch++) {
        const y = values[base + ch];
        values[base + ch] = y - emitted[base + ch];
        emitted[base + ch] = y;
      }
      active[kept++] = p;
    } else {
      mask[p] = 0;
    }
  }
  out.count = kept;
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/delta/activation-delta.ts
var OP = "Activation";
function activationDelta(delta, activation, state, threshold, out) {
  expectOutShape(OP, out, delta.shape);
  expectStateSize(OP, "accumulated", state.accumulated, delta.shape);
  expectStateSize(OP, "emitted", state.emitted, delta.shape);
  out.clear();
  const c = delta.channels;
  const { accumulated } = state;
  const dv = delta.values;
  const ov = out.values;
  const pixel = new Float32Array(c);
  for (let i = 0; i < delta.count; i++) {
    const p = delta.active[i];
    const base = p * c;
    for (let ch = 0; ch < c; ch++) {
      const a = accumulated[base + ch] + dv[base + ch];
      accumulated[base + ch] = a;
      pixel[ch] = a;
    }
    applyActivation(pixel, c, activation);
    out.activate(p);
    ov.set(pixel, base);
  }
  emitWithTruncation(out, state.emitted, threshold);
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/delta/add-sub-delta.ts
import { DeltaBuffer as DeltaBuffer2, ShapeError as ShapeError10, UnsupportedOpError as UnsupportedOpError27, formatShape as formatShape13 } from "@motiondelta/core";

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/delta/copy-delta.ts
function copyDelta(x, sign, out) {
  out.clear();
  const c = x.channels;
  const xv = x.values;
  const ov = out.values;
  for (let i = 0; i < x.count; i++) {
    const p = x.active[i];
    out.activate(p);
    const base = p * c;
    if (sign === 1) for (let ch = 0; ch < c; ch++) ov[base + ch] = xv[base + ch];
    else for (let ch = 0; ch < c; ch++) ov[base + ch] = -xv[base + ch];
  }
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/delta/add-sub-delta.ts
function addSubDelta(op, inputs, out) {
  const a = inputs[0];
  const b = inputs[1];
  if (a instanceof DeltaBuffer2 && b instanceof DeltaBuffer2) {
    expectOperandShape(op, "A", a, out);
    expectOperandShape(op, "B", b, out);
    sumOfDeltas(a, b, op === "Sub" ? -1 : 1, out);
    return;
  }
  if (a instanceof DeltaBuffer2 && b !== void 0 && !(b instanceof DeltaBuffer2)) {
    expectOperandShape(op, "A", a, out);
    expectConstantBroadcast(op, "B", b, out);
    copyDelta(a, 1, out);
    return;
  }
  if (b instanceof DeltaBuffer2 && a !== void 0 && !(a instanceof DeltaBuffer2)) {
    expectOperandShape(op, "B", b, out);
    expectConstantBroadcast(op, "A", a, out);
    copyDelta(b, op === "Sub" ? -1 : 1, out);
    return;
  }
  throw new UnsupportedOpError27(
    op,
    DELTA_NODE,
    `a linear ${op} needs two varying operands or one varying and one constant, got A = ${describe2(a)} and B = ${describe2(b)}`
  );
}
function sumOfDeltas(a, b, signB, out) {
  out.clear();
  const c = out.channels;
  const ov = out.values;
  const av = a.values;
  const bv = b.values;
  for (let i = 0; i < a.count; i++) {
    const p = a.active[i];
    out.activate(p);
    const base = p * c;
    for (let ch = 0; ch < c; ch++) ov[base + ch] = av[base + ch];
  }
  for (let i = 0; i < b.count; i++) {
    const p = b.active[i];
    out.activate(p);
    const base = p * c;
    for (let ch = 0; ch < c; ch++) ov[base + ch] += signB * bv[base + ch];
  }
}
function expectOperandShape(op, role, x, out) {
  if (!sameShape(x.shape, out.shape)) {
    throw new ShapeError10(
      `${op}: varying operand ${role} ${formatShape13(x.shape)} differs from the output ${formatShape13(out.shape)}; a broadcast varying operand goes through the binary delta kernel.`
    );
  }
}
function expectConstantBroadcast(op, role, t, out) {
  expectTensorSize(op, `constant ${role}`, t);
  if (t.shape.length > 4) throw new ShapeError10(`${op}: constant ${role} ${formatShape13(t.shape)} has rank above 4; the output is NHWC.`);
  expectOutShape(op, out, broadcastShapes(op, out.shape, t.shape));
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/pool2d.ts
import { ShapeError as ShapeError11, formatShape as formatShape14 } from "@motiondelta/core";
var LOWEST_FLOAT32 = -34028234663852886e22;
function poolGeometry(call) {
  const { op, attrs } = call;
  const x = requireInput(call, 0, "x");
  expectRank2(op, "input x", x.shape, 4, "NHWC");
  expectPositivePair(op, "kernel", attrs.kernel);
  expectPositivePair(op, "strides", attrs.strides);
  const [batch, inH, inW, channels] = x.shape;
  const pads = resolvePads2D2(op, attrs.autoPad, attrs.pads, [inH, inW], attrs.kernel, attrs.strides, [1, 1]);
  const [padTop, padLeft, padBottom, padRight] = pads;
  const out = call.outputShape;
  const sizeRange = (size, k, s) => {
    const span = size - k;
    return [Math.floor(span / s) + 1, Math.ceil(span / s) + 1];
  };
  const [minH, maxH] = sizeRange(inH + padTop + padBottom, attrs.kernel[0], attrs.strides[0]);
  const [minW, maxW] = sizeRange(inW + padLeft + padRight, attrs.kernel[1], attrs.strides[1]);
  const outH = out[1] ?? -1;
  const outW = out[2] ?? -1;
  if (out.length !== 4 || out[0] !== batch || out[3] !== channels || outH < Math.max(1, minH) || outH > maxH || outW < Math.max(1, minW) || outW > maxW) {
    throw new ShapeError11(
      `${op}: the planned output shape ${formatShape14(out)} does not fit input ${formatShape14(x.shape)} with kernel [${attrs.kernel.join(",")}], strides [${attrs.strides.join(",")}], pads [${pads.join(",")}]; accepted: [${batch}, ${minH}..${maxH}, ${minW}..${maxW}, ${channels}].`
    );
  }
  return { batch, inH, inW, channels, outH, outW, pads };
}
function maxPool2dKernel(call) {
  const g = poolGeometry(call);
  return pool(call.inputs[0].data, g, call.attrs, call.outputShape, "max");
}
function avgPool2dKernel(call) {
  const g = poolGeometry(call);
  return pool(call.inputs[0].data, g, call.attrs, call.outputShape, "avg");
}
function pool(xd, g, attrs, outputShape, kind) {
  const { batch, inH, inW, channels: c, outH, outW } = g;
  const [padTop, padLeft] = g.pads;
  const [kh, kw] = attrs.kernel;
  const [sh, sw] = attrs.strides;
  const out = new Float32Array(batch * outH * outW * c);
  const acc = new Float64Array(c);
  let outOffset = 0;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outH; oy++) {
      const yStart = oy * sh - padTop;
      const y0 = Math.max(yStart, 0);
      const y1 = Math.min(yStart + kh, inH);
      for (let ox = 0; ox < outW; ox++) {
        const xStart = ox * sw - padLeft;
        const x0 = Math.max(xStart, 0);
        const x1 = Math.min(xStart + kw, inW);
        acc.fill(kind === "max" ? LOWEST_FLOAT32 : 0);
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            const base = ((n * inH + iy) * inW + ix) * c;
            if (kind === "max") {
              for (let ch = 0; ch < c; ch++) {
                const v = xd[base + ch];
                if (v > acc[ch]) acc[ch] = v;
              }
            } else {
              for (let ch = 0; ch < c; ch++) acc[ch] += xd[base + ch];
            }
          }
        }
        if (kind === "avg") {
          const inv = avgPoolInverseDivisor(g, attrs, oy, ox);
          for (let ch = 0; ch < c; ch++) acc[ch] = acc[ch] * inv;
        }
        out.set(acc, outOffset);
        outOffset += c;
      }
    }
  }
  return { data: out, shape: outputShape };
}
function avgPoolInverseDivisor(g, attrs, oy, ox) {
  const [padTop, padLeft, padBottom, padRight] = g.pads;
  const [kh, kw] = attrs.kernel;
  const yStart = oy * attrs.strides[0] - padTop;
  const xStart = ox * attrs.strides[1] - padLeft;
  const count = attrs.countIncludePad ? Math.max(0, Math.min(yStart + kh, g.inH + padBottom) - yStart) * Math.max(0, Math.min(xStart + kw, g.inW + padRight) - xStart) : Math.max(0, Math.min(yStart + kh, g.inH) - Math.max(yStart, 0)) * Math.max(0, Math.min(xStart + kw, g.inW) - Math.max(xStart, 0));
  return count > 0 ? 1 / count : 0;
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/delta/pool-windows.ts
function deltaPoolGeometry(op, attrs, data, input, out) {
  const x = { data, shape: input.shape };
  return poolGeometry({ op, attrs, inputs: [x], outputShape: out.shape });
}
function windowsContaining(i, padBegin, kernel, stride, outSize, range, at) {
  range[at] = Math.max(0, Math.ceil((i + padBegin - kernel + 1) / stride));
  range[at + 1] = Math.min(outSize - 1, Math.floor((i + padBegin) / stride));
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/delta/avg-pool2d-delta.ts
function avgPool2dDelta(attrs, inputs, out) {
  const x = requireDelta("AvgPool2D", inputs, 0, "x");
  const g = deltaPoolGeometry("AvgPool2D", attrs, x.values, x, out);
  const { inH, inW, channels: c, outH, outW } = g;
  const [padTop, padLeft] = g.pads;
  const [kh, kw] = attrs.kernel;
  const [sh, sw] = attrs.strides;
  out.clear();
  const range = new Int32Array(4);
  const xv = x.values;
  const ov = out.values;
  const inPlane = inH * inW;
  for (let i = 0; i < x.count; i++) {
    const p = x.active[i];
    const n = Math.floor(p / inPlane);
    const rest = p - n * inPlane;
    const iy = Math.floor(rest / inW);
    const ix = rest - iy * inW;
    windowsContaining(iy, padTop, kh, sh, outH, range, 0);
    windowsContaining(ix, padLeft, kw, sw, outW, range, 2);
    const xBase = p * c;
    for (let oy = range[0]; oy <= range[1]; oy++) {
      for (let ox = range[2]; ox <= range[3]; ox++) {
        const q = (n * outH + oy) * outW + ox;
        out.activate(q);
        const inv = avgPoolInverseDivisor(g, attrs, oy, ox);
        const oBase = q * c;
        for (let ch = 0; ch < c; ch++) ov[oBase + ch] += xv[xBase + ch] * inv;
      }
    }
  }
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/delta/batch-norm-delta.ts
import { ShapeError as ShapeError12, formatShape as formatShape15 } from "@motiondelta/core";
var OP2 = "BatchNorm";
function batchNormDelta(attrs, inputs, out) {
  const x = requireDelta(OP2, inputs, 0, "x");
  const scale = requireConstant(OP2, inputs, 1, "scale");
  const variance = requireConstant(OP2, inputs, 4, "variance");
  const c = x.channels;
  for (const [role, t] of [["scale", scale], ["variance", variance]]) {
    if (t.data.length !== c) {
      throw new ShapeError12(`${OP2}: ${role} has shape ${formatShape15(t.shape)}; expected ${c} values, one per channel.`);
    }
  }
  expectOperandShape(OP2, "x", x, out);
  const mul = new Float64Array(c);
  for (let ch = 0; ch < c; ch++) mul[ch] = scale.data[ch] / Math.sqrt(variance.data[ch] + attrs.epsilon);
  out.clear();
  const xv = x.values;
  const ov = out.values;
  for (let i = 0; i < x.count; i++) {
    const p = x.active[i];
    out.activate(p);
    const base = p * c;
    for (let ch = 0; ch < c; ch++) ov[base + ch] = xv[base + ch] * mul[ch];
  }
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/delta/binary-delta.ts
import { DeltaBuffer as DeltaBuffer3, ShapeError as ShapeError13, UnsupportedOpError as UnsupportedOpError28, formatShape as formatShape16 } from "@motiondelta/core";
function binaryDelta(op, a, b, state, threshold, out) {
  if (!(a instanceof DeltaBuffer3) && !(b instanceof DeltaBuffer3)) {
    throw new UnsupportedOpError28(op, DELTA_NODE, "a binary delta op needs at least one varying (DeltaBuffer) operand; both are constant");
  }
  for (const [role, t] of [["A", a], ["B", b]]) {
    if (t.shape.length > 4) throw new ShapeError13(`${op}: operand ${role} ${formatShape16(t.shape)} has rank above 4; the output is NHWC.`);
    if (!(t instanceof DeltaBuffer3)) expectTensorSize(op, `constant ${role}`, t);
  }
  expectOutShape(op, out, broadcastShapes(op, a.shape, b.shape));
  expectStateSize(op, "emitted", state.emitted, out.shape);
  const opA = prepare(op, "A", a, state.accumulated[0], out);
  const opB = prepare(op, "B", b, state.accumulated[1], out);
  out.clear();
  if (a instanceof DeltaBuffer3) markCandidates(a, state.accumulated[0], out);
  if (b instanceof DeltaBuffer3) markCandidates(b, state.accumulated[1], out);
  const [, h, w, c] = out.shape;
  const plane = h * w;
  const ov = out.values;
  for (let i = 0; i < out.count; i++) {
    const q = out.active[i];
    const n = Math.floor(q / plane);
    const rest = q - n * plane;
    const y = Math.floor(rest / w);
    const x = rest - y * w;
    const aBase = n * opA.s0 + y * opA.s1 + x * opA.s2;
    const bBase = n * opB.s0 + y * opB.s1 + x * opB.s2;
    const oBase = q * c;
    const ad = opA.data;
    const bd = opB.data;
    const sa = opA.s3;
    const sb = opB.s3;
    switch (op) {
      case "Add":
        for (let ch = 0; ch < c; ch++) ov[oBase + ch] = ad[aBase + ch * sa] + bd[bBase + ch * sb];
        break;
      case "Sub":
        for (let ch = 0; ch < c; ch++) ov[oBase + ch] = ad[aBase + ch * sa] - bd[bBase + ch * sb];
        break;
      case "Mul":
        for (let ch = 0; ch < c; ch++) ov[oBase + ch] = ad[aBase + ch * sa] * bd[bBase + ch * sb];
        break;
      case "Div":
        for (let ch = 0; ch < c; ch++) ov[oBase + ch] = ad[aBase + ch * sa] / bd[bBase + ch * sb];
        break;
    }
  }
  emitWithTruncation(out, state.emitted, threshold);
}
function prepare(op, role, t, accumulated, out) {
  let data;
  if (t instanceof DeltaBuffer3) {
    expectStateSize(op, `accumulated ${role}`, accumulated, t.shape);
    data = accumulated;
  } else {
    data = t.data;
  }
  const [s0, s1, s2, s3] = broadcastStrides(t.shape, out.shape);
  return { data, s0, s1, s2, s3 };
}
function markCandidates(d, accumulated, out) {
  const [dn, dh, dw, c] = d.shape;
  const [on, oh, ow] = out.shape;
  const plane = dh * dw;
  const dv = d.values;
  for (let i = 0; i < d.count; i++) {
    const p = d.active[i];
    const base = p * c;
    for (let ch = 0; ch < c; ch++) accumulated[base + ch] += dv[base + ch];
    const n = Math.floor(p / plane);
    const rest = p - n * plane;
    const y = Math.floor(rest / dw);
    const x = rest - y * dw;
    const nAll = dn !== on;
    const yAll = dh !== oh;
    const xAll = dw !== ow;
    for (let nn = nAll ? 0 : n, n1 = nAll ? on : n + 1; nn < n1; nn++) {
      for (let yy = yAll ? 0 : y, y1 = yAll ? oh : y + 1; yy < y1; yy++) {
        const row = (nn * oh + yy) * ow;
        for (let xx = xAll ? 0 : x, x1 = xAll ? ow : x + 1; xx < x1; xx++) out.activate(row + xx);
      }
    }
  }
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/delta/concat-delta.ts
import { DeltaBuffer as DeltaBuffer4, ShapeError as ShapeError14, UnsupportedOpError as UnsupportedOpError29 } from "@motiondelta/core";
var OP3 = "Concat";
function concatDelta(attrs, inputs, out) {
  if (attrs.axis !== 3 && attrs.axis !== -1) {
    throw new UnsupportedOpError29(OP3, DELTA_NODE, `delta concatenation supports the channel axis only (3 or -1 on NHWC), got axis ${attrs.axis}`);
  }
  if (inputs.length === 0) throw new ShapeError14(`${OP3}: needs at least one input.`);
  const [batch, h, w] = out.shape;
  let channels = 0;
  inputs.forEach((t, i) => {
    if (t === void 0) throw new ShapeError14(`${OP3}: input ${i} is missing; every input of a concatenation is required.`);
    const s = t.shape;
    if (s.length !== 4 || s[0] !== batch || s[1] !== h || s[2] !== w) {
      throw new ShapeError14(
        `${OP3}: input ${i} (${describe2(t)}) does not match the output's [${batch},${h},${w},*] outside the channel axis.`
      );
    }
    channels += s[3];
  });
  expectOutShape(OP3, out, [batch, h, w, channels]);
  out.clear();
  const oc = out.channels;
  const ov = out.values;
  let offset = 0;
  for (const t of inputs) {
    if (t instanceof DeltaBuffer4) {
      const c = t.channels;
      const xv = t.values;
      for (let i = 0; i < t.count; i++) {
        const p = t.active[i];
        out.activate(p);
        const xBase = p * c;
        const oBase = p * oc + offset;
        for (let ch = 0; ch < c; ch++) ov[oBase + ch] = xv[xBase + ch];
      }
    }
    offset += t?.shape[3] ?? 0;
  }
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/delta/conv-transpose2d-delta.ts
import { ShapeError as ShapeError15 } from "@motiondelta/core";
var OP4 = "ConvTranspose2D";
function convTranspose2dDelta(attrs, inputs, out) {
  const x = requireDelta(OP4, inputs, 0, "x");
  const w = requireConstant(OP4, inputs, 1, "weight");
  if (w.shape.length !== 4) throw new ShapeError15(`${OP4}: weight has rank ${w.shape.length}; expected [kh, kw, Cin, Cout/groups].`);
  const [batch, inH, inW, inC] = x.shape;
  const [kh, kw, wInC, coutPerGroup] = w.shape;
  const groups = attrs.groups;
  if (!Number.isInteger(groups) || groups < 1 || inC % groups !== 0 || wInC !== inC) {
    throw new ShapeError15(
      `${OP4}: weight [${w.shape.join(",")}] with groups=${groups} does not fit ${inC} input channels; expected [kh, kw, ${inC}, Cout/groups] with groups dividing Cin.`
    );
  }
  if (attrs.kernel[0] !== kh || attrs.kernel[1] !== kw) {
    throw new ShapeError15(`${OP4}: attribute kernel [${attrs.kernel.join(",")}] disagrees with the weight's [${kh},${kw}].`);
  }
  expectPositivePair(OP4, "strides", attrs.strides);
  expectPositivePair(OP4, "dilations", attrs.dilations);
  const [padTop, padLeft, padBottom, padRight] = attrs.pads;
  const [opadH, opadW] = attrs.outputPadding;
  if ([padTop, padLeft, padBottom, padRight, opadH, opadW].some((p) => !Number.isInteger(p) || p < 0)) {
    throw new ShapeError15(`${OP4}: pads [${attrs.pads.join(",")}] and outputPadding [${attrs.outputPadding.join(",")}] must be non-negative integers.`);
  }
  const [sh, sw] = attrs.strides;
  const [dh, dw] = attrs.dilations;
  const outH = (inH - 1) * sh + dh * (kh - 1) + 1 + opadH - padTop - padBottom;
  const outW = (inW - 1) * sw + dw * (kw - 1) + 1 + opadW - padLeft - padRight;
  const outC = coutPerGroup * groups;
  expectOutShape(OP4, out, [batch, outH, outW, outC]);
  out.clear();
  const cinPerGroup = inC / groups;
  const xv = x.values;
  const wd = w.data;
  const ov = out.values;
  const inPlane = inH * inW;
  for (let i = 0; i < x.count; i++) {
    const p = x.active[i];
    const n = Math.floor(p / inPlane);
    const rest = p - n * inPlane;
    const iy = Math.floor(rest / inW);
    const ix = rest - iy * inW;
    const xBase = p * inC;
    for (let ky = 0; ky < kh; ky++) {
      const oy = iy * sh + ky * dh - padTop;
      if (oy < 0 || oy >= outH) continue;
      for (let kx = 0; kx < kw; kx++) {
        const ox = ix * sw + kx * dw - padLeft;
        if (ox < 0 || ox >= outW) continue;
        const q = (n * outH + oy) * outW + ox;
        out.activate(q);
        const oBase = q * outC;
        const wTap = (ky * kw + kx) * inC;
        for (let g = 0; g < groups; g++) {
          const oGroup = oBase + g * coutPerGroup;
          for (let ci = g * cinPerGroup, end = ci + cinPerGroup; ci < end; ci++) {
            const d = xv[xBase + ci];
            const wRow = (wTap + ci) * coutPerGroup;
            for (let co = 0; co < coutPerGroup; co++) ov[oGroup + co] += d * wd[wRow + co];
          }
        }
      }
    }
  }
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/delta/conv2d-delta.ts
import { ShapeError as ShapeError16 } from "@motiondelta/core";
var OP5 = "Conv2D";
function conv2dDelta(attrs, inputs, out) {
  const x = requireDelta(OP5, inputs, 0, "x");
  const w = requireConstant(OP5, inputs, 1, "weight");
  if (w.shape.length !== 4) throw new ShapeError16(`${OP5}: weight has rank ${w.shape.length}; expected [kh, kw, Cin/groups, Cout].`);
  const [batch, inH, inW, inC] = x.shape;
  const [kh, kw, cinPerGroup, outC] = w.shape;
  const groups = attrs.groups;
  if (!Number.isInteger(groups) || groups < 1 || inC % groups !== 0 || outC % groups !== 0 || cinPerGroup !== inC / groups) {
    throw new ShapeError16(
      `${OP5}: weight [${w.shape.join(",")}] with groups=${groups} does not fit ${inC} input channels; expected [kh, kw, ${inC}/groups, Cout] with groups dividing Cin and Cout.`
    );
  }
  if (attrs.kernel[0] !== kh || attrs.kernel[1] !== kw) {
    throw new ShapeError16(`${OP5}: attribute kernel [${attrs.kernel.join(",")}] disagrees with the weight's [${kh},${kw}].`);
  }
  expectPositivePair(OP5, "strides", attrs.strides);
  expectPositivePair(OP5, "dilations", attrs.dilations);
  const [sh, sw] = attrs.strides;
  const [dh, dw] = attrs.dilations;
  const [padTop, padLeft, padBottom, padRight] = resolvePads2D2(OP5, attrs.autoPad, attrs.pads, [inH, inW], attrs.kernel, attrs.strides, attrs.dilations);
  const outH = Math.floor((inH + padTop + padBottom - (dh * (kh - 1) + 1)) / sh) + 1;
  const outW = Math.floor((inW + padLeft + padRight - (dw * (kw - 1) + 1)) / sw) + 1;
  expectOutShape(OP5, out, [batch, outH, outW, outC]);
  out.clear();
  const xv = x.values;
  const wd = w.data;
  const ov = out.values;
  const coutPerGroup = outC / groups;
  const wTapStride = cinPerGroup * outC;
  const inPlane = inH * inW;
  for (let i = 0; i < x.count; i++) {
    const p = x.active[i];
    const n = Math.floor(p / inPlane);
    const rest = p - n * inPlane;
    const iy = Math.floor(rest / inW);
    const ix = rest - iy * inW;
    const xBase = p * inC;
    for (let ky = 0; ky < kh; ky++) {
      const ty = iy + padTop - ky * dh;
      if (ty < 0 || ty % sh !== 0) continue;
      const oy = ty / sh;
      if (oy >= outH) continue;
      for (let kx = 0; kx < kw; kx++) {
        const tx = ix + padLeft - kx * dw;
        if (tx < 0 || tx % sw !== 0) continue;
        const ox = tx / sw;
        if (ox >= outW) continue;
        const q = (n * outH + oy) * outW + ox;
        out.activate(q);
        const oBase = q * outC;
        const wTap = (ky * kw + kx) * wTapStride;
        for (let g = 0; g < groups; g++) {
          const oGroup = oBase + g * coutPerGroup;
          const xGroup = xBase + g * cinPerGroup;
          for (let ci = 0; ci < cinPerGroup; ci++) {
            const d = xv[xGroup + ci];
            const wRow = wTap + ci * outC + g * coutPerGroup;
            for (let co = 0; co < coutPerGroup; co++) ov[oGroup + co] += d * wd[wRow + co];
          }
        }
      }
    }
  }
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/delta/global-avg-pool-delta.ts
function globalAvgPoolDelta(inputs, out) {
  const x = requireDelta("GlobalAvgPool", inputs, 0, "x");
  const [batch, h, w, c] = x.shape;
  expectOutShape("GlobalAvgPool", out, [batch, 1, 1, c]);
  out.clear();
  const plane = h * w;
  const xv = x.values;
  const ov = out.values;
  for (let i = 0; i < x.count; i++) {
    const p = x.active[i];
    const n = Math.floor(p / plane);
    out.activate(n);
    const xBase = p * c;
    const oBase = n * c;
    for (let ch = 0; ch < c; ch++) ov[oBase + ch] += xv[xBase + ch] / plane;
  }
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/delta/max-pool-delta.ts
var OP6 = "MaxPool2D";
function maxPoolDelta(delta, attrs, state, threshold, out) {
  const g = deltaPoolGeometry(OP6, attrs, state.accumulated, delta, out);
  expectStateSize(OP6, "emitted", state.emitted, out.shape);
  const { inH, inW, channels: c, outH, outW } = g;
  const [padTop, padLeft] = g.pads;
  const [kh, kw] = attrs.kernel;
  const [sh, sw] = attrs.strides;
  const { accumulated } = state;
  const dv = delta.values;
  const inPlane = inH * inW;
  const range = new Int32Array(4);
  out.clear();
  for (let i = 0; i < delta.count; i++) {
    const p = delta.active[i];
    const base = p * c;
    for (let ch = 0; ch < c; ch++) accumulated[base + ch] += dv[base + ch];
    const n = Math.floor(p / inPlane);
    const rest = p - n * inPlane;
    const iy = Math.floor(rest / inW);
    const ix = rest - iy * inW;
    windowsContaining(iy, padTop, kh, sh, outH, range, 0);
    windowsContaining(ix, padLeft, kw, sw, outW, range, 2);
    for (let oy = range[0]; oy <= range[1]; oy++) {
      for (let ox = range[2]; ox <= range[3]; ox++) out.activate((n * outH + oy) * outW + ox);
    }
  }
  const ov = out.values;
  const outPlane = outH * outW;
  for (let i = 0; i < out.count; i++) {
    const q = out.active[i];
    const n = Math.floor(q / outPlane);
    const rest = q - n * outPlane;
    const oy = Math.floor(rest / outW);
    const ox = rest - oy * outW;
    const yStart = oy * sh - padTop;
    const xStart = ox * sw - padLeft;
    const y1 = Math.min(yStart + kh, inH);
    const x1 = Math.min(xStart + kw, inW);
    const oBase = q * c;
    ov.fill(LOWEST_FLOAT32, oBase, oBase + c);
    for (let iy = Math.max(yStart, 0); iy < y1; iy++) {
      for (let ix = Math.max(xStart, 0); ix < x1; ix++) {
        const xBase = ((n * inH + iy) * inW + ix) * c;
        for (let ch = 0; ch < c; ch++) {
          const v = accumulated[xBase + ch];
          if (v > ov[oBase + ch]) ov[oBase + ch] = v;
        }
      }
    }
  }
  emitWithTruncation(out, state.emitted, threshold);
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/delta/mul-div-delta.ts
import { DeltaBuffer as DeltaBuffer5, UnsupportedOpError as UnsupportedOpError30 } from "@motiondelta/core";
function mulDivDelta(op, inputs, out) {
  const a = inputs[0];
  const b = inputs[1];
  let x;
  let k;
  if (a instanceof DeltaBuffer5 && b !== void 0 && !(b instanceof DeltaBuffer5)) {
    x = a;
    k = b;
  } else if (op === "Mul" && b instanceof DeltaBuffer5 && a !== void 0 && !(a instanceof DeltaBuffer5)) {
    x = b;
    k = a;
  } else {
    throw new UnsupportedOpError30(
      op,
      DELTA_NODE,
      `a linear ${op} needs ${op === "Div" ? "a varying dividend and a constant divisor" : "one varying and one constant operand"}, got A = ${describe2(a)} and B = ${describe2(b)}; use the binary delta kernel otherwise`
    );
  }
  expectOperandShape(op, x === a ? "A" : "B", x, out);
  expectConstantBroadcast(op, k === a ? "A" : "B", k, out);
  const [s0, s1, s2, s3] = broadcastStrides(k.shape, out.shape);
  const [, h, w, c] = out.shape;
  out.clear();
  const kd = k.data;
  const xv = x.values;
  const ov = out.values;
  const plane = h * w;
  for (let i = 0; i < x.count; i++) {
    const p = x.active[i];
    out.activate(p);
    const n = Math.floor(p / plane);
    const rest = p - n * plane;
    const y = Math.floor(rest / w);
    const kBase = n * s0 + y * s1 + (rest - y * w) * s2;
    const base = p * c;
    if (op === "Mul") for (let ch = 0; ch < c; ch++) ov[base + ch] = xv[base + ch] * kd[kBase + ch * s3];
    else for (let ch = 0; ch < c; ch++) ov[base + ch] = xv[base + ch] / kd[kBase + ch * s3];
  }
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/delta/pad-delta.ts
import { ShapeError as ShapeError18, UnsupportedOpError as UnsupportedOpError31 } from "@motiondelta/core";

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/pad.ts
import { ShapeError as ShapeError17, formatShape as formatShape17, sizeOf as sizeOf9, stridesOf } from "@motiondelta/core";
var CONSTANT = -1;
function padKernel(call) {
  const { op, attrs } = call;
  const x = requireInput(call, 0, "x");
  const rank = x.shape.length;
  if (attrs.pads.length !== 2 * rank || attrs.pads.some((p) => !Number.isInteger(p))) {
    throw new ShapeError17(
      `${op}: pads [${attrs.pads.join(",")}] must be ${2 * rank} integers ([begin..., end...]) for input ${formatShape17(x.shape)}.`
    );
  }
  const outShape = x.shape.map((d, i) => d + attrs.pads[i] + attrs.pads[i + rank]);
  if (outShape.some((d) => d < 0)) {
    throw new ShapeError17(`${op}: pads [${attrs.pads.join(",")}] crop more than input ${formatShape17(x.shape)} holds.`);
  }
  expectOutputShape(op, call.outputShape, outShape);
  const out = new Float32Array(sizeOf9(outShape));
  if (out.length === 0) return { data: out, shape: call.outputShape };
  if (rank === 0) {
    out[0] = x.data[0];
    return { data: out, shape: call.outputShape };
  }
  const maps = x.shape.map((d, i) => axisMap(op, d, attrs.pads[i], attrs.pads[i + rank], outShape[i], attrs.mode));
  const inStrides = stridesOf(x.shape);
  const xd = x.data;
  const last = rank - 1;
  const lastMap = maps[last];
  const lastStride = inStrides[last];
  const rowLength = outShape[last];
  const index = new Int32Array(rank);
  const value = attrs.value;
  for (let offOut = 0; offOut < out.length; offOut += rowLength) {
    let base = 0;
    let outside = false;
    for (let d = 0; d < last; d++) {
      const src = maps[d][index[d]];
      if (src === CONSTANT) {
        outside = true;
        break;
      }
      base += src * inStrides[d];
    }
    if (outside) {
      out.fill(value, offOut, offOut + rowLength);
    } else {
      for (let i = 0; i < rowLength; i++) {
        const src = lastMap[i];
        out[offOut + i] = src === CONSTANT ? value : xd[base + src * lastStride];
      }
    }
    for (let d = last - 1; d >= 0; d--) {
      index[d]++;
      if (index[d] < outShape[d]) break;
      index[d] = 0;
    }
  }
  return { data: out, shape: call.outputShape };
}
function axisMap(op, size, begin, end, outSize, mode) {
  const lo = Math.max(0, -begin);
  const kept = size - lo - Math.max(0, -end);
  const shift = Math.max(0, begin);
  const map = new Int32Array(outSize);
  if (kept <= 0 && mode !== "constant" && outSize > 0) {
    throw new ShapeError17(`${op}: ${mode} padding needs at least one input element on every axis, but an axis of size ${size} is cropped to nothing.`);
  }
  for (let o = 0; o < outSize; o++) {
    let j = o - shift;
    if (j < 0 || j >= kept) {
      if (mode === "constant") {
        map[o] = CONSTANT;
        continue;
      }
      j = mode === "edge" ? j < 0 ? 0 : kept - 1 : reflectIndex(j, kept);
    }
    map[o] = lo + j;
  }
  return map;
}
function reflectIndex(j, size) {
  if (size === 1) return 0;
  const period = 2 * (size - 1);
  const m = (j % period + period) % period;
  return m < size ? m : period - m;
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/delta/pad-delta.ts
var OP7 = "Pad";
function padDelta(attrs, inputs, out) {
  const x = requireDelta(OP7, inputs, 0, "x");
  const pads = attrs.pads;
  if (pads.length !== 8 || pads.some((p) => !Number.isInteger(p))) {
    throw new ShapeError18(`${OP7}: pads [${pads.join(",")}] must be 8 integers ([begin N,H,W,C, end N,H,W,C]) for a 4-D NHWC delta.`);
  }
  if (pads[0] !== 0 || pads[3] !== 0 || pads[4] !== 0 || pads[7] !== 0) {
    throw new UnsupportedOpError31(
      OP7,
      DELTA_NODE,
      `delta padding supports pads on H and W only, got [${pads.join(",")}]; batch and channel pads must be 0`
    );
  }
  const [batch, inH, inW, c] = x.shape;
  const [, top, left, , , bottom, right] = pads;
  const outH = inH + top + bottom;
  const outW = inW + left + right;
  if (outH < 0 || outW < 0) throw new ShapeError18(`${OP7}: pads [${pads.join(",")}] crop more than the ${inH}x${inW} input holds.`);
  expectOutShape(OP7, out, [batch, outH, outW, c]);
  const rows = invert(axisMap(OP7, inH, top, bottom, outH, attrs.mode), inH);
  const cols = invert(axisMap(OP7, inW, left, right, outW, attrs.mode), inW);
  out.clear();
  const xv = x.values;
  const ov = out.values;
  const inPlane = inH * inW;
  for (let i = 0; i < x.count; i++) {
    const p = x.active[i];
    const n = Math.floor(p / inPlane);
    const rest = p - n * inPlane;
    const iy = Math.floor(rest / inW);
    const ix = rest - iy * inW;
    const xBase = p * c;
    for (let r = rows.start[iy]; r < rows.start[iy + 1]; r++) {
      const rowBase = (n * outH + rows.outputs[r]) * outW;
      for (let k = cols.start[ix]; k < cols.start[ix + 1]; k++) {
        const q = rowBase + cols.outputs[k];
        out.activate(q);
        const oBase = q * c;
        for (let ch = 0; ch < c; ch++) ov[oBase + ch] = xv[xBase + ch];
      }
    }
  }
}
function invert(map, inSize) {
  const start = new Int32Array(inSize + 1);
  for (const src of map) if (src !== CONSTANT) start[src + 1]++;
  for (let i = 0; i < inSize; i++) start[i + 1] += start[i];
  const outputs = new Int32Array(start[inSize]);
  const fill = start.slice(0, inSize);
  for (let o = 0; o < map.length; o++) {
    const src = map[o];
    if (src !== CONSTANT) outputs[fill[src]++] = o;
  }
  return { start, outputs };
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/delta/resize-delta.ts
import { ShapeError as ShapeError20, formatShape as formatShape19 } from "@motiondelta/core";

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/resize.ts
import { ShapeError as ShapeError19, formatShape as formatShape18 } from "@motiondelta/core";
var f32 = Math.fround;
function resizeKernel(call) {
  const { op, attrs } = call;
  const x = requireInput(call, 0, "x");
  expectRank2(op, "input x", x.shape, 4, "NHWC");
  const [batch, inH, inW, c] = x.shape;
  const [outH, outW] = outputSize(op, attrs, inH, inW);
  expectOutputShape(op, call.outputShape, [batch, outH, outW, c]);
  if (inH === 0 || inW === 0) {
    throw new ShapeError19(`${op}: input ${formatShape18(x.shape)} has an empty spatial axis; nothing to resample from.`);
  }
  const { rows, cols } = resizeTaps(attrs, inH, inW, outH, outW);
  const xd = x.data;
  const out = new Float32Array(batch * outH * outW * c);
  let o = 0;
  for (let n = 0; n < batch; n++) {
    const plane = n * inH;
    for (let oy = 0; oy < outH; oy++) {
      const r0 = (plane + rows.lo[oy]) * inW;
      const r1 = (plane + rows.hi[oy]) * inW;
      const wy = rows.weight[oy];
      for (let ox = 0; ox < outW; ox++) {
        const c0 = cols.lo[ox];
        const c1 = cols.hi[ox];
        const wx = cols.weight[ox];
        const p00 = (r0 + c0) * c;
        const p01 = (r0 + c1) * c;
        const p10 = (r1 + c0) * c;
        const p11 = (r1 + c1) * c;
        for (let ch = 0; ch < c; ch++, o++) {
          const top = xd[p00 + ch] + wx * (xd[p01 + ch] - xd[p00 + ch]);
          const bottom = xd[p10 + ch] + wx * (xd[p11 + ch] - xd[p10 + ch]);
          out[o] = top + wy * (bottom - top);
        }
      }
    }
  }
  return { data: out, shape: call.outputShape };
}
function resizeTaps(attrs, inH, inW, outH, outW) {
  const scaleH = f32(attrs.scales?.[0] ?? outH / inH);
  const scaleW = f32(attrs.scales?.[1] ?? outW / inW);
  return { rows: axisTaps(attrs, inH, outH, scaleH), cols: axisTaps(attrs, inW, outW, scaleW) };
}
function outputSize(op, attrs, inH, inW) {
  if (attrs.sizes !== void 0) return [attrs.sizes[0], attrs.sizes[1]];
  if (attrs.scales !== void 0) return [Math.floor(f32(f32(attrs.scales[0]) * inH)), Math.floor(f32(f32(attrs.scales[1]) * inW))];
  throw new ShapeError19(`${op}: neither sizes nor scales is set; one of them is required.`);
}
function axisTaps(attrs, inSize, outSize, scale) {
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const weight = new Float64Array(outSize);
  const last = inSize - 1;
  for (let i = 0; i < outSize; i++) {
    const src = sourceCoordinate(attrs.coordinateMode, i, scale, inSize, outSize);
    if (attrs.mode === "nearest") {
      const k = Math.min(Math.max(nearestIndex(attrs.nearestMode, src), 0), last);
      lo[i] = k;
      hi[i] = k;
    } else {
      const clamped = Math.min(Math.max(src, 0), last);
      const k = Math.floor(clamped);
      lo[i] = k;
      hi[i] = Math.min(k + 1, last);
      weight[i] = clamped - k;
    }
  }
  return { lo, hi, weight };
}
function sourceCoordinate(mode, x, scale, inSize, outSize) {
  switch (mode) {
    case "half_pixel":
      return f32(f32(f32(x + 0.5) / scale) - 0.5);
    case "pytorch_half_pixel":
      return outSize > 1 ? f32(f32(f32(x + 0.5) / scale) - 0.5) : 0;
    case "align_corners":
      return outSize === 1 ? 0 : f32(f32(x * (inSize - 1)) / (outSize - 1));
    case "asymmetric":
      return f32(x / scale);
    case "tf_half_pixel_for_nn":
      return f32(f32(x + 0.5) / scale);
    default: {
      const unknown = mode;
      throw new ShapeError19(
        `Resize: unknown coordinate mode '${String(unknown)}'; accepted: half_pixel, pytorch_half_pixel, align_corners, asymmetric, tf_half_pixel_for_nn.`
      );
    }
  }
}
function nearestIndex(mode, src) {
  const floor = Math.floor(src);
  const frac = src - floor;
  switch (mode) {
    case "round_prefer_floor":
      return frac > 0.5 ? floor + 1 : floor;
    case "round_prefer_ceil":
      return frac >= 0.5 ? floor + 1 : floor;
    case "floor":
      return floor;
    case "ceil":
      return Math.ceil(src);
    default: {
      const unknown = mode;
      throw new ShapeError19(`Resize: unknown nearest mode '${String(unknown)}'; accepted: round_prefer_floor, round_prefer_ceil, floor, ceil.`);
    }
  }
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/delta/resize-delta.ts
var OP8 = "Resize";
function resizeDelta(attrs, inputs, out) {
  const x = requireDelta(OP8, inputs, 0, "x");
  const [batch, inH, inW, c] = x.shape;
  if (inH === 0 || inW === 0) {
    throw new ShapeError20(`${OP8}: input ${formatShape19(x.shape)} has an empty spatial axis; nothing to resample from.`);
  }
  const [outH, outW] = outputSize(OP8, attrs, inH, inW);
  expectOutShape(OP8, out, [batch, outH, outW, c]);
  const { rows, cols } = resizeTaps(attrs, inH, inW, outH, outW);
  const rowRange = inverseRanges(rows, inH);
  const colRange = inverseRanges(cols, inW);
  out.clear();
  const inPlane = inH * inW;
  for (let i = 0; i < x.count; i++) {
    const p = x.active[i];
    const n = Math.floor(p / inPlane);
    const rest = p - n * inPlane;
    const iy = Math.floor(rest / inW);
    const ix = rest - iy * inW;
    for (let oy = rowRange[2 * iy]; oy <= rowRange[2 * iy + 1]; oy++) {
      if (!reads(rows, oy, iy)) continue;
      const rowBase = (n * outH + oy) * outW;
      for (let ox = colRange[2 * ix]; ox <= colRange[2 * ix + 1]; ox++) {
        if (reads(cols, ox, ix)) out.activate(rowBase + ox);
      }
    }
  }
  const xv = x.values;
  const mask = x.mask;
  const ov = out.values;
  const outPlane = outH * outW;
  for (let i = 0; i < out.count; i++) {
    const q = out.active[i];
    const n = Math.floor(q / outPlane);
    const rest = q - n * outPlane;
    const oy = Math.floor(rest / outW);
    const ox = rest - oy * outW;
    const r0 = (n * inH + rows.lo[oy]) * inW;
    const r1 = (n * inH + rows.hi[oy]) * inW;
    const c0 = cols.lo[ox];
    const c1 = cols.hi[ox];
    const p00 = mask[r0 + c0] === 1 ? (r0 + c0) * c : -1;
    const p01 = mask[r0 + c1] === 1 ? (r0 + c1) * c : -1;
    const p10 = mask[r1 + c0] === 1 ? (r1 + c0) * c : -1;
    const p11 = mask[r1 + c1] === 1 ? (r1 + c1) * c : -1;
    const wy = rows.weight[oy];
    const wx = cols.weight[ox];
    const oBase = q * c;
    for (let ch = 0; ch < c; ch++) {
      const d00 = p00 < 0 ? 0 : xv[p00 + ch];
      const d01 = p01 < 0 ? 0 : xv[p01 + ch];
      const d10 = p10 < 0 ? 0 : xv[p10 + ch];
      const d11 = p11 < 0 ? 0 : xv[p11 + ch];
      const top = d00 + wx * (d01 - d00);
      const bottom = d10 + wx * (d11 - d10);
      ov[oBase + ch] = top + wy * (bottom - top);
    }
  }
}
function reads(taps, o, i) {
  return taps.lo[o] === i || taps.hi[o] === i && taps.weight[o] !== 0;
}
function inverseRanges(taps, inSize) {
  const range = new Int32Array(2 * inSize);
  for (let i = 0; i < inSize; i++) {
    range[2 * i] = taps.lo.length;
    range[2 * i + 1] = -1;
  }
  const widen = (i, o) => {
    if (o < range[2 * i]) range[2 * i] = o;
    if (o > range[2 * i + 1]) range[2 * i + 1] = o;
  };
  for (let o = 0; o < taps.lo.length; o++) {
    widen(taps.lo[o], o);
    if (taps.weight[o] !== 0) widen(taps.hi[o], o);
  }
  return range;
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/delta/sparsify.ts
import { ShapeError as ShapeError21, formatShape as formatShape20 } from "@motiondelta/core";
function sparsify(x, reference, threshold, out) {
  if (x.data.length !== out.values.length) {
    throw new ShapeError21(
      `sparsify: input ${formatShape20(x.shape)} (${x.data.length} values) does not match the output DeltaBuffer ${formatShape20(out.shape)}.`
    );
  }
  expectStateSize("sparsify", "reference", reference, out.shape);
  out.clear();
  const c = out.channels;
  const xd = x.data;
  const values = out.values;
  for (let p = 0, base = 0; p < out.pixels; p++, base += c) {
    let maxAbs = 0;
    for (let ch = 0; ch < c; ch++) {
      const d = Math.abs(xd[base + ch] - reference[base + ch]);
      if (d > maxAbs) maxAbs = d;
    }
    if (!(maxAbs > threshold)) continue;
    out.activate(p);
    for (let ch = 0; ch < c; ch++) {
      const v = xd[base + ch];
      values[base + ch] = v - reference[base + ch];
      reference[base + ch] = v;
    }
  }
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/delta/reference-delta-kernels.ts
var ReferenceDeltaKernels = class {
  sparsify(x, reference, threshold, out) {
    sparsify(x, reference, threshold, out);
  }
  accumulate(delta, target) {
    accumulate(delta, target);
  }
  linear(call, out) {
    switch (call.op) {
      case "Conv2D":
        return conv2dDelta(call.attrs, call.inputs, out);
      case "ConvTranspose2D":
        return convTranspose2dDelta(call.attrs, call.inputs, out);
      case "AvgPool2D":
        return avgPool2dDelta(call.attrs, call.inputs, out);
      case "GlobalAvgPool":
        return globalAvgPoolDelta(call.inputs, out);
      case "Resize":
        return resizeDelta(call.attrs, call.inputs, out);
      case "Pad":
        return padDelta(call.attrs, call.inputs, out);
      case "Concat":
        return concatDelta(call.attrs, call.inputs, out);
      case "Add":
      case "Sub":
        return addSubDelta(call.op, call.inputs, out);
      case "Mul":
      case "Div":
        return mulDivDelta(call.op, call.inputs, out);
      case "BatchNorm":
        return batchNormDelta(call.attrs, call.inputs, out);
      case "Identity": {
        const x = requireDelta("Identity", call.inputs, 0, "x");
        expectOperandShape("Identity", "x", x, out);
        return copyDelta(x, 1, out);
      }
      default: {
        const unhandled = call;
        const op = String(unhandled.op);
        throw new UnsupportedOpError32(op, DELTA_NODE, "the reference backend has no linear delta kernel for this op");
      }
    }
  }
  activation(delta, activation, state, threshold, out) {
    activationDelta(delta, activation, state, threshold, out);
  }
  binary(op, a, b, state, threshold, out) {
    binaryDelta(op, a, b, state, threshold, out);
  }
  maxPool(delta, attrs, state, threshold, out) {
    maxPoolDelta(delta, attrs, state, threshold, out);
  }
};

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/conv2d.ts
import { ShapeError as ShapeError22 } from "@motiondelta/core";
function conv2dKernel(call) {
  const { op, attrs } = call;
  const x = requireInput(call, 0, "x");
  const w = requireInput(call, 1, "weight");
  const bias = optionalInput(call, 2, "bias");
  expectRank2(op, "input x", x.shape, 4, "NHWC");
  expectRank2(op, "weight", w.shape, 4, "[kh, kw, Cin/groups, Cout]");
  const [batch, inH, inW, inC] = x.shape;
  const [kh, kw, cinPerGroup, outC] = w.shape;
  const groups = attrs.groups;
  if (!Number.isInteger(groups) || groups < 1 || inC % groups !== 0 || outC % groups !== 0) {
    throw new ShapeError22(
      `${op}: groups=${groups} must be a positive integer dividing both input channels (${inC}) and output channels (${outC}).`
    );
  }
  if (cinPerGroup !== inC / groups) {
    throw new ShapeError22(
      `${op}: weight has ${cinPerGroup} input channels per group but x has ${inC} channels in ${groups} group(s); expected ${inC / groups}.`
    );
  }
  if (attrs.kernel[0] !== kh || attrs.kernel[1] !== kw) {
    throw new ShapeError22(`${op}: attribute kernel [${attrs.kernel.join(",")}] disagrees with the weight's [${kh},${kw}].`);
  }
  expectPositivePair(op, "strides", attrs.strides);
  expectPositivePair(op, "dilations", attrs.dilations);
  if (bias !== void 0) expectChannelVector(op, "bias", bias, outC);
  const [sh, sw] = attrs.strides;
  const [dh, dw] = attrs.dilations;
  const [padTop, padLeft, padBottom, padRight] = resolvePads2D2(
    op,
    attrs.autoPad,
    attrs.pads,
    [inH, inW],
    attrs.kernel,
    attrs.strides,
    attrs.dilations
  );
  const outH = Math.floor((inH + padTop + padBottom - (dh * (kh - 1) + 1)) / sh) + 1;
  const outW = Math.floor((inW + padLeft + padRight - (dw * (kw - 1) + 1)) / sw) + 1;
  if (outH < 1 || outW < 1) {
    throw new ShapeError22(`${op}: a ${kh}x${kw} kernel (dilation ${dh}x${dw}) does not fit the padded ${inH}x${inW} input.`);
  }
  expectOutputShape(op, call.outputShape, [batch, outH, outW, outC]);
  const xd = x.data;
  const wd = w.data;
  const out = new Float32Array(batch * outH * outW * outC);
  const acc = new Float64Array(outC);
  const coutPerGroup = outC / groups;
  const wTapStride = cinPerGroup * outC;
  let outOffset = 0;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * sh - padTop;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * sw - padLeft;
        if (bias === void 0) acc.fill(0);
        else acc.set(bias.data);
        for (let ky = 0; ky < kh; ky++) {
          const iy = iy0 + ky * dh;
          if (iy < 0 || iy >= inH) continue;
          const xRow = (n * inH + iy) * inW;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ix0 + kx * dw;
            if (ix < 0 || ix >= inW) continue;
            const xBase = (xRow + ix) * inC;
            const wTap = (ky * kw + kx) * wTapStride;
            for (let g = 0; g < groups; g++) {
              const accBase = g * coutPerGroup;
              const xGroup = xBase + g * cinPerGroup;
              for (let ci = 0; ci < cinPerGroup; ci++) {
                const xv = xd[xGroup + ci];
                const wRow = wTap + ci * outC + accBase;
                for (let co = 0; co < coutPerGroup; co++) acc[accBase + co] += xv * wd[wRow + co];
              }
            }
          }
        }
        out.set(acc, outOffset);
        outOffset += outC;
      }
    }
  }
  if (attrs.activation !== void 0) applyActivation(out, outC, attrs.activation);
  return { data: out, shape: call.outputShape };
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/gemm.ts
import { ShapeError as ShapeError23, formatShape as formatShape21 } from "@motiondelta/core";

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/matrix-product.ts
function multiplyMatrices(a, b, m, k, n, alpha, out, outOffset, acc) {
  const ad = a.data;
  const bd = b.data;
  for (let i = 0; i < m; i++) {
    acc.fill(0, 0, n);
    const aRow = a.offset + i * a.rowStride;
    for (let p = 0; p < k; p++) {
      const av = ad[aRow + p * a.colStride];
      const bRow = b.offset + p * b.rowStride;
      const bStep = b.colStride;
      for (let j = 0; j < n; j++) acc[j] += av * bd[bRow + j * bStep];
    }
    const o = outOffset + i * n;
    for (let j = 0; j < n; j++) out[o + j] = alpha * acc[j];
  }
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/gemm.ts
function gemmKernel(call) {
  const { op, attrs } = call;
  const a = requireInput(call, 0, "A");
  const b = requireInput(call, 1, "B");
  const c = optionalInput(call, 2, "C");
  expectRank2(op, "A", a.shape, 2, "a matrix");
  expectRank2(op, "B", b.shape, 2, "a matrix");
  const [a0, a1] = a.shape;
  const [b0, b1] = b.shape;
  const [m, k] = attrs.transA ? [a1, a0] : [a0, a1];
  const [kb, n] = attrs.transB ? [b1, b0] : [b0, b1];
  if (k !== kb) {
    throw new ShapeError23(
      `${op}: inner dimensions differ: A' has ${k} columns (A ${formatShape21(a.shape)}, transA=${attrs.transA}), B' has ${kb} rows (B ${formatShape21(b.shape)}, transB=${attrs.transB}).`
    );
  }
  expectOutputShape(op, call.outputShape, [m, n]);
  const out = new Float32Array(m * n);
  multiplyMatrices(
    { data: a.data, offset: 0, rowStride: attrs.transA ? 1 : a1, colStride: attrs.transA ? a1 : 1 },
    { data: b.data, offset: 0, rowStride: attrs.transB ? 1 : b1, colStride: attrs.transB ? b1 : 1 },
    m,
    k,
    n,
    attrs.alpha,
    out,
    0,
    new Float64Array(n)
  );
  if (c !== void 0 && attrs.beta !== 0) addScaledBias(op, c, m, n, attrs.beta, out);
  if (attrs.activation !== void 0) applyActivation(out, n, attrs.activation);
  return { data: out, shape: call.outputShape };
}
function addScaledBias(op, c, m, n, beta, out) {
  const target = [m, n];
  const broadcast = c.shape.length <= 2 ? broadcastShapes(op, c.shape, target) : [];
  if (broadcast.length !== 2 || broadcast[0] !== m || broadcast[1] !== n) {
    throw new ShapeError23(`${op}: C ${formatShape21(c.shape)} does not broadcast to the output [${m},${n}].`);
  }
  const [rowStride, colStride] = broadcastStrides(c.shape, target);
  const cd = c.data;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) out[i * n + j] = out[i * n + j] + beta * cd[i * rowStride + j * colStride];
  }
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/global-avg-pool.ts
function globalAvgPoolKernel(call) {
  const x = requireInput(call, 0, "x");
  expectRank2(call.op, "input x", x.shape, 4, "NHWC");
  const [batch, h, w, c] = x.shape;
  expectOutputShape(call.op, call.outputShape, [batch, 1, 1, c]);
  const xd = x.data;
  const out = new Float32Array(batch * c);
  const acc = new Float64Array(c);
  const pixels = h * w;
  for (let n = 0; n < batch; n++) {
    acc.fill(0);
    for (let p = 0, base = n * pixels * c; p < pixels; p++, base += c) {
      for (let ch = 0; ch < c; ch++) acc[ch] += xd[base + ch];
    }
    for (let ch = 0; ch < c; ch++) out[n * c + ch] = pixels > 0 ? acc[ch] / pixels : 0;
  }
  return { data: out, shape: call.outputShape };
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/matmul.ts
import { ShapeError as ShapeError24, formatShape as formatShape22, sizeOf as sizeOf10 } from "@motiondelta/core";
function matmulKernel(call) {
  const { op } = call;
  const a = requireInput(call, 0, "A");
  const b = requireInput(call, 1, "B");
  if (a.shape.length === 0 || b.shape.length === 0) {
    throw new ShapeError24(`${op}: operands ${formatShape22(a.shape)} and ${formatShape22(b.shape)} must have rank >= 1.`);
  }
  const aMat = a.shape.length === 1 ? [1, a.shape[0]] : a.shape.slice(-2);
  const bMat = b.shape.length === 1 ? [b.shape[0], 1] : b.shape.slice(-2);
  const [m, k] = aMat;
  const [kb, n] = bMat;
  if (k !== kb) {
    throw new ShapeError24(`${op}: inner dimensions differ: A ${formatShape22(a.shape)} has ${k} columns, B ${formatShape22(b.shape)} has ${kb} rows.`);
  }
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const batchShape = broadcastShapes(op, aBatch, bBatch);
  const outShape = [...batchShape];
  if (a.shape.length > 1) outShape.push(m);
  if (b.shape.length > 1) outShape.push(n);
  expectOutputShape(op, call.outputShape, outShape);
  const batches = sizeOf10(batchShape);
  const aStrides = broadcastStrides(aBatch, batchShape);
  const bStrides = broadcastStrides(bBatch, batchShape);
  const out = new Float32Array(batches * m * n);
  const acc = new Float64Array(n);
  for (let batch = 0; batch < batches; batch++) {
    let aIndex = 0;
    let bIndex = 0;
    for (let d = batchShape.length - 1, rest = batch; d >= 0; d--) {
      const size = batchShape[d];
      const i = rest % size;
      rest = (rest - i) / size;
      aIndex += i * aStrides[d];
      bIndex += i * bStrides[d];
    }
    multiplyMatrices(
      { data: a.data, offset: aIndex * m * k, rowStride: k, colStride: 1 },
      { data: b.data, offset: bIndex * k * n, rowStride: n, colStride: 1 },
      m,
      k,
      n,
      1,
      out,
      batch * m * n,
      acc
    );
  }
  if (call.attrs.activation !== void 0) {
    applyActivation(out, outShape.length === 0 ? 1 : outShape[outShape.length - 1], call.attrs.activation);
  }
  return { data: out, shape: call.outputShape };
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/reshape.ts
import { ShapeError as ShapeError25, formatShape as formatShape23, sizeOf as sizeOf11 } from "@motiondelta/core";
function reshapeLikeKernel(call) {
  const x = requireInput(call, 0, "x");
  if (sizeOf11(call.outputShape) !== x.data.length) {
    throw new ShapeError25(
      `${call.op}: input ${formatShape23(x.shape)} has ${x.data.length} values but the planned output shape ${formatShape23(call.outputShape)} holds ${sizeOf11(call.outputShape)}; the element count must not change.`
    );
  }
  return { data: Float32Array.from(x.data), shape: call.outputShape };
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/softmax.ts
import { sizeOf as sizeOf12 } from "@motiondelta/core";
function softmaxKernel(call) {
  const { op } = call;
  const x = requireInput(call, 0, "x");
  expectOutputShape(op, call.outputShape, x.shape);
  const out = new Float32Array(x.data.length);
  if (x.shape.length === 0) {
    out[0] = 1;
    return { data: out, shape: call.outputShape };
  }
  const axis = normalizeAxis3(op, call.attrs.axis, x.shape.length);
  const length = x.shape[axis];
  const inner = sizeOf12(x.shape.slice(axis + 1));
  const outer = sizeOf12(x.shape.slice(0, axis));
  const xd = x.data;
  const exps = new Float64Array(length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * length * inner + i;
      let max = -Infinity;
      for (let k = 0; k < length; k++) max = Math.max(max, xd[base + k * inner]);
      let sum = 0;
      for (let k = 0; k < length; k++) {
        const e = Math.exp(xd[base + k * inner] - max);
        exps[k] = e;
        sum += e;
      }
      for (let k = 0; k < length; k++) out[base + k * inner] = exps[k] / sum;
    }
  }
  return { data: out, shape: call.outputShape };
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/transpose.ts
import { ShapeError as ShapeError26, formatShape as formatShape24, stridesOf as stridesOf2 } from "@motiondelta/core";
function transposeKernel(call) {
  const { op } = call;
  const x = requireInput(call, 0, "x");
  const rank = x.shape.length;
  const perm = call.attrs.perm;
  const valid = perm.length === rank && new Set(perm).size === rank && perm.every((p) => Number.isInteger(p) && p >= 0 && p < rank);
  if (!valid) {
    throw new ShapeError26(`${op}: perm [${perm.join(",")}] is not a permutation of 0..${rank - 1} for input ${formatShape24(x.shape)}.`);
  }
  const outShape = perm.map((p) => x.shape[p]);
  expectOutputShape(op, call.outputShape, outShape);
  const out = new Float32Array(x.data.length);
  if (out.length === 0 || rank === 0) {
    out.set(x.data);
    return { data: out, shape: call.outputShape };
  }
  const inStrides = stridesOf2(x.shape);
  const readStrides = perm.map((p) => inStrides[p]);
  const last = rank - 1;
  const rowLength = outShape[last];
  const rowStride = readStrides[last];
  const index = new Int32Array(rank);
  const xd = x.data;
  let base = 0;
  for (let offOut = 0; offOut < out.length; offOut += rowLength) {
    for (let i = 0; i < rowLength; i++) out[offOut + i] = xd[base + i * rowStride];
    for (let d = last - 1; d >= 0; d--) {
      index[d]++;
      base += readStrides[d];
      if (index[d] < outShape[d]) break;
      base -= readStrides[d] * outShape[d];
      index[d] = 0;
    }
  }
  return { data: out, shape: call.outputShape };
}

// ../../tmp/oldsrc/packages/graph-runtime/src/reference/reference-backend.ts
var ReferenceBackend = class {
  id = "reference";
  /** The `delta` mode kernels, with the same exact-semantics-first priorities as the dense ones. */
  delta = new ReferenceDeltaKernels();
  /** Every op of the IR, with every attribute combination the spec types allow. */
  supports(call) {
    return OP_NAMES.includes(call.op);
  }
  runDense(call) {
    switch (call.op) {
      case "Conv2D":
        return conv2dKernel(call);
      case "ConvTranspose2D":
        return convTranspose2dKernel(call);
      case "MaxPool2D":
        return maxPool2dKernel(call);
      case "AvgPool2D":
        return avgPool2dKernel(call);
      case "GlobalAvgPool":
        return globalAvgPoolKernel(call);
      case "Activation":
        return activationKernel(call);
      case "BatchNorm":
        return batchNormKernel(call);
      case "Add":
      case "Sub":
      case "Mul":
      case "Div":
        return broadcastBinaryKernel(call);
      case "Concat":
        return concatKernel(call);
      case "Pad":
        return padKernel(call);
      case "Resize":
        return resizeKernel(call);
      case "Reshape":
      case "Flatten":
      case "Squeeze":
      case "Unsqueeze":
      case "Identity":
        return reshapeLikeKernel(call);
      case "Transpose":
        return transposeKernel(call);
      case "MatMul":
        return matmulKernel(call);
      case "Gemm":
        return gemmKernel(call);
      case "Softmax":
        return softmaxKernel(call);
      default: {
        const unhandled = call;
        const op = String(unhandled.op);
        throw new UnsupportedOpError33(op, "(reference backend call)", "the reference backend has no kernel for this op");
      }
    }
  }
};

// ../../tmp/oldsrc/packages/graph-runtime/src/session/backend-registry.ts
import { BackendUnavailableError, MotionDeltaError } from "@motiondelta/core";
var registry = /* @__PURE__ */ new Map([["reference", () => new ReferenceBackend()]]);
function registerBackend(id, factory) {
  registry.set(id, factory);
}
function registeredBackends() {
  return [...registry.keys()];
}
async function chooseBackend(preference) {
  const skipped = [];
  for (const entry of preference) {
    if (typeof entry !== "string") return { backend: entry, skipped };
    const factory = registry.get(entry);
    if (!factory) {
      skipped.push({ id: entry, reason: `not registered (registered: ${registeredBackends().join(", ")})` });
      continue;
    }
    try {
      return { backend: await factory(), skipped };
    } catch (error) {
      const reason = BackendUnavailableError.isInstance(error) ? error.reason : MotionDeltaError.isInstance(error) ? error.message : `failed to initialise: ${String(error)}`;
      skipped.push({ id: entry, reason });
    }
  }
  throw new BackendUnavailableError(
    preference.map((p) => typeof p === "string" ? p : p.id).join(", ") || "(none)",
    skipped.length ? skipped.map((s) => `${s.id}: ${s.reason}`).join("; ") : "the preference list is empty"
  );
}

// ../../tmp/oldsrc/packages/graph-runtime/src/delta/delta-session.ts
import {
  OptionError
} from "@motiondelta/core";

// ../../tmp/oldsrc/packages/graph-runtime/src/executor/validate-inputs.ts
import { ShapeError as ShapeError27, checkFinite, checkTensor, formatShape as formatShape25 } from "@motiondelta/core";
function describe3(info) {
  return `[${info.shape.map((d) => d === null ? "?" : d).join(",")}]`;
}
function validateInputs(expected, inputs) {
  for (const name of Object.keys(inputs)) {
    if (!expected.some((e) => e.name === name)) {
      throw new ShapeError27(`Unknown input '${name}'; the model's inputs are ${expected.map((e) => `'${e.name}'`).join(", ")}.`);
    }
  }
  for (const info of expected) {
    const t = inputs[info.name];
    if (!t) throw new ShapeError27(`Missing input '${info.name}' (shape ${describe3(info)}, NHWC float32).`);
    if (!(t.data instanceof Float32Array)) {
      throw new ShapeError27(`Input '${info.name}' must hold a Float32Array.`);
    }
    checkTensor(info.name, t);
    const fits = t.shape.length === info.shape.length && info.shape.every((d, i) => d === null || d === t.shape[i]);
    if (!fits) {
      throw new ShapeError27(
        `Input '${info.name}' has shape ${formatShape25(t.shape)}, but the model accepts ${describe3(info)} (NHWC; ? is any size).`
      );
    }
    checkFinite(info.name, t.data);
  }
}

// ../../tmp/oldsrc/packages/graph-runtime/src/session/session-stats.ts
var FRAME_HISTORY = 1e4;
function recordFrame(frames, frame) {
  frames.push(frame);
  if (frames.length > FRAME_HISTORY) frames.shift();
}

// ../../tmp/oldsrc/packages/graph-runtime/src/stats/count-macs.ts
import { sizeOf as sizeOf13 } from "@motiondelta/core";
function countMacs(step, inputShapes) {
  const out = sizeOf13(step.outputShape);
  const { node } = step;
  switch (node.op) {
    case "Conv2D": {
      const w = inputShapes[1];
      return out * w[0] * w[1] * w[2];
    }
    case "ConvTranspose2D": {
      const w = inputShapes[1];
      return sizeOf13(inputShapes[0]) * w[0] * w[1] * w[3];
    }
    case "MaxPool2D":
    case "AvgPool2D":
      return out * node.attrs.kernel[0] * node.attrs.kernel[1];
    case "GlobalAvgPool":
      return sizeOf13(inputShapes[0]);
    case "MatMul": {
      const a = inputShapes[0];
      return out * a[a.length - 1];
    }
    case "Gemm": {
      const a = inputShapes[0];
      return out * (node.attrs.transA ? a[0] : a[1]);
    }
    default:
      return out;
  }
}

// ../../tmp/oldsrc/packages/graph-runtime/src/delta/classify-node.ts
var island = (reason) => ({ kind: "island", reason });
function classifyNode(resolved, inputShapes, isConstant) {
  const { node } = resolved;
  const varying = node.inputs.map((name, i) => ({ name, shape: inputShapes[i] })).filter((v) => v.name !== "" && !isConstant(v.name));
  if (resolved.outputShape.length !== 4) return island(`output is rank ${resolved.outputShape.length}, the delta path is NHWC`);
  if (varying.some((v) => v.shape?.length !== 4)) return island("an input is not NHWC");
  const onlyFirstVaries = varying.length === 1 && varying[0].name === node.inputs[0];
  switch (node.op) {
    case "Conv2D":
    case "ConvTranspose2D":
      return onlyFirstVaries ? { kind: "linear" } : island("weights computed at run time");
    case "AvgPool2D":
    case "GlobalAvgPool":
    case "Resize":
    case "Identity":
      return { kind: "linear" };
    case "BatchNorm":
      return onlyFirstVaries ? { kind: "linear" } : island("BatchNorm parameters computed at run time");
    case "Pad": {
      const p = node.attrs.pads;
      const spatialOnly = p[0] === 0 && p[3] === 0 && p[4] === 0 && p[7] === 0;
      return spatialOnly ? { kind: "linear" } : island("padding outside height and width");
    }
    case "Concat":
      return node.attrs.axis === 3 || node.attrs.axis === -1 ? { kind: "linear" } : island("concatenation outside the channel axis");
    case "MaxPool2D":
      return { kind: "maxpool" };
    case "Activation":
      return { kind: "activation" };
    case "Add":
    case "Sub": {
      const sameShape2 = varying.every((v) => sameDims(v.shape, resolved.outputShape));
      return sameShape2 ? { kind: "linear" } : { kind: "binary" };
    }
    case "Mul":
    case "Div": {
      const constantSecond = node.op === "Div" ? isConstant(node.inputs[1]) : varying.length === 1;
      return constantSecond && varying.length === 1 && sameDims(varying[0].shape, resolved.outputShape) ? { kind: "linear" } : { kind: "binary" };
    }
    default:
      return island(`${node.op} has no delta form`);
  }
}
function sameDims(a, b) {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

// ../../tmp/oldsrc/packages/graph-runtime/src/delta/delta-plan.ts
var PRE_ACTIVATION = "#pre";
function planDelta(graph, plan, thresholds) {
  const steps = [];
  const islands = [];
  const deltaValues = /* @__PURE__ */ new Set();
  const denseValues = /* @__PURE__ */ new Set();
  const shapeOf = (v) => plan.shapes.get(v);
  const thresholdOf = (node) => thresholds.perNode[node] ?? thresholds.node;
  const isConstant = (v) => graph.constants.has(v);
  const ensureDelta = (value, producer, threshold) => {
    if (deltaValues.has(value)) return;
    steps.push({ kind: "sparsify", node: producer, source: value, output: value, outputShape: shapeOf(value), denseMacs: 0, threshold });
    deltaValues.add(value);
  };
  const ensureDense = (value, consumer) => {
    if (denseValues.has(value) || isConstant(value)) return;
    steps.push({ kind: "densify", node: consumer, source: value, output: value, outputShape: shapeOf(value), denseMacs: 0 });
    denseValues.add(value);
  };
  const producerOf = /* @__PURE__ */ new Map();
  for (const input of graph.inputs) {
    denseValues.add(input.name);
    producerOf.set(input.name, input.name);
    if (shapeOf(input.name).length === 4) {
      const threshold = thresholds.perNode[input.name] ?? thresholds.input;
      ensureDelta(input.name, input.name, threshold);
    }
  }
  for (const resolved of plan.steps) {
    const node = resolved.node;
    const output = node.outputs[0];
    producerOf.set(output, node.name);
    const inputShapes = node.inputs.map((n) => n === "" ? void 0 : shapeOf(n));
    const macs = countMacs(resolved, inputShapes);
    const kind = classifyNode(resolved, inputShapes, isConstant);
    const stepInput = (name) => {
      if (name === "") return { kind: "absent" };
      if (isConstant(name)) return { kind: "constant", value: name };
      ensureDelta(name, producerOf.get(name) ?? name, thresholdOf(producerOf.get(name) ?? name));
      return { kind: "delta", value: name };
    };
    const base = { node: node.name, outputShape: resolved.outputShape };
    const activation = "activation" in resolved.attrs ? resolved.attrs.activation : void 0;
    const linearOutput = activation ? `${output}${PRE_ACTIVATION}` : output;
    switch (kind.kind) {
      case "island": {
        islands.push({ node: node.name, reason: kind.reason });
        for (const name of node.inputs) if (name !== "") ensureDense(name, node.name);
        steps.push({ kind: "island", ...base, output, denseMacs: macs, resolved, inputs: node.inputs });
        denseValues.add(output);
        continue;
      }
      case "linear": {
        const attrs = withoutActivation(resolved.attrs);
        steps.push({ kind: "linear", ...base, output: linearOutput, denseMacs: macs, op: node.op, attrs, inputs: node.inputs.map(stepInput) });
        break;
      }
      case "binary": {
        const op = node.op;
        const inputs = [stepInput(node.inputs[0]), stepInput(node.inputs[1])];
        steps.push({ kind: "binary", ...base, output: linearOutput, denseMacs: macs, op, inputs, threshold: thresholdOf(node.name) });
        break;
      }
      case "maxpool": {
        const input = node.inputs[0];
        stepInput(input);
        steps.push({ kind: "maxpool", ...base, output, denseMacs: macs, input, attrs: resolved.attrs, threshold: thresholdOf(node.name) });
        deltaValues.add(output);
        continue;
      }
      case "activation": {
        const input = node.inputs[0];
        stepInput(input);
        const spec = resolved.attrs.activation;
        steps.push({ kind: "activation", ...base, output, denseMacs: macs, input, activation: spec, threshold: thresholdOf(node.name) });
        deltaValues.add(output);
        continue;
      }
    }
    deltaValues.add(linearOutput);
    if (activation) {
      steps.push({
        kind: "activation",
        ...base,
        output,
        // A fused activation is free in the dense count too: only the producer's MACs count.
        denseMacs: 0,
        input: linearOutput,
        activation,
        threshold: thresholdOf(node.name)
      });
      deltaValues.add(output);
    }
  }
  for (const out of graph.outputs) ensureDense(out.name, producerOf.get(out.name) ?? out.name);
  return { steps, islands };
}
function withoutActivation(attrs) {
  if (!("activation" in attrs) || attrs.activation === void 0) return attrs;
  const { activation: _dropped, ...rest } = attrs;
  return rest;
}

// ../../tmp/oldsrc/packages/graph-runtime/src/delta/delta-state.ts
import { DeltaBuffer as DeltaBuffer6 } from "@motiondelta/core";
var DeltaState = class {
  deltas = /* @__PURE__ */ new Map();
  dense = /* @__PURE__ */ new Map();
  steps;
  /**
   * @param firstFrame dense value of every step output and graph input on the first frame,
   * keyed like the plan's values (pre-activation values included).
   */
  constructor(plan, firstFrame, constants) {
    const value = (name) => {
      const t = firstFrame.get(name) ?? constants.get(name);
      if (!t) throw new Error(`delta state: no first-frame value for '${name}'`);
      return t;
    };
    const copy = (name) => new Float32Array(value(name).data);
    const operand = (input) => input.kind === "delta" ? copy(input.value) : new Float32Array(0);
    for (const step of plan.steps) this.#allocate(step, value);
    this.steps = plan.steps.map((step) => {
      switch (step.kind) {
        case "sparsify":
          return { kind: "reference", reference: copy(step.source) };
        case "activation":
          return { kind: "activation", state: { accumulated: copy(step.input), emitted: copy(step.output) } };
        case "maxpool":
          return { kind: "maxpool", state: { accumulated: copy(step.input), emitted: copy(step.output) } };
        case "binary":
          return {
            kind: "binary",
            state: { accumulated: [operand(step.inputs[0]), operand(step.inputs[1])], emitted: copy(step.output) }
          };
        default:
          return { kind: "none" };
      }
    });
  }
  /** Bytes held between frames (buffers, accumulators, references), for statistics. */
  get stateBytes() {
    let bytes = 0;
    for (const d of this.deltas.values()) bytes += d.values.byteLength + d.mask.byteLength + d.active.byteLength;
    for (const t of this.dense.values()) bytes += t.data.byteLength;
    for (const s of this.steps) {
      if (s.kind === "reference") bytes += s.reference.byteLength;
      else if (s.kind === "activation" || s.kind === "maxpool") bytes += s.state.accumulated.byteLength + s.state.emitted.byteLength;
      else if (s.kind === "binary") bytes += s.state.accumulated[0].byteLength + s.state.accumulated[1].byteLength + s.state.emitted.byteLength;
    }
    return bytes;
  }
  #allocate(step, value) {
    switch (step.kind) {
      case "densify":
      case "island": {
        const t = value(step.output);
        this.dense.set(step.output, { data: new Float32Array(t.data), shape: t.shape });
        return;
      }
      default:
        this.deltas.set(step.output, new DeltaBuffer6(step.outputShape));
    }
  }
};

// ../../tmp/oldsrc/packages/graph-runtime/src/delta/first-frame.ts
async function runFirstFrame(graph, plan, inputs, backend) {
  const values = new Map(Object.entries(inputs));
  const read = (name) => name === "" ? void 0 : values.get(name) ?? graph.constants.get(name);
  const readInput = (input) => input.kind === "absent" ? void 0 : read(input.value);
  const run = (call) => backend.runDense(call);
  for (const step of plan.steps) {
    switch (step.kind) {
      case "sparsify":
      case "densify":
        break;
      case "linear":
        values.set(
          step.output,
          await run({ op: step.op, attrs: step.attrs, inputs: step.inputs.map(readInput), outputShape: step.outputShape })
        );
        break;
      case "binary":
        values.set(step.output, await run({ op: step.op, attrs: {}, inputs: step.inputs.map(readInput), outputShape: step.outputShape }));
        break;
      case "activation":
        values.set(
          step.output,
          await run({ op: "Activation", attrs: { activation: step.activation }, inputs: [read(step.input)], outputShape: step.outputShape })
        );
        break;
      case "maxpool":
        values.set(step.output, await run({ op: "MaxPool2D", attrs: step.attrs, inputs: [read(step.input)], outputShape: step.outputShape }));
        break;
      case "island": {
        const r = step.resolved;
        values.set(
          step.output,
          await run({ op: r.node.op, attrs: r.attrs, inputs: step.inputs.map(read), outputShape: r.outputShape })
        );
        break;
      }
    }
  }
  return values;
}

// ../../tmp/oldsrc/packages/graph-runtime/src/session/serial-queue.ts
var SerialQueue = class {
  #tail = Promise.resolve();
  /** Starts `task` once every earlier task has settled; its result or error is the caller's. */
  run(task) {
    const result = this.#tail.then(task, task);
    this.#tail = result.catch(() => void 0);
    return result;
  }
};

// ../../tmp/oldsrc/packages/graph-runtime/src/delta/delta-session.ts
var DeltaSession = class {
  mode = "delta";
  backendInfo;
  #graph;
  #backend;
  #kernels;
  #thresholds;
  #ops;
  #inputNames;
  #stream;
  #frames = [];
  #nodes = [];
  #frameIndex = 0;
  #queue = new SerialQueue();
  constructor(graph, backend, skipped, thresholds) {
    if (!backend.delta) {
      throw new OptionError(`Backend '${backend.id}' has no delta kernels; use mode 'dense' or a backend that has them (reference).`);
    }
    this.#graph = graph;
    this.#backend = backend;
    this.#kernels = backend.delta;
    this.#thresholds = thresholds;
    this.#ops = new Map(graph.nodes.map((n) => [n.name, n.op]));
    this.#inputNames = new Set(graph.inputs.map((i) => i.name));
    this.backendInfo = { id: backend.id, skipped };
  }
  /** Graph nodes that run as dense islands on the current input shape, with the reason. */
  get islands() {
    return this.#stream?.plan.islands ?? [];
  }
  /** Bytes of state kept between frames (0 before the first frame). */
  get stateBytes() {
    return this.#stream?.state.stateBytes ?? 0;
  }
  run(inputs) {
    return this.#queue.run(() => this.#runFrame(inputs));
  }
  async #runFrame(inputs) {
    validateInputs(this.#graph.inputs, inputs);
    const shapeKey = this.#graph.inputs.map((i) => inputs[i.name].shape.join("x")).join("|");
    const start = performance.now();
    const stream = this.#stream;
    if (stream === void 0 || stream.shapeKey !== shapeKey) return this.#keyframe(inputs, shapeKey, start);
    const { plan, state } = stream;
    const figures = [];
    const changedDense = /* @__PURE__ */ new Set();
    for (const input of this.#graph.inputs) {
      state.dense.set(input.name, inputs[input.name]);
      if (inputs[input.name].shape.length !== 4) changedDense.add(input.name);
    }
    try {
      for (const [index, step] of plan.steps.entries()) {
        const t0 = performance.now();
        const macs = await this.#runStep(step, index, state, changedDense);
        figures.push({ macs, ms: performance.now() - t0 });
      }
    } catch (error) {
      this.#stream = void 0;
      throw error;
    }
    return this.#finishFrame(plan, state, figures, start, false);
  }
  stats() {
    return { mode: this.mode, backend: this.#backend.id, frames: [...this.#frames], nodes: [...this.#nodes] };
  }
  updateMasks() {
    const stream = this.#stream;
    if (!stream) return [];
    const masks = [];
    const keyframe = this.#frames.at(-1)?.keyframe ?? true;
    for (const step of finalSteps(stream.plan)) {
      const delta = stream.state.deltas.get(step.output);
      const [n, h, w] = step.outputShape.length === 4 ? [step.outputShape[0], step.outputShape[1], step.outputShape[2]] : [1, 1, 1];
      const mask = delta && !keyframe ? new Uint8Array(delta.mask) : new Uint8Array(n * h * w).fill(keyframe || this.#islandRan(step.node) ? 1 : 0);
      masks.push({ node: step.node, shape: [n, h, w], mask });
    }
    return masks;
  }
  reset() {
    this.#stream = void 0;
    this.#frames = [];
    this.#nodes = [];
    this.#frameIndex = 0;
  }
  dispose() {
    this.#stream = void 0;
    this.#backend.dispose?.();
  }
  #islandRan(node) {
    return (this.#nodes.find((n) => n.name === node)?.macs ?? 0) > 0;
  }
  async #keyframe(inputs, shapeKey, start) {
    const shapes = Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, t.shape]));
    const plan = planDelta(this.#graph, planGraph(this.#graph, shapes), this.#thresholds);
    const values = await runFirstFrame(this.#graph, plan, inputs, this.#backend);
    const state = new DeltaState(plan, values, this.#graph.constants);
    this.#stream = { shapeKey, plan, state };
    const figures = plan.steps.map((step) => ({ macs: step.denseMacs, ms: 0 }));
    return this.#finishFrame(plan, state, figures, start, true);
  }
  /** Runs one step of a delta frame; returns the MACs it did. */
  async #runStep(step, index, state, changedDense) {
    const k = this.#kernels;
    const stepState = state.steps[index];
    const constants = this.#graph.constants;
    const delta = (name) => state.deltas.get(name);
    const operand = (input) => input.kind === "absent" ? void 0 : input.kind === "delta" ? delta(input.value) : constants.get(input.value);
    const anyActive = (inputs) => inputs.some((i) => i.kind === "delta" && delta(i.value).count > 0);
    const changed = (name) => changedDense.has(name) || (state.deltas.get(name)?.count ?? 0) > 0;
    switch (step.kind) {
      case "sparsify": {
        const out = delta(step.output);
        const source = state.dense.get(step.source);
        if (!this.#inputNames.has(step.source) && !changedDense.has(step.source)) {
          out.clear();
          return 0;
        }
        if (stepState.kind !== "reference") throw new Error("delta state out of step");
        await k.sparsify(source, stepState.reference, step.threshold, out);
        return 0;
      }
      case "densify": {
        const source = delta(step.source);
        if (source.count > 0) await k.accumulate(source, state.dense.get(step.output).data);
        return 0;
      }
      case "linear": {
        const out = delta(step.output);
        if (!anyActive(step.inputs)) {
          out.clear();
          return 0;
        }
        await k.linear({ op: step.op, attrs: step.attrs, inputs: step.inputs.map(operand) }, out);
        return step.denseMacs * out.activeFraction;
      }
      case "binary": {
        const out = delta(step.output);
        if (!anyActive(step.inputs) || stepState.kind !== "binary") {
          out.clear();
          return 0;
        }
        await k.binary(step.op, operand(step.inputs[0]), operand(step.inputs[1]), stepState.state, step.threshold, out);
        return step.denseMacs * out.activeFraction;
      }
      case "activation": {
        const out = delta(step.output);
        const input = delta(step.input);
        if (input.count === 0 || stepState.kind !== "activation") {
          out.clear();
          return 0;
        }
        await k.activation(input, step.activation, stepState.state, step.threshold, out);
        return step.denseMacs * out.activeFraction;
      }
      case "maxpool": {
        const out = delta(step.output);
        const input = delta(step.input);
        if (input.count === 0 || stepState.kind !== "maxpool") {
          out.clear();
          return 0;
        }
        await k.maxPool(input, step.attrs, stepState.state, step.threshold, out);
        return step.denseMacs * out.activeFraction;
      }
      case "island": {
        if (!step.inputs.some((name) => name !== "" && changed(name))) return 0;
        const r = step.resolved;
        const inputs = step.inputs.map((name) => name === "" ? void 0 : state.dense.get(name) ?? constants.get(name));
        const call = { op: r.node.op, attrs: r.attrs, inputs, outputShape: r.outputShape };
        state.dense.set(step.output, await this.#backend.runDense(call));
        changedDense.add(step.output);
        return step.denseMacs;
      }
    }
  }
  #finishFrame(plan, state, figures, start, keyframe) {
    const byNode = /* @__PURE__ */ new Map();
    plan.steps.forEach((step, i) => {
      const entry = byNode.get(step.node) ?? { macs: 0, denseMacs: 0, ms: 0 };
      entry.macs += figures[i].macs;
      entry.denseMacs += step.denseMacs;
      entry.ms += figures[i].ms;
      byNode.set(step.node, entry);
    });
    const nodes = [];
    for (const step of finalSteps(plan)) {
      const entry = byNode.get(step.node);
      const delta = state.deltas.get(step.output);
      const activeFraction = keyframe ? 1 : delta ? delta.activeFraction : entry.macs > 0 ? 1 : 0;
      nodes.push({ name: step.node, op: this.#ops.get(step.node) ?? step.kind, macs: entry.macs, denseMacs: entry.denseMacs, activeFraction, ms: entry.ms });
    }
    this.#nodes = nodes;
    const macs = figures.reduce((s, f) => s + f.macs, 0);
    const denseMacs = plan.steps.reduce((s, step) => s + step.denseMacs, 0);
    recordFrame(this.#frames, { index: this.#frameIndex++, ms: performance.now() - start, macs, denseMacs, keyframe });
    const outputs = {};
    for (const out of this.#graph.outputs) {
      const t = state.dense.get(out.name);
      outputs[out.name] = { data: new Float32Array(t.data), shape: t.shape };
    }
    return outputs;
  }
};
function finalSteps(plan) {
  const last = /* @__PURE__ */ new Map();
  for (const step of plan.steps) {
    if (step.kind === "sparsify" || step.kind === "densify") continue;
    last.set(step.node, step);
  }
  return [...last.values()];
}

// ../../tmp/oldsrc/packages/graph-runtime/src/session/dense-session.ts
import { OptionError as OptionError2 } from "@motiondelta/core";

// ../../tmp/oldsrc/packages/graph-runtime/src/executor/run-graph-dense.ts
async function executePlan(graph, plan, inputs, backend, onStep) {
  const values = new Map(Object.entries(inputs));
  for (const [index, step] of plan.steps.entries()) {
    const tensors = step.node.inputs.map((name) => name === "" ? void 0 : values.get(name) ?? graph.constants.get(name));
    const call = { op: step.node.op, attrs: step.attrs, inputs: tensors, outputShape: step.outputShape };
    const t0 = performance.now();
    values.set(step.node.outputs[0], await backend.runDense(call));
    onStep?.(index, performance.now() - t0);
    for (const name of step.node.inputs) {
      if (plan.lastUse.get(name) === index) values.delete(name);
    }
  }
  const outputs = {};
  for (const out of graph.outputs) outputs[out.name] = values.get(out.name);
  return outputs;
}
async function runGraphDense(graph, inputs, backend) {
  validateInputs(graph.inputs, inputs);
  const shapes = Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, t.shape]));
  return executePlan(graph, planGraph(graph, shapes), inputs, backend);
}

// ../../tmp/oldsrc/packages/graph-runtime/src/session/dense-session.ts
var DenseSession = class {
  mode = "dense";
  backendInfo;
  #graph;
  #backend;
  #plans = /* @__PURE__ */ new Map();
  #frames = [];
  #nodes = [];
  #frameIndex = 0;
  #queue = new SerialQueue();
  #lastPlan;
  constructor(graph, backend, skipped) {
    this.#graph = graph;
    this.#backend = backend;
    this.backendInfo = { id: backend.id, skipped };
    for (const node of graph.nodes) {
      const probe = { op: node.op, attrs: node.attrs };
      if (!backend.supports(probe)) {
        throw new OptionError2(`Backend '${backend.id}' has no kernel for node '${node.name}' (${node.op}); choose another backend.`);
      }
    }
  }
  /**
   * Runs one frame. Inputs are NHWC float32 by input name; outputs come back the same way.
   * Invalid inputs throw before any state changes, so the session stays usable.
   *
   * @example
   * ```ts
   * const out = await session.run({ input: { data: new Float32Array(1 * 32 * 32 * 3), shape: [1, 32, 32, 3] } });
   * ```
   */
  run(inputs) {
    return this.#queue.run(() => this.#runFrame(inputs));
  }
  async #runFrame(inputs) {
    validateInputs(this.#graph.inputs, inputs);
    const { plan, macs } = this.#planFor(inputs);
    this.#lastPlan = plan;
    const nodes = [];
    const start = performance.now();
    const outputs = await executePlan(this.#graph, plan, inputs, this.#backend, (index, ms) => {
      const step = plan.steps[index];
      nodes.push({ name: step.node.name, op: step.node.op, macs: macs[index], denseMacs: macs[index], activeFraction: 1, ms });
    });
    const frameMacs = macs.reduce((a, b) => a + b, 0);
    this.#nodes = nodes;
    recordFrame(this.#frames, { index: this.#frameIndex++, ms: performance.now() - start, macs: frameMacs, denseMacs: frameMacs, keyframe: true });
    return outputs;
  }
  /** Per-frame and per-node statistics of the frames run since creation or the last reset. */
  stats() {
    return { mode: this.mode, backend: this.#backend.id, frames: [...this.#frames], nodes: [...this.#nodes] };
  }
  /**
   * Per node, which output pixels the last frame updated: what a report draws as update masks.
   * In dense mode every pixel of every node is updated.
   */
  updateMasks() {
    const last = this.#lastPlan;
    if (!last) return [];
    return last.steps.map((step) => {
      const shape = pixelGrid(step.outputShape);
      return { node: step.node.name, shape, mask: new Uint8Array(shape[0] * shape[1] * shape[2]).fill(1) };
    });
  }
  /** Forgets all per-stream state (and statistics): the next frame is treated as the first. */
  reset() {
    this.#frames = [];
    this.#nodes = [];
    this.#frameIndex = 0;
    this.#lastPlan = void 0;
  }
  /** Releases the backend's resources. */
  dispose() {
    this.#backend.dispose?.();
  }
  #planFor(inputs) {
    const key = this.#graph.inputs.map((i) => inputs[i.name].shape.join("x")).join("|");
    let cached = this.#plans.get(key);
    if (!cached) {
      const shapes = Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, t.shape]));
      const plan = planGraph(this.#graph, shapes);
      const macs = plan.steps.map(
        (step) => countMacs(step, step.node.inputs.map((n) => n === "" ? void 0 : plan.shapes.get(n)))
      );
      cached = { plan, macs };
      this.#plans.set(key, cached);
    }
    return cached;
  }
};
function pixelGrid(shape) {
  if (shape.length === 4) return [shape[0], shape[1], shape[2]];
  const pixels = shape.length <= 1 ? 1 : shape.slice(0, -1).reduce((a, b) => a * b, 1);
  return [1, 1, pixels];
}

// ../../tmp/oldsrc/packages/graph-runtime/src/motion/motion-session.ts
import { OptionError as OptionError3, ShapeError as ShapeError28 } from "@motiondelta/core";

// ../../tmp/oldsrc/packages/graph-runtime/src/motion/homography.ts
import { InputError } from "@motiondelta/core";
var IDENTITY_HOMOGRAPHY = [1, 0, 0, 0, 1, 0, 0, 0, 1];
var ACCEPTED = "a homography is a 3x3 row-major array of 9 finite numbers mapping frame pixels (x right, y down) to world pixels, invertible, with h22 != 0 (for example [1,0,tx, 0,1,ty, 0,0,1] for a pan by (tx, ty))";
function checkHomography(h, what = "homography") {
  if (h === void 0 || h === null) throw new InputError(`${what} is missing; ${ACCEPTED}.`);
  const like = h;
  if (typeof h !== "object" || typeof like.length !== "number" || like.length !== 9) {
    throw new InputError(`${what} must have 9 entries, got ${describeValue(h)}; ${ACCEPTED}.`);
  }
  const m = [];
  for (let i = 0; i < 9; i++) {
    const v = like[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new InputError(`${what}[${i}] is ${String(v)}, not a finite number; ${ACCEPTED}.`);
    }
    m.push(v);
  }
  const h22 = m[8];
  if (h22 === 0) throw new InputError(`${what}[8] (h22) is 0; ${ACCEPTED}.`);
  const n = m.map((v) => v / h22);
  const det = determinant(n);
  const scale = Math.max(Math.abs(n[0]), Math.abs(n[1]), Math.abs(n[3]), Math.abs(n[4]), 1e-300);
  if (!Number.isFinite(det) || Math.abs(det) <= 1e-9 * scale * scale) {
    throw new InputError(`${what} is singular (determinant ${det}); ${ACCEPTED}.`);
  }
  return n;
}
function describeValue(v) {
  if (typeof v !== "object" || v === null) return String(v);
  const len = v.length;
  return typeof len === "number" ? `${len} entries` : "an object without length";
}
function determinant(m) {
  const [a, b, c, d, e, f, g, h, i] = m;
  return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
}
function compose(a, b) {
  const out = new Array(9).fill(0);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += a[r * 3 + k] * b[k * 3 + c];
      out[r * 3 + c] = s;
    }
  }
  return out;
}
function invert2(m) {
  const [a, b, c, d, e, f, g, h, i] = m;
  const det = determinant(m);
  const inv = [
    (e * i - f * h) / det,
    (c * h - b * i) / det,
    (b * f - c * e) / det,
    (f * g - d * i) / det,
    (a * i - c * g) / det,
    (c * d - a * f) / det,
    (d * h - e * g) / det,
    (b * g - a * h) / det,
    (a * e - b * d) / det
  ];
  const s = inv[8];
  return s !== 0 && Number.isFinite(s) ? inv.map((v) => v / s) : inv;
}
function applyHomography(m, x, y) {
  const w = m[6] * x + m[7] * y + m[8];
  return [(m[0] * x + m[1] * y + m[2]) / w, (m[3] * x + m[4] * y + m[5]) / w];
}
function translation(tx, ty) {
  return [1, 0, tx, 0, 1, ty, 0, 0, 1];
}
function localScaleAndRotation(m, x, y) {
  const w = m[6] * x + m[7] * y + m[8];
  const [px, py] = applyHomography(m, x, y);
  const j00 = (m[0] - m[6] * px) / w;
  const j01 = (m[1] - m[7] * px) / w;
  const j10 = (m[3] - m[6] * py) / w;
  const j11 = (m[4] - m[7] * py) / w;
  const det = j00 * j11 - j01 * j10;
  return { scale: Math.sqrt(Math.abs(det)), rotation: Math.atan2(j10 - j01, j00 + j11) };
}
function isIntegerTranslation(m, tolerance = 1e-9) {
  const near = (a, b) => Math.abs(a - b) <= tolerance;
  return near(m[0], 1) && near(m[1], 0) && near(m[3], 0) && near(m[4], 1) && near(m[6], 0) && near(m[7], 0) && near(m[8], 1) && near(m[2], Math.round(m[2])) && near(m[5], Math.round(m[5]));
}

// ../../tmp/oldsrc/packages/graph-runtime/src/motion/motion-executor.ts
import { intersectRects, rectContains, subtractRect } from "@motiondelta/spherical-buffer";
function valueOrigin(v, o) {
  return { y: o.y * v.scaleY.den / v.scaleY.num + 0, x: o.x * v.scaleX.den / v.scaleX.num + 0 };
}
function viewportRect(v, origin) {
  return { y: origin.y, x: origin.x, height: v.shape[1], width: v.shape[2] };
}
var ValueGeometry = class {
  cur;
  stay;
  /** Leaving (shrink) or entering (grow) viewport pixels, as world rectangles. */
  changed;
  constructor(v, ctx) {
    const from = valueOrigin(v, ctx.from);
    const to = valueOrigin(v, ctx.to);
    const oldV = viewportRect(v, from);
    const newV = viewportRect(v, to);
    this.cur = ctx.pass === "shrink" ? from : to;
    this.stay = intersectRects(oldV, newV);
    this.changed = ctx.pass === "shrink" ? subtractRect(oldV, newV) : subtractRect(newV, oldV);
  }
  inStay(y, x) {
    return this.stay !== void 0 && rectContains(this.stay, y, x);
  }
};
function eachPixel(rects, fn) {
  for (const r of rects) for (let y = r.y; y < r.y + r.height; y++) for (let x = r.x; x < r.x + r.width; x++) fn(y, x);
}
var MotionExecutor = class {
  #graph;
  #plan;
  #kernels;
  constructor(graph, plan, backend) {
    this.#graph = graph;
    this.#plan = plan;
    this.#kernels = backend.delta;
  }
  /** Runs every step; adds the MACs done and milliseconds spent per step (aligned with `plan.steps`). */
  async runPass(state, ctx, frame, macs, ms) {
    for (const [i, step] of this.#plan.steps.entries()) {
      const t0 = performance.now();
      macs[i] = (macs[i] ?? 0) + await this.#runStep(step, state, ctx, frame);
      ms[i] = (ms[i] ?? 0) + performance.now() - t0;
      if (ctx.pass === "grow" && step.kind !== "input") {
        const out = state.get(step.step.output).view;
        if (out) state.updated.set(step.step.output, out.active.slice(0, out.count));
      }
    }
  }
  /** Zeroes every slot that now stands for a world position its window did not hold before. */
  resetUnveiled(state, from, to) {
    for (const { value, store } of state.stores()) {
      const before = store.windowAt(valueOrigin(value, from));
      const after = store.windowAt(valueOrigin(value, to));
      store.buffer.resetSlots(subtractRect(after, before));
    }
  }
  async #runStep(step, state, ctx, frame) {
    switch (step.kind) {
      case "input":
        return this.#runInput(step, state, ctx, frame);
      case "linear":
        return this.#runLinear(step, state, ctx);
      case "activation":
        return this.#runActivation(step, state, ctx);
    }
  }
  async #runInput(step, state, ctx, frame) {
    const st = state.get(step.value);
    const v = st.value;
    const store = st.store;
    const out = st.view;
    const g = new ValueGeometry(v, ctx);
    const [, h, w, c] = v.shape;
    if (ctx.pass === "shrink") {
      out.clear();
      eachPixel(g.changed, (y, x) => {
        const p = (y - g.cur.y) * w + (x - g.cur.x);
        const off = store.at(y, x);
        out.activate(p);
        for (let ch = 0; ch < c; ch++) out.values[p * c + ch] = -store.data[off + ch];
      });
      return 0;
    }
    if (!frame) throw new Error("motion: the grow pass needs the warped frame");
    const x1 = state.scratch.array(h * w * c, 0);
    const ref = state.scratch.array(h * w * c, 1);
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        const p = i * w + j;
        const off = store.at(g.cur.y + i, g.cur.x + j);
        for (let ch = 0; ch < c; ch++) {
          const r = store.data[off + ch];
          ref[p * c + ch] = r;
          x1[p * c + ch] = frame.covered[p] === 1 ? frame.data[p * c + ch] : r;
        }
      }
    }
    await this.#kernels.sparsify({ data: x1, shape: v.shape }, ref, step.threshold, out);
    for (let k = 0; k < out.count; k++) {
      const p = out.active[k];
      const off = store.at(g.cur.y + Math.floor(p / w), g.cur.x + p % w);
      for (let ch = 0; ch < c; ch++) store.data[off + ch] = ref[p * c + ch];
    }
    return 0;
  }
  async #runLinear(step, state, ctx) {
    const st = state.get(step.step.output);
    const v = st.value;
    const constants = this.#graph.constants;
    const inputs = step.step.inputs.map(
      (i) => i.kind === "absent" ? void 0 : i.kind === "constant" ? constants.get(i.value) : state.get(i.value).view
    );
    const out = v.role === "fused" ? st.ext : v.role === "store" ? state.extOf(v.name) : st.view;
    const active = inputs.some((i) => i !== void 0 && "count" in i && i.count > 0);
    if (active) await this.#kernels.linear({ op: step.step.op, attrs: step.attrs, inputs }, out);
    else out.clear();
    const macs = step.step.denseMacs * out.count / (v.shape[1] * v.shape[2]);
    if (v.role === "store") settleStore(st, out, new ValueGeometry(v, ctx), ctx.pass);
    else if (v.role === "pointwise") settlePointwise(st, new ValueGeometry(v, ctx), ctx.pass);
    return macs;
  }
  async #runActivation(step, state, ctx) {
    const yState = state.get(step.step.output);
    const uState = state.get(step.step.input);
    const y = yState.value;
    const u = uState.value;
    const out = yState.view;
    const emitted = yState.emitted;
    const [, h, w, c] = y.shape;
    const fused = step.fused;
    const acc = fused ? uState.store : yState.store;
    const x = fused ? uState.ext : uState.view;
    const ring = fused ? u.ring : { top: 0, left: 0, bottom: 0, right: 0 };
    const xw = w + ring.left + ring.right;
    const bias = fused ? u.bias : void 0;
    const g = new ValueGeometry(y, ctx);
    const din = state.dinOf(y.name);
    din.clear();
    const a = state.scratch.array(h * w * c, 2);
    const e = state.scratch.array(h * w * c, 3);
    const leaving = ctx.pass === "shrink" ? state.scratch.array(h * w * c, 4) : void 0;
    const leavingPixels = [];
    if (leaving) {
      eachPixel(g.changed, (wy, wx) => {
        const p = (wy - g.cur.y) * w + (wx - g.cur.x);
        const eo = emitted.at(wy, wx);
        for (let ch = 0; ch < c; ch++) {
          leaving[p * c + ch] = -emitted.data[eo + ch];
          emitted.data[eo + ch] = 0;
        }
        if (fused && bias) {
          const so = acc.at(wy, wx);
          for (let ch = 0; ch < c; ch++) acc.data[so + ch] -= bias[ch];
        }
        leavingPixels.push(p);
      });
    }
    for (let k = 0; k < x.count; k++) {
      const q = x.active[k];
      const wy = g.cur.y - ring.top + Math.floor(q / xw);
      const wx = g.cur.x - ring.left + q % xw;
      if (g.inStay(wy, wx)) {
        const p = (wy - g.cur.y) * w + (wx - g.cur.x);
        const so = acc.at(wy, wx);
        const eo = emitted.at(wy, wx);
        din.activate(p);
        for (let ch = 0; ch < c; ch++) {
          din.values[p * c + ch] = x.values[q * c + ch];
          a[p * c + ch] = acc.data[so + ch];
          e[p * c + ch] = emitted.data[eo + ch];
        }
      } else if (fused) {
        const so = acc.at(wy, wx);
        for (let ch = 0; ch < c; ch++) acc.data[so + ch] += x.values[q * c + ch];
      }
    }
    if (ctx.pass === "grow") {
      eachPixel(g.changed, (wy, wx) => {
        const p = (wy - g.cur.y) * w + (wx - g.cur.x);
        din.activate(p);
        const so = acc.at(wy, wx);
        for (let ch = 0; ch < c; ch++) {
          din.values[p * c + ch] = fused ? acc.data[so + ch] + (bias?.[ch] ?? 0) : x.mask[p] === 1 ? x.values[p * c + ch] : 0;
          a[p * c + ch] = 0;
          e[p * c + ch] = 0;
        }
      });
    }
    if (din.count > 0) await this.#kernels.activation(din, step.step.activation, { accumulated: a, emitted: e }, step.step.threshold, out);
    else out.clear();
    for (let k = 0; k < din.count; k++) {
      const p = din.active[k];
      const wy = g.cur.y + Math.floor(p / w);
      const wx = g.cur.x + p % w;
      const so = acc.at(wy, wx);
      const eo = emitted.at(wy, wx);
      for (let ch = 0; ch < c; ch++) {
        acc.data[so + ch] = a[p * c + ch];
        emitted.data[eo + ch] = e[p * c + ch];
      }
    }
    if (leaving) {
      for (const p of leavingPixels) {
        out.activate(p);
        for (let ch = 0; ch < c; ch++) out.values[p * c + ch] = leaving[p * c + ch];
      }
    }
    return step.step.denseMacs * out.count / (h * w);
  }
};
function settleStore(st, x, g, pass) {
  const v = st.value;
  const store = st.store;
  const out = st.view;
  const [, , w, c] = v.shape;
  const xw = x.shape[2];
  const bias = v.bias;
  out.clear();
  if (pass === "shrink") {
    eachPixel(g.changed, (wy, wx) => {
      const p = (wy - g.cur.y) * w + (wx - g.cur.x);
      const off = store.at(wy, wx);
      out.activate(p);
      for (let ch = 0; ch < c; ch++) {
        out.values[p * c + ch] = -store.data[off + ch];
        if (bias) store.data[off + ch] -= bias[ch];
      }
    });
  }
  for (let k = 0; k < x.count; k++) {
    const q = x.active[k];
    const wy = g.cur.y - v.ring.top + Math.floor(q / xw);
    const wx = g.cur.x - v.ring.left + q % xw;
    const off = store.at(wy, wx);
    for (let ch = 0; ch < c; ch++) store.data[off + ch] += x.values[q * c + ch];
    if (g.inStay(wy, wx)) {
      const p = (wy - g.cur.y) * w + (wx - g.cur.x);
      out.activate(p);
      for (let ch = 0; ch < c; ch++) out.values[p * c + ch] = x.values[q * c + ch];
    }
  }
  if (pass === "grow") {
    eachPixel(g.changed, (wy, wx) => {
      const p = (wy - g.cur.y) * w + (wx - g.cur.x);
      const off = store.at(wy, wx);
      out.activate(p);
      for (let ch = 0; ch < c; ch++) {
        if (bias) store.data[off + ch] += bias[ch];
        out.values[p * c + ch] = store.data[off + ch];
      }
    });
  }
}
function settlePointwise(st, g, pass) {
  const v = st.value;
  const out = st.view;
  const [, , w, c] = v.shape;
  const bias = v.bias;
  const sign = pass === "shrink" ? -1 : 1;
  eachPixel(g.changed, (wy, wx) => {
    const p = (wy - g.cur.y) * w + (wx - g.cur.x);
    out.activate(p);
    if (bias) for (let ch = 0; ch < c; ch++) out.values[p * c + ch] += sign * bias[ch];
  });
}

// ../../tmp/oldsrc/packages/graph-runtime/src/motion/motion-keyframe.ts
async function runMotionKeyframe(graph, plan, state, backend, input, origin) {
  const values = /* @__PURE__ */ new Map();
  const read = (name) => values.get(name) ?? graph.constants.get(name);
  const writeViewport = (store, name, t) => {
    const o = valueOrigin(plan.values.get(name), origin);
    store.buffer.writeRect({ y: o.y, x: o.x, height: t.shape[1], width: t.shape[2] }, t);
  };
  for (const s of state.values.values()) {
    s.view?.clear();
    s.ext?.clear();
    s.store?.data.fill(0);
    s.emitted?.data.fill(0);
  }
  for (const step of plan.steps) {
    switch (step.kind) {
      case "input": {
        values.set(step.value, input);
        writeViewport(state.get(step.value).store, step.value, input);
        break;
      }
      case "linear": {
        const ls = step.step;
        const st = state.get(ls.output);
        const v = st.value;
        const inputs = ls.inputs.map((i) => i.kind === "absent" ? void 0 : read(i.value));
        if (!step.ext) {
          const t = await backend.runDense({ op: ls.op, attrs: ls.attrs, inputs, outputShape: v.shape });
          values.set(ls.output, t);
          if (st.store) writeViewport(st.store, ls.output, t);
          break;
        }
        const noBias = ls.op === "Conv2D" ? inputs.map((t, i) => i === 2 ? void 0 : t) : inputs;
        const ext = await backend.runDense({ op: ls.op, attrs: step.attrs, inputs: noBias, outputShape: step.extShape });
        const store = st.store;
        const o = valueOrigin(v, origin);
        store.buffer.writeRect(store.windowAt(o), ext);
        if (v.bias) {
          const c = v.shape[3];
          for (let i = 0; i < v.shape[1]; i++) {
            for (let j = 0; j < v.shape[2]; j++) {
              const off = store.at(o.y + i, o.x + j);
              for (let ch = 0; ch < c; ch++) store.data[off + ch] += v.bias[ch];
            }
          }
        }
        values.set(ls.output, store.buffer.readRect({ y: o.y, x: o.x, height: v.shape[1], width: v.shape[2] }));
        break;
      }
      case "activation": {
        const as = step.step;
        const st = state.get(as.output);
        const pre = read(as.input);
        const y = await backend.runDense({ op: "Activation", attrs: { activation: as.activation }, inputs: [pre], outputShape: st.value.shape });
        values.set(as.output, y);
        writeViewport(st.emitted, as.output, y);
        if (!step.fused) writeViewport(st.store, as.output, pre);
        break;
      }
    }
  }
}

// ../../tmp/oldsrc/packages/graph-runtime/src/motion/motion-plan.ts
import { UnsupportedOpError as UnsupportedOpError34 } from "@motiondelta/core";
var ONE = { num: 1, den: 1 };
var NO_RING = { top: 0, left: 0, bottom: 0, right: 0 };
function gcd(a, b) {
  while (b !== 0) [a, b] = [b, a % b];
  return Math.abs(a);
}
function fraction(num, den) {
  const g = gcd(num, den);
  return { num: num / g, den: den / g };
}
var times = (f, k) => fraction(f.num * k, f.den);
var over = (f, k) => fraction(f.num, f.den * k);
var sameFraction = (a, b) => a.num === b.num && a.den === b.den;
function axisRing(inSize, outSize, padBegin, kernel, stride, dilation) {
  const extent = (kernel - 1) * dilation;
  const begin = Math.max(0, Math.ceil((extent - padBegin) / stride));
  const end = Math.max(0, Math.floor((inSize - 1 + padBegin) / stride) - outSize + 1);
  return [begin, end];
}
function planMotion(graph, delta) {
  const values = /* @__PURE__ */ new Map();
  const steps = [];
  const constants = graph.constants;
  const outputs = new Set(graph.outputs.map((o) => o.name));
  const consumers = /* @__PURE__ */ new Map();
  const use = (value, step) => {
    consumers.set(value, [...consumers.get(value) ?? [], step]);
  };
  for (const step of delta.steps) {
    if (step.kind === "linear") {
      for (const i of step.inputs) if (i.kind === "delta") use(i.value, "linear");
    }
    if (step.kind === "activation") use(step.input, "activation");
  }
  const imageInputs = graph.inputs.filter((i) => delta.steps.some((s) => s.kind === "sparsify" && s.source === i.name));
  if (graph.inputs.length !== 1 || imageInputs.length !== 1) {
    throw new UnsupportedOpError34("(graph inputs)", graph.inputs.map((i) => i.name).join(", "), "motion mode needs exactly one NHWC image input");
  }
  const input = imageInputs[0].name;
  const layouts = /* @__PURE__ */ new Map();
  const shapeOf = (name, shape) => {
    if (shape.length !== 4 || shape[0] !== 1) {
      throw new UnsupportedOpError34("(shape)", name, `motion mode needs batch-1 NHWC values, '${name}' is [${shape.join(",")}]`);
    }
    return [1, shape[1], shape[2], shape[3]];
  };
  const put = (v) => {
    values.set(v.name, { ...v, isOutput: outputs.has(v.name) });
    layouts.set(v.name, { scaleY: v.scaleY, scaleX: v.scaleX });
  };
  for (const step of delta.steps) {
    switch (step.kind) {
      case "sparsify": {
        if (step.source !== input) throw new UnsupportedOpError34("(island)", step.node, "motion mode runs no dense islands");
        put({ name: input, shape: shapeOf(input, step.outputShape), scaleY: ONE, scaleX: ONE, ring: NO_RING, bias: void 0, role: "input" });
        steps.push({ kind: "input", value: input, threshold: step.threshold });
        break;
      }
      case "densify":
        if (!values.has(step.source) || step.source === input) {
          throw new UnsupportedOpError34("(output)", step.node, `motion mode cannot output '${step.source}'`);
        }
        break;
      case "linear": {
        const varying = step.inputs.filter((i) => i.kind === "delta");
        const first = layouts.get(varying[0]?.value ?? "");
        if (!first) throw new UnsupportedOpError34(step.op, step.node, "motion mode needs a varying first input");
        for (const v of varying) {
          const l = layouts.get(v.value);
          if (!sameFraction(l.scaleY, first.scaleY) || !sameFraction(l.scaleX, first.scaleX)) {
            throw new UnsupportedOpError34(step.op, step.node, "inputs on different pixel grids");
          }
        }
        const inShape = values.get(varying[0].value).shape;
        const shape = shapeOf(step.output, step.outputShape);
        const geo = linearGeometry(step, inShape, shape, constants, first);
        const single = consumers.get(step.output);
        const needsStore = !geo.pointwise || ringArea(geo.ring) > 0 || outputs.has(step.output);
        const role = !needsStore ? "pointwise" : single?.length === 1 && single[0] === "activation" && !outputs.has(step.output) ? "fused" : "store";
        put({ name: step.output, shape, scaleY: geo.scaleY, scaleX: geo.scaleX, ring: geo.ring, bias: geo.bias, role });
        const extShape = [1, shape[1] + geo.ring.top + geo.ring.bottom, shape[2] + geo.ring.left + geo.ring.right, shape[3]];
        steps.push({ kind: "linear", step, attrs: geo.attrs, extShape, ext: ringArea(geo.ring) > 0 || role === "fused" });
        break;
      }
      case "activation": {
        const source = values.get(step.input);
        put({ name: step.output, shape: shapeOf(step.output, step.outputShape), scaleY: source.scaleY, scaleX: source.scaleX, ring: NO_RING, bias: void 0, role: "activation" });
        steps.push({ kind: "activation", step, fused: source.role === "fused" });
        break;
      }
      case "maxpool":
        throw new UnsupportedOpError34("MaxPool2D", step.node, "motion mode does not run max pooling yet (its padding is -inf, not a partial sum)");
      case "binary":
        throw new UnsupportedOpError34(step.op, step.node, "motion mode does not run products of two varying tensors yet");
      case "island":
        throw new UnsupportedOpError34(step.resolved.node.op, step.node, "motion mode runs no dense islands (the node has no per-pixel delta form)");
    }
  }
  let totalStride = 1;
  for (const v of values.values()) {
    for (const f of [v.scaleY, v.scaleX]) totalStride = totalStride * f.num / gcd(totalStride, f.num);
  }
  return { delta, values, steps, totalStride, input, outputs: graph.outputs.map((o) => o.name) };
}
function ringArea(r) {
  return r.top + r.left + r.bottom + r.right;
}
function linearGeometry(step, inShape, outShape, constants, scale) {
  const unsupported = (why) => {
    throw new UnsupportedOpError34(step.op, step.node, `motion mode: ${why}`);
  };
  const channels = outShape[3];
  const constant = (i) => {
    const input = step.inputs[i];
    return input?.kind === "constant" ? constants.get(input.value) : void 0;
  };
  const perChannel = (t) => {
    const spatial = t.shape.slice(0, -1).every((d) => d === 1);
    if (!spatial || t.data.length !== 1 && t.data.length !== channels) unsupported("a constant operand that varies across pixels");
    return t.data.length === channels ? new Float32Array(t.data) : new Float32Array(channels).fill(t.data[0]);
  };
  const same = { scaleY: scale.scaleY, scaleX: scale.scaleX, ring: NO_RING, pointwise: true, attrs: step.attrs, bias: void 0 };
  switch (step.op) {
    case "Conv2D":
    case "AvgPool2D": {
      const a = step.attrs;
      const dil = "dilations" in a ? a.dilations : [1, 1];
      if (step.op === "AvgPool2D") {
        const p = a;
        if (p.ceilMode) unsupported("average pooling in ceil mode");
        if (!p.countIncludePad && p.pads.some((v) => v > 0)) unsupported("padded average pooling that excludes the padding from its divisor");
      }
      const [pt, pl] = a.pads;
      const [rt, rb] = axisRing(inShape[1], outShape[1], pt, a.kernel[0], a.strides[0], dil[0]);
      const [rl, rr] = axisRing(inShape[2], outShape[2], pl, a.kernel[1], a.strides[1], dil[1]);
      const ring = { top: rt, left: rl, bottom: rb, right: rr };
      const extH = outShape[1] + rt + rb;
      const extW = outShape[2] + rl + rr;
      const grow = (inSize, begin, extOut, k, s, d) => {
        const b = begin;
        const e = Math.max(0, (extOut - 1) * s + (k - 1) * d + 1 - inSize - b);
        return [b, e];
      };
      const [gt, gb] = grow(inShape[1], pt + rt * a.strides[0], extH, a.kernel[0], a.strides[0], dil[0]);
      const [gl, gr] = grow(inShape[2], pl + rl * a.strides[1], extW, a.kernel[1], a.strides[1], dil[1]);
      const attrs = { ...a, autoPad: "explicit", pads: [gt, gl, gb, gr] };
      const size = (inSize, b, e, k, s, d) => Math.floor((inSize + b + e - (k - 1) * d - 1) / s) + 1;
      if (size(inShape[1], gt, gb, a.kernel[0], a.strides[0], dil[0]) !== extH || size(inShape[2], gl, gr, a.kernel[1], a.strides[1], dil[1]) !== extW) {
        unsupported(`window geometry of ${inShape[1]}x${inShape[2]} -> ${outShape[1]}x${outShape[2]} has no exact ring`);
      }
      const pointwise = a.kernel[0] === 1 && a.kernel[1] === 1 && a.pads.every((v) => v === 0);
      const biasTensor = step.op === "Conv2D" ? constant(2) : void 0;
      return {
        scaleY: times(scale.scaleY, a.strides[0]),
        scaleX: times(scale.scaleX, a.strides[1]),
        ring,
        pointwise,
        bias: biasTensor ? new Float32Array(biasTensor.data) : void 0,
        attrs
      };
    }
    case "Resize": {
      const r = step.attrs;
      const [inH, inW] = [inShape[1], inShape[2]];
      const [outH, outW] = [outShape[1], outShape[2]];
      const ky = outH / inH;
      const kx = outW / inW;
      if (r.mode !== "nearest" || !Number.isInteger(ky) || !Number.isInteger(kx)) unsupported("only nearest upsampling by integer factors");
      const { rows, cols } = resizeTaps(r, inH, inW, outH, outW);
      const aligned = (taps, k) => taps.lo.every((v, o) => v === Math.floor(o / k) && taps.hi[o] === v);
      if (!aligned(rows, ky) || !aligned(cols, kx)) unsupported("nearest upsampling whose taps are not floor(output / factor)");
      return { ...same, scaleY: over(scale.scaleY, ky), scaleX: over(scale.scaleX, kx) };
    }
    case "BatchNorm": {
      const [s, b, m, v] = [constant(1), constant(2), constant(3), constant(4)];
      if (!s || !b || !m || !v) return unsupported("BatchNorm parameters must be constants");
      const eps = step.attrs.epsilon;
      const scaleV = perChannel(s);
      const [shift, mean, variance] = [perChannel(b), perChannel(m), perChannel(v)];
      const bias = new Float32Array(channels);
      for (let c = 0; c < channels; c++) bias[c] = shift[c] - scaleV[c] * mean[c] / Math.sqrt(variance[c] + eps);
      return { ...same, bias };
    }
    case "Add":
    case "Sub": {
      const c0 = constant(0);
      const c1 = constant(1);
      if (c0 && c1) return unsupported("two constant operands");
      if (!c0 && !c1) return { ...same, bias: void 0 };
      const c = perChannel(c0 ?? c1);
      if (step.op === "Sub" && c1) for (let i = 0; i < c.length; i++) c[i] = -c[i];
      return { ...same, bias: c };
    }
    case "Mul":
    case "Div": {
      const c = constant(1) ?? constant(0);
      if (c) perChannel(c);
      return { ...same, bias: void 0 };
    }
    case "Concat":
    case "Identity":
      return { ...same, bias: void 0 };
    default:
      return unsupported(`${step.op} has no motion form yet`);
  }
}
function windowShape(v) {
  return [1, v.shape[1] + v.ring.top + v.ring.bottom, v.shape[2] + v.ring.left + v.ring.right, v.shape[3]];
}

// ../../tmp/oldsrc/packages/graph-runtime/src/motion/motion-state.ts
import { DeltaBuffer as DeltaBuffer7 } from "@motiondelta/core";
import { SphericalBuffer, SphericalGeometry } from "@motiondelta/spherical-buffer";
var WindowStore = class {
  buffer;
  ring;
  viewportHeight;
  viewportWidth;
  constructor(value, withRing) {
    const ring = withRing ? value.ring : { top: 0, left: 0, bottom: 0, right: 0 };
    const h = value.shape[1] + ring.top + ring.bottom;
    const w = value.shape[2] + ring.left + ring.right;
    this.buffer = new SphericalBuffer(new SphericalGeometry({ slotsH: h, slotsW: w, viewportHeight: h, viewportWidth: w }), value.shape[3]);
    this.ring = ring;
    this.viewportHeight = value.shape[1];
    this.viewportWidth = value.shape[2];
  }
  get data() {
    return this.buffer.data;
  }
  /** Index in `data` of channel 0 of world pixel `(y, x)`. */
  at(y, x) {
    return this.buffer.offsetOf(y, x);
  }
  /** The window at a viewport origin. */
  windowAt(origin) {
    const r = this.ring;
    return { y: origin.y - r.top, x: origin.x - r.left, height: this.viewportHeight + r.top + r.bottom, width: this.viewportWidth + r.left + r.right };
  }
};
var ScratchPool = class {
  #arrays = /* @__PURE__ */ new Map();
  array(length, slot) {
    let a = this.#arrays.get(slot);
    if (!a || a.length < length) {
      a = new Float32Array(length);
      this.#arrays.set(slot, a);
    }
    return a.length === length ? a : a.subarray(0, length);
  }
  get bytes() {
    let b = 0;
    for (const a of this.#arrays.values()) b += a.byteLength;
    return b;
  }
};
function deltaBytes(d) {
  return d.values.byteLength + d.mask.byteLength + d.active.byteLength;
}
var EXT = "#ext";
var DIN = "#din";
function assignFrameBuffers(plan) {
  const produced = /* @__PURE__ */ new Map();
  const lastUse = /* @__PURE__ */ new Map();
  const shapeOf = /* @__PURE__ */ new Map();
  plan.steps.forEach((step, i) => {
    if (step.kind === "input") {
      produced.set(step.value, i);
      shapeOf.set(step.value, plan.values.get(step.value).shape);
      return;
    }
    const out = step.step.output;
    const v = plan.values.get(out);
    produced.set(out, i);
    shapeOf.set(out, v.role === "fused" ? windowShape(v) : v.shape);
    if (step.kind === "linear" && v.role === "store") {
      produced.set(`${out}${EXT}`, i);
      shapeOf.set(`${out}${EXT}`, step.extShape);
    }
    if (step.kind === "activation") {
      produced.set(`${out}${DIN}`, i);
      shapeOf.set(`${out}${DIN}`, v.shape);
    }
    const reads2 = step.kind === "linear" ? step.step.inputs.flatMap((x) => x.kind === "delta" ? [x.value] : []) : [step.step.input];
    for (const r of reads2) lastUse.set(r, Math.max(lastUse.get(r) ?? -1, i));
  });
  const assigned = /* @__PURE__ */ new Map();
  const free = /* @__PURE__ */ new Map();
  const live = [];
  plan.steps.forEach((_, i) => {
    for (let k = live.length - 1; k >= 0; k--) {
      const l = live[k];
      if (l.until < i) {
        free.set(l.key, [...free.get(l.key) ?? [], assigned.get(l.name)]);
        live.splice(k, 1);
      }
    }
    for (const [name, at] of produced) {
      if (at !== i) continue;
      const shape = shapeOf.get(name);
      const key = shape.join("x");
      const buffer = free.get(key)?.pop() ?? new DeltaBuffer7(shape);
      assigned.set(name, buffer);
      live.push({ name, until: Math.max(lastUse.get(name) ?? i, i), key });
    }
  });
  return assigned;
}
var MotionState = class {
  values = /* @__PURE__ */ new Map();
  scratch = new ScratchPool();
  #frame;
  /**
   * Per value, the viewport pixels its delta updated in the last grow pass (statistics and update
   * masks; the delta buffers themselves are shared and overwritten later in the pass).
   */
  updated = /* @__PURE__ */ new Map();
  constructor(plan) {
    const fusedActivation = /* @__PURE__ */ new Set();
    for (const step of plan.steps) if (step.kind === "activation" && step.fused) fusedActivation.add(step.step.output);
    const frame = assignFrameBuffers(plan);
    this.#frame = frame;
    for (const step of plan.steps) {
      if (step.kind === "input") {
        const [, h, w, c] = plan.values.get(step.value).shape;
        this.scratch.array(h * w * c, 0);
        this.scratch.array(h * w * c, 1);
      } else if (step.kind === "activation") {
        const shape = plan.values.get(step.step.output).shape;
        for (const slot of [2, 3, 4]) this.scratch.array(shape[1] * shape[2] * shape[3], slot);
      }
    }
    for (const value of plan.values.values()) {
      const buffer = frame.get(value.name);
      switch (value.role) {
        case "input":
          this.values.set(value.name, { value, view: buffer, ext: void 0, store: new WindowStore(value, false), emitted: void 0 });
          break;
        case "store":
          this.values.set(value.name, { value, view: buffer, ext: void 0, store: new WindowStore(value, true), emitted: void 0 });
          break;
        case "fused":
          this.values.set(value.name, { value, view: void 0, ext: buffer, store: new WindowStore(value, true), emitted: void 0 });
          break;
        case "pointwise":
          this.values.set(value.name, { value, view: buffer, ext: void 0, store: void 0, emitted: void 0 });
          break;
        case "activation":
          this.values.set(value.name, {
            value,
            view: buffer,
            ext: void 0,
            store: fusedActivation.has(value.name) ? void 0 : new WindowStore(value, false),
            emitted: new WindowStore(value, false)
          });
          break;
      }
    }
  }
  /** A store value's kernel output (viewport + ring), valid while its step runs. */
  extOf(value) {
    return this.#frame.get(`${value}${EXT}`);
  }
  /** An activation's input delta, valid while its step runs. */
  dinOf(value) {
    return this.#frame.get(`${value}${DIN}`);
  }
  get(name) {
    const s = this.values.get(name);
    if (!s) throw new Error(`motion state: no value '${name}'`);
    return s;
  }
  /** Every store, with the value it belongs to (for resets when the viewport moves). */
  *stores() {
    for (const s of this.values.values()) {
      if (s.store) yield { value: s.value, store: s.store };
      if (s.emitted) yield { value: s.value, store: s.emitted };
    }
  }
  /** Bytes held between frames: wrapped state, the (shared) per-frame delta buffers and scratch. */
  get stateBytes() {
    return this.persistentBytes + this.frameBufferBytes;
  }
  /** Bytes of the wrapped buffers whose content must survive from one frame to the next. */
  get persistentBytes() {
    let bytes = 0;
    for (const s of this.values.values()) {
      if (s.store) bytes += s.store.data.byteLength;
      if (s.emitted) bytes += s.emitted.data.byteLength;
    }
    return bytes;
  }
  /** Bytes of the wrapped buffers spent on rings (window minus viewport): the padded convolutions' cost. */
  get ringBytes() {
    let bytes = 0;
    for (const s of this.values.values()) {
      const st = s.store;
      if (!st) continue;
      const r = st.ring;
      const area = (st.viewportHeight + r.top + r.bottom) * (st.viewportWidth + r.left + r.right) - st.viewportHeight * st.viewportWidth;
      bytes += area * s.value.shape[3] * 4;
    }
    return bytes;
  }
  /** Bytes of per-frame buffers (reused every frame, content not carried over). */
  get frameBufferBytes() {
    let bytes = this.scratch.bytes;
    for (const d of new Set(this.#frame.values())) bytes += deltaBytes(d);
    return bytes;
  }
};

// ../../tmp/oldsrc/packages/graph-runtime/src/motion/warp-frame.ts
function warpFrame(frame, viewportFromFrame, height, width, out) {
  const [, fh, fw, c] = frame.shape;
  const data = out?.data ?? new Float32Array(height * width * c);
  const covered = out?.covered ?? new Uint8Array(height * width);
  data.fill(0);
  covered.fill(0);
  const src = frame.data;
  let count = 0;
  if (isIntegerTranslation(viewportFromFrame)) {
    const tx = Math.round(viewportFromFrame[2]);
    const ty = Math.round(viewportFromFrame[5]);
    for (let y = 0; y < height; y++) {
      const sy = y - ty;
      if (sy < 0 || sy >= fh) continue;
      const x0 = Math.max(0, tx);
      const x1 = Math.min(width, fw + tx);
      if (x1 <= x0) continue;
      data.set(src.subarray((sy * fw + x0 - tx) * c, (sy * fw + x1 - tx) * c), (y * width + x0) * c);
      covered.fill(1, y * width + x0, y * width + x1);
      count += x1 - x0;
    }
    return { data, covered, coveredCount: count };
  }
  const m = invert2(viewportFromFrame);
  const maxX = fw - 1 + 1e-6;
  const maxY = fh - 1 + 1e-6;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const w = m[6] * x + m[7] * y + m[8];
      const sx = (m[0] * x + m[1] * y + m[2]) / w;
      const sy = (m[3] * x + m[4] * y + m[5]) / w;
      if (!(sx >= -1e-6 && sy >= -1e-6 && sx <= maxX && sy <= maxY)) continue;
      const x0 = Math.min(Math.max(Math.floor(sx), 0), fw - 1);
      const y0 = Math.min(Math.max(Math.floor(sy), 0), fh - 1);
      const x1 = Math.min(x0 + 1, fw - 1);
      const y1 = Math.min(y0 + 1, fh - 1);
      const ax = Math.min(Math.max(sx - x0, 0), 1);
      const ay = Math.min(Math.max(sy - y0, 0), 1);
      const p = y * width + x;
      const o = p * c;
      const i00 = (y0 * fw + x0) * c;
      const i01 = (y0 * fw + x1) * c;
      const i10 = (y1 * fw + x0) * c;
      const i11 = (y1 * fw + x1) * c;
      for (let ch = 0; ch < c; ch++) {
        const top = src[i00 + ch] + ax * (src[i01 + ch] - src[i00 + ch]);
        const bottom = src[i10 + ch] + ax * (src[i11 + ch] - src[i10 + ch]);
        data[o + ch] = top + ay * (bottom - top);
      }
      covered[p] = 1;
      count++;
    }
  }
  return { data, covered, coveredCount: count };
}

// ../../tmp/oldsrc/packages/graph-runtime/src/motion/motion-session.ts
var DEFAULT_REANCHOR = { maxScaleChange: 1.25, maxRotation: 0.2, minOverlap: 0.5, minCoverage: 0.5 };
var WORLD_LIMIT = 2 ** 24;
var MotionSession = class {
  mode = "motion";
  backendInfo;
  #graph;
  #backend;
  #thresholds;
  #reanchor;
  #ops;
  #queue = new SerialQueue();
  #stream;
  #frames = [];
  #nodes = [];
  #frameIndex = 0;
  #geometry;
  #recover = false;
  constructor(graph, backend, skipped, thresholds, reanchor = {}) {
    if (!backend.delta) {
      throw new OptionError3(`Backend '${backend.id}' has no delta kernels; mode 'motion' needs them (use the reference backend).`);
    }
    this.#graph = graph;
    this.#backend = backend;
    this.#thresholds = thresholds;
    this.#reanchor = checkReanchor(reanchor);
    this.#ops = new Map(graph.nodes.map((n) => [n.name, n.op]));
    this.backendInfo = { id: backend.id, skipped };
  }
  /** Bytes of state kept between frames (0 before the first frame). */
  get stateBytes() {
    return this.#stream?.state.stateBytes ?? 0;
  }
  /**
   * Where {@link stateBytes} goes: `persistent` wrapped buffers whose content carries over between
   * frames (of which `ring` is spent on the padded convolutions' rings), and per-frame buffers
   * (delta buffers shared between values whose lifetimes in a pass do not overlap, and scratch).
   */
  get memory() {
    const s = this.#stream?.state;
    return { stateBytes: s?.stateBytes ?? 0, persistentBytes: s?.persistentBytes ?? 0, ringBytes: s?.ringBytes ?? 0, frameBufferBytes: s?.frameBufferBytes ?? 0 };
  }
  /** Viewport offsets are multiples of this many input pixels (known after the first frame). */
  get totalStride() {
    return this.#stream?.plan.totalStride;
  }
  /** Where the last frame's viewport lies relative to the frame (undefined before the first frame). */
  get frameGeometry() {
    return this.#geometry;
  }
  /**
   * Input pixels per pixel of an output (or any value) along y and x: output pixel `(i, j)` covers
   * viewport pixels from `(i * y, j * x)`; map those to the frame with `frameFromViewport`.
   */
  outputScale(name) {
    const v = this.#stream?.plan.values.get(name);
    return v && { y: v.scaleY.num / v.scaleY.den, x: v.scaleX.num / v.scaleX.den };
  }
  /**
   * Runs one frame. `inputs` is the frame (NHWC, batch 1; its size is the viewport's); `options`
   * gives its homography to the world (omit it for a static camera). Outputs are dense values on
   * the viewport grid; see {@link frameGeometry} and {@link outputScale} to map them to the frame.
   *
   * @throws InputError for a missing or degenerate homography or non-finite input values; the
   * session is unchanged and stays usable.
   */
  run(inputs, options) {
    return this.#queue.run(() => this.#runFrame(inputs, options));
  }
  stats() {
    return { mode: this.mode, backend: this.#backend.id, frames: [...this.#frames], nodes: [...this.#nodes], totalStride: this.#stream?.plan.totalStride ?? 1 };
  }
  updateMasks() {
    const stream = this.#stream;
    if (!stream) return [];
    const keyframe = this.#frames.at(-1)?.keyframe ?? true;
    const last = /* @__PURE__ */ new Map();
    for (const step of stream.plan.steps) {
      if (step.kind === "input") continue;
      last.set(step.step.node, step.step.output);
    }
    const masks = [];
    for (const [node, value] of last) {
      const s = stream.state.get(value);
      const [, h, w] = s.value.shape;
      const updated = stream.state.updated.get(value);
      const mask = new Uint8Array(h * w).fill(keyframe ? 1 : 0);
      if (!keyframe && updated) for (const p of updated) mask[p] = 1;
      masks.push({ node, shape: [1, h, w], mask });
    }
    return masks;
  }
  reset() {
    this.#stream = void 0;
    this.#frames = [];
    this.#nodes = [];
    this.#frameIndex = 0;
    this.#geometry = void 0;
    this.#recover = false;
  }
  dispose() {
    this.#stream = void 0;
    this.#backend.dispose?.();
  }
  async #runFrame(inputs, options) {
    validateInputs(this.#graph.inputs, inputs);
    const userH = options === void 0 ? [...IDENTITY_HOMOGRAPHY] : checkHomography(options.homography, "options.homography");
    for (const input of this.#graph.inputs) {
      const s = inputs[input.name].shape;
      if (s.length !== 4 || s[0] !== 1) throw new ShapeError28(`Motion mode takes one frame at a time: input '${input.name}' must be [1,H,W,C], got [${s.join(",")}].`);
    }
    const shapeKey = this.#graph.inputs.map((i) => inputs[i.name].shape.join("x")).join("|");
    const start = performance.now();
    const stream = this.#stream;
    if (stream === void 0) return this.#keyframe(inputs, shapeKey, userH, start, this.#recover ? "recovery" : "first");
    if (stream.shapeKey !== shapeKey) return this.#keyframe(inputs, shapeKey, userH, start, "shape");
    const frame = inputs[stream.plan.input];
    const [, fh, fw] = frame.shape;
    const worldFromFrame = compose(stream.anchorInverse, userH);
    const { scale, rotation } = localScaleAndRotation(worldFromFrame, (fw - 1) / 2, (fh - 1) / 2);
    if (!(Math.abs(Math.log(scale)) <= Math.log(this.#reanchor.maxScaleChange))) return this.#keyframe(inputs, shapeKey, userH, start, "scale");
    if (!(Math.abs(rotation) <= this.#reanchor.maxRotation)) return this.#keyframe(inputs, shapeKey, userH, start, "rotation");
    const S = stream.plan.totalStride;
    const [cx, cy] = applyHomography(worldFromFrame, (fw - 1) / 2, (fh - 1) / 2);
    const to = { y: Math.round((cy - (fh - 1) / 2) / S) * S + 0, x: Math.round((cx - (fw - 1) / 2) / S) * S + 0 };
    if (!(Math.abs(to.y) < WORLD_LIMIT && Math.abs(to.x) < WORLD_LIMIT)) return this.#keyframe(inputs, shapeKey, userH, start, "world-range");
    const from = stream.origin;
    const overlap = Math.max(0, fh - Math.abs(to.y - from.y)) * Math.max(0, fw - Math.abs(to.x - from.x));
    if (overlap < this.#reanchor.minOverlap * fh * fw) return this.#keyframe(inputs, shapeKey, userH, start, "motion");
    const viewportFromFrame = compose(translation(-to.x, -to.y), worldFromFrame);
    const warped = warpFrame(frame, viewportFromFrame, fh, fw);
    const coverage = warped.coveredCount / (fh * fw);
    if (coverage < this.#reanchor.minCoverage) return this.#keyframe(inputs, shapeKey, userH, start, "coverage");
    const { plan, state, executor } = stream;
    const macs = [];
    const ms = [];
    const moved = to.y !== from.y || to.x !== from.x;
    try {
      if (moved) {
        const shrink = { pass: "shrink", from, to };
        await executor.runPass(state, shrink, void 0, macs, ms);
        executor.resetUnveiled(state, from, to);
      }
      await executor.runPass(state, { pass: "grow", from, to }, warped, macs, ms);
    } catch (error) {
      this.#stream = void 0;
      this.#recover = true;
      throw error;
    }
    stream.origin = to;
    this.#geometry = { offset: to, viewportFromFrame, frameFromViewport: invert2(viewportFromFrame) };
    return this.#finish(stream, macs, ms, start, void 0, coverage);
  }
  async #keyframe(inputs, shapeKey, userH, start, reason) {
    const shapes = Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, t.shape]));
    const reuse = this.#stream?.shapeKey === shapeKey ? this.#stream : void 0;
    const plan = reuse?.plan ?? planMotion(this.#graph, planDelta(this.#graph, planGraph(this.#graph, shapes), this.#thresholds));
    const state = reuse?.state ?? new MotionState(plan);
    const executor = reuse?.executor ?? new MotionExecutor(this.#graph, plan, this.#backend);
    const anchorInverse = invert2(userH);
    const origin = { y: 0, x: 0 };
    this.#stream = void 0;
    await runMotionKeyframe(this.#graph, plan, state, this.#backend, inputs[plan.input], origin);
    const stream = { shapeKey, plan, state, executor, anchorInverse, origin };
    this.#stream = stream;
    this.#recover = false;
    this.#geometry = { offset: origin, viewportFromFrame: [...IDENTITY_HOMOGRAPHY], frameFromViewport: [...IDENTITY_HOMOGRAPHY] };
    const macs = plan.steps.map((s) => s.kind === "input" ? 0 : s.step.denseMacs);
    return this.#finish(stream, macs, [], start, reason, 1);
  }
  #finish(stream, macs, ms, start, reason, coverage) {
    const { plan, state } = stream;
    const byNode = /* @__PURE__ */ new Map();
    plan.steps.forEach((step, i) => {
      if (step.kind === "input") return;
      const entry = byNode.get(step.step.node) ?? { macs: 0, denseMacs: 0, ms: 0, value: step.step.output };
      entry.macs += macs[i] ?? 0;
      entry.ms += ms[i] ?? 0;
      entry.denseMacs += step.step.denseMacs;
      entry.value = step.step.output;
      byNode.set(step.step.node, entry);
    });
    const keyframe = reason !== void 0;
    this.#nodes = [...byNode].map(([name, e]) => {
      const v = state.get(e.value).value;
      const activeFraction = keyframe ? 1 : (state.updated.get(e.value)?.length ?? 0) / (v.shape[1] * v.shape[2]);
      return { name, op: this.#ops.get(name) ?? "Activation", macs: e.macs, denseMacs: e.denseMacs, activeFraction, ms: e.ms };
    });
    const total = macs.reduce((s, m) => s + m, 0);
    const denseMacs = plan.steps.reduce((s, step) => s + (step.kind === "input" ? 0 : step.step.denseMacs), 0);
    recordFrame(this.#frames, {
      index: this.#frameIndex++,
      ms: performance.now() - start,
      macs: total,
      denseMacs,
      keyframe,
      offset: stream.origin,
      reason,
      coverage,
      stateBytes: state.stateBytes
    });
    const outputs = {};
    for (const name of plan.outputs) {
      const s = state.get(name);
      const store = s.value.role === "activation" ? s.emitted : s.store;
      const o = valueOrigin(s.value, stream.origin);
      outputs[name] = store.buffer.readRect({ y: o.y, x: o.x, height: s.value.shape[1], width: s.value.shape[2] });
    }
    return outputs;
  }
};
function checkReanchor(options) {
  const r = { ...DEFAULT_REANCHOR, ...options };
  if (!(r.maxScaleChange >= 1)) throw new OptionError3(`reanchor.maxScaleChange must be a number >= 1, got ${r.maxScaleChange}.`);
  if (!(r.maxRotation >= 0)) throw new OptionError3(`reanchor.maxRotation must be radians >= 0, got ${r.maxRotation}.`);
  for (const k of ["minOverlap", "minCoverage"]) {
    if (!(r[k] >= 0 && r[k] <= 1)) throw new OptionError3(`reanchor.${k} must be a fraction in [0, 1], got ${r[k]}.`);
  }
  return r;
}

// ../../tmp/oldsrc/packages/graph-runtime/src/simplify/graph-uses.ts
function collectUses(graph) {
  const readers = /* @__PURE__ */ new Map();
  for (const node of graph.nodes) {
    for (const name of node.inputs) {
      if (name === "") continue;
      const list = readers.get(name);
      if (list) list.push(node);
      else readers.set(name, [node]);
    }
  }
  return { readers, graphOutputs: new Set(graph.outputs.map((o) => o.name)) };
}
function hasSingleReader(uses, value) {
  return !uses.graphOutputs.has(value) && (uses.readers.get(value)?.length ?? 0) === 1;
}
function renameValue(nodes, from, to) {
  return nodes.map((n) => n.inputs.includes(from) ? { ...n, inputs: n.inputs.map((i) => i === from ? to : i) } : n);
}

// ../../tmp/oldsrc/packages/graph-runtime/src/simplify/drop-identities.ts
function dropIdentities(graph) {
  const outputs = new Set(graph.outputs.map((o) => o.name));
  let nodes = [...graph.nodes];
  for (const node of graph.nodes) {
    if (node.op !== "Identity" || outputs.has(node.outputs[0])) continue;
    nodes = renameValue(
      nodes.filter((n) => n.name !== node.name),
      node.outputs[0],
      node.inputs[0]
    );
  }
  return nodes.length === graph.nodes.length ? graph : { ...graph, nodes };
}

// ../../tmp/oldsrc/packages/graph-runtime/src/simplify/fold-batch-norm.ts
function foldBatchNorm(graph) {
  const uses = collectUses(graph);
  const constants = new Map(graph.constants);
  const producers = new Map(graph.nodes.map((n) => [n.outputs[0], n]));
  const removed = /* @__PURE__ */ new Set();
  const replaced = /* @__PURE__ */ new Map();
  for (const bn of graph.nodes) {
    if (bn.op !== "BatchNorm") continue;
    const conv = producers.get(bn.inputs[0]);
    if (!conv || conv.op !== "Conv2D" || conv.attrs.activation || !hasSingleReader(uses, conv.outputs[0])) continue;
    const [scale, shift, mean, variance] = bn.inputs.slice(1).map((n) => constants.get(n));
    const weight = constants.get(conv.inputs[1]);
    if (!scale || !shift || !mean || !variance || !weight) continue;
    const cout = weight.shape[3];
    if ([scale, shift, mean, variance].some((t) => t.data.length !== cout)) continue;
    const bias = conv.inputs[2] ? constants.get(conv.inputs[2]) : void 0;
    const newWeight = new Float32Array(weight.data);
    const newBias = new Float32Array(cout);
    for (let o = 0; o < cout; o++) {
      const k = scale.data[o] / Math.sqrt(variance.data[o] + bn.attrs.epsilon);
      for (let i = o; i < newWeight.length; i += cout) newWeight[i] = newWeight[i] * k;
      newBias[o] = ((bias?.data[o] ?? 0) - mean.data[o]) * k + shift.data[o];
    }
    const weightName = `${conv.name}/folded_weight`;
    const biasName = `${conv.name}/folded_bias`;
    constants.set(weightName, { data: newWeight, shape: weight.shape });
    constants.set(biasName, { data: newBias, shape: [cout] });
    replaced.set(conv, { ...conv, inputs: [conv.inputs[0], weightName, biasName], outputs: bn.outputs });
    removed.add(bn);
  }
  if (removed.size === 0) return graph;
  const nodes = graph.nodes.filter((n) => !removed.has(n)).map((n) => replaced.get(n) ?? n);
  return pruneConstants({ ...graph, nodes, constants });
}
function pruneConstants(graph) {
  const read = new Set(graph.nodes.flatMap((n) => n.inputs));
  const constants = new Map([...graph.constants].filter(([name]) => read.has(name)));
  const intConstants = new Map([...graph.intConstants].filter(([name]) => read.has(name)));
  return { ...graph, constants, intConstants };
}

// ../../tmp/oldsrc/packages/graph-runtime/src/simplify/fold-constants.ts
function foldConstants(graph, backend) {
  const constants = new Map(graph.constants);
  const outputs = new Set(graph.outputs.map((o) => o.name));
  const kept = [];
  for (const node of graph.nodes) {
    const foldable = !outputs.has(node.outputs[0]) && node.inputs.length > 0 && node.inputs.every((name) => name === "" || constants.has(name));
    if (!foldable) {
      kept.push(node);
      continue;
    }
    const inputs = node.inputs.map((name) => name === "" ? void 0 : constants.get(name));
    const resolved = resolveNode(node, inputs.map((t) => t?.shape));
    const call = { op: node.op, attrs: resolved.attrs, inputs, outputShape: resolved.outputShape };
    const result = backend.runDense(call);
    constants.set(node.outputs[0], result);
  }
  if (kept.length === graph.nodes.length) return graph;
  return pruneConstants({ ...graph, nodes: kept, constants });
}

// ../../tmp/oldsrc/packages/graph-runtime/src/simplify/fuse-activations.ts
var FUSABLE = /* @__PURE__ */ new Set(["Conv2D", "ConvTranspose2D", "Gemm", "Add"]);
function fuseActivations(graph) {
  const uses = collectUses(graph);
  const producers = new Map(graph.nodes.map((n) => [n.outputs[0], n]));
  const removed = /* @__PURE__ */ new Set();
  const replaced = /* @__PURE__ */ new Map();
  for (const act of graph.nodes) {
    if (act.op !== "Activation") continue;
    const source = producers.get(act.inputs[0]);
    if (!source || !FUSABLE.has(source.op) || replaced.has(source)) continue;
    if (!hasSingleReader(uses, source.outputs[0])) continue;
    if ("activation" in source.attrs && source.attrs.activation) continue;
    replaced.set(source, {
      ...source,
      attrs: { ...source.attrs, activation: act.attrs.activation },
      outputs: act.outputs
    });
    removed.add(act);
  }
  if (removed.size === 0) return graph;
  return { ...graph, nodes: graph.nodes.filter((n) => !removed.has(n)).map((n) => replaced.get(n) ?? n) };
}

// ../../tmp/oldsrc/packages/graph-runtime/src/simplify/simplify-graph.ts
function simplifyGraph(graph, backend, options = {}) {
  let g = graph;
  if (options.foldConstants !== false) g = foldConstants(g, backend);
  if (options.dropIdentities !== false) g = dropIdentities(g);
  if (options.foldBatchNorm !== false) g = foldBatchNorm(g);
  if (options.fuseActivations !== false) g = fuseActivations(g);
  return g;
}

// ../../tmp/oldsrc/packages/graph-runtime/src/model.ts
var MODES2 = ["dense", "delta", "motion"];
var Model = class {
  /** The simplified graph every session executes. */
  graph;
  constructor(graph, simplify = true) {
    this.graph = simplify ? simplifyGraph(graph, new ReferenceBackend()) : graph;
  }
  /** Graph inputs, NHWC for images; `null` marks a dimension the model leaves open. */
  get inputs() {
    return this.graph.inputs;
  }
  /** Graph outputs, NHWC for feature maps. */
  get outputs() {
    return this.graph.outputs;
  }
  async createSession(options = {}) {
    const mode = options.mode ?? "dense";
    if (!MODES2.includes(mode)) {
      throw new OptionError4(`Unknown mode '${String(mode)}'; available modes: ${MODES2.join(", ")}.`);
    }
    const thresholds = mode === "delta" || mode === "motion" ? this.#thresholds(options) : void 0;
    const pref = options.backend ?? ["reference"];
    const list = typeof pref === "string" || !Array.isArray(pref) ? [pref] : pref;
    const { backend, skipped } = await chooseBackend(list);
    if (thresholds && mode === "motion") return new MotionSession(this.graph, backend, skipped, thresholds, options.reanchor);
    if (thresholds) return new DeltaSession(this.graph, backend, skipped, thresholds);
    return new DenseSession(this.graph, backend, skipped);
  }
  #thresholds(options) {
    const check = (name, value) => {
      if (!Number.isFinite(value) || value < 0) throw new OptionError4(`${name} must be a finite number >= 0, got ${value}.`);
      return value;
    };
    const node = check("threshold", options.threshold ?? 0);
    const input = check("inputThreshold", options.inputThreshold ?? node);
    const perNode = options.nodeThresholds ?? {};
    const known = /* @__PURE__ */ new Set([...this.graph.nodes.map((n) => n.name), ...this.graph.inputs.map((i) => i.name)]);
    for (const [name, value] of Object.entries(perNode)) {
      if (!known.has(name)) {
        throw new OptionError4(`nodeThresholds names '${name}', which is no node or input of this model; see model.graph.nodes for the names.`);
      }
      check(`nodeThresholds['${name}']`, value);
    }
    return { node, input, perNode };
  }
};

// ../../tmp/oldsrc/packages/graph-runtime/src/load-model.ts
function looksLikeJson(bytes) {
  for (const b of bytes) {
    if (b === 32 || b === 10 || b === 13 || b === 9 || b === 239 || b === 187 || b === 191) continue;
    return b === 123;
  }
  return false;
}
async function loadModel(source, options = {}) {
  const location = typeof source === "string" ? source : "<bytes>";
  let bytes;
  if (typeof source === "string") {
    try {
      bytes = await readFile(source);
    } catch (error) {
      throw new ModelFormatError17(`Cannot read model file '${source}': ${error.message}`, { cause: error });
    }
  } else {
    bytes = source;
  }
  if (bytes.length === 0) throw new ModelFormatError17(`Model '${location}' is empty (0 bytes); expected ONNX protobuf or TF.js model.json.`);
  let graph;
  if (looksLikeJson(bytes)) {
    let json;
    try {
      json = JSON.parse(new TextDecoder().decode(bytes));
    } catch (error) {
      throw new ModelFormatError17(
        `Model '${location}' starts like JSON but does not parse (${error.message}); a TF.js model.json is expected, or ONNX protobuf bytes.`,
        { cause: error }
      );
    }
    const readWeightFile = options.readWeightFile ?? (typeof source === "string" ? (relative) => readFile(join(dirname(source), relative)) : () => {
      throw new ModelFormatError17(`TF.js model given as bytes: pass options.readWeightFile to read its weight shards.`);
    });
    graph = await importTfjs(json, readWeightFile, location);
  } else {
    graph = importOnnx(bytes, location);
  }
  return new Model(graph, options.simplify !== false);
}

// ../../tmp/oldsrc/packages/graph-runtime/src/motion/map-output.ts
function outputToFrame(geometry, scale, y, x) {
  return applyHomography(geometry.frameFromViewport, x * scale.x, y * scale.y);
}

// ../../tmp/oldsrc/packages/graph-runtime/src/motion/compare-mapped-outputs.ts
import { ShapeError as ShapeError29 } from "@motiondelta/core";

// ../../tmp/oldsrc/packages/graph-runtime/src/stats/tensor-error.ts
function tensorError(actual, reference) {
  if (actual.length !== reference.length) {
    throw new RangeError(`Cannot compare ${actual.length} values with a reference of ${reference.length}.`);
  }
  let maxAbs = 0;
  let se = 0;
  let norm = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i];
    const d = actual[i] - r;
    const a = Math.abs(d);
    if (!(a <= maxAbs)) maxAbs = Number.isNaN(a) ? Number.POSITIVE_INFINITY : a;
    se += d * d;
    norm += r * r;
    if (r < min) min = r;
    if (r > max) max = r;
  }
  const mse = Number.isNaN(se) ? Number.POSITIVE_INFINITY : se / Math.max(reference.length, 1);
  const peak = max > min ? max - min : 1;
  return {
    maxAbs,
    relL2: Number.isNaN(se) ? Number.POSITIVE_INFINITY : Math.sqrt(se / Math.max(norm, 1e-30)),
    psnr: mse === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10(peak * peak / mse),
    exact: mse === 0
  };
}

// ../../tmp/oldsrc/packages/graph-runtime/src/motion/compare-mapped-outputs.ts
var IDENTITY = [1, 0, 0, 0, 1, 0, 0, 0, 1];
function compareMappedOutputs(motion, dense, frameFromViewport, scaleOf, frameSize) {
  const m = frameFromViewport ?? IDENTITY;
  if (m.length !== 9) throw new RangeError(`frameFromViewport must be a row-major 3x3 matrix (9 numbers), got ${m.length}.`);
  const outputs = {};
  let maxAbs = 0;
  let relL2 = 0;
  let psnr = Number.POSITIVE_INFINITY;
  let compared = 0;
  let total = 0;
  for (const [name, reference] of Object.entries(dense)) {
    const ours = motion[name];
    if (!ours || ours.data.length !== reference.data.length || reference.shape.length !== 4) {
      throw new ShapeError29(
        `Output '${name}' of the motion session (${ours ? `[${ours.shape.join(",")}]` : "missing"}) cannot be compared with the dense output [${reference.shape.join(",")}]; both must be NHWC of the same size.`
      );
    }
    const e = compareOne(ours.data, reference, m, scaleOf(name), frameSize);
    outputs[name] = e;
    maxAbs = Math.max(maxAbs, e.maxAbs);
    relL2 = Math.max(relL2, e.relL2);
    psnr = Math.min(psnr, e.psnr);
    compared += e.compared;
    total += e.total;
  }
  return { maxAbs, relL2, psnr, exact: maxAbs === 0, comparedFraction: total > 0 ? compared / total : 0, outputs };
}
function compareOne(ours, reference, m, knownScale, [fh, fw]) {
  const [, oh, ow, c] = reference.shape;
  const dense = reference.data;
  const scale = knownScale ?? { y: fh / oh, x: fw / ow };
  const mine = new Float32Array(dense.length);
  const expected = new Float32Array(dense.length);
  let n = 0;
  for (let i = 0; i < oh; i++) {
    for (let j = 0; j < ow; j++) {
      const vy = (i + 0.5) * scale.y - 0.5;
      const vx = (j + 0.5) * scale.x - 0.5;
      const w = m[6] * vx + m[7] * vy + m[8];
      const fx = (m[0] * vx + m[1] * vy + m[2]) / w;
      const fy = (m[3] * vx + m[4] * vy + m[5]) / w;
      if (!(fx >= -0.5 && fy >= -0.5 && fx <= fw - 0.5 && fy <= fh - 0.5)) continue;
      const u = snap(Math.min(Math.max((fx + 0.5) / scale.x - 0.5, 0), ow - 1));
      const v = snap(Math.min(Math.max((fy + 0.5) / scale.y - 0.5, 0), oh - 1));
      const u0 = Math.floor(u);
      const v0 = Math.floor(v);
      const u1 = Math.min(u0 + 1, ow - 1);
      const v1 = Math.min(v0 + 1, oh - 1);
      const au = u - u0;
      const av = v - v0;
      const base = (i * ow + j) * c;
      for (let ch = 0; ch < c; ch++) {
        const d00 = dense[(v0 * ow + u0) * c + ch];
        const d01 = dense[(v0 * ow + u1) * c + ch];
        const d10 = dense[(v1 * ow + u0) * c + ch];
        const d11 = dense[(v1 * ow + u1) * c + ch];
        const top = au === 0 ? d00 : d00 + au * (d01 - d00);
        const bottom = au === 0 ? d10 : d10 + au * (d11 - d10);
        mine[n] = ours[base + ch];
        expected[n] = av === 0 ? top : top + av * (bottom - top);
        n++;
      }
    }
  }
  const a = mine.subarray(0, n);
  const b = expected.subarray(0, n);
  const e = tensorError(a, b);
  return { maxAbs: e.maxAbs, relL2: e.relL2, exact: e.exact, psnr: psnrWithPeak(a, b, rangeOf(dense)), compared: n, total: dense.length };
}
function psnrWithPeak(a, b, peak) {
  let se = 0;
  for (let k = 0; k < b.length; k++) {
    const d = a[k] - b[k];
    se += d * d;
  }
  if (Number.isNaN(se)) return Number.NEGATIVE_INFINITY;
  return se === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10(peak * peak / (se / b.length));
}
function rangeOf(data) {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < data.length; k++) {
    const v = data[k];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return hi > lo ? hi - lo : 1;
}
function snap(t) {
  const r = Math.round(t);
  return Math.abs(t - r) < 1e-6 ? r : t;
}

// ../../tmp/oldsrc/packages/graph-runtime/src/delta/calibrate-thresholds.ts
import { OptionError as OptionError6 } from "@motiondelta/core";

// ../../tmp/oldsrc/packages/graph-runtime/src/delta/argmax-agreement.ts
import { ShapeError as ShapeError30 } from "@motiondelta/core";
function argmaxAgreement(actual, reference) {
  const shape = reference.shape;
  if (shape.length !== 4 || actual.shape.join("x") !== shape.join("x")) {
    throw new ShapeError30(`argmax agreement compares two NHWC tensors of one shape; got [${actual.shape.join(",")}] and [${shape.join(",")}].`);
  }
  const [n, h, w, c] = shape;
  let agree = 0;
  for (let b = 0; b < n; b++) {
    const base = b * h * w * c;
    for (let ch = 0; ch < c; ch++) {
      if (argmaxAt(actual.data, base, ch, h * w, c) === argmaxAt(reference.data, base, ch, h * w, c)) agree++;
    }
  }
  return { agree, total: n * c };
}
function argmaxAt(data, base, channel, pixels, channels) {
  let best = 0;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let p = 0; p < pixels; p++) {
    const v = data[base + p * channels + channel];
    if (v > bestValue) {
      best = p;
      bestValue = v;
    }
  }
  return best;
}

// ../../tmp/oldsrc/packages/graph-runtime/src/delta/threshold-profile.ts
import { readFile as readFile2, writeFile } from "node:fs/promises";
import { OptionError as OptionError5 } from "@motiondelta/core";
function profileOptions(profile) {
  return { threshold: profile.threshold, inputThreshold: profile.inputThreshold, nodeThresholds: profile.nodeThresholds };
}
async function saveProfile(path, profile) {
  await writeFile(path, `${JSON.stringify(profile, null, 2)}
`);
}
async function loadProfile(path) {
  let json;
  try {
    json = JSON.parse(await readFile2(path, "utf8"));
  } catch (error) {
    throw new OptionError5(`Cannot read threshold profile '${path}': ${error.message}`);
  }
  const problem = profileProblem(json);
  if (problem) {
    throw new OptionError5(
      `'${path}' is not a threshold profile (${problem}): expected { version: 1, model, threshold, inputThreshold, nodeThresholds, target, achieved, frames } with thresholds >= 0.`
    );
  }
  return json;
}
var isThreshold = (v) => typeof v === "number" && Number.isFinite(v) && v >= 0;
var isRecord2 = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
function profileProblem(json) {
  if (!isRecord2(json)) return "not a JSON object";
  if (json["version"] !== 1) return `version ${JSON.stringify(json["version"])}, not 1`;
  if (typeof json["model"] !== "string") return "model is not a string";
  if (!isThreshold(json["threshold"])) return "threshold is not a number >= 0";
  if (!isThreshold(json["inputThreshold"])) return "inputThreshold is not a number >= 0";
  const nodes = json["nodeThresholds"];
  if (!isRecord2(nodes) || !Object.values(nodes).every(isThreshold)) return "nodeThresholds is not an object of numbers >= 0";
  const target = targetProblem(json["target"]);
  if (target) return target;
  const achieved = json["achieved"];
  if (!isRecord2(achieved) || typeof achieved["macsRatio"] !== "number" || typeof achieved["maxAbsError"] !== "number") {
    return "achieved is not { psnr, maxAbsError, macsRatio }";
  }
  if (!Number.isInteger(json["frames"])) return "frames is not an integer";
  return void 0;
}
function targetProblem(target) {
  if (!isRecord2(target)) return "target is not an object";
  if ("psnr" in target) return typeof target["psnr"] === "number" && target["psnr"] > 0 ? void 0 : "target psnr is not a number > 0";
  if ("maxAbsError" in target) return isThreshold(target["maxAbsError"]) ? void 0 : "target maxAbsError is not a number >= 0";
  if ("argmaxAgreement" in target) {
    const a = target["argmaxAgreement"];
    if (typeof a !== "number" || !(a >= 0 && a <= 1)) return "target argmaxAgreement is not a fraction in [0, 1]";
    return typeof target["output"] === "string" && target["output"] !== "" ? void 0 : "target argmaxAgreement has no output name";
  }
  return "target is none of { psnr }, { maxAbsError }, { argmaxAgreement, output }";
}

// ../../tmp/oldsrc/packages/graph-runtime/src/delta/calibrate-thresholds.ts
var LOW = 1e-4;
var HIGH = 0.5;
async function calibrateThresholds(model, frames, options) {
  if (frames.length < 2) throw new OptionError6(`Calibration needs at least 2 frames, got ${frames.length}.`);
  const target = options.target;
  const problem = targetProblem(target);
  if (problem) throw new OptionError6(`Calibration ${problem}; accepted: { psnr: > 0 }, { maxAbsError: >= 0 } or { argmaxAgreement: 0..1, output: name }.`);
  if ("argmaxAgreement" in target && !model.outputs.some((o) => o.name === target.output)) {
    throw new OptionError6(`Calibration target output '${target.output}' is not an output of the model; outputs: ${model.outputs.map((o) => o.name).join(", ")}.`);
  }
  const ratios = options.inputRatios ?? [1];
  if (ratios.length === 0 || !ratios.every((r) => Number.isFinite(r) && r > 0)) {
    throw new OptionError6(`inputRatios must be numbers > 0, got [${ratios.join(", ")}].`);
  }
  const steps = options.steps ?? 6;
  if (!Number.isInteger(steps) || steps < 0) throw new OptionError6(`steps must be an integer >= 0, got ${steps}.`);
  const backend = options.backend ? { backend: options.backend } : {};
  const dense = await model.createSession({ mode: "dense", ...backend });
  const references = [];
  try {
    for (const frame of frames) references.push(await dense.run(frame));
  } finally {
    dense.dispose();
  }
  const evaluate = async (threshold, inputThreshold) => {
    const tried = await tryThresholds(model, frames, references, target, { threshold, inputThreshold, ...backend });
    options.onTry?.(tried);
    return tried;
  };
  const range = Math.max(...Object.values(frames[0]).map((t) => valueRange(t.data)), 1e-6);
  let best;
  for (const ratio of ratios) {
    const found = await searchRatio(evaluate, ratio, LOW * range, HIGH * range, steps);
    if (found && (!best || found.macsRatio < best.macsRatio)) best = found;
  }
  best ??= await evaluate(0, 0);
  return {
    version: 1,
    model: model.graph.source.location,
    threshold: best.threshold,
    inputThreshold: best.inputThreshold,
    nodeThresholds: {},
    target,
    achieved: {
      psnr: best.psnr,
      maxAbsError: best.maxAbsError,
      macsRatio: best.macsRatio,
      ...best.argmaxAgreement !== null && { argmaxAgreement: best.argmaxAgreement }
    },
    frames: frames.length
  };
}
async function searchRatio(evaluate, ratio, low, high, steps) {
  const top = await evaluate(high, high * ratio);
  if (top.meets) return top;
  let lo = low;
  let hi = high;
  let best;
  for (let step = 0; step < steps; step++) {
    const mid = Math.sqrt(lo * hi);
    const tried = await evaluate(mid, mid * ratio);
    if (tried.meets) {
      best = tried;
      lo = mid;
    } else hi = mid;
  }
  if (best) return best;
  const bottom = await evaluate(low, low * ratio);
  return bottom.meets ? bottom : void 0;
}
async function tryThresholds(model, frames, references, target, sessionOptions) {
  const session = await model.createSession({ mode: "delta", ...sessionOptions });
  const outputs = model.outputs.map((o) => o.name);
  let worstPsnr = Number.POSITIVE_INFINITY;
  let maxAbs = 0;
  let agree = 0;
  let disagree = 0;
  const argmaxOutput = "argmaxAgreement" in target ? target.output : void 0;
  const argmaxTotal = argmaxOutput === void 0 ? 0 : argmaxPairs(references[0][argmaxOutput]) * (frames.length - 1);
  let run = 0;
  let missed = false;
  let macsRatio = 0;
  try {
    for (const [i, frame] of frames.entries()) {
      const actual = await session.run(frame);
      run++;
      if (i === 0) continue;
      for (const name of outputs) {
        const a = actual[name].data;
        const r = references[i][name].data;
        const error = tensorError(a, r);
        worstPsnr = Math.min(worstPsnr, error.psnr);
        maxAbs = Math.max(maxAbs, error.maxAbs);
      }
      if (argmaxOutput !== void 0) {
        const count = argmaxAgreement(actual[argmaxOutput], references[i][argmaxOutput]);
        agree += count.agree;
        disagree += count.total - count.agree;
      }
      missed = misses(target, worstPsnr, maxAbs, disagree, argmaxTotal);
      if (missed) break;
    }
    const later = session.stats().frames.slice(1);
    macsRatio = later.reduce((s, f) => s + f.macs, 0) / Math.max(later.reduce((s, f) => s + f.denseMacs, 0), 1);
  } finally {
    session.dispose();
  }
  return {
    threshold: sessionOptions.threshold,
    inputThreshold: sessionOptions.inputThreshold,
    psnr: Number.isFinite(worstPsnr) ? worstPsnr : null,
    maxAbsError: maxAbs,
    argmaxAgreement: argmaxOutput === void 0 ? null : agree / Math.max(agree + disagree, 1),
    macsRatio,
    meets: !missed,
    frames: run
  };
}
function misses(target, worstPsnr, maxAbs, disagree, argmaxTotal) {
  if ("psnr" in target) return !(worstPsnr >= target.psnr);
  if ("maxAbsError" in target) return !(maxAbs <= target.maxAbsError);
  return argmaxTotal - disagree < target.argmaxAgreement * argmaxTotal;
}
function argmaxPairs(tensor) {
  return (tensor.shape[0] ?? 1) * (tensor.shape[3] ?? 1);
}
function valueRange(data) {
  let min = Infinity;
  let max = -Infinity;
  for (const v of data) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return max - min;
}
export {
  DeltaSession,
  DenseSession,
  Model,
  MotionSession,
  ReferenceBackend,
  argmaxAgreement,
  calibrateThresholds,
  chooseBackend,
  compareMappedOutputs,
  importOnnx,
  importTfjs,
  loadModel,
  loadProfile,
  makeNode,
  outputToFrame,
  planGraph,
  profileOptions,
  registerBackend,
  registeredBackends,
  runGraphDense,
  saveProfile,
  simplifyGraph,
  tensorError
};
