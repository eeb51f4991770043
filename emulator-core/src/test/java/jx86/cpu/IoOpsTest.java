package jx86.cpu;

import static jx86.cpu.Cpu.EAX;
import static jx86.cpu.Cpu.EDX;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IoOpsTest {
    @Test
    void inOut_realMode_reachTheBus() {
        CpuTestSupport t = CpuTestSupport.real();
        int[] last = new int[1];
        t.io.register(0x80, 4, "t", jx86.bus.IoBus.W_ALL, new jx86.bus.IoDevice() {
            @Override
            public int ioRead(int port, int size) {
                return 0x1234_5678;
            }

            @Override
            public void ioWrite(int port, int size, int value) {
                last[0] = value;
            }
        });
        t.set(EAX, 0x99).set(EDX, 0x80).exec(0xE6, 0x80, 0x66, 0xED); // out 0x80, al; in eax, dx
        assertThat(last[0]).isEqualTo(0x99);
        assertThat(t.reg(EAX)).isEqualTo(0x1234_5678);
    }
}
