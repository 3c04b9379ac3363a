package io.jcompose.runtime.api.server;

import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.model.*;
import java.util.List;
import java.util.function.Consumer;

/** Test base: every method fails until a test overrides the ones it needs. */
class UnsupportedImageBackend implements ImageBackend {
    @Override
    public void pull(String fromImage, String tag, String platform, String registryAuth, Consumer<ProgressMessage> progress) {
        throw new UnsupportedOperationException("pull");
    }

    @Override
    public void push(String name, String tag, String registryAuth, Consumer<ProgressMessage> progress) {
        throw new UnsupportedOperationException("push");
    }

    @Override
    public List<ImageSummary> list(boolean all, Filters filters) {
        throw new UnsupportedOperationException("list");
    }

    @Override
    public ImageInspect inspect(String name) {
        throw new UnsupportedOperationException("inspect");
    }

    @Override
    public void tag(String name, String repo, String tag) {
        throw new UnsupportedOperationException("tag");
    }

    @Override
    public List<ImageDeleteItem> remove(String name, boolean force, boolean noPrune) {
        throw new UnsupportedOperationException("remove");
    }

    @Override
    public PruneReport prune(Filters filters) {
        throw new UnsupportedOperationException("prune");
    }

    @Override
    public int count() {
        throw new UnsupportedOperationException("count");
    }
}
