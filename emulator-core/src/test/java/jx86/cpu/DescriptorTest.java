package jx86.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DescriptorTest {
    @Test
    void flatCodeDescriptor_decodesBaseLimitAndRights() {
        // Canonical flat ring-0 code descriptor 00CF9A00_0000FFFF.
        long d = Descriptor.of(0x0000FFFF, 0x00CF9A00);
        assertThat(Descriptor.base(d)).isZero();
        assertThat(Descriptor.limit(d)).isEqualTo(0xFFFF_FFFF);
        assertThat(Descriptor.ar(d)).isEqualTo(0xC09A);
        assertThat(Descriptor.isCode(d)).isTrue();
        assertThat(Descriptor.readable(d)).isTrue();
        assertThat(Descriptor.conformingCode(d)).isFalse();
        assertThat(Descriptor.big(d)).isTrue();
        assertThat(Descriptor.dpl(d)).isZero();
        assertThat(Descriptor.present(d)).isTrue();
    }

    @Test
    void scatteredBase_isReassembled() {
        // base 0x12345678, limit 0x5BCDA byte-granular, data read/write DPL 3.
        long d = Descriptor.of(0x5678_BCDA, 0x1245_F234);
        assertThat(Descriptor.base(d)).isEqualTo(0x12345678);
        assertThat(Descriptor.limit(d)).isEqualTo(0x5BCDA);
        assertThat(Descriptor.dpl(d)).isEqualTo(3);
        assertThat(Descriptor.writableData(d)).isTrue();
    }

    @Test
    void callGate_exposesSelectorOffsetAndParams() {
        long g = Descriptor.of(0x0008_3456, 0x1234_EC05);
        assertThat(Descriptor.gateSelector(g)).isEqualTo(8);
        assertThat(Descriptor.gateOffset(g)).isEqualTo(0x1234_3456);
        assertThat(Descriptor.gateParamCount(g)).isEqualTo(5);
        assertThat(Descriptor.type(g)).isEqualTo(Descriptor.CALL_GATE32);
        assertThat(Descriptor.dpl(g)).isEqualTo(3);
        assertThat(Descriptor.isSystem(g)).isTrue();
    }

    @Test
    void sixteenBitGate_usesOnlyLowOffsetWord() {
        long g = Descriptor.of(0x0008_3456, 0x1234_8600);
        assertThat(Descriptor.gateOffset(g)).isEqualTo(0x3456);
        assertThat(Descriptor.gate32(g)).isFalse();
    }

    @Test
    void executeOnlyCode_isNotReadable_expandDownData_isDetected() {
        assertThat(Descriptor.arReadable(0x98)).isFalse();
        assertThat(Descriptor.arExpandDown(0x96)).isTrue();
        assertThat(Descriptor.arExpandDown(0x9E)).as("conforming code is not expand-down").isFalse();
    }
}
