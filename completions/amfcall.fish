# fish completion for amfcall
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
    set -lx AMFCALL_COMPLETE_NOFILES 1
    set -l out ($words[1] $words[2..-1] "$cur" --generate-bash-completion 2>/dev/null)
    # A candidate holding a blank or a shell metacharacter is dropped, as
    # in the other shells' scripts: fish would escape it, but a name from
    # a gateway's listing (svc.$(cmd), svc.*, svc.a;b) is not offered.
    set -g __fish_amfcall_cands
    if set -q out[1]
        set -g __fish_amfcall_cands (string match -rv -- '[\s$`()|;&<>*?!{}#^~\'"\\\\\[\]]' $out)
    end
    set -q __fish_amfcall_cands[1]; or contains -- '(amfcall: a value, not a file name)' $out
end

function __fish_amfcall_candidates
    printf '%s\n' $__fish_amfcall_cands
end

complete -c amfcall -f -n __fish_amfcall_ask -a '(__fish_amfcall_candidates)'
