# awsnote.bash - bash completion for awsnote(1).
#
# Options are completed from the list below; words of the query from the
# section titles of the notes, through the hidden "awsnote --complete=WORD"
# mode, which is given the same -f and -d options as the command line so
# it offers the words of the notes that the lookup will search.  As in
# awsnote, options come before the words and long ones may follow them
# (there "-word" is an exclusion), up to an argument "--".

_awsnote_options='-k --apropos -l --list -n --nth= -f --file= -d --doc=
-e --regex= -i --ignore-case -w --word-regexp -F --fixed-strings -c --count
-o --only-matching -A --after-context= -B --before-context= -C --context=
-m --max-count= --json --where --shell --interactive --color= --colour= --no-pager
--width= --verify -h --help -V --version'

# Every long option awsnote takes ("=": its value may be the next word).
_awsnote_long='--file= --doc= --apropos --list --nth= --regex= --ignore-case
--word-regexp --fixed-strings --count --only-matching --after-context=
--before-context= --context= --max-count= --json --where --shell --interactive
--color --colour --no-pager --width= --verify --complete= --help --version'

# The option that the word $1, before the words or (if long) after them,
# stands for, as getopt_long reads it: an exact name, else the one long
# option that begins so ("--col": --color and --colour are one).  Sets
# _awsnote_opt to its long name, with "=" if its value is the next word
# (not when $1 holds one), or to "" (an unknown or ambiguous name).
_awsnote_option()
{
	local name=${1%%=*} o
	local -a found=()

	case $1 in
	-f) name=--file ;;
	-d) name=--doc ;;
	-n) name=--nth ;;
	-e) name=--regex ;;
	-A) name=--after-context ;;
	-B) name=--before-context ;;
	-C) name=--context ;;
	-m) name=--max-count ;;
	--?*) ;;
	*) name= ;;
	esac
	for o in $_awsnote_long; do
		if [[ ${o%=} == "$name" ]]; then
			found=("$o")
			break
		fi
		[[ -n $name && $o == "$name"* ]] && found+=("$o")
	done
	_awsnote_opt=
	if ((${#found[@]} == 1)); then
		_awsnote_opt=${found[0]}
	elif [[ ${found[*]} == "--color --colour" ]]; then
		_awsnote_opt=--color
	fi
	[[ $1 == *=* ]] && _awsnote_opt=${_awsnote_opt%=}
	return 0
}

# The files whose names begin with $1, in COMPREPLY, each whole: compgen
# prints one a line, so a name holding a newline comes in pieces, which
# are joined again where they name a file (a leading ~/ is the home
# directory, as compgen leaves it).  Never split at blanks or globbed.
# awsnote-index.bash has the same loop: bash-completion loads each
# script alone, by the command's name, so neither can use the other's.
_awsnote_files()
{
	local line name try path more=0
	local -a tries

	COMPREPLY=()
	while IFS= read -r line; do
		tries=("$line")
		((more)) && tries=("$name"$'\n'"$line" "$line")
		name=${tries[0]} more=1
		for try in "${tries[@]}"; do
			path=$try
			[[ $path == "~/"* ]] && path=$HOME/${path#"~/"}
			[[ -e $path || -L $path ]] || continue
			COMPREPLY+=("$try")
			more=0
			break
		done
	done < <(compgen -f -- "$1")
}

# The word $1 as typed, its quotes and backslashes taken off as the shell
# would, in _awsnote_value: a name offered as "my\ notes/" is completed
# on from "my notes/".  Nothing is expanded (a completion must not run
# what a word holds).
_awsnote_dequote()
{
	local s=$1 c q= i

	_awsnote_value=
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		if [[ $q == "'" ]]; then
			if [[ $c == "'" ]]; then q=; else _awsnote_value+=$c; fi
		elif [[ $c == '\' && ( -z $q || ${s:i+1:1} == [\$\`\"\\] ) ]]; then
			((++i))
			_awsnote_value+=${s:i:1}
		elif [[ $c == [\"\'] && ( -z $q || $c == "$q" ) ]]; then
			if [[ -z $q ]]; then q=$c; else q=; fi
		else
			_awsnote_value+=$c
		fi
	done
}

# The values of -d that begin with $1 (as typed), in COMPREPLY: the
# documents' names and their directories, from "awsnote --complete-doc"
# given the -f options in $notes; failing those, paths on disk (-d takes
# one too).
_awsnote_docs()
{
	local line _awsnote_value

	_awsnote_dequote "$1"
	COMPREPLY=()
	while IFS= read -r line; do
		COMPREPLY+=("$(printf '%q' "$line")")
	done < <(command "${COMP_WORDS[0]}" "${notes[@]}" \
		--complete-doc="$_awsnote_value" 2>/dev/null)
	if ((${#COMPREPLY[@]} == 0)); then
		_awsnote_files "$_awsnote_value"
		compopt -o filenames 2>/dev/null
	elif [[ ${COMPREPLY[*]} == */ ]]; then
		compopt -o nospace 2>/dev/null # a directory, to go on from
	fi
	return 0
}

_awsnote()
{
	local IFS=$' \t\n'
	local -a words=() files=() notes=() typed=()
	local cur word value argof= i n glue=0 split=0 seen_word=0 ended=0 line

	COMPREPLY=()
	# Bash cuts "--color=al" into "--color" "=" "al" (COMP_WORDBREAKS);
	# glue such pieces back so every word is seen as it was typed.
	for ((i = 0; i <= COMP_CWORD && i < ${#COMP_WORDS[@]}; i++)); do
		word=${COMP_WORDS[i]}
		n=${#words[@]}
		if ((n > 1)) && [[ $word == = && ${words[n - 1]} == --?* &&
			${words[n - 1]} != *=* ]]; then
			words[n - 1]+==
			glue=1
			((i == COMP_CWORD)) && split=1
		elif ((glue)); then
			words[n - 1]+=$word
			glue=0
			((i == COMP_CWORD)) && split=1
		else
			words+=("$word")
		fi
	done
	n=${#words[@]}
	cur=${words[n - 1]}

	# The -f and -d options for --complete, wherever they are, and the
	# query words before the cursor ($typed: one may name a document,
	# "p1/README", which keeps the lookup to it); whether the word under
	# the cursor is the value of an option ($argof), follows the first
	# query word ($seen_word) or an argument "--" ($ended).
	for ((i = 1; i < n - 1; i++)); do
		word=${words[i]}
		case $word in
		--)
			ended=1
			break
			;;
		--?*) ;;
		-?*)
			((seen_word)) && continue # an exclusion
			;;
		*)
			seen_word=1
			_awsnote_dequote "$word"
			typed+=("$_awsnote_value")
			continue
			;;
		esac
		_awsnote_option "$word"
		case $_awsnote_opt in
		--*=)
			if ((++i == n - 1)); then
				argof=$_awsnote_opt
				break
			fi
			value=${words[i]}
			;;
		*) value=${word#*=} ;;
		esac
		_awsnote_dequote "$value" # as awsnote will get it
		case $_awsnote_opt in
		--file*) files+=(-f "$_awsnote_value") ;;
		--doc*) files+=(-d "$_awsnote_value") ;;
		esac
	done
	# A leading ~ or $HOME, as typed, is expanded as the shell would
	# (nothing else: a completion must not run what a word holds).
	for ((i = 0; i < ${#files[@]}; i++)); do
		case ${files[i]} in
		"~" | '$HOME' | '${HOME}') files[i]=$HOME ;;
		"~/"*) files[i]=$HOME/${files[i]#"~/"} ;;
		'$HOME/'*) files[i]=$HOME/${files[i]#'$HOME/'} ;;
		'${HOME}/'*) files[i]=$HOME/${files[i]#'${HOME}/'} ;;
		esac
		((i % 2)) && [[ ${files[i - 1]} == -f ]] && notes+=(-f "${files[i]}")
	done

	case $argof in
	--file=)
		_awsnote_dequote "$cur"
		_awsnote_files "$_awsnote_value"
		compopt -o filenames 2>/dev/null
		return 0
		;;
	--doc=)
		_awsnote_docs "$cur"
		return 0
		;;
	?*) return 0 ;;
	esac
	# Options: before the first word, and long ones after it.
	if ((!ended)) && [[ $cur == --* || ($cur == -* && $seen_word == 0) ]]; then
		case $cur in
		--file=*)
			_awsnote_dequote "${cur#--file=}"
			_awsnote_files "$_awsnote_value"
			compopt -o filenames 2>/dev/null
			((split)) || COMPREPLY=("${COMPREPLY[@]/#/--file=}")
			;;
		--doc=*)
			_awsnote_docs "${cur#--doc=}"
			((split)) || COMPREPLY=("${COMPREPLY[@]/#/--doc=}")
			;;
		--color=* | --colour=*)
			COMPREPLY=($(compgen -W 'auto always never' -- "${cur#*=}"))
			((split)) || COMPREPLY=("${COMPREPLY[@]/#/${cur%%=*}=}")
			;;
		*)
			COMPREPLY=($(compgen -W "$_awsnote_options" -- "$cur"))
			[[ ${COMPREPLY[0]-} == *= ]] && compopt -o nospace 2>/dev/null
			;;
		esac
		return 0
	fi

	# Query words: candidates come from the notes, one per line, and
	# may hold spaces (whole titles), so each is quoted for the shell.
	_awsnote_dequote "$cur"
	word=$_awsnote_value
	while IFS= read -r line; do
		COMPREPLY+=("$(printf '%q' "$line")")
	done < <(command "${COMP_WORDS[0]}" "${files[@]}" --complete="$word" \
		-- "${typed[@]}" 2>/dev/null)
	return 0
}

complete -F _awsnote awsnote
