package convert

import (
	"bytes"
	"regexp"
)

// hexForm gives the hex digits of text that writes bytes in one of the
// forms tools copy them in, other than bare digits (which DecodeHex
// reads): escapes ("\x0a\x0b", as Python and C print bytes and
// Wireshark's "Copy as Escaped String" gives them), 0x numbers
// ("0x0a0b", "0x0a, 0x0b" from a C or Java array) or bytes between colons
// ("0a:0b:01", as Wireshark shows a field's bytes). Escapes may be in
// double quotes, lines ending in a backslash. White space may
// come between any two bytes, and commas between 0x numbers. It returns
// nil when text is not wholly one of these forms: none of them is JSON,
// base64 or bare hex text, so nothing read before is read otherwise.
func hexForm(text []byte) []byte {
	if body := arrayBody(text); body != nil {
		text = body // xxd -i FILE: "unsigned char f[] = { 0x0a, ... };"
	}
	var out []byte
	i, n := 0, len(text)
	skip := func(comma bool) {
		for i < n && (isTextSpace(text[i]) || comma && text[i] == ',') {
			i++
		}
	}
	hex2 := func(at int) bool {
		if at+2 > n {
			return false
		}
		_, ok1 := hexVal(text[at])
		_, ok2 := hexVal(text[at+1])
		return ok1 && ok2
	}
	// Between escapes: white space, quotes, and a backslash that ends
	// a line (Wireshark's escaped string: "\x0a...\x0f" \ then "\x10...").
	skipQuoted := func() {
		for i < n {
			switch {
			case isTextSpace(text[i]) || text[i] == '"':
				i++
			case text[i] == '\\' && i+1 < n && (text[i+1] == '\n' || text[i+1] == '\r'):
				i++
			default:
				return
			}
		}
	}
	skip(false)
	quoted := i < n && text[i] == '"'
	if quoted {
		skipQuoted()
	}
	if i+1 >= n {
		return nil
	}
	switch {
	case text[i] == '\\' && (text[i+1] == 'x' || text[i+1] == 'X'):
		next := func() { skip(false) }
		if quoted {
			next = skipQuoted
		}
		for next(); i < n; next() {
			if i+4 > n || text[i] != '\\' || text[i+1] != 'x' && text[i+1] != 'X' || !hex2(i+2) {
				return nil
			}
			out = append(out, text[i+2], text[i+3])
			i += 4
		}
	case quoted:
		return nil // a JSON string ("0a:0b")
	case text[i] == '0' && (text[i+1] == 'x' || text[i+1] == 'X'):
		for skip(true); i < n; skip(true) {
			if i+2 > n || text[i] != '0' || text[i+1] != 'x' && text[i+1] != 'X' {
				return nil
			}
			i += 2
			start := i
			for i < n {
				if _, ok := hexVal(text[i]); !ok {
					break
				}
				i++
			}
			if d := i - start; d == 0 || d%2 != 0 {
				return nil
			}
			out = append(out, text[start:i]...)
		}
	case hex2(i) && i+2 < n && text[i+2] == ':':
		for i < n {
			if !hex2(i) {
				return nil
			}
			out = append(out, text[i], text[i+1])
			i += 2
			if i < n && text[i] == ':' {
				i++
				if !hex2(i) {
					return nil
				}
				continue
			}
			if i < n && !isTextSpace(text[i]) {
				return nil // "0a:0bcd"
			}
			skip(false)
		}
	default:
		return nil
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// arrayDecl is the start of an array declaration around 0x numbers, as
// xxd -i FILE writes it ("unsigned char f_sol[] = {"), or C, Java or
// JavaScript source holds one ("byte[] b = {", "const b = ["); arrayLen
// the length xxd -i writes after it ("unsigned int f_sol_len = 79;").
var (
	arrayDecl = regexp.MustCompile(`^\s*[A-Za-z_][A-Za-z0-9_ \t\[\]*]*=\s*(?:new\s+[A-Za-z0-9_]+\s*\[\s*\]\s*)?([{\[])\s*0[xX]`)
	arrayLen  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_ \t]*=\s*[0-9]+\s*;$`)
)

// arrayBody returns the 0x numbers of an array declaration that text
// wholly is (arrayDecl, the brace or bracket that closes it, an optional
// semicolon and xxd's length line), or nil.
func arrayBody(text []byte) []byte {
	m := arrayDecl.FindSubmatchIndex(text)
	if m == nil {
		return nil
	}
	open := m[2]
	closer := byte('}')
	if text[open] == '[' {
		closer = ']'
	}
	end := bytes.IndexByte(text[open:], closer)
	if end < 0 {
		return nil
	}
	end += open
	rest := bytes.TrimSpace(text[end+1:])
	rest = bytes.TrimSpace(bytes.TrimPrefix(rest, []byte(";")))
	if len(rest) > 0 && !arrayLen.Match(rest) {
		return nil
	}
	body := bytes.TrimSpace(text[open+1 : end])
	body = bytes.TrimSuffix(body, []byte(",")) // a trailing comma, as source may have
	return body
}
