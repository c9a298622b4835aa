//go:build !windows

package commands

// enableVT is for Windows consoles (vt_windows.go): a terminal here reads
// escape sequences as it is.
func enableVT(any) bool { return true }
