package io.jcompose.runtime.api.model;

/** The {@code X-Docker-Container-Path-Stat} header (base64 JSON, lower-case keys). */
public record ArchiveStat(
        @com.fasterxml.jackson.annotation.JsonProperty("name") String name,
        @com.fasterxml.jackson.annotation.JsonProperty("size") long size,
        @com.fasterxml.jackson.annotation.JsonProperty("mode") long mode,
        @com.fasterxml.jackson.annotation.JsonProperty("mtime") String mtime,
        @com.fasterxml.jackson.annotation.JsonProperty("linkTarget") String linkTarget) {}
