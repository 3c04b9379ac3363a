package io.jcompose.cli.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The id of this build of compose-cli: made by the native build (compose-cli/src/main/c/Makefile)
 * for the client binary and this class path together, so a daemon running other code declines the
 * client, which then runs the JVM launcher with the code on disk.
 */
public final class BuildId {
    /** The resource the native build writes. */
    static final String RESOURCE = "build-id";
    /** What a class path without the resource reports; no client has it, so all are declined. */
    static final String UNKNOWN = "unknown";

    private BuildId() {}

    /**
     * This class path's build id.
     *
     * @return the id, or {@value #UNKNOWN}
     */
    public static String current() {
        try (InputStream in = BuildId.class.getResourceAsStream(RESOURCE)) {
            return in == null ? UNKNOWN : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return UNKNOWN;
        }
    }
}
