package io.jcompose.runtime.network.nft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The real nft binary on a table of this test's own. */
@Tag("root")
class NftTest {

    @Test
    void aBatchAppliedFromAnInterruptedThreadStillRunsAndKeepsTheFlag() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root (nftables)");
        String table = "jcompose-t" + UUID.randomUUID().toString().substring(0, 6);
        Nft nft = new Nft(table);
        try {
            Thread.currentThread().interrupt(); // as in the clean-up of a cancelled build step
            nft.apply("add table inet " + table + "\n");
            assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
            assertThat(tables()).contains("table inet " + table);
        } finally {
            Thread.interrupted();
            nft.sync(java.util.List.of()); // deletes the table
        }
        assertThat(tables()).doesNotContain("table inet " + table);
    }

    private static String tables() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("nft", "list", "tables").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
