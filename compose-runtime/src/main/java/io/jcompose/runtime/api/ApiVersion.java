package io.jcompose.runtime.api;

/**
 * An Engine API version such as {@code 1.44}, and the range this engine serves.
 *
 * <p>We advertise {@link #MAX} (1.44: Testcontainers pings {@code /v1.44}, CLI 29 needs ≥ 1.40)
 * and accept every version from {@link #MIN}; a client asking for more than we have is served as
 * {@link #MAX} instead of being rejected (see ENGINE-API.md §0).
 */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {

    /** The version this engine advertises in {@code Api-Version} and {@code /version}. */
    public static final ApiVersion MAX = new ApiVersion(1, 44);
    /** The oldest version accepted in a {@code /vX.Y/} path. */
    public static final ApiVersion MIN = new ApiVersion(1, 24);

    /** Parses {@code "1.44"}; throws {@link IllegalArgumentException} on anything else. */
    public static ApiVersion parse(String text) {
        int dot = text.indexOf('.');
        if (dot <= 0 || dot == text.length() - 1 || text.indexOf('.', dot + 1) >= 0) {
            throw new IllegalArgumentException("invalid API version " + text);
        }
        try {
            return new ApiVersion(Integer.parseInt(text.substring(0, dot)), Integer.parseInt(text.substring(dot + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid API version " + text, e);
        }
    }

    /** True if this version is lower than {@code other}. */
    public boolean lessThan(ApiVersion other) {
        return compareTo(other) < 0;
    }

    @Override
    public int compareTo(ApiVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
