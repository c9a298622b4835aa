package commands

import "testing"

// withWindowsShell runs f with the hints quoted for cmd.exe and
// PowerShell (or for a POSIX shell), whatever this system is.
func withWindowsShell(t *testing.T, on bool, f func()) {
	t.Helper()
	was := windowsShell
	windowsShell = on
	defer func() { windowsShell = was }()
	f()
}

// TestShellWordWindows: on Windows a hint's file name is a word that
// pastes into cmd.exe and PowerShell alike. It was in POSIX single
// quotes, which cmd.exe keeps as part of the name
// ('C:\Users\me\reply.amf' named no file), and @'...' starts a
// PowerShell here-string. cmdpaste_win9_test.go pastes real hints into
// cmd.exe.
func TestShellWordWindows(t *testing.T) {
	words := []struct{ in, want string }{
		{`C:\Users\me\reply.amf`, `C:\Users\me\reply.amf`},
		{`reply.amf`, `reply.amf`},
		{`C:\My Pics\photo 1.jpg`, `"C:\My Pics\photo 1.jpg"`},
		{`D:\Flex (old)\a&b;c.json`, `"D:\Flex (old)\a&b;c.json"`},
		{`C:\it's\x.amf`, `"C:\it's\x.amf"`},
		{`C:\a,b.amf`, `"C:\a,b.amf"`},               // PowerShell's array operator
		{`-reply.amf`, `"-reply.amf"`},               // a PowerShell parameter
		{`C:\dir x\`, `"C:\dir x\\"`},                // \" would be a quote kept
		{`C:\$Recycle\x.amf`, `'C:\$Recycle\x.amf'`}, // PowerShell reads $ in "..."
		{"C:\\a`b.amf", "'C:\\a`b.amf'"},
		{`C:\100%\x.amf`, `'C:\100%\x.amf'`}, // cmd.exe reads %VAR% in "..."
		{`C:\O'Brien $x`, `'C:\O''Brien $x'`},
		{"C:\\\u2019quoted\u2019 $x", "'C:\\\u2019\u2019quoted\u2019\u2019 $x'"},
		{"", `""`},
	}
	withWindowsShell(t, true, func() {
		for _, w := range words {
			if got := shellWord(w.in); got != w.want {
				t.Errorf("shellWord(%q) on Windows = %s, want %s", w.in, got, w.want)
			}
		}
		for in, want := range map[string]string{
			`photo.jpg`:              `"@photo.jpg"`, // a bare @ splats in PowerShell
			`C:\My Pics\photo 1.jpg`: `"@C:\My Pics\photo 1.jpg"`,
			`C:\$x\p.jpg`:            `'@C:\$x\p.jpg'`,
		} {
			if got := atWord(in); got != want {
				t.Errorf("atWord(%q) on Windows = %s, want %s", in, got, want)
			}
		}
		if got, want := shellQuote(`"it's"`), `'"it''s"'`; got != want {
			t.Errorf("shellQuote on Windows = %s, want %s", got, want)
		}
	})
	// The POSIX forms are unchanged.
	withWindowsShell(t, false, func() {
		for in, want := range map[string]string{
			"/tmp/reply.amf":     "/tmp/reply.amf",
			"/tmp/my pics/a.jpg": "'/tmp/my pics/a.jpg'",
			"it's":               `'it'\''s'`,
		} {
			if got := shellWord(in); got != want {
				t.Errorf("shellWord(%q) = %s, want %s", in, got, want)
			}
		}
		if got, want := atWord("/tmp/my pics/a.jpg"), "@'/tmp/my pics/a.jpg'"; got != want {
			t.Errorf("atWord = %s, want %s", got, want)
		}
	})
}
