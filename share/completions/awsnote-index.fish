# awsnote-index.fish - fish completion for awsnote-index(1).
#
# Options and their values (-o: any file; -j: 1 or 2; -m: a size, which
# is described, not offered) and the notes to compile: directories and
# *.md or *.markdown files.

# fish's own completion of the file names that begin as the token under
# the cursor (a command it knows nothing of gets files), kept to
# directories and Markdown files.  `complete -C` prints a candidate a
# line, so a name holding a newline comes in pieces: they are joined
# again where they name a file, and the names go out NUL-separated
# (string split0), which the command substitution of `complete -a`
# keeps whole.  A name holding a tab is left out: it cannot be offered,
# since fish takes what follows a candidate's first tab as its
# description, in its own file completion too (`ls a<Tab>` offers "a",
# described "b.md", for a file "a<tab>b.md").
function __awsnote_index_notes
    set -l token (commandline -ct)
    set -l names
    set -l name
    set -l more 0
    for line in (complete -C"__awsnote_index_any_file $token")
        set -l tries $line
        test $more = 1; and set tries "$name"\n"$line" $line
        set name $tries[1]
        set more 1
        for try in $tries
            set -l path (string replace -r -- '^~(?=/)' $HOME $try | string collect)
            if test -e $path; or test -L $path
                set -a names $try
                set more 0
                break
            end
        end
    end
    set -q names[1]; or return
    for name in $names
        string match -qr -- '^[^\t]*(?:/|\.md|\.markdown)$' $name
        and printf '%s\0' $name
    end | string split0
end

complete -c awsnote-index -f
complete -c awsnote-index -s o -l output -r -F -d 'Where to write the blob'
complete -c awsnote-index -s m -l memory -x -d 'Keep about SIZE in memory (K, M or G; default 64M)'
complete -c awsnote-index -s j -l threads -x -d 'Threads for compressing text' \
    -a '(printf "%s\t%s\n" 1 "In the parsing thread" 2 "In a second thread")'
complete -c awsnote-index -l source-dir -x -a '(__fish_complete_directories)' -d 'Where the notes will be, for awsnote --where'
complete -c awsnote-index -s q -l quiet -d 'Print nothing on success'
complete -c awsnote-index -s h -l help -d 'Show the help and exit'
complete -c awsnote-index -s V -l version -d 'Show the version and exit'
complete -c awsnote-index -a '(__awsnote_index_notes)'
