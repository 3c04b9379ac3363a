package io.jcompose.runtime.container;

import java.nio.file.Path;
import java.util.List;

/**
 * A stand-in for the daemon process in {@link ContainerEngineTest}: starts one chatty container,
 * prints its id, then idles until it is killed. Args: dataRoot runRoot shim image.
 */
public final class EngineProcessMain {
    private EngineProcessMain() {}

    public static void main(String[] args) throws Exception {
        var engine = new ContainerEngine(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]));
        String id = engine.create(ContainerSpec.of(List.of(Path.of(args[3])),
                List.of("sh", "-c", "while true; do echo tick; sleep 0.05; done")));
        engine.start(id);
        System.out.println(id);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
