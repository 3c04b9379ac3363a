package io.jcompose.runtime.image;

import io.jcompose.runtime.image.reference.Digest;

/**
 * Receives per-layer progress of a push, in the phases and wording Docker reports, so the Engine
 * API can emit Docker's push-progress JSON ({@code status} = {@link Event#text()}, {@code id} =
 * the layer's short diff id, {@code progressDetail} = current/total while pushing). Called from
 * upload threads.
 */
@FunctionalInterface
public interface PushProgressListener {

  PushProgressListener NONE = event -> {};

  void onEvent(Event event);

  /** A push phase, with Docker's wording. */
  enum Phase {
    PREPARING("Preparing"),
    WAITING("Waiting"),
    PUSHING("Pushing"),
    LAYER_EXISTS("Layer already exists"),
    MOUNTED("Mounted from"),
    PUSHED("Pushed");

    private final String text;

    Phase(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  /**
   * One progress step of one layer.
   *
   * @param layer the layer's diff id (Docker shows a push's layers by it)
   * @param phase what is happening
   * @param current bytes sent (pushing), else 0
   * @param total the layer's compressed size
   * @param mountedFrom the repository path the layer was mounted from ({@link Phase#MOUNTED}), else null
   */
  record Event(Digest layer, Phase phase, long current, long total, String mountedFrom) {
    /** The status line Docker shows: {@code Mounted from library/busybox} names the source. */
    public String text() {
      return phase == Phase.MOUNTED ? phase.text() + " " + mountedFrom : phase.text();
    }
  }
}
