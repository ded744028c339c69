import { ProgramError, type Lifetime, type Shape, type ValueDecl, type ValueId, type ValueKind } from '@motiondelta/core';

/**
 * The values of a program being lowered, by name: each name is declared once and keeps its id,
 * so the lowering can refer to a graph value, its delta and its pieces of state by name and get
 * the same id every time.
 */
export class ValueTable {
  readonly #decls: ValueDecl[] = [];
  readonly #ids = new Map<string, ValueId>();

  /** The id of `name`, declaring it on first use; a second declaration must agree with the first. */
  declare(name: string, kind: ValueKind, shape: Shape, lifetime: Lifetime): ValueId {
    const known = this.#ids.get(name);
    if (known !== undefined) {
      const d = this.#decls[known]!;
      if (d.kind !== kind || d.lifetime !== lifetime || d.shape.join(',') !== shape.join(',')) {
        throw new ProgramError(
          `value '${name}' declared as a ${d.lifetime} ${d.kind} [${d.shape.join(',')}] and as a ${lifetime} ${kind} [${shape.join(',')}].`,
        );
      }
      return known;
    }
    const id = this.#decls.length;
    this.#decls.push({ name, kind, shape: [...shape], lifetime });
    this.#ids.set(name, id);
    return id;
  }

  /** The id of an already declared value. */
  id(name: string): ValueId {
    const id = this.#ids.get(name);
    if (id === undefined) throw new ProgramError(`value '${name}' is used before it is declared.`);
    return id;
  }

  has(name: string): boolean {
    return this.#ids.has(name);
  }

  get values(): readonly ValueDecl[] {
    return this.#decls;
  }
}
