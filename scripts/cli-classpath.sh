# Sourced by bin/jcompose and scripts/make-aot-cache: sets jcompose_cp to the CLI's class path
# (our jar, then target/lib's jars in sorted order), or to "" if the CLI is not built.
# One spelling for both matters: an AOT cache is only used with the class path it was made for.
jcompose_cp=""
for _j in "$target"/compose-cli-*.jar; do
  case "$_j" in *-sources.jar|*-javadoc.jar|*-tests.jar) continue ;; esac
  [ -f "$_j" ] && [ -d "$target/lib" ] || continue
  jcompose_cp="$_j"
  for _l in "$target"/lib/*.jar; do jcompose_cp="$jcompose_cp:$_l"; done
  break
done
unset _j _l
