# bash completion for amfcall                               -*- shell-script -*-
#
# Install: save as ~/.local/share/bash-completion/completions/amfcall
# (mkdir -p the folder first; the bash-completion package reads it),
# or add  eval "$(amfcall completion bash)"  to ~/.bashrc.

_amfcall() {
    # Split the line on blanks only: bash also splits words at = and :,
    # which would cut "--to=hex:amf3" apart.
    local line=${COMP_LINE:0:COMP_POINT}
    local -a words
    read -ra words <<< "$line"
    if [[ ${#words[@]} -eq 0 || $line == *[[:blank:]] ]]; then
        words+=("")
    fi
    local cur=${words[${#words[@]}-1]} quoted=""
    # A word typed after a quote ('j) or with backslashes (hex\:s) goes
    # to amfcall as the shell will pass it; bash then replaces the whole
    # word (it does not break words at quoted characters).
    case $cur in
    \'*|\"*) quoted=1 cur=${cur:1} ;;
    esac
    if [[ $cur == *\\* ]]; then
        quoted=1 cur=${cur//\\/}
    fi
    words[${#words[@]}-1]=$cur
    # A word before it that is a variable, as $URL or "${URL}" (the
    # gateway, as the README writes it), goes to amfcall as its value,
    # which is what the command will get: amfcall looked up the
    # targets of a gateway called "$URL". Only a name's value is read:
    # nothing else is expanded, and nothing runs.
    local var='^\$([A-Za-z_][A-Za-z0-9_]*)$|^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$' w i
    for (( i=1; i<${#words[@]}-1; i++ )); do
        w=${words[i]}
        [[ $w == \"*\" ]] && w=${w:1:${#w}-2}
        if [[ $w =~ $var ]]; then
            w=${BASH_REMATCH[1]}${BASH_REMATCH[2]}
            words[i]=${!w}
        fi
    done
    # One candidate a line, taken as it is: no word splitting and no
    # pathname expansion (a method named * is not the files here). A
    # candidate holding a blank or a shell metacharacter is dropped:
    # without -o filenames bash inserts it unquoted, and a name from a
    # gateway's listing such as svc.$(cmd) would run when the line does.
    local unsafe='[][[:space:]$`()|;&<>*?!{}'"'"'"\]' c
    local -a cands=()
    local nofiles=""
    while IFS= read -r c; do
        if [[ $c == "(amfcall: a value, not a file name)" ]]; then
            nofiles=1
        elif ! [[ $c =~ $unsafe ]]; then
            cands+=("$c")
        fi
    done < <(AMFCALL_COMPLETE_NOFILES=1 "${words[0]}" "${words[@]:1}" --generate-bash-completion 2>/dev/null)
    # What bash replaces is the end of our word after its last
    # word-break character (= and : among them): "--to=hex:" has "" to
    # replace, so each candidate loses "--to=hex:" in front. Bash keeps
    # @ and $ in what it replaces (readline's special prefixes): "@ph"
    # is replaced whole, "-d=@ph" from its @.
    local pre=""
    for (( i=${#cur}-1; i>=0 && !quoted; i-- )); do
        if [[ $COMP_WORDBREAKS == *"${cur:i:1}"* ]]; then
            case ${cur:i:1} in
            @|\$) pre=${cur:0:i} ;;
            *) pre=${cur:0:i+1} ;;
            esac
            break
        fi
    done
    COMPREPLY=()
    for c in "${cands[@]}"; do
        [[ $c == "$cur"* ]] && COMPREPLY+=("${c#"$pre"}")
    done
    # A folder (@dir/, for an @FILE argument) is completed further,
    # without a blank after it.
    if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == */ ]]; then
        compopt -o nospace 2>/dev/null
    fi
    # A word where no file goes (a flag's value such as --timeout, an
    # argument such as a URL): no file names when amfcall has nothing
    # to offer.
    if [[ $nofiles && ${#COMPREPLY[@]} -eq 0 ]]; then
        compopt +o default +o bashdefault 2>/dev/null
    fi
}

complete -o bashdefault -o default -F _amfcall amfcall
