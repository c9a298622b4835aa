package convert

import (
	"bytes"
	"fmt"
)

// foreignFile is a kind of file that is often taken for AMF by mistake:
// an HTTP body saved still compressed, or another response of the same
// gateway (an image, a document, the Flash movie itself). Its first bytes
// are no AMF marker, packet, .sol or FLV start, so none of them is read
// as AMF either way.
type foreignFile struct {
	magic string // the first bytes
	what  string // what the file is, for the error
	hint  string // what to do, for the hint; the first %s is undo, reading the input, the second the amfcall command that reads its output
	undo  string // the command that gives the AMF back, if any
}

const swfHint = "the movie is not AMF, its requests and replies are: save one's body, or a HAR file of the session"

const imageHint = "the gateway sent an image for this request, or another file was given: give the AMF request or reply body (a HAR file of the session holds them all)"

var foreignFiles = []foreignFile{
	{"\x1f\x8b", "gzip-compressed data",
		"an HTTP body saved as it was sent (Content-Encoding: gzip); decompress it first: %s | amfcall %s (curl: add --compressed)", "gzip -dc"},
	{"\xff\xd8\xff", "a JPEG image", imageHint, ""},
	{"\x89PNG\r\n\x1a\n", "a PNG image", imageHint, ""},
	{"GIF87a", "a GIF image", imageHint, ""},
	{"GIF89a", "a GIF image", imageHint, ""},
	{"PK\x03\x04", "a ZIP archive", "unzip it and give the AMF file inside", ""},
	{"%PDF-", "a PDF document", "another file was given: give the AMF request or reply body", ""},
	{"FWS", "a Flash movie (.swf)", swfHint, ""},
	{"CWS", "a compressed Flash movie (.swf)", swfHint, ""},
	{"ZWS", "a compressed Flash movie (.swf)", swfHint, ""},
}

// ForeignError is the error of data that starts as a file of another
// kind (foreignFiles: gzip-compressed data, an image, a Flash movie), or
// nil. name is the input's name for the error, arg the name to give in
// the hint's command ("" for stdin: the command then reads a pipe,
// "... | gzip -dc"), command the amfcall command the hint pipes the
// undone input to (convert, dump).
func ForeignError(data []byte, name, arg, command string) *InputError {
	if n := httpHead(data); n > 0 {
		// A whole HTTP message saved (curl -i, nc, a proxy's "save
		// response"): its body after the headers may be one of these.
		return foreignBody(data, n, name, arg, command)
	}
	for _, f := range foreignFiles {
		if bytes.HasPrefix(data, []byte(f.magic)) && len(data) > len(f.magic) {
			hint := f.hint
			if f.undo != "" {
				cmd := "... | " + f.undo
				if arg != "" {
					cmd = f.undo + " " + arg
				}
				hint = fmt.Sprintf(hint, cmd, command)
			}
			return &InputError{
				Err:  fmt.Errorf("%s: it is %s (it starts % x), not AMF", name, f.what, f.magic),
				Why:  WhyForeign,
				Hint: hint,
			}
		}
	}
	return nil
}

// httpHead is the length of the head of the HTTP message data starts
// with (its status or request line and headers, through the blank line
// that ends them, within the first 64 KiB), or 0 when it starts with none.
func httpHead(data []byte) int {
	start := false
	for _, p := range []string{"HTTP/1.", "HTTP/2", "POST /", "POST http", "PUT /", "GET /"} {
		start = start || bytes.HasPrefix(data, []byte(p))
	}
	if !start {
		return 0
	}
	head := data[:min(len(data), 64<<10)]
	i, end := bytes.Index(head, []byte("\r\n\r\n")), 4
	if j := bytes.Index(head, []byte("\n\n")); j >= 0 && (i < 0 || j < i) {
		i, end = j, 2
	}
	if i < 0 {
		return 0
	}
	return i + end
}

// foreignBody is the error of an HTTP message whose body, after the
// head's n bytes, is a file of another kind, or nil.
func foreignBody(data []byte, n int, name, arg, command string) *InputError {
	body := data[n:]
	for _, f := range foreignFiles {
		if !bytes.HasPrefix(body, []byte(f.magic)) || len(body) <= len(f.magic) {
			continue
		}
		hint := f.hint
		if f.undo != "" {
			cmd := fmt.Sprintf("... | tail -c +%d | %s", n+1, f.undo)
			if arg != "" {
				cmd = fmt.Sprintf("tail -c +%d %s | %s", n+1, arg, f.undo)
			}
			hint = fmt.Sprintf("the body of an HTTP message saved as it was sent (Content-Encoding: gzip), after its headers; keep the body alone and decompress it: %s | amfcall %s (curl: add --compressed and leave out -i)", cmd, command)
		}
		return &InputError{
			Err: fmt.Errorf("%s: it is an HTTP message whose body, after %d bytes of headers, is %s (it starts % x at offset %d), not AMF",
				name, n, f.what, f.magic, n),
			Why:  WhyForeign,
			Hint: hint,
		}
	}
	return nil
}
