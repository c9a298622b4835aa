package convert

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// DecodeUTF16 returns, as UTF-8 without the byte order mark, text that
// starts with a UTF-16 byte order mark (FF FE little-endian, as Windows
// PowerShell 5's > and Out-File write text, and .NET's "Unicode"; FE FF
// big-endian). ok is false when data does not start with one, has an odd
// length or holds half a surrogate pair: it is then not UTF-16 text. No
// AMF starts with FF or FE, so the mark tells text from AMF.
func DecodeUTF16(data []byte) (text []byte, ok bool) {
	var order binary.ByteOrder
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		order = binary.LittleEndian
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		order = binary.BigEndian
	default:
		return nil, false
	}
	return decodeUTF16(data[2:], order)
}

// decodeUTF16 is the UTF-8 of the UTF-16 text data (no mark), or false
// when it has an odd length or holds half a surrogate pair.
func decodeUTF16(data []byte, order binary.ByteOrder) ([]byte, bool) {
	if len(data)%2 != 0 {
		return nil, false
	}
	out := make([]byte, 0, len(data)/2)
	for i := 0; i < len(data); i += 2 {
		r := rune(order.Uint16(data[i:]))
		if utf16.IsSurrogate(r) {
			if r >= 0xDC00 || i+4 > len(data) {
				return nil, false // a low half first, or the text ends
			}
			r = utf16.DecodeRune(r, rune(order.Uint16(data[i+2:])))
			if r == utf8.RuneError {
				return nil, false
			}
			i += 2
		}
		out = utf8.AppendRune(out, r)
	}
	return out, true
}

// utf16Form is how UTF-16 input was told: by its byte order mark (2
// bytes), or, without one, by the zero bytes of its first characters.
type utf16Form struct {
	bom int  // the mark's length in the input: 2, or 0
	be  bool // big-endian
}

// decodeUTF16Text is DecodeUTF16, or, for text with no byte order mark
// (some tools write UTF-16 so), JSON text in UTF-16 told from the zero
// bytes of its first two characters, as RFC 4627 (section 3) tells
// JSON's encoding: xx 00 xx 00 is little-endian, 00 xx 00 xx big-endian,
// two characters of ASCII (or a quote, 22 00 or 00 22, then any
// character: a string's first). The whole text must then be UTF-16 with no
// NUL or control character but tab, CR and LF, ASCII outside its
// strings, start (after white space) as JSON does ({ [ " - a digit,
// t, f or n) and be guessed to be JSON, not hex or base64 text ("00" is
// 00 30 00 30). No AMF is taken for it (its markers, read so, are
// control characters: a packet's 00 00 or 00 03 reads as NUL or U+0003).
func decodeUTF16Text(data []byte) ([]byte, utf16Form, bool) {
	if text, ok := DecodeUTF16(data); ok {
		return text, utf16Form{bom: 2, be: data[0] == 0xFE}, true
	}
	if len(data) < 4 || len(data)%2 != 0 {
		return nil, utf16Form{}, false
	}
	var order binary.ByteOrder
	f := utf16Form{}
	switch {
	case data[0] != 0 && data[1] == 0 && data[2] != 0 && data[3] == 0,
		data[0] == '"' && data[1] == 0 && data[2]|data[3] != 0:
		order = binary.LittleEndian
	case data[0] == 0 && data[1] != 0 && data[2] == 0 && data[3] != 0,
		data[0] == 0 && data[1] == '"' && data[2]|data[3] != 0:
		// (A string's first character need not be ASCII: "\u0788"
		// is 00 22 07 88 00 22, whose second character has no zero
		// byte; RFC 4627's rule was for objects and arrays only.)
		order, f.be = binary.BigEndian, true
	default:
		return nil, f, false
	}
	text, ok := decodeUTF16(data, order)
	if !ok {
		return nil, f, false
	}
	inString, escaped := false, false
	for _, c := range text {
		switch {
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7F && !inString:
			// (DEL is JSON in a string, as it is in UTF-8 JSON:
			// "\x7f" in UTF-16 without a mark was read as bare AMF3.)
			return nil, f, false
		case !inString && c >= utf8.RuneSelf:
			// JSON is ASCII outside its strings: other bytes that
			// read so (30 00 30 00 30 00 00 30 is "000" and U+3000)
			// are no JSON text.
			return nil, f, false
		case escaped:
			escaped = false
		case c == '"':
			inString = !inString
		case c == '\\' && inString:
			escaped = true
		}
	}
	t := bytes.TrimLeft(text, " \t\r\n")
	if len(t) == 0 || !isJSONStart(t[0]) {
		return nil, f, false
	}
	if k := detect(text, true, false).Kind; k != KindJSON && k != KindHAR {
		// Text that is read as hex or base64 ("00" is 00 30 00 30):
		// only JSON is told so.
		return nil, f, false
	}
	return text, f, true
}

// inUTF16 turns the place of a *Error in the UTF-8 text read from
// UTF-16 input (data) into the place in the user's file: the offset
// counts the file's bytes (2 a character, 4 for a pair, after the mark)
// and the column its characters, as an editor of the file shows them.
// The line is the same in both.
func (f utf16Form) inUTF16(err error, data []byte) error {
	var e *Error
	if !errors.As(err, &e) || e.Offset < 0 || e.Offset > int64(len(data)) || e.utf16 {
		return err
	}
	was := e.Error()
	before := data[:e.Offset]
	units := 0
	for _, r := range string(before) {
		units++
		if r >= 0x10000 {
			units++
		}
	}
	line := before[bytes.LastIndexByte(before, '\n')+1:]
	e.Line = bytes.Count(before, []byte("\n")) + 1
	e.Column = utf8.RuneCount(line) + 1
	e.Offset = int64(f.bom + 2*units)
	e.utf16 = true
	// The errors around e wrote its text when they were made.
	return &placedError{msg: strings.Replace(err.Error(), was, e.Error(), 1), err: err}
}

// placedError is an error whose text has its *Error's new place.
type placedError struct {
	msg string
	err error
}

func (e *placedError) Error() string { return e.msg }
func (e *placedError) Unwrap() error { return e.err }

// Misdecoded reports whether text, read from UTF-16, looks like UTF-8
// that was read as the console's OEM code page (437 or 850) on the way:
// Windows PowerShell 5 decodes a program's output that way before its >
// writes it as UTF-16, so amfcall's own "café" comes back as "cafÔö£ÔîÉ"
// (437) or "cafÃ©" (850). That is, text that has characters outside
// ASCII, all of which the code page has, whose bytes in that code page
// are UTF-8 with characters outside ASCII. The text read is then not
// what amfcall wrote, and cannot be told back for sure.
func Misdecoded(text []byte) bool {
	if isASCII(text) {
		return false
	}
	for _, cm := range []*charmap.Charmap{charmap.CodePage437, charmap.CodePage850} {
		b, err := cm.NewEncoder().Bytes(text)
		if err == nil && utf8.Valid(b) && !isASCII(b) {
			return true
		}
	}
	return false
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// UTF16Fault is the place in data, which starts with a UTF-16 byte
// order mark, where it stops being UTF-16 text: a *Error at the bad
// unit's offset in the file (the mark counted), its line, and its
// column in characters, saying what is wrong there (one byte left over
// at the end; half a surrogate pair); nil when data is UTF-16 text or
// has no mark. Each unit is read once.
func UTF16Fault(data []byte) *Error {
	var order binary.ByteOrder
	mark := "FF FE, little-endian"
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		order = binary.LittleEndian
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		order, mark = binary.BigEndian, "FE FF, big-endian"
	default:
		return nil
	}
	line, col := 1, 1
	fault := func(i int, what string, a ...any) *Error {
		return &Error{Offset: int64(i), Line: line, Column: col, utf16: true,
			Err: fmt.Errorf("not UTF-16 text after its byte order mark (%s): %s", mark, fmt.Sprintf(what, a...))}
	}
	for i := 2; i < len(data); i += 2 {
		if i+2 > len(data) {
			return fault(i, "one byte (%02x) left over at the end, half a character (an odd number of bytes: cut short?)", data[i])
		}
		u := order.Uint16(data[i:])
		switch {
		case u >= 0xDC00 && u <= 0xDFFF:
			return fault(i, "a low surrogate (U+%04X) with no high surrogate before it (half a surrogate pair)", u)
		case u >= 0xD800 && u <= 0xDBFF:
			if i+4 > len(data) {
				return fault(i, "a high surrogate (U+%04X) at the end (half a surrogate pair: cut short?)", u)
			}
			if v := order.Uint16(data[i+2:]); v < 0xDC00 || v > 0xDFFF {
				return fault(i, "a high surrogate (U+%04X) with no low surrogate after it (half a surrogate pair)", u)
			}
			i += 2
			col++
		case u == '\n':
			line, col = line+1, 1
		default:
			col++
		}
	}
	return nil
}
