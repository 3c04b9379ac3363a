package io.jcompose.cli.command;

import picocli.CommandLine.Option;

/** {@code --index}: which replica of a service a per-container command addresses. */
final class IndexOption {
    @Option(names = "--index", paramLabel = "<int>", defaultValue = "0",
            description = "Index of the container if service has multiple replicas")
    int index;
}
