package commands

import (
	"os"

	"golang.org/x/sys/windows"
)

// enableVT turns on the reading of escape sequences
// (ENABLE_VIRTUAL_TERMINAL_PROCESSING) in the Windows console that the
// stream w writes to, and reports whether the console reads them: not
// when it cannot be turned on (a console older than Windows 10 1511).
// A stream that is no console (a Cygwin or MSYS pty, which
// isatty.IsCygwinTerminal finds, a pipe, a buffer) is left alone: true.
func enableVT(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return true
	}
	h := windows.Handle(f.Fd())
	var mode uint32
	if windows.GetConsoleMode(h, &mode) != nil {
		return true
	}
	if mode&windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING != 0 {
		return true
	}
	return windows.SetConsoleMode(h, mode|windows.ENABLE_PROCESSED_OUTPUT|windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING) == nil
}
