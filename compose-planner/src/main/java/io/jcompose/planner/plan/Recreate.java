package io.jcompose.planner.plan;

/** When to replace an existing container (Compose's recreate policies). */
public enum Recreate {
  /** Only when its config hash differs from the service's (the default). */
  DIVERGED,
  /** Always ({@code --force-recreate}; {@code --always-recreate-deps} for dependencies). */
  FORCE,
  /** Never ({@code --no-recreate}). */
  NEVER
}
