package io.jcompose.planner.reconcile;

/**
 * One progress line of Compose's display: {@code ✔ Container shop-db-1  Healthy}.
 *
 * @param kind the kind of object
 * @param name the object's engine name
 * @param status the state it reached or is entering
 * @param message details (an error's text, a warning), or empty
 */
public record ProgressEvent(Kind kind, String name, Status status, String message) {
  public ProgressEvent {
    message = message == null ? "" : message;
  }

  /** Kinds of object, as Compose names them in its display. */
  public enum Kind {
    /** a container */
    CONTAINER("Container"),
    /** a network */
    NETWORK("Network"),
    /** a volume */
    VOLUME("Volume"),
    /** an image */
    IMAGE("Image");

    private final String text;

    Kind(String text) {
      this.text = text;
    }

    /** The word Compose prints. */
    public String text() {
      return text;
    }
  }

  /** States, with the words Compose prints; {@link #done()} tells a final state from a working one. */
  public enum Status {
    /** pulling an image */
    PULLING("Pulling", false),
    /** image pulled */
    PULLED("Pulled", true),
    /** creating */
    CREATING("Creating", false),
    /** created */
    CREATED("Created", true),
    /** replacing a container */
    RECREATE("Recreate", false),
    /** container replaced */
    RECREATED("Recreated", true),
    /** starting */
    STARTING("Starting", false),
    /** started */
    STARTED("Started", true),
    /** already running and up to date */
    RUNNING("Running", true),
    /** waiting for a dependency condition or {@code --wait} */
    WAITING("Waiting", false),
    /** health check passed */
    HEALTHY("Healthy", true),
    /** exited (a completed dependency) */
    EXITED("Exited", true),
    /** restarting */
    RESTARTING("Restarting", false),
    /** restarted */
    RESTARTED("Restarted", true),
    /** stopping */
    STOPPING("Stopping", false),
    /** stopped */
    STOPPED("Stopped", true),
    /** removing */
    REMOVING("Removing", false),
    /** removed */
    REMOVED("Removed", true),
    /** a warning about the object; work goes on */
    WARNING("Warning", true),
    /** failed */
    ERROR("Error", true);

    private final String text;
    private final boolean done;

    Status(String text, boolean done) {
      this.text = text;
      this.done = done;
    }

    /** The word Compose prints. */
    public String text() {
      return text;
    }

    /** Whether this ends the object's line (a spinner becomes a check mark or a cross). */
    public boolean done() {
      return done;
    }
  }
}
