package jx86.devices.apic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import jx86.memory.PhysicalMemory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MpTableTest {
    private static final int FP = 0xF5000;
    private static final int TABLE = 0xF5010;
    private final PhysicalMemory memory = new PhysicalMemory(2 << 20);
    private int length;

    @BeforeEach
    void setUp() {
        length = new MpTable().writeTo(memory, FP, TABLE);
    }

    private String ascii(int at, int n) {
        return new String(memory.dump(at, n), StandardCharsets.US_ASCII);
    }

    private int sum(int at, int n) {
        int s = 0;
        for (byte b : memory.dump(at, n)) {
            s += b & 0xFF;
        }
        return s & 0xFF;
    }

    @Test
    void floatingPointer_fields() {
        assertThat(ascii(FP, 4)).isEqualTo("_MP_");
        assertThat(memory.read32(FP + 4)).isEqualTo(TABLE);
        assertThat(memory.read8(FP + 8)).isEqualTo(1);
        assertThat(memory.read8(FP + 9)).isEqualTo(4);
        assertThat(memory.read8(FP + 11)).isZero();
        assertThat(memory.read8(FP + 12)).isEqualTo(0x80);
        assertThat(sum(FP, 16)).isZero();
    }

    @Test
    void header_fieldsAndChecksum() {
        // 44 header + 20 processor + 8 bus + 8 I/O APIC + 15 * 8 I/O interrupts + 2 * 8 local
        assertThat(length).isEqualTo(44 + 20 + 8 + 8 + 120 + 16);
        assertThat(ascii(TABLE, 4)).isEqualTo("PCMP");
        assertThat(memory.read16(TABLE + 4)).isEqualTo(length);
        assertThat(memory.read8(TABLE + 6)).isEqualTo(4);
        assertThat(ascii(TABLE + 8, 8)).isEqualTo("JX86    ");
        assertThat(ascii(TABLE + 16, 12)).isEqualTo("JX86 PC     ");
        assertThat(memory.read16(TABLE + 34)).isEqualTo(20);
        assertThat(memory.read32(TABLE + 36)).isEqualTo(0xFEE0_0000);
        assertThat(sum(TABLE, length)).isZero();
    }

    @Test
    void processorBusAndIoApicEntries() {
        int p = TABLE + 44;
        assertThat(memory.read8(p)).isZero();
        assertThat(memory.read8(p + 1)).isZero();
        assertThat(memory.read8(p + 2)).isEqualTo(0x14);
        assertThat(memory.read8(p + 3)).isEqualTo(0x03);
        assertThat(memory.read32(p + 4)).isEqualTo(0x663);
        p += 20;
        assertThat(memory.read8(p)).isEqualTo(1);
        assertThat(ascii(p + 2, 6)).isEqualTo("ISA   ");
        p += 8;
        assertThat(memory.read8(p)).isEqualTo(2);
        assertThat(memory.read8(p + 1)).isEqualTo(1);
        assertThat(memory.read8(p + 2)).isEqualTo(0x11);
        assertThat(memory.read8(p + 3)).isEqualTo(1);
        assertThat(memory.read32(p + 4)).isEqualTo(0xFEC0_0000);
    }

    @Test
    void ioInterruptEntries_irq0OnPin2_noIrq2_othersIdentity() {
        int p = TABLE + 44 + 20 + 8 + 8;
        int[] expectedIrqs = {0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
        for (int irq : expectedIrqs) {
            assertThat(memory.read8(p)).isEqualTo(3);
            assertThat(memory.read8(p + 1)).isZero(); // INT
            assertThat(memory.read16(p + 2)).isZero();
            assertThat(memory.read8(p + 4)).isZero();
            assertThat(memory.read8(p + 5)).isEqualTo(irq);
            assertThat(memory.read8(p + 6)).isEqualTo(1);
            assertThat(memory.read8(p + 7)).isEqualTo(irq == 0 ? 2 : irq);
            p += 8;
        }
        // Local interrupts: ExtINT to LINT0, NMI to LINT1, all local APICs.
        assertThat(new int[] {memory.read8(p), memory.read8(p + 1), memory.read8(p + 6), memory.read8(p + 7)})
                .containsExactly(4, 3, 0xFF, 0);
        p += 8;
        assertThat(new int[] {memory.read8(p), memory.read8(p + 1), memory.read8(p + 6), memory.read8(p + 7)})
                .containsExactly(4, 1, 0xFF, 1);
    }

    @Test
    void misalignedFloatingPointer_isRejected() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MpTable().writeTo(memory, 0xF5008, TABLE))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
