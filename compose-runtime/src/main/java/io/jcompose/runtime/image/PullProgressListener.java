package io.jcompose.runtime.image;

import io.jcompose.runtime.image.reference.Digest;

/**
 * Receives per-layer progress of a pull, in the phases Docker reports (so the Engine API can
 * emit Docker's pull-progress JSON: {@code status} = {@link Phase#text()}, {@code id} = the
 * layer's short hex, {@code progressDetail} = current/total). Called from download threads.
 */
@FunctionalInterface
public interface PullProgressListener {

  PullProgressListener NONE = event -> {};

  void onEvent(Event event);

  /** A pull phase, with Docker's wording. */
  enum Phase {
    PULLING_FS_LAYER("Pulling fs layer"),
    WAITING("Waiting"),
    ALREADY_EXISTS("Already exists"),
    DOWNLOADING("Downloading"),
    VERIFYING("Verifying Checksum"),
    DOWNLOAD_COMPLETE("Download complete"),
    EXTRACTING("Extracting"),
    PULL_COMPLETE("Pull complete");

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
   * @param layer the layer's blob digest
   * @param phase what is happening
   * @param current bytes done (downloading), else 0
   * @param total the layer's compressed size
   */
  record Event(Digest layer, Phase phase, long current, long total) {}
}
