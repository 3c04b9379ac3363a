package io.jcompose.runtime.image.build.context;

import java.util.List;

/**
 * Where COPY/ADD read files: the build context ({@link BuildContext}) or, for {@code COPY
 * --from}, the filesystem of another stage or image ({@link LayeredFiles}).
 */
public interface FileSource {

  /**
   * The files a source selects, a directory's content under it (the directory itself named
   * {@code ""}); wildcards in the path as Go's {@code filepath.Match}.
   *
   * @throws ContextException when nothing is selected
   */
  List<ContextFile> select(String source);
}
