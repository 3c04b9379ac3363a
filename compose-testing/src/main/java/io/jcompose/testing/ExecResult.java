package io.jcompose.testing;

/**
 * What a command run with {@link ServiceHandle#exec(String...)} returned.
 *
 * @param exitCode the command's exit code
 * @param stdout what it wrote to standard output
 * @param stderr what it wrote to standard error
 */
public record ExecResult(int exitCode, String stdout, String stderr) {}
