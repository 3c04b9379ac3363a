package io.jcompose.testing.support;

import io.jcompose.testing.ComposeProject;
import io.jcompose.testing.ComposeSession;
import io.jcompose.testing.ComposeStack;
import java.nio.file.Path;

/**
 * A tiny test JVM for the crash test: brings up the project in {@code args[0]} with the API,
 * prints {@code UP <project> <session>} and waits to be killed.
 */
public final class StackHolderMain {
    private StackHolderMain() {}

    public static void main(String[] args) throws InterruptedException {
        ComposeStack stack = ComposeProject.from(Path.of(args[0])).up();
        System.out.println("UP " + stack.projectName() + " " + ComposeSession.current().id());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
