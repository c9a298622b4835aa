# fish completion for amfcall
#
# Install: amfcall completion fish > ~/.config/fish/completions/amfcall.fish

function __fish_amfcall_candidates
    set -l words (commandline -opc)
    # The word as amfcall will get it: 'j is j, hex\:s is hex:s.
    set -l cur (commandline -ct | string unescape)
    # A candidate holding a blank or a shell metacharacter is dropped, as
    # in the other shells' scripts: fish would escape it, but a name from
    # a gateway's listing (svc.$(cmd), svc.*, svc.a;b) is not offered.
    $words[1] $words[2..-1] "$cur" --generate-bash-completion 2>/dev/null |
        string match -rv -- '[\s$`()|;&<>*?!{}#^~\'"\\\\\[\]]'
end

# amfcall's candidates when it has some; else fish's default, file names.
complete -c amfcall -f -n 'test (count (__fish_amfcall_candidates)) -gt 0' -a '(__fish_amfcall_candidates)'
