package convert

import (
	"fmt"
)

// Options choose the JSON form written by [AppendValue], [AppendValues]
// and [AppendPacket]. The zero value writes compact plain JSON.
type Options struct {
	// Typed writes the lossless typed form instead of plain JSON.
	Typed bool
	// Indent, when not empty, pretty-prints with this indent per level.
	Indent string
	// MaxOutput bounds the plain form's output in bytes, so that a
	// reference bomb (a small document whose shared values expand
	// exponentially) fails instead of filling memory. Default 1 GiB.
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

// Error is a JSON document that cannot be turned into AMF: it says where
// (the byte offset in the JSON text and the JSON Pointer of the value) and
// why.
type Error struct {
	Offset int64
	Path   string
	Err    error
}

func (e *Error) Error() string {
	if e.Path != "" {
		return fmt.Sprintf("json: %v at %q (offset %d)", e.Err, e.Path, e.Offset)
	}
	return fmt.Sprintf("json: %v at offset %d", e.Err, e.Offset)
}

func (e *Error) Unwrap() error { return e.Err }

// OutputLimitError reports plain output that grew past Options.MaxOutput.
type OutputLimitError struct{ Limit int64 }

func (e *OutputLimitError) Error() string {
	return fmt.Sprintf("json: plain output exceeds %d bytes (shared values expand at each use; a reference bomb?): use the typed form (--typed), which writes each shared value once, or raise --max-output", e.Limit)
}
