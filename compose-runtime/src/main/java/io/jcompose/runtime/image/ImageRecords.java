package io.jcompose.runtime.image;

import io.jcompose.runtime.image.manifest.Platform;
import io.jcompose.runtime.image.reference.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Image records, one JSON file per image: {@code <root>/images/<id hex>.json}, each written to a
 * temp file, fsynced and renamed over the old one so a crash leaves the old or the new record.
 */
final class ImageRecords {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final Path dir;

  ImageRecords(Path root) {
    this.dir = root.resolve("images");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }

  List<Image> all() {
    List<Image> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (p.getFileName().toString().endsWith(".json")) {
          try {
            out.add(read(Files.readAllBytes(p)));
          } catch (NoSuchFileException ignored) {
            // removed meanwhile
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read image records in " + dir, e);
    }
    return out;
  }

  void write(Image image) {
    Path target = dir.resolve(image.id().hex() + ".json");
    Path tmp = dir.resolve(image.id().hex() + ".json.tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson(image))));
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write image record " + target, e);
    }
  }

  void delete(Digest id) {
    try {
      Files.deleteIfExists(dir.resolve(id.hex() + ".json"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete image record " + id, e);
    }
  }

  private static ObjectNode toJson(Image i) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", i.id().toString());
    o.put("manifestDigest", i.manifestDigest().toString());
    o.put("manifestMediaType", i.manifestMediaType());
    ArrayNode layers = o.putArray("layers");
    i.layers().forEach(l -> layers.add(l.toString()));
    ArrayNode tags = o.putArray("repoTags");
    i.repoTags().forEach(tags::add);
    ArrayNode digests = o.putArray("repoDigests");
    i.repoDigests().forEach(digests::add);
    o.put("platform", i.platform().toString());
    o.put("size", i.size());
    o.put("created", i.created());
    return o;
  }

  private static Image read(byte[] bytes) {
    JsonNode o = JSON.readTree(bytes);
    List<Digest> layers = new ArrayList<>();
    o.path("layers").forEach(l -> layers.add(Digest.parse(l.asString())));
    List<String> tags = new ArrayList<>();
    o.path("repoTags").forEach(t -> tags.add(t.asString()));
    List<String> digests = new ArrayList<>();
    o.path("repoDigests").forEach(t -> digests.add(t.asString()));
    JsonNode created = o.get("created");
    return new Image(
        Digest.parse(o.path("id").asString()),
        Digest.parse(o.path("manifestDigest").asString()),
        o.path("manifestMediaType").asString(),
        layers, tags, digests,
        Platform.parse(o.path("platform").asString()),
        o.path("size").asLong(0),
        created == null || created.isNull() ? null : created.asString());
  }
}
