package io.jcompose.runtime.supervise;

import io.jcompose.runtime.container.ExitStatus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what a supervisor reported as {@code die <code>[ restarting]} and {@code restart <count>} and {@code restart failed} lines. */
final class RecordingRestartListener implements RestartListener {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public void exited(String id, ExitStatus exit, boolean restarting) {
        seen.add("die " + exit.exitCode() + (restarting ? " restarting" : ""));
    }

    @Override
    public void restarted(String id, int restartCount) {
        seen.add("restart " + restartCount);
    }

    @Override
    public void restartFailed(String id, Exception error) {
        seen.add("restart failed");
    }
}
