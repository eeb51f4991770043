package jx86.debug.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BreakpointsTest {
    private final Breakpoints b = new Breakpoints();

    @Test
    void newSet_isEmpty() {
        assertThat(b.isEmpty()).isTrue();
        assertThat(b.contains(0)).isFalse();
    }

    @Test
    void addedAddresses_areFoundAndOthersNot() {
        b.add(0x100010);
        b.add(0xC0100000);
        assertThat(b.contains(0x100010)).isTrue();
        assertThat(b.contains(0xC0100000)).isTrue();
        assertThat(b.contains(0x100011)).isFalse();
        assertThat(b.isEmpty()).isFalse();
    }

    @Test
    void addingTwice_keepsOne_soOneRemoveClearsIt() {
        b.add(0x1000);
        b.add(0x1000);
        assertThat(b.remove(0x1000)).isTrue();
        assertThat(b.contains(0x1000)).isFalse();
        assertThat(b.remove(0x1000)).isFalse();
        assertThat(b.isEmpty()).isTrue();
    }

    @Test
    void manyBreakpoints_growTheSet() {
        for (int i = 0; i < 100; i++) {
            b.add(0x2000 + i);
        }
        b.remove(0x2000 + 50);
        assertThat(b.contains(0x2000 + 99)).isTrue();
        assertThat(b.contains(0x2000 + 50)).isFalse();
        assertThat(b.contains(0x2000)).isTrue();
        b.clear();
        assertThat(b.isEmpty()).isTrue();
    }
}
