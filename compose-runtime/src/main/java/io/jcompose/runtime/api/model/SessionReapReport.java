package io.jcompose.runtime.api.model;

import java.util.List;

/**
 * What the reaper removed for a session (container IDs, network IDs, volume names), and what it
 * could not remove (one line each). Also the daemon's last line when a lease ends in order: empty
 * lists when other leases still hold the session or its keep-alive is {@code forever}
 * ({@code reaped} false).
 */
public record SessionReapReport(String session, boolean reaped, List<String> containers, List<String> networks, List<String> volumes,
        List<String> errors) {

    public SessionReapReport {
        containers = List.copyOf(containers);
        networks = List.copyOf(networks);
        volumes = List.copyOf(volumes);
        errors = List.copyOf(errors);
    }

    /** Nothing was reaped. */
    public static SessionReapReport notReaped(String session) {
        return new SessionReapReport(session, false, List.of(), List.of(), List.of(), List.of());
    }

    /** Whether anything was removed. */
    public boolean removedAny() {
        return !containers.isEmpty() || !networks.isEmpty() || !volumes.isEmpty();
    }
}
