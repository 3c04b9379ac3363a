package io.jcompose.planner.plan;

import io.jcompose.model.Internal;
import io.jcompose.model.NetworkConfig;
import io.jcompose.model.Service;
import io.jcompose.model.VolumeConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.AnnotatedMember;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The {@code com.docker.compose.config-hash} of a service, network or volume: the sha256 (hex) of
 * the object's configuration as canonical JSON. A container is recreated when its label differs
 * from the hash of the service as now written.
 *
 * <p>As Compose ({@code pkg/compose/hash.go}), the service hash leaves out what does not change the
 * container: {@code build}, {@code pull_policy}, {@code scale}, {@code deploy.replicas},
 * {@code depends_on} and {@code profiles}, and the model's internal fields (the name). The JSON is
 * canonical so the hash is stable: keys sorted, and absent values (null, empty, zero, false)
 * omitted, so that a newer jcompose whose model knows more keys computes the same hash for the
 * same file. It is not byte-identical to Compose's hash (compose-go's JSON differs in detail), so a
 * container created by {@code docker compose} is recreated once by {@code jcompose up}.
 */
public final class ConfigHash {
  private ConfigHash() {}

  private static final JsonMapper JSON = JsonMapper.builder()
      .annotationIntrospector(new JacksonAnnotationIntrospector() {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean hasIgnoreMarker(MapperConfig<?> config, AnnotatedMember m) {
          return m.hasAnnotation(Internal.class) || super.hasIgnoreMarker(config, m);
        }
      })
      .changeDefaultPropertyInclusion(i -> JsonInclude.Value.construct(JsonInclude.Include.NON_DEFAULT, JsonInclude.Include.ALWAYS))
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .disable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST) // records too: sorted by name, not component order
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  /** The hash of a service's container configuration. */
  public static String of(Service service) {
    ObjectNode tree = (ObjectNode) JSON.valueToTree(service);
    tree.remove(java.util.List.of("build", "pullPolicy", "scale", "dependsOn", "profiles"));
    JsonNode deploy = tree.get("deploy");
    if (deploy instanceof ObjectNode d) {
      d.remove("replicas");
      if (d.isEmpty()) {
        tree.remove("deploy");
      }
    }
    return sha256(JSON.writeValueAsString(tree));
  }

  /** The hash of a network's configuration. */
  public static String of(NetworkConfig network) {
    return sha256(JSON.writeValueAsString(network));
  }

  /** The hash of a volume's configuration; the driver defaults to {@code local} first, as Compose. */
  public static String of(VolumeConfig volume) {
    VolumeConfig v = volume.driver() == null
        ? new VolumeConfig(volume.name(), "local", volume.driverOpts(), volume.external(), volume.labels(), volume.extensions())
        : volume;
    return sha256(JSON.writeValueAsString(v));
  }

  /** The canonical JSON the service hash is computed from (for {@code --verbose} and tests). */
  public static String canonicalJson(Object value) {
    return JSON.writeValueAsString(value);
  }

  private static String sha256(String json) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }
}
