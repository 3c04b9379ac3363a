package io.jcompose.cli.command;

import io.jcompose.cli.CliException;
import io.jcompose.cli.ExitCodes;
import io.jcompose.model.Project;
import io.jcompose.model.Service;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.image.reference.ImageReference;
import io.jcompose.runtime.image.reference.InvalidReferenceException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code config --resolve-image-digests}: pins every service image to the digest its registry
 * holds now, asked through the engine ({@code GET /distribution/{name}/json}, as compose does).
 * The result is compose-go's form: the full name with tag and digest
 * ({@code docker.io/library/redis:7.0@sha256:...}); an image already pinned keeps its digest and
 * loses its tag. Compose 2.26.1 ignores the flag (docker/compose#11812, fixed in 2.27.1); this
 * follows the fixed behaviour.
 */
final class ImageDigests {
    private ImageDigests() {}

    static Project pin(Project project, EngineClient engine) {
        Map<String, Service> pinned = new LinkedHashMap<>();
        project.services().forEach((name, service) -> pinned.put(name, pin(service, engine)));
        return project.withServices(pinned);
    }

    private static Service pin(Service service, EngineClient engine) {
        String image = service.image();
        if (image == null || image.isEmpty()) {
            return service;
        }
        ImageReference ref;
        try {
            ref = ImageReference.parse(image);
        } catch (InvalidReferenceException e) {
            throw new CliException("service " + service.name() + ": " + e.getMessage(), ExitCodes.FAILURE, e);
        }
        if (ref.digestIfAny().isPresent()) {
            return service.withImage(ref.repository() + "@" + ref.digestIfAny().get());
        }
        String digest = engine.distributionInspect(ref.toString()).descriptor().digest();
        return service.withImage(ref + "@" + digest);
    }
}
