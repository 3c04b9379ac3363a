package io.jcompose.model;

/**
 * One {@code env_file} entry (the short form {@code env_file: a.env} is normalised to
 * {@code path: /abs/a.env, required: true}).
 *
 * @param path absolute path of the file
 * @param required whether a missing file is an error
 * @param format file format ({@code raw}), or {@code null} for the dotenv format
 */
public record EnvFile(String path, @Always boolean required, String format) {}
