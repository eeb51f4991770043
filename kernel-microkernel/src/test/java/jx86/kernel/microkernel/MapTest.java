package jx86.kernel.microkernel;

import static org.assertj.core.api.Assertions.assertThat;

import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;

/** user/maptest.c: map, grant, unmap and receive windows through the mapping database; sigma0. */
class MapTest {
    static final String[] CHECKS = {
        "sigma0-hands-out-a-page",
        "map-A-to-B-B-reads-data",
        "B-maps-the-same-frame",
        "map-B-to-C-read-only-C-reads-data",
        "C-has-the-frame-read-only",
        "map-with-read-only-right",
        "rights-never-grow-along-a-chain",
        "unmap-revokes-from-B",
        "unmap-without-flush-keeps-own-mapping",
        "chain-A-B-C-rebuilt",
        "unmap-in-A-revokes-from-B-and-C",
        "unmap-of-write-right-leaves-read-only",
        "flush-removes-own-mapping-too",
        "grant-B-reads-data",
        "grant-removes-sender-mapping",
        "fpage-of-4-pages-to-B",
        "window-receives-the-whole-fpage-at-its-offset",
        "fpage-of-4-pages-to-C",
        "one-page-window-confines-the-mapping",
        "map-item-without-receive-window-refused",
        "sigma0-refuses-a-page-it-gave-away",
        "chain-depth-is-bounded",
        "unmap-clears-a-long-chain",
    };

    @Test
    void mapGrantUnmap_allChecksPass() {
        RunResult r = Mk.boot(50_000_000L, "maptest");

        Mk.assertAllOk(r, "maptest", CHECKS);
    }

    /** The kernel's view of the A -> B -> C chain (KDebug mdb dump): sigma0 at the root. */
    @Test
    void mappingTree_isPrintedFromSigma0Down() {
        RunResult r = Mk.boot(50_000_000L, "maptest");

        assertThat(r.serial()).containsPattern(
                "mdb: frame (\\w{8}), mapped by \\(space of\\) thread, at address, rights:\\R"
                + "mdb:  sigma0 \\1 rwx\\R"
                + "mdb:    maptest 10000000 rwx\\R"
                + "mdb:      t020 20000000 rwx\\R"
                + "mdb:        t021 30000000 r--");
    }
}
