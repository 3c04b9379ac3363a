package io.jcompose.runtime.network.nft;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Applies rule batches with one {@code nft -f -} process per change set; nft runs the batch as a
 * single kernel transaction, so the table is never seen half-built.
 */
public final class Nft {
    private final String binary;
    private final String table;

    /** @param table the engine's own table (family {@code inet}), {@code jcompose-<tag>} */
    public Nft(String table) {
        this("nft", table);
    }

    public Nft(String binary, String table) {
        this.binary = binary;
        this.table = table;
    }

    /** The table this instance writes. */
    public String table() {
        return table;
    }

    /** Replaces table {@code inet <table>} with the rules of {@code networks} (removes it when empty). */
    public void sync(List<BridgeRules> networks) {
        apply(networks.isEmpty() ? Ruleset.deleteTable(table) : Ruleset.replaceTable(table, networks));
    }

    /** Runs a batch; throws with nft's own message when it is rejected. */
    public void apply(String batch) {
        try {
            Process p = new ProcessBuilder(binary, "-f", "-").redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(batch.getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!exitedWithin(p, 30)) {
                p.destroyForcibly();
                throw new IllegalStateException("nft did not finish within 30 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("nft rejected the jcompose rules: " + out.replaceAll("\\s*\\n\\s*", " | "));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + binary + " (is the nftables package installed?): " + e.getMessage(), e);
        }
    }

    /**
     * Waits for nft even when the thread is interrupted (the flag is kept): clean-up runs in
     * interrupted threads (a cancelled build's step, a run whose client left), and a removal cut
     * short after the bridge went but before the records did made the next start re-create it.
     */
    private static boolean exitedWithin(Process p, long seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
