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
    $words += $wordToComplete
    # A candidate holding a blank or a character PowerShell reads as
    # code ($(...), backtick, quotes, ;, |, &, @, {}) is dropped: it is
    # inserted as it is, and a gateway's listing chose it.
    & $exe @words '--generate-bash-completion' 2>$null |
        Where-Object { $_ -like "$wordToComplete*" -and $_ -notmatch '[\s$`();|&<>*?!{}@#''"\\\[\]]' } |
        ForEach-Object {
            [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
        }
}
