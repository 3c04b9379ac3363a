package io.jcompose.cli.command;

import io.jcompose.cli.JcomposeCommand;
import io.jcompose.model.Project;
import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.Json;
import io.jcompose.runtime.api.model.ContainerSummary;
import io.jcompose.runtime.api.model.ImageInspect;
import io.jcompose.runtime.image.reference.ImageReference;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jcompose images [SERVICE...]}: the image of every project container (stopped and
 * one-off ones too), as compose lists them: a table by container name, {@code -q} the unique
 * image IDs, {@code --format json} compose's array.
 */
@Command(name = "images", description = "List images used by the created containers")
public final class ImagesCommand implements Runnable {
    /** The docker CLI formatter's table: tabwriter.NewWriter(out, 20, 1, 3, ' ', 0). */
    private static final TabWriter TABLE = new TabWriter(20, 3);

    @Spec CommandSpec spec;

    @ParentCommand JcomposeCommand root;

    @Mixin ServiceArgs args;

    @Option(names = {"-q", "--quiet"}, description = "Only display IDs")
    boolean quiet;

    @Option(names = "--format", paramLabel = "<string>", defaultValue = "table", description = "Format the output. Values: [table | json]")
    String format;

    /** One line of compose's list (its JSON names). */
    record Row(String id, String containerName, String repository, String tag, long size) {}

    @Override
    public void run() {
        ComposeContext ctx = new ComposeContext(root, spec);
        ComposeContext.oneLine(() -> {
            Project p = ctx.projectOrNull();
            List<ContainerSummary> containers = ServiceContainers.ofProject(ctx.client(), ctx.projectName(p), args.services, true, true);
            Map<String, Row> images = new LinkedHashMap<>();
            for (ContainerSummary c : containers) {
                images.computeIfAbsent(c.image(), image -> describe(ctx, image));
            }
            List<Row> rows = new ArrayList<>();
            for (ContainerSummary c : containers) {
                Row i = images.get(c.image());
                rows.add(new Row(i.id(), PsCommand.name(c), i.repository(), i.tag(), i.size()));
            }
            rows.sort(Comparator.comparing(Row::containerName));
            ctx.out().print(render(rows, quiet, format));
            ctx.out().flush();
        });
    }

    private static Row describe(ComposeContext ctx, String image) {
        ImageInspect inspect;
        try {
            inspect = ctx.client().inspectImage(image);
        } catch (EngineApiException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        String repository = "";
        String tag = "";
        List<String> tags = inspect.repoTags() == null ? List.of() : inspect.repoTags();
        if (!tags.isEmpty()) { // compose 2.26 names the image by its first tag, not by what the service asked for
            try {
                ImageReference ref = ImageReference.parse(tags.getFirst());
                repository = ref.familiarRepository();
                tag = ref.tagIfAny().orElse("");
            } catch (RuntimeException e) {
                // not a reference: <none>
            }
        }
        return new Row(inspect.id(), "", repository, tag, inspect.size());
    }

    /** The output for the rows (sorted by container name). */
    static String render(List<Row> rows, boolean quiet, String format) {
        if (quiet) {
            Set<String> ids = new LinkedHashSet<>();
            rows.forEach(r -> ids.add(r.id().substring(r.id().indexOf(':') + 1)));
            return ids.stream().map(id -> id + "\n").reduce("", String::concat);
        }
        return switch (format) {
            case "json" -> json(rows) + "\n";
            case "table" -> {
                List<String> lines = new ArrayList<>(List.of("CONTAINER\tREPOSITORY\tTAG\tIMAGE ID\tSIZE"));
                for (Row r : rows) {
                    String id = r.id().substring(r.id().indexOf(':') + 1);
                    lines.add(String.join("\t", r.containerName(), r.repository().isEmpty() ? "<none>" : r.repository(),
                            r.tag().isEmpty() ? "<none>" : r.tag(), id.substring(0, Math.min(12, id.length())), humanSize(r.size())));
                }
                yield TABLE.format(lines);
            }
            default -> throw new IllegalArgumentException("format value \"" + format + "\" could not be parsed: use table or json");
        };
    }

    private static String json(List<Row> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ID", r.id());
            m.put("ContainerName", r.containerName());
            m.put("Repository", r.repository());
            m.put("Tag", r.tag());
            m.put("Size", r.size());
            out.add(m);
        }
        return Json.mapper().writeValueAsString(out);
    }

    /** go-units HumanSizeWithPrecision(size, 3): decimal units, Go's %.3g. */
    static String humanSize(double size) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
        int i = 0;
        while (size >= 1000 && i < units.length - 1) {
            size /= 1000;
            i++;
        }
        return goG3(size) + units[i];
    }

    /** Go's {@code %.3g}: 3 significant digits, trailing zeros dropped, exponent form from 1e3. */
    static String goG3(double v) {
        if (v == 0) {
            return "0";
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(3, java.math.RoundingMode.HALF_EVEN)); // Go rounds the exact value, ties to even
        int exponent = d.precision() - d.scale() - 1;
        if (exponent < -4 || exponent >= 3) {
            BigDecimal mantissa = d.movePointLeft(exponent).stripTrailingZeros();
            return mantissa.toPlainString() + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
        }
        return d.stripTrailingZeros().toPlainString();
    }
}
