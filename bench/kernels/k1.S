/* k1: a six-instruction ALU + memory loop with paging on; the iteration count comes from the command line. */
#include "kernel.h"

kernel_main:
	movl $0x12345678, %eax
	movl $1, %ebx
	xorl %ecx, %ecx
	xorl %edx, %edx
	movl $k1_cell, %esi
loop_k1:
	addl %ebx, %eax
	xorl %eax, %edx
	movl %edx, (%esi)
	addl (%esi), %ecx
	decl %edi
	jnz loop_k1
	movl %ecx, %eax
	jmp finish

kernel_name:	.asciz "k1"

#include "tail.h"
