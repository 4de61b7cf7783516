# awsnote.fish - fish completion for awsnote(1).
#
# Options are completed from the list below; words of the query from the
# section titles of the notes, through the hidden "awsnote --complete=WORD"
# mode, which is given the same -f and -d options as the command line so
# it offers the words of the notes that the lookup will search.  As in
# awsnote, options come before the words and long ones may follow them
# (there "-word" is an exclusion), up to an argument "--".

# The long option that the token $argv[1] stands for, as getopt_long reads
# it: an exact name, else the one long option that begins so ("--col":
# --color and --colour are one).  Prints its name, with "=" if its value
# is the next token (not when the token holds one); nothing if unknown or
# ambiguous.
function __awsnote_long
    set -l name (string split -m1 -- = $argv[1])[1]
    set -l prefix '^'(string escape --style=regex -- $name)
    set -l found
    for o in --file= --doc= --apropos --list --nth= --regex= --ignore-case \
        --word-regexp --fixed-strings --count --only-matching --after-context= \
        --before-context= --context= --max-count= --json --where --shell --interactive \
        --color --colour --no-pager --width= --verify --complete= --help --version
        if test (string trim -r -c = -- $o) = $name
            set found $o
            break
        end
        string match -qr -- $prefix $o; and set -a found $o
    end
    test "$found" = '--color --colour'; and set found --color
    test (count $found) = 1; or return
    if string match -q -- '*=*' $argv[1]
        string trim -r -c = -- $found
    else
        echo $found
    end
end

# Reads the command line before the cursor as awsnote would.  Prints
# "options" before the first query word, "words" after it (long options
# may still come), "ended" after an argument "--", or "value" ("file" for
# -f) when the token under the cursor is an option's value; then the -f
# and -d options for --complete, one argument a line, "--" and the query
# words (one may name a document, "p1/README", which keeps the lookup to
# it).
function __awsnote_scan
    set -l tokens (commandline -opc)
    set -l state options
    set -l files
    set -l typed
    set -l n (count $tokens)
    set -l i 1
    while test $i -lt $n
        set i (math $i + 1)
        set -l t $tokens[$i]
        set -l opt
        switch $t
            case --
                set state ended
                break
            case '--?*'
                set opt (__awsnote_long $t)
            case -f -d -n -e -A -B -C -m
                test $state = words; and continue
                set opt (string replace -r -- '^-(.)$' '-$1=' $t)
            case '-?*'
                continue
            case '*'
                set state words
                set -a typed $t
                continue
        end
        set -l value (string split -m1 -- = $t)[2]
        if string match -q -- '*=' $opt
            if test $i = $n
                set state value
                # fish knows the names -f and --file only
                contains -- $opt -f= --file=; and set state file
                break
            end
            set i (math $i + 1)
            set value $tokens[$i]
        end
        switch $opt
            case -f= '--file*'
                set -a files -f (__awsnote_path $value)
            case -d= '--doc*'
                set -a files -d $value
        end
    end
    echo $state
    string join \n -- $files -- $typed
end

# Succeeds where options are completed: before the first word, and after
# it for a token "--..." or the value of such an option.
function __awsnote_options_here
    switch (__awsnote_scan)[1]
        case options value file
            return 0
        case words
            string match -q -- '--*' (commandline -ct)
            return
    end
    return 1
end

# A path as typed, with a leading ~ or $HOME expanded as the shell would
# (commandline gives tokens unexpanded; nothing else is expanded, so a
# completion never runs what a word holds).
function __awsnote_path
    string replace -r -- '^(~|\$HOME|\$\{HOME\})(?=/|$)' $HOME $argv[1]
end

# Values of -d, one per line: the documents' names and their directories,
# from "awsnote --complete-doc" given the -f options before the cursor;
# failing those, paths on disk (-d takes one too).  The token as typed
# ("my\ notes/") is unescaped first, as fish would read it.
function __awsnote_docs
    set -l tokens (commandline -opc)
    set -l cur (string replace -r -- '^--[^=]*=' '' (commandline -ct) |
        string unescape)
    set -l scan (__awsnote_scan)
    set -l notes
    for i in (seq 2 2 (count $scan))
        test "$scan[$i]" = -f; and set -a notes -f $scan[(math $i + 1)]
    end
    command $tokens[1] $notes --complete-doc="$cur" 2>/dev/null
    or __fish_complete_path "$cur"
end

# The candidates for the token under the cursor, one per line.
function __awsnote_words
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l scan (__awsnote_scan)
    # A leading '-' starts an option before the first word, and "--"
    # after it, unless "--" came before.
    switch $scan[1]
        case options
            string match -q -- '-*' $cur; and return 1
        case words
            string match -q -- '--*' $cur; and return 1
        case value
            return 1
        case file
            __fish_complete_path $cur
            return
    end
    command $tokens[1] --complete=$cur $scan[2..-1] 2>/dev/null
end

complete -c awsnote -f
complete -c awsnote -n __awsnote_options_here -s k -l apropos -d 'List matching sections, best first'
complete -c awsnote -n __awsnote_options_here -s l -l list -d 'List all sections, or the outline of the best match (with -e: matching ones)'
complete -c awsnote -n __awsnote_options_here -s n -l nth -x -d 'Show the N-th best match'
# -f's files are fish's own file completion, which cannot offer a name
# holding a tab (see awsnote-index.fish).
complete -c awsnote -n __awsnote_options_here -s f -l file -r -F -d 'Notes: a blob, Markdown file or directory'
complete -c awsnote -n __awsnote_options_here -s d -l doc -x -a '(__awsnote_docs)' -d 'Only search the named document or directory'
complete -c awsnote -n __awsnote_options_here -s e -l regex -x -d 'Print lines matching a regular expression'
complete -c awsnote -n __awsnote_options_here -s i -d 'With -e: ignore case; without: the shell'
complete -c awsnote -n __awsnote_options_here -l ignore-case -d 'With -e: ignore case'
complete -c awsnote -n __awsnote_options_here -s w -l word-regexp -d 'With -e: match whole words only'
complete -c awsnote -n __awsnote_options_here -s F -l fixed-strings -d 'With -e: patterns are plain strings'
complete -c awsnote -n __awsnote_options_here -s c -l count -d 'With -e: count matching lines per section'
complete -c awsnote -n __awsnote_options_here -s o -l only-matching -d 'With -e: print only the matched parts'
complete -c awsnote -n __awsnote_options_here -s A -l after-context -x -d 'With -e: lines of context after'
complete -c awsnote -n __awsnote_options_here -s B -l before-context -x -d 'With -e: lines of context before'
complete -c awsnote -n __awsnote_options_here -s C -l context -x -d 'With -e: lines of context'
complete -c awsnote -n __awsnote_options_here -s m -l max-count -x -d 'With -e: stop after N matching lines'
complete -c awsnote -n __awsnote_options_here -l json -d 'JSON Lines output for scripts'
complete -c awsnote -n __awsnote_options_here -l where -d 'Print where the sections are written, FILE:LINE'
complete -c awsnote -n __awsnote_options_here -l shell -l interactive -d 'Browse in an interactive shell'
complete -c awsnote -n __awsnote_options_here -l color -l colour -f -a 'auto always never' -d 'Colour output'
complete -c awsnote -n __awsnote_options_here -l no-pager -d 'Never send output through a pager'
complete -c awsnote -n __awsnote_options_here -l width -x -d 'Wrap at N columns'
complete -c awsnote -n __awsnote_options_here -l verify -d 'Check every checksum of the notes file'
complete -c awsnote -n __awsnote_options_here -s h -l help -d 'Show the help and exit'
complete -c awsnote -n __awsnote_options_here -s V -l version -d 'Show the version and exit'
complete -c awsnote -a '(__awsnote_words)'
