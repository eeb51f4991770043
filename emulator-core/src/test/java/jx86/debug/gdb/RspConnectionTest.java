package jx86.debug.gdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RspConnectionTest {
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();

    private RspConnection fed(String input) {
        return new RspConnection(new ByteArrayInputStream(input.getBytes(StandardCharsets.ISO_8859_1)), sent);
    }

    private String sent() {
        return sent.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void readPacket_returnsThePayloadAndAcknowledgesIt() throws IOException {
        // 'g' = 0x67; the leading '+' is GDB's ack of an earlier reply and is skipped
        RspConnection c = fed("+$g#67");
        assertThat(c.readPacket()).isEqualTo("g");
        assertThat(sent()).isEqualTo("+");
    }

    @Test
    void readPacket_naksABadChecksumAndReturnsTheRetransmission() throws IOException {
        RspConnection c = fed("$g#00$g#67");
        assertThat(c.readPacket()).isEqualTo("g");
        assertThat(sent()).isEqualTo("-+");
    }

    @Test
    void readPacket_acceptsUpperCaseChecksumDigits() throws IOException {
        // "m0,1": 0x6d + 0x30 + 0x2c + 0x31 = 0xfa
        assertThat(fed("$m0,1#FA").readPacket()).isEqualTo("m0,1");
    }

    @Test
    void readPacket_reportsAnInterruptByteBetweenPackets() throws IOException {
        RspConnection c = fed("\u0003$g#67");
        assertThat(c.readPacket()).isEqualTo(RspConnection.INTERRUPT);
        assertThat(c.readPacket()).isEqualTo("g");
    }

    @Test
    void noAckMode_neitherSendsNorWaitsForAcks() throws IOException {
        RspConnection c = fed("$g#67");
        c.setNoAck(true);
        assertThat(c.readPacket()).isEqualTo("g");
        c.sendPacket("OK");
        assertThat(sent()).isEqualTo("$OK#9a");
    }

    @Test
    void sendPacket_resendsAfterANak() throws IOException {
        RspConnection c = fed("-+");
        c.sendPacket("OK");
        assertThat(sent()).isEqualTo("$OK#9a$OK#9a");
    }

    @Test
    void sendPacket_remembersAnInterruptArrivingInsteadOfTheAck() throws IOException {
        RspConnection c = fed("\u0003+$g#67");
        c.sendPacket("OK");
        assertThat(c.readPacket()).isEqualTo(RspConnection.INTERRUPT);
        assertThat(c.readPacket()).isEqualTo("g");
    }

    @Test
    void pollInterrupt_consumesBufferedBytesAndReportsACtrlCOnce() throws IOException {
        RspConnection c = fed("x\u0003y");
        assertThat(c.pollInterrupt()).isTrue();
        assertThat(c.pollInterrupt()).isFalse();
        assertThat(fed("").pollInterrupt()).isFalse();
    }

    @Test
    void endOfStream_isAnEofException() {
        assertThatThrownBy(() -> fed("$g").readPacket()).isInstanceOf(EOFException.class);
    }
}
