package convert

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/amfcall/amfcall/internal/textpos"
	"github.com/tidwall/pretty"
)

// Options choose the JSON form written by [AppendValue], [AppendValues]
// and [AppendPacket]. The zero value writes compact plain JSON.
type Options struct {
	// Typed writes the lossless typed form instead of plain JSON.
	Typed bool
	// Indent, when not empty, pretty-prints with this indent per level.
	Indent string
	// MaxOutput bounds the output in bytes, so that a reference bomb
	// (a small document whose shared values expand exponentially in the
	// plain form, or whose strings sent by reference expand in either)
	// fails instead of filling memory. Default (0) 1 GiB; a larger
	// bound is kept as given. The bound is exact: output past it fails
	// with an [OutputLimitError], and a writer streaming to an
	// io.Writer ([Source.RenderTo], [WriteAMF]) has written at most
	// MaxOutput bytes then.
	MaxOutput int64
	// Palette colours the output; nil writes no escape sequences.
	Palette *Palette
	// Warn receives warnings, such as a cycle written as a $ref in the
	// plain form, or (once per call) strings that are not UTF-8. It may
	// be nil.
	Warn func(msg string)
	// Charset decodes, in the plain form, strings whose bytes are not
	// UTF-8 (PHP and ColdFusion gateways send stored Latin-1 or binary
	// strings as they are); see [LookupCharset]. Default windows-1252.
	// The typed form keeps such strings byte for byte as {"$latin1": ...}.
	Charset string
	// Discardable says the output is thrown away on an error (a file
	// that replaces its target only on success, as -o writes): a
	// streamed path then need not convert the whole input once without
	// output before it writes, to leave nothing behind. (JSON lines to
	// AMF Socket frames uses it; a frame is never written in part.)
	Discardable bool
}

// Palette holds the escape sequences that start each kind of token; an
// empty field leaves that kind plain. Reset ends a coloured token.
type Palette struct {
	Key, String, Number, Literal, Punct, Reset string
}

// DefaultPalette is the palette the command line uses on a terminal.
var DefaultPalette = &Palette{
	Key:     "\x1b[34;1m",
	String:  "\x1b[32m",
	Number:  "\x1b[36m",
	Literal: "\x1b[35m",
	Punct:   "",
	Reset:   "\x1b[0m",
}

const defaultMaxOutput = 1 << 30

// outputLimit is the bound on the JSON output of o, in bytes: its
// MaxOutput, else the default.
func outputLimit(o *Options) int {
	if o != nil && o.MaxOutput > 0 {
		// A bound the caller gave is kept as given, above the default
		// too: the streaming paths hold none of the output.
		return int(min(o.MaxOutput, math.MaxInt))
	}
	return defaultMaxOutput
}

// limitError is the error for JSON output of o past its bound.
func limitError(o *Options) error {
	e := OutputLimitError{int64(outputLimit(o))}
	if o != nil && o.Typed {
		return &TypedOutputLimitError{e}
	}
	return &e
}

// limitWriter passes the first limit bytes written to it on to w, and no
// more: the write that would pass the limit writes the bytes up to it
// and fails with the limit error, as does every write after it. Under
// the streamed JSON writers it makes the output limit exact (they check
// it between values, and a value can pass it), and the same for every
// path whatever its buffering: a path stops where its bytes reach the
// limit, and all paths write the same bytes. A dump's bound may grow
// with the input read so far (grow, asked at each write).
type limitWriter struct {
	w     io.Writer
	n     int64 // bytes written
	limit int64
	grow  func() int64      // the limit now, when it is not fixed
	fail  func(int64) error // the limit error for a limit
	err   error             // the limit error, once met
}

func newLimitWriter(w io.Writer, o *Options) *limitWriter {
	return &limitWriter{w: w, limit: int64(outputLimit(o)), fail: func(int64) error { return limitError(o) }}
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	if l.grow != nil {
		l.limit = l.grow()
	}
	if int64(len(p)) <= l.limit-l.n {
		n, err := l.w.Write(p)
		l.n += int64(n)
		return n, err
	}
	n, err := l.w.Write(p[:max(l.limit-l.n, 0)])
	l.n += int64(n)
	if err != nil {
		return n, err
	}
	l.err = l.fail(l.limit)
	return n, l.err
}

// Layout lays out a valid JSON text with the Indent and Palette of o,
// keeping the member order, as the JSON writers here lay out their own
// output (tidwall/pretty does the work). A nil o, or one with neither,
// returns js as it is.
func Layout(js []byte, o *Options) []byte {
	if o == nil {
		return js
	}
	if o.Indent != "" {
		js = bytes.TrimSuffix(pretty.PrettyOptions(js, &pretty.Options{Width: -1, Indent: o.Indent}), []byte("\n"))
	}
	if p := o.Palette; p != nil {
		pair := func(code string) [2]string {
			if code == "" {
				return [2]string{}
			}
			return [2]string{code, p.Reset}
		}
		js = pretty.Color(js, &pretty.Style{
			Key: pair(p.Key), String: pair(p.String), Number: pair(p.Number),
			True: pair(p.Literal), False: pair(p.Literal), Null: pair(p.Literal),
			Escape: pair(p.String),
		})
	}
	return js
}

// ErrTracedCut is the error (in an [*Error]) for a {"$bytes": ...} value
// that a trace abbreviated ("$cut", "$size"): the bytes it stands for are
// not there, so it cannot be converted.
var ErrTracedCut = errors.New("this $bytes value was cut short where it was traced ($cut): it cannot be sent")

// Error is a JSON document that cannot be turned into AMF: it says where
// (the byte offset in the JSON text and the JSON Pointer of the value) and
// why.
type Error struct {
	Offset int64
	// Line and Column (both from 1; the column counts bytes) locate
	// Offset in the text, when known (0 otherwise). For UTF-16 input
	// (Source.UTF16) the offset counts the file's bytes and the column
	// its characters.
	Line, Column int
	Path         string
	Err          error
	utf16        bool // Offset and Column are of the UTF-16 input
}

func (e *Error) Error() string {
	where := fmt.Sprintf("offset %d", e.Offset)
	if e.Line > 0 {
		where = fmt.Sprintf("line %d, column %d (offset %d)", e.Line, e.Column, e.Offset)
	}
	if e.Path != "" {
		return fmt.Sprintf("json: %v at %q, %s", e.Err, e.Path, where)
	}
	return fmt.Sprintf("json: %v at %s", e.Err, where)
}

// locate fills in the line and column of a *Error from the text it is
// about; the JSON readers call it on the way out.
func locate(err error, data []byte) error {
	e, ok := err.(*Error)
	if !ok || e.Line > 0 || e.Offset < 0 || e.Offset > int64(len(data)) {
		return err
	}
	e.Line, e.Column = textpos.LineCol(data, e.Offset)
	return e
}

func (e *Error) Unwrap() error { return e.Err }

// OutputLimitError reports plain output that grew past Options.MaxOutput.
type OutputLimitError struct{ Limit int64 }

func (e *OutputLimitError) Error() string {
	return fmt.Sprintf("json: plain output exceeds %d bytes (shared values expand at each use; a reference bomb?)", e.Limit)
}

// TypedOutputLimitError reports typed output that grew past
// Options.MaxOutput. Typed JSON writes each shared object once, but a
// string, or a member name, sent by reference is written out at each
// use: a 2 MB reply of one long string referenced 20,000 times is 20 GB
// of typed JSON. It unwraps to an [OutputLimitError].
type TypedOutputLimitError struct{ OutputLimitError }

func (e *TypedOutputLimitError) Error() string {
	return fmt.Sprintf("json: typed output exceeds %d bytes (strings sent by reference are written out at each use)", e.Limit)
}

func (e *TypedOutputLimitError) Unwrap() error { return &e.OutputLimitError }
