# awsnote.fish - fish completion for awsnote(1).
#
# Options are completed from the list below; words of the query from the
# section titles of the notes, through the hidden "awsnote --complete=WORD"
# mode, which is given the same -f and -d options as the command line so
# it offers the words of the notes that the lookup will search.

# Succeeds while no query word has been typed: options end at the first.
function __awsnote_no_word
    set -l tokens (commandline -opc)
    set -l skip 0
    for t in $tokens[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        switch $t
            case -f -d -n -e -A -B -C -m --file --doc --nth --regex \
                --after-context --before-context --context --max-count --width
                set skip 1
            case --
                return 1
            case '-?*'
            case '*'
                return 1
        end
    end
    return 0
end

# A path as typed, with a leading ~ or $HOME expanded as the shell would
# (commandline gives tokens unexpanded; nothing else is expanded, so a
# completion never runs what a word holds).
function __awsnote_path
    string replace -r -- '^(~|\$HOME|\$\{HOME\})(?=/|$)' $HOME $argv[1]
end

# The candidates for the token under the cursor, one per line.
function __awsnote_words
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    # Before the first word a leading '-' is an option, not an exclusion.
    if string match -q -- '-*' $cur; and __awsnote_no_word
        return 1
    end
    set -l files
    set -l n (count $tokens)
    set -l i 2
    while test $i -le $n
        switch $tokens[$i]
            case -f --file
                set i (math $i + 1)
                test $i -le $n; and set -a files -f (__awsnote_path $tokens[$i])
            case '--file=*'
                set -a files -f (__awsnote_path (string replace -- --file= '' $tokens[$i]))
            case -d --doc
                set i (math $i + 1)
                test $i -le $n; and set -a files -d $tokens[$i]
            case '--doc=*'
                set -a files -d (string replace -- --doc= '' $tokens[$i])
        end
        set i (math $i + 1)
    end
    command $tokens[1] $files --complete=$cur 2>/dev/null
end

complete -c awsnote -f
complete -c awsnote -n __awsnote_no_word -s k -l apropos -d 'List matching sections, best first'
complete -c awsnote -n __awsnote_no_word -s l -l list -d 'List all sections, or the outline of the best match (with -e: matching ones)'
complete -c awsnote -n __awsnote_no_word -s n -l nth -x -d 'Show the N-th best match'
complete -c awsnote -n __awsnote_no_word -s f -l file -r -F -d 'Notes: a blob, Markdown file or directory'
complete -c awsnote -n __awsnote_no_word -s d -l doc -x -d 'Only search the named document or directory'
complete -c awsnote -n __awsnote_no_word -s e -l regex -x -d 'Print lines matching a regular expression'
complete -c awsnote -n __awsnote_no_word -s i -d 'With -e: ignore case; without: the shell'
complete -c awsnote -n __awsnote_no_word -l ignore-case -d 'With -e: ignore case'
complete -c awsnote -n __awsnote_no_word -s w -l word-regexp -d 'With -e: match whole words only'
complete -c awsnote -n __awsnote_no_word -s F -l fixed-strings -d 'With -e: patterns are plain strings'
complete -c awsnote -n __awsnote_no_word -s c -l count -d 'With -e: count matching lines per section'
complete -c awsnote -n __awsnote_no_word -s o -l only-matching -d 'With -e: print only the matched parts'
complete -c awsnote -n __awsnote_no_word -s A -l after-context -x -d 'With -e: lines of context after'
complete -c awsnote -n __awsnote_no_word -s B -l before-context -x -d 'With -e: lines of context before'
complete -c awsnote -n __awsnote_no_word -s C -l context -x -d 'With -e: lines of context'
complete -c awsnote -n __awsnote_no_word -s m -l max-count -x -d 'With -e: stop after N matching lines'
complete -c awsnote -n __awsnote_no_word -l json -d 'JSON Lines output for scripts'
complete -c awsnote -n __awsnote_no_word -l shell -l interactive -d 'Browse in an interactive shell'
complete -c awsnote -n __awsnote_no_word -l color -l colour -f -a 'auto always never' -d 'Colour output'
complete -c awsnote -n __awsnote_no_word -l no-pager -d 'Never send output through a pager'
complete -c awsnote -n __awsnote_no_word -l width -x -d 'Wrap at N columns'
complete -c awsnote -n __awsnote_no_word -l verify -d 'Check every checksum of the notes file'
complete -c awsnote -n __awsnote_no_word -s h -l help -d 'Show the help and exit'
complete -c awsnote -n __awsnote_no_word -s V -l version -d 'Show the version and exit'
complete -c awsnote -a '(__awsnote_words)'
