/* k2: ring-0 int $0x80 / iret round trips; the count comes from the command line. */
#include "kernel.h"

kernel_main:
	movl $0x80, %ecx
	movl $syscall_handler, %eax
	movl $0x8e00, %edx
	call set_gate
	xorl %ebx, %ebx
loop_k2:
	int $0x80
	decl %edi
	jnz loop_k2
	movl %ebx, %eax
	jmp finish

syscall_handler:
	incl %ebx
	iret

kernel_name:	.asciz "k2"

#include "tail.h"
