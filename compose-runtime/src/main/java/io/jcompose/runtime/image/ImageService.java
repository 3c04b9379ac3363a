package io.jcompose.runtime.image;

import io.jcompose.runtime.image.PullProgressListener.Event;
import io.jcompose.runtime.image.PullProgressListener.Phase;
import io.jcompose.runtime.image.manifest.Descriptor;
import io.jcompose.runtime.image.manifest.ImageConfig;
import io.jcompose.runtime.image.manifest.Manifest;
import io.jcompose.runtime.image.manifest.ManifestException;
import io.jcompose.runtime.image.manifest.MediaTypes;
import io.jcompose.runtime.image.manifest.Platform;
import io.jcompose.runtime.image.reference.Digest;
import io.jcompose.runtime.image.reference.ImageReference;
import io.jcompose.runtime.image.reference.InvalidReferenceException;
import io.jcompose.runtime.image.registry.FetchedManifest;
import io.jcompose.runtime.image.registry.RegistryClient;
import io.jcompose.runtime.image.registry.RegistryConfig;
import io.jcompose.runtime.image.registry.RegistryCredentials;
import io.jcompose.runtime.image.registry.RemoteRepository;
import io.jcompose.runtime.image.snapshot.ChainIds;
import io.jcompose.runtime.image.snapshot.SnapshotStore;
import io.jcompose.runtime.image.store.ContentStore;
import io.jcompose.runtime.image.store.SingleFlight;
import io.jcompose.runtime.image.unpack.LayerUnpacker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Pattern;

/**
 * The engine's image service: pulls images from registries into the local store, finds, tags
 * and removes them, and tells the container runtime which overlay lower directories make an
 * image's root filesystem. Layout on disk: {@code docs/images.md}.
 *
 * <p>Thread-safe: pulls run concurrently (shared blobs and snapshots are downloaded/unpacked
 * once); removals wait for running pulls so garbage collection never takes a blob in use.
 */
public final class ImageService implements AutoCloseable {

  private static final tools.jackson.databind.json.JsonMapper BUILD_JSON =
      tools.jackson.databind.json.JsonMapper.builder().build();
  private static final Pattern HEX_PREFIX = Pattern.compile("(sha256:)?[a-f0-9]{1,64}");

  private final RegistryClient registry;
  private final ContentStore blobs;
  private final SnapshotStore snapshots;
  private final ImageRecords records;
  private final Semaphore downloads;
  /** Pulls hold the read lock, removal (GC) the write lock; tag changes synchronise on records. */
  private final ReentrantReadWriteLock gcLock = new ReentrantReadWriteLock();

  /**
   * @param dataRoot the engine's data root ({@code /var/lib/jcompose}); images live in
   *     {@code <dataRoot>/image}
   */
  public ImageService(Path dataRoot, RegistryConfig config) {
    Path root = dataRoot.resolve("image");
    this.registry = new RegistryClient(config);
    this.blobs = new ContentStore(root, config.maxAttempts(), config.initialBackoff());
    this.snapshots = new SnapshotStore(root, new LayerUnpacker());
    this.records = new ImageRecords(root);
    this.downloads = new Semaphore(config.maxConcurrentDownloads());
  }

  /**
   * Pulls {@code reference} for {@code platform} (for a multi-platform image, the matching
   * manifest is chosen), verifying every byte, and unpacks its layers into snapshots.
   *
   * @param platform the wanted platform, {@code null} for the host's (then a single-platform
   *     image of another platform is accepted, as Docker does)
   * @throws InvalidReferenceException for a malformed reference
   * @throws io.jcompose.runtime.image.registry.RegistryException when the registry refuses
   * @throws ManifestException when the manifest is unusable or has no such platform
   * @throws io.jcompose.runtime.image.unpack.LayerRejectedException for an unsafe layer
   */
  public Image pull(String reference, Platform platform, PullProgressListener progress)
      throws IOException {
    return pull(reference, platform, null, progress);
  }

  /**
   * As {@link #pull(String, Platform, PullProgressListener)}, with credentials of this request
   * (the Engine API's {@code X-Registry-Auth}) instead of the configured ones, or null.
   */
  public Image pull(String reference, Platform platform, RegistryCredentials credentials, PullProgressListener progress)
      throws IOException {
    ImageReference ref = ImageReference.parse(reference);
    Platform wanted = platform != null ? platform : Platform.host();
    gcLock.readLock().lock();
    try {
      RemoteRepository repo = registry.repository(ref, false, credentials);
      FetchedManifest top = repo.manifest(ref.manifestReference());
      FetchedManifest single = top;
      if (top.manifest() instanceof Manifest.ImageIndex index) {
        Descriptor chosen = index.select(wanted);
        single = repo.manifest(chosen.digest().toString());
        if (!(single.manifest() instanceof Manifest.ImageManifest)) {
          throw new ManifestException("the manifest list of " + ref
              + " points to another list for " + wanted + "; nested lists are not supported");
        }
        blobs.put(top.digest(), top.bytes());
      }
      Manifest.ImageManifest manifest = (Manifest.ImageManifest) single.manifest();
      blobs.put(single.digest(), single.bytes());

      Descriptor configDesc = manifest.config();
      Path configPath = blobs.fetch(configDesc.digest(), configDesc.size(),
          offset -> repo.openBlob(configDesc.digest(), offset), n -> {});
      ImageConfig config = ImageConfig.parse(Files.readAllBytes(configPath));
      if (platform != null && top.manifest() instanceof Manifest.ImageManifest
          && !platform.matches(config.platform())) {
        throw new ManifestException("image " + ref.familiar() + " is for " + config.platform()
            + ", not the requested " + platform);
      }
      if (config.diffIds().size() != manifest.layers().size()) {
        throw new ManifestException("image " + ref.familiar() + " has " + manifest.layers().size()
            + " layers but its config lists " + config.diffIds().size() + " diff ids");
      }
      long size = fetchAndUnpackLayers(repo, manifest.layers(), config.diffIds(), progress);

      Image image = new Image(configDesc.digest(), single.digest(), single.mediaType(),
          manifest.layers().stream().map(Descriptor::digest).toList(), List.of(), List.of(),
          config.platform(), size, config.created());
      String repoDigest = ref.repository() + "@" + top.digest();
      return remember(image, ref.tag() != null ? ref.withTag(ref.tag()).toString() : null,
          repoDigest);
    } finally {
      gcLock.readLock().unlock();
    }
  }

  private long fetchAndUnpackLayers(RemoteRepository repo, List<Descriptor> layers,
      List<Digest> diffIds, PullProgressListener progress) throws IOException {
    List<Digest> chainIds = ChainIds.of(diffIds);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Long>> results = new ArrayList<>();
      for (int i = 0; i < layers.size(); i++) {
        Descriptor layer = layers.get(i);
        Digest chainId = chainIds.get(i);
        Digest diffId = diffIds.get(i);
        if (snapshots.exists(chainId)) {
          progress.onEvent(new Event(layer.digest(), Phase.ALREADY_EXISTS, 0, layer.size()));
          results.add(pool.submit(() -> snapshots.size(chainId)));
          continue;
        }
        progress.onEvent(new Event(layer.digest(), Phase.PULLING_FS_LAYER, 0, layer.size()));
        results.add(pool.submit(() -> {
          if (!blobs.contains(layer.digest())) {
            progress.onEvent(new Event(layer.digest(), Phase.WAITING, 0, layer.size()));
          }
          downloads.acquire();
          try {
            // The layer unpacks while it downloads (one pass over the bytes, both cores busy).
            LayerProgress bytes = new LayerProgress(layer, progress);
            snapshots.ensure(chainId, diffId, () -> blobs.open(layer.digest(), layer.size(),
                offset -> repo.openBlob(layer.digest(), offset), bytes), layer.digest().toString());
            if (!blobs.contains(layer.digest())) {
              // Another pull unpacked the same diff from a differently compressed blob: ours
              // is still wanted in the store (push, garbage collection by manifest).
              blobs.fetch(layer.digest(), layer.size(),
                  offset -> repo.openBlob(layer.digest(), offset), bytes);
            }
            bytes.accept(layer.size());
          } finally {
            downloads.release();
          }
          progress.onEvent(new Event(layer.digest(), Phase.PULL_COMPLETE, 0, layer.size()));
          return snapshots.size(chainId);
        }));
      }
      long total = 0;
      for (Future<Long> f : results) {
        total += SingleFlight.join(f);
      }
      return total;
    }
  }

  /**
   * Turns a layer's byte count into Docker's progress events: {@code Downloading} while bytes
   * arrive, then once {@code Verifying Checksum}, {@code Download complete} and
   * {@code Extracting} (the unpack runs along with the download and finishes after it).
   */
  private static final class LayerProgress implements java.util.function.LongConsumer {
    private final Descriptor layer;
    private final PullProgressListener progress;
    private final java.util.concurrent.atomic.AtomicBoolean downloaded =
        new java.util.concurrent.atomic.AtomicBoolean();

    LayerProgress(Descriptor layer, PullProgressListener progress) {
      this.layer = layer;
      this.progress = progress;
    }

    @Override
    public void accept(long n) {
      if (downloaded.get()) {
        return;
      }
      progress.onEvent(new Event(layer.digest(), Phase.DOWNLOADING, n, layer.size()));
      if (n >= layer.size() && downloaded.compareAndSet(false, true)) {
        progress.onEvent(new Event(layer.digest(), Phase.VERIFYING, 0, layer.size()));
        progress.onEvent(new Event(layer.digest(), Phase.DOWNLOAD_COMPLETE, 0, layer.size()));
        progress.onEvent(new Event(layer.digest(), Phase.EXTRACTING, 0, layer.size()));
      }
    }
  }

  /** Records the image with one more tag and digest, moving the tag off any other image. */
  private Image remember(Image image, String tag, String repoDigest) {
    synchronized (records) {
      Image stored = records.all().stream().filter(i -> i.id().equals(image.id())).findFirst()
          .orElse(null);
      Image current = stored != null ? stored : image;
      Set<String> tags = new LinkedHashSet<>(current.repoTags());
      Set<String> digests = new LinkedHashSet<>(current.repoDigests());
      if (tag != null) {
        untagOthers(tag, image.id());
        tags.add(tag);
      }
      if (repoDigest != null) {
        digests.add(repoDigest);
      }
      Image updated = image.withNames(List.copyOf(tags), List.copyOf(digests));
      if (!updated.equals(stored)) { // a rebuild that changed nothing: no fsynced rewrite of the same record
        records.write(updated);
      }
      return updated;
    }
  }

  private void untagOthers(String tag, Digest keep) {
    for (Image other : records.all()) {
      if (!other.id().equals(keep) && other.repoTags().contains(tag)) {
        List<String> rest = new ArrayList<>(other.repoTags());
        rest.remove(tag);
        records.write(other.withNames(rest, other.repoDigests()));
      }
    }
  }

  /**
   * Finds an image by id ({@code sha256:<hex>}, full hex or a unique hex prefix), by name
   * ({@code redis}, {@code redis:7}) or by digest ({@code redis@sha256:...}).
   */
  public Optional<Image> find(String referenceOrId) {
    List<Image> all = records.all();
    String s = referenceOrId.strip();
    if (HEX_PREFIX.matcher(s).matches()) {
      String hex = s.startsWith("sha256:") ? s.substring(7) : s;
      List<Image> byId = all.stream().filter(i -> i.id().hex().startsWith(hex)).toList();
      if (byId.size() == 1) {
        return Optional.of(byId.getFirst());
      }
      if (s.startsWith("sha256:") || hex.length() == 64) {
        return Optional.empty();
      }
    }
    ImageReference ref;
    try {
      ref = ImageReference.parse(s);
    } catch (InvalidReferenceException e) {
      return Optional.empty();
    }
    if (ref.digest() != null) {
      String wanted = ref.repository() + "@" + ref.digest();
      return all.stream().filter(i -> i.repoDigests().contains(wanted)
          || (i.manifestDigest().equals(ref.digest()) && names(i, ref.repository()))).findFirst();
    }
    String wanted = ref.toString();
    return all.stream().filter(i -> i.repoTags().contains(wanted)).findFirst();
  }

  private static boolean names(Image i, String repository) {
    return i.repoDigests().stream().anyMatch(d -> d.startsWith(repository + "@"));
  }

  /** Every image in the store. */
  public List<Image> list() {
    return records.all();
  }

  /** Gives {@code source}'s image the name {@code target} (moving the tag if another had it). */
  public Image tag(String source, String target) {
    Image image = find(source).orElseThrow(() -> new ImageNotFoundException(source));
    ImageReference t = ImageReference.parse(target);
    if (t.digest() != null) {
      throw new InvalidReferenceException("refusing to create a tag with a digest reference: "
          + target);
    }
    return remember(image, t.toString(), null);
  }

  /**
   * The outcome of a removal, as Docker's {@code DELETE /images} lists it.
   *
   * @param untagged names removed, canonical form
   * @param deleted image ids deleted
   */
  public record Removal(List<String> untagged, List<Digest> deleted) {}

  /**
   * Removes a name or an image, like {@code docker rmi}: a name that is one of several tags is
   * only untagged; the last name, or the id, deletes the image and then garbage-collects blobs
   * and snapshots no image uses any more. The caller checks that no container uses it.
   *
   * @param force delete even when the image is named in several repositories
   */
  public Removal remove(String referenceOrId, boolean force) throws IOException {
    gcLock.writeLock().lock();
    try {
      synchronized (records) {
        Image image = find(referenceOrId).orElseThrow(() -> new ImageNotFoundException(referenceOrId));
        boolean byId = HEX_PREFIX.matcher(referenceOrId.strip()).matches()
            && image.id().hex().startsWith(referenceOrId.strip().replace("sha256:", ""));
        List<String> untagged = new ArrayList<>();
        if (!byId) {
          ImageReference ref = ImageReference.parse(referenceOrId);
          String name = ref.digest() != null ? ref.repository() + "@" + ref.digest() : ref.toString();
          List<String> tags = new ArrayList<>(image.repoTags());
          List<String> digests = new ArrayList<>(image.repoDigests());
          if (tags.remove(name) || digests.remove(name)) {
            untagged.add(name);
          }
          if (!tags.isEmpty()) {
            records.write(image.withNames(tags, digests));
            return new Removal(untagged, List.of());
          }
          // The last tag: Docker drops the digests of the same repository with it.
          digests.removeIf(d -> d.startsWith(ref.repository() + "@"));
          untagged.addAll(digests);
        } else {
          long repos = image.repoTags().stream()
              .map(t -> ImageReference.parse(t).repository()).distinct().count();
          if (repos > 1 && !force) {
            throw new ImageConflictException("conflict: unable to delete " + image.id().shortHex()
                + " (must be forced) - image is referenced in multiple repositories");
          }
          untagged.addAll(image.repoTags());
          untagged.addAll(image.repoDigests());
        }
        records.delete(image.id());
        collectGarbage();
        return new Removal(untagged, List.of(image.id()));
      }
    } finally {
      gcLock.writeLock().unlock();
    }
  }

  /**
   * Removes dangling images (no tag left, like {@code docker image prune}) and collects the
   * garbage; the caller passes the ids containers still use, which are kept.
   *
   * @return the ids deleted
   */
  public List<Digest> prune(Set<Digest> inUse) throws IOException {
    gcLock.writeLock().lock();
    try {
      synchronized (records) {
        List<Digest> deleted = new ArrayList<>();
        for (Image i : records.all()) {
          if (i.repoTags().isEmpty() && !inUse.contains(i.id())) {
            records.delete(i.id());
            deleted.add(i.id());
          }
        }
        collectGarbage();
        return deleted;
      }
    } finally {
      gcLock.writeLock().unlock();
    }
  }

  /**
   * Deletes those of {@code candidates} (the layers of pruned build cache records) that no image
   * refers to; their snapshots go with the next garbage collection.
   *
   * @return the bytes freed
   */
  public long deleteBlobsUnlessUsed(Set<Digest> candidates) throws IOException {
    gcLock.writeLock().lock();
    try {
      synchronized (records) {
        Set<Digest> used = new HashSet<>();
        for (Image i : records.all()) {
          used.addAll(i.layers());
        }
        long freed = 0;
        for (Digest d : candidates) {
          if (!used.contains(d) && blobs.contains(d)) {
            Path p = blobs.path(d);
            freed += Files.size(p);
            Files.deleteIfExists(p);
          }
        }
        return freed;
      }
    } finally {
      gcLock.writeLock().unlock();
    }
  }

  /** Deletes blobs and snapshots no image refers to. Runs under the write lock. */
  private void collectGarbage() throws IOException {
    Set<Digest> keepBlobs = new HashSet<>();
    Set<Digest> keepSnapshots = new HashSet<>();
    for (Image i : records.all()) {
      keepBlobs.add(i.id());
      keepBlobs.add(i.manifestDigest());
      keepBlobs.addAll(i.layers());
      for (String d : i.repoDigests()) {
        keepBlobs.add(ImageReference.parse(d).digest());
      }
      keepSnapshots.addAll(ChainIds.of(config(i).diffIds()));
    }
    blobs.retainOnly(keepBlobs);
    snapshots.retainOnly(keepSnapshots);
  }

  /**
   * Pushes a local image to the registry its name points at: layers and config (mounted from
   * another repository of the same registry when the image came from there, else uploaded),
   * then the manifest under the reference's tag. The manifest bytes are the pulled ones, so the
   * pushed image has the same digest.
   *
   * @return the manifest digest, now also recorded as a repo digest of the image
   */
  public Digest push(String reference) throws IOException {
    return push(reference, null, PushProgressListener.NONE);
  }

  /**
   * As {@link #push(String)}, with credentials of this request instead of the configured ones
   * (or null), telling {@code progress} about each layer as Docker does: all {@code Preparing}
   * (top layer first), then {@code Waiting} for those queued behind the
   * {@value #MAX_CONCURRENT_UPLOADS} uploads at a time (Docker's default), {@code Pushing} with
   * the bytes sent, and {@code Pushed}, {@code Layer already exists} or {@code Mounted from <repo>}.
   */
  public Digest push(String reference, RegistryCredentials credentials, PushProgressListener progress)
      throws IOException {
    Image image = find(reference).orElseThrow(() -> new ImageNotFoundException(reference));
    ImageReference ref = ImageReference.parse(reference);
    if (ref.tag() == null) {
      throw new InvalidReferenceException("push needs a tag, not only a digest: " + reference);
    }
    gcLock.readLock().lock();
    try {
      RemoteRepository repo = registry.repository(ref, true, credentials);
      Optional<String> mountFrom = image.repoDigests().stream()
          .map(ImageReference::parse)
          .filter(r -> r.domain().equals(ref.domain()) && !r.path().equals(ref.path()))
          .map(ImageReference::path)
          .findFirst();
      List<Digest> diffIds = config(image).diffIds();
      List<Digest> layers = image.layers();
      for (int i = layers.size() - 1; i >= 0; i--) {
        progress.onEvent(new PushProgressListener.Event(diffIds.get(i), PushProgressListener.Phase.PREPARING,
            0, 0, null));
      }
      Semaphore uploads = new Semaphore(MAX_CONCURRENT_UPLOADS);
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<Void>> done = new ArrayList<>();
        for (int i = layers.size() - 1; i >= 0; i--) {
          Digest layer = layers.get(i);
          Digest diffId = diffIds.get(i);
          boolean queued = !uploads.tryAcquire();
          if (queued) {
            progress.onEvent(new PushProgressListener.Event(diffId, PushProgressListener.Phase.WAITING, 0, 0, null));
          }
          done.add(pool.submit(() -> {
            if (queued) {
              uploads.acquire();
            }
            try {
              pushLayer(repo, layer, diffId, mountFrom, progress);
            } finally {
              uploads.release();
            }
            return null;
          }));
        }
        for (Future<Void> f : done) {
          SingleFlight.join(f);
        }
      }
      repo.pushBlob(image.id(), blobs.path(image.id()), mountFrom, n -> {});
      repo.putManifest(ref.tag(), blobs.read(image.manifestDigest()), image.manifestMediaType());
      remember(image, null, ref.repository() + "@" + image.manifestDigest());
      return image.manifestDigest();
    } finally {
      gcLock.readLock().unlock();
    }
  }

  /** Docker's {@code max-concurrent-uploads} default. */
  private static final int MAX_CONCURRENT_UPLOADS = 5;

  private void pushLayer(RemoteRepository repo, Digest layer, Digest diffId, Optional<String> mountFrom,
      PushProgressListener progress) throws IOException {
    Path file = blobs.path(layer);
    long size = Files.size(file);
    RemoteRepository.BlobPush how = repo.pushBlob(layer, file, mountFrom, n -> progress.onEvent(
        new PushProgressListener.Event(diffId, PushProgressListener.Phase.PUSHING, n, size, null)));
    progress.onEvent(switch (how) {
      case ALREADY_THERE -> new PushProgressListener.Event(diffId, PushProgressListener.Phase.LAYER_EXISTS, 0, size, null);
      case MOUNTED -> new PushProgressListener.Event(diffId, PushProgressListener.Phase.MOUNTED, 0, size,
          mountFrom.orElse(""));
      case UPLOADED -> new PushProgressListener.Event(diffId, PushProgressListener.Phase.PUSHED, 0, size, null);
    });
  }

  /** The size in bytes of a stored blob (the manifest's, for the push summary line). */
  public long blobSize(Digest digest) throws IOException {
    return Files.size(blobs.path(digest));
  }

  /**
   * What a registry holds under a reference, without pulling it (Docker's distribution inspect):
   * the descriptor of the manifest or index the reference names, and the platforms it offers.
   *
   * @param descriptor media type, digest and size of the top manifest or index
   * @param platforms the index's platforms, or the single manifest's config platform
   */
  public record RemoteImage(Descriptor descriptor, List<Platform> platforms) {}

  /**
   * Asks the registry what a reference points at (for {@code config --resolve-image-digests}),
   * with credentials of this request, or null for the configured ones.
   *
   * @throws InvalidReferenceException for a malformed reference
   * @throws io.jcompose.runtime.image.registry.RegistryException when the registry refuses
   */
  public RemoteImage inspectRemote(String reference, RegistryCredentials credentials) throws IOException {
    ImageReference ref = ImageReference.parse(reference);
    RemoteRepository repo = registry.repository(ref, false, credentials);
    FetchedManifest top = repo.manifest(ref.manifestReference());
    Descriptor descriptor = new Descriptor(top.mediaType(), top.digest(), top.bytes().length);
    List<Platform> platforms;
    if (top.manifest() instanceof Manifest.ImageIndex index) {
      platforms = index.manifests().stream().map(Descriptor::platform).filter(java.util.Objects::nonNull).distinct().toList();
    } else {
      Descriptor config = ((Manifest.ImageManifest) top.manifest()).config();
      try (var in = repo.openBlob(config.digest(), 0).body()) {
        platforms = List.of(ImageConfig.parse(in.readNBytes((int) Math.min(config.size(), 4 << 20))).platform());
      }
    }
    return new RemoteImage(descriptor, platforms);
  }

  /**
   * The layers of an image as the manifest describes them (media type, digest, size), base
   * first: what a build FROM it puts in its own manifest before its new layers.
   */
  public List<Descriptor> layerDescriptors(Image image) {
    try {
      tools.jackson.databind.JsonNode m = BUILD_JSON.readTree(blobs.read(image.manifestDigest()));
      List<Descriptor> out = new ArrayList<>();
      for (tools.jackson.databind.JsonNode l : m.path("layers")) {
        out.add(new Descriptor(l.path("mediaType").asString(), Digest.parse(l.path("digest").asString()),
            l.path("size").asLong()));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("the manifest of image " + image.id()
          + " is missing from the store (pull it again)", e);
    }
  }

  /**
   * Stores an image a build made, as a pulled one is stored: new layer blobs are copied into
   * the content store (verified against their digests) and unpacked into snapshots, the config
   * and an OCI manifest are written, and the image is recorded under {@code tag} (moved off any
   * other image), so it can be run, tagged and pushed like any other.
   *
   * @param config the image config JSON (its {@code rootfs.diff_ids} match {@code layers})
   * @param layers every layer, base first, as manifest descriptors; their blobs must be in the
   *     store ({@link #storeBlob})
   * @param tag the name to give it, or null for a dangling image
   */
  public Image storeBuilt(byte[] config, List<Descriptor> layers, String tag) throws IOException {
    ImageConfig parsed = ImageConfig.parse(config);
    if (parsed.diffIds().size() != layers.size()) {
      throw new ManifestException("built image has " + layers.size() + " layers but its config lists "
          + parsed.diffIds().size() + " diff ids");
    }
    gcLock.readLock().lock();
    try {
      for (Descriptor layer : layers) {
        if (!blobs.contains(layer.digest())) {
          throw new IllegalStateException("layer " + layer.digest() + " of the built image is not in the store");
        }
      }
      List<Digest> chainIds = ChainIds.of(parsed.diffIds());
      long size = 0;
      for (int i = 0; i < layers.size(); i++) {
        Descriptor layer = layers.get(i);
        snapshots.ensure(chainIds.get(i), parsed.diffIds().get(i),
            () -> Files.newInputStream(blobs.path(layer.digest())), layer.digest().toString());
        size += snapshots.size(chainIds.get(i));
      }
      Digest configDigest = Digest.sha256(config);
      blobs.put(configDigest, config);
      tools.jackson.databind.node.ObjectNode manifest = BUILD_JSON.createObjectNode();
      manifest.put("schemaVersion", 2);
      manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
      tools.jackson.databind.node.ObjectNode c = manifest.putObject("config");
      c.put("mediaType", MediaTypes.OCI_CONFIG);
      c.put("digest", configDigest.toString());
      c.put("size", config.length);
      tools.jackson.databind.node.ArrayNode ls = manifest.putArray("layers");
      for (Descriptor layer : layers) {
        tools.jackson.databind.node.ObjectNode l = ls.addObject();
        l.put("mediaType", layer.mediaType());
        l.put("digest", layer.digest().toString());
        l.put("size", layer.size());
      }
      byte[] manifestBytes = BUILD_JSON.writeValueAsBytes(manifest);
      Digest manifestDigest = Digest.sha256(manifestBytes);
      blobs.put(manifestDigest, manifestBytes);
      Image image = new Image(configDigest, manifestDigest, MediaTypes.OCI_MANIFEST,
          layers.stream().map(Descriptor::digest).toList(), List.of(), List.of(),
          parsed.platform(), size, parsed.created());
      return remember(image, tag == null ? null : ImageReference.parse(tag).toString(), null);
    } finally {
      gcLock.readLock().unlock();
    }
  }

  /**
   * Copies a layer blob a build wrote into the content store, verified against its digest and
   * size. It stays until garbage collection finds no image using it.
   */
  public void storeBlob(Descriptor blob, Path file) throws IOException {
    gcLock.readLock().lock();
    try {
      blobs.fetch(blob.digest(), blob.size(),
          offset -> new io.jcompose.runtime.image.registry.BlobStream(Files.newInputStream(file), 0),
          n -> {});
    } finally {
      gcLock.readLock().unlock();
    }
  }

  /** The raw config JSON of an image (a build starts its own config from it). */
  public byte[] configBytes(Image image) {
    try {
      return blobs.read(image.id());
    } catch (IOException e) {
      throw new UncheckedIOException("the config of image " + image.id()
          + " is missing from the store (pull it again)", e);
    }
  }

  /**
   * The snapshot directories of a layer list whose blobs are in the store (a build's stage
   * that is not an image), unpacking missing ones; top layer first, as {@link #lowerDirs}.
   */
  public List<Path> snapshotDirs(List<Descriptor> layers, List<Digest> diffIds) throws IOException {
    List<Digest> chainIds = ChainIds.of(diffIds);
    List<Path> dirs = new ArrayList<>();
    gcLock.readLock().lock();
    try {
      for (int i = 0; i < layers.size(); i++) {
        Descriptor layer = layers.get(i);
        dirs.addFirst(snapshots.ensure(chainIds.get(i), diffIds.get(i),
            () -> Files.newInputStream(blobs.path(layer.digest())), layer.digest().toString()));
      }
    } finally {
      gcLock.readLock().unlock();
    }
    return dirs;
  }

  /** Whether a blob is in the content store (the build cache checks its layers are still there). */
  public boolean hasBlob(Digest digest) {
    return blobs.contains(digest);
  }

  /** The image's config (Env, Cmd, Entrypoint, ...). */
  public ImageConfig config(Image image) {
    try {
      return ImageConfig.parse(blobs.read(image.id()));
    } catch (IOException e) {
      throw new UncheckedIOException("the config of image " + image.id()
          + " is missing from the store (pull it again)", e);
    }
  }

  /**
   * The snapshot directories that, stacked as overlayfs {@code lowerdir}s, make the image's root
   * filesystem, in {@code lowerdir=} order: the top layer first.
   */
  public List<Path> lowerDirs(Image image) {
    List<Digest> chain = ChainIds.of(config(image).diffIds());
    List<Path> dirs = new ArrayList<>(chain.size());
    for (int i = chain.size() - 1; i >= 0; i--) {
      Path fs = snapshots.fsDir(chain.get(i));
      if (!Files.isDirectory(fs)) {
        throw new IllegalStateException("snapshot " + chain.get(i) + " of image "
            + image.id().shortHex() + " is missing (pull the image again)");
      }
      dirs.add(fs);
    }
    return dirs;
  }

  /** The registry client (also for checking logins against the configured registries). */
  public RegistryClient registry() {
    return registry;
  }

  @Override
  public void close() {
    registry.close();
  }
}
