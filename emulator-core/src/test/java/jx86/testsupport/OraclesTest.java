package jx86.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The oracle switch: a missing oracle skips a test, or fails it under -Djx86.requireOracles=true. */
class OraclesTest {
    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(Oracles.REQUIRE);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(Oracles.REQUIRE);
        } else {
            System.setProperty(Oracles.REQUIRE, saved);
        }
    }

    @Test
    void missingOracle_skipsByDefault_withItsReason() {
        System.setProperty(Oracles.REQUIRE, "false");
        assertThatThrownBy(() -> Oracles.assume(false, "qemu-system-i386 not installed"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("skipped, oracle missing: qemu-system-i386 not installed");
    }

    @Test
    void missingOracle_failsWhenOraclesAreRequired() {
        System.setProperty(Oracles.REQUIRE, "true");
        assertThatThrownBy(() -> Oracles.assumeInstalled("jx86-no-such-oracle"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessage("oracle missing: jx86-no-such-oracle not installed"
                        + " (-Djx86.requireOracles=true: .ci/run installs the oracle tools)");
    }

    @Test
    void presentOracle_letsTheTestGoOnEitherWay() {
        System.setProperty(Oracles.REQUIRE, "true");
        assertThatCode(() -> Oracles.assumeInstalled("sh")).doesNotThrowAnyException();
        System.setProperty(Oracles.REQUIRE, "false");
        assertThatCode(() -> Oracles.assume(true, "unused")).doesNotThrowAnyException();
    }

    @Test
    void onPath_findsExecutablesOnly() {
        assertThat(Oracles.onPath("sh")).isTrue();
        assertThat(Oracles.onPath("jx86-no-such-oracle")).isFalse();
    }
}
