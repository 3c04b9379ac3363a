import io.jcompose.model.LoadOptions;
import io.jcompose.model.Project;
import io.jcompose.model.ProjectLoader;
import io.jcompose.model.print.ConfigPrinter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Loads and prints a Compose project like `jcompose config` would.
 * Usage: java -cp <classpath> LoadBench.java <dir> <runs>
 * Prints one line per run: the milliseconds for load + YAML print, in one JVM (first = cold).
 */
public class LoadBench {
  public static void main(String[] args) {
    Path dir = Path.of(args[0]).toAbsolutePath();
    int runs = Integer.parseInt(args[1]);
    long[] ms = new long[runs];
    int size = 0;
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      Project p = ProjectLoader.load(LoadOptions.defaults().withCurrentDirectory(dir).withFiles(List.of("compose.yaml")));
      size = ConfigPrinter.yaml(p).length();
      ms[i] = (System.nanoTime() - t0) / 1_000_000;
    }
    long[] warm = Arrays.copyOfRange(ms, Math.min(1, runs - 1), runs);
    Arrays.sort(warm);
    System.out.println("cold_ms=" + ms[0] + " warm_median_ms=" + warm[warm.length / 2] + " output_chars=" + size);
  }
}
