// Package textcut cuts text for messages: a server's fault code, a name
// from a file, a path. Each cut is on a character's start, so that what
// is kept is still valid UTF-8 when the text was, and the cut is marked.
// The amf, client and commands packages all cut this way; the rule is
// written once here.
package textcut

import "unicode/utf8"

// Mark ends a text that Cut shortened.
const Mark = "..."

// At is where to cut s to keep at most n bytes: n, or the start of the
// character n falls in. s must be longer than n.
func At(s string, n int) int {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return n
}

// Cut returns s when it is n bytes or shorter; otherwise its first bytes,
// at most n of them (see At), followed by Mark.
func Cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:At(s, n)] + Mark
}
