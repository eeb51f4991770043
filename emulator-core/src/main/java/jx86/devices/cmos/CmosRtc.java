package jx86.devices.cmos;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import jx86.bus.IoBus;
import jx86.bus.IoDevice;
import jx86.bus.IrqLine;
import jx86.clock.VirtualClock;
import jx86.devices.misc.DeviceClock;

/**
 * The PC/AT real-time clock and CMOS RAM, as the Motorola MC146818A (datasheet: "Address map",
 * registers A-D, "Interrupts") at ports 0x70 (index; bit 7 masks NMI) and 0x71 (data), interrupting
 * on ISA IRQ8.
 *
 * <p>The time of day is the start time given to the constructor (UTC seconds since 1970; default
 * 2026-01-01 00:00:00) plus elapsed virtual time, so runs are reproducible. Guest writes to the time
 * registers (with register B's SET bit, or without it) move that base. Registers follow register B:
 * BCD or binary (DM), 24 or 12 hour (bit 7 of the hour = PM). Register 0x32 is the century (BCD, as
 * QEMU and SeaBIOS use it).
 *
 * <p>Interrupts: the periodic interrupt at register A's rate (32768 Hz time base, RS 3-15 as
 * 32768 >> (RS-1) Hz, RS 1-2 as 256/128 Hz), update-ended once a second, and the alarm (0xC0-0xFF
 * in an alarm byte is "don't care"; checked only while AIE or UIE is set). PF and UF are reported
 * in register C even when their interrupt is disabled (computed when C is read). Reading C clears
 * the flags and lowers IRQ8; IRQ8 stays high until then, so a guest that never reads C gets no further interrupts, as on real hardware.
 *
 * <p>CMOS RAM (0x0E-0x7F) is initialised like QEMU/SeaBIOS expect: base memory 640 KiB
 * (0x15/0x16), extended memory above 1 MiB in KiB capped at 65535 (0x17/0x18 and 0x30/0x31),
 * memory above 16 MiB in 64 KiB units (0x34/0x35), equipment byte 0x14 = 0x02 (coprocessor, VGA,
 * no floppy), and the checksum of 0x10-0x2D at 0x2E (high byte)/0x2F. Guest writes do not update
 * the checksum (the BIOS maintains it); {@link #setNvram} (for firmware) does.
 *
 * <p>Simplified: UIP (register A bit 7) reads 1 during the last 244 us of every second and never
 * while SET is 1; the divider bits (DV) are stored but never stop the clock; the day of week is
 * always derived from the date; daylight saving (DSE) and the square-wave output are not modelled.
 */
public final class CmosRtc implements IoDevice {
    /** 2026-01-01 00:00:00 UTC. */
    public static final long DEFAULT_START_EPOCH = 1_767_225_600L;

    private static final int REG_A = 0x0A;
    private static final int REG_B = 0x0B;
    private static final int REG_C = 0x0C;
    private static final int REG_D = 0x0D;
    private static final int CENTURY = 0x32;
    private static final int B_SET = 0x80;
    private static final int B_PIE = 0x40;
    private static final int B_AIE = 0x20;
    private static final int B_UIE = 0x10;
    private static final int B_BINARY = 0x04;
    private static final int B_24H = 0x02;
    private static final int C_IRQF = 0x80;
    private static final int C_PF = 0x40;
    private static final int C_AF = 0x20;
    private static final int C_UF = 0x10;

    private final VirtualClock clock;
    private final DeviceClock rtcTicks;
    private final IrqLine irq8;
    private final byte[] nvram = new byte[128];
    private final VirtualClock.Timer periodicTimer;
    private final VirtualClock.Timer secondTimer;

    private int index;
    private boolean nmiMasked;
    /** Time base: at {@link #baseCycle} the clock read {@link #baseSeconds}. */
    private long baseSeconds;
    private long baseCycle;
    /** Calendar fields while SET is 1 (second, minute, hour 0-23, day, month, year). */
    private final int[] held = new int[6];
    private int flags;
    private long lastCReadTick;
    private long lastCReadSecond;

    public CmosRtc(VirtualClock clock, IrqLine irq8, long ramBytes) {
        this(clock, irq8, ramBytes, DEFAULT_START_EPOCH);
    }

    /**
     * @param ramBytes       the machine's RAM size, reported in the memory-size bytes
     * @param startEpochSecs wall-clock time at virtual time 0 (UTC seconds since 1970)
     */
    public CmosRtc(VirtualClock clock, IrqLine irq8, long ramBytes, long startEpochSecs) {
        this.clock = clock;
        this.rtcTicks = new DeviceClock(clock, 32768);
        this.irq8 = irq8;
        this.baseSeconds = startEpochSecs;
        this.lastCReadSecond = startEpochSecs;
        this.periodicTimer = clock.newTimer("rtc-periodic", this::onPeriodic);
        this.secondTimer = clock.newTimer("rtc-update", this::onSecond);
        nvram[REG_A] = 0x26;
        nvram[REG_B] = B_24H;
        initMemorySize(ramBytes);
    }

    /** Registers ports 0x70-0x71 (byte ports). */
    public void attach(IoBus bus) {
        bus.register(0x70, 2, "CMOS RTC", IoBus.W8, this);
    }

    private void initMemorySize(long ram) {
        nvram[0x14] = 0x02;
        nvram[0x15] = (byte) 0x80;
        nvram[0x16] = 0x02;
        long extKiB = Math.min(0xFFFF, Math.max(0, (ram - (1 << 20)) / 1024));
        nvram[0x17] = (byte) extKiB;
        nvram[0x18] = (byte) (extKiB >>> 8);
        nvram[0x30] = (byte) extKiB;
        nvram[0x31] = (byte) (extKiB >>> 8);
        long above16M = Math.min(0xFFFF, Math.max(0, (ram - (16 << 20)) / 65536));
        nvram[0x34] = (byte) above16M;
        nvram[0x35] = (byte) (above16M >>> 8);
        updateChecksum();
    }

    private void updateChecksum() {
        int sum = 0;
        for (int i = 0x10; i <= 0x2D; i++) {
            sum += nvram[i] & 0xFF;
        }
        nvram[0x2E] = (byte) (sum >>> 8);
        nvram[0x2F] = (byte) sum;
    }

    /** Firmware access to CMOS RAM (0x0E-0x7F); keeps the 0x2E/0x2F checksum valid. */
    public void setNvram(int address, int value) {
        if (address < 0x0E || address > 0x7F || address == CENTURY) {
            throw new IllegalArgumentException("not a CMOS RAM byte: " + address);
        }
        nvram[address] = (byte) value;
        if (address >= 0x10 && address <= 0x2D) {
            updateChecksum();
        }
    }

    public int nvram(int address) {
        return nvram[address & 0x7F] & 0xFF;
    }

    /** Bit 7 of the last write to port 0x70: NMI disabled. */
    public boolean nmiMasked() {
        return nmiMasked;
    }

    // ---- ports ----

    @Override
    public int ioRead(int port, int size) {
        return port == 0x70 ? 0xFF : readRegister(index);
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        if (port == 0x70) {
            index = value & 0x7F;
            nmiMasked = (value & 0x80) != 0;
        } else {
            writeRegister(index, value & 0xFF);
        }
    }

    // ---- registers ----

    public int readRegister(int reg) {
        return switch (reg) {
            case 0x00, 0x02, 0x04, 0x07, 0x08, 0x09, CENTURY -> encodeTimeRegister(reg, currentFields());
            case 0x06 -> encode(dayOfWeek(currentFields()));
            case REG_A -> (nvram[REG_A] & 0x7F) | (updateInProgress() ? 0x80 : 0);
            case REG_C -> readC();
            case REG_D -> 0x80;
            default -> nvram[reg] & 0xFF;
        };
    }

    public void writeRegister(int reg, int value) {
        switch (reg) {
            case 0x00, 0x02, 0x04, 0x07, 0x08, 0x09, CENTURY -> writeTime(reg, value);
            case 0x06 -> { } // the day of week follows the date
            case REG_A -> {
                nvram[REG_A] = (byte) (value & 0x7F);
                schedulePeriodic();
            }
            case REG_B -> writeB(value);
            case REG_C, REG_D -> { } // read only
            default -> nvram[reg] = (byte) value;
        }
    }

    private void writeB(int value) {
        int old = nvram[REG_B] & 0xFF;
        if ((value & B_SET) != 0) {
            value &= ~B_UIE; // SET clears UIE (datasheet)
            if ((old & B_SET) == 0) {
                fieldsAt(clock.cycles, held);
            }
        } else if ((old & B_SET) != 0) {
            commit(held);
        }
        nvram[REG_B] = (byte) value;
        updateIrq();
        schedulePeriodic();
        scheduleSecond();
    }

    private void writeTime(int reg, int value) {
        boolean setMode = (nvram[REG_B] & B_SET) != 0;
        int[] f = setMode ? held : currentFields();
        switch (reg) {
            case 0x00 -> f[0] = Math.min(59, decode(value & 0x7F));
            case 0x02 -> f[1] = Math.min(59, decode(value & 0x7F));
            case 0x04 -> f[2] = decodeHour(value);
            case 0x07 -> f[3] = clamp(decode(value), 1, 31);
            case 0x08 -> f[4] = clamp(decode(value), 1, 12);
            case 0x09 -> f[5] = f[5] / 100 * 100 + Math.min(99, decode(value));
            default -> f[5] = Math.min(99, decode(value)) * 100 + f[5] % 100;
        }
        if (!setMode) {
            commit(f);
        }
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private int decodeHour(int value) {
        if ((nvram[REG_B] & B_24H) != 0) {
            return Math.min(23, decode(value & 0x7F));
        }
        int h = decode(value & 0x7F) % 12;
        return (value & 0x80) != 0 ? h + 12 : h;
    }

    private int encodeTimeRegister(int reg, int[] f) {
        return switch (reg) {
            case 0x00 -> encode(f[0]);
            case 0x02 -> encode(f[1]);
            case 0x04 -> encodeHour(f[2]);
            case 0x07 -> encode(f[3]);
            case 0x08 -> encode(f[4]);
            case 0x09 -> encode(f[5] % 100);
            default -> encode(f[5] / 100 % 100);
        };
    }

    private int encodeHour(int hour) {
        if ((nvram[REG_B] & B_24H) != 0) {
            return encode(hour);
        }
        int h12 = hour % 12 == 0 ? 12 : hour % 12;
        return encode(h12) | (hour >= 12 ? 0x80 : 0);
    }

    private int encode(int v) {
        return (nvram[REG_B] & B_BINARY) != 0 ? v : (v / 10) << 4 | v % 10;
    }

    private int decode(int v) {
        return (nvram[REG_B] & B_BINARY) != 0 ? v : (v >>> 4) * 10 + (v & 0xF);
    }

    // ---- time keeping ----

    /** UTC seconds since 1970 at {@code cycle}. */
    public long epochSecondsAt(long cycle) {
        return baseSeconds + Math.floorDiv(cycle - baseCycle, clock.hz());
    }

    private int[] currentFields() {
        if ((nvram[REG_B] & B_SET) != 0) {
            return held.clone();
        }
        int[] f = new int[6];
        fieldsAt(clock.cycles, f);
        return f;
    }

    private void fieldsAt(long cycle, int[] f) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecondsAt(cycle), 0, ZoneOffset.UTC);
        f[0] = t.getSecond();
        f[1] = t.getMinute();
        f[2] = t.getHour();
        f[3] = t.getDayOfMonth();
        f[4] = t.getMonthValue();
        f[5] = t.getYear();
    }

    /** Makes the clock read {@code f} now; the next update is one second from now, as after SET. */
    private void commit(int[] f) {
        baseSeconds = daysFromCivil(f[5], f[4], f[3]) * 86400 + f[2] * 3600L + f[1] * 60L + f[0];
        baseCycle = clock.cycles;
        scheduleSecond();
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date; out-of-range days roll over. */
    static long daysFromCivil(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long monthFromMarch = (month + 9) % 12;
        long dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146097 + dayOfEra - 719468;
    }

    /** 1 = Sunday .. 7 = Saturday (1970-01-01 was a Thursday). */
    private static int dayOfWeek(int[] f) {
        return (int) Math.floorMod(daysFromCivil(f[5], f[4], f[3]) + 4, 7L) + 1;
    }

    private boolean updateInProgress() {
        if ((nvram[REG_B] & B_SET) != 0) {
            return false;
        }
        long hz = clock.hz();
        long intoSecond = Math.floorMod(clock.cycles - baseCycle, hz);
        return intoSecond >= hz - hz * 244 / 1_000_000;
    }

    // ---- interrupts ----

    /** Periodic interrupt period in 32768 Hz ticks, or 0 when RS = 0. */
    private int periodTicks() {
        int rs = nvram[REG_A] & 0x0F;
        return switch (rs) {
            case 0 -> 0;
            case 1 -> 128;
            case 2 -> 256;
            default -> 1 << (rs - 1);
        };
    }

    private void schedulePeriodic() {
        int period = periodTicks();
        if (period == 0 || (nvram[REG_B] & B_PIE) == 0) {
            periodicTimer.cancel();
            return;
        }
        long next = (rtcTicks.ticks() / period + 1) * period;
        periodicTimer.setDeadline(rtcTicks.cycleOfTick(next));
    }

    private void onPeriodic() {
        flags |= C_PF;
        updateIrq();
        schedulePeriodic();
    }

    private void scheduleSecond() {
        if ((nvram[REG_B] & (B_UIE | B_AIE)) == 0 || (nvram[REG_B] & B_SET) != 0) {
            secondTimer.cancel();
            return;
        }
        long hz = clock.hz();
        long seconds = Math.floorDiv(clock.cycles - baseCycle, hz);
        secondTimer.setDeadline(baseCycle + (seconds + 1) * hz);
    }

    private void onSecond() {
        flags |= C_UF;
        if (alarmMatches()) {
            flags |= C_AF;
        }
        updateIrq();
        scheduleSecond();
    }

    private boolean alarmMatches() {
        int[] f = currentFields();
        return alarmByteMatches(0x01, encode(f[0])) && alarmByteMatches(0x03, encode(f[1]))
                && alarmByteMatches(0x05, encodeHour(f[2]));
    }

    private boolean alarmByteMatches(int reg, int current) {
        int alarm = nvram[reg] & 0xFF;
        return alarm >= 0xC0 || alarm == current;
    }

    private void updateIrq() {
        int b = nvram[REG_B];
        boolean pending = ((flags & C_PF) != 0 && (b & B_PIE) != 0) || ((flags & C_AF) != 0 && (b & B_AIE) != 0)
                || ((flags & C_UF) != 0 && (b & B_UIE) != 0);
        if (pending) {
            flags |= C_IRQF;
        }
        irq8.set((flags & C_IRQF) != 0);
    }

    private int readC() {
        long tick = rtcTicks.ticks();
        int period = periodTicks();
        if (period != 0 && tick / period > lastCReadTick / period) {
            flags |= C_PF;
        }
        long second = epochSecondsAt(clock.cycles);
        if ((nvram[REG_B] & B_SET) == 0 && second > lastCReadSecond) {
            flags |= C_UF;
        }
        lastCReadTick = tick;
        lastCReadSecond = second;
        int value = flags;
        flags = 0;
        irq8.lower();
        return value;
    }
}
