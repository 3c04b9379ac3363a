package io.jcompose.runtime.daemon;

import io.jcompose.runtime.api.ApiVersion;
import io.jcompose.runtime.api.model.SystemInfo;
import io.jcompose.runtime.api.model.SystemVersion;
import io.jcompose.runtime.api.server.EventSource;
import io.jcompose.runtime.api.server.SystemBackend;
import java.io.File;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The daemon's answers to {@code /version} and {@code /info}. */
public final class DaemonSystem implements SystemBackend {

    /** Object counts for {@code /info}, gathered from the container and image services. */
    public record Counts(int containers, int running, int paused, int stopped, int images) {
        /** An engine with nothing in it. */
        public static final Counts NONE = new Counts(0, 0, 0, 0, 0);
    }

    private final DaemonConfig config;
    private final String engineId;
    private final EventSource events;
    private final Supplier<Counts> counts;
    private final HostFacts host = HostFacts.read();

    /**
     * @param engineId the persistent engine ID ({@code ID} in {@code /info})
     * @param counts current object counts
     */
    public DaemonSystem(DaemonConfig config, String engineId, EventSource events, Supplier<Counts> counts) {
        this.config = config;
        this.engineId = engineId;
        this.events = events;
        this.counts = counts;
    }

    @Override
    public SystemVersion version() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("ApiVersion", ApiVersion.MAX.toString());
        details.put("Arch", host.goArch());
        details.put("BuildTime", "");
        details.put("Experimental", "false");
        details.put("GitCommit", "");
        details.put("GoVersion", "java" + Runtime.version().feature());
        details.put("KernelVersion", host.kernelVersion());
        details.put("MinAPIVersion", ApiVersion.MIN.toString());
        details.put("Os", "linux");
        details.put("Jcompose", EngineIdentity.JCOMPOSE_VERSION);
        return new SystemVersion(
                new SystemVersion.Platform(EngineIdentity.PLATFORM),
                List.of(new SystemVersion.Component("Engine", EngineIdentity.ENGINE_VERSION, details)),
                EngineIdentity.ENGINE_VERSION,
                ApiVersion.MAX.toString(),
                ApiVersion.MIN.toString(),
                "",
                "java" + Runtime.version().feature(),
                "linux",
                host.goArch(),
                host.kernelVersion(),
                false,
                "");
    }

    @Override
    public SystemInfo info() {
        Counts c = counts.get();
        List<String> insecure = new ArrayList<>(List.of("127.0.0.0/8", "::1/128"));
        Map<String, SystemInfo.IndexInfo> index = new LinkedHashMap<>();
        index.put("docker.io", new SystemInfo.IndexInfo("docker.io", config.registryMirrors(), true, true));
        for (String r : config.insecureRegistries()) {
            if (r.contains("/") && Character.isDigit(r.charAt(0))) {
                insecure.add(r);
            } else {
                index.put(r, new SystemInfo.IndexInfo(r, List.of(), false, false));
            }
        }
        return new SystemInfo(
                engineId,
                c.containers(),
                c.running(),
                c.paused(),
                c.stopped(),
                c.images(),
                "overlay2",
                List.of(List.of("Backing Filesystem", "overlayfs")),
                new SystemInfo.Plugins(List.of("local"), List.of("bridge", "host", "null"), List.of(), List.of("json-file")),
                true,
                true,
                true,
                true,
                true,
                true,
                true,
                "1".equals(HostFacts.firstLine(Path.of("/proc/sys/net/ipv4/ip_forward"), "0")),
                config.debug(),
                openFds(),
                false,
                Thread.activeCount(),
                OffsetDateTime.now(ZoneOffset.UTC).toString(),
                config.logDriver(),
                "cgroupfs",
                host.cgroupVersion(),
                events.listenerCount(),
                host.kernelVersion(),
                host.operatingSystem(),
                host.osVersion(),
                "linux",
                host.unameMachine(),
                "https://index.docker.io/v1/",
                new SystemInfo.RegistryConfig(insecure, index, config.registryMirrors()),
                host.ncpu(),
                host.memTotal(),
                config.dataRoot().toString(),
                "",
                "",
                "",
                host.hostname(),
                List.of(),
                false,
                EngineIdentity.ENGINE_VERSION,
                Map.of("jcompose", new SystemInfo.Runtime("jcompose-shim"), "runc", new SystemInfo.Runtime("runc")),
                "jcompose",
                SystemInfo.Swarm.INACTIVE,
                false,
                "",
                "",
                host.cgroupVersion().equals("2") ? List.of("name=seccomp,profile=builtin", "name=cgroupns") : List.of("name=seccomp,profile=builtin"),
                config.defaultAddressPools().stream().map(p -> new SystemInfo.AddressPool(p.base(), p.size())).toList(),
                List.of());
    }

    private static int openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? 0 : fds.length;
    }
}
