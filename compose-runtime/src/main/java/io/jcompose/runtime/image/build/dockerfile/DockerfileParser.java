package io.jcompose.runtime.image.build.dockerfile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses Dockerfile text into stages of typed instructions, with BuildKit's syntax and error
 * wording. Variables are not substituted here (see {@link VariableExpander} and {@link
 * BuildGraph}); everything else that makes a Dockerfile invalid is reported with its line.
 */
public final class DockerfileParser {
  private DockerfileParser() {}

  /**
   * @param file the name errors should use ({@code Dockerfile})
   * @param text the Dockerfile's content
   * @throws DockerfileException when the Dockerfile is invalid
   */
  public static Dockerfile parse(String file, String text) {
    NodeReader reader = new NodeReader(file, text);
    List<Node> nodes = reader.read();
    Directives directives = reader.directives();
    if (nodes.isEmpty()) {
      throw new DockerfileException(file, 0, "file with no instructions");
    }
    InstructionParser parser = new InstructionParser(file, directives.escape());
    List<Instruction.Arg> metaArgs = new ArrayList<>();
    List<Stage> stages = new ArrayList<>();
    Instruction.From from = null;
    List<Instruction> body = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Node node : nodes) {
      Instruction i = parser.parse(node);
      if (i instanceof Instruction.From f) {
        if (from != null) {
          stages.add(new Stage(stages.size(), from, body));
          body = new ArrayList<>();
        }
        if (f.name() != null && !names.add(f.name())) {
          throw new DockerfileException(file, f.line(), "duplicate stage name \"" + f.name() + "\"");
        }
        from = f;
      } else if (from == null) {
        if (!(i instanceof Instruction.Arg a)) {
          throw new DockerfileException(file, i.line(), "no build stage in current context");
        }
        metaArgs.add(a);
      } else {
        body.add(i);
      }
    }
    if (from == null) {
      throw new DockerfileException(file, 0, "dockerfile contains no stages to build");
    }
    stages.add(new Stage(stages.size(), from, body));
    return new Dockerfile(file, directives, metaArgs, stages);
  }
}
