package io.jcompose.runtime.engine;

import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.EventSink;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.model.AuthResponse;
import io.jcompose.runtime.api.model.ContainerConfig;
import io.jcompose.runtime.api.model.HealthConfig;
import io.jcompose.runtime.api.model.DistributionInspect;
import io.jcompose.runtime.api.model.ImageDeleteItem;
import io.jcompose.runtime.api.model.ImageHistoryItem;
import io.jcompose.runtime.api.model.ImageInspect;
import io.jcompose.runtime.api.model.ImageSummary;
import io.jcompose.runtime.api.model.ProgressMessage;
import io.jcompose.runtime.api.model.PruneReport;
import io.jcompose.runtime.api.server.ImageBackend;
import io.jcompose.runtime.image.Image;
import io.jcompose.runtime.image.ImageConflictException;
import io.jcompose.runtime.image.ImageNotFoundException;
import io.jcompose.runtime.image.ImageService;
import io.jcompose.runtime.image.PullProgressListener;
import io.jcompose.runtime.image.SnapshotSize;
import io.jcompose.runtime.image.manifest.ImageConfig;
import io.jcompose.runtime.image.manifest.ManifestException;
import io.jcompose.runtime.image.manifest.Platform;
import io.jcompose.runtime.image.reference.ImageReference;
import io.jcompose.runtime.image.reference.InvalidReferenceException;
import io.jcompose.runtime.image.registry.RegistryException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@link ImageBackend} on the real {@link ImageService}: Docker's pull progress stream, list,
 * inspect, tag and removal (refused with 409 while a container uses the image).
 */
final class Images implements ImageBackend {

    private final ImageService service;
    private final EventSink events;
    /** Which containers use an image id (set by the engine once containers exist). */
    private volatile Function<String, List<String>> users = id -> List.of();

    Images(ImageService service, EventSink events) {
        this.service = service;
        this.events = events;
    }

    void usersFrom(Function<String, List<String>> containersUsingImage) {
        this.users = containersUsingImage;
    }

    /** The local image for a reference or id, or Docker's 404. */
    Image require(String nameOrId) {
        try {
            return service.find(nameOrId).orElseThrow(() -> EngineApiException.notFound("No such image: " + nameOrId));
        } catch (InvalidReferenceException e) {
            throw EngineApiException.badRequest(e.getMessage());
        }
    }

    Optional<Image> find(String nameOrId) {
        try {
            return service.find(nameOrId);
        } catch (InvalidReferenceException e) {
            return Optional.empty();
        }
    }

    ImageService service() {
        return service;
    }

    /** The reference a pull asks for: {@code fromImage} plus {@code tag} (a digest when it starts with an algorithm). */
    static String pullReference(String fromImage, String tag) {
        if (fromImage == null || fromImage.isBlank()) {
            throw EngineApiException.badRequest("invalid reference format: repository name must have at least one component");
        }
        if (tag == null || tag.isEmpty()) {
            return fromImage;
        }
        return fromImage + (tag.contains(":") ? "@" : ":") + tag;
    }

    @Override
    public void pull(String fromImage, String tag, String platform, String registryAuth, Consumer<ProgressMessage> progress) {
        ImageReference ref;
        try {
            ref = ImageReference.parse(pullReference(fromImage, tag));
        } catch (InvalidReferenceException e) {
            throw EngineApiException.badRequest(e.getMessage());
        }
        Platform wanted;
        try {
            wanted = platform == null || platform.isBlank() ? null : Platform.parse(platform);
        } catch (IllegalArgumentException e) {
            throw EngineApiException.badRequest(e.getMessage());
        }
        Optional<Image> before = find(ref.toString());
        progress.accept(ProgressMessage.status(ref.tagIfAny().orElse(ref.digestIfAny().map(Object::toString).orElse("latest")),
                "Pulling from " + ref.path()));
        Image image;
        try {
            image = service.pull(ref.toString(), wanted, RegistryAuth.parse(registryAuth).credentials(), e -> progress.accept(layerMessage(e)));
        } catch (RegistryException.NotFound e) {
            throw pullFailed(ref, e, 404);
        } catch (RegistryException.Unauthorized e) {
            throw pullFailed(ref, e, 404);
        } catch (RegistryException | ManifestException | IOException e) {
            throw pullFailed(ref, e, 500);
        } catch (InvalidReferenceException e) {
            throw EngineApiException.badRequest(e.getMessage());
        }
        String digest = image.repoDigests().isEmpty() ? image.manifestDigest().toString()
                : image.repoDigests().getLast().substring(image.repoDigests().getLast().indexOf('@') + 1);
        progress.accept(ProgressMessage.status(null, "Digest: " + digest));
        boolean upToDate = before.isPresent() && before.get().id().equals(image.id());
        progress.accept(ProgressMessage.status(null, (upToDate ? "Status: Image is up to date for " : "Status: Downloaded newer image for ")
                + ref.familiar()));
        events.publish(EventSink.event("image", "pull", ref.familiar(), Map.of("name", ref.familiar())));
    }

    private static EngineApiException pullFailed(ImageReference ref, Exception e, int status) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        if (status == 404) {
            return EngineApiException.notFound("pull access denied for " + ref.familiarRepository()
                    + ", repository does not exist or may require 'docker login': " + msg);
        }
        return new EngineApiException(500, "pulling " + ref.familiar() + ": " + msg);
    }

    private static ProgressMessage layerMessage(PullProgressListener.Event e) {
        String id = e.layer().shortHex();
        if (e.phase() == PullProgressListener.Phase.DOWNLOADING || e.phase() == PullProgressListener.Phase.EXTRACTING) {
            return new ProgressMessage(e.phase().text(), id, new ProgressMessage.ProgressDetail(e.current(), e.total()), null, null, null, null);
        }
        return ProgressMessage.status(id, e.phase().text());
    }

    private static ProgressMessage pushMessage(io.jcompose.runtime.image.PushProgressListener.Event e) {
        String id = e.layer().shortHex();
        if (e.phase() == io.jcompose.runtime.image.PushProgressListener.Phase.PUSHING) {
            return new ProgressMessage(e.text(), id, new ProgressMessage.ProgressDetail(e.current(), e.total()), null, null, null, null);
        }
        return ProgressMessage.status(id, e.text());
    }

    @Override
    public DistributionInspect distribution(String name, String registryAuth) {
        ImageReference ref;
        try {
            ref = ImageReference.parse(name);
        } catch (InvalidReferenceException e) {
            throw EngineApiException.badRequest(e.getMessage());
        }
        try {
            ImageService.RemoteImage remote = service.inspectRemote(ref.toString(), RegistryAuth.parse(registryAuth).credentials());
            var d = remote.descriptor();
            return new DistributionInspect(new DistributionInspect.Descriptor(d.mediaType(), d.digest().toString(), d.size()),
                    remote.platforms().stream()
                            .map(p -> new DistributionInspect.Platform(p.architecture(), p.os(), p.variant())).toList());
        } catch (RegistryException.NotFound | RegistryException.Unauthorized e) {
            throw pullFailed(ref, e, 404);
        } catch (RegistryException | ManifestException | IOException e) {
            throw new EngineApiException(500, "inspecting " + ref.familiar() + " in its registry: " + e.getMessage());
        }
    }

    @Override
    public AuthResponse login(String authConfigJson) {
        RegistryAuth auth = RegistryAuth.parse(authConfigJson);
        if (auth.credentials() == null) {
            throw EngineApiException.badRequest("login needs a username and a password");
        }
        String host = auth.serverAddress().isBlank() ? ImageReference.DOCKER_HUB
                : io.jcompose.runtime.image.registry.DockerConfigAuthSource.registryHost(auth.serverAddress());
        try {
            service.registry().checkLogin(host, auth.credentials());
        } catch (RegistryException.Unauthorized e) {
            throw new EngineApiException(401, e.getMessage());
        } catch (RegistryException e) {
            throw new EngineApiException(500, e.getMessage());
        }
        return new AuthResponse("Login Succeeded", "");
    }


    @Override
    public void push(String name, String tag, String registryAuth, Consumer<ProgressMessage> progress) {
        String ref = pullReference(name, tag);
        require(ref);
        try {
            progress.accept(ProgressMessage.status(null, "The push refers to repository [" + ImageReference.parse(ref).repository() + "]"));
            var digest = service.push(ref, RegistryAuth.parse(registryAuth).credentials(), e -> progress.accept(pushMessage(e)));
            String tagName = ImageReference.parse(ref).tagIfAny().orElse("latest");
            long size = service.blobSize(digest);
            // Docker's last two lines: the summary, then the same as aux for API clients.
            progress.accept(ProgressMessage.status(null, tagName + ": digest: " + digest + " size: " + size));
            progress.accept(new ProgressMessage(null, null, new ProgressMessage.ProgressDetail(null, null), null, null, null,
                    Map.of("Tag", tagName, "Digest", digest.toString(), "Size", size)));
        } catch (RegistryException | IOException e) {
            throw new EngineApiException(500, "pushing " + ref + ": " + e.getMessage());
        }
    }

    @Override
    public List<ImageSummary> list(boolean all, Filters filters) {
        List<ImageSummary> out = new ArrayList<>();
        for (Image i : service.list()) {
            ImageConfig c = service.config(i);
            Map<String, String> labels = c.labels() == null ? Map.of() : c.labels();
            if (filters != null && !filters.matchLabels("label", labels)) {
                continue;
            }
            if (filters != null && filters.has("reference") && i.familiarRepoTags().stream().noneMatch(t -> filters.get("reference").stream()
                    .anyMatch(r -> t.equals(r) || t.startsWith(r + ":")))) {
                continue;
            }
            out.add(new ImageSummary(i.id().toString(), "", i.familiarRepoTags(), i.familiarRepoDigests(), epochSeconds(i.created()), i.size(), 0,
                    labels, -1));
        }
        return out;
    }

    private static long epochSeconds(String rfc3339) {
        try {
            return rfc3339 == null ? 0 : Instant.parse(rfc3339).getEpochSecond();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    @Override
    public ImageInspect inspect(String name) {
        Image i = require(name);
        ImageConfig c = service.config(i);
        return new ImageInspect(i.id().toString(), i.familiarRepoTags(), i.familiarRepoDigests(), "", "",
                i.created() == null ? "" : i.created(), "", containerConfig(c), c.architecture(), c.variant(), c.os(), i.size(),
                new ImageInspect.RootFs("layers", c.diffIds().stream().map(Object::toString).toList()), new ImageInspect.Metadata(null));
    }

    /**
     * The config's history, newest first; each entry that made a layer gets that layer's size
     * (the layers are matched to the non-empty entries in order, as dockerd does).
     */
    @Override
    public List<ImageHistoryItem> history(String name) {
        Image i = require(name);
        ImageConfig c = service.config(i);
        List<java.nio.file.Path> bottomFirst = new ArrayList<>(service.lowerDirs(i).reversed());
        List<ImageHistoryItem> out = new ArrayList<>();
        int layer = 0;
        for (ImageConfig.History h : c.history()) {
            long size = 0;
            if (!h.emptyLayer() && layer < bottomFirst.size()) {
                size = SnapshotSize.of(bottomFirst.get(layer++));
            }
            out.addFirst(new ImageHistoryItem("<missing>", epochSeconds(h.created()), h.createdBy() == null ? "" : h.createdBy(),
                    null, size, h.comment() == null ? "" : h.comment()));
        }
        if (!out.isEmpty()) {
            ImageHistoryItem top = out.getFirst();
            out.set(0, new ImageHistoryItem(i.id().toString(), top.created(), top.createdBy(), i.familiarRepoTags(), top.size(), top.comment()));
        }
        return out;
    }

    /** The image config the way {@code Config} in image and container inspect shows it. */
    static ContainerConfig containerConfig(ImageConfig c) {
        Map<String, Map<String, Object>> ports = new LinkedHashMap<>();
        c.exposedPorts().forEach(p -> ports.put(p, Map.of()));
        Map<String, Map<String, Object>> volumes = new LinkedHashMap<>();
        c.volumes().forEach(v -> volumes.put(v, Map.of()));
        // Unset durations and retries are 0 in the config; Docker omits them (omitempty), so do we.
        var h = c.healthcheck();
        HealthConfig hc = h == null ? null : new HealthConfig(h.test(), nanosOrNull(h.interval()), nanosOrNull(h.timeout()),
                nanosOrNull(h.startPeriod()), nanosOrNull(h.startInterval()), h.retries() == 0 ? null : h.retries());
        return new ContainerConfig("", "", c.user(), false, false, false, ports.isEmpty() ? null : ports, false, false, false, c.env(), c.cmd(),
                hc, "", volumes.isEmpty() ? null : volumes, c.workingDir(), c.entrypoint(), null, null, c.labels(), c.stopSignal(), null,
                c.shell());
    }

    private static Long nanosOrNull(java.time.Duration d) {
        return d == null || d.isZero() ? null : d.toNanos();
    }

    @Override
    public void tag(String name, String repo, String tag) {
        require(name);
        String target = repo + (tag == null || tag.isEmpty() ? ":latest" : ":" + tag);
        try {
            service.tag(name, target);
        } catch (InvalidReferenceException e) {
            throw EngineApiException.badRequest(e.getMessage());
        }
        events.publish(EventSink.event("image", "tag", target, Map.of("name", target)));
    }

    @Override
    public List<ImageDeleteItem> remove(String name, boolean force, boolean noPrune) {
        Image image = require(name);
        List<String> using = users.apply(image.id().toString());
        boolean byId = !name.contains(":") && image.id().hex().startsWith(name.replace("sha256:", "")) || name.equals(image.id().toString());
        if (!using.isEmpty() && !force && (byId || image.repoTags().size() <= 1)) {
            throw EngineApiException.conflict("conflict: unable to remove repository reference \"" + name + "\" (must force) - container "
                    + using.getFirst().substring(0, 12) + " is using its referenced image " + image.id().shortHex());
        }
        try {
            ImageService.Removal r = service.remove(name, force);
            List<ImageDeleteItem> out = new ArrayList<>();
            r.untagged().forEach(t -> {
                out.add(new ImageDeleteItem(ImageReference.parse(t).familiar(), null));
                events.publish(EventSink.event("image", "untag", image.id().toString(), Map.of("name", t)));
            });
            r.deleted().forEach(d -> {
                out.add(new ImageDeleteItem(null, d.toString()));
                events.publish(EventSink.event("image", "delete", d.toString(), Map.of("name", d.toString())));
            });
            return out;
        } catch (ImageNotFoundException e) {
            throw EngineApiException.notFound("No such image: " + name);
        } catch (ImageConflictException e) {
            throw EngineApiException.conflict(e.getMessage());
        } catch (IOException e) {
            throw new EngineApiException(500, "removing image " + name + ": " + e.getMessage());
        }
    }

    @Override
    public PruneReport prune(Filters filters) {
        List<ImageDeleteItem> deleted = new ArrayList<>();
        for (Image i : service.list()) {
            if (i.repoTags().isEmpty() && users.apply(i.id().toString()).isEmpty()) {
                deleted.addAll(remove(i.id().toString(), false, false));
            }
        }
        return PruneReport.images(deleted, 0);
    }

    @Override
    public int count() {
        return service.list().size();
    }
}
