package io.jcompose.cli;

import io.jcompose.cli.progress.Progress;
import io.jcompose.cli.progress.ProgressMode;
import io.jcompose.cli.progress.Terminal;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The global options every sub-command reads: the flags given, else the {@code COMPOSE_*}
 * environment variables {@code docker compose} v2 honours, else compose's defaults.
 *
 * @param files {@code -f}: compose files in order, or {@code COMPOSE_FILE} split at
 *     {@code COMPOSE_PATH_SEPARATOR} (default {@code :}); empty means "look for compose.yaml"
 * @param projectName {@code -p} or {@code COMPOSE_PROJECT_NAME}, as given (not yet normalised)
 * @param projectDirectory {@code --project-directory}; empty means the first file's folder
 * @param envFiles {@code --env-file}s, or {@code COMPOSE_ENV_FILES} split at commas
 * @param profiles {@code --profile}s, or {@code COMPOSE_PROFILES} split at commas
 * @param ansi {@code --ansi}, else {@code COMPOSE_ANSI}, else auto ({@code --no-ansi} means never)
 * @param colour false when {@code NO_COLOR} is set and not empty (https://no-color.org)
 * @param progress the requested progress display: {@code --progress}, else
 *     {@code COMPOSE_PROGRESS}, else auto; {@link ProgressMode#select} picks the one to render
 * @param dryRun {@code --dry-run}
 * @param compatibility {@code --compatibility} or a true {@code COMPOSE_COMPATIBILITY}
 * @param parallel {@code --parallel}, else {@code COMPOSE_PARALLEL_LIMIT}, else -1 (unlimited)
 * @param host {@code -H}, else {@code JCOMPOSE_HOST}, else {@link #DEFAULT_HOST}
 */
public record GlobalOptions(
        List<String> files,
        Optional<String> projectName,
        Optional<Path> projectDirectory,
        List<String> envFiles,
        List<String> profiles,
        AnsiMode ansi,
        boolean colour,
        ProgressMode progress,
        boolean dryRun,
        boolean compatibility,
        int parallel,
        String host) {

    /** The engine jcompose talks to when neither {@code -H} nor {@code JCOMPOSE_HOST} says otherwise. */
    public static final String DEFAULT_HOST = "unix:///run/jcompose/jcompose.sock";

    /** Copies the lists so the record stays immutable. */
    public GlobalOptions {
        files = List.copyOf(files);
        envFiles = List.copyOf(envFiles);
        profiles = List.copyOf(profiles);
    }

    /**
     * Resolves the parsed flags against the environment, with compose's precedence (flag, then
     * variable, then default) and its checks.
     *
     * @param flags the parsed global flags
     * @param env the environment ({@code System.getenv()}; later also the {@code COMPOSE_*}
     *     entries of the project's {@code .env}, which compose honours too)
     * @return the options
     * @throws UsageException for a bad value or a contradictory pair of flags
     */
    public static GlobalOptions resolve(GlobalFlags flags, Map<String, String> env) {
        List<String> files = !flags.files.isEmpty()
                ? flags.files
                : split(env.get("COMPOSE_FILE"), env.getOrDefault("COMPOSE_PATH_SEPARATOR", ":"));
        Optional<String> projectName = Optional.ofNullable(flags.projectName)
                .or(() -> nonEmpty(env.get("COMPOSE_PROJECT_NAME")));
        Optional<Path> projectDirectory = Optional.ofNullable(flags.projectDirectory)
                .or(() -> Optional.ofNullable(flags.workdir))
                .map(Path::of);
        List<String> envFiles = !flags.envFiles.isEmpty() ? flags.envFiles : split(env.get("COMPOSE_ENV_FILES"), ",");
        List<String> profiles = !flags.profiles.isEmpty() ? flags.profiles : split(env.get("COMPOSE_PROFILES"), ",");

        AnsiMode ansi = AnsiMode.AUTO;
        if (flags.noAnsi) {
            if (flags.ansi != null && AnsiMode.parse(flags.ansi) != AnsiMode.AUTO) {
                throw new UsageException("cannot specify DEPRECATED \"--no-ansi\" and \"--ansi\". Please use only \"--ansi\"");
            }
            ansi = AnsiMode.NEVER;
        } else if (flags.ansi != null) {
            ansi = AnsiMode.parse(flags.ansi);
        } else if (env.get("COMPOSE_ANSI") != null) {
            ansi = AnsiMode.parse(env.get("COMPOSE_ANSI"));
        }
        String noColor = env.get("NO_COLOR");
        boolean colour = noColor == null || noColor.isEmpty();

        String progressValue = flags.progress != null ? flags.progress : env.getOrDefault("COMPOSE_PROGRESS", "");
        ProgressMode progress;
        try {
            progress = ProgressMode.parse(progressValue);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (progress == ProgressMode.TTY && ansi == AnsiMode.NEVER) {
            throw new UsageException("can't use --progress tty while ANSI support is disabled");
        }
        if (progress == ProgressMode.PLAIN && ansi == AnsiMode.ALWAYS) {
            throw new UsageException("can't use --progress plain while ANSI support is forced");
        }

        int parallel = -1;
        if (flags.parallel != null) {
            parallel = flags.parallel;
        } else if (env.get("COMPOSE_PARALLEL_LIMIT") != null) {
            String v = env.get("COMPOSE_PARALLEL_LIMIT");
            try {
                parallel = Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new UsageException("COMPOSE_PARALLEL_LIMIT must be an integer (found: \"" + v + "\")");
            }
        }
        boolean compatibility = flags.compatibility || goBool(env.get("COMPOSE_COMPATIBILITY"));
        String host = flags.host != null ? flags.host : nonEmpty(env.get("JCOMPOSE_HOST")).orElse(DEFAULT_HOST);
        return new GlobalOptions(files, projectName, projectDirectory, envFiles, profiles, ansi, colour,
                progress, flags.dryRun, compatibility, parallel, host);
    }

    /**
     * The options a plain {@code jcompose} with no flags and an empty environment has.
     *
     * @return the defaults
     */
    public static GlobalOptions defaults() {
        return resolve(new GlobalFlags(), Map.of());
    }

    /**
     * The progress display to draw, as compose picks it: {@code auto} becomes tty on a terminal
     * (and ANSI allowed), plain otherwise.
     *
     * @param stderrIsTerminal whether stderr is a terminal ({@link Terminal#stderrIsTerminal()})
     * @return tty, plain, json or quiet
     */
    public ProgressMode progressDisplay(boolean stderrIsTerminal) {
        if (progress != ProgressMode.AUTO) {
            return progress;
        }
        return ansi != AnsiMode.NEVER && stderrIsTerminal ? ProgressMode.TTY : ProgressMode.PLAIN;
    }

    /**
     * Opens the progress display these options ask for. Whether it may draw as on a terminal is
     * decided by the run's real stderr (compose's test), whatever stream it writes to.
     *
     * @param err where to draw: the stderr the command line was given ({@link Main#run})
     * @param detached whether the command leaves containers running without following their logs
     * @param terminals the run's terminal facts (is stderr one, its size)
     * @return the display
     */
    public Progress openProgress(PrintStream err, boolean detached, Invocation.Terminals terminals) {
        boolean terminal = terminals.stderr();
        ProgressMode mode = progressDisplay(terminal);
        boolean useColour = colour && (ansi == AnsiMode.ALWAYS || (ansi == AnsiMode.AUTO && terminal));
        return Progress.open(mode, err, useColour, dryRun, detached, terminals.size());
    }

    private static List<String> split(String value, String separator) {
        if (value == null || value.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(value.split(java.util.regex.Pattern.quote(separator)))
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static Optional<String> nonEmpty(String value) {
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** Go's strconv.ParseBool, which compose uses for boolean variables; anything else is false. */
    private static boolean goBool(String value) {
        return value != null && switch (value) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            default -> false;
        };
    }
}
