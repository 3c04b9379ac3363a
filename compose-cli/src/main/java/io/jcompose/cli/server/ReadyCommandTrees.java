package io.jcompose.cli.server;

import io.jcompose.cli.CommandTree;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps one unused {@link CommandTree} ready, built off the request path: a run takes it (or
 * builds its own when two runs start at once) and the next one is built after the run, while the
 * server waits for the next command. Trees are never shared or reused, so runs cannot see each
 * other's parsed options — only the building moves.
 */
final class ReadyCommandTrees {
    private final AtomicReference<CommandTree> ready = new AtomicReference<>();
    private final AtomicBoolean building = new AtomicBoolean();

    /**
     * A tree for one run: the ready one, else a fresh one.
     *
     * @return a tree no run has used
     */
    CommandTree take() {
        CommandTree t = ready.getAndSet(null);
        return t != null ? t : CommandTree.build();
    }

    /** Builds the next ready tree on a virtual thread, unless one is ready or being built. */
    void prepare() {
        if (ready.get() != null || !building.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("jcompose-cli-tree").start(() -> {
            try {
                ready.compareAndSet(null, CommandTree.build());
            } finally {
                building.set(false);
            }
        });
    }

    /**
     * Whether a tree is ready (for tests).
     *
     * @return true when {@link #take()} would not build
     */
    boolean isReady() {
        return ready.get() != null;
    }
}
