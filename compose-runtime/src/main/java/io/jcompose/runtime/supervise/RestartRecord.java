package io.jcompose.runtime.supervise;

import io.jcompose.runtime.container.RestartPolicy;

/**
 * What the daemon persists per container so restart policies survive a daemon restart (one JSON
 * record under {@code <dataRoot>/state/restart/<id>.json}).
 *
 * @param policy          Docker's spelling: {@code no}, {@code always}, {@code unless-stopped}, {@code on-failure[:N]}
 * @param restartCount    automatic restarts since the last manual start ({@code RestartCount} in inspect)
 * @param manuallyStopped stopped or killed through the API ({@code HasBeenManuallyStopped})
 * @param startedBefore   started at least once ({@code HasBeenStartedBefore}): only such containers
 *                        are started when the daemon starts
 */
public record RestartRecord(String policy, int restartCount, boolean manuallyStopped, boolean startedBefore) {

    /** A container just created with this policy. */
    public static RestartRecord created(RestartPolicy policy) {
        return new RestartRecord(name(policy), 0, false, false);
    }

    /** The parsed policy. */
    public RestartPolicy restartPolicy() {
        return RestartPolicy.parse(policy);
    }

    RestartRecord withPolicy(RestartPolicy p) {
        return new RestartRecord(name(p), restartCount, manuallyStopped, startedBefore);
    }

    RestartRecord restartedOnce() {
        return new RestartRecord(policy, restartCount + 1, manuallyStopped, startedBefore);
    }

    /** A manual start ({@code docker start}/{@code restart}, or the daemon's start): count and manual stop reset. */
    RestartRecord startedManually() {
        return new RestartRecord(policy, 0, false, true);
    }

    RestartRecord stoppedManually() {
        return new RestartRecord(policy, restartCount, true, startedBefore);
    }

    /** Docker's spelling of a policy ({@code on-failure:N}, {@code on-failure} for unlimited). */
    public static String name(RestartPolicy p) {
        return switch (p) {
            case RestartPolicy.No n -> "no";
            case RestartPolicy.Always a -> "always";
            case RestartPolicy.UnlessStopped u -> "unless-stopped";
            case RestartPolicy.OnFailure f -> f.maxRetries() == 0 ? "on-failure" : "on-failure:" + f.maxRetries();
        };
    }
}
