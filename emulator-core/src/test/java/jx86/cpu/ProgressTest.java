package jx86.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The opt-in progress sampler ({@link Progress}, {@code -Djx86.progress=MS}) costs nothing when off. */
class ProgressTest {
    @Test
    void offByDefault_selectingAnEngineStartsNoSamplerThread() {
        assertThat(System.getProperty("jx86.progress")).isNull();
        for (Engine engine : Engine.values()) {
            CpuTestSupport.flat32(engine);
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("jx86-progress"));
    }
}
