/* k3: int $0x80 / iret round trips from ring 3 through the TSS stack switch. */
#include "kernel.h"

kernel_main:
	movl $0x80, %ecx
	movl $syscall_handler, %eax
	movl $0xee00, %edx
	call set_gate
	movl $0x81, %ecx
	movl $exit_handler, %eax
	movl $0xee00, %edx
	call set_gate
	xorl %ebx, %ebx
	/* iret to ring 3: SS, ESP, EFLAGS, CS, EIP. */
	pushl $DATA3
	pushl $ring3_stack_top
	pushl $0x2
	pushl $CODE3
	pushl $user_loop
	iret
user_loop:
	int $0x80
	decl %edi
	jnz user_loop
	int $0x81

syscall_handler:
	incl %ebx
	iret

exit_handler:
	movl $DATA0, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %ebx, %eax
	jmp finish

kernel_name:	.asciz "k3"

#include "tail.h"
