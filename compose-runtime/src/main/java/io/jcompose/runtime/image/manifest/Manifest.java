package io.jcompose.runtime.image.manifest;

import io.jcompose.runtime.image.reference.Digest;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** What a registry's manifest endpoint returns: one image, or an index of per-platform images. */
public sealed interface Manifest permits Manifest.ImageManifest, Manifest.ImageIndex {

  /** The media type (Docker schema2 or OCI). */
  String mediaType();

  /**
   * A single-platform image: config plus layers, bottom layer first.
   *
   * @param mediaType {@link MediaTypes#DOCKER_MANIFEST} or {@link MediaTypes#OCI_MANIFEST}
   * @param config the image config blob
   * @param layers the layer blobs, base layer first
   */
  record ImageManifest(String mediaType, Descriptor config, List<Descriptor> layers)
      implements Manifest {
    public ImageManifest {
      layers = List.copyOf(layers);
    }
  }

  /**
   * A manifest list (Docker) or image index (OCI).
   *
   * @param mediaType {@link MediaTypes#DOCKER_MANIFEST_LIST} or {@link MediaTypes#OCI_INDEX}
   * @param manifests the per-platform manifests
   */
  record ImageIndex(String mediaType, List<Descriptor> manifests) implements Manifest {
    public ImageIndex {
      manifests = List.copyOf(manifests);
    }

    /**
     * The manifest for {@code wanted}: an exact variant match first, then the first entry with
     * the same os and architecture.
     *
     * @throws ManifestException naming the platforms the index offers when none matches
     */
    public Descriptor select(Platform wanted) {
      Descriptor fallback = null;
      for (Descriptor d : manifests) {
        Platform p = d.platform();
        if (p == null || !wanted.matches(p)) {
          continue;
        }
        if (java.util.Objects.equals(p.variant(), wanted.variant())) {
          return d;
        }
        if (fallback == null) {
          fallback = d;
        }
      }
      if (fallback != null) {
        return fallback;
      }
      List<String> offered = new ArrayList<>();
      for (Descriptor d : manifests) {
        if (d.platform() != null && !"unknown".equals(d.platform().os())) {
          offered.add(d.platform().toString());
        }
      }
      throw new ManifestException(
          "no image for platform " + wanted + " in the manifest list (it has " + offered + ")");
    }
  }

  /**
   * Parses a manifest or index. {@code contentType} (the registry's {@code Content-Type}) is used
   * when the document has no {@code mediaType} field.
   */
  static Manifest parse(byte[] json, String contentType) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json);
    } catch (JacksonException e) {
      throw new ManifestException("manifest is not valid JSON: " + e.getOriginalMessage(), e);
    }
    String mediaType = Json.text(root, "mediaType");
    if (mediaType == null) {
      mediaType = contentType;
    }
    if (mediaType == null || mediaType.isBlank()) {
      // An OCI document may omit mediaType: tell index from manifest by its fields.
      mediaType = root.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
    }
    int schemaVersion = root.path("schemaVersion").asInt(0);
    if (schemaVersion != 2) {
      throw new ManifestException(
          "unsupported manifest schemaVersion "
              + schemaVersion
              + " (only Docker schema 2 and OCI manifests are supported)");
    }
    if (MediaTypes.isIndex(mediaType)) {
      List<Descriptor> entries = new ArrayList<>();
      for (JsonNode m : root.path("manifests")) {
        entries.add(descriptor(m));
      }
      return new ImageIndex(mediaType, entries);
    }
    if (MediaTypes.DOCKER_MANIFEST.equals(mediaType) || MediaTypes.OCI_MANIFEST.equals(mediaType)) {
      if (!root.has("config")) {
        throw new ManifestException("image manifest has no config descriptor");
      }
      List<Descriptor> layers = new ArrayList<>();
      for (JsonNode l : root.path("layers")) {
        layers.add(descriptor(l));
      }
      return new ImageManifest(mediaType, descriptor(root.get("config")), layers);
    }
    throw new ManifestException("unsupported manifest media type \"" + mediaType + "\"");
  }

  private static Descriptor descriptor(JsonNode node) {
    String digest = Json.text(node, "digest");
    if (digest == null) {
      throw new ManifestException("a descriptor in the manifest has no digest");
    }
    Platform platform = null;
    JsonNode p = node.path("platform");
    if (p.isObject()) {
      platform =
          new Platform(
              Json.text(p, "os"), Json.text(p, "architecture"), Json.text(p, "variant"));
    }
    return new Descriptor(
        Json.text(node, "mediaType"), Digest.parse(digest), node.path("size").asLong(-1), platform);
  }
}
