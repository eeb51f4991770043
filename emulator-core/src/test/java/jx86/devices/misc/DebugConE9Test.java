package jx86.devices.misc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import jx86.bus.IoBus;
import org.junit.jupiter.api.Test;

class DebugConE9Test {
    @Test
    void bytesWritten_reachSinkAndBuffer() {
        IoBus bus = new IoBus();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        DebugConE9 con = new DebugConE9(sink::write);
        con.attach(bus);
        for (char c : "ok\n".toCharArray()) {
            bus.out(0xE9, 1, c);
        }
        assertThat(con.output()).isEqualTo("ok\n");
        assertThat(sink.toByteArray()).containsExactly('o', 'k', '\n');
    }

    @Test
    void read_returnsE9ForDetection() {
        IoBus bus = new IoBus();
        new DebugConE9().attach(bus);
        assertThat(bus.in(0xE9, 1)).isEqualTo(0xE9);
    }

    @Test
    void buffer_isBounded() {
        IoBus bus = new IoBus();
        DebugConE9 con = new DebugConE9();
        con.attach(bus);
        for (int i = 0; i < DebugConE9.BUFFER_LIMIT + 10; i++) {
            bus.out(0xE9, 1, 'x');
        }
        bus.out(0xE9, 1, '!');
        assertThat(con.output().length()).isLessThanOrEqualTo(DebugConE9.BUFFER_LIMIT);
        assertThat(con.output()).endsWith("x!");
    }
}
