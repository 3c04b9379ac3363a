package io.jcompose.runtime.image.manifest;

import java.util.Locale;

/**
 * An OS/architecture pair with optional variant, written {@code linux/arm64} or
 * {@code linux/arm/v7} as in compose's {@code platform:} and Docker's {@code --platform}.
 *
 * @param os e.g. {@code linux}
 * @param architecture GOARCH-style name, e.g. {@code amd64}, {@code arm64}
 * @param variant e.g. {@code v7}, or {@code null}
 */
public record Platform(String os, String architecture, String variant) {

  public Platform {
    if (os == null || os.isBlank() || architecture == null || architecture.isBlank()) {
      throw new IllegalArgumentException("a platform needs an os and an architecture");
    }
    os = os.toLowerCase(Locale.ROOT);
    architecture = normaliseArch(architecture.toLowerCase(Locale.ROOT));
    if (variant != null && variant.isBlank()) {
      variant = null;
    }
    // arm64 images are v8 unless they say otherwise (containerd's normalisation).
    if ("arm64".equals(architecture) && "v8".equals(variant)) {
      variant = null;
    }
  }

  /** Parses {@code os/arch[/variant]}; a clear error names the expected form. */
  public static Platform parse(String text) {
    String[] parts = text == null ? new String[0] : text.strip().split("/", -1);
    if (parts.length < 2 || parts.length > 3 || parts[0].isBlank() || parts[1].isBlank()) {
      throw new IllegalArgumentException(
          "invalid platform \"" + text + "\": expected os/arch[/variant], e.g. linux/arm64");
    }
    return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
  }

  /** The platform of the machine we run on (Linux, the JVM's architecture). */
  public static Platform host() {
    return new Platform("linux", System.getProperty("os.arch"), null);
  }

  private static String normaliseArch(String arch) {
    return switch (arch) {
      case "x86_64", "x86-64", "amd64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "i386", "i686", "x86" -> "386";
      default -> arch;
    };
  }

  /**
   * Whether an image for {@code candidate} runs here: same os and architecture, and the same
   * variant when this platform names one.
   */
  public boolean matches(Platform candidate) {
    return os.equals(candidate.os)
        && architecture.equals(candidate.architecture)
        && (variant == null || variant.equals(candidate.variant));
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant != null ? "/" + variant : "");
  }
}
