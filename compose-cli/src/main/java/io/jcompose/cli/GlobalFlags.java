package io.jcompose.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The global flags of {@code docker compose} v2, as picocli binds them (before the sub-command,
 * like compose; only {@code --dry-run} may also follow it). Unset flags stay {@code null} so that
 * {@link GlobalOptions#resolve} can tell them from defaults and fall back to {@code COMPOSE_*}.
 */
public final class GlobalFlags {
    @Option(names = {"-f", "--file"}, paramLabel = "<file>", description = "Compose configuration files")
    List<String> files = new ArrayList<>();

    @Option(names = {"-p", "--project-name"}, paramLabel = "<name>", description = "Project name")
    String projectName;

    @Option(names = "--project-directory", paramLabel = "<dir>",
            description = "Specify an alternate working directory%n(default: the path of the, first specified, Compose file)")
    String projectDirectory;

    @Option(names = "--workdir", hidden = true, paramLabel = "<dir>",
            description = "DEPRECATED! USE --project-directory INSTEAD.")
    String workdir;

    @Option(names = "--env-file", paramLabel = "<file>", description = "Specify an alternate environment file")
    List<String> envFiles = new ArrayList<>();

    @Option(names = "--profile", paramLabel = "<profile>", description = "Specify a profile to enable")
    List<String> profiles = new ArrayList<>();

    @Option(names = "--ansi", paramLabel = "<mode>",
            description = "Control when to print ANSI control characters (\"never\"|\"always\"|\"auto\") (default \"auto\")")
    String ansi;

    @Option(names = "--no-ansi", hidden = true, description = "Do not print ANSI control characters (DEPRECATED)")
    boolean noAnsi;

    @Option(names = "--progress", paramLabel = "<mode>",
            description = "Set type of progress output (auto, tty, plain, json, quiet)")
    String progress;

    @Option(names = "--dry-run", scope = ScopeType.INHERIT, description = "Execute command in dry run mode")
    boolean dryRun;

    @Option(names = "--compatibility", description = "Run compose in backward compatibility mode")
    boolean compatibility;

    @Option(names = "--parallel", paramLabel = "<n>", description = "Control max parallelism, -1 for unlimited (default -1)")
    Integer parallel;

    @Option(names = {"-H", "--host"}, paramLabel = "<host>",
            description = "Engine socket to connect to (default: $JCOMPOSE_HOST, else the local jcompose engine)")
    String host;
}
