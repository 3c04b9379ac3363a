package io.jcompose.runtime.image.build.dockerfile;

/**
 * A here-document attached to a RUN, COPY or ADD instruction ({@code <<EOF}).
 *
 * @param name the terminator word, also the "file name" a COPY source heredoc is known by
 * @param content the body, each line ending in a newline (leading tabs removed for {@code <<-})
 * @param expand whether variables in the body are expanded (false when the word was quoted)
 * @param chomp whether it was written {@code <<-} (leading tabs stripped)
 */
public record Heredoc(String name, String content, boolean expand, boolean chomp) {}
