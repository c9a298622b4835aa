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
