# PowerShell completion for amfcall (PowerShell 7.3 or later).
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
    $before = $env:AMFCALL_COMPLETE_NOFILES
    $env:AMFCALL_COMPLETE_NOFILES = '1'
    try {
        $out = @(& $exe @words '--generate-bash-completion' 2>$null)
    } finally {
        $env:AMFCALL_COMPLETE_NOFILES = $before
    }
    $noFiles = $out -contains '(amfcall: a value, not a file name)'
    # A candidate holding a blank or a character PowerShell reads as
    # code ($(...), backtick, quotes, ;, |, &, @, {}) is dropped: it is
    # inserted as it is, and a gateway's listing chose it. An @FILE
    # argument is inserted in quotes, since a bare @ splats a variable.
    $results = @($out |
        Where-Object { $_.StartsWith($word, [System.StringComparison]::Ordinal) -and ($_ -replace '^@', '') -notmatch '[\s$`();|&<>*?!{}@#''"\\\[\]]' } |
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
