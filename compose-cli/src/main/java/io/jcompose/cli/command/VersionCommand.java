package io.jcompose.cli.command;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import io.jcompose.cli.UsageException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jcompose version}: prints the version as {@code docker compose version} does. */
@Command(name = "version", description = "Show the jcompose version information")
public final class VersionCommand implements Runnable {
    @Spec CommandSpec spec;

    @Option(names = "--short", description = "Shows only jcompose's version number")
    boolean shortForm;

    @Option(names = {"-f", "--format"}, description = "Format the output. Values: [pretty | json]", defaultValue = "pretty")
    String format;

    @Override
    public void run() {
        String version = version();
        PrintWriter out = spec.commandLine().getOut();
        if (shortForm) {
            out.println(version);
        } else if ("json".equals(format)) {
            out.println("{\"version\":\"v" + version + "\"}");
        } else if ("pretty".equals(format)) {
            out.println("jcompose version v" + version);
        } else {
            throw new UsageException("unsupported format \"" + format + "\": use pretty or json");
        }
    }

    /**
     * The version this build was made as.
     *
     * @return the project version, e.g. {@code 0.1.0-SNAPSHOT}
     */
    public static String version() {
        try (InputStream in = VersionCommand.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Gives picocli's {@code --version} the same text. */
    public static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"jcompose version v" + version()};
        }
    }
}
