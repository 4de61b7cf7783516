# awsnote-index.bash - bash completion for awsnote-index(1).
#
# Options and their values (-o: any file; -j: 1 or 2; --source-dir: a
# directory; -m: a size, for which nothing is offered) and the notes to
# compile: directories and *.md or *.markdown files.  awsnote-index reads options anywhere before
# an argument "--" (GNU getopt), so a word with a leading '-' is an
# option up to there, and a note whose name starts with '-' is typed
# after "--" or as ./-name.

# The long option that $1 (without "--") names as getopt_long reads it:
# the whole name, or a prefix of one name only.  Sets
# _awsnote_index_long to that name with "=" when it takes a value, or
# to "" when $1 names none.
_awsnote_index_resolve()
{
	local o
	local -a hits=()

	for o in output= memory= threads= source-dir= quiet help version; do
		[[ ${o%=} == "$1"* ]] && hits+=("$o")
	done
	_awsnote_index_long=
	((${#hits[@]} == 1)) && _awsnote_index_long=${hits[0]}
	return 0
}

# Adds to COMPREPLY the names compgen prints on stdin, one a line: a
# name holding a newline comes in pieces, joined again where they name
# something (a leading ~/ is the home directory, as compgen leaves it).
# With $1 "notes", directories are passed over: compgen -d gave them
# already, a directory named x.md too.
_awsnote_index_add()
{
	local line name try path more=0
	local -a tries

	while IFS= read -r line; do
		tries=("$line")
		((more)) && tries=("$name"$'\n'"$line" "$line")
		name=${tries[0]} more=1
		for try in "${tries[@]}"; do
			path=$try
			[[ $path == "~/"* ]] && path=$HOME/${path#"~/"}
			[[ -e $path || -L $path ]] || continue
			more=0
			[[ ${1-} == notes && -d $path ]] || COMPREPLY+=("$try")
			break
		done
	done
}

_awsnote_index()
{
	local IFS=$' \t\n' cur=${COMP_WORDS[COMP_CWORD]-} word short
	local value_of= i k

	COMPREPLY=()
	# Which option, if any, takes the word under the cursor as its
	# value: read the words before it as getopt does, up to a "--".
	for ((i = 1; i < COMP_CWORD; i++)); do
		word=${COMP_WORDS[i]}
		value_of=
		case $word in
		--)
			value_of=--
			break
			;;
		--?*)
			_awsnote_index_resolve "${word#--}"
			[[ $_awsnote_index_long == *= ]] || continue
			# The value is the next word; bash splits
			# "--output=FILE" into three, "=" the middle one.
			i=$((i + 1))
			[[ ${COMP_WORDS[i]-} == = ]] && ((i < COMP_CWORD)) &&
				i=$((i + 1))
			((i == COMP_CWORD)) && value_of=${_awsnote_index_long%=}
			;;
		-?*)
			# A cluster (-qo FILE, -oFILE): the first of o, m, j
			# takes the rest of the word, or else the next one.
			for ((k = 1; k < ${#word}; k++)); do
				short=${word:k:1}
				[[ $short == [omj] ]] || continue
				if ((k == ${#word} - 1)) && ((++i == COMP_CWORD)); then
					case $short in
					o) value_of=output ;;
					m) value_of=memory ;;
					j) value_of=threads ;;
					esac
				fi
				break
			done
			;;
		esac
		[[ -n $value_of ]] && break
	done
	# "--output=" with nothing after it: the value is empty.
	[[ $cur == = ]] && cur=

	case $value_of in
	output)
		compopt -o filenames 2>/dev/null
		_awsnote_index_add < <(compgen -f -- "$cur")
		return 0
		;;
	threads)
		COMPREPLY=($(compgen -W '1 2' -- "$cur"))
		return 0
		;;
	source-dir)
		compopt -o filenames 2>/dev/null
		_awsnote_index_add < <(compgen -d -- "$cur")
		return 0
		;;
	memory) return 0 ;;
	esac
	if [[ $value_of != -- && $cur == -* ]]; then
		COMPREPLY=($(compgen -W '-o --output= -m --memory= -j --threads= --source-dir=
			-q --quiet -h --help -V --version' -- "$cur"))
		[[ ${COMPREPLY[0]-} == *= ]] && compopt -o nospace 2>/dev/null
		return 0
	fi
	# Notes: directories, to go into, and Markdown files (a directory
	# named x.md only once).
	compopt -o filenames 2>/dev/null
	_awsnote_index_add < <(compgen -d -- "$cur")
	_awsnote_index_add notes < <(compgen -f -X '!*.md' -- "$cur"
		compgen -f -X '!*.markdown' -- "$cur")
	return 0
}

complete -F _awsnote_index awsnote-index
