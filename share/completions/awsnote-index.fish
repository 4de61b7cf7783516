# awsnote-index.fish - fish completion for awsnote-index(1).
#
# Options and their values (-o: any file; -j: 1 or 2; -m: a size, which
# is described, not offered) and the notes to compile: directories and
# *.md or *.markdown files.

# fish's own completion of the file names that begin as the token under
# the cursor (a command it knows nothing of gets files), kept to
# directories and Markdown files.
function __awsnote_index_notes
    set -l token (commandline -ct)
    complete -C"__awsnote_index_any_file $token" |
        string match -r -- '^[^\t]*(?:/|\.md|\.markdown)(?:\t.*)?$'
end

complete -c awsnote-index -f
complete -c awsnote-index -s o -l output -r -F -d 'Where to write the blob'
complete -c awsnote-index -s m -l memory -x -d 'Keep about SIZE in memory (K, M or G; default 64M)'
complete -c awsnote-index -s j -l threads -x -d 'Threads for compressing text' \
    -a '(printf "%s\t%s\n" 1 "In the parsing thread" 2 "In a second thread")'
complete -c awsnote-index -s q -l quiet -d 'Print nothing on success'
complete -c awsnote-index -s h -l help -d 'Show the help and exit'
complete -c awsnote-index -s V -l version -d 'Show the version and exit'
complete -c awsnote-index -a '(__awsnote_index_notes)'
