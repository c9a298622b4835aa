package commands

import (
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
)

var completionCommand = &cli.Command{
	Name:      "completion",
	Usage:     "print a shell completion script",
	ArgsUsage: "bash|zsh|fish|powershell",
	Description: `Prints a script that completes amfcall's commands, flags and flag values
in the given shell, the @FILE arguments of call, bench, upload and publish,
and the targets "amfcall list" found; file names only where a file goes.
The same scripts are in the completions/ directory of the source. Each
script asks amfcall itself for the candidates, so it stays right as
amfcall changes.

Install (the folders may not exist yet: mkdir -p makes them):

  bash:        mkdir -p ~/.local/share/bash-completion/completions
               amfcall completion bash > ~/.local/share/bash-completion/completions/amfcall
               (read by the bash-completion package; without it, add
               eval "$(amfcall completion bash)"  to ~/.bashrc)
  zsh:         mkdir -p ~/.zfunc
               amfcall completion zsh > ~/.zfunc/_amfcall
               and in ~/.zshrc, before compinit:  fpath=(~/.zfunc $fpath)
               (or add  source <(amfcall completion zsh)  to ~/.zshrc, after compinit)
  fish:        mkdir -p ~/.config/fish/completions
               amfcall completion fish > ~/.config/fish/completions/amfcall.fish
  PowerShell:  add  amfcall completion powershell | Out-String | Invoke-Expression
               to $PROFILE (PowerShell 7.3 or later)`,
}

// The Actions are set in init: they build the app, whose command list
// holds these commands (a cycle Go refuses in a variable initializer).
func init() {
	completionCommand.Action = runCompletion
	genDocsCommand.Action = runGenDocs
}

func runCompletion(c *cli.Context) error {
	setColor(c)
	if err := checkArgs(c, 1, 1, "SHELL"); err != nil {
		return err
	}
	sh := c.Args().First()
	if !slices.Contains(shells, sh) {
		return usageErrorf("unknown shell %q", sh).hint("use bash, zsh, fish or powershell")
	}
	script, err := completionScript(sh)
	if err != nil {
		return err
	}
	_, err = fmt.Fprint(c.App.Writer, script)
	return err
}

// completionScript returns the script for a shell.
func completionScript(sh string) (string, error) {
	switch sh {
	case "bash":
		return bashScript, nil
	case "zsh":
		return zshScript, nil
	case "powershell":
		return powershellScript, nil
	case "fish":
		// Not urfave/cli's ToFishCompletion: its fixed list knows no
		// flag values (--to, --from, --color) nor completion's shells.
		return fishScript, nil
	}
	return "", fmt.Errorf("unknown shell %q", sh)
}

// The scripts below call amfcall with the words typed so far, then the
// word being completed (empty right after a space), then urfave/cli's
// hidden --generate-bash-completion flag; amfcall prints the candidates,
// one per line (see completeHook in argv.go). No candidates means file
// names, unless the line noFilesMark is among them.

// noFilesMark is the line amfcall adds to the candidates where no file
// name goes (valueNoFile): the value of a flag that takes no file
// (--timeout, -u, -c, --to), or an argument that is never a file (a URL,
// a target, a destination, a command name, JSON), when the script asks
// for it by setting noFilesEnv to 1: the shell is to offer the
// candidates, or nothing, but not its default of file names. A script
// from before it (or another consumer of urfave/cli's protocol) does not
// ask, and gets the candidates as before. It holds blanks, which every
// script drops from the candidates anyway.
const (
	noFilesMark = "(amfcall: a value, not a file name)"
	noFilesEnv  = "AMFCALL_COMPLETE_NOFILES"
)

// valueNoFile reports whether cur, the word being completed after prev,
// is a word where no file name goes: the value of a flag that takes no
// file (flagValueNoFile), or a positional argument that is not a file
// (argNoFile). After "--" every word is an argument.
func valueNoFile(c *cli.Context, prev, cur string) bool {
	pos, dashdash := typedArgs(c)
	if dashdash {
		return argNoFile(c, pos, cur)
	}
	if flagValueNoFile(c, prev, cur) {
		return true
	}
	if strings.HasPrefix(cur, "-") {
		return false // a flag being typed (or its --flag=VALUE)
	}
	if strings.HasPrefix(prev, "-") && !strings.Contains(prev, "=") && prev != "-" {
		if takes, err := flagTakesValue(prev, flagsOf(c)); err != nil || takes {
			return false // a flag's value that is a file (or a flag that does not parse)
		}
	}
	return argNoFile(c, pos, cur)
}

// argKind is what a positional argument of a command is, for completion.
type argKind int

const (
	argWord   argKind = iota // a URL, a target, a name, JSON: never a file's name
	argFile                  // a file's name
	argAtFile                // a word, or @FILE (a ByteArray of the file's bytes)
)

// argKinds gives, by command path (commandKey), the kind of each
// positional argument, the URL counted (typed, or AMFCALL_URL's); the
// last kind goes on for the arguments after it. Every other command's
// arguments are words: list URL, describe URL SERVICE, probe URL,
// snapshots URL, socket call HOST:PORT COMMAND PARAMS, socket listen
// HOST:PORT, logout URL, subscribe URL DEST, completion SHELL, and
// amfcall's, socket's and help's command names; serve and demo take none.
var argKinds = map[string][]argKind{
	"convert":  {argFile},                              // [FILE]
	"dump":     {argFile},                              // [FILE]
	"gen-docs": {argFile},                              // [DIR]
	"call":     {argWord, argWord, argAtFile},          // URL TARGET [ARG...]
	"bench":    {argWord, argWord, argAtFile},          // URL TARGET [ARG...]
	"upload":   {argWord, argWord, argFile, argAtFile}, // URL TARGET FILE [ARG...]
	"publish":  {argWord, argWord, argAtFile},          // URL DEST BODY
}

// argKindAt is the kind of the context's command's argument that follows
// the arguments pos.
func argKindAt(c *cli.Context, pos []string) argKind {
	if isRoot(c) {
		return argWord
	}
	kinds := argKinds[commandKey(c)]
	switch {
	case len(kinds) == 0:
		return argWord
	case len(pos) >= len(kinds):
		return kinds[len(kinds)-1]
	}
	return kinds[len(pos)]
}

// argNoFile reports whether cur, a positional argument after the
// arguments pos, is one where a file's name is no use: any argument but
// a FILE (convert's, dump's, upload's) and @FILE ("@..." completes to
// files, see atFiles; without the @ a file named there is not JSON, and
// call says to write @FILE).
func argNoFile(c *cli.Context, pos []string, cur string) bool {
	switch argKindAt(c, pos) {
	case argFile:
		return false
	case argAtFile:
		return !strings.HasPrefix(cur, "@")
	}
	return true
}

// flagsOf is the flags of the context's command, or amfcall's own.
func flagsOf(c *cli.Context) []cli.Flag {
	if isRoot(c) {
		return c.App.Flags
	}
	return c.Command.Flags
}

// flagValueNoFile reports whether cur, the word being completed after
// prev, is the value of a flag that takes no file name: a value flag
// that is not marked TakesFile, given as "--flag VALUE" (or ending a
// group of one-letter flags, "-ku VALUE") or "--flag=VALUE".
func flagValueNoFile(c *cli.Context, prev, cur string) bool {
	flags := flagsOf(c)
	word := prev
	if strings.HasPrefix(cur, "-") && strings.Contains(cur, "=") {
		word = cur[:strings.IndexByte(cur, '=')]
	} else if !strings.HasPrefix(prev, "-") || strings.Contains(prev, "=") {
		return false
	} else if takes, err := flagTakesValue(prev, flags); err != nil || !takes {
		return false
	}
	name := flagName(word)
	f := findFlag(flags, name)
	if f == nil && !strings.HasPrefix(word, "--") && len(name) > 1 {
		f = findFlag(flags, name[len(name)-1:]) // -ku: -u's value
	}
	if f == nil || !valueFlag(f) {
		return false
	}
	switch f := f.(type) {
	case *cli.StringFlag:
		return !f.TakesFile
	case *repeatFlag:
		return !f.TakesFile
	case *cli.StringSliceFlag:
		return !f.TakesFile
	case *cli.GenericFlag:
		return !f.TakesFile
	case *cli.PathFlag:
		return !f.TakesFile
	}
	return true // numbers, durations
}

const bashScript = `# bash completion for amfcall                               -*- shell-script -*-
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
    local unsafe='[][[:space:]$` + "`" + `()|;&<>*?!{}'"'"'"\]' c
    local -a cands=()
    local nofiles=""
    while IFS= read -r c; do
        if [[ $c == "` + noFilesMark + `" ]]; then
            nofiles=1
        elif ! [[ $c =~ $unsafe ]]; then
            cands+=("$c")
        fi
    done < <(` + noFilesEnv + `=1 "${words[0]}" "${words[@]:1}" --generate-bash-completion 2>/dev/null)
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
`

const zshScript = `#compdef amfcall
# zsh completion for amfcall.
#
# Install: save as _amfcall in a directory of $fpath and restart zsh
# (mkdir -p ~/.zfunc, save it there, and put fpath=(~/.zfunc $fpath)
# in ~/.zshrc before compinit), or add  source <(amfcall completion zsh)
# to ~/.zshrc (after compinit).

_amfcall() {
  # The words as the command will get them: quotes and backslashes off,
  # a leading ~/ of the command made $HOME, and for the word being
  # completed what is before the cursor ($PREFIX: 'hex:a is hex:a).
  local cmd=${(Q)words[1]}
  cmd=${cmd/#\~\//$HOME/}
  # One candidate a line, taken as it is (no expansion of any kind). A
  # candidate holding a blank or a shell metacharacter is dropped, as in
  # the bash and PowerShell scripts: compadd would quote it, but a name
  # from a gateway's listing (svc.$(cmd), svc.*, svc.a;b) is not offered.
  local -a cands args
  local unsafe='*[][:space:]$` + "`" + `()|;&<>*?!{}#^~\'"'"'"]*'
  # A word before it that is a variable, as $URL or "${URL}" (the
  # gateway, as the README writes it), goes to amfcall as its value,
  # which is what the command will get. Only a name's value is read:
  # nothing else is expanded, and nothing runs.
  local w
  for w in "${(@)words[2,CURRENT-1]}"; do
    if [[ $w =~ '^"?\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)"?$' && ( $w != \"* || $w == \"*\" ) ]]; then
      w=${${match[1]#\{}%\}}
      args+=("${(P)w}")
    else
      args+=("${(Q)w}")
    fi
  done
  # Variables assigned in front of the command ("AMFCALL_URL=... amfcall
  # call ec") are not in $words, and not in amfcall's environment
  # either: the line's words before the command are read from $LBUFFER,
  # split as the shell does ((z), which expands nothing). AMFCALL_URL's
  # value goes to amfcall as typed, its quotes off; one holding $, ` + "`" + ` or
  # \ is not read (nothing is expanded, nothing runs).
  local -a zw
  local url a j seturl=0
  zw=(${(z)LBUFFER})
  j=$(( ${#zw} - CURRENT ))
  [[ $LBUFFER == *[[:blank:]] ]] && (( j++ ))
  for (( ; j >= 1; j-- )); do
    a=${zw[j]}
    [[ $a =~ '^[A-Za-z_][A-Za-z0-9_]*=' ]] || break
    if [[ $a == AMFCALL_URL=* ]] && (( ! seturl )); then
      a=${a#AMFCALL_URL=}
      if [[ $a == \'*\' && ${a[2,-2]} != *\'* ]]; then
        url=${a[2,-2]} seturl=1
      elif [[ $a != *[\$\` + "`" + `\\]* ]]; then
        url=${(Q)a} seturl=1
      fi
    fi
  done
  cands=("${(@f)$( (( seturl )) && export AMFCALL_URL=$url
    ` + noFilesEnv + `=1 "$cmd" "${(@)args}" "$PREFIX" --generate-bash-completion 2>/dev/null)}")
  # A word where no file goes (a flag's value such as --timeout, an
  # argument such as a URL): its values or nothing, never file names.
  local nofiles=0 mark='` + noFilesMark + `'
  if (( ${cands[(Ie)$mark]} )); then
    nofiles=1
  fi
  cands=("${(@)cands:#}")
  cands=("${(@)cands:#${~unsafe}}")
  if (( ${#cands} )); then
    # A folder (@dir/, for an @FILE argument) is completed further,
    # without a blank after it.
    local -a dirs rest
    local ret=1
    dirs=(${(M)cands:#*/})
    rest=(${cands:#*/})
    if (( ${#dirs} )); then
      compadd -S '' -- "${dirs[@]}" && ret=0
    fi
    if (( ${#rest} )); then
      compadd -- "${rest[@]}" && ret=0
    fi
    return ret
  elif (( ! nofiles )); then
    _files
  else
    return 1
  fi
}

if [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then
  _amfcall "$@"
else
  compdef _amfcall amfcall
fi
`

const fishScript = `# fish completion for amfcall
#
# Install: mkdir -p ~/.config/fish/completions
#          amfcall completion fish > ~/.config/fish/completions/amfcall.fish

# __fish_amfcall_ask runs amfcall once a TAB: it keeps amfcall's
# candidates for the word in __fish_amfcall_cands, and succeeds when there
# are some, or when amfcall says the word takes no file name; else fish
# completes file names. The candidates' function reads what it kept.
function __fish_amfcall_ask
    set -l words (commandline -opc)
    # A word before it that is a variable, as $URL (the gateway, as the
    # README writes it), goes to amfcall as its value, which is what the
    # command will get. Only a name's value is read: nothing else is
    # expanded, and nothing runs.
    for i in (seq 2 (count $words))
        if string match -qr -- '^\$[A-Za-z_][A-Za-z0-9_]*$' $words[$i]
            set -l name (string sub -s 2 -- $words[$i])
            set words[$i] "$$name"
        end
    end
    # The word as amfcall will get it: 'j is j, hex\:s is hex:s.
    set -l cur (commandline -ct | string unescape)
    set -lx ` + noFilesEnv + ` 1
    set -l out ($words[1] $words[2..-1] "$cur" --generate-bash-completion 2>/dev/null)
    # A candidate holding a blank or a shell metacharacter is dropped, as
    # in the other shells' scripts: fish would escape it, but a name from
    # a gateway's listing (svc.$(cmd), svc.*, svc.a;b) is not offered.
    set -g __fish_amfcall_cands
    if set -q out[1]
        set -g __fish_amfcall_cands (string match -rv -- '[\s$` + "`" + `()|;&<>*?!{}#^~\'"\\\\\[\]]' $out)
    end
    set -q __fish_amfcall_cands[1]; or contains -- '` + noFilesMark + `' $out
end

function __fish_amfcall_candidates
    printf '%s\n' $__fish_amfcall_cands
end

complete -c amfcall -f -n __fish_amfcall_ask -a '(__fish_amfcall_candidates)'
`

const powershellScript = `# PowerShell completion for amfcall (PowerShell 7.3 or later).
#
# Install: add this line to $PROFILE:
#   amfcall completion powershell | Out-String | Invoke-Expression

Register-ArgumentCompleter -Native -CommandName amfcall -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $PSNativeCommandArgumentPassing = 'Standard'
    $elements = $commandAst.CommandElements
    $exe = $elements[0].Extent.Text
    $words = @()
    for ($i = 1; $i -lt $elements.Count; $i++) {
        if ($elements[$i].Extent.EndOffset -ge $cursorPosition) { break }
        $words += $elements[$i].Extent.Text
    }
    # The word as amfcall will get it: '@ph is @ph.
    $word = $wordToComplete -replace '^[''"]', ''
    $words += $word
    # amfcall adds a line saying the word takes no file name (a flag's
    # value such as --timeout, call's arguments but @FILE) when asked by
    # this variable, set for its run only.
    $before = $env:` + noFilesEnv + `
    $env:` + noFilesEnv + ` = '1'
    try {
        $out = @(& $exe @words '--generate-bash-completion' 2>$null)
    } finally {
        $env:` + noFilesEnv + ` = $before
    }
    $noFiles = $out -contains '` + noFilesMark + `'
    # A candidate holding a blank or a character PowerShell reads as
    # code ($(...), backtick, quotes, ;, |, &, @, {}) is dropped: it is
    # inserted as it is, and a gateway's listing chose it. An @FILE
    # argument is inserted in quotes, since a bare @ splats a variable.
    $results = @($out |
        Where-Object { $_.StartsWith($word, [System.StringComparison]::Ordinal) -and ($_ -replace '^@', '') -notmatch '[\s$` + "`" + `();|&<>*?!{}@#''"\\\[\]]' } |
        ForEach-Object {
            $text = $_
            if ($text.StartsWith('@')) { $text = "'" + $text + "'" }
            [System.Management.Automation.CompletionResult]::new($text, $_, 'ParameterValue', $_)
        })
    if ($results.Count -eq 0 -and $noFiles) {
        # No result makes PowerShell complete paths; one empty string
        # makes it complete nothing.
        return ''
    }
    $results
}
`
