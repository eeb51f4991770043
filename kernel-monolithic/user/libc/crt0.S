/* crt0.S: user program entry: the kernel leaves argc, argv[], 0, envp[], 0, auxv at ESP; call main, then exit. */
        .text
        .globl _start
_start:
        xorl    %ebp, %ebp                 /* outermost frame for debuggers */
        movl    (%esp), %eax               /* argc */
        leal    4(%esp), %ebx              /* argv */
        leal    8(%esp,%eax,4), %ecx       /* envp = argv + argc + 1 */
        movl    %ecx, environ
        andl    $-16, %esp                 /* the i386 ABI wants ESP 16-aligned at each call */
        subl    $4, %esp
        pushl   %ecx
        pushl   %ebx
        pushl   %eax
        call    main
        movl    %eax, (%esp)
        call    exit
1:      hlt                                /* not reached; a privileged instruction if it were */
        jmp     1b

/* Where a signal handler returns to (sa_restorer): back into the kernel to restore the
 * interrupted context. ESP points at the frame's 'sig' field here, as rt_sigreturn expects. */
        .globl __restore_rt
__restore_rt:
        movl    $173, %eax                 /* __NR_rt_sigreturn */
        int     $0x80

/* The restorer of a handler without SA_SIGINFO: Linux gave it the old struct sigframe, so
 * pop the signal number and call sigreturn (119). */
        .globl __restore
__restore:
        popl    %eax
        movl    $119, %eax                 /* __NR_sigreturn */
        int     $0x80

        .section .note.GNU-stack, "", @progbits
