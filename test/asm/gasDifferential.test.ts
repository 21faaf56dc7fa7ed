// Differential tests against `as --32` (GNU as 2.40): expression precedence and arithmetic, NOP
// padding for every length, and a corpus of small programs exercising directives, macros,
// relaxation and relocations, each of which must produce a byte-identical ELF object.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeElfObject } from '../../src/emu/asm/object/elfWriter';
import { nopPadding } from '../../src/emu/asm/layout/nopPadding';
import { gnuAsSkipReason } from '../helpers/tools';
import { readElfObject } from '../helpers/elfObjectReader';
import { assembleText, errorsOf, gnuAssemble, sectionBytes } from './asmTestSupport';

const asSkip = gnuAsSkipReason();
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function gnuSection(text: string, name = '.text'): string {
  const result = gnuAssemble(text);
  assert.ok(result.object, result.stderr);
  const section = readElfObject(result.object).sections.find((s) => s.name === name);
  return section ? hex(section.data) : '';
}

const EXPRESSIONS = [
  '~(1 << 12 - 1)', '1 + 2 * 3', '1 | 2 + 4', '1 + 2 == 3', '2 == 2 && 1', '3 < 4 || 0', '8 >> 1 + 1', '-7 / 2', '-7 % 2',
  '7 ! 1', '0x10 ^ 0x11 & 3', '1 - 2 - 3', '100 / 10 / 5', '(1 <> 2) + 0', '5 > 3 > 0', '1 == 1 == -1', '-1 >> 1', '1 << 63 >> 62',
  "'a", "'a + 1", '0b101', '017', '0x1F', '!0', '!5', '-(-3)', '+4', '~0', '3 && 2 || 0', '1 || 0 && 0', '1 > 2 + 3',
  '6 & 3 | 8', '1 << 2 * 3', '2 * 3 << 1', '10 - 4 >> 1', '5 != 5 + 0', '1 <= 1', '2 >= 3', '4 - 1 < 3', '0 || 0', '9 % 4 * 2',
  '0xffffffff + 1', '-2147483648 - 1', '(0x12345678 >> 4) & 0xfff', '1 ! 0', '~1 & 7 | 8 ^ 3', '12 / -5', '-12 % 5',
];

test('expression precedence and arithmetic: known values', () => {
  const module = assembleText(['~(1 << 12 - 1)', '1 + 2 * 3', '1 > 2 + 3', '-7 / 2', '5 > 3', '1 && 2'].map((e) => `.long ${e}\n`).join(''));
  assert.deepEqual(errorsOf(module), []);
  const words = sectionBytes(module).match(/.{8}/g)!.map((w) => Buffer.from(w, 'hex').readInt32LE(0));
  assert.deepEqual(words, [-4096, 7, 0, -3, -1, 1]);
});

test('expression precedence and arithmetic match as --32 (.long and .quad)', { skip: asSkip }, () => {
  const source = EXPRESSIONS.map((e) => `.long ${e}\n.quad ${e}\n`).join('');
  assert.equal(sectionBytes(assembleText(source)), gnuSection(source));
});

test('NOP padding: GAS 2.40 patterns for lengths 1..7, 4+1 for 5, a jump over long paddings', () => {
  const expected: Record<number, string> = {
    1: '90', 2: '6690', 3: '8d7600', 4: '8d742600', 5: '8d74260090', 6: '8db600000000', 7: '8db42600000000', 8: '8db4260000000090',
    20: '8db42600000000'.repeat(2) + '8db600000000', 21: 'eb13' + '8db42600000000'.repeat(2) + '8d74260090',
  };
  for (const [length, bytes] of Object.entries(expected)) assert.equal(hex(nopPadding(Number(length))), bytes, `length ${length}`);
  assert.equal(hex(nopPadding(130)).slice(0, 10), 'e97d000000');
});

test('.align padding in code for every length 1..31 and longer ones matches as --32', { skip: asSkip }, () => {
  const lengths = [...Array.from({ length: 31 }, (_, i) => i + 1), 32, 40, 100, 127, 128, 129, 130, 200, 255, 256, 1000];
  for (const length of lengths) {
    const source = `.text\nnop\n.align 2048\n.fill ${2048 - length},1,0xcc\n.align 2048,0x90\nnop\n.p2align 5\n.byte 1\n.balign 16,0x90,5\n`;
    assert.equal(sectionBytes(assembleText(source)), gnuSection(source), `padding of ${length}`);
  }
});

const CORPUS: Record<string, string> = {
  'no symbols': '.text\nnop\n.p2align 4,,2\n.data\n.byte 1\n.balign 8,0,1\n.section .foo,"a"\n.byte 1\n.align 16\n.section .baz\n.byte 0\n',
  relocations: `.text
loc1: nop
.globl g1
g1: nop
.section .other,"ax",@progbits
o1: nop
.data
d1: .long loc1, g1, o1, und1, d1+4, g1+8, und1-4
.long . , loc1 - . , und1 - ., g1 - .
.text
jmp loc1
jmp g1
jmp o1
jmp und1
call loc1
call g1
call o1
call und1
jmp 0x1000
call 0x1000
movl $loc1, %eax
movl $g1+3, %eax
pushl $o1
.weak w1
w1: nop
jmp w1
.long w1
.set abs1, 5
.equ abs2, abs1*3
xx = g1 + 2
.long xx
jmp xx
.section .other
.long loc1 - o1
`,
  relaxation: `.text
start:
1:  nop
    jmp 1b
    jmp 1f
    je 1f
    jne start
    .fill 200,1,0x90
1:  loop 1b
    jmp 2f
    .fill 100, 1, 0xcc
2:  jz 2b
    call 3f
3:  ret
    jmp far_away
    .fill 130,1,0
far_away:
    jcxz 4f
4:  leal 4(%esp,%eax,2), %eax
    movl $(4f - 1b), %ecx
4:
    .p2align 4
    jmp start
`,
  data: `.data
v1: .byte 1, 2, -1, 'a, 0x7f
v2: .word 0x1234, -2
v3: .long v1, v2 - v1, . - v1, 0
    .quad 0x123456789abcdef0, -1
s1: .ascii "hello\\n\\t\\\\\\"\\x41\\101"
    .asciz "a", "b"
    .string "str"
    .balign 8
    .fill 3, 2, 0x1234
    .fill 2, 8, 0x11223344
    .space 5, 0xaa
    .skip 3
    .zero 2
    .p2align 3
    .balignw 8, 0x1234
    .balignl 16, 0xdeadbeef
    .org 0x80, 0x55
    .byte 9
.section .rodata
r1: .long r1, v3+8
.section .mytext,"ax",@progbits
    pushl $v1
    ret
.bss
    .space 64
b1: .space 4
.text
    movl b1, %eax
    movl $b1+4, %ebx
`,
  macros: `.macro pushregs regs:vararg
.irp r, \\regs
  pushl %\\r
.endr
.endm
.macro fill_n n, v=0x90
  .rept \\n
  .byte \\v
  .endr
.endm
.text
pushregs eax ebx ecx
pushregs edx,esi
fill_n 3
fill_n 2, 0xcc
.irpc c, 0123
  .byte \\c + 0x30
.endr
cnt = 0
.rept 5
  cnt = cnt + 1
  .long cnt
.endr
.if cnt == 5
  .byte 0x55
.elseif cnt == 6
  .byte 0x66
.else
  .byte 0x77
.endif
.ifdef cnt
  .byte 1
.endif
.ifndef nothere
  .byte 2
.endif
.ifc abc, abc
  .byte 3
.endif
.ifnc abc, abd
  .byte 4
.endif
.ifb
  .byte 5
.endif
.ifnb x
  .byte 6
.endif
.ifeq cnt - 5
  .byte 7
.endif
.macro rec n
  .if \\n
    .byte \\n
    rec (\\n - 1)
  .endif
.endm
rec 4
.macro early a
  .byte \\a
  .exitm
  .byte 0xff
.endm
early 0x42
.macro m a b=7 c:vararg
.byte \\a, \\b
.ascii "\\c"
.endm
m 1
m 2 3 x y z
m 4, 5, p,q
m "6" 8
m b=9 a=10
.macro n x
.ascii "\\x\\()y"
.byte \\@
.endm
n q
n "r s"
.macro sp a
.byte \\a
.endm
sp 1 + 2
sp (1 + 2)
`,
  instructions: `.text
.globl gfun
.type gfun, @function
gfun:
  pushl %ebp
  movl %esp, %ebp
  rep movsl
  rep
  movsb
  lock xaddl %eax, (%ebx)
  movl %ss:4(%eax), %ecx
  movl %fs:(%eax,%ebx,4), %edx
  ljmp $0x10, $1f
1:
  lcall *(%eax)
  jmp *%edx
  call *4(%ebx)
  movl %cr0, %eax
  movw %ax, %ds
  int $0x80
  iret
  lgdt (%eax)
  movzwl (%eax), %edx
  xorw %ax, %ax
  andb $0xFD, 0x85(%edx)
  movl (LABEL_OFF+2)(%eax), %edx
  popl %ebp
  ret
.size gfun, .-gfun
LABEL_OFF = 0x100c
.local lsym
lsym = 0x1234
.weak wsym
.hidden hsym
.globl hsym
hsym:
  nop
.set dd, gfun + 3
  .long dd
`,
  sections: `.section .init.text, "ax", @progbits
.globl entry
.align 4,0x90
entry:
  movl $1, %eax
  movl $ext_data - 0xC0000000, %edx
  int $0x1F
  movl ext_data - 0xC0000000 + 1116, %esi
  addl $((0xC0000000 >> 22) * 4), %edi
  rep
  movsl
  movl $(ext_stack+8192),%esp
  jmp ext_init+0xC0000000
.text
.pushsection .foo, "a"
  .long 7
.popsection
  nop
.section .foo
  .long 8
.previous
  nop
.data
.previous
  nop
.file "named.c"
.section .note.test
  .long 1
`,
  symbols: `.globl gu
.weak wu
.hidden hu
.type tu,@function
.size su, 4
.long ref
x = und2 + 1
.long x
.if 0
.long inside
.endif
.long zz-zz
y = .Lfoo
.L1: .long .L1
.text
a: nop
x = a
.long x
x = 5
.long x
b: nop
x = b + 1
.long x
`,
};

for (const [name, source] of Object.entries(CORPUS)) {
  test(`corpus '${name}': byte-identical ELF object to as --32`, { skip: asSkip }, () => {
    const module = assembleText(source);
    assert.deepEqual(errorsOf(module), []);
    const reference = gnuAssemble(source);
    assert.ok(reference.object, reference.stderr);
    const ours = writeElfObject(module);
    const describe = (image: Uint8Array) => {
      const o = readElfObject(image);
      return { sections: o.sections.map((s) => [s.name, s.type, s.flags, s.size, s.alignment, s.type === 8 ? '' : hex(s.data)]), symbols: o.symbols, relocations: [...o.relocations] };
    };
    assert.deepEqual(describe(ours), describe(reference.object));
    assert.equal(hex(ours), hex(reference.object));
  });
}

/** A random program of jumps to a dozen labels among NOP fills and alignments (seeded). */
function randomRelaxationProgram(random: (n: number) => number): string {
  const lines = ['.text'];
  const defined = new Set<number>();
  for (let i = 0; i < 60; i++) {
    const r = random(10);
    if (r < 4) lines.push(`${['jmp', 'je', 'jne', 'jl'][random(4)]} L${random(12)}`);
    else if (r < 6) lines.push(`.fill ${random(90)}, 1, 0x90`);
    else if (r < 7) lines.push(`.p2align ${random(6)}${random(2) ? `,,${random(20)}` : ''}`);
    else if (r < 8) {
      const label = random(12);
      if (!defined.has(label)) lines.push(`L${label}:`);
      defined.add(label);
    } else lines.push('nop');
  }
  for (let label = 0; label < 12; label++) if (!defined.has(label)) lines.push(`L${label}:`);
  return `${lines.join('\n')}\n`;
}

test('relaxation of random jump/alignment programs matches as --32 byte for byte', { skip: asSkip }, () => {
  let seed = 20240607;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let round = 0; round < 40; round++) {
    const source = randomRelaxationProgram(random);
    const reference = gnuAssemble(source);
    assert.ok(reference.object, reference.stderr);
    assert.equal(hex(writeElfObject(assembleText(source))), hex(reference.object), source);
  }
});

test('random expressions over every operator (with GAS\'s blank-insensitive operator pairs) match as --32', { skip: asSkip }, () => {
  let seed = 777;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const operators = ['*', '/', '%', '<<', '>>', '|', '&', '^', '!', '+', '-', '==', '!=', '<>', '<', '<=', '>', '>=', '&&', '||', '! !', '< <'];
  const unary = ['-', '~', '!', '+', ''];
  const generate = (depth: number): string => {
    if (depth <= 0 || random(3) === 0) return `${unary[random(5)]}${random(5) === 0 ? `0x${random(0xffffff).toString(16)}` : random(70)}`;
    const op = operators[random(operators.length)]!;
    const right = op === '/' || op === '%' ? String(1 + random(9)) : op.includes('<') || op === '>>' ? String(random(40)) : generate(depth - 1);
    const expression = `${generate(depth - 1)} ${op} ${right}`;
    return random(3) === 0 ? `(${expression})` : expression;
  };
  const source = Array.from({ length: 300 }, () => `.quad ${generate(4)}\n`).join('');
  assert.equal(sectionBytes(assembleText(source)), gnuSection(source));
});
