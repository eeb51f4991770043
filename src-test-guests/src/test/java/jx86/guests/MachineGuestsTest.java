package jx86.guests;

import static jx86.guests.GuestHarness.assertAllOk;
import static jx86.guests.GuestHarness.guest;
import static jx86.guests.GuestHarness.info;
import static jx86.guests.GuestHarness.lines;
import static jx86.guests.GuestHarness.runKernel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Boots the guests of src-test-guests/machine: firmware disk services, ATA, PIT, UART, multiboot, LAPIC. */
class MachineGuestsTest {

    @Test
    void hello_defaultGuestGreetsAndExitsWithZero() {
        RunResult r = runKernel("hello.elf");
        assertThat(lines(r)).startsWith("Hello from jx86!");
        assertThat(lines(r)).contains("ok multiboot magic");
        assertThat(r.exitPortValue()).isZero();
    }

    @Test
    void bootsectorInt13_loadsStagesWithChsAndLbaReads(@TempDir Path dir) throws Exception {
        Path disk = GuestHarness.diskCopy("machine/bootsector-int13.img", dir);
        RunResult r = GuestHarness.run(b -> b.disk(disk));
        assertAllOk(r, "int13-ah41-extensions", "int13-ah02-chs-read", "int13-ah42-lba-read", "stage2-running",
                "stage3-running", "int13-ah42-second-sector");
    }

    /** The pattern ata-pio.c expects: byte j of sector lba is j + 3 * lba. */
    private static byte[] patternImage(int size) {
        byte[] d = new byte[size];
        for (int i = 0; i < size; i++) {
            d[i] = (byte) ((i & 511) + 3 * (i >> 9));
        }
        return d;
    }

    @Test
    void ataPio_readsThePatternAndWritesASectorIntoTheImage(@TempDir Path dir) throws Exception {
        byte[] image = patternImage(64 * 1024);
        Path disk = dir.resolve("ata.img");
        Files.write(disk, image);
        RunResult r = GuestHarness.run(b -> b.kernel(guest("machine/ata-pio.elf")).disk(disk).snapshot(false));

        assertAllOk(r, "identify-drq", "identify-ata-device", "identify-lba-supported", "read-drq-per-sector",
                "read-pattern-first-mismatch", "status-after-read", "write-drq", "write-status", "flush-status",
                "write-readback-first-mismatch");
        assertThat(info(r, "lba28-sectors")).isEqualTo("128");
        int fnv = 0x811C9DC5;
        for (int i = 0; i < 8 * 512; i++) {
            fnv = (fnv ^ (image[i] & 0xFF)) * 16777619;
        }
        assertThat(info(r, "read-fnv1a")).isEqualTo(String.format("0x%08x", fnv));
        byte[] after = Files.readAllBytes(disk);
        for (int j = 0; j < 512; j++) {
            assertThat(after[20 * 512 + j] & 0xFF).as("sector 20 byte %d", j).isEqualTo((0xA5 ^ j ^ (j >> 8)) & 0xFF);
        }
        assertThat(after[19 * 512 + 7]).as("sector 19 untouched").isEqualTo(image[19 * 512 + 7]);
    }

    @Test
    void pitRate_tenTicksAt100HzTakeTenMillionCyclesOfTheVirtualClock() {
        RunResult r = runKernel("machine/pit-rate.elf");
        assertAllOk(r, "pit-counter-in-range", "tsc-advances", "ticks-counted", "rtc-seconds-valid");
        // 100 MHz virtual clock, PIT divisor 11932 at 1.193182 MHz: 1,000,008 cycles per tick.
        long perTick = Long.parseLong(info(r, "tsc-per-tick"));
        assertThat((double) perTick).isCloseTo(1_000_008.0, within(20_000.0));
    }

    @Test
    void uartEcho_echoesInputUppercaseFromTheRxInterrupt() {
        RunResult r = GuestHarness.run(b -> b.kernel(guest("machine/uart-echo.elf")).serialInput("hello jx86\n"));
        assertAllOk(r, "ier-readback", "echo");
        assertThat(lines(r)).contains("HELLO JX86");
        assertThat(info(r, "bytes")).isEqualTo("11");
    }

    /** Issue #22: fw_cfg, an OUT2-clear COM2 console set up as xv6 does with a line typed ahead, 8042 keys. */
    @Test
    void qemuCompat_fwCfgOut2ClearConsoleAndKeyboard() {
        RunResult r = GuestHarness.run(b -> b.kernel(guest("machine/qemu-compat.elf")).memoryMiB(64)
                .append("fw=cfg quiet").serial2("buffer").serial2Input("ls\n").keyboardInput("Hi jx86\n"));
        assertAllOk(r, "kbc-self-test", "fwcfg-signature", "fwcfg-cpus", "fwcfg-ram-low", "fwcfg-ram-high",
                "fwcfg-cmdline", "fwcfg-e820-listed", "fwcfg-e820-first-base", "fwcfg-e820-first-ram",
                "com2-out2-clear-line", "com2-irqs", "kbd-line");
    }

    @Test
    void multibootInfo_reportsCommandLineMemoryMapAndModules(@TempDir Path dir) throws Exception {
        Path mod1 = dir.resolve("mod1.bin");
        Path mod2 = dir.resolve("mod2.bin");
        Files.write(mod1, "ABCDEFGHIJ".getBytes(StandardCharsets.US_ASCII));
        Files.write(mod2, new byte[] {1, 2, 3});
        RunResult r = GuestHarness.run(b -> b.kernel(guest("machine/multiboot-info.elf"))
                .append("hello world x=1").module(mod1).module(mod2).memoryMiB(128));

        assertAllOk(r, "multiboot-magic", "flag-mem", "flag-cmdline", "flag-mmap", "mem-lower-plausible",
                "mmap-ram-covers-mem-upper", "module-page-aligned");
        assertThat(info(r, "cmdline")).endsWith("hello world x=1");
        assertThat(info(r, "modules")).isEqualTo("2");
        // 128 MiB minus the first MiB, give or take firmware-reserved memory at the top
        assertThat(Long.parseLong(info(r, "mem-upper-kib"))).isBetween(126L * 1024, 127L * 1024);
        assertThat(lines(r)).anyMatch(l -> l.startsWith("module name=") && l.contains("mod1.bin")
                && l.endsWith(" size=10 first=4142434445464748"));
        assertThat(lines(r)).anyMatch(l -> l.startsWith("module name=") && l.contains("mod2.bin")
                && l.endsWith(" size=3 first=010203"));
        // conventional memory: RAM from 0 up to the EBDA (or 640 KiB without one)
        assertThat(lines(r)).anyMatch(l -> l.startsWith("mmap base=0x00000000 length=0x0009")
                && l.endsWith(" type=0x00000001"));
    }

    @Test
    void apicTimer_findsTheMpTableAndCountsPeriodicTimerInterrupts() {
        RunResult r = runKernel("machine/apic-timer.elf");
        assertAllOk(r, "mp-floating-pointer-found", "mp-config-table-signature", "mp-config-table-checksum",
                "mp-lapic-address", "mp-ioapic-address", "apic-base-msr-address", "apic-base-msr-enabled",
                "lapic-version-integrated", "lapic-max-lvt", "timer-current-count-in-range", "timer-interrupts");
        assertThat(info(r, "ioapic")).isEqualTo("0xfec00000");
    }

    @Test
    void apicNmi_selfNmiThroughTheIcrReachesTheCpu_otherIpisChangeNothing() {
        assertAllOk(runKernel("machine/apic-nmi.elf"), "nmi-ipi-to-own-id", "nmi-ipi-self-shorthand",
                "nmi-ipi-to-other-id-dropped", "ipis-to-others-change-nothing", "no-apic-error");
    }

    /**
     * FERR# to IRQ 13 with CR0.NE = 0 (held while IF = 0, port F0h deasserts it so that a second
     * error is a new edge) and #MF with CR0.NE = 1. Not on QEMU: qemu-system-i386 7.2 aborts on
     * the FERR# interrupt ("tcg_handle_interrupt: assertion failed").
     */
    @Test
    void fpuFerr_ne0RaisesIrq13UntilPortF0_ne1IsMf() {
        assertAllOk(runKernel("machine/fpu-ferr.elf"), "error-pending-es-set", "ne0-fwait-completes-without-mf",
                "ne0-irq13-held-while-if-clear", "ne0-ferr-raises-irq13", "handler-cleared-es",
                "no-second-irq-without-a-new-error", "ne0-second-error-raises-irq13-again", "ne1-error-is-mf-at-fwait",
                "ne1-no-irq13");
    }
}
