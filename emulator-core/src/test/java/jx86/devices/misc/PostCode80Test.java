package jx86.devices.misc;

import static org.assertj.core.api.Assertions.assertThat;

import jx86.bus.IoBus;
import org.junit.jupiter.api.Test;

class PostCode80Test {
    @Test
    void write_isRememberedAndReadBack() {
        IoBus bus = new IoBus();
        PostCode80 post = new PostCode80();
        post.attach(bus);
        bus.out(0x80, 1, 0x55);
        bus.out(0x80, 1, 0xA3);
        assertThat(post.last()).isEqualTo(0xA3);
        assertThat(bus.in(0x80, 1)).isEqualTo(0xA3);
    }
}
