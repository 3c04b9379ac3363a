package io.jcompose.runtime.reaper;

/**
 * What the daemon keeps of a session across its own restart (state kind {@code session}): the
 * keep-alive its last lease asked for, so a {@code forever} session stays kept and a custom
 * keep-alive is honoured after the restart.
 */
public record SessionRecord(String id, String keepAlive) {

    /** The state-store kind. */
    static final String KIND = "session";
}
