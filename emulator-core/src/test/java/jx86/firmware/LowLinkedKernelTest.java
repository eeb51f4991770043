package jx86.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Multiboot kernel linked at 32 KiB (0x8000-0x27FFF with its bss), as QEMU test kernels are: the
 * loader must put its GDT, information structure and stack elsewhere. The kernel checks EAX, that
 * EBX, the GDTR base and ESP lie outside its own range and that its bss is still zero, and writes
 * 0x30 to port 0xF4 when all hold (1-5 name the failed check).
 */
class LowLinkedKernelTest {
    /*
     * Assembled with GNU as from:
     *   cmpl $0x2BADB002,%eax; jne fail1
     *   cmpl $0x8000,%ebx; jb 1f; cmpl $0x28000,%ebx; jb fail2
     * 1: sgdt 0x8200; movl 0x8202,%eax; cmpl $0x8000,%eax; jb 2f; cmpl $0x28000,%eax; jb fail3
     * 2: cmpl $0x8000,%esp; jb 3f; cmpl $0x28000,%esp; jbe fail4
     * 3: movl $0x8300,%esi
     * 4: cmpl $0,(%esi); jne fail5; addl $4,%esi; cmpl $0x28000,%esi; jb 4b
     *    movb $0x30,%al; jmp out
     * failN: movb $N,%al; jmp out ...   out: outb %al,$0xf4; hlt
     */
    static final byte[] CODE = HexFormat.of().parseHex(
            "3d02b0ad2b755381fb00800000720881fb0080020072470f010500820000a1028200003d0080000072073d00800200"
            + "723181fc00800000720881fc008002007625be00830000833e00751f83c60481fe0080020072f0b030eb12b001eb"
            + "0eb002eb0ab003eb06b004eb02b005e6f4f4");

    @TempDir
    Path dir;

    private RunResult boot(boolean qemuExit, String append) throws Exception {
        Path kernel = dir.resolve("low.elf");
        Files.write(kernel, FirmwareTestSupport.elf(0x8000, CODE, 0x20000 - CODE.length));
        return PcMachine.run(MachineConfig.builder().kernel(kernel).append(append).qemuDebugExit(qemuExit)
                .maxInstructions(1_000_000).build());
    }

    @Test
    void kernelLinkedAt0x8000_loadsAndFindsTheLoaderDataOutsideItself() throws Exception {
        RunResult r = boot(false, "a command line long enough to matter ".repeat(20));
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isEqualTo(0x30);
        assertThat(r.exitStatus()).isEqualTo(0x30);
    }

    @Test
    void qemuDebugExitMode_exitsWithValueShiftedLeftOr1() throws Exception {
        RunResult r = boot(true, "");
        assertThat(r.exitPortValue()).isEqualTo(0x30);
        assertThat(r.exitStatus()).isEqualTo(0x61);
        assertThat(r.report()).contains("guest exited with value 48");
    }
}
