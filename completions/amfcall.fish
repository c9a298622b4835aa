# fish completion for amfcall
#
# Install: amfcall completion fish > ~/.config/fish/completions/amfcall.fish

function __fish_amfcall_raw
    set -l words (commandline -opc)
    # The word as amfcall will get it: 'j is j, hex\:s is hex:s.
    set -l cur (commandline -ct | string unescape)
    set -lx AMFCALL_COMPLETE_NOFILES 1
    $words[1] $words[2..-1] "$cur" --generate-bash-completion 2>/dev/null
end

function __fish_amfcall_candidates
    # A candidate holding a blank or a shell metacharacter is dropped, as
    # in the other shells' scripts: fish would escape it, but a name from
    # a gateway's listing (svc.$(cmd), svc.*, svc.a;b) is not offered.
    __fish_amfcall_raw |
        string match -rv -- '[\s$`()|;&<>*?!{}#^~\'"\\\\\[\]]'
end

# The value of a flag that takes no file (--timeout, -u): amfcall says so.
function __fish_amfcall_nofiles
    __fish_amfcall_raw | string match -q -- '(amfcall: a value, not a file name)'
end

# amfcall's candidates when it has some; else fish's default, file names,
# except for the value of a flag that takes no file.
complete -c amfcall -f -n 'test (count (__fish_amfcall_candidates)) -gt 0' -a '(__fish_amfcall_candidates)'
complete -c amfcall -f -n __fish_amfcall_nofiles
