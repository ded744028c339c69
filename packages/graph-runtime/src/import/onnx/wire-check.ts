import { ScalarType, type DescField, type DescMessage } from '@bufbuild/protobuf';
import { ModelFormatError, ResourceLimitError } from '@motiondelta/core';
import { ModelProtoSchema } from 'onnx-buf';

/**
 * A pass over ONNX protobuf bytes before the decoder sees them, guided by onnx-buf's own schema.
 *
 * The decoder (protobuf-es) accepts almost anything: unknown fields are skipped (or kept, one
 * object each), a known field with the wrong wire type is misread, and every element of a packed
 * int64 list becomes a BigInt. So a 200 MB text file decodes for half a minute into gigabytes of
 * unknown-field records before failing, and a few bytes per element can ask for tens of bytes of
 * heap each. This pass reads only tags and lengths (payloads are skipped, never copied), so it
 * costs a fraction of a decode, and refuses before any allocation:
 * - wire types that do not match the schema, lengths past the end, groups, field number 0;
 * - a first field that is not a ModelProto field, more than a few unknown top-level fields, and
 *   unknown fields deeper down beyond a budget that grows with the known ones (newer ONNX
 *   versions add fields; garbage is mostly unknown);
 * - nesting deeper than {@link MAX_DEPTH};
 * - a model whose decoded form (messages, list elements, strings) is estimated above the limit.
 */

const enum Wire {
  Varint = 0,
  I64 = 1,
  Len = 2,
  StartGroup = 3,
  EndGroup = 4,
  I32 = 5,
}

/** Below protobuf-es's own recursion limit (100), so this pass reports first. Subgraphs use 3 levels each. */
export const MAX_DEPTH = 64;
/** Unknown fields directly in ModelProto: a newer ONNX adds one now and then, garbage adds many. */
const MAX_TOP_LEVEL_UNKNOWN = 16;
/** Unknown fields anywhere: this many, plus one per known field read so far. */
const UNKNOWN_ALLOWANCE = 1000;

/** Rough heap bytes of decoded values, for the size estimate (V8, 64-bit). */
const COST = { message: 160, number: 16, bigint: 48, bytes: 64, stringBase: 40 } as const;

interface FieldRule {
  readonly name: string;
  /** The wire type of one value (one element, for lists). */
  readonly wire: Wire;
  /** Repeated numeric fields may also come packed in one length-delimited record. */
  readonly packable: boolean;
  readonly message: DescMessage | undefined;
  readonly isString: boolean;
  /** Heap bytes of one decoded value (element, for lists); strings add their length. */
  readonly cost: number;
}

const rulesCache = new WeakMap<DescMessage, ReadonlyMap<number, FieldRule>>();

function rulesOf(desc: DescMessage): ReadonlyMap<number, FieldRule> {
  let rules = rulesCache.get(desc);
  if (rules === undefined) {
    rules = new Map(desc.fields.map((f) => [f.number, ruleOf(f)]));
    rulesCache.set(desc, rules);
  }
  return rules;
}

function ruleOf(field: DescField): FieldRule {
  const base = { name: field.name, packable: false, message: undefined, isString: false };
  switch (field.fieldKind) {
    case 'message':
      return { ...base, wire: Wire.Len, message: field.message, cost: COST.message };
    case 'map':
      return { ...base, wire: Wire.Len, cost: COST.message };
    case 'enum':
      return { ...base, wire: Wire.Varint, cost: COST.number };
    case 'scalar':
      return scalarRule(field.name, field.scalar, false);
    case 'list':
      if (field.listKind === 'message') return { ...base, wire: Wire.Len, message: field.message, cost: COST.message };
      if (field.listKind === 'enum') return { ...base, wire: Wire.Varint, packable: true, cost: COST.number };
      return scalarRule(field.name, field.scalar, true);
  }
}

function scalarRule(name: string, scalar: ScalarType, repeated: boolean): FieldRule {
  const base = { name, message: undefined };
  switch (scalar) {
    case ScalarType.STRING:
      return { ...base, wire: Wire.Len, packable: false, isString: true, cost: COST.stringBase };
    case ScalarType.BYTES:
      return { ...base, wire: Wire.Len, packable: false, isString: false, cost: COST.bytes };
    case ScalarType.DOUBLE:
      return { ...base, wire: Wire.I64, packable: repeated, isString: false, cost: COST.number };
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return { ...base, wire: Wire.I64, packable: repeated, isString: false, cost: COST.bigint };
    case ScalarType.FLOAT:
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
      return { ...base, wire: Wire.I32, packable: repeated, isString: false, cost: COST.number };
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
      return { ...base, wire: Wire.Varint, packable: repeated, isString: false, cost: COST.bigint };
    default:
      return { ...base, wire: Wire.Varint, packable: repeated, isString: false, cost: COST.number };
  }
}

const WIRE_NAMES = ['varint', 'fixed64', 'length-delimited', 'start-group', 'end-group', 'fixed32', 'wire type 6', 'wire type 7'];

/** Thrown inside the walk; turned into a ModelFormatError naming the file by the caller. */
class WireFault extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/** Thrown when a walk over the first part of a file needs bytes beyond it: nothing wrong so far. */
class OutOfPrefix extends Error {}

/**
 * A varint at `pos`: its value (exact up to 2^53, enough for lengths and tags) and the next
 * position. `available`: bytes of the file at hand (less than its size when only a prefix is).
 */
function readVarint(bytes: Uint8Array, pos: number, end: number, available = bytes.length): [value: number, next: number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) throw new WireFault(pos, 'a varint runs past the end of its message');
    if (pos >= available) throw new OutOfPrefix();
    const b = bytes[pos++]!;
    value += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) return [value, pos];
    scale *= 128;
  }
  throw new WireFault(pos, 'a varint is longer than 10 bytes');
}

class Walk {
  private cost = 0;
  private known = 0;
  private unknown = 0;

  constructor(
    /** The file, or its first part: then reading past it ends the walk with OutOfPrefix. */
    private readonly bytes: Uint8Array,
    private readonly maxDecodedBytes: number,
    private readonly location: string,
  ) {}

  private varint(pos: number, end: number): [value: number, next: number] {
    return readVarint(this.bytes, pos, end, this.bytes.length);
  }

  /** Walks one message body in [start, end); calls `onField` for each known top-level field. */
  message(desc: DescMessage, start: number, end: number, depth: number, onField?: (no: number, len: number) => void): void {
    if (depth > MAX_DEPTH) throw new WireFault(start, `messages are nested more than ${MAX_DEPTH} deep`);
    const rules = rulesOf(desc);
    let pos = start;
    let topUnknown = 0;
    while (pos < end) {
      const tagAt = pos;
      const [tag, afterTag] = this.varint(pos, end);
      pos = afterTag;
      const fieldNo = Math.floor(tag / 8);
      const wire = tag % 8;
      if (fieldNo === 0 || fieldNo > 536870911) throw new WireFault(tagAt, `field number ${fieldNo} is not a valid protobuf field number`);
      const rule = rules.get(fieldNo);
      if (rule === undefined) {
        if (depth === 0 && tagAt === start) {
          throw new WireFault(tagAt, `the first field (#${fieldNo}, ${WIRE_NAMES[wire]}) is not a field of ${desc.name}`);
        }
        if (depth === 0 && ++topUnknown > MAX_TOP_LEVEL_UNKNOWN) {
          throw new WireFault(tagAt, `more than ${MAX_TOP_LEVEL_UNKNOWN} unknown fields in ${desc.name}`);
        }
        if (++this.unknown > UNKNOWN_ALLOWANCE + this.known) {
          throw new WireFault(tagAt, `too many unknown fields (${this.unknown} against ${this.known} known ones)`);
        }
        pos = this.skip(wire, pos, end);
        continue;
      }
      this.known++;
      if (wire === rule.wire) {
        pos = this.value(rule, wire, pos, end, depth);
      } else if (rule.packable && wire === Wire.Len) {
        pos = this.packed(rule, pos, end);
      } else {
        throw new WireFault(tagAt, `field ${desc.name}.${rule.name} is encoded as ${WIRE_NAMES[wire]}, expected ${WIRE_NAMES[rule.wire]}`);
      }
      if (onField !== undefined) onField(fieldNo, pos - afterTag);
      if (this.cost > this.maxDecodedBytes) {
        throw new ResourceLimitError(
          `ONNX model '${this.location}' decoded`,
          this.cost,
          this.maxDecodedBytes,
          'its protobuf lists and messages would take that much memory once decoded; raise options.maxModelBytes (decoded data may take twice that) to load it.',
        );
      }
    }
  }

  private value(rule: FieldRule, wire: Wire, pos: number, end: number, depth: number): number {
    this.cost += rule.cost;
    if (wire !== Wire.Len) return this.skip(wire, pos, end);
    const [len, start] = this.length(pos, end);
    if (rule.message !== undefined) this.message(rule.message, start, start + len, depth + 1);
    else if (rule.isString) this.cost += 2 * len;
    return start + len;
  }

  /** A packed list: counts its elements for the estimate without decoding them. */
  private packed(rule: FieldRule, pos: number, end: number): number {
    const [len, start] = this.length(pos, end);
    const stop = start + len;
    let count: number;
    if (rule.wire === Wire.Varint) {
      count = 0;
      if (stop > this.bytes.length) throw new OutOfPrefix();
      for (let i = start; i < stop; i++) if ((this.bytes[i]! & 0x80) === 0) count++;
      if (len > 0 && (this.bytes[stop - 1]! & 0x80) !== 0) throw new WireFault(stop - 1, `packed field ${rule.name} ends inside a varint`);
    } else {
      const size = rule.wire === Wire.I64 ? 8 : 4;
      if (len % size !== 0) throw new WireFault(start, `packed field ${rule.name} is ${len} bytes long, not a multiple of ${size}`);
      count = len / size;
    }
    this.cost += count * rule.cost;
    return stop;
  }

  private length(pos: number, end: number): [len: number, start: number] {
    const [len, start] = this.varint(pos, end);
    if (len > end - start)
      throw new WireFault(pos, `a length of ${len} bytes runs past the end of its message (${end - start} bytes left)`);
    return [len, start];
  }

  private skip(wire: number, pos: number, end: number): number {
    switch (wire) {
      case Wire.Varint:
        return this.varint(pos, end)[1];
      case Wire.I64:
      case Wire.I32: {
        const next = pos + (wire === Wire.I64 ? 8 : 4);
        if (next > end) throw new WireFault(pos, 'a fixed-size value runs past the end of its message');
        return next;
      }
      case Wire.Len: {
        const [len, start] = this.length(pos, end);
        return start + len;
      }
      default:
        // ONNX has no groups; their (deprecated) encoding only ever shows up in garbage.
        throw new WireFault(pos, `${WIRE_NAMES[wire]} is not used by ONNX`);
    }
  }
}

/**
 * Checks ONNX bytes before decoding (see the module comment): the wire format must match the
 * ModelProto schema, a `graph` field must be present and non-empty, and the decoded form must fit
 * in `maxDecodedBytes`.
 *
 * Given only the first part of a file (`bytes.length < totalBytes`), it checks what that part
 * holds and stops quietly where it ends: a file that goes wrong early is refused before the rest
 * of it is read.
 *
 * @throws ModelFormatError naming `location` and the byte offset of the first fault
 * @throws ResourceLimitError when decoding would need more than `maxDecodedBytes`
 */
export function checkOnnxWire(bytes: Uint8Array, location: string, maxDecodedBytes: number, totalBytes = bytes.length): void {
  let graphBytes = -1;
  try {
    new Walk(bytes, maxDecodedBytes, location).message(ModelProtoSchema, 0, totalBytes, 0, (no, len) => {
      if (no === GRAPH_FIELD) graphBytes = Math.max(graphBytes, len);
    });
  } catch (error) {
    if (error instanceof OutOfPrefix) return;
    if (!(error instanceof WireFault)) throw error;
    throw new ModelFormatError(
      `${location}: not a readable ONNX model: ${error.message} (at byte ${error.offset} of ${totalBytes}); ` +
        'the file may be truncated, corrupt or not an ONNX file.',
    );
  }
  if (bytes.length < totalBytes) return;
  if (graphBytes <= 0) {
    throw new ModelFormatError(
      `${location}: not a usable ONNX model: it has ${graphBytes < 0 ? 'no' : 'an empty'} graph (ModelProto field 7); ` +
        'the file may be truncated or not an ONNX file.',
    );
  }
}

/** ModelProto.graph. */
const GRAPH_FIELD = 7;

/**
 * Whether the first bytes of a file can start an ONNX model: the first field must be a ModelProto
 * field with its schema's wire type, and a length-delimited one must fit in `totalBytes`. Reads at
 * most a dozen bytes, so a file that is neither JSON nor ONNX is refused before it is read whole.
 */
export function looksLikeOnnx(head: Uint8Array, totalBytes: number): boolean {
  try {
    const end = Math.min(head.length, 16);
    const [tag, pos] = readVarint(head, 0, end);
    const rule = rulesOf(ModelProtoSchema).get(Math.floor(tag / 8));
    if (rule === undefined || rule.wire !== tag % 8) return false;
    if (rule.wire === Wire.Len) return readVarint(head, pos, end)[0] <= totalBytes - pos;
    if (rule.wire === Wire.Varint) readVarint(head, pos, end);
    return true;
  } catch (error) {
    if (error instanceof WireFault) return false;
    throw error;
  }
}
