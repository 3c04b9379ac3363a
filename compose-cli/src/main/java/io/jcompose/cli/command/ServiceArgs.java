package io.jcompose.cli.command;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Parameters;

/** {@code [SERVICE...]}: the services a command acts on, all of the project's when none is given. */
final class ServiceArgs {
    @Parameters(paramLabel = "SERVICE", arity = "0..*")
    List<String> services = new ArrayList<>();
}
