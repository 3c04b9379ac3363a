package io.jcompose.cli.progress;

import io.jcompose.cli.JcomposeCommand;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * Plays a made-up {@code up -d} of a small stack through the progress display the arguments
 * name, in real time, from parallel workers, for bench/cli/show-progress to look at in tmux.
 * Usage: {@code ProgressDemo [auto|tty|plain|json|quiet] [seconds per step, default 0.4]}.
 */
public final class ProgressDemo {
    private ProgressDemo() {}

    /**
     * Runs the demo.
     *
     * @param args the mode and the step length
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        String mode = args.length > 0 ? args[0] : "auto";
        long step = (long) (1000 * (args.length > 1 ? Double.parseDouble(args[1]) : 0.4));
        // the path a command takes: flags and environment, terminal detection, then the display
        JcomposeCommand root = new JcomposeCommand(System.getenv(), System.out, System.err);
        new CommandLine(root).parseArgs("--progress", mode);
        Progress p = root.openProgress(true);
        p.start("up");
        p.on(ProgressEvent.creating("Network devstack_default"));
        p.on(ProgressEvent.creating("Volume devstack_db-data"));
        TimeUnit.MILLISECONDS.sleep(step);
        p.on(ProgressEvent.created("Network devstack_default"), ProgressEvent.created("Volume devstack_db-data"));
        try (ExecutorService workers = Executors.newFixedThreadPool(3)) {
            for (String service : new String[] {"db", "cache"}) {
                workers.submit(() -> {
                    String id = "Container devstack-" + service + "-1";
                    p.on(ProgressEvent.creating(id));
                    sleep(step);
                    p.on(ProgressEvent.created(id), ProgressEvent.starting(id));
                    sleep(step);
                    p.on(ProgressEvent.started(id), ProgressEvent.waiting(id));
                    sleep(service.equals("db") ? 4 * step : 2 * step);
                    p.on(ProgressEvent.healthy(id));
                    return null;
                });
            }
        }
        String app = "Container devstack-app-1";
        p.on(ProgressEvent.creating(app));
        sleep(step);
        p.on(ProgressEvent.created(app), ProgressEvent.starting(app));
        sleep(step);
        p.on(ProgressEvent.started(app));
        p.done("up", true);
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
