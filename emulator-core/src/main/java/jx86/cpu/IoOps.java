package jx86.cpu;

/**
 * IN and OUT (SDM Vol. 1, 16.4 and Vol. 2 IN/OUT): the permission check (IOPL and the TSS I/O
 * bitmap) is {@link SystemInsns#checkIoPermission}; the port space is {@link jx86.bus.IoBus}.
 */
final class IoOps {
    private IoOps() {
    }

    static void in(Cpu c, int size, int port) {
        SystemInsns.checkIoPermission(c, port, size);
        Mem.setReg(c, size, Cpu.EAX, c.io.in(port, size));
    }

    static void out(Cpu c, int size, int port) {
        SystemInsns.checkIoPermission(c, port, size);
        c.io.out(port, size, Mem.getReg(c, size, Cpu.EAX));
    }
}
