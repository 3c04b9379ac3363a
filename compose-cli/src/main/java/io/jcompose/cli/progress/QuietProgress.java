package io.jcompose.cli.progress;

/** {@code --progress quiet}: shows nothing. */
public final class QuietProgress implements Progress {
    @Override
    public void start(String operation) {}

    @Override
    public void on(ProgressEvent... events) {}

    @Override
    public void done(String operation, boolean success) {}
}
