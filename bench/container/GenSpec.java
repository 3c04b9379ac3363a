// Prints the config.json BundleWriter writes for a Docker-default container running `true`
// on rootfs $1 (java source launcher; run by bench/container/run.sh).
import io.jcompose.runtime.container.BundleWriter;
import io.jcompose.runtime.container.ContainerSpec;
import io.jcompose.runtime.container.UserResolver;
import java.nio.file.Path;
import java.util.List;

public class GenSpec {
    public static void main(String[] args) throws Exception {
        Path rootfs = Path.of(args[0]);
        String id = "0".repeat(12) + "b".repeat(52);
        var spec = ContainerSpec.of(List.of(rootfs), List.of("true"));
        var user = UserResolver.resolve(rootfs, null, List.of());
        System.out.println(BundleWriter.toJson(BundleWriter.forHost(io.jcompose.runtime.sys.HostNames.forDataRoot(rootfs)).build(id, spec, rootfs, user, List.of("true"))));
    }
}
