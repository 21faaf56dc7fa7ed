// Representative AT&T operands for every operand kind of the instruction table: every register of a
// class, the addressing modes (no/8/32-bit displacement, each base including %esp/%ebp, index*scale,
// no base, segment overrides, 16-bit forms), immediates at the edges of each field size, and
// symbolic immediates/displacements naming undefined (external) symbols.
// The first sample of each list is the "base" used while another operand varies.
import type { OperandKind } from '../../../src/emu/isa/instructionForm';
import { NEXT_LABEL } from './gnuAsReference';

const GPR32 = ['%eax', '%ecx', '%edx', '%ebx', '%esp', '%ebp', '%esi', '%edi'];
const GPR16 = ['%ax', '%cx', '%dx', '%bx', '%sp', '%bp', '%si', '%di'];
const GPR8 = ['%al', '%cl', '%dl', '%bl', '%ah', '%ch', '%dh', '%bh'];
const SEGMENTS = ['%es', '%cs', '%ss', '%ds', '%fs', '%gs'];

/** Base first; then every ModRM/SIB/displacement shape and the segment overrides. */
export const MEMORY_SAMPLES: readonly string[] = [
  '(%ebx)', '(%eax)', '(%esp)', '(%ebp)', '0(%ecx)', '0(%ebp)', '4(%edx)', '-4(%ebx)', '0x7f(%esi)', '0x80(%edi)',
  '-0x80(%eax)', '-0x81(%ecx)', '0x12345678(%ebp)', '0xffffffff(%eax)', '(%eax,%ebx)', '(%esp,%ecx,2)', '8(%ebp,%esi,4)',
  '-1(%edi,%eax,8)', '0x1000(%esp,%ebp,1)', '(,%eax,4)', '0x10(,%ebp,2)', '0x1234', '0xfffffff0', 'ext_sym', 'ext_sym+8(%eax)',
  'ext_sym-4(,%ecx,4)', '%fs:(%eax)', '%ss:(%esp)', '%ss:(%eax)', '%ds:(%ebp)', '%ds:(%ecx)', '%es:0x10', '%gs:ext_sym',
  '%cs:4(%esp,%eax)', '(%bx,%si)', '0x10(%bp)', '0x1234(%bx,%di)', '(%bp)', '-2(%si)', '%es:(%bx)',
];

/** Constants at the edges of imm8/simm8/imm16/imm32, and symbolic values. */
export const IMMEDIATE_SAMPLES: readonly string[] = [
  '$0x12', '$0', '$1', '$127', '$128', '$-128', '$-129', '$255', '$256', '$0x7fff', '$0x8000', '$0xffff', '$-32768',
  '$0x10000', '$0x7fffffff', '$0x80000000', '$0xffffffff', '$-1', '$ext_imm', '$ext_imm+4', '$ext_imm-1',
];

export const BRANCH_SAMPLES: readonly string[] = ['ext_target', 'ext_target+0x10', NEXT_LABEL, '0x1000'];

const MOFFS_SAMPLES: readonly string[] = ['0x1234', 'ext_sym', 'ext_sym+4', '%fs:0x10', '%es:ext_sym', '%ds:0x20', '0xffffff00'];

function registersOfWidth(width: number): readonly string[] {
  return width === 8 ? GPR8 : width === 16 ? GPR16 : GPR32;
}

/** Samples for one kind at operand size `size` (the size v-kinds take). */
export function samplesFor(kind: OperandKind, size: 16 | 32): readonly string[] {
  const v = size;
  switch (kind) {
    case 'Eb': return [...GPR8, ...MEMORY_SAMPLES];
    case 'Ew': return [...GPR16, ...MEMORY_SAMPLES];
    case 'Ed': return [...GPR32, ...MEMORY_SAMPLES];
    case 'Ev': case 'MwRv': return [...registersOfWidth(v), ...MEMORY_SAMPLES];
    case 'Gb': case 'Zb': return GPR8;
    case 'Gw': return GPR16;
    case 'Gd': case 'Rd': case 'Zd': return GPR32;
    case 'Gv': case 'Zv': return registersOfWidth(v);
    case 'M': case 'Mb': case 'Mw': case 'Md': case 'Mq': case 'Mp': case 'Ms': case 'Ma': case 'Menv': case 'Mstate':
      return MEMORY_SAMPLES;
    case 'Sw': return SEGMENTS;
    case 'Cd': return ['%cr0', '%cr2', '%cr3', '%cr4', '%cr1', '%cr7'];
    case 'Dd': return ['%db0', '%db3', '%db6', '%db7', '%dr1', '%dr7'];
    case 'Td': return ['%tr6', '%tr3', '%tr7', '%tr0'];
    case 'Ib': case 'sIb': return IMMEDIATE_SAMPLES;
    // A base that does not fit a signed byte, so the other operands vary against the full-size form.
    case 'Iw': case 'Id': case 'Iv': return ['$0x1234', ...IMMEDIATE_SAMPLES];
    case 'Jb': case 'Jv': return BRANCH_SAMPLES;
    case 'Ob': case 'Ov': return MOFFS_SAMPLES;
    case 'AL': return ['%al'];
    case 'AX': return ['%ax'];
    case 'eAX': return [v === 16 ? '%ax' : '%eax'];
    case 'CL': return ['%cl'];
    case 'DX': return ['(%dx)', '%dx'];
    case 'ES': case 'CS': case 'SS': case 'DS': case 'FS': case 'GS': return [`%${kind.toLowerCase()}`];
    case '1': return ['$1'];
    case 'Xb': case 'Xv': return ['(%esi)', '%ds:(%esi)', '%fs:(%esi)', '(%si)', '%es:(%esi)'];
    case 'Yb': case 'Yv': return ['(%edi)', '%es:(%edi)', '(%di)', '%fs:(%edi)'];
    case 'Ap': return ['$0x10,$0x12345678', '$0x1234,$0x5678', '$ext_sel,$ext_target', '$0x10000,$0'];
    case 'ST0': case 'STi': return ['%st'];
  }
}
