package io.jcompose.runtime.image.reference;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A fully normalised image reference, the way Docker (distribution/reference) normalises names:
 * {@code redis} is {@code docker.io/library/redis:latest}, {@code user/app} is
 * {@code docker.io/user/app:latest}, {@code host:5000/ns/app:tag} keeps its registry.
 *
 * @param domain the registry host (with optional port), {@code docker.io} for Docker Hub
 * @param path the repository path inside the registry, e.g. {@code library/redis}
 * @param tag the tag, or {@code null} when the reference names only a digest
 * @param digest the digest, or {@code null}
 */
public record ImageReference(String domain, String path, String tag, Digest digest) {

  /** Docker Hub's canonical domain name. */
  public static final String DOCKER_HUB = "docker.io";

  private static final String LEGACY_HUB = "index.docker.io";
  private static final int MAX_NAME_LENGTH = 255;

  // Grammar from distribution/reference (regexp.go), read for facts.
  private static final String ALNUM = "[a-z0-9]+";
  private static final String SEPARATOR = "(?:[._]|__|[-]+)";
  private static final Pattern PATH_COMPONENT =
      Pattern.compile(ALNUM + "(?:" + SEPARATOR + ALNUM + ")*");
  private static final String DOMAIN_LABEL = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?:" + DOMAIN_LABEL + "(?:\\." + DOMAIN_LABEL + ")*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern ID = Pattern.compile("[a-f0-9]{64}");

  public ImageReference {
    if (tag == null && digest == null) {
      throw new IllegalArgumentException("a reference needs a tag or a digest");
    }
  }

  /**
   * Parses and normalises a reference; a reference with neither tag nor digest gets
   * {@code :latest}.
   *
   * @throws InvalidReferenceException with a message naming what is wrong
   */
  public static ImageReference parse(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidReferenceException("invalid reference format: the image name is empty");
    }
    String rest = text.strip();
    if (ID.matcher(rest).matches()) {
      throw new InvalidReferenceException(
          "invalid repository name \""
              + rest
              + "\": 64-byte hexadecimal strings are image ids, not names");
    }
    Digest digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = parseDigest(text, rest.substring(at + 1));
      rest = rest.substring(0, at);
    }
    String tag = null;
    int lastSlash = rest.lastIndexOf('/');
    int colon = rest.lastIndexOf(':');
    if (colon > lastSlash) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw new InvalidReferenceException(
            "invalid reference format \""
                + text
                + "\": tag \""
                + tag
                + "\" must be 1-128 characters of letters, digits, '_', '.', '-', not starting"
                + " with '.' or '-'");
      }
    }
    if (rest.isEmpty()) {
      throw new InvalidReferenceException(
          "invalid reference format \"" + text + "\": the repository name is empty");
    }
    String domain;
    String path;
    int slash = rest.indexOf('/');
    String first = slash < 0 ? "" : rest.substring(0, slash);
    if (slash < 0
        || (!first.contains(".")
            && !first.contains(":")
            && !first.equals("localhost")
            && first.toLowerCase(Locale.ROOT).equals(first))) {
      domain = DOCKER_HUB;
      path = rest;
    } else {
      domain = first;
      path = rest.substring(slash + 1);
    }
    if (domain.equals(LEGACY_HUB)) {
      domain = DOCKER_HUB;
    }
    if (!DOMAIN.matcher(domain).matches()) {
      throw new InvalidReferenceException(
          "invalid reference format \"" + text + "\": \"" + domain + "\" is not a valid registry host");
    }
    if (domain.equals(DOCKER_HUB) && !path.contains("/")) {
      path = "library/" + path;
    }
    if (!path.toLowerCase(Locale.ROOT).equals(path)) {
      throw new InvalidReferenceException(
          "invalid reference format \"" + text + "\": repository name must be lowercase");
    }
    for (String component : path.split("/", -1)) {
      if (!PATH_COMPONENT.matcher(component).matches()) {
        throw new InvalidReferenceException(
            "invalid reference format \""
                + text
                + "\": repository path component \""
                + component
                + "\" must be lower-case letters and digits separated by '.', '_', '__' or '-'");
      }
    }
    if (domain.length() + 1 + path.length() > MAX_NAME_LENGTH) {
      throw new InvalidReferenceException(
          "invalid reference format \"" + text + "\": repository name longer than 255 characters");
    }
    if (tag == null && digest == null) {
      tag = "latest";
    }
    return new ImageReference(domain, path, tag, digest);
  }

  private static Digest parseDigest(String text, String digestText) {
    try {
      return Digest.parse(digestText);
    } catch (InvalidReferenceException e) {
      throw new InvalidReferenceException(
          "invalid reference format \"" + text + "\": " + e.getMessage());
    }
  }

  /** {@code domain/path}, e.g. {@code docker.io/library/redis}. */
  public String repository() {
    return domain + "/" + path;
  }

  /** Whether this names an image on Docker Hub (where registry mirrors apply). */
  public boolean isDockerHub() {
    return domain.equals(DOCKER_HUB);
  }

  /** The tag, if any. */
  public Optional<String> tagIfAny() {
    return Optional.ofNullable(tag);
  }

  /** The digest, if any. */
  public Optional<Digest> digestIfAny() {
    return Optional.ofNullable(digest);
  }

  /** What to ask the registry's manifest endpoint for: the digest when known, else the tag. */
  public String manifestReference() {
    return digest != null ? digest.toString() : tag;
  }

  /** The same repository with another tag and no digest. */
  public ImageReference withTag(String newTag) {
    return parse(repository() + ":" + newTag);
  }

  /** The same repository pinned to a digest, without tag ({@code repo@sha256:...}). */
  public ImageReference withDigestOnly(Digest newDigest) {
    return new ImageReference(domain, path, null, newDigest);
  }

  /** The short name Docker shows: {@code redis:latest}, {@code user/app:1}, {@code host:5000/x:y}. */
  public String familiar() {
    return suffixed(familiarRepository());
  }

  /** The repository the way Docker shows it: without {@code docker.io/} and {@code library/}. */
  public String familiarRepository() {
    if (!isDockerHub()) {
      return repository();
    }
    return path.startsWith("library/") && path.indexOf('/', 8) < 0 ? path.substring(8) : path;
  }

  private String suffixed(String name) {
    return name + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
  }

  /** The canonical full form, e.g. {@code docker.io/library/redis:latest}. */
  @Override
  public String toString() {
    return suffixed(repository());
  }
}
