# fish completion for amfcall
#
# Install: amfcall completion fish > ~/.config/fish/completions/amfcall.fish

function __fish_amfcall_candidates
    set -l words (commandline -opc)
    # The word as amfcall will get it: 'j is j, hex\:s is hex:s.
    set -l cur (commandline -ct | string unescape)
    $words[1] $words[2..-1] "$cur" --generate-bash-completion 2>/dev/null
end

# amfcall's candidates when it has some; else fish's default, file names.
complete -c amfcall -f -n 'test (count (__fish_amfcall_candidates)) -gt 0' -a '(__fish_amfcall_candidates)'
