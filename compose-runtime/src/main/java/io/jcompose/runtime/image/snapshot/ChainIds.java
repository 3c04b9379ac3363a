package io.jcompose.runtime.image.snapshot;

import io.jcompose.runtime.image.reference.Digest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Layer chain ids as the OCI image spec defines them: {@code ChainID(L0) = DiffID(L0)},
 * {@code ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln))}. A chain id names a layer
 * together with everything below it, so equal chain ids can share one snapshot.
 */
public final class ChainIds {
  private ChainIds() {}

  /** The chain id of each layer, base first, from the config's diff ids. */
  public static List<Digest> of(List<Digest> diffIds) {
    List<Digest> out = new ArrayList<>(diffIds.size());
    Digest previous = null;
    for (Digest diffId : diffIds) {
      previous = previous == null ? diffId
          : Digest.sha256((previous + " " + diffId).getBytes(StandardCharsets.US_ASCII));
      out.add(previous);
    }
    return List.copyOf(out);
  }
}
