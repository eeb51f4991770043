package jx86.mmu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TlbGeometryTest {
    @Test
    void p6Defaults_haveDocumentedSets() {
        assertThat(TlbGeometry.P6_ITLB.sets4k()).isEqualTo(8);
        assertThat(TlbGeometry.P6_ITLB.sets4m()).isEqualTo(1);
        assertThat(TlbGeometry.P6_DTLB.sets4k()).isEqualTo(16);
        assertThat(TlbGeometry.P6_DTLB.sets4m()).isEqualTo(2);
    }

    @Test
    void nonPowerOfTwoSets_orTooManyEntries_areRejected() {
        assertThatThrownBy(() -> new TlbGeometry(24, 4, 2, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TlbGeometry(30, 4, 2, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TlbGeometry(256, 4, 2, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TlbGeometry(8, 4, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
