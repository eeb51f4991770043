package jx86.mmu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CostModelTest {
    @Test
    void defaults_areTheDocumentedFigures() {
        CostModel c = CostModel.defaults();
        assertThat(c.walkAccessCycles).isEqualTo(25);
        assertThat(c.fullFlushCycles).isEqualTo(500);
        assertThat(c.cr3FlushCycles).isEqualTo(500);
        assertThat(c.invlpgCycles).isEqualTo(12);
        assertThat(c.segmentLoadCycles).isEqualTo(300);
    }

    @Test
    void negativeCost_isRejected() {
        assertThatThrownBy(() -> new CostModel(-1, 0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
