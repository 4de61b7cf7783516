# awsnote.bash - bash completion for awsnote(1).
#
# Options are completed from the list below; words of the query from the
# section titles of the notes, through the hidden "awsnote --complete=WORD"
# mode, which is given the same -f and -d options as the command line so
# it offers the words of the notes that the lookup will search.

_awsnote_options='-k --apropos -l --list -n --nth= -f --file= -d --doc=
-e --regex= -i --ignore-case -w --word-regexp -F --fixed-strings -c --count
-o --only-matching -A --after-context= -B --before-context= -C --context=
-m --max-count= --json --shell --interactive --color= --colour= --no-pager
--width= --verify -h --help -V --version'

# Does option $1 take the next word as its argument?
_awsnote_takes_arg()
{
	case $1 in
	-[fdneABCm] | --file | --doc | --nth | --regex | --after-context | \
		--before-context | --context | --max-count | --width)
		return 0
		;;
	esac
	return 1
}

_awsnote()
{
	local IFS=$' \t\n'
	local -a words=() files=()
	local cur prev word i n glue=0 split=0 seen_word=0 line

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
	prev=
	((n > 2)) && prev=${words[n - 2]}

	# The -f and -d options for --complete; options end at the first word.
	for ((i = 1; i < n - 1; i++)); do
		word=${words[i]}
		case $word in
		-f | --file)
			((i + 1 < n - 1)) && files+=(-f "${words[i + 1]}")
			((i++))
			;;
		-d | --doc)
			((i + 1 < n - 1)) && files+=(-d "${words[i + 1]}")
			((i++))
			;;
		--file=*)
			files+=(-f "${word#--file=}")
			;;
		--doc=*)
			files+=(-d "${word#--doc=}")
			;;
		--)
			seen_word=1
			break
			;;
		-?*)
			_awsnote_takes_arg "$word" && ((i++))
			;;
		*)
			seen_word=1
			break
			;;
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
	done

	if ((!seen_word)); then
		case $prev in
		-f | --file)
			COMPREPLY=($(compgen -f -- "$cur"))
			compopt -o filenames 2>/dev/null
			return 0
			;;
		esac
		_awsnote_takes_arg "$prev" && return 0
		case $cur in
		--file=*)
			COMPREPLY=($(compgen -f -- "${cur#--file=}"))
			compopt -o filenames 2>/dev/null
			((split)) || COMPREPLY=("${COMPREPLY[@]/#/--file=}")
			return 0
			;;
		--color=* | --colour=*)
			COMPREPLY=($(compgen -W 'auto always never' -- "${cur#*=}"))
			((split)) || COMPREPLY=("${COMPREPLY[@]/#/${cur%%=*}=}")
			return 0
			;;
		-*)
			COMPREPLY=($(compgen -W "$_awsnote_options" -- "$cur"))
			[[ ${COMPREPLY[0]-} == *= ]] && compopt -o nospace 2>/dev/null
			return 0
			;;
		esac
	fi

	# Query words: candidates come from the notes, one per line, and
	# may hold spaces (whole titles), so each is quoted for the shell.
	word=${cur#[\"\']}
	while IFS= read -r line; do
		COMPREPLY+=("$(printf '%q' "$line")")
	done < <(command "${COMP_WORDS[0]}" "${files[@]}" --complete="$word" \
		2>/dev/null)
	return 0
}

complete -F _awsnote awsnote
