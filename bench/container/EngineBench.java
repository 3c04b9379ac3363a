// Engine-level start benchmark (java source launcher; run by bench/container/run.sh):
// ContainerEngine create+start+wait+remove of `true` on an overlay of the busybox rootfs, versus
// the same physical work done around `runc run` (overlay mount, same config.json, umount).
// Args: rootfs workdir runs. Prints "engine <min> <median>" and "runc <min> <median>" in ms.
import io.jcompose.runtime.container.BundleWriter;
import io.jcompose.runtime.container.ContainerEngine;
import io.jcompose.runtime.container.ContainerSpec;
import io.jcompose.runtime.container.UserResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

public class EngineBench {
    public static void main(String[] a) throws Exception {
        Path rootfs = Path.of(a[0]), work = Path.of(a[1]);
        int runs = Integer.parseInt(a[2]);
        Path shim = Path.of(System.getProperty("jcompose.shim"));
        ContainerEngine engine = new ContainerEngine(work.resolve("data"), work.resolve("run"), shim);
        var spec = ContainerSpec.of(List.of(rootfs), List.of("true"));
        List<Long> e = new ArrayList<>(), r = new ArrayList<>();
        for (int i = -3; i < runs; i++) { // 3 warm-up rounds
            long t0 = System.nanoTime();
            String id = engine.create(spec);
            engine.start(id);
            engine.waitExit(id);
            engine.remove(id, false);
            long t1 = System.nanoTime();
            runc(rootfs, work, i);
            long t2 = System.nanoTime();
            if (i >= 0) { e.add(t1 - t0); r.add(t2 - t1); }
        }
        print("engine", e);
        print("runc", r);
    }

    static void runc(Path rootfs, Path work, int i) throws Exception {
        String id = String.format("r%063d", i + 10);
        Path dir = work.resolve("runc-" + id), merged = dir.resolve("rootfs");
        for (String d : List.of("diff", "work", "rootfs")) Files.createDirectories(dir.resolve(d));
        sh("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + rootfs + ",upperdir=" + dir.resolve("diff") + ",workdir=" + dir.resolve("work"), merged.toString());
        var user = UserResolver.resolve(merged, null, List.of());
        var oci = BundleWriter.forHost(io.jcompose.runtime.sys.HostNames.forDataRoot(work.resolve("data"))).build(id, ContainerSpec.of(List.of(rootfs), List.of("true")), merged, user, List.of("true"));
        BundleWriter.write(dir, oci);
        sh("runc", "--root", work.resolve("runc-state").toString(), "run", "--bundle", dir.toString(), id);
        sh("umount", merged.toString());
        sh("rm", "-rf", dir.toString());
    }

    static void sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", cmd) + ": " + new String(p.getErrorStream().readAllBytes()));
    }

    static void print(String name, List<Long> ns) {
        Collections.sort(ns);
        System.out.printf("%s %.2f %.2f%n", name, ns.get(0) / 1e6, ns.get((ns.size() - 1) / 2) / 1e6);
    }
}
