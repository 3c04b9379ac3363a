package io.jcompose.runtime.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Facts about the machine for {@code /info} and {@code /version}, read from {@code /proc} and
 * {@code /etc/os-release}.
 */
record HostFacts(
        String hostname,
        String kernelVersion,
        String operatingSystem,
        String osVersion,
        String unameMachine,
        String goArch,
        int ncpu,
        long memTotal,
        String cgroupVersion) {

    static HostFacts read() {
        Map<String, String> os = osRelease();
        String arch = System.getProperty("os.arch");
        String goArch = switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
        String machine = switch (goArch) {
            case "amd64" -> "x86_64";
            case "arm64" -> "aarch64";
            default -> arch;
        };
        return new HostFacts(
                firstLine(Path.of("/proc/sys/kernel/hostname"), "localhost"),
                firstLine(Path.of("/proc/sys/kernel/osrelease"), System.getProperty("os.version")),
                os.getOrDefault("PRETTY_NAME", "Linux"),
                os.getOrDefault("VERSION_ID", ""),
                machine,
                goArch,
                Runtime.getRuntime().availableProcessors(),
                readMemTotal(),
                Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? "2" : "1");
    }

    static String firstLine(Path file, String dflt) {
        try {
            String s = Files.readString(file).trim();
            int nl = s.indexOf('\n');
            return nl < 0 ? s : s.substring(0, nl);
        } catch (IOException e) {
            return dflt;
        }
    }

    private static Map<String, String> osRelease() {
        Map<String, String> m = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    m.put(line.substring(0, eq), line.substring(eq + 1).replaceAll("^\"|\"$", ""));
                }
            }
        } catch (IOException e) {
            // not every system has it; defaults apply
        }
        return m;
    }

    private static long readMemTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return Runtime.getRuntime().maxMemory();
    }
}
