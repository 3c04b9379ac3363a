package io.jcompose.runtime.image.snapshot;

import io.jcompose.runtime.image.reference.Digest;
import io.jcompose.runtime.image.store.SingleFlight;
import io.jcompose.runtime.image.unpack.LayerRejectedException;
import io.jcompose.runtime.image.unpack.LayerUnpacker;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Unpacked layers under {@code <root>/snapshots/<chain id hex>/fs}, one per chain id, shared by
 * every image whose layer stack starts the same way. A snapshot directory holds only its own
 * layer's changes (whiteouts in overlayfs form), so an image's root is the overlay of its
 * snapshots' {@code fs} directories.
 *
 * <p>A snapshot is unpacked into {@code snapshots/tmp/<random>} and renamed into place whole, so
 * {@code snapshots/<hex>} either is complete or does not exist.
 */
public final class SnapshotStore {

  private final Path snapshots;
  private final Path tmp;
  private final LayerUnpacker unpacker;
  private final SingleFlight<Digest, Path> unpacks = new SingleFlight<>();

  /** Opens the store under {@code root} (e.g. {@code <dataRoot>/image}), clearing old temp dirs. */
  public SnapshotStore(Path root, LayerUnpacker unpacker) {
    this.snapshots = root.resolve("snapshots");
    this.tmp = snapshots.resolve("tmp");
    this.unpacker = unpacker;
    try {
      Files.createDirectories(tmp);
      LayerUnpacker.prepareWorkDirectory(tmp);
      try (Stream<Path> leftovers = Files.list(tmp)) {
        for (Path p : (Iterable<Path>) leftovers::iterator) {
          LayerUnpacker.deleteTree(p); // an unpack interrupted by a crash
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the snapshot store in " + snapshots, e);
    }
  }

  /** The snapshot's {@code fs} directory (whether or not it exists). */
  public Path fsDir(Digest chainId) {
    return snapshots.resolve(chainId.hex()).resolve("fs");
  }

  public boolean exists(Digest chainId) {
    return Files.isDirectory(fsDir(chainId));
  }

  /** Opens a layer's (compressed) bytes. */
  @FunctionalInterface
  public interface LayerSource {
    InputStream open() throws IOException;
  }

  /**
   * Returns the snapshot for {@code chainId}, unpacking the layer first if needed.
   *
   * @param diffId the layer's expected uncompressed digest; a layer that does not match is refused
   * @throws LayerRejectedException for unsafe, corrupt or mismatching layers (nothing is kept)
   */
  public Path ensure(Digest chainId, Digest diffId, LayerSource layer, String layerName)
      throws IOException {
    if (exists(chainId)) {
      return fsDir(chainId);
    }
    return unpacks.run(chainId, () -> unpack(chainId, diffId, layer, layerName));
  }

  private Path unpack(Digest chainId, Digest diffId, LayerSource layer, String layerName)
      throws IOException {
    if (exists(chainId)) {
      return fsDir(chainId);
    }
    Path work = Files.createTempDirectory(tmp, chainId.shortHex());
    boolean done = false;
    try {
      Path fs = work.resolve("fs");
      Files.createDirectory(fs);
      LayerUnpacker.Result result;
      try (InputStream in = layer.open()) {
        result = unpacker.unpack(in, fs, layerName);
      }
      if (!result.diffId().equals(diffId)) {
        throw new LayerRejectedException("layer " + layerName + " unpacks to "
            + result.diffId() + " but the image config says " + diffId + "; refusing it");
      }
      Files.writeString(work.resolve("diffid"), diffId.toString());
      Files.writeString(work.resolve("size"), Long.toString(result.size()));
      Path target = snapshots.resolve(chainId.hex());
      try {
        Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
        // Made meanwhile by another process: theirs is as good as ours.
        return fsDir(chainId);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("snapshots need atomic renames within " + snapshots, e);
      }
      done = true;
      return fsDir(chainId);
    } finally {
      if (!done) {
        LayerUnpacker.deleteTree(work);
      }
    }
  }

  /** Bytes of file content in the snapshot (as recorded when unpacking), or 0. */
  public long size(Digest chainId) {
    try {
      return Long.parseLong(Files.readString(snapshots.resolve(chainId.hex()).resolve("size")).strip());
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  /** Deletes every snapshot whose chain id is not in {@code keep}. */
  public void retainOnly(Set<Digest> keep) throws IOException {
    Set<String> keepHex = new java.util.HashSet<>();
    keep.forEach(d -> keepHex.add(d.hex()));
    try (Stream<Path> dirs = Files.list(snapshots)) {
      for (Path p : (Iterable<Path>) dirs::iterator) {
        String name = p.getFileName().toString();
        if (!name.equals("tmp") && !keepHex.contains(name)) {
          // Rename first so a half-deleted snapshot is never taken for a complete one.
          Path doomed = tmp.resolve("rm-" + name);
          Files.move(p, doomed, StandardCopyOption.ATOMIC_MOVE);
          LayerUnpacker.deleteTree(doomed);
        }
      }
    }
  }
}
