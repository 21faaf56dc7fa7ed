// A tiny C struct layout calculator for the i386 ABI: fields in order, natural alignment (or packed),
// nested structs and arrays. Owns: offsetof/sizeof arithmetic. Must not know: any particular struct
// (see lguestStructs.ts). Models the System V i386 psABI rules gcc -m32 applies.

export interface CType {
  readonly name: string;
  readonly size: number;
  readonly align: number;
}

export interface StructField {
  readonly name: string;
  readonly type: CType;
  readonly offset: number;
}

export interface StructType extends CType {
  readonly fields: readonly StructField[];
  /** Field by name, or by dotted path into nested structs and arrays (`state.guest_tss.esp1`, `idt.3`). */
  offsetOf(path: string): number;
  field(name: string): StructField;
}

export const u8: CType = { name: 'u8', size: 1, align: 1 };
export const u16: CType = { name: 'u16', size: 2, align: 2 };
export const u32: CType = { name: 'u32', size: 4, align: 4 };
export const u64: CType = { name: 'u64', size: 8, align: 4 }; // long long is 4-aligned in i386 structs

export interface ArrayType extends CType {
  readonly element: CType;
  readonly length: number;
}

export function arrayOf(element: CType, length: number): ArrayType {
  return { name: `${element.name}[${length}]`, size: element.size * length, align: element.align, element, length };
}

export interface StructOptions {
  /** __attribute__((packed)): no padding, alignment 1. */
  readonly packed?: boolean;
  /** __attribute__((aligned(n))). */
  readonly aligned?: number;
}

export function defineStruct(name: string, members: ReadonlyArray<readonly [string, CType]>, options: StructOptions = {}): StructType {
  let offset = 0;
  let align = 1;
  const fields: StructField[] = [];
  for (const [fieldName, type] of members) {
    const fieldAlign = options.packed ? 1 : type.align;
    offset = roundUp(offset, fieldAlign);
    fields.push({ name: fieldName, type, offset });
    offset += type.size;
    align = Math.max(align, fieldAlign);
  }
  if (options.aligned) align = Math.max(align, options.aligned);
  const size = roundUp(offset, align);
  const byName = new Map(fields.map((f) => [f.name, f]));
  const struct: StructType = {
    name,
    size,
    align,
    fields,
    field(fieldName: string): StructField {
      const found = byName.get(fieldName);
      if (!found) throw new Error(`struct ${name} has no field ${fieldName}`);
      return found;
    },
    offsetOf(path: string): number {
      return offsetAlong(struct, path.split('.'));
    },
  };
  return struct;
}

function offsetAlong(type: CType, path: readonly string[]): number {
  let total = 0;
  let current: CType = type;
  for (const step of path) {
    if (isStruct(current)) {
      const field = current.field(step);
      total += field.offset;
      current = field.type;
    } else if (isArray(current) && /^\d+$/.test(step)) {
      const index = Number(step);
      if (index >= current.length) throw new Error(`index ${index} beyond ${current.name}`);
      total += index * current.element.size;
      current = current.element;
    } else throw new Error(`cannot take '${step}' of ${current.name}`);
  }
  return total;
}

function isStruct(type: CType): type is StructType {
  return 'fields' in type;
}

function isArray(type: CType): type is ArrayType {
  return 'element' in type;
}

function roundUp(value: number, align: number): number {
  return Math.ceil(value / align) * align;
}
