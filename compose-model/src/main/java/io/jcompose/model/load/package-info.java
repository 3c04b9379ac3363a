/**
 * Stage 1 of loading: finding the files and the environment ({@link
 * io.jcompose.model.load.ProjectFiles}), parsing YAML into a tree with positions ({@link
 * io.jcompose.model.load.YamlReader}, {@link io.jcompose.model.load.Node}), and the two
 * reuse mechanisms that pull in other files: {@code extends} and {@code include}.
 */
package io.jcompose.model.load;
